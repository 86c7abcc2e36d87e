"""Strings a client chose (host names, commands, subsystems), made safe to log or echo.

`repr` escapes newlines and control characters, so a client can never forge a line of
`serve.log` or send escape sequences back through a message; the length is bounded so a
megabyte of "host name" costs nothing.
"""

from __future__ import annotations

DEFAULT_LIMIT = 80


def shown(value: object, limit: int = DEFAULT_LIMIT) -> str:
    """`value` as an escaped, quoted, bounded string: 'evil\\n2026…' stays one line."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value)
    cut = text[:limit]
    return repr(cut) + ("…" if len(text) > limit else "")

"""What the per-session `partner-tui` process is started with.

The server's own environment is not passed wholesale: only what Python needs, the
server's partner-tui settings (same data, corpus and cache for everyone), the SSH login
as the identity, TERM from the client's pty request, and the client's locale and colour
wishes. Nothing else a client sends (PATH, LD_PRELOAD…) gets through.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

# Where the session process sends its tracebacks (read by the CLI's session_main).
LOG_ENV = "PARTNER_TUI_SESSION_LOG"
FROM_SERVER = (
    "PATH",
    "HOME",
    "TMPDIR",
    "TZ",
    "PYTHONPATH",
    "TEXTUAL_COLOR_SYSTEM",
    # Where platformdirs looks; the resolved partner-tui locations are also passed
    # explicitly (runner.child_settings), these keep anything else consistent.
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
)
FROM_CLIENT = ("LANG", "COLORTERM", "NO_COLOR")
# Locale categories (LC_ALL, LC_CTYPE…): a name with `=`, a NUL or anything odd would make
# the session's environment unusable (putenv refuses it) or mean something else.
_LOCALE_NAME = re.compile(r"LC_[A-Z_]{1,32}")
_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # and lone surrogates
CLIENT_VALUE_LIMIT = 256


def child_cli_argv(no_mouse: bool) -> list[str]:
    """The explorer's own arguments (for a session forked from the template)."""
    return ["--no-mouse"] if no_mouse else []


def child_argv(no_mouse: bool) -> list[str]:
    # The ordinary CLI, entered through session_main so tracebacks go to the server log.
    return [sys.executable, "-m", "partner_tui.tui.cli.session_main", *child_cli_argv(no_mouse)]


def server_env(settings: Mapping[str, str]) -> dict[str, str]:
    """What every session shares, from the server alone: also the session template's
    environment, so what Textual reads once at import is what a session would read."""
    env = {name: os.environ[name] for name in FROM_SERVER if name in os.environ}
    env.update(settings)
    env.setdefault("LANG", "C.UTF-8")
    return env


def client_wishes(client_env: Mapping[str, str]) -> dict[str, str]:
    """The client's locale and colour wishes that may reach the session: known names only,
    values bounded and without control characters; anything else is dropped."""
    wishes = {}
    for name, value in client_env.items():
        if not isinstance(name, str) or not isinstance(value, str):
            continue
        if name in FROM_CLIENT or _LOCALE_NAME.fullmatch(name):
            value = _CONTROLS.sub("", value[: CLIENT_VALUE_LIMIT * 4])
            if value and len(value) <= CLIENT_VALUE_LIMIT:
                wishes[name] = value
    return wishes


def child_env(
    user: str,
    settings: Mapping[str, str],
    term: str | None,
    client_env: Mapping[str, str],
    log_path: Path | None = None,
) -> dict[str, str]:
    """`settings`: the server's PARTNER_TUI_* values (data dir, corpus, cache, config)."""
    env = server_env(settings)
    env.update(client_wishes(client_env))
    env.setdefault("LANG", "C.UTF-8")
    env["TERM"] = term if term and _TERM.fullmatch(term) else "xterm-256color"
    env["PARTNER_TUI_USER"] = user
    env["PARTNER_TUI_SERVED"] = "1"  # the app then offers no file-writing commands
    if log_path is not None:
        env[LOG_ENV] = str(log_path)
    return env

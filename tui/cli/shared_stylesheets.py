"""Parsed stylesheets shared by every app a process makes: for the session template.

Textual caches parsed CSS per `Stylesheet` object, and every app (and every theme change,
through `Stylesheet.reparse`) makes a new one, so each session forked from the template
parsed every widget's CSS again: about a third of its CPU time before the first screen.
Installed in the template before its rehearsal, this cache keeps what the rehearsal
parsed, keyed by everything the parse depends on (the CSS, where it came from, its
priority and scope, and the theme's variables), and the forked sessions find it there,
in pages they share with the template.

A parse's rule sets are read, never changed, by the stylesheets that use them (Textual's
own cache hands the same lists to every reparse of one stylesheet); sharing them between
stylesheets with the same variables gives the same rules. Bounded: a session whose user
picked another theme adds that theme's entries to its own copy, up to the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.css.stylesheet import Stylesheet

ENTRY_LIMIT = 2048  # widgets' DEFAULT_CSS × themes seen; an entry is a few KiB

_parsed: dict[tuple, Any] = {}
_original: Callable[..., Any] | None = None


def share_parsed_stylesheets() -> None:
    """From now on, every Stylesheet in this process (and its forks) shares parses."""
    global _original
    if _original is not None:
        return
    _original = Stylesheet._parse_rules

    def _parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        variables = tuple(self._variables.items())
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
        rules = _parsed.get(key)
        if rules is None:
            assert _original is not None
            rules = _original(self, css, read_from, is_default_rules, tie_breaker, scope)
            if len(_parsed) < ENTRY_LIMIT:
                _parsed[key] = rules
        return rules

    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]


def shared_parse_count() -> int:
    """How many parses are kept (for tests and the template's log)."""
    return len(_parsed)

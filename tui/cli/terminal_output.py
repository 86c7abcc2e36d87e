"""Plain output for people: colour only on a terminal and never with NO_COLOR set."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable

from partner_tui.search.model import Span

_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_HIT = "\x1b[1;33m"
_RESET = "\x1b[0m"


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM", "") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


class Styler:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def _wrap(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour else text

    def bold(self, text: str) -> str:
        return self._wrap(_BOLD, text)

    def dim(self, text: str) -> str:
        return self._wrap(_DIM, text)

    def highlight(self, text: str, spans: Iterable[Span]) -> str:
        """Mark matches in bold yellow on a terminal; plain text when colour is off."""
        out: list[str] = []
        cursor = 0
        for start, end in spans:
            out.append(text[cursor:start])
            piece = text[start:end]
            out.append(self._wrap(_HIT, piece) if self.colour else piece)
            cursor = end
        out.append(text[cursor:])
        return "".join(out)


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")

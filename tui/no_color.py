"""NO_COLOR without black on black.

Textual answers NO_COLOR with a greyscale filter, but it turns ANSI colours (which carry no
RGB value) into black, so an ANSI theme becomes black text on a black background. This
filter first gives ANSI colours the RGB values of the terminal palette, then greys them.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.terminal_theme import TerminalTheme
from textual.color import Color
from textual.filter import ANSIToTruecolor, LineFilter, Monochrome


class GreyscaleFromAnsi(LineFilter):
    def __init__(self, terminal_theme: TerminalTheme) -> None:
        super().__init__()
        self._to_truecolor = ANSIToTruecolor(terminal_theme)
        self._greyscale = Monochrome()

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        coloured = self._to_truecolor.apply(segments, background)
        return self._greyscale.apply(coloured, background)


def replace_greyscale_filter(filters: list[LineFilter], terminal_theme: TerminalTheme) -> None:
    """Swap Textual's greyscale filter (present under NO_COLOR) for the ANSI-aware one."""
    for index, line_filter in enumerate(filters):
        if type(line_filter) is Monochrome:
            filters[index] = GreyscaleFromAnsi(terminal_theme)

"""Word-wrap a body into display lines that remember their character offsets.

The reading view draws only the lines on screen and must know which line holds a given
character (to scroll a hit into view), so wrapping keeps (start, end) offsets instead of
producing new strings. Lines break at spaces; a word wider than the view is split.
"""

from __future__ import annotations

import bisect
import re

from rich.cells import cell_len

LineSpan = tuple[int, int]
_TOKEN = re.compile(r"\S+|\s+")


def wrap_offsets(text: str, width: int) -> list[LineSpan]:
    """Display lines of `text` at `width` cells as (start, end) offsets, end exclusive."""
    width = max(1, width)
    lines: list[LineSpan] = []
    base = 0
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, base, width))
        base += len(paragraph) + 1
    return lines


def wrap_line(paragraph: str, base: int, width: int, hang: int = 0) -> list[LineSpan]:
    """Wrap one line of text starting at offset `base`; lines after the first have `hang`
    cells less room (they are drawn indented, under the text of a list item)."""
    return _wrap_paragraph(paragraph, base, max(1, width), max(1, width - hang))


def _wrap_paragraph(
    paragraph: str, base: int, width: int, next_width: int | None = None
) -> list[LineSpan]:
    if not paragraph:
        return [(base, base)]
    if len(paragraph) <= width and paragraph.isascii():  # the common case, fast
        return [(base, base + len(paragraph.rstrip()))]
    first_width = width
    lines: list[LineSpan] = []
    start = 0  # where the current line starts, relative to the paragraph
    used = 0  # cells used on the current line, including trailing spaces
    end = 0  # end of the last word on the current line (trailing spaces excluded)
    for match in _TOKEN.finditer(paragraph):
        token = match.group()
        cells = len(token) if token.isascii() else cell_len(token)
        if token[0].isspace():
            used += cells
            continue
        if used and used + cells > width:
            lines.append((base + start, base + end))
            start, used = match.start(), 0
            width = next_width or first_width
        position = match.start()
        while cells > width:  # a word longer than the whole line: cut it
            cut = _fit(token, width)
            lines.append((base + position, base + position + cut))
            token, position = token[cut:], position + cut
            cells = cell_len(token)
            start = position
            width = next_width or first_width
        used += cells
        end = position + len(token)
        if used == cells:
            start = position
    lines.append((base + start, base + max(end, start)))
    return lines


def _fit(word: str, width: int) -> int:
    """How many characters of `word` fit in `width` cells (at least one)."""
    total = 0
    for index, char in enumerate(word):
        total += cell_len(char)
        if total > width:
            return max(1, index)
    return len(word)


def line_of(lines: list[LineSpan], offset: int) -> int:
    """Index of the display line holding character `offset` (the last one at the end)."""
    starts = [start for start, _ in lines]
    return max(0, bisect.bisect_right(starts, offset) - 1)

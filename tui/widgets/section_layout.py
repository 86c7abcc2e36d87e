"""Lay out a section's readable text and style runs as display lines, and style a line.

Paragraphs wrap to the pane width; list items wrap under their own text (a hanging
indent); quoted lines carry a bar; code blocks, tables and preformatted plain text keep
their lines exactly (wider ones scroll sideways). Every display line remembers its
(start, end) character offsets, so hits and runs are styled by offset and the document
text never passes through markup.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from partner_tui.search.model import RunKind, StyleRun
from partner_tui.tui.widgets.wrapping import wrap_line
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

QUOTE_BAR = "▌ "
_BLOCK_KINDS = RunKind.KEEP_LINES | {RunKind.QUOTE}


@dataclass(frozen=True)
class DisplayLine:
    start: int
    end: int
    prefix: str = ""  # drawn before the text: a quote bar, a hanging indent
    kept: str = ""  # the kind of block whose line this is kept as is, if any
    quoted: bool = False
    note: str = ""  # a line that is not body text (the list of links)


def _intervals(runs: Sequence[StyleRun], kinds: frozenset[str] | set[str]) -> list[StyleRun]:
    return [run for run in runs if run.kind in kinds]


def _covering(intervals: list[StyleRun], starts: list[int], offset: int) -> StyleRun | None:
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and intervals[index].start <= offset < intervals[index].end:
        return intervals[index]
    return None


def _hang(text: str, line_start: int, markers: list[StyleRun], marker_starts: list[int]) -> int:
    """Cells to indent a wrapped list item's later lines: to where its text starts."""
    stripped = len(text) - len(text.lstrip(" "))
    marker = _covering(markers, marker_starts, line_start + stripped)
    if marker is None:
        return 0
    return stripped + (marker.end - marker.start) + 1


def layout_lines(body: str, runs: Sequence[StyleRun], width: int) -> list[DisplayLine]:
    """Display lines for `body` at `width` cells, then one note line per link."""
    width = max(4, width)
    blocks = _intervals(runs, RunKind.KEEP_LINES)
    block_starts = [run.start for run in blocks]
    quotes = _intervals(runs, {RunKind.QUOTE})
    quote_starts = [run.start for run in quotes]
    markers = _intervals(runs, {RunKind.LIST_MARKER})
    marker_starts = [run.start for run in markers]
    lines: list[DisplayLine] = []
    base = 0
    for text in body.split("\n"):
        end = base + len(text)
        block = _covering(blocks, block_starts, base) if text else None
        quoted = bool(text) and _covering(quotes, quote_starts, base) is not None
        prefix = QUOTE_BAR if quoted else ""
        if block is not None:
            lines.append(DisplayLine(base, end, prefix, block.kind, quoted))
        else:
            hang = _hang(text, base, markers, marker_starts)
            room = max(4, width - len(prefix))
            for number, (start, stop) in enumerate(wrap_line(text, base, room, hang)):
                indent = " " * hang if number else ""
                lines.append(DisplayLine(start, stop, prefix + indent, "", quoted))
        base = end + 1
    links = [run for run in runs if run.kind == RunKind.LINK and run.target]
    if links:
        lines.append(DisplayLine(len(body), len(body), note=" "))
        lines.append(DisplayLine(len(body), len(body), note="Links"))
        for number, run in enumerate(links, 1):
            label = body[run.start : run.end].replace("\n", " ")
            note = f"[{number}] {label}: {run.target}"
            lines.append(DisplayLine(len(body), len(body), note=note))
    return lines


def widest(lines: list[DisplayLine], body: str) -> int:
    """Cells needed by the widest line kept as is (wider panes need no sideways scroll)."""
    return max(
        (cell_len(line.prefix + body[line.start : line.end]) for line in lines if line.kept),
        default=0,
    )


def line_of(lines: list[DisplayLine], offset: int) -> int:
    """Index of the display line holding character `offset`."""
    starts = [line.start for line in lines if not line.note]
    return max(0, bisect.bisect_right(starts, offset) - 1)


class InlineRuns:
    """Inline runs (emphasis, code, links…) found quickly for any stretch of the text."""

    def __init__(self, runs: Sequence[StyleRun]) -> None:
        self.runs = [run for run in runs if run.kind not in _BLOCK_KINDS]
        self.starts = [run.start for run in self.runs]
        self.reach: list[int] = []  # the furthest end among runs up to each index
        furthest = 0
        for run in self.runs:
            furthest = max(furthest, run.end)
            self.reach.append(furthest)

    def overlapping(self, start: int, end: int) -> list[StyleRun]:
        found = []
        index = bisect.bisect_left(self.starts, end) - 1
        while index >= 0 and self.reach[index] > start:
            run = self.runs[index]
            if run.end > start:
                found.append(run)
            index -= 1
        found.reverse()
        return found


def line_text(
    body: str,
    line: DisplayLine,
    inline: InlineRuns,
    style_for: Callable[[str], Style],
) -> Text:
    """One display line as styled text (prefix, kept-block style, inline runs)."""
    if line.note:
        return Text(line.note, style=style_for("note"), end="", no_wrap=True)
    text = Text(line.prefix, style=style_for(RunKind.QUOTE) if line.quoted else "", end="")
    offset = len(line.prefix)
    text.append(body[line.start : line.end])
    text.no_wrap = True
    if line.kept:
        text.stylize(style_for(line.kept), offset)
    elif line.quoted:
        text.stylize(style_for(RunKind.QUOTE), offset)
    for run in inline.overlapping(line.start, line.end):
        start = max(run.start, line.start) - line.start + offset
        end = min(run.end, line.end) - line.start + offset
        text.stylize(style_for(run.kind), start, end)
    return text

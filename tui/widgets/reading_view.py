"""The body of the open section, drawn line by line with every query match highlighted.

Only the lines on screen are rendered, so a long section opens as fast as a short one.
The body is data: it becomes `rich.text.Text`, and the reader's style runs (emphasis,
code, lists, quotes, tables, links) and the matches are styled by offset, so text such as
`[bold]` shows literally. Links are listed with their URLs under the text. The current
hit and the other hits differ in text style (reverse vs. bold underline), not colour
alone, so they stay visible without colour.

The place is kept by character offset, not line number: the first character on screen
(`top_offset`) stays on screen when the width changes and text rewraps, and the screen
can reopen a section at the offset it was left at. Lines are at most MEASURE cells
long: in a wide terminal the text sits in a centred column that is comfortable to read.
"""

from __future__ import annotations

import bisect

from partner_tui.search.model import RunKind, Span, StyleRun
from partner_tui.tui.widgets.list_keys import BOTTOM, LINE_DOWN, LINE_UP, PAGE_DOWN, TOP
from partner_tui.tui.widgets.section_layout import (
    DisplayLine,
    InlineRuns,
    layout_lines,
    line_of,
    line_text,
    widest,
)
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

MEASURE = 88
"""The longest line the reading text is wrapped to, in cells."""


class ReadingView(ScrollView, can_focus=True):
    """Scrollable section text; the screen tells it which spans to mark and which is current."""

    COMPONENT_CLASSES = {
        "reading-view--hit",
        "reading-view--current-hit",
        "reading-view--code",
        "reading-view--code-block",
        "reading-view--link",
        "reading-view--quote",
        "reading-view--marker",
        "reading-view--note",
    }
    _RUN_CLASSES = {
        RunKind.CODE: "reading-view--code",
        RunKind.CODE_BLOCK: "reading-view--code-block",
        RunKind.LINK: "reading-view--link",
        RunKind.QUOTE: "reading-view--quote",
        RunKind.LIST_MARKER: "reading-view--marker",
        "note": "reading-view--note",
    }
    # Text styles that need no colour, so they show in every theme and without colour.
    _RUN_STYLES = {
        RunKind.EMPHASIS: Style(italic=True),
        RunKind.STRONG: Style(bold=True),
        RunKind.HEADING: Style(bold=True),
    }

    DEFAULT_CSS = """
    ReadingView {
        height: 1fr;
        background: $surface;
        /* Room for the scrollbar always: the wrap width must not change when it appears. */
        scrollbar-gutter: stable;
    }
    ReadingView > .reading-view--code {
        background: $boost;
        text-style: bold;
    }
    ReadingView > .reading-view--code-block {
        background: $boost;
    }
    ReadingView > .reading-view--link {
        color: $accent;
        text-style: underline;
    }
    ReadingView > .reading-view--quote {
        color: $text-muted;
        text-style: italic;
    }
    ReadingView > .reading-view--marker {
        color: $accent;
        text-style: bold;
    }
    ReadingView > .reading-view--note {
        color: $text-muted;
    }
    ReadingView > .reading-view--hit {
        color: $hit-foreground;
        background: $hit-background;
        text-style: bold underline;
    }
    /* Colours swapped on purpose: `reverse` swaps them back, and without colour (NO_COLOR,
       monochrome) reverse alone still sets the current hit apart. */
    ReadingView > .reading-view--current-hit {
        color: $hit-current-background;
        background: $hit-current-foreground;
        text-style: bold reverse;
    }
    """

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, tooltip=LINE_DOWN),
        Binding("k", "scroll_up", "Up", show=False, tooltip=LINE_UP),
        Binding("g", "scroll_home", "Top", show=False, tooltip=TOP),
        Binding("G", "scroll_end", "Bottom", show=False, tooltip=BOTTOM),
        Binding("space", "page_down", "Page down", show=False, tooltip=PAGE_DOWN),
        Binding("d", "half_page(1)", "Half page down", show=False, tooltip="half a page down"),
        Binding("u", "half_page(-1)", "Half page up", show=False, tooltip="half a page up"),
    ]

    class Scrolled(Message):
        """The view moved or rewrapped: what is on screen, for the position indicator."""

        def __init__(self, first_line: int, last_line: int, lines: int, top_offset: int):
            super().__init__()
            self.first_line = first_line
            self.last_line = last_line
            self.lines = lines
            self.top_offset = top_offset

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._body = ""
        self._runs: tuple[StyleRun, ...] = ()
        self._inline = InlineRuns(())
        self._spans: list[Span] = []
        self._span_ends: list[int] = []
        self._current: int | None = None
        self._lines: list[DisplayLine] = []
        self._wrapped_width = -1
        self._cache: dict[int, Strip] = {}
        self._margin = 0  # blank cells left of the text column in a wide view
        self._anchor = 0  # the offset to keep at the top across a rewrap

    # -- what the screen calls ---------------------------------------------------------
    @property
    def body(self) -> str:
        return self._body

    @property
    def spans(self) -> list[Span]:
        return list(self._spans)

    @property
    def current(self) -> int | None:
        return self._current

    @property
    def runs(self) -> tuple[StyleRun, ...]:
        return self._runs

    @property
    def top_offset(self) -> int:
        """The offset in the body of the first character on screen."""
        if not self._lines:
            return self._anchor
        index = min(max(0, self.scroll_offset.y), len(self._lines) - 1)
        return self._lines[index].start

    def show(
        self,
        body: str,
        spans: list[Span],
        current: int | None = None,
        runs: tuple[StyleRun, ...] = (),
        top_offset: int = 0,
    ) -> None:
        """Display a new body with its style runs and these matches, from the line holding
        `top_offset`."""
        self._body = body
        self._runs = runs
        self._inline = InlineRuns(runs)
        self._wrapped_width = -1
        self._lines = []
        self._anchor = max(0, min(top_offset, len(body)))
        self.set_spans(spans, current)
        self._rewrap()

    def set_spans(self, spans: list[Span], current: int | None = None) -> None:
        self._spans = sorted(spans)
        self._span_ends = [end for _, end in self._spans]
        self._current = current if current is not None and 0 <= current < len(spans) else None
        self._cache.clear()
        self.refresh()

    def set_current(self, index: int | None) -> None:
        self._current = index
        self._cache.clear()
        self.refresh()
        self.scroll_to_current(always=True)

    def scroll_to_current(self, always: bool = False) -> None:
        """Put the current hit a third of the way down the view (like less -j), always
        when stepping (`always`), else only when it is out of view."""
        if self._current is None or not self._lines:
            return
        line = line_of(self._lines, self._spans[self._current][0])
        top, height = self.scroll_offset.y, max(1, self.scrollable_content_region.height)
        if not always and top <= line < top + height:
            return
        self._scroll_to_line(max(0, line - height // 3))

    def line_of_offset(self, offset: int) -> int:
        return line_of(self._lines, offset)

    def _scroll_to_line(self, line: int) -> None:
        self.scroll_to(y=line, animate=False, immediate=True)
        self._anchor = self.top_offset
        self._report_position()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self._lines and round(old) != round(new):
            self._anchor = self.top_offset
            self._report_position()

    def _report_position(self) -> None:
        first = min(max(0, self.scroll_offset.y), max(0, len(self._lines) - 1))
        last = min(len(self._lines), first + self.scrollable_content_region.height)
        self.post_message(self.Scrolled(first + 1, last, len(self._lines), self.top_offset))

    def action_half_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height // 2)
        self.scroll_to(y=self.scroll_offset.y + direction * step, animate=False)

    # -- drawing -----------------------------------------------------------------------
    def on_resize(self) -> None:
        if self._lines and self.scrollable_content_region.width == self._wrapped_width:
            self._report_position()  # only taller or shorter: the last line shown moved
        else:
            self._rewrap()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_width:
            return  # not laid out yet (on_resize comes), or nothing changed
        anchor = self.top_offset  # before the lines change under it
        self._wrapped_width = width
        measure = min(width, MEASURE)
        self._margin = (width - measure) // 2
        self._lines = layout_lines(self._body, self._runs, measure)
        self._cache.clear()
        wide = self._margin + widest(self._lines, self._body)
        self.virtual_size = Size(max(width, wide), len(self._lines))
        self.refresh()
        # The first text on screen stays first (the virtual size must be applied first).
        self.call_after_refresh(self._keep_anchor, anchor, self._wrapped_width)

    def _keep_anchor(self, anchor: int, width: int, tries: int = 20) -> None:
        if width != self._wrapped_width or not self._lines:
            return  # rewrapped again since: that rewrap keeps the place
        line = line_of(self._lines, anchor)
        laid_out = line <= self.max_scroll_y and (self.allow_vertical_scroll or line == 0)
        if not laid_out and tries:  # the new length is not laid out yet
            self.set_timer(0.02, lambda: self._keep_anchor(anchor, width, tries - 1))
            return
        self._scroll_to_line(line)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        strip = self._cache.get(index)
        if strip is None:
            text = self._line_text(index)
            if self._margin:
                text = Text(" " * self._margin, end="").append_text(text)
            strip = Strip(text.render(self.app.console)).apply_style(style)
            self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _run_style(self, kind: str) -> Style:
        component = self._RUN_CLASSES.get(kind)
        if component is not None:
            return self.get_component_rich_style(component, partial=True)
        return self._RUN_STYLES.get(kind, Style())

    def _line_text(self, index: int) -> Text:
        line = self._lines[index]
        text = line_text(self._body, line, self._inline, self._run_style)
        if line.note:
            return text
        start, end, shift = line.start, line.end, len(line.prefix)
        hit = self.get_component_rich_style("reading-view--hit", partial=True)
        current = self.get_component_rich_style("reading-view--current-hit", partial=True)
        first = bisect.bisect_right(self._span_ends, start)
        for number in range(first, len(self._spans)):
            span_start, span_end = self._spans[number]
            if span_start >= end:
                break
            chosen: Style = current if number == self._current else hit
            text.stylize(
                chosen, max(span_start, start) - start + shift, min(span_end, end) - start + shift
            )
        return text

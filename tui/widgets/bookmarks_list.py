"""The bookmarks list: title, where the section sits, when, tags, note and its status.

Every line is `rich.text.Text` built from the bookmark's fields (never markup: a note or
a title may contain `[bold]`), with terminal control characters stripped. The screen
decides what choosing one does.

Virtual (Textual's line API): the list knows each bookmark's height without laying it
out (one line per line of its text, cut at the width, never wrapped), and draws only the
lines on screen, so a page of a hundred costs what the twenty visible ones cost.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import accumulate

from partner_tui.search.text_cleaning import strip_controls
from partner_tui.tui.state.bookmark_model import Bookmark
from partner_tui.tui.state.bookmark_status import BookmarkStatus
from partner_tui.tui.widgets.list_keys import OPTION_LIST_KEYS
from partner_tui.tui.widgets.marks import BOOKMARK_MARK
from rich.containers import Lines
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

NOTE_LINES = 3
# A note line longer than this is cut in the list (the editor shows all of it): a 1 MB
# one-line note would otherwise be laid out, wrapped and drawn whole.
NOTE_LINE_CHARACTERS = 200
LABELS = {
    BookmarkStatus.MISSING: " missing ",
    BookmarkStatus.CHANGED: " changed ",
}


def when(stamp: str, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', 'yesterday', '4 days ago', else the date."""
    try:
        then = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return strip_controls(stamp[:10])
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 2 * 86400:
        return "yesterday"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)} days ago"
    return then.strftime("%Y-%m-%d")


def _plain(text: str) -> str:
    return " ".join(strip_controls(text).split())


def bookmark_prompt(bookmark: Bookmark, status: BookmarkStatus, now: datetime) -> Text:
    """The lines one bookmark shows, ending with a blank line to keep them apart."""
    prompt = Text(f"{BOOKMARK_MARK} ", style="bold")
    prompt.append(_plain(bookmark.title), style="bold")
    if status in LABELS:
        prompt.append("  ")
        prompt.append(LABELS[status], style="bold reverse")
    where = " › ".join(_plain(p) for p in (bookmark.briefing_title, *bookmark.path[:-1]) if p)
    prompt.append("\n  ")
    prompt.append(where, style="italic")
    prompt.append(f" · {when(bookmark.created_at, now)}")
    if bookmark.tags:
        prompt.append(" · ")
        prompt.append(" ".join(f"#{_plain(tag)}" for tag in bookmark.tags), style="bold")
    if status is BookmarkStatus.MISSING:
        prompt.append("\n  no longer in the briefings; titles as they were when bookmarked")
    elif status is BookmarkStatus.CHANGED:
        prompt.append("\n  the section was edited since it was bookmarked; r accepts the new text")
    if bookmark.note:
        shown = _note_lines(bookmark.note)
        for number, line in enumerate(shown):
            prompt.append("\n  ✎ " if number == 0 else "\n    ")
            prompt.append(line)
    prompt.append("\n")
    return prompt


def _note_lines(note: str) -> list[str]:
    """The first NOTE_LINES lines, each cut at NOTE_LINE_CHARACTERS, " …" where cut.
    Only the start of the note is looked at, whatever its length."""
    budget = NOTE_LINES * (NOTE_LINE_CHARACTERS + 1) + 1
    head = strip_controls(note[: budget * 2])  # room for stripped control characters
    lines = head.splitlines() or [""]
    more = len(lines) > NOTE_LINES or len(note) > budget * 2
    shown = []
    for line in lines[:NOTE_LINES]:
        if len(line) > NOTE_LINE_CHARACTERS:
            line = line[:NOTE_LINE_CHARACTERS].rstrip() + " …"
        shown.append(line)
    if more and not shown[-1].endswith(" …"):
        shown[-1] += " …"
    return shown


class _CursorKeys(ScrollView):
    """The keys of Textual's OptionList (help lists the vim-like ones of BookmarksList)."""

    BINDINGS = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]


class BookmarksList(_CursorKeys, can_focus=True):
    DEFAULT_CSS = """
    BookmarksList {
        height: 1fr;
        border: none;
        background: $surface;
    }
    BookmarksList > .bookmarks-list--highlight {
        background: $block-cursor-blurred-background;
    }
    BookmarksList:focus > .bookmarks-list--highlight {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
    }
    """
    COMPONENT_CLASSES = {"bookmarks-list--highlight"}

    BINDINGS = OPTION_LIST_KEYS

    highlighted: reactive[int | None] = reactive(None, always_update=True)

    class Chosen(Message):
        """Enter (or a click) on a bookmark."""

        def __init__(self, bookmark: Bookmark) -> None:
            super().__init__()
            self.bookmark = bookmark

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._bookmarks: list[Bookmark] = []
        self._prompts: list[Lines] = []  # each bookmark's lines
        self._tops: list[int] = [0]  # the first line of each bookmark, then the end

    @property
    def bookmarks(self) -> list[Bookmark]:
        return list(self._bookmarks)

    @property
    def option_count(self) -> int:
        return len(self._bookmarks)

    @property
    def current(self) -> Bookmark | None:
        """The highlighted bookmark."""
        if self.highlighted is None or not self._bookmarks:
            return None
        return self._bookmarks[self.highlighted]

    def show(
        self,
        bookmarks: Sequence[Bookmark],
        statuses: dict[str, BookmarkStatus],
        now: datetime,
    ) -> None:
        """Replace the list, keeping the highlight on the same bookmark when it is still
        there (or at the same place when it is gone)."""
        keep = self.current.section_id if self.current else None
        place = self.highlighted
        self._bookmarks = list(bookmarks)
        self._prompts = [
            # Its last line is the blank one that keeps bookmarks apart.
            bookmark_prompt(b, statuses.get(b.section_id, BookmarkStatus.CURRENT), now).split(
                "\n", allow_blank=True
            )
            for b in self._bookmarks
        ]
        self._tops = [0, *accumulate(len(lines) for lines in self._prompts)]
        self.virtual_size = Size(self.size.width, self._tops[-1])
        ids = [b.section_id for b in self._bookmarks]
        if not ids:
            self.highlighted = None
        elif keep in ids:
            self.highlighted = ids.index(keep)
        else:
            self.highlighted = min(place or 0, len(ids) - 1)
        self.refresh()

    # -- drawing --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.size.width
        style = self.rich_style
        if not 0 <= line < self._tops[-1]:
            return Strip.blank(width, style)
        index = bisect_right(self._tops, line) - 1
        text = self._prompts[index][line - self._tops[index]].copy()
        text.truncate(width, overflow="ellipsis")
        if index == self.highlighted:
            style = style + self.get_component_rich_style("bookmarks-list--highlight")
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, style)).extend_cell_length(width, style)

    def watch_highlighted(self, highlighted: int | None) -> None:
        if highlighted is None:
            return
        top, bottom = self._tops[highlighted], self._tops[highlighted + 1]
        height = self.scrollable_content_region.height
        if top < self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > self.scroll_offset.y + height:
            self.scroll_to(y=max(top, bottom - height), animate=False, immediate=True)
        self.refresh()

    # -- moving and choosing ----------------------------------------------------------------
    def _move_to(self, index: int) -> None:
        if self._bookmarks:
            self.highlighted = min(max(index, 0), len(self._bookmarks) - 1)

    def action_cursor_down(self) -> None:
        self._move_to(0 if self.highlighted is None else self.highlighted + 1)

    def action_cursor_up(self) -> None:
        self._move_to(0 if self.highlighted is None else self.highlighted - 1)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._bookmarks) - 1)

    def _page(self, direction: int) -> None:
        if self.highlighted is None:
            return self._move_to(0)
        line = self._tops[self.highlighted] + direction * self.scrollable_content_region.height
        self._move_to(bisect_right(self._tops, max(line, 0)) - 1)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y
        if 0 <= line < self._tops[-1]:
            self.highlighted = bisect_right(self._tops, line) - 1
            self.action_select()

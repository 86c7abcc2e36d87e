"""The bookmarks list: title, where the section sits, when, tags, note and its status.

Every line is `rich.text.Text` built from the bookmark's fields (never markup: a note or
a title may contain `[bold]`), with terminal control characters stripped. Option ids are
section ids; the screen decides what choosing one does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from partner_tui.search.text_cleaning import strip_controls
from partner_tui.tui.state.bookmark_model import Bookmark
from partner_tui.tui.state.bookmark_status import BookmarkStatus
from partner_tui.tui.widgets.list_keys import OPTION_LIST_KEYS
from partner_tui.tui.widgets.marks import BOOKMARK_MARK
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

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


class BookmarksList(OptionList):
    DEFAULT_CSS = """
    BookmarksList {
        height: 1fr;
        border: none;
        background: $surface;
    }
    BookmarksList:focus {
        border: none;
    }
    """

    BINDINGS = OPTION_LIST_KEYS

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._bookmarks: list[Bookmark] = []

    @property
    def bookmarks(self) -> list[Bookmark]:
        return list(self._bookmarks)

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
        self.set_options(
            Option(
                bookmark_prompt(b, statuses.get(b.section_id, BookmarkStatus.CURRENT), now),
                id=b.section_id,
            )
            for b in self._bookmarks
        )
        if not self._bookmarks:
            return
        ids = [b.section_id for b in self._bookmarks]
        if keep in ids:
            self.highlighted = ids.index(keep)
        else:
            self.highlighted = min(place or 0, len(ids) - 1)

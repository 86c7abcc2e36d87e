"""Your bookmarks (`B`): a filter, the list, and keys to open, edit, delete and undo.

The screen asks the app's BookmarkKeeper for the bookmarks (which guards every store call)
and the engine for each one's status; the list widget only draws. Every store call, read
or write, runs in a worker (`store_work`): the event loop never waits on SQLite; a page
read is shown when it arrives, unless a newer one was asked for meanwhile. Every change
is committed by the store at once; the keeper announces it and the app calls `reload`
(as it does when another session changed them); the screen itself reloads only to filter
and to turn the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from partner_tui.search.engine import Engine
from partner_tui.tui.app_api import partner_app
from partner_tui.tui.screens.bookmarks_edit import (
    EditLine,
    line_to_note,
    line_to_tags,
    note_to_line,
)
from partner_tui.tui.state.bookmark_keeper import BookmarkKeeper
from partner_tui.tui.state.bookmark_model import Bookmark
from partner_tui.tui.state.bookmark_status import BookmarkStatus, status_for, statuses
from partner_tui.tui.widgets.bookmarks_list import BookmarksList
from partner_tui.tui.widgets.key_bar import KeyBar
from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

EMPTY = "No bookmarks yet: press b while reading a section to bookmark it."
# Bookmarks drawn at once: a page is read from the store, so 100,000 bookmarks open as
# fast as 100 (building every option took 15 s and 500 MB at 100k).
PAGE_SIZE = 100
FILTER_DELAY = 0.15  # seconds of no typing before the filter is applied
T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    """One page read from the store, with what it was read for."""

    asked: int  # which reload asked for it: only the newest is shown
    offset: int
    matching: int
    total: int
    shown: list[Bookmark]
    statuses: dict[str, BookmarkStatus]


class BookmarksScreen(Screen[None]):
    DEFAULT_CSS = """
    BookmarksScreen > Vertical {
        border-top: heavy $accent;
        border-title-style: bold;
        border-title-align: left;
    }
    #bookmark-filter {
        margin: 0 0 1 0;
    }
    #bookmarks-empty {
        padding: 0 1;
        color: $text-muted;
    }
    """

    AUTO_FOCUS = "#bookmarks"
    BINDINGS = [
        Binding("escape,q", "close", "Close", key_display="esc", tooltip="close your bookmarks"),
        # Priority, like the explorer's `/`: keys typed in the same burst reach the filter.
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            key_display="/",
            priority=True,
            tooltip="in your bookmarks: filter by words in title, pillar, note or tags",
        ),
        Binding("e", "edit_note", "Note", tooltip="edit the selected bookmark's note"),
        Binding("t", "edit_tags", "Tags", tooltip="edit its tags, separated by commas"),
        Binding(
            "d,delete", "delete", "Delete", key_display="d", tooltip="delete the selected bookmark"
        ),
        Binding("u", "undo", "Undo", tooltip="undo the delete"),
        Binding(
            "r",
            "accept_change",
            "Accept the new text",
            show=False,
            tooltip="accept the new text of a section marked “changed”",
        ),
        Binding("down", "leave_filter", "List", show=False, tooltip="from the filter to the list"),
        Binding(
            "right_square_bracket",
            "page(1)",
            "Next page",
            key_display="]",
            show=False,
            tooltip="in your bookmarks: the next page of a long list",
        ),
        Binding(
            "left_square_bracket",
            "page(-1)",
            "Previous page",
            key_display="[",
            show=False,
            tooltip="in your bookmarks: the previous page",
        ),
    ]

    def __init__(self, keeper: BookmarkKeeper, engine: Engine) -> None:
        super().__init__()
        self.keeper = keeper
        self.engine = engine
        self._deleted: list[Bookmark] = []  # newest last: `u` puts them back in turn
        self._offset = 0  # where the page shown starts, among the matching bookmarks
        self._matching = self._total = 0
        self._filter_timer: Timer | None = None
        self._asked = 0  # reloads asked for; a page read for an older one is dropped
        self._shown_asked = 0  # the reload whose page is on screen
        self._after_page: list[Callable[[], None]] = []  # for the page asked for last

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Bookmarks"
            yield Input(
                placeholder="/ filter: words in title, pillar, note or tags", id="bookmark-filter"
            )
            yield Static(id="bookmarks-empty")
            yield BookmarksList(id="bookmarks")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    @property
    def filter_text(self) -> str:
        return self.query_one("#bookmark-filter", Input).value.strip()

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the page shown again (after a change here or in another session), in a
        worker; `then` runs once it is on screen."""
        self._asked += 1
        asked, offset, filter_text = self._asked, self._offset, self.filter_text
        if then is not None:
            self._after_page.append(then)
        keeper, engine = self.keeper, self.engine

        def read() -> Page:
            matching, shown = keeper.window(offset, PAGE_SIZE, filter_text)
            start = offset
            if offset and not shown:  # the page emptied (deletions): show the last one
                start = (max(matching, 1) - 1) // PAGE_SIZE * PAGE_SIZE
                matching, shown = keeper.window(start, PAGE_SIZE, filter_text)
            total = keeper.count() if filter_text else matching
            return Page(asked, start, matching, total, shown, statuses(shown, engine))

        self._in_worker(read, self._show_page)

    def _in_worker(self, work: Callable[[], T], then: Callable[[T], None]) -> None:
        partner_app(self.app).store_work.run_then(work, then, "bookmarks")

    def _show_page(self, page: Page) -> None:
        if page.asked != self._asked or not self.is_mounted:
            return  # a newer page is on its way, or the list was closed
        self._shown_asked = page.asked
        filter_text = self.filter_text
        self._offset, self._matching, self._total = page.offset, page.matching, page.total
        shown = page.shown
        self.query_one(BookmarksList).show(shown, page.statuses, datetime.now(UTC))
        box = self.query_one(Vertical)
        if filter_text:
            box.border_title = f"Bookmarks ({page.matching:,} of {page.total:,} match)"
        else:
            box.border_title = f"Bookmarks ({page.total:,})"
        if page.matching > PAGE_SIZE:
            last = page.offset + len(shown)
            box.border_title += f" · {page.offset + 1:,}–{last:,} shown; ] next, [ previous"
        empty = self.query_one("#bookmarks-empty", Static)
        if shown:
            empty.display = False
        else:
            empty.display = True
            message = f"No bookmark matches “{filter_text}”." if page.total else EMPTY
            empty.update(Text(message))
        after, self._after_page = self._after_page, []
        for then in after:
            then()

    def action_page(self, step: int) -> None:
        offset = self._offset + step * PAGE_SIZE
        if not 0 <= offset < self._matching:
            self.notify("No more bookmarks that way.", timeout=2)
            return
        self._offset = offset
        self.reload(then=lambda: setattr(self.query_one(BookmarksList), "highlighted", 0))

    # -- filtering ----------------------------------------------------------------------
    @on(Input.Changed, "#bookmark-filter")
    def _filter_changed(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if self._total <= PAGE_SIZE:
            self._apply_filter()  # a short list filters as you type
        else:  # a long one once typing pauses: each filter reads every bookmark
            self._filter_timer = self.set_timer(FILTER_DELAY, self._apply_filter)

    def _apply_filter(self, then: Callable[[], None] | None = None) -> None:
        self._filter_timer = None
        self._offset = 0
        self.reload(then)

    @on(Input.Submitted, "#bookmark-filter")
    def _filter_submitted(self) -> None:
        if self._filter_timer is not None:  # Enter before the pause: filter first
            self._filter_timer.stop()
            self._apply_filter(then=self._open_current)
        elif self._shown_asked != self._asked:  # the page for this filter is on its way
            self._after_page.append(self._open_current)
        else:
            self._open_current()

    def _open_current(self) -> None:
        self._open(self.query_one(BookmarksList).current)

    def action_focus_filter(self) -> None:
        field = self.query_one("#bookmark-filter", Input)
        if self.focused is field:  # in the filter, `/` is just a character
            raise SkipAction()
        self.set_focus(field)

    def action_leave_filter(self) -> None:
        self.query_one(BookmarksList).focus()

    def action_close(self) -> None:
        if self.query_one("#bookmark-filter", Input).has_focus:
            self.query_one(BookmarksList).focus()
        else:
            self.dismiss(None)

    # -- opening ------------------------------------------------------------------------
    @on(BookmarksList.Chosen)
    def _chosen(self, event: BookmarksList.Chosen) -> None:
        event.stop()
        self._open(event.bookmark)

    def _open(self, bookmark: Bookmark | None) -> None:
        if bookmark is not None:
            partner_app(self.app).open_bookmark(bookmark)

    # -- changing -----------------------------------------------------------------------
    def _current(self, doing: str) -> Bookmark | None:
        bookmark = self.query_one(BookmarksList).current
        if bookmark is None:
            self.notify(f"No bookmark to {doing}.", timeout=2)
        return bookmark

    def action_delete(self) -> None:
        bookmark = self._current("delete")
        if bookmark is None:
            return

        def deleted(removed: Bookmark | None) -> None:
            if removed is not None:
                self._deleted.append(removed)
                self.app.notify(f"Deleted “{removed.title}” — press u to undo.", markup=False)

        keeper, section_id = self.keeper, bookmark.section_id
        self._in_worker(lambda: keeper.remove(section_id), deleted)

    def action_undo(self) -> None:
        if not self._deleted:
            self.notify("Nothing to undo.", timeout=2)
            return
        bookmark = self._deleted.pop()

        def restored(done: bool) -> None:
            if done:
                self.app.notify(f"Restored “{bookmark.title}”.", markup=False, timeout=3)
            else:
                self._deleted.append(bookmark)  # failed (and said why): `u` can try again

        keeper = self.keeper
        self._in_worker(lambda: keeper.restore(bookmark), restored)

    def action_accept_change(self) -> None:
        bookmark = self._current("update")
        if bookmark is None:
            return
        status = status_for(bookmark, self.engine)
        if status is BookmarkStatus.MISSING:
            self.notify("Its section is gone; there is no new text to take.", timeout=3)
        elif status is BookmarkStatus.CURRENT:
            self.notify(f"“{bookmark.title}” has not changed.", markup=False, timeout=3)
        else:
            section, keeper = self.engine.section(bookmark.section_id), self.keeper
            message = f"“{bookmark.title}” now marks the new text."
            self._in_worker(lambda: keeper.refresh(section), self._told(message))

    def action_edit_note(self) -> None:
        bookmark = self._current("edit")
        if bookmark is None:
            return

        def save(line: str | None) -> None:
            if line is None:
                return
            note, keeper = line_to_note(line), self.keeper
            message = f"Saved the note on “{bookmark.title}”."
            self._in_worker(lambda: keeper.set_note(bookmark.section_id, note), self._told(message))

        prompt = EditLine(
            "Note",
            bookmark.title,
            note_to_line(bookmark.note),
            "¶ starts a new line; an empty note removes it",
        )
        self.app.push_screen(prompt, save)

    def action_edit_tags(self) -> None:
        bookmark = self._current("tag")
        if bookmark is None:
            return

        def save(line: str | None) -> None:
            if line is None:
                return
            tags, keeper = line_to_tags(line), self.keeper
            message = f"Saved the tags on “{bookmark.title}”."
            self._in_worker(lambda: keeper.set_tags(bookmark.section_id, tags), self._told(message))

        prompt = EditLine(
            "Tags", bookmark.title, ", ".join(bookmark.tags), "separate tags with commas"
        )
        self.app.push_screen(prompt, save)

    def _told(self, message: str) -> Callable[[object], None]:
        """A callback saying `message` when the store call it follows succeeded."""

        def tell(result: object) -> None:
            if result:
                self.app.notify(message, markup=False, timeout=3)

        return tell

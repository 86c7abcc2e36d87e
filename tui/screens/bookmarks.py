"""Your bookmarks (`B`): a filter, the list, and keys to open, edit, delete and undo.

The screen asks the app's BookmarkKeeper for the bookmarks (which guards every store call)
and the engine for each one's status; the list widget only draws. Every change is
committed by the store at once; the keeper announces it and the app calls `reload` (as it
does when another session changed them); the screen itself reloads only to filter.
"""

from __future__ import annotations

from datetime import UTC, datetime

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
from partner_tui.tui.widgets.steady_footer import SteadyFooter
from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static

EMPTY = "No bookmarks yet: press b while reading a section to bookmark it."
# Bookmarks drawn at once: a page is read from the store, so 100,000 bookmarks open as
# fast as 100 (building every option took 15 s and 500 MB at 100k).
PAGE_SIZE = 100
FILTER_DELAY = 0.15  # seconds of no typing before the filter is applied


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

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Bookmarks"
            yield Input(
                placeholder="/ filter: words in title, pillar, note or tags", id="bookmark-filter"
            )
            yield Static(id="bookmarks-empty")
            yield BookmarksList(id="bookmarks")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.reload()

    @property
    def filter_text(self) -> str:
        return self.query_one("#bookmark-filter", Input).value.strip()

    def reload(self) -> None:
        """Read the page shown again (after a change here or in another session)."""
        filter_text = self.filter_text
        matching, shown = self.keeper.window(self._offset, PAGE_SIZE, filter_text)
        if self._offset and not shown:  # the page emptied (deletions): show the last one
            self._offset = (max(matching, 1) - 1) // PAGE_SIZE * PAGE_SIZE
            matching, shown = self.keeper.window(self._offset, PAGE_SIZE, filter_text)
        total = self.keeper.count() if filter_text else matching
        self._matching, self._total = matching, total
        self.query_one(BookmarksList).show(shown, statuses(shown, self.engine), datetime.now(UTC))
        box = self.query_one(Vertical)
        if filter_text:
            box.border_title = f"Bookmarks ({matching:,} of {total:,} match)"
        else:
            box.border_title = f"Bookmarks ({total:,})"
        if matching > PAGE_SIZE:
            last = self._offset + len(shown)
            box.border_title += f" · {self._offset + 1:,}–{last:,} shown; ] next, [ previous"
        empty = self.query_one("#bookmarks-empty", Static)
        if shown:
            empty.display = False
        else:
            empty.display = True
            message = f"No bookmark matches “{filter_text}”." if total else EMPTY
            empty.update(Text(message))

    def action_page(self, step: int) -> None:
        offset = self._offset + step * PAGE_SIZE
        if not 0 <= offset < self._matching:
            self.notify("No more bookmarks that way.", timeout=2)
            return
        self._offset = offset
        self.reload()
        self.query_one(BookmarksList).highlighted = 0

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

    def _apply_filter(self) -> None:
        self._filter_timer = None
        self._offset = 0
        self.reload()

    @on(Input.Submitted, "#bookmark-filter")
    def _filter_submitted(self) -> None:
        if self._filter_timer is not None:  # Enter before the pause: filter first
            self._filter_timer.stop()
            self._apply_filter()
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
    @on(OptionList.OptionSelected, "#bookmarks")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(self.query_one(BookmarksList).current)

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
        removed = self.keeper.remove(bookmark.section_id)
        if removed is not None:
            self._deleted.append(removed)
            self.notify(f"Deleted “{removed.title}” — press u to undo.", markup=False)

    def action_undo(self) -> None:
        if not self._deleted:
            self.notify("Nothing to undo.", timeout=2)
            return
        bookmark = self._deleted.pop()
        if self.keeper.restore(bookmark):
            self.notify(f"Restored “{bookmark.title}”.", markup=False, timeout=3)
        else:
            self._deleted.append(bookmark)  # failed (and said why): `u` can try again

    def action_accept_change(self) -> None:
        bookmark = self._current("update")
        if bookmark is None:
            return
        status = status_for(bookmark, self.engine)
        if status is BookmarkStatus.MISSING:
            self.notify("Its section is gone; there is no new text to take.", timeout=3)
        elif status is BookmarkStatus.CURRENT:
            self.notify(f"“{bookmark.title}” has not changed.", markup=False, timeout=3)
        elif self.keeper.refresh(self.engine.section(bookmark.section_id)):
            self.notify(f"“{bookmark.title}” now marks the new text.", markup=False, timeout=3)

    def action_edit_note(self) -> None:
        bookmark = self._current("edit")
        if bookmark is None:
            return

        def save(line: str | None) -> None:
            if line is None:
                return
            if self.keeper.set_note(bookmark.section_id, line_to_note(line)):
                self.notify(f"Saved the note on “{bookmark.title}”.", markup=False, timeout=3)

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
            if self.keeper.set_tags(bookmark.section_id, line_to_tags(line)):
                self.notify(f"Saved the tags on “{bookmark.title}”.", markup=False, timeout=3)

        prompt = EditLine(
            "Tags", bookmark.title, ", ".join(bookmark.tags), "separate tags with commas"
        )
        self.app.push_screen(prompt, save)

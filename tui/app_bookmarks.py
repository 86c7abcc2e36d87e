"""The app's bookmark keys and palette entries: b, B (the list), ]/[ through the
bookmarks, opening one, and the marks the screens show.

A base of PartnerApp. All store calls go through the app's BookmarkKeeper (which turns
store errors into notifications) and run in its store workers: the event loop never waits
on SQLite. The app polls the store every second and on focus, so another session's
changes show up.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from partner_tui.search.text_cleaning import strip_controls
from partner_tui.tui.screens.explorer import ExplorerScreen
from partner_tui.tui.state.bookmark_keeper import Severity, step_through
from partner_tui.tui.state.bookmark_model import Bookmark
from textual.app import App
from textual.reactive import var

if TYPE_CHECKING:
    from partner_tui.search.engine import Engine
    from partner_tui.tui.state.bookmark_keeper import BookmarkKeeper
    from partner_tui.tui.store_work import StoreWork


BOOKMARKS_SCREEN_MODULE = "partner_tui.tui.screens.bookmarks"


class BookmarkKeys(App[Any]):
    # Set by PartnerApp.
    engine: Engine
    bookmarks: BookmarkKeeper
    store_work: StoreWork

    bookmarked_ids: var[frozenset[str]] = var(frozenset())
    """Section ids that carry a bookmark mark. Set by whoever owns the bookmark store."""

    current_section_id: var[str | None] = var(None)
    """The section being read; read-only for other parts (set by the explorer)."""

    @property
    def explorer(self) -> ExplorerScreen:
        for screen in self.screen_stack:
            if isinstance(screen, ExplorerScreen):
                return screen
        raise LookupError("the explorer screen is not open")

    def _back_to_explorer(self) -> None:
        """Close the bookmarks list if it is on top, so an opened section is seen."""
        while _is_bookmarks_list(self.screen):
            self.pop_screen()

    def _poll_bookmarks(self) -> None:
        self.store_work.run(self.bookmarks.poll, "bookmarks")

    def _bookmark_problem(self, message: str, severity: Severity) -> None:
        self.notify(message, severity=severity, timeout=8, markup=False)

    def _bookmarks_changed(self, ids: frozenset[str]) -> None:
        self.bookmarked_ids = ids
        for screen in self.screen_stack:
            if _is_bookmarks_list(screen):
                screen.reload()  # type: ignore[attr-defined]

    def bookmark_list(self) -> list[Bookmark]:
        """The bookmarks, for the palette (nothing, and no complaint, when they are off)."""
        return self.bookmarks.list() if self.bookmarks.available else []

    def open_bookmark(self, bookmark: Bookmark) -> None:
        """Read a bookmarked section; for one whose section is gone, say so and show what
        it was (the bookmark itself is kept)."""
        if not self.engine.has_section(bookmark.section_id):
            where = strip_controls(" › ".join((bookmark.briefing_title, *bookmark.path)))
            self.notify(
                f"Missing: “{where}” is no longer in the briefings (its heading was renamed "
                f"or removed since {bookmark.created_at[:10]}). The bookmark is kept; "
                "delete it with d in the bookmarks list.",
                severity="warning",
                timeout=8,
                markup=False,
            )
            return
        self._back_to_explorer()
        self.explorer.read_section(bookmark.section_id)

    def action_toggle_bookmark(self) -> None:
        section = self.explorer.section
        if section is None:
            self.notify("Open a section first.", timeout=2)
            return
        self.toggle_bookmark_of(section.id)

    def toggle_bookmark_of(self, section_id: str) -> None:
        """Bookmark a section, or remove its bookmark, and say which happened. The store
        is written from a worker: the event loop never waits on SQLite."""
        section = self.engine.section(section_id)

        def toggle() -> None:
            bookmarked = self.bookmarks.toggle(section)
            if bookmarked is not None:
                done = "Bookmarked" if bookmarked else "Removed the bookmark on"
                message = f"{done} “{section.title}”."
                self.store_work.on_loop(lambda: self.notify(message, timeout=3, markup=False))()

        self.store_work.run(toggle, "bookmarks")

    def action_show_bookmarks(self) -> None:
        if not self.bookmarks.available:
            self._bookmark_problem(f"Bookmarks are off: {self.bookmarks.unavailable}.", "warning")
        elif not _is_bookmarks_list(self.screen):
            from partner_tui.tui.screens.bookmarks import BookmarksScreen

            self.push_screen(BookmarksScreen(self.bookmarks, self.engine))

    def action_next_bookmark(self) -> None:
        self._step_bookmark(1)

    def action_previous_bookmark(self) -> None:
        self._step_bookmark(-1)

    def _step_bookmark(self, step: int) -> None:
        if not self.bookmarks.available:
            self.bookmarks.list()  # says why
            return
        self.store_work.run_then(
            self.bookmarks.list, lambda found: self._step_to(found, step), "bookmarks"
        )

    def _step_to(self, bookmarks: list[Bookmark], step: int) -> None:
        target, wrapped = step_through(
            bookmarks, self.engine.briefings, self.current_section_id, step
        )
        if target is None:
            if bookmarks:
                self.notify("None of your bookmarked sections is in these briefings any more.")
            else:
                self.notify("No bookmarks to go to: press b to bookmark the section you read.")
            return
        if wrapped:
            where = "first" if step > 0 else "last"
            self.notify(f"Continuing from the {where} bookmark.", timeout=2)
        self.open_bookmark(target)


def _is_bookmarks_list(screen: object) -> bool:
    """Whether `screen` is the bookmarks list. Its module is imported by the first `B`
    (it is not needed for the first screen); before that, no screen can be one."""
    module = sys.modules.get(BOOKMARKS_SCREEN_MODULE)
    return module is not None and isinstance(screen, module.BookmarksScreen)

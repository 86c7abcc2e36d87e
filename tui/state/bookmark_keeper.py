"""The app's side of the bookmark store: every call guarded, every change announced.

The store is plain Python and may raise `BookmarkStoreError` on any call (a busy or
unwritable file); here that becomes a notification, never a traceback, and reading goes
on. After each change the keeper reports the new set of bookmarked ids, so the tree,
the results and an open bookmarks list redraw. It also polls for other sessions' commits.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, TypeVar

from partner_tui.search.model import Briefing, Section
from partner_tui.tui.state.bookmark_model import Bookmark, snapshot_of
from partner_tui.tui.state.bookmark_status import reading_order, reading_positions
from partner_tui.tui.state.bookmark_store import BookmarkStore, BookmarkStoreError

T = TypeVar("T")
# How bad a problem is, in the words of Textual's notifications (which this must not import).
Severity = Literal["information", "warning", "error"]
NOT_OPENED = "no bookmarks file was opened for this session"


class BookmarkKeeper:
    """`notify(message, severity)` reports problems; `changed(ids)` hears of every change."""

    def __init__(
        self,
        store: BookmarkStore | None,
        notify: Callable[[str, Severity], None],
        changed: Callable[[frozenset[str]], None],
        unavailable: str | None = None,
    ) -> None:
        self._store = store
        self._notify = notify
        self._changed = changed
        self.unavailable = unavailable or NOT_OPENED
        # Bookmarks taken off with `b`, so a second `b` puts back their note and tags too.
        self._taken_off: dict[str, Bookmark] = {}

    @property
    def available(self) -> bool:
        return self._store is not None

    def _call(self, doing: str, call: Callable[[BookmarkStore], T], fallback: T) -> T:
        if self._store is None:
            self._notify(f"Bookmarks are off in this session: {self.unavailable}.", "warning")
            return fallback
        try:
            return call(self._store)
        except BookmarkStoreError as error:
            self._notify(f"Could not {doing}: {error}", "error")
            return fallback

    def _announce(self) -> None:
        if self._store is None:
            return
        try:
            ids = self._store.ids()
        except BookmarkStoreError as error:
            self._notify(f"Could not read the bookmarks: {error}", "error")
            return
        self._changed(ids)

    # -- reading ----------------------------------------------------------------------
    def load(self) -> None:
        """Tell the app which sections are bookmarked (at start, silently when off)."""
        self._announce()

    def list(self, filter_text: str | None = None) -> list[Bookmark]:
        return self._call("read the bookmarks", lambda store: store.list(filter_text), [])

    def window(
        self, offset: int, limit: int, filter_text: str | None = None
    ) -> tuple[int, builtins.list[Bookmark]]:
        """(how many match, a page of them); see BookmarkStore.window."""
        nothing: tuple[int, builtins.list[Bookmark]] = (0, [])
        return self._call(
            "read the bookmarks", lambda store: store.window(offset, limit, filter_text), nothing
        )

    def count(self) -> int:
        return self._call("count the bookmarks", len, 0)

    def poll(self) -> bool:
        """Whether another session changed the bookmarks since the last poll; if so the
        change is announced. Quiet when off or when the file is busy (the next poll retries)."""
        if self._store is None:
            return False
        try:
            changed = self._store.has_changed()
        except BookmarkStoreError:
            return False
        if changed:
            self._announce()
        return changed

    # -- changing ---------------------------------------------------------------------
    def toggle(self, section: Section) -> bool | None:
        """Bookmark the section, or take its bookmark off; None when that failed."""

        def toggle(store: BookmarkStore) -> bool:
            before = store.get(section.id)
            on = store.toggle(snapshot_of(section), kept=self._taken_off.get(section.id))
            if on:
                self._taken_off.pop(section.id, None)
            elif before is not None:
                self._taken_off[section.id] = before
            return on

        result = self._call("change the bookmark", toggle, None)
        if result is not None:
            self._announce()
        return result

    def refresh(self, section: Section) -> Bookmark | None:
        """Take the section's text as it is now (a "changed" bookmark becomes current);
        the note and tags stay."""
        saved = self._call(
            "update the bookmark", lambda store: store.add(snapshot_of(section)), None
        )
        self._announce()
        return saved

    def remove(self, section_id: str) -> Bookmark | None:
        removed = self._call("delete the bookmark", lambda store: store.remove(section_id), None)
        self._announce()
        return removed

    def restore(self, bookmark: Bookmark) -> bool:

        def restore(store: BookmarkStore) -> bool:
            store.restore(bookmark)
            return True

        done = self._call("restore the bookmark", restore, False)
        self._announce()
        return done

    def set_note(self, section_id: str, note: str | None) -> Bookmark | None:
        saved = self._call("save the note", lambda store: store.set_note(section_id, note), None)
        self._announce()
        return saved

    def set_tags(self, section_id: str, tags: Iterable[str]) -> Bookmark | None:
        saved = self._call("save the tags", lambda store: store.set_tags(section_id, tags), None)
        self._announce()
        return saved

    def close(self) -> None:
        store, self._store = self._store, None
        self.unavailable = "the session is ending"
        if store is not None:
            try:
                store.close()
            except BookmarkStoreError:
                pass  # closing at exit: nothing is left unsaved (every change committed)


def step_through(
    bookmarks: Iterable[Bookmark],
    briefings: Sequence[Briefing],
    current: str | None,
    step: int,
) -> tuple[Bookmark | None, bool]:
    """The next (step 1) or previous (-1) bookmark after `current` in reading order, and
    whether that wrapped around. Bookmarks whose section is missing have no place in the
    text and are skipped; (None, False) when none is left."""
    position = reading_positions(briefings)
    ordered = [b for b in reading_order(bookmarks, briefings) if b.section_id in position]
    if not ordered:
        return None, False
    here = position.get(current or "")
    if here is None:
        return (ordered[0], False) if step > 0 else (ordered[-1], False)
    if step > 0:
        after = [b for b in ordered if position[b.section_id] > here]
        return (after[0], False) if after else (ordered[0], True)
    before = [b for b in ordered if position[b.section_id] < here]
    return (before[-1], False) if before else (ordered[-1], True)

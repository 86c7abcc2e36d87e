"""Textual's event loop never takes the engine's lock or touches SQLite: searches, the
index build, highlights, bookmark and preference writes and corpus updates all happen in
workers. The lock and every SQLite call are instrumented and their calling thread is
compared with the loop's while a Pilot session does all of those things."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from partner_tui.tui.screens.bookmarks import BookmarksScreen
from partner_tui.tui.state.bookmark_store import BookmarkStore
from partner_tui.tui.widgets.bookmarks_list import BookmarksList
from support_app import ORCHARD, palette, run_async, settle, type_query
from support_app_bookmarks import app_with_bookmarks, bookmarks_path
from test_library_watch import _until

calls: list[tuple[str, int]] = []


class RecordingLock:
    def __init__(self) -> None:
        self._lock = threading.Lock()

    def acquire(self, *args, **kwargs) -> bool:
        calls.append(("engine lock", threading.get_ident()))
        return self._lock.acquire(*args, **kwargs)

    def release(self) -> None:
        self._lock.release()

    __enter__ = acquire

    def __exit__(self, *exc) -> None:
        self.release()


class RecordingConnection(sqlite3.Connection):
    def _record(self) -> None:
        calls.append(("sqlite", threading.get_ident()))

    def execute(self, *args, **kwargs):
        self._record()
        return super().execute(*args, **kwargs)

    def executemany(self, *args, **kwargs):
        self._record()
        return super().executemany(*args, **kwargs)

    def executescript(self, *args, **kwargs):
        self._record()
        return super().executescript(*args, **kwargs)

    def cursor(self, *args, **kwargs):
        self._record()
        return super().cursor(*args, **kwargs)

    def commit(self):
        self._record()
        return super().commit()

    def __enter__(self):
        self._record()
        return super().__enter__()


def _listed(app) -> int | None:
    """How many bookmarks the open bookmarks list shows (None: it is not open)."""
    if not isinstance(app.screen, BookmarksScreen) or not app.screen.is_mounted:
        return None
    return app.screen.query_one(BookmarksList).option_count


@pytest.fixture
def recorded_sqlite(monkeypatch):
    real = sqlite3.connect

    def connect(*args, **kwargs):
        calls.append(("sqlite", threading.get_ident()))
        return real(*args, factory=RecordingConnection, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)


@run_async
async def test_the_event_loop_never_takes_the_engine_lock_or_touches_sqlite(
    tmp_path, recorded_sqlite
):
    bookmarks_path(tmp_path).parent.mkdir(parents=True, exist_ok=True)
    store = BookmarkStore.at(bookmarks_path(tmp_path))
    app = app_with_bookmarks(tmp_path, store)
    app.engine._lock = RecordingLock()
    corpus = app.engine.corpus.root
    async with app.run_test(size=(120, 40)) as pilot:
        calls.clear()
        loop_thread = threading.get_ident()
        await settle(pilot)
        await type_query(pilot, "kelp")  # search, snippets, highlights
        await settle(pilot)
        await pilot.press("enter")  # open the top result: its highlights
        await settle(pilot)
        await pilot.press("b")  # bookmark it: an SQLite write
        await settle(pilot)
        app.open_section("orchard/pruning")  # preferences saved
        polled = threading.Event()
        store.has_changed = lambda real=store.has_changed: polled.set() or real()
        await _until(pilot, polled.is_set)  # a bookmark poll (every second)
        await settle(pilot)
        (corpus / "orchard.md").write_text(ORCHARD + "\n## Cider\nPress the kelp.\n", "utf-8")
        await _until(pilot, lambda: app.engine.has_section("orchard/cider"))
        await settle(pilot)
        await pilot.press("m")  # next bookmark: the list is read, then the section opens
        await _until(pilot, lambda: app.current_section_id != "orchard/pruning")
        await pilot.press("B")  # the bookmarks list: its page, counts and statuses
        await _until(pilot, lambda: _listed(app) == 1)
        await pilot.press("d")  # delete, then undo: writes
        await _until(pilot, lambda: _listed(app) == 0)
        await pilot.press("u")
        await _until(pilot, lambda: _listed(app) == 1)
        await pilot.press("escape")
        await palette(pilot, "Go to bookmark")  # the palette reads the bookmarks too
        await settle(pilot)
        on_loop = [what for what, thread in calls if thread == loop_thread]
        elsewhere = {what for what, thread in calls if thread != loop_thread}
        assert len(store.ids()) == 1  # the bookmark was written (from a worker)
        assert app.current_section_id != "orchard/pruning"  # `m` went to the bookmark
    assert on_loop == []
    # The instruments saw the work, so this test can fail: it happened, just not here.
    assert elsewhere == {"engine lock", "sqlite"}

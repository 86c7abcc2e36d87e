"""Bookmarks shared with other sessions and a store that fails: another session's change
shows within a second (or on coming back to the window), a damaged file is moved aside, a
locked one is reported, and without a store the app runs with bookmarks off."""

from __future__ import annotations

from partner_tui.tui.screens.explorer import ExplorerScreen
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from support_app import quiesce, run_async, screen_text, settle, wait_until
from support_app_bookmarks import (
    OVERVIEW,
    PLANTING,
    PRUNING,
    app_with_bookmarks,
    bookmark,
    messages,
    other_session,
)


@run_async
async def test_a_change_made_by_another_session_shows_within_a_second(tmp_path):
    app = app_with_bookmarks(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PillarsTree)
        with other_session(tmp_path) as other:
            bookmark(other, app.engine, PRUNING, note="from the other window")
        # The app polls every second; allow one poll and some slack for a busy machine.
        assert await wait_until(pilot, lambda: tree.label_of(PRUNING).plain.startswith("★ "), 2)

        await pilot.press("B")
        await quiesce(pilot)
        with other_session(tmp_path) as other:
            bookmark(other, app.engine, PLANTING)
            other.set_note(PRUNING, "edited elsewhere")
        assert await wait_until(
            pilot, lambda: "Bookmarks (2)" in screen_text(app) and "✎ edited" in screen_text(app), 2
        ), screen_text(app)
        assert "✎ edited elsewhere" in screen_text(app)


@run_async
async def test_a_damaged_bookmarks_file_is_moved_aside_and_the_app_says_where(tmp_path):
    from partner_tui.tui.state.bookmark_store import BookmarkStore
    from support_app_bookmarks import bookmarks_path

    path = bookmarks_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 20)
    store = BookmarkStore.at(path)
    app = app_with_bookmarks(tmp_path, store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        said = " ".join(messages(app))
        moved = next(path.parent.glob("bookmarks.db.corrupt-*"))
        assert str(moved) in said
        await pilot.press("b")  # and bookmarks work in the fresh file
        await quiesce(pilot)
        assert app.bookmarked_ids == {OVERVIEW}
    assert moved.read_bytes().startswith(b"this is not a database")


@run_async
async def test_a_locked_bookmarks_file_is_reported_and_reading_goes_on(tmp_path):
    from partner_tui.tui.state.bookmark_store import BookmarkStore
    from support_app_bookmarks import bookmarks_path

    store = BookmarkStore.at(bookmarks_path(tmp_path), timeout=0.1)
    app = app_with_bookmarks(tmp_path, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with other_session(tmp_path) as other:
            other._db.execute("BEGIN IMMEDIATE")  # another session in a long write
            await pilot.press("b")
            await app.workers.wait_for_complete()  # the write is tried off the event loop
            await quiesce(pilot)
            other._db.execute("ROLLBACK")
        said = " ".join(messages(app))
        assert "Could not change the bookmark" in said and "locked by another session" in said
        assert app.bookmarked_ids == frozenset()
        await pilot.press("b")  # free again: works
        await app.workers.wait_for_complete()
        await quiesce(pilot)
        assert app.bookmarked_ids == {OVERVIEW}


@run_async
async def test_without_a_store_the_app_runs_and_b_says_bookmarks_are_off(tmp_path):
    from support_app import make_app, write_corpus

    app = make_app(
        tmp_path, write_corpus(tmp_path / "corpus"), bookmarks_off="the disk is read-only"
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b", "B", "m")
        await quiesce(pilot)
        assert isinstance(app.screen, ExplorerScreen)
        said = messages(app)
        assert said.count("Bookmarks are off in this session: the disk is read-only.") == 2
        assert "Bookmarks are off: the disk is read-only." in said


@run_async
async def test_coming_back_to_the_window_picks_up_another_sessions_change(tmp_path):
    from textual import events

    app = app_with_bookmarks(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with other_session(tmp_path) as other:
            bookmark(other, app.engine, PRUNING)
        app.post_message(events.AppFocus())  # well before the next one-second poll
        # Well under the one-second poll: it was the focus that looked.
        assert await wait_until(pilot, lambda: app.bookmarked_ids == {PRUNING}, 0.5)

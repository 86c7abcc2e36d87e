"""One person's bookmarks at scale: 100,000 open a page at a time, filtering in SQLite
agrees with `Bookmark.matches`, and a 1 MB note is cut in the list but whole in the editor."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from partner_tui.tui.screens.bookmarks import PAGE_SIZE, BookmarksScreen
from partner_tui.tui.screens.bookmarks_edit import EditLine
from partner_tui.tui.state.bookmark_schema import COLUMNS
from partner_tui.tui.state.bookmark_status import BookmarkStatus
from partner_tui.tui.state.bookmark_store import BookmarkStore
from partner_tui.tui.widgets.bookmarks_list import NOTE_LINE_CHARACTERS, bookmark_prompt
from support_app import paste, run_async, screen_text, settle, wait_until
from support_app_bookmarks import PLANTING, app_with_bookmarks, bookmark, bookmarks_path
from support_cases import cases
from test_bookmark_edges import NOW

MANY = 100_000


def _fill(store: BookmarkStore, count: int) -> None:
    """`count` bookmarks straight into SQLite (the store's own add is one commit each)."""
    rows = (
        (f"gone/b{n:06d}", "gone", "Old Briefing", "Pillar", f"Title {n:06d}",
         json.dumps(["Pillar", f"Title {n:06d}"]), "", f"note {n}", '["tag"]',
         f"2026-01-01T00:00:00.{n:06d}Z", "2026-01-01T00:00:00.000Z")
        for n in range(count)
    )  # fmt: skip
    store._db.execute("BEGIN")
    store._db.executemany(
        f"INSERT INTO bookmarks ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        rows,
    )
    store._db.execute("COMMIT")


@run_async
async def test_a_hundred_thousand_bookmarks_open_one_page_at_a_time(tmp_path):
    store = BookmarkStore.at(bookmarks_path(tmp_path))
    _fill(store, MANY)
    app = app_with_bookmarks(tmp_path, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        listing = screen.query_one("#bookmarks")
        assert listing.option_count == PAGE_SIZE  # not 100,000 options
        assert "(100,000)" in screen.query_one("Vertical").border_title
        assert listing.current.title == "Title 000000"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert listing.current.title == f"Title {PAGE_SIZE:06d}"
        assert (
            f"{PAGE_SIZE + 1:,}–{2 * PAGE_SIZE:,} shown"
            in screen.query_one("Vertical").border_title
        )
        await pilot.press("slash")
        await paste(pilot, "099999")
        # The filter runs once typing pauses: wait for its answer, not for a fixed time.
        await wait_until(pilot, lambda: len(listing.bookmarks) == 1)
        assert [b.title for b in listing.bookmarks] == ["Title 099999"]
        assert "(1 of 100,000 match)" in screen.query_one("Vertical").border_title


NAMES = st.sampled_from(["Kelp", "kelp", "Ärger", 'say "hi"', "a\\b", "[x]", "a, b", "ß"])


@settings(max_examples=cases(60), deadline=None)
@given(
    titles=st.lists(NAMES, min_size=1, max_size=6),
    path=st.lists(NAMES, max_size=3),
    tags=st.lists(NAMES, max_size=3),
    words=st.lists(st.sampled_from(["kelp", "ärger", '"hi"', "\\", "[x", ",", "ss", "say"]),
                   max_size=2),
)  # fmt: skip
def test_filtering_a_page_agrees_with_bookmark_matches(tmp_path_factory, titles, path, tags, words):
    store = BookmarkStore.at(tmp_path_factory.mktemp("filter") / "bookmarks.db")
    with store:
        from support_bookmarks import snapshot

        for number, title in enumerate(titles):
            snap = snapshot(f"b/s{number}", title)
            store.add(snap.__class__(**{**snap.__dict__, "path": (*path, title)}), tags=tags)
        text = " ".join(words)
        oracle = [b.section_id for b in store.list() if b.matches(text)]
        assert [b.section_id for b in store.window(0, 100, text)[1]] == oracle
        assert store.window(0, 1, text)[0] == len(oracle)


@run_async
async def test_a_megabyte_note_is_cut_in_the_list_and_whole_in_the_editor(tmp_path):
    note = "kelp " * 200_000  # 1 MB on one line
    store = BookmarkStore.at(bookmarks_path(tmp_path))
    app = app_with_bookmarks(tmp_path, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bookmark(store, app.engine, PLANTING, note=note)
        (saved,) = store.list()
        shown = bookmark_prompt(saved, BookmarkStatus.CURRENT, NOW).plain
        assert len(shown) < 4 * NOTE_LINE_CHARACTERS and "kelp kelp …" in shown
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditLine)
        assert app.screen.query_one("Input").value == note.strip()


@run_async
async def test_the_list_follows_the_highlight_and_draws_it(tmp_path):
    """The list draws only the lines on screen (Textual's line API): moving the highlight
    to the end of a page scrolls it into view, drawn in the cursor's colours."""
    store = BookmarkStore.at(bookmarks_path(tmp_path))
    _fill(store, 250)
    app = app_with_bookmarks(tmp_path, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        listing = app.screen.query_one("#bookmarks")
        assert "Title 000099" not in screen_text(app)
        await pilot.press("G")
        await settle(pilot)
        assert listing.current.title == f"Title {PAGE_SIZE - 1:06d}"
        assert "Title 000099" in screen_text(app)
        await pilot.press("k", "k")
        await settle(pilot)
        assert listing.current.title == f"Title {PAGE_SIZE - 3:06d}"
        cursor = listing.get_component_rich_style("bookmarks-list--highlight").bgcolor
        rows = screen_text(app).splitlines()
        region = listing.content_region
        drawn = {
            rows[region.y + y].strip()[:14]: {s.style.bgcolor for s in listing.render_line(y)}
            for y in range(region.height)
        }
        assert drawn[f"★ Title {PAGE_SIZE - 3:06d}"] == {cursor}
        assert cursor not in drawn[f"★ Title {PAGE_SIZE - 1:06d}"]

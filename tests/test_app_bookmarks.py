"""Bookmarks in the explorer: b marks and saves at once, B lists, m/M step, the palette."""

from __future__ import annotations

from partner_tui.tui.screens.bookmarks import BookmarksScreen
from partner_tui.tui.screens.explorer import ExplorerScreen
from partner_tui.tui.widgets.bookmarks_list import BookmarksList
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.reading_view import ReadingView
from support_app import palette, paste, quiesce, run_async, screen_text, search_for, settle
from support_app_bookmarks import (
    OVERVIEW,
    PLANTING,
    PRUNING,
    TOOLS,
    app_with_bookmarks,
    bookmark,
    messages,
    other_session,
)


@run_async
async def test_b_marks_the_section_in_tree_and_results_and_saves_it_at_once(tmp_path):
    app = app_with_bookmarks(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        app.open_section(TOOLS)
        await pilot.press("escape")  # out of the search bar: b is a key again
        await pilot.press("b")
        await quiesce(pilot)
        tree = app.screen.query_one(PillarsTree)
        assert tree.label_of(TOOLS).plain.startswith("★ ")
        assert screen_text(app).count("★") == 2  # the tree and the result
        assert "Bookmarked “Tools for Harvesting”." in messages(app)
        with other_session(tmp_path) as other:  # committed, visible to anyone now
            assert other.ids() == {TOOLS}

        await pilot.press("b")
        await quiesce(pilot)
        assert not tree.label_of(TOOLS).plain.startswith("★")
        assert "★" not in screen_text(app)
        assert "Removed the bookmark on “Tools for Harvesting”." in messages(app)
        with other_session(tmp_path) as other:
            assert other.ids() == frozenset()


@run_async
async def test_b_again_after_removing_gives_back_the_note_and_tags(tmp_path):
    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        bookmark(other, app.engine, TOOLS, note="sharpen first", tags=["gear"])
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.open_section(TOOLS)
        await pilot.press("b", "b")
        await quiesce(pilot)
    with other_session(tmp_path) as other:
        kept = other.get(TOOLS)
    assert kept is not None and kept.note == "sharpen first" and kept.tags == ("gear",)


@run_async
async def test_B_lists_bookmarks_with_pillar_note_and_tags_and_enter_opens_one(tmp_path):
    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        bookmark(other, app.engine, TOOLS, note="sharpen the knives", tags=["gear"])
        bookmark(other, app.engine, PRUNING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        shown = screen_text(app)
        assert "Bookmarks (2)" in shown
        assert "★ Tools for Harvesting" in shown
        assert "Field Guide to Tidal Gardens › Harvesting · just now · #gear" in shown
        assert "✎ sharpen the knives" in shown
        assert "★ Pruning" in shown and "Orchard Notes · just now" in shown
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen)
        assert app.current_section_id == PRUNING
        assert app.screen.query_one(ReadingView).has_focus


@run_async
async def test_d_deletes_and_u_undoes_with_note_kept(tmp_path):
    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        bookmark(other, app.engine, TOOLS, note="sharpen the knives")
        bookmark(other, app.engine, PRUNING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        await pilot.press("d")
        await quiesce(pilot)
        assert "Deleted “Tools for Harvesting” — press u to undo." in messages(app)
        assert "Tools for Harvesting" not in screen_text(app)
        assert app.bookmarked_ids == {PRUNING}
        with other_session(tmp_path) as other:
            assert other.ids() == {PRUNING}
        await pilot.press("u")
        await quiesce(pilot)
        assert "★ Tools for Harvesting" in screen_text(app)
        assert app.bookmarked_ids == {TOOLS, PRUNING}
    with other_session(tmp_path) as other:
        assert other.get(TOOLS).note == "sharpen the knives"


@run_async
async def test_e_edits_the_note_enter_saves_escape_cancels(tmp_path):
    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        bookmark(other, app.engine, PLANTING, note="spring")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        await pilot.press("e")
        await quiesce(pilot)
        await paste(pilot, " lines")
        await pilot.press("enter")
        await quiesce(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        assert "✎ spring lines" in screen_text(app)
        await pilot.press("e")
        await paste(pilot, " never")
        await pilot.press("escape")
        await quiesce(pilot)
        assert "never" not in screen_text(app)
    with other_session(tmp_path) as other:
        assert other.get(PLANTING).note == "spring lines"


@run_async
async def test_t_edits_the_tags(tmp_path):
    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        bookmark(other, app.engine, PLANTING, tags=["kelp"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        await pilot.press("t")
        await quiesce(pilot)
        await paste(pilot, ", #spring, farm")
        await pilot.press("enter")
        await quiesce(pilot)
        assert "#kelp #spring #farm" in screen_text(app)
    with other_session(tmp_path) as other:
        assert other.get(PLANTING).tags == ("kelp", "spring", "farm")


@run_async
async def test_a_note_with_line_breaks_survives_an_edit(tmp_path):
    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        bookmark(other, app.engine, PLANTING, note="first\n\nsecond")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        await pilot.press("e")
        await quiesce(pilot)
        await paste(pilot, " more")
        await pilot.press("enter")
        await quiesce(pilot)
    with other_session(tmp_path) as other:
        assert other.get(PLANTING).note == "first\n\nsecond more"


@run_async
async def test_the_filter_narrows_the_list_as_you_type(tmp_path):
    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        bookmark(other, app.engine, PLANTING)
        bookmark(other, app.engine, TOOLS, note="knives")
        bookmark(other, app.engine, PRUNING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        await pilot.press("slash")
        await paste(pilot, "knive")
        await quiesce(pilot)
        shown = screen_text(app)
        assert "Bookmarks (1 of 3 match)" in shown
        assert "Tools for Harvesting" in shown and "Pruning" not in shown
        await paste(pilot, "zzz")
        await quiesce(pilot)
        assert "No bookmark matches “knivezzz”." in screen_text(app)
        await pilot.press(*["backspace"] * 8)
        await paste(pilot, "prun")
        await pilot.press("enter")  # enter opens the match
        await settle(pilot)
        assert app.current_section_id == PRUNING


@run_async
async def test_m_and_M_step_through_bookmarks_in_reading_order_and_wrap(tmp_path):
    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:  # added out of reading order
        for section_id in (PRUNING, TOOLS, PLANTING):
            bookmark(other, app.engine, section_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.current_section_id == OVERVIEW
        seen = []
        for _ in range(4):
            await pilot.press("m")
            await quiesce(pilot)
            seen.append(app.current_section_id)
        assert seen == [PLANTING, TOOLS, PRUNING, PLANTING]
        assert "Continuing from the first bookmark." in messages(app)
        await pilot.press("M")
        await quiesce(pilot)
        assert app.current_section_id == PRUNING
        await pilot.press("M")
        await quiesce(pilot)
        assert app.current_section_id == TOOLS


@run_async
async def test_m_with_no_bookmarks_says_so(tmp_path):
    app = app_with_bookmarks(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await quiesce(pilot)
        assert app.current_section_id == OVERVIEW
        assert any(m.startswith("No bookmarks to go to") for m in messages(app))


@run_async
async def test_the_palette_goes_to_a_bookmark(tmp_path):
    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        bookmark(other, app.engine, PRUNING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await palette(pilot, "go to bookmark: prun")
        assert app.current_section_id == PRUNING


@run_async
async def test_the_palette_runs_the_bookmark_actions_by_name(tmp_path):
    app = app_with_bookmarks(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await palette(pilot, "bookmark: bookmark the section")
        assert app.bookmarked_ids == {OVERVIEW}
        await palette(pilot, "bookmarks: your bookmarks")
        assert isinstance(app.screen, BookmarksScreen)


@run_async
async def test_a_bookmark_whose_section_is_gone_is_listed_as_missing_and_opens_safely(tmp_path):
    from support_bookmarks import snapshot

    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        other.add(snapshot("field-guide/old-heading", title="Old Heading"), note="was here")
        bookmark(other, app.engine, PRUNING)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        shown = screen_text(app)
        assert "★ Old Heading   missing" in shown
        assert "no longer in the briefings" in shown
        await pilot.press("enter")  # the missing one is first (oldest)
        await quiesce(pilot)
        assert isinstance(app.screen, BookmarksScreen)  # still here, nothing crashed
        said = " ".join(messages(app))
        assert "Missing: “Field-Guide › Old Heading” is no longer in the briefings" in said
        await pilot.press("escape")
        await pilot.press("m")  # stepping skips it
        await quiesce(pilot)
        assert app.current_section_id == PRUNING


@run_async
async def test_markup_in_notes_and_titles_shows_literally(tmp_path):
    from support_app_bookmarks import TRAP

    app = app_with_bookmarks(tmp_path)
    with other_session(tmp_path) as other:
        bookmark(other, app.engine, TRAP, note="[bold red]x[/] and [link=https://x]y[/link]")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        shown = screen_text(app)
        assert "★ Markup Trap [bold red]x[/]" in shown
        assert "✎ [bold red]x[/] and [link=https://x]y[/link]" in shown
        await palette(pilot, "go to bookmark: markup")
        assert app.current_section_id == TRAP


@run_async
async def test_escape_and_q_close_the_bookmarks_escape_leaves_the_filter_first(tmp_path):
    app = app_with_bookmarks(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        assert "No bookmarks yet: press b while reading" in screen_text(app)
        await pilot.press("slash", "q", "escape")  # q types into the filter; escape leaves it
        await quiesce(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        assert app.screen.query_one(BookmarksList).has_focus
        await pilot.press("q")
        await quiesce(pilot)
        assert isinstance(app.screen, ExplorerScreen)
        await pilot.press("B")
        await quiesce(pilot)
        await pilot.press("escape")
        await quiesce(pilot)
        assert isinstance(app.screen, ExplorerScreen)


@run_async
async def test_a_changed_section_is_labelled_and_r_accepts_its_new_text(tmp_path):
    from dataclasses import replace

    from partner_tui.tui.state.bookmark_model import snapshot_of

    app = app_with_bookmarks(tmp_path)
    edited_since = replace(snapshot_of(app.engine.section(PLANTING)), text_hash="sha256:0ld")
    with other_session(tmp_path) as other:
        other.add(edited_since, note="keep me")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        assert "★ Planting Seaweed   changed" in screen_text(app)
        await pilot.press("r")
        await quiesce(pilot)
        shown = screen_text(app)
        assert "changed" not in shown and "✎ keep me" in shown
    with other_session(tmp_path) as other:
        assert other.get(PLANTING).text_hash == snapshot_of(app.engine.section(PLANTING)).text_hash


@run_async
async def test_going_to_a_section_from_the_palette_leaves_the_bookmarks_list(tmp_path):
    app = app_with_bookmarks(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await quiesce(pilot)
        await palette(pilot, "pruning")
        assert isinstance(app.screen, ExplorerScreen)
        assert app.current_section_id == PRUNING

"""Getting around: help, palette, back/forward, resume, narrow panes, themes, bookmarks hook."""

from __future__ import annotations

import json

from partner_tui.tui.screens.explorer import ExplorerScreen
from partner_tui.tui.screens.help import KEY_HELP, HelpScreen
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.reading_header import Breadcrumb
from partner_tui.tui.widgets.reading_view import ReadingView
from partner_tui.tui.widgets.results_list import ResultsList
from partner_tui.tui.widgets.search_bar import SearchBar
from support_app import (
    BUNDLED_OVERVIEW,
    make_app,
    palette,
    run_async,
    screen_text,
    settle,
    type_query,
    write_corpus,
)

GUIDE = "field-guide"
PLANTING = f"{GUIDE}/planting-seaweed"
TOOLS = f"{GUIDE}/harvesting/tools-for-harvesting"
PRUNING = "orchard/pruning"


@run_async
async def test_question_mark_and_f1_open_a_help_screen_listing_the_keys(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert "back to the previously read section" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ExplorerScreen)


def test_the_help_screen_lists_every_key_the_explorer_binds():
    listed = {key.strip() for _, rows in KEY_HELP for keys, _ in rows for key in keys.split(",")}
    shown = {
        "slash": "/",
        "question_mark": "?",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
    }
    from partner_tui.tui.app import PartnerApp

    bound = [*ExplorerScreen.BINDINGS, *PartnerApp.BINDINGS]
    for widget in (PillarsTree, ResultsList, ReadingView, SearchBar):
        bound += widget.BINDINGS
    for binding in bound:
        for key in binding.key.split(","):
            assert shown.get(key, key) in listed, f"{key} is missing from the help screen"


@run_async
async def test_palette_jumps_to_a_section_by_name(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await palette(pilot, "tools for harv")
        assert app.current_section_id == TOOLS
        assert "Harvesting › Tools for Harvesting" in str(app.screen.query_one(Breadcrumb).render())


@run_async
async def test_back_and_forward_through_visited_sections(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = app.current_section_id
        app.open_section(PLANTING)
        app.open_section(TOOLS)
        await pilot.press("left_square_bracket")
        assert app.current_section_id == PLANTING
        await pilot.press("alt+left")
        assert app.current_section_id == start
        await pilot.press("right_square_bracket")
        assert app.current_section_id == PLANTING
        await pilot.press("alt+right")
        assert app.current_section_id == TOOLS
        await pilot.press("alt+right")  # nothing further: stays put
        assert app.current_section_id == TOOLS


@run_async
async def test_the_last_section_read_reopens_on_the_next_launch(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    first = make_app(tmp_path, corpus)
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first.open_section(PRUNING)
        await settle(pilot)  # written by a worker (it fsyncs), not on the event loop
        # saved when opened, not at exit: a hang-up must lose nothing
        saved = json.loads((tmp_path / "user" / "preferences.json").read_text())
        assert saved["last_section"] == PRUNING
    again = make_app(tmp_path, corpus)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.current_section_id == PRUNING
        assert "Orchard Notes › Pruning" in str(again.screen.query_one(Breadcrumb).render())
        await pilot.press("left_square_bracket")  # history survives too
        assert again.current_section_id == f"{GUIDE}/overview"


@run_async
async def test_a_fresh_start_opens_the_first_section(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.current_section_id == BUNDLED_OVERVIEW


@run_async
async def test_narrow_terminal_shows_one_pane_and_w_switches(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        shown = [pane.id for pane in screen.query(".pane") if pane.display]
        assert shown == ["reading-pane"]
        assert "w Pane" in screen_text(app)
        seen = []
        for _ in range(3):
            await pilot.press("w")
            await pilot.pause()
            shown = [pane for pane in screen.query(".pane") if pane.display]
            seen.append([pane.id for pane in shown])
            assert shown[0].size.width == 80  # the one pane gets the whole width
        assert seen == [["pillars-pane"], ["results-pane"], ["reading-pane"]]
        await pilot.press("tab")  # tab also reaches every pane, one at a time
        assert screen.query_one(SearchBar).has_focus
        await pilot.press("tab")
        assert [pane.id for pane in screen.query(".pane") if pane.display] == ["pillars-pane"]
        await pilot.press("j", "enter")  # choose a section from the tree: the reader shows it
        await settle(pilot)
        assert [pane.id for pane in screen.query(".pane") if pane.display] == ["reading-pane"]
        assert "Field Guide to Tidal Gardens › Planting Seaweed" in screen_text(app)


@run_async
async def test_the_pane_switch_key_comes_and_goes_with_the_width(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert "w Pane" not in screen_text(app)
        await pilot.resize_terminal(80, 40)
        await settle(pilot)
        assert "w Pane" in screen_text(app)
        await pilot.resize_terminal(140, 40)
        await settle(pilot)
        assert "w Pane" not in screen_text(app)


@run_async
async def test_wide_terminal_shows_all_three_panes(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert not app.screen.has_class("-narrow")
        assert all(pane.display for pane in app.screen.query(".pane"))
        assert "w Pane" not in screen_text(app)


@run_async
async def test_theme_switch_from_the_palette_persists_across_launches(tmp_path):
    first = make_app(tmp_path)
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert first.theme == "partner-dark"
        await palette(pilot, "theme: partner-light")
        assert first.theme == "partner-light"
    again = make_app(tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "partner-light"


@run_async
async def test_an_explicit_theme_beats_the_saved_one(tmp_path):
    app = make_app(tmp_path, theme="partner-high-contrast")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "partner-high-contrast"


@run_async
async def test_bookmarked_ids_mark_sections_in_tree_and_results(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "kelp")
        app.bookmarked_ids = frozenset({TOOLS})
        await pilot.pause()
        tree = app.screen.query_one(PillarsTree)
        assert tree.label_of(TOOLS).plain.startswith("★ ")
        assert not tree.label_of(PLANTING).plain.startswith("★")
        assert "★ Tools for Harvesting" in screen_text(app)
        assert screen_text(app).count("★") == 2  # tree and results, nowhere else


@run_async
async def test_the_mouse_opens_results_and_tree_sections(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "kelp")
        results = app.screen.query_one(ResultsList)
        region = results.region
        rows = screen_text(app).split("\n")[region.y : region.bottom]
        row = next(n for n, line in enumerate(rows) if "Tools for" in line[region.x : region.right])
        await pilot.click(ResultsList, offset=(4, row))
        await settle(pilot)
        assert app.current_section_id == TOOLS
        tree = app.screen.query_one(PillarsTree)
        line = next(
            number
            for number in range(tree.last_line + 1)
            if tree.get_node_at_line(number).data == PRUNING
        )
        await pilot.click(PillarsTree, offset=(8, line))
        await settle(pilot)
        assert app.current_section_id == PRUNING


@run_async
async def test_vim_keys_move_through_the_tree(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PillarsTree)
        tree.focus()
        await pilot.press("G")
        assert tree.cursor_node.data == PRUNING
        await pilot.press("k", "k")
        assert tree.cursor_node.data == "#orchard"
        await pilot.press("g", "j", "j", "enter")
        await settle(pilot)
        assert app.current_section_id == PLANTING


@run_async
async def test_startup_warnings_are_shown_as_written(tmp_path):
    app = make_app(tmp_path, warnings=["skipped [bold]odd[/].md: binary file"])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert "skipped [bold]odd[/].md: binary file" in screen_text(app)


@run_async
async def test_index_warnings_are_shown_once_the_index_opens_after_the_first_screen(
    tmp_path, monkeypatch
):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("")
    monkeypatch.setenv("PARTNER_TUI_CACHE_DIR", str(blocker))
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        shown = [n.message for n in app.notices if n.severity == "warning"]
        assert any("in-memory index" in message for message in shown), shown
        await type_query(pilot, "kelp")
        assert PLANTING in app.screen.query_one(ResultsList).section_ids  # searching works


@run_async
async def test_preferences_that_cannot_be_saved_are_reported_once(tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the user folder should be")
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"), user_dir=blocker / "user")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.open_section(PLANTING)
        app.open_section(TOOLS)
        await pilot.pause()
        assert app.current_section_id == TOOLS  # reading goes on
        errors = [n for n in app.notices if n.severity == "error"]
        assert len(errors) == 1 and "Could not save preferences" in errors[0].message


@run_async
async def test_palette_runs_explorer_actions_by_name(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_section(TOOLS)
        await palette(pilot, "copy the section")
        assert app.clipboard.startswith("> A sickle, a net and a boat.")
        await palette(pilot, "help: every key")
        assert isinstance(app.screen, HelpScreen)

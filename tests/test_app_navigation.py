"""Getting around: help, palette, back/forward, resume, narrow panes, themes, bookmarks hook."""

from __future__ import annotations

import json

from partner_tui.tui.screens.explorer import ExplorerScreen
from partner_tui.tui.screens.help import HelpScreen, listed_keys
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
    search_for,
    settle,
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
            assert "back to the section read before, where you left" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ExplorerScreen)


def test_the_help_screen_lists_every_key_the_explorer_binds():
    listed = listed_keys()
    shown = {
        "slash": "/",
        "question_mark": "?",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "less_than_sign": "<",
        "greater_than_sign": ">",
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


def shown_panes(screen) -> list[str]:
    return [pane.id for pane in screen.query(".pane") if pane.display]


@run_async
async def test_below_80_columns_one_pane_shows_and_the_footer_names_the_panes(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(79, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert shown_panes(screen) == ["reading-pane"]
        assert "1 Pillars" in screen_text(app) and "3 Reading" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert shown_panes(screen) == ["navigator"]
        assert screen.query_one("#navigator").size.width == 79  # the whole width
        await pilot.press("j", "enter")  # choose a section from the tree: the reader shows it
        await settle(pilot)
        assert shown_panes(screen) == ["reading-pane"]
        assert "Field Guide to Tidal Gardens › Planting Seaweed" in screen_text(app)
        await pilot.press("escape")  # back where it was chosen
        await pilot.pause()
        assert shown_panes(screen) == ["navigator"]
        assert screen.query_one(PillarsTree).has_focus
        await pilot.press("w")  # w still steps through the panes
        await pilot.pause()
        assert shown_panes(screen) == ["reading-pane"]


@run_async
async def test_from_80_columns_the_navigator_and_the_reading_view_sit_side_by_side(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown_panes(app.screen) == ["navigator", "reading-pane"]
        assert "Planting Seaweed" in screen_text(app)  # the structure is on the first screen
        await search_for(pilot, "kelp")
        text = screen_text(app)
        assert "sections match" in text and "Planting Seaweed" in text
        await pilot.press("escape", "enter")  # from the bar to the results, then read one
        await settle(pilot)
        assert app.screen.query_one(ReadingView).has_focus
        await pilot.press("escape")  # back to the results it came from
        await pilot.pause()
        assert app.screen.query_one(ResultsList).has_focus


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
        await search_for(pilot, "kelp")
        app.bookmarked_ids = frozenset({TOOLS})
        await pilot.pause()
        tree = app.screen.query_one(PillarsTree)
        assert tree.label_of(TOOLS).plain.startswith("★ ")
        assert not tree.label_of(PLANTING).plain.startswith("★")
        assert "★ Tools for Harvesting" in screen_text(app)  # in the results shown
        assert screen_text(app).count("★") == 1  # the open section is not bookmarked
        await pilot.press("escape", "1")  # the pillars, in place of the results
        await pilot.pause()
        assert "★ Tools for Harvesting" in screen_text(app)
        assert "not bookmarked" in screen_text(app)


@run_async
async def test_the_mouse_opens_results_and_tree_sections(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        results = app.screen.query_one(ResultsList)
        region = results.region
        rows = screen_text(app).split("\n")[region.y : region.bottom]
        row = next(n for n, line in enumerate(rows) if "Tools for" in line[region.x : region.right])
        await pilot.click(ResultsList, offset=(4, row))
        await settle(pilot)
        assert app.current_section_id == TOOLS
        await pilot.press("1")  # the pillars, in place of the results
        await pilot.pause()
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
        await search_for(pilot, "kelp")
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
        await palette(pilot, "copy: copy the section")
        assert app.clipboard.startswith("> A sickle, a net and a boat.")
        await palette(pilot, "help: every key")
        assert isinstance(app.screen, HelpScreen)

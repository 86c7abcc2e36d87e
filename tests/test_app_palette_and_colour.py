"""The palette's labels and actions, one theme switcher, and hits told apart without colour."""

from __future__ import annotations

from partner_tui.tui.widgets.reading_header import TITLE_MATCH
from partner_tui.tui.widgets.reading_view import ReadingView
from partner_tui.tui.widgets.results_list import ResultsList
from support_app import make_app, palette_search, run_async, search_for, settle, write_corpus
from textual.command import CommandPalette


async def palette_prompts(pilot, text: str) -> list[str]:
    await palette_search(pilot, text)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    listed = palette.query_one("CommandList")
    prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
    await pilot.press("escape")
    return prompts


@run_async
async def test_go_to_matches_the_whole_label_and_names_the_briefing(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        prompts = await palette_prompts(pilot, "go to overview")
        overviews = [p for p in prompts if p.endswith("› Overview")]
        assert "Go to Field Guide to Tidal Gardens › Overview" in overviews
        assert "Go to Orchard Notes › Overview" in overviews
        prompts = await palette_prompts(pilot, "go to pruning")
        assert prompts[0] == "Go to Orchard Notes › Pruning"


@run_async
async def test_there_is_one_theme_switcher_and_actions_come_from_the_keys(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Theme" not in titles and "Keys" not in titles
        assert any(title.startswith("Zoom:") for title in titles)
        assert any(title.startswith("Help:") for title in titles)
        prompts = await palette_prompts(pilot, "theme: nord")
        assert prompts[0] == "Theme: nord"


@run_async
async def test_without_colour_the_current_hit_other_hits_and_title_matches_differ_by_style(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        reader = app.screen.query_one(ReadingView)
        hit = reader.get_component_rich_style("reading-view--hit")
        current = reader.get_component_rich_style("reading-view--current-hit")
        surface = reader.rich_style.bgcolor
        # Other hits: bold + underline on the page's own background, never reversed.
        assert hit.bold and hit.underline and not hit.reverse and hit.bgcolor == surface
        assert current.reverse and current.bold  # the current hit: reversed
        # Title matches: italic + underline, neither bold (hits) nor reversed (current).
        assert TITLE_MATCH.italic and TITLE_MATCH.underline
        assert TITLE_MATCH.bold is False and not TITLE_MATCH.reverse
        match = app.screen.query_one(ResultsList).get_component_rich_style("results-list--match")
        assert match.bold and match.underline and not match.reverse

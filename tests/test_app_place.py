"""Never losing one's place: positions per section, resize, n/N height, tree cursor,
search bar history and fresh queries, bursts of keys, bookmarks seen, layout remembered."""

from __future__ import annotations

import json

from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.reading_view import ReadingView
from partner_tui.tui.widgets.results_list import ResultsList
from partner_tui.tui.widgets.search_bar import SearchBar
from support_app import (
    make_app,
    run_async,
    screen_text,
    search_for,
    settle,
    type_query,
    wait_until,
    write_corpus,
)
from textual import events

LONG = "\n\n".join(
    f"Paragraph {n}. " + " ".join(f"word{n}x{k}" for k in range(40)) for n in range(60)
)
SHORT = "A short section about kelp and the tide."


def long_corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    body = f"# Long Read\n\n## Chapter\n{LONG}\n\n## Short\n{SHORT}\n"
    (folder / "long.md").write_text(body, encoding="utf-8")
    return folder


CHAPTER, SHORT_ID = "long/chapter", "long/short"


def first_visible(app) -> str:
    reader = app.screen.query_one(ReadingView)
    return reader.body[reader.top_offset : reader.top_offset + 12]


@run_async
async def test_back_forward_and_a_relaunch_return_to_the_same_paragraph(tmp_path):
    corpus = long_corpus(tmp_path)
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_section(CHAPTER)
        await settle(pilot)
        reader = app.screen.query_one(ReadingView)
        reader.focus()
        await pilot.press(*["space"] * 5)
        await settle(pilot)
        place = first_visible(app)
        assert place.startswith("Paragraph") or "word" in place
        assert reader.scroll_offset.y > 20
        app.open_section(SHORT_ID)
        await settle(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert first_visible(app) == place
    again = make_app(tmp_path, corpus)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await wait_until(
            pilot, lambda: again.current_section_id == CHAPTER and first_visible(again) == place
        )
        assert again.current_section_id == CHAPTER
        assert first_visible(again) == place


@run_async
async def test_a_resize_keeps_the_first_visible_text_in_view(tmp_path):
    app = make_app(tmp_path, long_corpus(tmp_path))
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        app.open_section(CHAPTER)
        await settle(pilot)
        reader = app.screen.query_one(ReadingView)
        reader.focus()
        await pilot.press(*["space"] * 8)
        await settle(pilot)
        offset = reader.top_offset
        for width in (120, 200, 80):
            await pilot.resize_terminal(width, 30)
            await settle(pilot)
            top = reader.top_offset
            lines_shown = reader.scrollable_content_region.height
            assert top <= offset, width
            line_of_old = reader.line_of_offset(offset)
            assert reader.scroll_offset.y <= line_of_old < reader.scroll_offset.y + lines_shown


@run_async
async def test_the_position_names_the_last_line_on_screen_after_any_resize(tmp_path):
    app = make_app(tmp_path, long_corpus(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_section(CHAPTER)
        await settle(pilot)
        reader = app.screen.query_one(ReadingView)
        for width, height in ((100, 30), (100, 24), (100, 40), (120, 40)):
            await pilot.resize_terminal(width, height)  # taller or shorter only, then wider
            await settle(pilot)
            first = reader.scroll_offset.y + 1
            last = first + reader.scrollable_content_region.height - 1
            assert f"lines {first}–{last} of" in screen_text(app), (width, height)


@run_async
async def test_n_brings_each_hit_a_third_of_the_way_down(tmp_path):
    app = make_app(tmp_path, long_corpus(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search_for(pilot, "paragraph")
        await pilot.press("escape")
        app.screen.read_section(CHAPTER)
        await settle(pilot)
        reader = app.screen.query_one(ReadingView)
        height = reader.scrollable_content_region.height
        for _ in range(6):
            await pilot.press("n")
            await pilot.pause()
            line = reader.line_of_offset(reader.spans[reader.current][0])
            assert line - reader.scroll_offset.y == height // 3


@run_async
async def test_the_tree_cursor_stays_in_view_and_space_pages(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(12):
        pillars = "\n".join(f"## Pillar {number}.{k}\ntext\n" for k in range(4))
        (folder / f"b{number:02}.md").write_text(f"# Briefing {number}\n\n{pillars}")
    app = make_app(tmp_path, folder)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        tree = app.screen.query_one(PillarsTree)

        def cursor_visible() -> bool:
            top = tree.scroll_offset.y
            return top <= tree.cursor_line < top + tree.scrollable_content_region.height

        for key in ("G", "g", "end", "home", "space", "space", "pagedown", "pageup"):
            await pilot.press(key)
            await pilot.pause()
            assert cursor_visible(), key
        await pilot.press("home", "space")
        assert tree.cursor_line == tree.scrollable_content_region.height - 1


@run_async
async def test_slash_starts_afresh_and_up_down_walk_a_kept_search_history(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        await pilot.press("enter")
        await settle(pilot)
        await type_query(pilot, "apple")  # typing replaces: no "kelpapple"
        bar = app.screen.query_one(SearchBar)
        assert bar.value == "apple"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("slash", "up")
        assert bar.value == "apple"
        await pilot.press("up")
        assert bar.value == "kelp"
        await pilot.press("down", "down")
        assert bar.value == "apple"  # back to what was in the bar
    saved = json.loads((tmp_path / "user" / "preferences.json").read_text())
    assert saved["search_history"] == ["kelp", "apple"]
    again = make_app(tmp_path, corpus)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "up")
        assert again.screen.query_one(SearchBar).value == "apple"


@run_async
async def test_a_multi_line_paste_is_one_line_and_bursts_keep_their_order(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        bar = app.screen.query_one(SearchBar)
        bar.post_message(events.Paste("dried\nkelp"))
        await pilot.pause()
        assert bar.value == "dried kelp"
        # One burst: every key queued before any is read, as over SSH.
        for key in ("ctrl+u", *"license", "backspace", *"warranty"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert bar.value == "licenswarranty"


@run_async
async def test_the_reading_view_says_if_the_section_is_bookmarked_and_b_in_results(tmp_path):
    from support_app_bookmarks import app_with_bookmarks

    app = app_with_bookmarks(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "not bookmarked" in screen_text(app)
        await pilot.press("b")
        await settle(pilot)
        assert "★ bookmarked" in screen_text(app)
        await search_for(pilot, "kelp")
        await pilot.press("escape")  # to the results
        results = app.screen.query_one(ResultsList)
        chosen = results.section_ids[results.highlighted]
        await pilot.press("b")
        await settle(pilot)
        assert chosen in app.bookmarked_ids


@run_async
async def test_more_than_fifty_results_can_be_reached(tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    sections = "\n".join(f"## Topic {n}\nkelp number {n}\n" for n in range(80))
    (folder / "big.md").write_text(f"# Big\n\n{sections}")
    app = make_app(tmp_path, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        results = app.screen.query_one(ResultsList)
        assert len(results.section_ids) == 50
        await pilot.press("escape", "G", "enter")  # the last option: "… 30 more"
        await settle(pilot)
        assert len(results.section_ids) == 80


@run_async
async def test_zoom_and_pane_width_are_remembered(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        navigator = app.screen.query_one("#navigator")
        before = navigator.size.width
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert navigator.size.width == before + 4
        await pilot.press("z")
        await pilot.pause()
        assert not navigator.display or navigator.size.width == 0
    again = make_app(tmp_path, corpus)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.screen.panes.zoomed
        await pilot.press("z")
        await pilot.pause()
        assert again.screen.query_one("#navigator").size.width == before + 4


@run_async
async def test_switching_theme_restyles_the_result_hits_at_once(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        results = app.screen.query_one(ResultsList)

        def match_styles():
            prompt = results.get_option_at_index(0).prompt
            return {str(span.style) for span in prompt.spans if "underline" in str(span.style)}

        before = match_styles()
        app.theme = "partner-high-contrast"
        await settle(pilot)
        assert match_styles() != before

"""Reading a section: highlights of every match, n/N through hits and results, copy, safety."""

from __future__ import annotations

import base64

import pytest
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.reading_header import Breadcrumb, HitCounter
from partner_tui.tui.widgets.reading_view import ReadingView
from partner_tui.tui.widgets.results_list import ResultsList
from support_app import (
    make_app,
    run_async,
    screen_text,
    search_for,
    settle,
    wait_until,
    write_corpus,
)
from textual.color import Color

GUIDE = "field-guide"
PLANTING = f"{GUIDE}/planting-seaweed"
TOOLS = f"{GUIDE}/harvesting/tools-for-harvesting"


def marked_words(reader: ReadingView) -> list[str]:
    return [reader.body[start:end] for start, end in reader.spans]


def line_styles(reader: ReadingView, y: int) -> list[tuple[str, object]]:
    """(text, rich style) of each segment the reading view draws on screen line y."""
    return [(segment.text, segment.style) for segment in reader.render_line(y)]


@run_async
async def test_choosing_a_result_opens_it_with_every_match_highlighted(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "plant kelp")
        await pilot.press("escape", "enter")  # leave the search bar, open the top result
        await settle(pilot)
        reader = app.screen.query_one(ReadingView)
        assert app.current_section_id == PLANTING
        assert reader.has_focus
        # stemmed variants count: plant, Planting, kelp, Kelp
        assert sorted({w.lower() for w in marked_words(reader)}) == ["kelp", "plant", "planting"]
        assert reader.current == 0
        assert "Tidal Gardens › Planting Seaweed" in screen_text(app)
        assert f"hit 1 of {len(reader.spans)}" in screen_text(app)


@run_async
async def test_enter_right_after_typing_opens_the_top_result_for_what_was_typed(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"pruning", "enter")  # faster than the debounce
        await settle(pilot)
        assert app.current_section_id == "orchard/pruning"
        assert app.screen.query_one(ReadingView).has_focus


@run_async
async def test_phrases_are_highlighted_as_a_whole(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, '"kelp lines"')
        await pilot.press("enter")
        await settle(pilot)
        assert marked_words(app.screen.query_one(ReadingView)) == ["kelp lines"]


@run_async
async def test_n_and_shift_n_move_the_current_hit_and_cross_into_the_next_result(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one(ReadingView)
        hits = len(reader.spans)
        assert app.current_section_id == PLANTING and hits == 5
        await pilot.press("n")
        assert reader.current == 1
        assert "hit 2 of 5" in str(app.screen.query_one(HitCounter).render())
        await pilot.press("N", "N")  # before the first hit: the previous result, last hit
        await settle(pilot)
        results = app.screen.query_one(ResultsList).section_ids
        assert app.current_section_id == results[-1]
        assert reader.current == len(reader.spans) - 1
        await pilot.press("n")  # past its last hit: wraps round to the first result
        await settle(pilot)
        assert app.current_section_id == results[0] and reader.current == 0
        await pilot.press(*"nnnnn")  # five hits in the first result, then the second
        await settle(pilot)
        # Ranking decides which result is second; both other kelp sections mention it once.
        assert app.current_section_id == results[1] != results[0]
        assert reader.current == 0


@run_async
async def test_the_current_hit_is_scrolled_into_view(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    filler = "\n".join(f"Line {n} of plain filler text." for n in range(200))
    (corpus / "long.md").write_text(f"# Long\n\n## Body\nkelp first\n{filler}\nkelp last\n")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one(ReadingView)
        assert reader.scroll_offset.y == 0
        await pilot.press("n")
        await pilot.pause()
        last_line = reader.line_of_offset(reader.spans[1][0])
        top = reader.scroll_offset.y
        assert top <= last_line < top + reader.scrollable_content_region.height
        assert "kelp last" in screen_text(app)


@run_async
async def test_a_long_section_gets_every_match_marked(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraph = "Seaweed farming along the coast. " * 20
    body = "\n\n".join(f"{paragraph} kelp number {n}." for n in range(200))
    (corpus / "long.md").write_text(f"# Long\n\n## Body\n{body}\n")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one(ReadingView)
        assert len(reader.body) > 100_000
        assert len(reader.spans) == 200 and reader.current == 0
        await pilot.press("G")  # the end of a long text is reachable and drawn
        assert await wait_until(
            pilot, lambda: "kelp number 199." in " ".join(screen_text(app).split())
        )


@pytest.mark.parametrize("no_color", [False, True])
def test_hits_are_marked_by_text_style_not_colour_alone(tmp_path, monkeypatch, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")

    @run_async
    async def scenario(tmp_path):
        app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await search_for(pilot, "kelp")
            await pilot.press("enter")
            await settle(pilot)
            reader = app.screen.query_one(ReadingView)
            assert app.no_color is no_color
            styles = {text: style for text, style in line_styles(reader, 0) if text.strip()}
            current, other = styles["Kelp"], styles["kelp"]
            assert current.reverse and current.bold
            assert other.underline and other.bold and not other.reverse

    scenario(tmp_path)


@run_async
async def test_c_copies_the_section_as_a_quotation_with_its_citation(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_section(TOOLS)
        await pilot.press("c")
        assert app.clipboard == (
            "> A sickle, a net and a boat. Kelp knives must be sharp.\n\n"
            "— Field Guide to Tidal Gardens › Harvesting › Tools for Harvesting\n"
        )


@run_async
async def test_document_text_that_looks_like_markup_is_shown_literally(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "literal")
        # the title in the result and (after opening) in the breadcrumb, then the tree
        assert screen_text(app).count("Markup Trap [bold red]x[/]") == 1
        await pilot.press("enter")
        await settle(pilot)
        assert screen_text(app).count("Markup Trap [bold red]x[/]") == 2
        await pilot.press("1")
        await pilot.pause()
        assert screen_text(app).count("Markup Trap [bold red]x[/]") == 2
        await pilot.press("3")
        await pilot.resize_terminal(79, 40)  # one pane: the reading view, full width
        await settle(pilot)
        shown = " ".join(screen_text(app).split())
        assert "Literal text: [bold red]x[/] and [link=https://x]y[/link]" in shown
        assert "[reverse]z[/reverse]" in shown
        assert "an escape red, a remnant [31mred[0m and a lone bracket [ here." in shown
        assert "\x1b" not in screen_text(app)


def test_copy_inside_tmux_also_sends_the_passthrough_form(tmp_path, monkeypatch):
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")

    @run_async
    async def scenario(tmp_path):
        app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            written: list[str] = []
            monkeypatch.setattr(app, "send_to_terminal", written.append)
            app.open_section(TOOLS)
            await pilot.press("c")
            copied = app.clipboard  # Textual sends this as plain OSC 52 (terminals, SSH)
            assert copied.startswith("> A sickle") and "Tools for Harvesting" in copied
            # …and the app sends it again wrapped for tmux, carrying the same text.
            [sent] = written
            prefix, suffix = "\x1bPtmux;\x1b\x1b]52;c;", "\x07\x1b\\"
            assert sent.startswith(prefix) and sent.endswith(suffix)
            encoded = sent[len(prefix) : -len(suffix)]
            assert base64.b64decode(encoded).decode("utf-8") == copied

    scenario(tmp_path)


@run_async
async def test_choosing_a_briefing_in_the_tree_opens_its_first_section(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_section(TOOLS)
        tree = app.screen.query_one(PillarsTree)
        tree.focus()
        tree.move_cursor(tree.root.children[1])  # the orchard briefing
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_section_id == "orchard/overview"


def test_no_color_with_an_ansi_theme_is_not_black_on_black(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    @run_async
    async def scenario(tmp_path):
        app = make_app(tmp_path, write_corpus(tmp_path / "corpus"), theme="partner-ansi")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.open_section(PLANTING)
            await pilot.pause()
            reader = app.screen.query_one(ReadingView)
            segments = list(reader.render_line(0))
            for line_filter in app.get_line_filters():  # what the terminal would receive
                segments = line_filter.apply(segments, Color.parse("black"))
            words = [s for s in segments if s.text.strip()]
            assert words
            for segment in words:
                style = segment.style
                assert style.color != style.bgcolor, f"{segment.text!r} is unreadable"

    scenario(tmp_path)


@run_async
async def test_less_keys_scroll_the_reading_view(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    filler = "\n".join(f"Line {n} of the text." for n in range(300))
    (corpus / "long.md").write_text(f"# Long\n\n## Body\n{filler}\n")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = app.screen.query_one(ReadingView)
        reader.focus()
        page = reader.scrollable_content_region.height
        await pilot.press("j", "j", "j", "k")
        assert await wait_until(pilot, lambda: reader.scroll_offset.y == 2)
        await pilot.press("space")
        assert await wait_until(pilot, lambda: reader.scroll_offset.y >= page)
        await pilot.press("G")
        assert await wait_until(pilot, lambda: reader.scroll_offset.y == reader.max_scroll_y)
        await pilot.press("g")
        assert await wait_until(pilot, lambda: reader.scroll_offset.y == 0)


@run_async
async def test_a_match_in_the_title_is_marked_in_the_breadcrumb(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "tools")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_section_id == TOOLS
        crumb = app.screen.query_one(Breadcrumb).render()
        marked = [
            crumb.plain[span.start : span.end]
            for span in crumb.spans
            if getattr(span.style, "underline", False)
        ]
        assert marked == ["Tools"]  # italic underline: neither a hit nor the current hit
        assert "matches the title only" in str(app.screen.query_one(HitCounter).render())

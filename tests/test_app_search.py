"""Live search in the explorer: results as you type, counts in the tree, did-you-mean."""

from __future__ import annotations

import asyncio
import threading

from partner_tui.search.engine import Engine
from partner_tui.tui.screens.explorer import ExplorerScreen
from partner_tui.tui.widgets.key_bar import KeyBar
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.results_list import ResultsList
from partner_tui.tui.widgets.search_bar import SearchBar
from partner_tui.tui.widgets.search_summary import SearchSummary
from support_app import (
    describe_key,
    footer_keys,
    make_app,
    paste,
    run_async,
    screen_text,
    search_for,
    settle,
    type_query,
    wait_until,
    write_corpus,
)
from textual import events

GUIDE = "field-guide"


@run_async
async def test_results_update_as_you_type(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "kelp")
        results = app.screen.query_one(ResultsList)
        assert results.section_ids[0] == f"{GUIDE}/planting-seaweed"
        assert len(results.section_ids) == 3
        await pilot.press(*" knives")  # narrows to the one section with both words
        await settle(pilot)
        assert results.section_ids == [f"{GUIDE}/harvesting/tools-for-harvesting"]
        assert "1 section matches" in screen_text(app)


@run_async
async def test_results_mark_the_matched_words_in_title_and_snippet(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "harvest")
        results = app.screen.query_one(ResultsList)
        index = results.section_ids.index(f"{GUIDE}/harvesting")
        prompt = results.get_option_at_index(index).prompt
        marked = [
            prompt.plain[span.start : span.end]
            for span in prompt.spans
            if "underline" in str(span.style)
        ]
        # the title word, then every form of the word in the snippet
        assert marked == ["Harvesting", "Harvest", "harvest"]


class SlowKelpEngine(Engine):
    """An engine whose searches for "kelp" wait for a go-ahead: a slow query on demand."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.started = threading.Event()
        self.go_ahead = threading.Event()
        self.finished = threading.Event()

    def search(self, text, *args, **kwargs):
        if text != "kelp":
            return super().search(text, *args, **kwargs)
        self.started.set()
        self.go_ahead.wait(10)
        try:
            return super().search(text, *args, **kwargs)
        finally:
            self.finished.set()


@run_async
async def test_a_stale_search_never_overwrites_a_newer_one(tmp_path):
    engine = SlowKelpEngine.open(write_corpus(tmp_path / "corpus"))
    app = make_app(tmp_path, engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExplorerScreen)
        # GIVEN a search for "kelp" that is still running
        screen.set_query("kelp", debounce=False)
        assert await asyncio.to_thread(engine.started.wait, 10)
        # WHEN a newer search for "apple" is shown, and only then "kelp" finishes
        screen.set_query("apple", debounce=False)
        await settle(pilot)
        engine.go_ahead.set()
        assert await asyncio.to_thread(engine.finished.wait, 10)
        # THEN the older answer, posted from a pooled thread just after, is ignored:
        # apple's results stay however long we keep looking.
        for _ in range(25):
            await pilot.pause(0.02)
            shown = screen.query_one(ResultsList).section_ids
            assert shown and all(section_id.startswith("orchard/") for section_id in shown)
            assert screen.outcome is not None and screen.outcome.query == "apple"


@run_async
async def test_pillars_show_hit_counts_and_dim_the_rest(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PillarsTree)
        assert "1" not in tree.label_of(f"{GUIDE}/planting-seaweed").plain
        await search_for(pilot, "kelp")
        planting = tree.label_of(f"{GUIDE}/planting-seaweed")
        harvesting = tree.label_of(f"{GUIDE}/harvesting")
        overview = tree.label_of(f"{GUIDE}/overview")
        assert planting.plain.split() == ["1", "Planting", "Seaweed"]
        assert harvesting.plain.split() == ["2", "Harvesting"]  # its two sub-sections
        assert overview.plain.split()[0] == "-"
        dimmed = [span.style for span in overview.spans if "dim" in str(span.style)]
        assert dimmed, "a pillar without hits is dimmed"
        assert not [span for span in planting.spans if "dim" in str(span.style)]


@run_async
async def test_every_result_is_listed_and_reachable_as_soon_as_results_arrive(tmp_path):
    beds = "".join(f"## Bed {n}\n\nKelp bed number {n}.\n\n" for n in range(1, 31))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "beds.md").write_text(f"# Kelp Beds\n\n{beds}", encoding="utf-8")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        results = app.screen.query_one(ResultsList)
        assert len(results.section_ids) == 30
        # Listed a screenful per frame after the first paint: a paint or two after the
        # search has settled (more on a loaded machine), so waited for, not assumed.
        assert await wait_until(pilot, lambda: results.option_count == 30), results.option_count
        last = results.section_ids[-1]
        # Straight after new results are shown (before the next paint), every one of
        # them can be reached: the last, by wrapping up from the first, or by its id.
        for move in (
            results.action_last,
            results.action_cursor_up,
            lambda: results.highlight_section(last),
        ):
            results.show_hits(results.hits, {})
            move()
            assert results.get_option_at_index(results.highlighted).id == last
        await pilot.pause()
        assert results.option_count == 30


def _tree_rows(app) -> list[str]:
    """The pillars pane as shown on screen, one string per row."""
    region = app.screen.query_one(PillarsTree).region
    rows = screen_text(app).split("\n")[region.y : region.bottom]
    return [row[region.x : region.right].strip() for row in rows]


@run_async
async def test_the_drawn_tree_follows_each_search_and_its_end(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any(row.endswith("Planting Seaweed") for row in _tree_rows(app))
        await search_for(pilot, "kelp")
        app.screen.panes.show_view("pillars")  # as `1` does, leaving the focus in the bar
        await pilot.pause()
        assert any(row.endswith("1 Planting Seaweed") for row in _tree_rows(app))
        assert any(row.endswith("2 Harvesting") for row in _tree_rows(app))
        await pilot.press(*["backspace"] * 4)
        await settle(pilot)
        rows = _tree_rows(app)
        assert any(row.endswith("  Planting Seaweed") for row in rows)
        assert not any("1 Planting" in row for row in rows)


@run_async
async def test_tree_line_widths_match_the_labels_drawn(tmp_path):
    """The tree lays out lines from widths worked out without building labels: exact,
    or for a shortened label the room it was shortened to (never less than drawn)."""
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(PillarsTree)

        def check() -> None:
            for line in range(tree.last_line + 1):
                node = tree.get_node_at_line(line)
                label = tree.label_of(node.data)
                drawn = (2 if node.allow_expand else 0) + label.cell_len
                if label.plain.endswith("…"):
                    assert drawn <= tree.get_label_width(node) <= tree.size.width
                else:
                    assert tree.get_label_width(node) == drawn

        check()
        tree.set_bookmarked(frozenset({f"{GUIDE}/harvesting"}))
        await search_for(pilot, "kelp")
        check()
        await pilot.resize_terminal(60, 40)  # narrow: labels are shortened
        await settle(pilot)
        check()


@run_async
async def test_sub_sections_without_hits_are_dimmed_too(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "knives")
        tree = app.screen.query_one(PillarsTree)

        def dimmed(section_id: str) -> bool:
            return any("dim" in str(span.style) for span in tree.label_of(section_id).spans)

        assert not dimmed(f"{GUIDE}/harvesting/tools-for-harvesting")
        assert dimmed(f"{GUIDE}/harvesting/selling-the-catch")


@run_async
async def test_counts_disappear_when_the_query_is_cleared(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        await pilot.press(*["backspace"] * 4)
        await settle(pilot)
        tree = app.screen.query_one(PillarsTree)
        assert tree.label_of(f"{GUIDE}/planting-seaweed").plain.strip() == "Planting Seaweed"
        assert app.screen.query_one(ResultsList).option_count == 0


@run_async
async def test_did_you_mean_is_accepted_with_one_key(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "digtal")
        assert "Did you mean digital?" in screen_text(app)
        assert "^y" in screen_text(app)  # the footer offers the key
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.screen.query_one(SearchBar).value == "digital"
        assert app.screen.query_one(ResultsList).option_count > 0


@run_async
async def test_the_key_bar_offers_the_accept_key_only_while_there_is_a_suggestion(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        assert "^y" not in screen_text(app)
        assert [describe_key(key) for key in bar.keys] == await footer_keys(pilot, app.screen)
        await search_for(pilot, "digital")
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"tal")
        await settle(pilot)
        assert app.screen.query_one(SearchBar).value == "digtal"
        assert "^y" in screen_text(app)
        # The same keys in the same places as Textual's own Footer would show them.
        assert [describe_key(key) for key in bar.keys] == await footer_keys(pilot, app.screen)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "^y" not in screen_text(app)
        assert [describe_key(key) for key in bar.keys] == await footer_keys(pilot, app.screen)


@run_async
async def test_a_click_on_a_key_in_the_key_bar_presses_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = screen_text(app).splitlines()[-1]
        assert line.startswith(" / Search  1 Pillars ")
        await pilot.click(KeyBar, offset=(line.index("Search"), 0))
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one(SearchBar)
        await pilot.hover(KeyBar, offset=(line.index("Search"), 0))
        assert bar.tooltip == "a new search from anywhere: what you type replaces the old query"


@run_async
async def test_no_hits_gets_a_readable_message(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "zeppelin")
        summary = app.screen.query_one(SearchSummary)
        assert "No sections match zeppelin" in str(summary.render())
        assert app.screen.query_one(ResultsList).option_count == 0


@run_async
async def test_broken_query_syntax_is_never_a_traceback(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, '"kelp AND (OR')
        text = screen_text(app)
        assert "Traceback" not in text
        assert app.return_code is None  # still running
        assert "match" in text or "read literally" in text.lower()


@run_async
async def test_a_failing_search_is_reported_in_words(tmp_path):
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))

    def broken(*args, **kwargs):
        raise ValueError("index is being rebuilt")

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.engine.search = broken
        await pilot.press("slash")
        await paste(pilot, "kelp")  # no outcome will come: wait for the message

        def reported() -> bool:
            # The message wraps in the results pane; both parts must be on screen.
            text = screen_text(app)
            return "Search failed: index is being" in text and "rebuilt" in text

        assert await wait_until(pilot, reported), screen_text(app)
        assert app.return_code is None


@run_async
async def test_escape_and_a_key_arriving_together_as_alt_key_still_work(tmp_path):
    """Over a slow link, Esc then n can arrive as one alt+n."""
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        await pilot.press("alt+n")
        await settle(pilot)
        assert app.screen.query_one(SearchBar).value == "kelp"
        assert not app.screen.query_one(SearchBar).has_focus
        assert app.current_section_id == f"{GUIDE}/planting-seaweed"  # n: the first result


@run_async
async def test_keys_typed_in_one_burst_with_slash_all_reach_the_search_bar(tmp_path):
    # Over SSH (or when pasting) `/` and the query arrive together; none may be lost,
    # and a `/` inside the query is part of it.
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for char in "/kelp a/b":
            app.post_message(events.Key({"/": "slash", " ": "space"}.get(char, char), char))
        await settle(pilot)
        assert app.screen.query_one(SearchBar).value == "kelp a/b"

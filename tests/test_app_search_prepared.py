"""Results the search's worker prepared: only the first screenful is wrapped there, and
the list still lists every result and keeps the reader's place in it."""

from __future__ import annotations

from partner_tui.tui.widgets.result_prompts import prepare_results
from partner_tui.tui.widgets.results_list import SHOWN_AT_ONCE, ResultsList
from support_app import make_app, run_async, search_for, settle


def _beds_app(tmp_path):
    beds = "".join(f"## Bed {n}\n\nKelp bed number {n}.\n\n" for n in range(1, 31))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "beds.md").write_text(f"# Kelp Beds\n\n{beds}", encoding="utf-8")
    return make_app(tmp_path, corpus)


@run_async
async def test_results_beyond_the_prepared_screenful_are_listed_after_the_paint(tmp_path):
    app = _beds_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        results = app.screen.query_one(ResultsList)
        hits = results.hits
        prepared = prepare_results(hits, {}, results.prompt_layout(), SHOWN_AT_ONCE)
        assert len(prepared.options) == SHOWN_AT_ONCE < len(hits) == 30
        results.show_hits(hits, {}, prepared=prepared)
        assert results.option_count == SHOWN_AT_ONCE  # the screenful, at once
        for _ in range(5):
            await pilot.pause()
        listed = [results.get_option_at_index(i).id for i in range(results.option_count)]
        assert listed == [hit.section_id for hit in hits]


@run_async
async def test_a_highlight_past_the_prepared_screenful_stays_on_its_result(tmp_path):
    app = _beds_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "kelp")
        results = app.screen.query_one(ResultsList)
        hits = results.hits
        results.highlight_section(hits[20].section_id)
        prepared = prepare_results(hits, {}, results.prompt_layout(), SHOWN_AT_ONCE)
        results.show_hits(hits, {}, keep_highlight=True, prepared=prepared)
        assert results.option_count == 30
        assert results.get_option_at_index(results.highlighted).id == hits[20].section_id


@run_async
async def test_results_past_the_first_screenful_show_their_snippets_highlighted(tmp_path):
    """The search makes only the first screenful's snippets; the rest are made as the
    list lays them out, and read as the engine makes them at once."""
    app = _beds_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search_for(pilot, "bed")
        for _ in range(5):
            await pilot.pause()
        results = app.screen.query_one(ResultsList)
        at_once = app.engine.search("bed", limit=50).hits
        assert results.option_count == len(at_once) == 30
        for index, hit in enumerate(at_once):
            prompt = results.get_option_at_index(index).prompt
            assert " ".join(hit.snippet.split()) in " ".join(prompt.plain.split()), index
            marked = [prompt.plain[span.start : span.end].lower() for span in prompt.spans]
            assert marked.count("bed") == 2, index  # in the title and in the snippet

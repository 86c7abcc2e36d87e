"""Briefings loaded from the reader cache make their sections only when first asked:
a cold `show` of one section makes one briefing's, and what they make is what reading
the files makes."""

from __future__ import annotations

import threading

import pytest
from partner_tui.search import reader_cache
from partner_tui.search.corpus import load_corpus
from partner_tui.search.engine import Engine


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setattr(reader_cache, "RACY_NANOSECONDS", 0)  # keep fresh readings
    root = tmp_path / "corpus"
    root.mkdir()
    for number in range(6):
        (root / f"b{number}.md").write_text(
            f"# Brief {number}\n\nOpening {number}.\n\n## Ports\n\nKelp *{number}*.\n\n"
            f"### Harbours\n\nTides.\n\n## Rail\n\nTrains {number}"
            + (" and zephyrs.\n" if number == 2 else ".\n"),
            encoding="utf-8",
        )
    return root


def _made(engine: Engine) -> list[str]:
    """Ids of the briefings whose sections exist (asked for at least once)."""
    return [b.id for b in engine.briefings if "sections" in b.__dict__]


def test_looking_up_a_section_makes_only_its_briefings_sections(corpus, tmp_path):
    cache = tmp_path / "cache"
    load_corpus(corpus, cache)  # fills the reader cache
    engine = Engine.open(corpus, cache_dir=cache)
    assert _made(engine) == []
    section = engine.section("b3/rail")
    assert _made(engine) == ["b3"]
    assert engine.has_section("b4/ports/harbours")
    assert _made(engine) == ["b3", "b4"]
    assert not engine.has_section("b4/nowhere") and not engine.has_section("nobody/ports")
    read = {s.id: s for s in load_corpus(corpus, use_cache=False).sections}
    assert section == read["b3/rail"] and section.body == "Trains 3."
    # Every briefing made in full equals the files read again, section by section.
    assert {s.id: s for s in engine.corpus.sections} == read
    assert len(engine._by_id) == len(read)


def test_a_search_of_a_current_index_makes_only_its_hits_briefings_sections(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = Engine.open(corpus, cache_dir=cache)
    first.warm_up()  # builds the index (every briefing's sections are needed for that)
    first.close()
    engine = Engine.open(corpus, cache_dir=cache)
    outcome = engine.search("zephyr")
    assert not engine.index_was_built and not engine.index_was_updated
    assert [hit.section_id for hit in outcome.hits] == ["b2/rail"]
    assert _made(engine) == ["b2"]


def test_threads_making_one_briefings_sections_get_the_same_ones(corpus, tmp_path):
    cache = tmp_path / "cache"
    load_corpus(corpus, cache)
    for _ in range(20):
        briefing = load_corpus(corpus, cache).briefings[0]
        seen: list[tuple] = []
        start = threading.Barrier(4)

        def ask(briefing=briefing, seen=seen, start=start):
            start.wait()
            sections = briefing.sections
            seen.append((sections, [s.body for s in sections]))

        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(sections is seen[0][0] for sections, _ in seen)
        assert all(bodies == seen[0][1] for _, bodies in seen)


def test_listing_every_sections_place_makes_no_sections_and_matches_them(corpus, tmp_path):
    cache = tmp_path / "cache"
    read = load_corpus(corpus, cache)  # read from the files: sections made
    engine = Engine.open(corpus, cache_dir=cache)
    places = [b.places() for b in engine.briefings]
    assert _made(engine) == []  # `pillars` lists them all without making them
    assert places == [[(s.id, s.path) for s in b.sections] for b in read.briefings]
    assert all(b.sections for b in engine.briefings)
    assert [b.places() for b in engine.briefings] == places  # and once they are made
    assert ("b2/ports/harbours", ("Ports", "Harbours")) in places[2]

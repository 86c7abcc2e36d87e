"""A search that skips the per-pillar counts (the CLI's plain output) finds the same."""

from __future__ import annotations

import pytest
from partner_tui.search.engine import Engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    opened = Engine.open(cache_dir=tmp_path_factory.mktemp("cache"))
    yield opened
    opened.close()


@pytest.mark.parametrize("text", ["digital", "technology OR invest*", "digital -japan", "partner*"])
def test_without_pillar_counts_the_hits_and_total_are_the_same(engine, text):
    counted = engine.search(text, limit=50)
    uncounted = engine.search(text, limit=50, count_pillars=False)
    assert counted.total > 0 and counted.pillar_counts
    assert uncounted.total == counted.total == sum(counted.pillar_counts.values())
    assert uncounted.hits == counted.hits
    assert uncounted.pillar_counts == {}


def test_a_pillar_filter_without_counts_still_narrows_the_total(engine):
    counted = engine.search("digital")
    pillar, count = max(counted.pillar_counts.items(), key=lambda item: item[1])
    narrowed = engine.search("digital", pillar=pillar, count_pillars=False)
    assert narrowed.total == count < counted.total
    assert all(hit.section_id.startswith(pillar) for hit in narrowed.hits)

"""Did-you-mean comes from the index's own words, and is offered, never applied."""

from __future__ import annotations

import pytest
from partner_tui.search.engine import Engine
from support_query_lab import IRRIGATION, REPORT, ids, open_lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    yield from open_lab(tmp_path_factory)


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Engine:
    engine = Engine.open(cache_dir=tmp_path_factory.mktemp("cache"))
    yield engine
    engine.close()


def test_misspelling_on_the_seed_suggests_the_word(seed):
    outcome = seed.search("sustainabilty")
    assert (outcome.total, outcome.hits) == (0, ())  # not silently corrected
    assert outcome.suggestion == "sustainability"
    assert seed.search(outcome.suggestion).total > 0


def test_only_the_misspelt_word_is_replaced(lab):
    outcome = lab.search("drip irigation")
    assert outcome.total == 0
    assert outcome.suggestion == "drip irrigation"
    assert ids(lab, outcome.suggestion) == [IRRIGATION]


def test_a_query_finding_little_still_gets_a_suggestion_that_finds_more(lab):
    outcome = lab.search("solar OR irigation")
    assert outcome.total == 2
    assert outcome.suggestion == "solar OR irrigation"
    # A correction that finds no more than the query already does is not offered.
    assert lab.search("sustainability OR emisions").suggestion is None


def test_no_suggestion_when_the_query_finds_enough_or_nothing_better_exists(lab):
    assert lab.search("green").suggestion is None
    assert lab.search("xylophone").suggestion is None
    # Every word is in the index; the combination just does not occur.
    assert lab.search("robots irrigation").suggestion is None


@pytest.mark.parametrize("query", ["sus*", "irig*", "sustainabilty~", "zzz~"])
def test_loose_terms_are_never_corrected(lab, query):
    assert lab.search(query).suggestion is None


def test_suggestion_respects_the_pillar_filter(lab):
    # The corrected word exists, but not in this pillar: suggesting it would find nothing.
    assert lab.search("irigation", pillar="Robotics").suggestion is None
    assert lab.search("sustainabilty", pillar="Sustainability Report").suggestion == (
        "sustainability"
    )
    assert ids(lab, "sustainability", pillar="Sustainability Report") == [REPORT]

"""What each piece of the query language finds, on a briefing written for the purpose."""

from __future__ import annotations

import pytest
from partner_tui.search.engine import UnknownPillar
from support_query_lab import (
    GREEN_BUILDINGS,
    GREEN_ENERGY,
    IRRIGATION,
    PARKS,
    REPORT,
    ROBOTICS,
    SOLAR_FARMS,
    TECHNOLOGY,
    ids,
    open_lab,
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    yield from open_lab(tmp_path_factory)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("technology", {TECHNOLOGY}),  # the body says "technologies"
        ("technologies", {TECHNOLOGY}),
        ("robots", {ROBOTICS}),  # title "Robotics", body "robots", "Robotic"
        ("robotics", {ROBOTICS}),
        ("IRRIGATION", {IRRIGATION}),
    ],
)
def test_english_stemming(lab, query, expected):
    assert set(ids(lab, query)) == expected


def test_words_are_anded(lab):
    assert ids(lab, "green energy") == [GREEN_ENERGY]
    assert ids(lab, "green heating") == [GREEN_BUILDINGS]
    assert ids(lab, "robots irrigation") == []


def test_or(lab):
    assert set(ids(lab, "solar OR irrigation")) == {GREEN_ENERGY, SOLAR_FARMS, IRRIGATION}


@pytest.mark.parametrize("query", ["green NOT energy NOT parks", "green -energy -parks"])
def test_not_and_minus(lab, query):
    assert ids(lab, query) == [GREEN_BUILDINGS]


def test_hyphenated_word_is_a_word_not_an_exclusion(lab):
    assert ids(lab, "low-carbon") == [REPORT]
    assert ids(lab, "carbon -emissions") == []


def test_exact_phrase(lab):
    assert ids(lab, '"drip irrigation"') == [IRRIGATION]
    assert ids(lab, '"irrigation drip"') == []
    assert ids(lab, '"wind turbines" clean') == [GREEN_ENERGY]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("irrigat*", {IRRIGATION}),  # its stem is `irrig`: prefixes must see whole words
        ("sus*", {REPORT}),
        ("technolog*", {TECHNOLOGY}),
        ("robo*", {ROBOTICS}),
        ("tur?ines", {GREEN_ENERGY}),
    ],
)
def test_prefix_and_wildcards(lab, query, expected):
    assert set(ids(lab, query)) == expected


def test_title_field(lab):
    assert set(ids(lab, "title:green")) == {GREEN_ENERGY, GREEN_BUILDINGS}
    assert ids(lab, "title:sus*") == [REPORT]
    assert ids(lab, "title:solar") == [SOLAR_FARMS]  # the others say solar in the body


def test_pillar_field_covers_sub_sections(lab):
    assert set(ids(lab, "pillar:energy")) == {GREEN_ENERGY, SOLAR_FARMS}
    assert ids(lab, "pillar:energy mines") == [SOLAR_FARMS]
    assert ids(lab, 'pillar:"green buildings" roofs') == [GREEN_BUILDINGS]


def test_other_field_names_are_just_words(lab):
    outcome = lab.search("id:robotics")
    assert [h.section_id for h in outcome.hits] == []  # `id` AND `robotics`: no section has id
    assert ids(lab, "body:robots") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("irigation~", {IRRIGATION}),
        ("sustainabilty~", {REPORT}),
        ("robts~", {ROBOTICS}),  # one edit: robots
        ("robts~2", {ROBOTICS, GREEN_BUILDINGS}),  # two edits also reach "roofs"
        ("robts~9", {ROBOTICS, GREEN_BUILDINGS}),  # capped at two
    ],
)
def test_fuzzy(lab, query, expected):
    assert set(ids(lab, query)) == expected


def test_title_matches_rank_first(lab):
    ranked = ids(lab, "green")
    assert set(ranked[:2]) == {GREEN_ENERGY, GREEN_BUILDINGS}
    assert ranked[-1] == PARKS


def test_limit_caps_hits_but_not_the_total(lab):
    outcome = lab.search("green", limit=1)
    assert len(outcome.hits) == 1
    assert outcome.total == 3


def test_per_pillar_counts_cover_every_pillar_even_when_filtered(lab):
    everywhere = lab.search("solar OR green")
    assert everywhere.pillar_counts == {GREEN_ENERGY: 2, GREEN_BUILDINGS: 1, PARKS: 1}
    assert everywhere.total == 4
    narrowed = lab.search("solar OR green", pillar="Green Energy")
    assert {h.section_id for h in narrowed.hits} == {GREEN_ENERGY, SOLAR_FARMS}
    assert narrowed.total == 2
    assert narrowed.pillar_counts == everywhere.pillar_counts


@pytest.mark.parametrize("name", ["Green Energy", "green-energy", "lab/green-energy", "energy"])
def test_pillar_option_accepts_id_slug_or_title(lab, name):
    assert lab.resolve_pillar(name) == GREEN_ENERGY


def test_unknown_or_ambiguous_pillar(lab):
    with pytest.raises(UnknownPillar, match="no pillar matches 'oceans'"):
        lab.search("green", pillar="oceans")
    with pytest.raises(UnknownPillar, match="ambiguous"):
        lab.search("green", pillar="green")


@pytest.mark.parametrize("query", ["", "   ", "the", "and of"])
def test_nothing_searchable_finds_nothing(lab, query):
    outcome = lab.search(query)
    assert (outcome.total, outcome.hits, outcome.suggestion) == (0, (), None)

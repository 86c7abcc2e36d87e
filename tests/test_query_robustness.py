"""Malformed input never raises: it falls back to searching its plain words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from partner_tui.search.query import parse_query
from support_cases import cases
from support_query_lab import GREEN_ENERGY, ids, open_lab

SYNTAX_PIECES = [
    '"',
    "(",
    ")",
    "*",
    "?",
    "~",
    "~2",
    "-",
    "+",
    ":",
    "^",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "/",
    "'",
    " ",
    " ",
    " ",
    "AND",
    "OR",
    "NOT",
    "TO",
    "ANDNOT",
    "pillar:",
    "title:",
    "body:",
    "green",
    "solar",
    "irrigat",
    "robots",
    "the",
    "2",
    "é",
    "\u2019",
    "\x1b",
    "\n",
]
queries_from_syntax = st.lists(st.sampled_from(SYNTAX_PIECES), max_size=12).map("".join)
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    yield from open_lab(tmp_path_factory)


def _check(engine, text: str) -> None:
    outcome = engine.search(text, limit=5)
    assert outcome.total >= len(outcome.hits)
    assert sum(outcome.pillar_counts.values()) >= outcome.total
    for hit in outcome.hits:
        assert all(0 <= a < b <= len(hit.snippet) for a, b in hit.spans)
    body = engine.section(GREEN_ENERGY).body
    assert all(0 <= a < b <= len(body) for a, b in engine.spans(GREEN_ENERGY, text))
    engine.title_spans(GREEN_ENERGY, text)


@settings(max_examples=cases(300), deadline=None, suppress_health_check=HEALTH)
@given(st.text(max_size=60))
def test_arbitrary_text_never_raises(lab, text):
    _check(lab, text)


@settings(max_examples=cases(500), deadline=None, suppress_health_check=HEALTH)
@given(queries_from_syntax)
def test_text_made_of_query_syntax_never_raises(lab, text):
    _check(lab, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"solar', [GREEN_ENERGY, "lab/green-energy/solar-farms"]),
        ("AND", []),
        ("*", []),
        ("**", []),
        ("?", []),
        ("((", []),
        ("((solar", [GREEN_ENERGY, "lab/green-energy/solar-farms"]),
        ("pillar:", []),
        ("title:", []),
        ("solar OR", [GREEN_ENERGY, "lab/green-energy/solar-farms"]),
        ("OR solar", [GREEN_ENERGY, "lab/green-energy/solar-farms"]),
        ("pillar:*", []),
    ],
)
def test_malformed_queries_fall_back_to_plain_words(lab, text, expected):
    assert parse_query(text).fell_back
    assert sorted(ids(lab, text)) == sorted(expected)
    assert lab.search(text).fell_back


def test_well_formed_queries_do_not_fall_back():
    for text in ["solar", "solar OR wind", '"drip irrigation"', "irrig*", "title:green", "a~"]:
        assert not parse_query(text).fell_back, text

"""Highlight spans: offsets of every match, stemmed variants and phrases included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from partner_tui.search.highlight import make_snippet
from partner_tui.search.schema import STEMMED, WORDS
from partner_tui.search.tokens import stemmed_tokens, word_tokens
from support_cases import cases
from support_query_lab import (
    GREEN_BUILDINGS,
    GREEN_ENERGY,
    IRRIGATION,
    REPORT,
    ROBOTICS,
    SOLAR_FARMS,
    open_lab,
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    yield from open_lab(tmp_path_factory)


def _marked(text: str, spans) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_spans_cover_stemmed_variants(lab):
    body = lab.section(ROBOTICS).body
    assert _marked(body, lab.spans(ROBOTICS, "robots")) == ["robots", "Robotic"]


def test_spans_cover_phrases_as_one_span(lab):
    body = lab.section(IRRIGATION).body
    assert _marked(body, lab.spans(IRRIGATION, '"drip irrigation"')) == ["drip irrigation"]


def test_spans_cover_whole_words_for_prefixes_and_fuzzy_terms(lab):
    body = lab.section(IRRIGATION).body
    assert _marked(body, lab.spans(IRRIGATION, "irrigat*")) == ["irrigation"]
    assert _marked(body, lab.spans(IRRIGATION, "irigation~")) == ["irrigation"]


def test_excluded_words_are_not_highlighted(lab):
    body = lab.section(GREEN_BUILDINGS).body
    assert _marked(body, lab.spans(GREEN_BUILDINGS, "green -energy")) == ["Green"]


def test_hyphenated_words_are_highlighted(lab):
    body = lab.section(REPORT).body
    assert _marked(body, lab.spans(REPORT, "low-carbon")) == ["carbon", "low", "carbon"]


def test_title_spans(lab):
    title = lab.section(SOLAR_FARMS).title
    assert _marked(title, lab.title_spans(SOLAR_FARMS, "farm")) == ["Farms"]


def test_each_hit_carries_its_title_spans_and_they_stay_out_of_json(lab):
    hit = next(hit for hit in lab.search("farm").hits if hit.section_id == SOLAR_FARMS)
    assert _marked(hit.title, hit.title_spans) == ["Farms"]
    assert list(hit.title_spans) == lab.title_spans(SOLAR_FARMS, "farm")
    assert "title_spans" not in hit.as_json()


def test_spans_of_a_malformed_query_are_its_plain_words(lab):
    body = lab.section(GREEN_ENERGY).body
    assert _marked(body, lab.spans(GREEN_ENERGY, '"solar (')) == ["Solar"]


def test_hit_snippet_spans_point_at_matching_words(lab):
    for hit in lab.search("green OR solar").hits:
        marked = _marked(hit.snippet, hit.spans)
        assert marked, hit
        assert {word.lower() for word in marked} <= {"green", "solar"}


def test_long_body_snippet_is_centred_on_the_matches():
    text = " ".join(["filler"] * 200) + " the needle is here " + " ".join(["after"] * 200)
    start = text.index("needle")
    snippet, spans = make_snippet(text, [(start, start + len("needle"))])
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 260
    assert [snippet[a:b] for a, b in spans] == ["needle"]


def test_snippet_collapses_line_breaks_and_keeps_spans_aligned():
    text = "First line.\n\nSecond   line with the word."
    start = text.index("word")
    snippet, spans = make_snippet(text, [(start, start + 4)])
    assert snippet == "First line. Second line with the word."
    assert [snippet[a:b] for a, b in spans] == ["word"]


@settings(max_examples=cases(300), deadline=None)
@given(st.text())
def test_fast_tokenizers_agree_with_the_index_analyzers(text):
    assert list(stemmed_tokens(text)) == [
        (t.text, t.startchar, t.endchar, t.pos)
        for t in STEMMED(text, chars=True, positions=True, mode="index")
    ]
    assert list(word_tokens(text)) == [
        (t.text, t.startchar, t.endchar, t.pos)
        for t in WORDS(text, chars=True, positions=True, mode="index")
    ]


words_and_spaces = st.lists(
    st.one_of(
        st.sampled_from(["solar", "wind", "the", "Grid", "x"]),
        st.sampled_from([" ", "\n", "  ", "\n\n", ". "]),
    ),
    max_size=200,
).map("".join)


@settings(max_examples=cases(300), deadline=None)
@given(words_and_spaces, st.integers(min_value=20, max_value=300))
def test_snippet_spans_always_mark_the_same_words(text, width):
    spans = [(start, end) for word, start, end, _ in word_tokens(text) if word in {"solar", "grid"}]
    snippet, rebased = make_snippet(text, spans, width=width)
    assert "\n" not in snippet and "  " not in snippet
    marked = [snippet[a:b] for a, b in rebased]
    originals = [text[a:b] for a, b in spans]
    assert all(word in ("solar", "Grid") for word in marked)
    assert len(marked) <= len(originals)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(rebased, rebased[1:], strict=False))
    if spans:
        assert marked, "the snippet must show at least one match"
    if spans and len(text) <= width:
        assert len(marked) == len(originals)


def test_snippet_edge_never_skips_past_the_match():
    # Snapping the start forward to the next space used to jump over a match preceded by
    # a line break, leaving an empty snippet.
    text = "solarsolarsolar\nsolar "
    snippet, spans = make_snippet(text, [(16, 21)], width=20)
    assert [snippet[a:b] for a, b in spans] == ["solar"]

"""reStructuredText: sections from adornments nested in order of appearance, literal
blocks kept, directives never headings, inline markup rendered without its markers."""

from __future__ import annotations

from partner_tui.search.corpus import load_corpus
from support_engine import FIXTURES

GUIDE = FIXTURES / "reading" / "guide.rst"


def _runs(section, kind):
    return [(section.body[r.start : r.end], r.target) for r in section.runs if r.kind == kind]


def test_a_unique_top_title_names_the_document_and_sections_nest_by_adornment_order():
    briefing = load_corpus(GUIDE).briefings[0]
    assert briefing.title == "Harbour Guide"
    assert [s.path for s in briefing.sections] == [
        ("Overview",),
        ("Cranes",),
        ("Cranes", "Quays"),
        ("Berths",),
    ]


def test_inline_markup_is_rendered_and_links_keep_their_urls():
    overview = load_corpus(GUIDE).briefings[0].sections[0]
    assert overview.body == (
        "The guide covers cranes, berths and crane --status; see the operations manual and Harbour."
    )
    assert _runs(overview, "emphasis") == [("cranes", "")]
    assert _runs(overview, "strong") == [("berths", "")]
    assert _runs(overview, "code") == [("crane --status", "")]
    assert _runs(overview, "link") == [
        ("operations manual", "https://example.org/manual"),
        ("Harbour", "https://example.org/harbour"),
    ]


def test_literal_blocks_and_code_directives_are_kept_line_for_line():
    cranes, quays = load_corpus(GUIDE).briefings[0].sections[1:3]
    assert "Every crane reports its state:\n\ncrane --status north\ncrane --status south" in (
        cranes.body
    )
    assert _runs(cranes, "code_block") == [("crane --status north\ncrane --status south", "")]
    assert _runs(quays, "code_block") == [("quay --list", "bash")]
    assert "=====  ========\nQuay   Length" in _runs(quays, "table")[0][0]


def test_directives_and_comments_are_not_headings_and_comments_are_hidden():
    briefing = load_corpus(GUIDE).briefings[0]
    cranes = briefing.sections[1]
    assert "Note:\n\nCranes stop when the wind passes forty knots." in cranes.body
    everything = " ".join(s.body for s in briefing.sections)
    assert "comment" not in everything and "_Harbour" not in everything
    assert not any("note" in s.title.lower() for s in briefing.sections)

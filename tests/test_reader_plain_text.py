"""Plain-text briefings: short unpunctuated lines are headings, `- Item` lines sub-sections."""

from __future__ import annotations

import pytest
from partner_tui.search.corpus import load_corpus
from partner_tui.search.readers.plain_text import read_plain_text
from support_engine import (
    FIXTURES,
    SEED,
    body_lines,
    section_words,
    source_lines,
    source_words,
    write_corpus,
)

PORT = FIXTURES / "port-briefing.txt"
WRAPPED = FIXTURES / "wrapped-notes.txt"


@pytest.fixture(scope="module")
def port():
    return load_corpus(PORT).briefings[0]


def test_headings_items_and_ids(port):
    assert port.title == "Port Logistics Briefing"
    assert [s.id for s in port.sections] == [
        "port-briefing/overview",
        "port-briefing/digital-customs",
        "port-briefing/digital-customs/single-window-systems",
        "port-briefing/digital-customs/risk-based-inspection",
        "port-briefing/green-shipping",
        "port-briefing/closing-thoughts",
    ]


def test_a_run_of_items_is_an_ordinary_list(port):
    green = port.sections[4]
    assert green.body.endswith("- Audit Berth Power\n\n- Track Fuel Use")
    assert not port.children(green)


def test_nothing_lost_or_doubled(port):
    text = PORT.read_text(encoding="utf-8")
    leave_out = [
        "---",
        "title: Port Logistics Briefing",
        "---",
        "Also Read: Ten Ports to Watch",
        "Digital Customs",
        "- Single Window Systems",
        "- Risk-Based Inspection",
        "Green Shipping",
        "Closing Thoughts",
    ]
    assert body_lines(port) == source_lines(text, leave_out)
    assert port.also_read == ("Ten Ports to Watch",)


def test_hard_wrapped_paragraphs_do_not_become_headings():
    briefing = load_corpus(WRAPPED).briefings[0]
    assert [s.title for s in briefing.sections] == ["Harbour Automation", "Workforce"]
    assert briefing.title == "Harbour Automation"
    text = WRAPPED.read_text(encoding="utf-8")
    assert section_words(briefing) == source_words(text)
    # Paragraph lines are rejoined into one paragraph, to be wrapped at the reader's width.
    assert briefing.sections[0].body == (
        "Remote cranes now move most containers in the Eastern Terminal and operators say "
        "the change was faster than planned."
    )


def test_heading_directly_followed_by_its_paragraph_in_blank_separated_text():
    parsed = read_plain_text("Intro text here.\n\nFirst Topic\nIt begins here.\n\nMore text.\n")
    assert [s.path for s in parsed.sections] == [("Overview",), ("First Topic",)]


def test_lines_ending_in_punctuation_or_too_long_are_body():
    long_line = " ".join(["Word"] * 20)
    parsed = read_plain_text(f"Not a heading.\nBody one.\n{long_line}\nBody two.\n")
    assert [s.path for s in parsed.sections] == [("Overview",)]


def test_item_before_any_pillar_is_body():
    parsed = read_plain_text("- Lonely Item\nSome text follows.\n")
    assert [s.path for s in parsed.sections] == [("Overview",)]


def test_a_stray_blank_line_does_not_change_how_the_seed_reads(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    first_line_end = text.index("\n")
    edited = text[:first_line_end] + "\n" + text[first_line_end:]  # blank after the overview
    root = write_corpus(tmp_path / "c", {"seed.txt": edited})
    sections = load_corpus(root).briefings[0].sections
    assert len(sections) == 11
    assert sections[1].title == "A Strategic Alliance Built on Technology and Innovation"

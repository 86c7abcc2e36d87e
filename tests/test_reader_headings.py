"""Plain-text headings found by context, measured on hand-labelled real documents and
on the shapes that fooled the first reader (see benchmarks/heading_accuracy.py)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from partner_tui.search.readers import read_document
from support_engine import FIXTURES

HEADINGS = FIXTURES / "headings"
LABELLED = [d for d in json.loads((HEADINGS / "labels.json").read_text())["documents"]]
STORED = [d for d in LABELLED if "fixture" in d]


def _titles(text: str) -> list[str]:
    return [s.path[-1] for s in read_document(".txt", text).sections if not s.is_overview]


def _normal(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(":.")


@pytest.mark.parametrize("document", STORED, ids=lambda d: d["fixture"])
def test_labelled_licences_read_with_nine_in_ten_headings_right(document):
    text = (HEADINGS / document["fixture"]).read_text(encoding="utf-8")
    truth = Counter(_normal(h) for h in document["headings"])
    found = Counter(_normal(h) for h in _titles(text))
    right = sum((truth & found).values())
    assert right >= 0.9 * sum(found.values()), found - truth
    assert right >= 0.9 * sum(truth.values()), truth - found


def test_numbered_underlined_caps_and_colon_headings_are_found():
    text = (
        "Usage Guide\n===========\n\nIntro text for the guide.\n\n"
        "0. Definitions.\n\nWords mean what they say here.\n\n"
        "2.1. Grants\n\nThe grants are broad and cover every use.\n\n"
        "1.2 Documentation for command-line tools\n\nTools print help with a flag.\n\n"
        "IV. Remedies\n\nRemedies are listed in the annex.\n\n"
        "LIMITATION OF LIABILITY\n\nNobody is liable for anything at all.\n\n"
        "Portability:\nThe code runs on every system we know of and a few more that we\n"
        "have only heard of from friends.\n"
    )
    assert _titles(text) == [
        "Usage Guide",
        "0. Definitions.",
        "2.1. Grants",
        "1.2 Documentation for command-line tools",
        "IV. Remedies",
        "LIMITATION OF LIABILITY",
        "Portability:",
    ]


def test_underlines_never_become_sections():
    titles = _titles("Install\n-------\n\nRun the installer.\n\nUse\n===\n\nRun it.\n")
    assert titles == ["Install", "Use"]


def test_the_first_line_of_a_wrapped_paragraph_stays_with_its_paragraph():
    text = (
        "  16. Limitation of Liability.\n\n"
        "  IN NO EVENT UNLESS REQUIRED BY APPLICABLE LAW OR AGREED TO IN WRITING\n"
        "WILL ANY COPYRIGHT HOLDER, OR ANY OTHER PARTY WHO MODIFIES AND/OR CONVEYS\n"
        "THE PROGRAM AS PERMITTED ABOVE, BE LIABLE TO YOU FOR DAMAGES.\n"
    )
    parsed = read_document(".txt", text)
    assert [s.path[-1] for s in parsed.sections] == ["16. Limitation of Liability."]
    assert parsed.sections[0].finish()[0].startswith("IN NO EVENT UNLESS REQUIRED")


def test_list_items_commands_and_directives_are_never_headings():
    text = (
        "Building\n\nThe build needs a compiler and a shell that works well.\n\n"
        "* Fast Mode\n\n* Safe Mode\n\n* Quiet Mode\n\n"
        "1. First Step\n\n2. Second Step\n\n3. Third Step\n\n"
        "./configure --disable-libdns\n\nThat turns the resolver off for good.\n\n"
        ".. code-block:: bash\n\nThe block above is a directive, not a title.\n"
    )
    assert _titles(text) == ["Building"]


def test_the_bundled_briefings_style_keeps_its_item_sub_sections():
    text = (
        "Opening paragraph of the briefing that runs on for a while.\n"
        "Regional Outlook\n"
        "The outlook is bright for the whole region this year.\n"
        "- Ports and Harbours\n"
        "Ports are growing faster than at any time before.\n"
    )
    parsed = read_document(".txt", text)
    assert [s.path for s in parsed.sections] == [
        ("Overview",),
        ("Regional Outlook",),
        ("Regional Outlook", "Ports and Harbours"),
    ]

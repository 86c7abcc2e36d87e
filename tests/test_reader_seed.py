"""The bundled briefing reads into an overview, seven pillars and three sub-sections."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from partner_tui.search.corpus import bundled_corpus_path, load_corpus
from support_engine import SEED, SEED_ID, body_lines, source_lines

PILLARS = [
    "A Strategic Alliance Built on Technology and Innovation",
    "Driving Industry 4.0 and Smart Infrastructure",
    "Sustainability as a Core Focus",
    "Strengthening Digital Infrastructure and Talent",
    "Implications for Japan\u2019s Tech Industry",
    "Broader Business Impact Across Asia-Pacific",
    "Conclusion",
]
SUB_SECTIONS = [
    "Expansion of Cross-Border Innovation",
    "Increase in Investment for Emerging Technologies",
    "Emergence of Regional Tech Ecosystems",
]
ALSO_READ = (
    "Also Read: Japan\u2019s Telecom Giants Launch \u201cJAPAN Roaming\u201d "
    "to Strengthen Emergency Connectivity Nationwide"
)
EXPECTED_IDS = [
    f"{SEED_ID}/overview",
    f"{SEED_ID}/a-strategic-alliance-built-on-technology-and-innovation",
    f"{SEED_ID}/driving-industry-4-0-and-smart-infrastructure",
    f"{SEED_ID}/sustainability-as-a-core-focus",
    f"{SEED_ID}/strengthening-digital-infrastructure-and-talent",
    f"{SEED_ID}/implications-for-japans-tech-industry",
    f"{SEED_ID}/broader-business-impact-across-asia-pacific",
    f"{SEED_ID}/broader-business-impact-across-asia-pacific/expansion-of-cross-border-innovation",
    f"{SEED_ID}/broader-business-impact-across-asia-pacific/"
    "increase-in-investment-for-emerging-technologies",
    f"{SEED_ID}/broader-business-impact-across-asia-pacific/emergence-of-regional-tech-ecosystems",
    f"{SEED_ID}/conclusion",
]


@pytest.fixture(scope="module")
def briefing():
    corpus = load_corpus(bundled_corpus_path())
    assert len(corpus.briefings) == 1
    return corpus.briefings[0]


def test_opens_with_an_overview_then_exactly_the_seven_pillars(briefing):
    assert briefing.sections[0].is_overview
    assert briefing.sections[0].title == "Overview"
    assert [p.title for p in briefing.pillars] == PILLARS


def test_broader_business_impact_has_its_three_sub_sections(briefing):
    broader = briefing.pillars[5]
    assert [s.title for s in briefing.children(broader)] == SUB_SECTIONS
    for sub in briefing.children(broader):
        assert sub.path == (broader.title, sub.title)
        assert sub.pillar_id == broader.id
    assert all(not briefing.children(p) for p in briefing.pillars if p is not broader)


def test_section_ids_are_exactly_these(briefing):
    assert [s.id for s in briefing.sections] == EXPECTED_IDS


def test_ids_are_the_same_on_every_load():
    first = [s.id for s in load_corpus().briefings[0].sections]
    second = [s.id for s in load_corpus().briefings[0].sections]
    assert first == second == EXPECTED_IDS


def test_title_comes_from_the_sidecar_metadata(briefing):
    assert briefing.id == SEED_ID
    title = "Malaysia\u2013Japan Cooperation in Innovation and Digital Transformation"
    assert briefing.title == title
    assert briefing.metadata["language"] == "en"
    assert "title" not in briefing.metadata


def test_also_read_line_is_metadata_not_body_and_not_searchable(briefing):
    assert briefing.also_read == (ALSO_READ.removeprefix("Also Read: "),)
    assert all("Also Read" not in s.body for s in briefing.sections)
    assert all("Roaming" not in s.body for s in briefing.sections)


def test_every_other_line_is_in_exactly_one_section(briefing):
    text = SEED.read_text(encoding="utf-8")
    headings = PILLARS + [f"- {title}" for title in SUB_SECTIONS]
    assert body_lines(briefing) == source_lines(text, [*headings, ALSO_READ])


def test_every_sentence_is_in_exactly_one_section(briefing):
    text = SEED.read_text(encoding="utf-8")
    skipped = {*PILLARS, *(f"- {t}" for t in SUB_SECTIONS), ALSO_READ}
    paragraphs = [line for line in text.split("\n") if line.strip() and line not in skipped]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if s]
    assert len(sentences) > 30
    for sentence in sentences:
        holders = [s.id for s in briefing.sections if sentence in s.body]
        assert len(holders) == 1, (sentence, holders)


def test_bodies_keep_one_paragraph_per_source_line(briefing):
    conclusion = briefing.sections[-1]
    assert conclusion.body.count("\n\n") == 1
    assert conclusion.body.startswith("The emerging cooperation between Malaysia and Japan")


def test_ids_are_the_same_in_another_process_with_another_hash_seed():
    code = (
        "import json; from partner_tui.search.corpus import load_corpus; "
        "c = load_corpus(); print(json.dumps([[s.id for s in c.briefings[0].sections], "
        "c.fingerprint]))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        for seed in ("1", "2")
    ]
    (ids_1, fingerprint_1), (ids_2, fingerprint_2) = (json.loads(r.stdout) for r in runs)
    assert ids_1 == ids_2 == EXPECTED_IDS
    assert fingerprint_1 == fingerprint_2 == load_corpus().fingerprint

"""Markdown briefings: headings nest, code and lists stay body, nothing lost or doubled."""

from __future__ import annotations

import pytest
from partner_tui.search.corpus import load_corpus
from partner_tui.search.readers.markdown import read_markdown
from support_engine import FIXTURES, section_words, source_words, write_corpus

SOURCE = FIXTURES / "field-notes.md"
B = "field-notes"


@pytest.fixture(scope="module")
def briefing():
    return load_corpus(SOURCE).briefings[0]


def test_title_from_front_matter_and_other_keys_are_metadata(briefing):
    assert briefing.title == "Field Notes on Smart Ports"
    assert briefing.metadata == {"author": "Desk Team"}


def test_headings_nest_into_ids_from_the_heading_path(briefing):
    assert [(s.id, s.path) for s in briefing.sections] == [
        (f"{B}/overview", ("Overview",)),
        (f"{B}/automation-on-the-quay", ("Automation on the Quay",)),
        (
            f"{B}/automation-on-the-quay/safety-records",
            ("Automation on the Quay", "Safety Records"),
        ),
        (f"{B}/customs-modernisation", ("Customs Modernisation",)),
        (
            f"{B}/customs-modernisation/single-window",
            ("Customs Modernisation", "Single Window"),
        ),
        (f"{B}/energy-and-emissions", ("Energy and Emissions",)),
        (f"{B}/automation-on-the-quay-2", ("Automation on the Quay",)),
    ]


def test_fenced_code_keeps_hash_lines_and_promotion_like_lines(briefing):
    quay = briefing.sections[1]
    assert "# this comment is not a heading" in quay.body
    assert 'print("# nor is this")' in quay.body
    assert "Also Read: this line is code, not a promotion" in quay.body


def test_lists_are_shown_with_bullets_and_a_new_bullet_character_starts_a_new_list(briefing):
    safety = briefing.sections[2]
    assert "• Fewer people near moving loads\n• Clearer camera coverage\n\n• Night" in safety.body
    markers = [safety.body[r.start : r.end] for r in safety.runs if r.kind == "list_marker"]
    assert markers == ["•", "•", "•"]


def test_also_read_is_metadata_but_a_related_sentence_is_body(briefing):
    assert briefing.also_read == ("Why Ports Matter",)
    assert "Related: the same portal also issues permits." in briefing.sections[4].body


def test_nothing_lost_or_doubled(briefing):
    """Every word of the source is in exactly one section's title or text, except the
    front matter, the title line, the promotion and the fence's language name."""
    text = SOURCE.read_text(encoding="utf-8")
    leave_out = [
        "title: Field Notes on Smart Ports",
        "author: Desk Team",
        "# Field Notes on Smart Ports",
        "Also Read: Why Ports Matter",
        "python",
    ]
    assert section_words(briefing) == source_words(text, leave_out)


def test_several_top_level_headings_are_pillars_and_the_first_names_the_document():
    parsed = read_markdown("# One\n\nfirst\n\n# Two\n\nsecond\n")
    assert parsed.title == "One"
    assert [s.path for s in parsed.sections] == [("One",), ("Two",)]


def test_first_lone_h1_is_the_title_when_there_is_no_front_matter(tmp_path):
    root = write_corpus(tmp_path / "c", {"notes.md": "# My Notes\n\nIntro.\n\n## Part\n\nText.\n"})
    briefing = load_corpus(root).briefings[0]
    assert briefing.title == "My Notes"
    assert [s.title for s in briefing.sections] == ["Overview", "Part"]


def test_title_falls_back_to_the_file_name_with_its_case_kept(tmp_path):
    root = write_corpus(
        tmp_path / "c", {"GPL-3_notes.md": "Text only.\n", "badge.md": "# ![ci](x.svg)\n\nText.\n"}
    )
    assert [b.title for b in load_corpus(root).briefings] == ["GPL-3 notes", "badge"]


def test_title_is_the_first_real_heading_never_a_badge(tmp_path):
    text = "# ![libsodium](https://example.org/logo.png)\n\nIntro.\n\n## Build `it`\n\nText.\n"
    root = write_corpus(tmp_path / "c", {"readme.md": text})
    briefing = load_corpus(root).briefings[0]
    assert briefing.title == "Build it"
    assert briefing.sections[0].body == "libsodium\n\nIntro."


def test_a_longer_fence_is_not_closed_by_a_shorter_or_labelled_one():
    parsed = read_markdown("````\n```python\n# inside\n```\n# still inside\n````\n## Out\n\nx\n")
    assert [s.path for s in parsed.sections] == [("Overview",), ("Out",)]
    assert "# still inside" in parsed.sections[0].finish()[0]


def test_setext_underline_inside_a_list_is_not_a_heading():
    parsed = read_markdown("Intro.\n\n- item\n---\n\nmore\n")
    assert [s.path for s in parsed.sections] == [("Overview",)]


def test_repeated_headings_get_distinct_ids_and_children_keep_plain_slugs(tmp_path):
    text = "## Notes\n\na\n\n### Detail\n\nb\n\n## Notes\n\nc\n\n### Detail\n\nd\n"
    root = write_corpus(tmp_path / "c", {"dup.md": text})
    ids = [s.id for s in load_corpus(root).briefings[0].sections]
    assert ids == ["dup/notes", "dup/notes/detail", "dup/notes-2", "dup/notes-2/detail"]


def test_ids_drop_accents_and_apostrophes_but_keep_other_scripts(tmp_path):
    text = "## Café Über Alles\n\na\n\n## Japan’s Plans\n\nb\n\n## 日本の技術\n\nc\n\n## !!!\n\nd\n"
    root = write_corpus(tmp_path / "c", {"Intl Notes.md": text})
    ids = [s.id for s in load_corpus(root).briefings[0].sections]
    assert ids == [
        "intl-notes/cafe-uber-alles",
        "intl-notes/japans-plans",
        "intl-notes/日本の技術",
        "intl-notes/section",
    ]


def test_markdown_is_read_as_rendered_text_with_style_runs():
    text = (
        "## Part\n\n<!-- # Hidden heading -->\n\nSee the [manual](https://x.org/m) and "
        "**bold** `code`.\n\n```\n# not a heading\n```\n"
    )
    parsed = read_markdown(text)
    assert [s.path for s in parsed.sections] == [("Part",)]
    body, runs = parsed.sections[0].finish()
    assert body == "See the manual and bold code.\n\n# not a heading"
    assert [(body[r.start : r.end], r.kind, r.target) for r in runs] == [
        ("manual", "link", "https://x.org/m"),
        ("bold", "strong", ""),
        ("code", "code", ""),
        ("# not a heading", "code_block", ""),
    ]


def test_a_leading_rule_is_not_front_matter_and_swallows_nothing():
    text = "---\n\nIntro paragraph here.\n\n## Part\n\nText.\n\n---\n\nMore text.\n"
    parsed = read_markdown(text)
    assert parsed.metadata == {}
    assert parsed.sections[0].finish()[0] == "Intro paragraph here."
    assert parsed.sections[1].finish()[0] == "Text.\n\nMore text."


def test_nested_front_matter_values_are_kept_and_a_different_h1_stays_a_section():
    text = "---\ntitle: Report\ntags:\n  - ports\n  - cranes\n---\n# Harbour\n\nText.\n"
    parsed = read_markdown(text)
    assert parsed.title == "Report"
    assert parsed.metadata["tags"] == "ports cranes"
    assert [s.path for s in parsed.sections] == [("Harbour",)]

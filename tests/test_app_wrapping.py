"""The reading view's word wrap: every line fits, no word is lost, offsets map back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from partner_tui.tui.widgets.wrapping import line_of, wrap_offsets
from rich.cells import cell_len


def shown(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in wrap_offsets(text, width)]


def test_lines_break_between_words():
    assert shown("Kelp grows fast in cold water", 10) == ["Kelp grows", "fast in", "cold water"]


def test_paragraphs_and_blank_lines_are_kept():
    assert shown("one\n\ntwo", 20) == ["one", "", "two"]


def test_a_word_wider_than_the_view_is_split():
    assert shown("abcdefghij xy", 4) == ["abcd", "efgh", "ij", "xy"]


def test_wide_characters_count_as_two_cells():
    assert shown("日本語の文章", 4) == ["日本", "語の", "文章"]


def test_line_of_finds_the_line_holding_an_offset():
    text = "Kelp grows fast in cold water"
    lines = wrap_offsets(text, 10)
    assert line_of(lines, text.index("fast")) == 1
    assert line_of(lines, text.index("water")) == 2


words = st.text(alphabet=st.sampled_from("ab語 \n"), max_size=80)


@given(text=words, width=st.integers(min_value=2, max_value=30))
def test_every_line_fits_and_no_word_is_lost(text, width):
    lines = shown(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(text.split()) == "".join("".join(lines).split())


def test_tree_labels_are_shortened_at_a_word_with_an_ellipsis():
    from partner_tui.tui.widgets.pillars_tree import shorten
    from rich.text import Text

    label = Text("  1 ").append("A Strategic Alliance Built on Technology", style="bold")
    short = shorten(label, 20)
    assert short.plain == "  1 A Strategic…"
    assert short.cell_len <= 20
    assert any("bold" in str(span.style) for span in short.spans)  # styles survive
    assert shorten(Text("Supercalifragilistic"), 8).plain == "Superca…"
    assert shorten(Text("Short"), 20).plain == "Short"

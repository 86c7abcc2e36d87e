"""Laying out a section's text and runs: paragraphs wrap to the width, list items wrap
under their text, kept blocks never wrap, quotes carry a bar, links are listed."""

from __future__ import annotations

from partner_tui.search.model import StyleRun
from partner_tui.tui.widgets.section_layout import (
    QUOTE_BAR,
    InlineRuns,
    layout_lines,
    line_of,
    line_text,
)
from rich.style import Style


def _shown(body, runs, width):
    return [
        line.note or line.prefix + body[line.start : line.end]
        for line in layout_lines(body, runs, width)
    ]


def test_paragraphs_wrap_and_list_items_hang_under_their_text():
    body = "One two three four five six.\n\n1. Alpha beta gamma delta epsilon."
    runs = (StyleRun(30, 32, "list_marker"),)
    assert _shown(body, runs, 16) == [
        "One two three",
        "four five six.",
        "",
        "1. Alpha beta",
        "   gamma delta",
        "   epsilon.",
    ]


def test_code_blocks_and_tables_keep_their_lines_whatever_the_width():
    body = "Intro.\n\nlong_command --with --many --flags\nsecond line"
    runs = (StyleRun(8, len(body), "code_block"),)
    assert _shown(body, runs, 12) == [
        "Intro.",
        "",
        "long_command --with --many --flags",
        "second line",
    ]


def test_quotes_carry_a_bar_on_every_wrapped_line():
    body = "Wind stops the cranes at forty knots."
    runs = (StyleRun(0, len(body), "quote"),)
    assert _shown(body, runs, 20) == [
        f"{QUOTE_BAR}Wind stops the",
        f"{QUOTE_BAR}cranes at forty",
        f"{QUOTE_BAR}knots.",
    ]


def test_links_are_listed_with_their_urls_under_the_text():
    body = "See the manual and the map."
    runs = (
        StyleRun(8, 14, "link", "https://x.org/manual"),
        StyleRun(23, 26, "link", "https://x.org/map"),
    )
    assert _shown(body, runs, 40)[-3:] == [
        "Links",
        "[1] manual: https://x.org/manual",
        "[2] map: https://x.org/map",
    ]
    lines = layout_lines(body, runs, 40)
    assert line_of(lines, body.index("map")) == 0


def test_inline_runs_style_exactly_their_characters_even_across_lines():
    body = "alpha beta gamma delta"
    runs = (StyleRun(6, 16, "strong"),)
    lines = layout_lines(body, runs, 11)
    styles = {"strong": Style(bold=True)}
    rendered = [
        line_text(body, line, InlineRuns(runs), lambda k: styles.get(k, Style())) for line in lines
    ]
    bold = [
        "".join(text.plain[s.start : s.end] for s in text.spans if s.style == Style(bold=True))
        for text in rendered
    ]
    assert [text.plain for text in rendered] == ["alpha beta", "gamma delta"]
    assert bold == ["beta", "gamma"]

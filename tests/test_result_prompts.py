"""Search results drawn by the worker: the same lines and marks Rich's own wrap gives.

The oracle is how the list built results before (Rich's `Text.wrap` per part, a hanging
indent, the matches stylized on top); the fast builder must agree with it line for line
and mark for mark, on ordinary words and on words wider than the list.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from partner_tui.search.model import Hit
from partner_tui.tui.widgets.result_prompts import INDENT, result_content
from rich.console import Console
from rich.style import Style as RichStyle
from rich.text import Text
from support_cases import cases
from textual.style import Style

MATCH = Style(bold=True, underline=True)
RICH_MATCH = RichStyle(bold=True, underline=True)
CONSOLE = Console(width=1000, color_system=None, legacy_windows=False)


def oracle(hit: Hit, place: str, bookmarked: bool, width: int):
    """(text, {(offset, character) marked as a match}, {(offset, bold/italic)}) as the
    Rich-built prompt had them."""
    title = Text(hit.title, style="bold")
    for start, end in hit.title_spans:
        title.stylize(RICH_MATCH, start, end)
    parts = [title, *([Text(place, style="italic")] if place else [])]
    snippet = Text(hit.snippet.replace("\n", " "))
    for start, end in hit.spans:
        snippet.stylize(RICH_MATCH, start, end)
    parts.append(snippet)
    prompt = Text("★ ", style="bold") if bookmarked else Text("  ")
    lines = []
    for part in parts:
        for line in part.wrap(CONSOLE, width - len(INDENT)):
            line.rstrip()
            lines.append(line)
    for number, line in enumerate(lines):
        if number:
            prompt.append("\n" + INDENT)
        prompt.append_text(line)
    prompt.append("\n")
    marked = {
        (offset, prompt.plain[offset])
        for span in prompt.spans
        if span.style == RICH_MATCH
        for offset in range(span.start, span.end)
    }
    styled = {
        (offset, attribute)
        for offset in range(len(prompt.plain))
        for attribute in ("bold", "italic")
        if getattr(prompt.get_style_at_offset(CONSOLE, offset), attribute)
    }
    return prompt.plain, marked, styled


def marked_by(content) -> set[tuple[int, str]]:
    return {
        (offset, content.plain[offset])
        for span in content.spans
        if span.style == MATCH
        for offset in range(span.start, span.end)
    }


def styled_by(content) -> set[tuple[int, str]]:
    return {
        (offset, attribute)
        for span in content.spans
        for attribute in ("bold", "italic")
        if getattr(span.style, attribute)
        for offset in range(span.start, span.end)
    }


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzKELP", min_size=1, max_size=14)


@st.composite
def hits(draw):
    title_words = draw(st.lists(words, min_size=1, max_size=6))
    snippet_words = draw(st.lists(words, min_size=1, max_size=40))
    title, snippet = " ".join(title_words), " ".join(snippet_words)

    def word_spans(chosen: list[str], text: str) -> tuple[tuple[int, int], ...]:
        spans, at = [], 0
        for word in chosen:
            if draw(st.booleans()):
                spans.append((at, at + len(word)))
            at += len(word) + 1
        return tuple(spans)

    return Hit(
        section_id="s",
        title=title,
        pillar="p",
        path=("p",),
        briefing_id="b",
        score=1.0,
        snippet=snippet,
        spans=word_spans(snippet_words, snippet),
        title_spans=word_spans(title_words, title),
    )


@settings(max_examples=cases(400), deadline=None)
@given(
    hits(), st.sampled_from(["", "Field Guide › Harvesting"]), st.booleans(), st.integers(12, 70)
)
def test_results_read_and_mark_as_rich_wraps_them(hit, place, bookmarked, width):
    content = result_content(hit, place, bookmarked, MATCH, width)
    text, marked, styled = oracle(hit, place, bookmarked, width)
    assert content.plain == text
    assert marked_by(content) == marked
    assert styled_by(content) == styled  # bold titles (all bold when bookmarked), italic place


def test_every_line_fits_and_continuations_hang():
    hit = Hit("s", "Planting Seaweed", "p", ("p",), "b", 1.0, "Kelp grows fast " * 6, ((0, 4),))
    lines = result_content(hit, "Field Guide", False, MATCH, 20).plain.split("\n")
    assert all(len(line) <= 20 for line in lines)
    assert lines[0] == "  Planting Seaweed"
    assert all(line.startswith(INDENT) for line in lines[1:-1])
    assert lines[-1] == ""  # the blank line between results

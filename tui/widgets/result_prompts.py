"""What one search result shows, built where it is cheap: in the search's worker thread.

A result is its title, where it sits in the briefing and a snippet, wrapped to the list's
width with a hanging indent (every line after the first starts two cells in), matched
words styled by the engine's offsets. Wrapping fifty of them, then letting the option
list measure each one, held the event loop for tens of milliseconds per keystroke; the
worker now does both, for the `PromptLayout` the list had when the search was asked for,
and the list only takes the finished options (or builds them itself when its width,
theme or bookmarks changed meanwhile).

Everything here is pure: document text in, `Content` out, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from partner_tui.search.model import Hit
from partner_tui.tui.widgets.marks import BOOKMARK_MARK
from partner_tui.tui.widgets.wrapping import wrap_line
from textual.content import Content, Span
from textual.style import Style
from textual.widgets.option_list import Option

INDENT = "  "
BOOKMARK_PREFIX = f"{BOOKMARK_MARK} "
PLAIN_PREFIX = "  "  # the same width, so titles line up with or without the mark
BOLD = Style(bold=True)
ITALIC = Style(italic=True)


@dataclass(frozen=True)
class PromptLayout:
    """How the list draws results: the wrap width, the measuring width and rules of its
    options, the theme's match style, the bookmarked sections."""

    wrap_width: int
    option_width: int
    rules: tuple[tuple[str, object], ...]
    match: Style
    bookmarked: frozenset[str]


@dataclass(frozen=True)
class PreparedResults:
    """Options built off the event loop for the first of these hits, at `layout`."""

    hits: tuple[Hit, ...]
    places: dict[str, str]
    layout: PromptLayout
    options: tuple[Option, ...]


def result_content(hit: Hit, place: str, bookmarked: bool, match: Style, width: int = 0) -> Content:
    """The lines one result shows: title, place, snippet; wrapped to `width` (0: not
    wrapped) with every line but the first indented, and a blank line after."""
    parts: list[tuple[str, Style | None, tuple[tuple[int, int], ...]]] = [
        (hit.title, BOLD, hit.title_spans)
    ]
    if place:
        parts.append((place, ITALIC, ()))
    parts.append((hit.snippet.replace("\n", " "), None, hit.spans))
    text = [BOOKMARK_PREFIX if bookmarked else PLAIN_PREFIX]
    spans: list[Span] = []
    at = len(text[0])
    room = width - len(INDENT) if width > len(INDENT) + 4 else 0
    first = True
    for part, style, matched in parts:
        lines = wrap_line(part, 0, room) if room else [(0, len(part))]
        for start, end in lines:
            if not first:
                text.append("\n" + INDENT)
                at += 1 + len(INDENT)
            first = False
            text.append(part[start:end])
            if style is not None and end > start:
                spans.append(Span(at, at + end - start, style))
            for span_start, span_end in matched:
                low, high = max(span_start, start), min(span_end, end)
                if low < high:
                    spans.append(Span(at + low - start, at + high - start, match))
            at += end - start
    text.append("\n")  # a blank line keeps results apart
    plain = "".join(text)
    if bookmarked:  # a bookmarked result is bold throughout, as in the tree
        spans.insert(0, Span(0, len(plain), BOLD))
    return Content(plain, spans)


def result_option(hit: Hit, place: str, layout: PromptLayout) -> Option:
    """One result as an option, measured already: its lines were wrapped here, so when
    they fit the list's options its height is their count, and the list's own measuring
    pass (which would wrap every result again) finds it in the cache."""
    bookmarked = hit.section_id in layout.bookmarked
    content = result_content(hit, place, bookmarked, layout.match, layout.wrap_width)
    if 0 < layout.wrap_width <= layout.option_width:
        _seed_height(content, layout)
    return Option(content, id=hit.section_id)


def prepare_results(
    hits: tuple[Hit, ...], places: dict[str, str], layout: PromptLayout, count: int
) -> PreparedResults:
    """The first `count` hits' options, for a worker thread (nothing here touches a
    widget). Only the first screenful: the list adds the rest after it has painted, so
    wrapping results nobody sees yet does not delay the ones they do."""
    options = tuple(
        result_option(hit, places.get(hit.section_id, ""), layout) for hit in hits[:count]
    )
    return PreparedResults(hits, places, layout, options)


def _seed_height(content: Content, layout: PromptLayout) -> None:
    """Tell `content` its height at the list's width, as Content.get_height would cache
    it (textual 8.2; should that cache change, the list simply measures again)."""
    rules = dict(layout.rules)
    key = (
        layout.option_width + int(rules.get("line_pad", 0)) * 2,  # type: ignore[call-overload]
        rules.get("text_overflow", "fold"),
        rules.get("text_wrap", "wrap") == "nowrap",
    )
    content._height_cache = (key, content.plain.count("\n") + 1)  # type: ignore[assignment]

"""Where a query matches inside a text, as character offsets, and snippets around them.

The same rules as the index decide: a word (or a part of a compound word, see word_parts)
matches when its stem is a searched stem, when it is one of the concrete words a
prefix/wildcard/fuzzy term expanded to, or when it is part of a searched phrase (stems at
consecutive positions, stop words included). Each field highlights only what was searched
in it: `title:x` marks x in titles, never in bodies; `pillar:x` marks neither.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from partner_tui.search.model import Span
from partner_tui.search.query import is_multi_term, positive_leaves
from partner_tui.search.tokens import stemmed_tokens, word_tokens
from whoosh import query as q

# The index field a query leaf searches → the shown text it highlights in. Prefixes and
# fuzzy terms search the unstemmed twins; pillar names are shown in neither text.
_SHOWN_IN = {"body": "body", "words": "body", "title": "title", "title_words": "title"}
SNIPPET_WIDTH = 220


@dataclass(frozen=True)
class FieldTerms:
    """What to highlight in one shown text (a body or a title)."""

    stems: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.stems or self.words or self.phrases)


@dataclass(frozen=True)
class MatchTerms:
    body: FieldTerms = FieldTerms()
    title: FieldTerms = FieldTerms()

    def __bool__(self) -> bool:
        return bool(self.body or self.title)


NO_TERMS = MatchTerms()


def match_terms(query: q.Query | None, reader) -> MatchTerms:
    """The concrete things to highlight for a query, expanded against the index's terms."""
    found: dict[str, tuple[set[str], set[str], set[tuple[str, ...]]]] = {
        shown: (set(), set(), set()) for shown in ("body", "title")
    }
    for leaf in positive_leaves(query):
        shown = _SHOWN_IN.get(getattr(leaf, "fieldname", None) or "")
        if shown is None:
            continue
        stems, words, phrases = found[shown]
        if isinstance(leaf, q.Phrase):
            phrases.add(tuple(leaf.words))
        elif is_multi_term(leaf):
            # The reader hands back index terms as UTF-8 bytes.
            words.update(_text(term) for _, term in leaf.expanded_terms(reader))
        elif isinstance(leaf, q.Term):
            stems.add(leaf.text)
    body, title = (
        FieldTerms(frozenset(stems), frozenset(words), tuple(sorted(phrases)))
        for stems, words, phrases in (found["body"], found["title"])
    )
    return MatchTerms(body, title)


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _phrase_spans(tokens, phrases) -> list[Span]:
    """Where each phrase's stems stand at consecutive positions, as the index matches."""
    at: dict[int, list[tuple[str, int, int]]] = {}
    for stem, start, end, position in tokens:
        at.setdefault(position, []).append((stem, start, end))
    spans: list[Span] = []
    for phrase in phrases:
        for position in at:
            found = [
                [token for token in at.get(position + k, ()) if token[0] == word]
                for k, word in enumerate(phrase)
            ]
            if all(found):
                spans.append((min(t[1] for t in found[0]), max(t[2] for t in found[-1])))
    return spans


def find_spans(text: str, terms: FieldTerms) -> list[Span]:
    """Every match of one field's terms in the text, sorted and non-overlapping."""
    if not terms or not text:
        return []
    spans: list[Span] = []
    if terms.stems or terms.phrases:
        tokens = stemmed_tokens(text)
        spans.extend((start, end) for stem, start, end, _ in tokens if stem in terms.stems)
        if terms.phrases:
            spans.extend(_phrase_spans(tokens, terms.phrases))
    if terms.words:
        spans.extend(
            (start, end) for word, start, end, _ in word_tokens(text) if word in terms.words
        )
    return _merge(spans)


def _densest_start(spans: list[Span], width: int) -> int:
    """Start of the window of `width` chars holding the most matches."""
    starts = [start for start, _ in spans]
    best, best_count = starts[0], 0
    for i, start in enumerate(starts):
        count = bisect.bisect_left(starts, start + width) - i
        if count > best_count:
            best, best_count = start, count
    return best


_WHITESPACE = re.compile(r"\s+")
_LONG_WHITESPACE = re.compile(r"\s\s+")  # the runs that lose characters
_SNAP = 30  # how far a snippet edge may move to reach a word boundary


def _word_start(text: str, index: int, floor: int) -> int:
    """The nearest word start at or before index (not before floor), else index."""
    for i in range(index, floor - 1, -1):
        if i == 0 or text[i - 1].isspace():
            return i
    return index


def _word_end(text: str, index: int, floor: int) -> int:
    """The nearest word end at or before index (not before floor), else index."""
    for i in range(index, floor - 1, -1):
        if i == len(text) or text[i].isspace():
            return i
    return index


def make_snippet(
    text: str, spans: list[Span], width: int = SNIPPET_WIDTH
) -> tuple[str, list[Span]]:
    """A one-line excerpt around the densest run of matches, with spans re-based onto it."""
    if not text:
        return "", []
    if spans:
        anchor = _densest_start(spans, width)
        anchor_end = next(end for start, end in spans if start == anchor)
        start = max(0, anchor - width // 4)
    else:
        anchor = anchor_end = start = 0
    end = min(len(text), start + width)
    if end == len(text):
        start = max(0, end - width)
    # Snap to word boundaries so the snippet never begins or ends mid-word, moving only
    # outwards from the anchor match so it always stays in view.
    start = _word_start(text, start, floor=max(0, start - _SNAP))
    end = _word_end(text, end, floor=max(anchor_end, start + 1, end - _SNAP))
    # Every run of whitespace becomes one space; a text offset maps to the snippet by
    # subtracting what the runs before it lost (a regex pass, not a loop per character).
    runs = [(m.start(), m.end()) for m in _LONG_WHITESPACE.finditer(text, start, end)]
    collapsed = _WHITESPACE.sub(" ", text[start:end])
    snippet = collapsed.strip()
    lead = len(collapsed) - len(collapsed.lstrip())
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""

    def kept_before(index: int) -> int:
        lost = sum(max(0, min(index, run_end) - run_start - 1) for run_start, run_end in runs)
        return index - start - lost

    rebased: list[Span] = []
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        left = kept_before(span_start) - lead + len(prefix)
        right = kept_before(span_end) - lead + len(prefix)
        if right > left:
            rebased.append((left, right))
    return prefix + snippet + suffix, rebased

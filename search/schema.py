"""The Whoosh schema over sections and the analyzers that define what matches what."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from partner_tui.search.word_parts import INDEX, PHRASE, QUERY, Part, index_words, word_parts
from whoosh import formats
from whoosh.analysis import STOP_WORDS, StemFilter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.system import pack_uint

# Bump whenever fields or analyzers change: the version is part of the index's name, and
# an index with another version is never opened.
SCHEMA_VERSION = "10"

TITLE_BOOST = 3.0
PILLAR_BOOST = 1.5


class WordPartsTokenizer(Tokenizer):
    """Whole words and their parts (see word_parts), lowercased, for Whoosh.

    Whoosh passes `mode="index"` when indexing and `mode="query"` when parsing; the
    query parser here asks for `mode="phrase"` inside quotes. Any other mode is a query.
    Stop words and one-letter words are indexed (an exact phrase must see them) but
    dropped from queries when `stop_words` is on: searching for `the` means nothing.
    """

    def __init__(self, stop_words: frozenset[str] = frozenset(), min_query_chars: int = 1):
        self.stop_words = stop_words
        self.min_query_chars = min_query_chars

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        parts_mode = mode if mode in (INDEX, PHRASE) else QUERY
        drop_stops = parts_mode == QUERY and removestops
        stops, shortest = self.stop_words, self.min_query_chars
        if tokenize:
            parts: Iterable[Part] = word_parts(value, parts_mode)
        else:
            parts = [Part(value.lower(), 0, len(value), 0, whole=True, leaf=True)]
        for text, start, end, position, *_ in parts:
            if drop_stops and (text in stops or len(text) < shortest):
                continue
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


# Stemmed: `technologies` finds `technology`, `robots` finds `robotics`.
STEMMED = WordPartsTokenizer(STOP_WORDS, min_query_chars=2) | StemFilter()
# Unstemmed and without stop words: prefixes, fuzzy terms and did-you-mean work on the words
# people actually typed and read, not on stems (`irrigat*` must find `irrigation`).
WORDS = CompositeAnalyzer(WordPartsTokenizer())

STEM = functools.lru_cache(maxsize=100_000)(
    next(item for item in STEMMED.items if isinstance(item, StemFilter)).stemfn
)
# Texts just split into words: a section's title and body are indexed by two or three
# fields each (stemmed, unstemmed, and `words`, which holds both), split once.
_RECENT_WORDS: dict[str, tuple[list[str], list[int]]] = {}
_RECENT_LIMIT = 8
# Values shared, not made per posting (a big build holds millions of them at once): most
# terms occur once in a section, and counts are small.
_ONE_POSITION: dict[int, bytes] = {}
_COUNTS = [pack_uint(count) for count in range(256)]

Posting = tuple[bytes, int, float, bytes]
"""(term, frequency, weight, encoded value), as Whoosh's `Field.index` gives them."""


def _words_of(text: str) -> tuple[list[str], list[int]]:
    found = _RECENT_WORDS.get(text)
    if found is None:
        if len(_RECENT_WORDS) >= _RECENT_LIMIT:
            _RECENT_WORDS.clear()
        found = _RECENT_WORDS[text] = index_words(text)
    return found


class IndexedText(TEXT):
    """A text field that indexes with plain loops: the very postings its analyzer would
    give (`word_parts`, lowercased, stemmed with the analyzer's own stemmer), several
    times faster than Whoosh's chain of token generators. Queries and highlights still
    use the analyzer. Tests compare the two on arbitrary text."""

    def __init__(self, stemmed: bool, **options) -> None:
        super().__init__(analyzer=STEMMED if stemmed else WORDS, **options)
        self.stemmed = stemmed

    def index(self, value, **kwargs):
        if kwargs or type(value) is not str or not self.plain_postings():
            yield from super().index(value, **kwargs)
            return
        yield from self.postings(value)[1]

    def plain_postings(self) -> bool:
        """Whether `postings` can index this field (its format is one it knows)."""
        return type(self.format) in (formats.Positions, formats.Frequency)

    def postings(self, value: str) -> tuple[int, list[Posting]]:
        """The field's length in tokens and its postings for `value` (a str; see
        `plain_postings`), each term once, in order of first occurrence."""
        form: Any = self.format  # Positions or Frequency (see plain_postings)
        boost = form.field_boost
        if type(form) is formats.Frequency:
            # Without positions, the halves around a newline (which never joins two
            # words) give the whole's tokens: `words` is a title, a newline and a body,
            # both just split for their own fields.
            head, newline, tail = value.partition("\n")
            texts = _words_of(head)[0] + _words_of(tail)[0] if newline else _words_of(value)[0]
            if self.stemmed:
                texts = list(map(STEM, texts))
            counts = Counter(texts)
            return len(texts), [
                (
                    text.encode("utf-8"),
                    count,
                    float(count) * boost,
                    _COUNTS[count] if count < 256 else pack_uint(count),
                )
                for text, count in counts.items()
            ]
        texts, positions = _words_of(value)
        if self.stemmed:
            texts = list(map(STEM, texts))
        grouped: dict[str, list[int]] = {}
        for text, position in zip(texts, positions):  # noqa: B905 (same length)
            seen = grouped.get(text)
            if seen is None:
                grouped[text] = [position]
            else:
                seen.append(position)
        encode = form.encode
        found: list[Posting] = []
        for text, where in grouped.items():
            if len(where) == 1 and where[0] < 4096:
                encoded = _ONE_POSITION.get(where[0])
                if encoded is None:
                    encoded = _ONE_POSITION[where[0]] = encode(where)
            else:
                encoded = encode(where)
            found.append((text.encode("utf-8"), len(where), float(len(where)) * boost, encoded))
        return len(texts), found


SEARCH_FIELDS = ("title", "body")
# Each stemmed text field's unstemmed twin, where prefix, wildcard and fuzzy terms look.
UNSTEMMED_TWIN = {"title": "title_words", "body": "words", "pillar": "pillar_words"}


def build_schema() -> Schema:
    return Schema(
        # Only the id is stored: the engine holds every section in memory already, and
        # reading stored bodies for each hit would cost more than the search.
        id=ID(stored=True, unique=True),
        # The briefing file a section came from: an update deletes a changed file's
        # sections by this term and adds them again (library, schema 8).
        source=ID,
        briefing=ID,
        # A column as well: the pillar of every document number is read at once for the
        # per-pillar counts, instead of every stored field (library, schema 8).
        pillar_id=ID(sortable=True),
        pillar=IndexedText(stemmed=True, field_boost=PILLAR_BOOST),
        title=IndexedText(stemmed=True, field_boost=TITLE_BOOST),
        body=IndexedText(stemmed=True),
        # `words` holds title and body, so `tech*` finds a word in either.
        # Positions are left out (phrase=False): phrases use the stemmed fields, and
        # positions would make `words` the costliest field to build.
        words=IndexedText(stemmed=False, phrase=False),
        title_words=IndexedText(stemmed=False, phrase=False, field_boost=TITLE_BOOST),
        pillar_words=IndexedText(stemmed=False, phrase=False),
    )


def schema_signature(schema: Schema) -> list[list[str]]:
    """What must match for an index on disk to be trusted: fields, formats and analyzers.

    Whoosh's own `Schema.__eq__` ignores analyzers, so an index built with other analysis
    would compare equal and silently return wrong hits.
    """
    return [
        [
            name,
            type(field).__name__,
            type(getattr(field, "format", None)).__name__,
            *_analyzer_signature(getattr(field, "analyzer", None)),
        ]
        for name, field in sorted(schema.items())
    ]


def _analyzer_signature(analyzer) -> list[str]:
    # Class names and the tokenizer's pattern: stable across processes, unlike reprs
    # (which show set orders and function addresses).
    parts = []
    for item in getattr(analyzer, "items", [analyzer] if analyzer else []):
        expression = getattr(item, "expression", None)
        pattern = getattr(expression, "pattern", "")
        parts.append(f"{type(item).__name__}{'(' + pattern + ')' if pattern else ''}")
    return parts

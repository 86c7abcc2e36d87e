"""The Whoosh schema over sections and the analyzers that define what matches what."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from partner_tui.search.word_parts import INDEX, PHRASE, QUERY, Part, word_parts
from whoosh.analysis import STOP_WORDS, StemFilter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.fields import ID, TEXT, Schema

# Bump whenever fields or analyzers change: the version is part of the index's name, and
# an index with another version is never opened.
SCHEMA_VERSION = "9"

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
        pillar=TEXT(analyzer=STEMMED, field_boost=PILLAR_BOOST),
        title=TEXT(analyzer=STEMMED, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=STEMMED),
        # `words` holds title and body, so `tech*` finds a word in either.
        # Positions are left out (phrase=False): phrases use the stemmed fields, and
        # positions would make `words` the costliest field to build.
        words=TEXT(analyzer=WORDS, phrase=False),
        title_words=TEXT(analyzer=WORDS, phrase=False, field_boost=TITLE_BOOST),
        pillar_words=TEXT(analyzer=WORDS, phrase=False),
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

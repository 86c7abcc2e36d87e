"""The Whoosh schema over sections and the analyzers that define what matches what."""

from __future__ import annotations

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema

# Bump whenever fields or analyzers change: the version is part of the index's name, and
# an index with another version is never opened.
SCHEMA_VERSION = "8"

TITLE_BOOST = 3.0
PILLAR_BOOST = 1.5

# Stemmed: `technologies` finds `technology`, `robots` finds `robotics`.
STEMMED = StemmingAnalyzer()
# Unstemmed and without stop words: prefixes, fuzzy terms and did-you-mean work on the words
# people actually typed and read, not on stems (`irrigat*` must find `irrigation`).
WORDS = RegexTokenizer() | LowercaseFilter()

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

"""The Whoosh schema over sections and the analyzers that define what matches what."""

from __future__ import annotations

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema

# Bump whenever fields or analyzers change: the version is part of the index's name, and
# an index with another version is never opened.
SCHEMA_VERSION = "4"

TITLE_BOOST = 3.0
PILLAR_BOOST = 1.5

# Stemmed: `technologies` finds `technology`, `robots` finds `robotics`.
STEMMED = StemmingAnalyzer()
# Unstemmed and without stop words: prefixes, fuzzy terms and did-you-mean work on the words
# people actually typed and read, not on stems (`irrigat*` must find `irrigation`).
WORDS = RegexTokenizer() | LowercaseFilter()


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        briefing=ID(stored=True),
        pillar_id=ID(stored=True),
        pillar=TEXT(analyzer=STEMMED, stored=True, field_boost=PILLAR_BOOST),
        title=TEXT(analyzer=STEMMED, stored=True, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=STEMMED, stored=True),
        words=TEXT(analyzer=WORDS, spelling=False),
        path=STORED(),
        order=STORED(),
    )


SEARCH_FIELDS = ("title", "body")

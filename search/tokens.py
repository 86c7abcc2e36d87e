"""The index's analyzers as plain loops: the same tokens, fast enough for every snippet.

Whoosh's analyzer pipeline builds a Token object per word through a chain of generators;
highlighting ten hits per keystroke that way costs more than the search itself. These
functions read their settings from the schema's analyzers, so both always agree (a test
compares them on arbitrary text).
"""

from __future__ import annotations

import functools
import re

from partner_tui.search.schema import STEMMED, WORDS
from whoosh.analysis import RegexTokenizer, StemFilter, StopFilter

Token = tuple[str, int, int]  # (text, start, end)


def _part(analyzer, kind):
    return next(item for item in analyzer.items if isinstance(item, kind))


_STEM_TOKENIZER: re.Pattern[str] = _part(STEMMED, RegexTokenizer).expression
_STOPS = _part(STEMMED, StopFilter)
_STEM = functools.lru_cache(maxsize=100_000)(_part(STEMMED, StemFilter).stemfn)
_WORD_TOKENIZER: re.Pattern[str] = _part(WORDS, RegexTokenizer).expression


# Recent results are kept: the hits of one keystroke are mostly the hits of the next.
@functools.lru_cache(maxsize=512)
def stemmed_tokens(text: str) -> tuple[Token, ...]:
    """What `STEMMED(text, chars=True)` yields, as (stem, start, end) tuples."""
    stops, minsize, maxsize = _STOPS.stops, _STOPS.min, _STOPS.max
    tokens: list[Token] = []
    for match in _STEM_TOKENIZER.finditer(text):
        word = match.group().lower()
        if len(word) < minsize or (maxsize is not None and len(word) > maxsize):
            continue
        if word in stops:
            continue
        tokens.append((_STEM(word), match.start(), match.end()))
    return tuple(tokens)


@functools.lru_cache(maxsize=512)
def word_tokens(text: str) -> tuple[Token, ...]:
    """What `WORDS(text, chars=True)` yields, as (word, start, end) tuples."""
    return tuple((m.group().lower(), m.start(), m.end()) for m in _WORD_TOKENIZER.finditer(text))

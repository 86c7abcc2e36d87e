"""The index's analyzers as plain loops: the same tokens, fast enough for every snippet.

Whoosh's analyzer pipeline builds a Token object per word through a chain of generators;
highlighting ten hits per keystroke that way costs more than the search itself. These
functions split words exactly as the index does (`word_parts`) and take the stemmer from
the schema's analyzer, so both always agree (a test compares them on arbitrary text).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from partner_tui.search.schema import STEM
from partner_tui.search.word_parts import INDEX, word_parts

Token = tuple[str, int, int, int]  # (text, start, end, position)

_STEM = STEM


class _TokenCache:
    """Recent texts' tokens, bounded by their total size rather than their count.

    The hits of one keystroke are mostly the hits of the next, so their bodies' tokens are
    worth keeping; but a count bound let a few huge bodies hold hundreds of megabytes. A
    token tuple costs about 150 bytes, so the budget below is a few megabytes at most, and
    a text too big to fit a fraction of it is tokenized every time instead.
    """

    def __init__(self, tokenize: Callable[[str], tuple[Token, ...]], budget: int) -> None:
        self._tokenize = tokenize
        self.budget = budget  # tokens held at most, over every cached text
        self.held = 0
        self._entries: OrderedDict[str, tuple[Token, ...]] = OrderedDict()
        self._lock = threading.Lock()  # searches run in worker threads

    def __call__(self, text: str) -> tuple[Token, ...]:
        with self._lock:
            cached = self._entries.get(text)
            if cached is not None:
                self._entries.move_to_end(text)
                return cached
        tokens = self._tokenize(text)
        if len(tokens) > self.budget // 8:
            return tokens
        with self._lock:
            if text not in self._entries:
                self._entries[text] = tokens
                self.held += len(tokens)
            while self.held > self.budget:
                _, dropped = self._entries.popitem(last=False)
                self.held -= len(dropped)
        return tokens

    def cache_clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.held = 0


# 32k tokens: about 200 sections of typical length, a few megabytes.
_BUDGET = 32_768


def _stemmed(text: str) -> tuple[Token, ...]:
    return tuple((_STEM(part[0]), part[1], part[2], part[3]) for part in word_parts(text, INDEX))


def _words(text: str) -> tuple[Token, ...]:
    return tuple(part[:4] for part in word_parts(text, INDEX))


# What `STEMMED(text, mode="index")` yields, as (stem, start, end, position) tuples.
stemmed_tokens = _TokenCache(_stemmed, _BUDGET)
# What `WORDS(text, mode="index")` yields, as (word, start, end, position) tuples.
word_tokens = _TokenCache(_words, _BUDGET)

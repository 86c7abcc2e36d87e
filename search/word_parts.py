"""Words as documents write them: whole tokens and their parts, with positions.

One definition, owned by the project (never a Whoosh fork's default), serves the index,
the query parser and the highlighter. A word is a run of word characters, joined by inner
dots: `**Chris Dickinson**` gives `chris`, `dickinson`. Like Lucene's word-delimiter filter
with the original preserved, a compound word also yields its parts:

    emitter.setMaxListeners  →  emitter.setmaxlisteners  emitter  setmaxlisteners
                                set  max  listeners
    Node.js → node.js node js     user_name → user_name user name     ASN.1 → asn.1 asn 1

Parts ("leaves") take consecutive positions; the whole word and each dotted or underscored
segment sit at the position of their first leaf. So `"node js"` (a phrase, searched by its
leaves) finds `Node.js`, and a search for the whole word finds exactly that word.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from typing import NamedTuple

WORD = re.compile(r"\w+(?:\.\w+)*")
_SEGMENT = re.compile(r"[^._]+")
# Longer tokens are not indexed (their position still counts): no one types them, and a
# hostile body must not put a megabyte-long term in the lexicon.
MAX_TOKEN_CHARS = 100

# What each analysis mode yields (see `word_parts`).
INDEX, QUERY, PHRASE = "index", "query", "phrase"


class Part(NamedTuple):
    text: str  # lowercased
    start: int
    end: int
    position: int
    whole: bool  # the whole word as written
    leaf: bool  # cannot be split further


def _is_simple(word: str) -> bool:
    """No dots, underscores, case changes inside or digit/letter changes: one part.
    (Capitals only count when ASCII: a letter that is neither upper nor lower case, as
    in CJK, would start a part after them.)"""
    if word.isalpha():
        return (
            word.islower()
            or word[1:].islower()
            or len(word) == 1
            or (word.isupper() and word.isascii())
        )
    return word.isdigit()


def _char_kind(char: str) -> str:
    if char.isdigit():
        return "digit"
    return "upper" if char.isupper() else "lower"


def _leaves(segment: str, offset: int) -> list[tuple[int, int]]:
    """Split a segment at case and letter/digit changes: setMaxListeners, HTMLParser, mp3."""
    bounds = [0]
    kinds = [_char_kind(char) for char in segment]
    for i in range(1, len(segment)):
        before, here = kinds[i - 1], kinds[i]
        if (before == "digit") != (here == "digit"):
            bounds.append(i)
        elif before == "lower" and here == "upper":
            bounds.append(i)
        elif before == here == "upper" and i + 1 < len(segment) and kinds[i + 1] == "lower":
            bounds.append(i)  # the P of HTMLParser starts a part
    bounds.append(len(segment))
    return [(offset + a, offset + b) for a, b in zip(bounds, bounds[1:], strict=False)]


def word_parts(text: str, mode: str = INDEX) -> Iterator[Part]:
    """Every token of the text for a mode, in text order.

    INDEX: whole words, segments and leaves. QUERY: whole words only (a typed
    `setMaxListeners` means that word, not `set` AND `max`). PHRASE: leaves only, whose
    consecutive positions a phrase query can follow.
    """
    position = 0
    for match in WORD.finditer(text):
        word = match.group()
        start = match.start()
        if _is_simple(word):
            if len(word) <= MAX_TOKEN_CHARS:
                yield Part(word.lower(), start, match.end(), position, True, True)
            position += 1
            continue
        position = yield from _compound_parts(text, word, start, position, mode)


def _compound_parts(
    text: str, word: str, start: int, position: int, mode: str
) -> Generator[Part, None, int]:
    """The tokens of a word that may have parts; returns the next free position."""
    segments = [(s.start() + start, s.end() + start) for s in _SEGMENT.finditer(word)]
    first = [_leaves(text[a:b], a) for a, b in segments]
    whole_text = word.lower()
    first_position = position
    leaf_count = sum(len(leaves) for leaves in first)
    is_leaf = leaf_count <= 1 and len(segments) == 1 and segments[0] == (start, start + len(word))
    if mode != PHRASE or is_leaf or not segments:
        if len(word) <= MAX_TOKEN_CHARS:
            yield Part(whole_text, start, start + len(word), position, True, is_leaf)
    if is_leaf or mode == QUERY:
        return position + max(leaf_count, 1)
    for (a, b), leaves in zip(segments, first, strict=False):
        segment_text = text[a:b].lower()
        if len(leaves) > 1 and mode == INDEX and segment_text != whole_text:
            if b - a <= MAX_TOKEN_CHARS:
                yield Part(segment_text, a, b, position, False, False)
        for leaf_start, leaf_end in leaves:
            leaf_text = text[leaf_start:leaf_end].lower()
            if leaf_text != whole_text and leaf_end - leaf_start <= MAX_TOKEN_CHARS:
                yield Part(leaf_text, leaf_start, leaf_end, position, False, True)
            position += 1
    return max(position, first_position + 1)


def index_words(text: str) -> tuple[list[str], list[int]]:
    """The token texts and positions of every INDEX-mode token (two lists, in order), as
    `word_parts(text, INDEX)` gives them, without character offsets: what building the
    index needs. Each distinct word is split once (see _WORD_TOKENS): words repeat, and
    splitting them again was a third of the tokenizing of a full build."""
    texts: list[str] = []
    positions: list[int] = []
    add_text, add_position = texts.append, positions.append
    known = _WORD_TOKENS
    position = 0
    for word in WORD.findall(text):
        tokens = known.get(word)
        if tokens is None:
            if len(known) >= _WORD_TOKENS_LIMIT:
                known.clear()
            tokens = known[word] = _word_tokens(word)
        if isinstance(tokens, str):  # a simple word: itself, lowercased, one position
            add_text(tokens)
            add_position(position)
            position += 1
            continue
        advance, parts = tokens
        for part_text, offset in parts:
            add_text(part_text)
            add_position(position + offset)
        position += advance
    return texts, positions


# A word's tokens: its lowercase text for a simple word, else (positions it takes, its
# (text, position offset) tokens). Bounded: an adversarial corpus of unique words only
# clears it now and then.
_WORD_TOKENS: dict[str, str | tuple[int, tuple[tuple[str, int], ...]]] = {}
_WORD_TOKENS_LIMIT = 200_000


def _word_tokens(word: str) -> str | tuple[int, tuple[tuple[str, int], ...]]:
    if _is_simple(word):
        if len(word) <= MAX_TOKEN_CHARS:
            return word.lower()
        return 1, ()
    parts = _compound_parts(word, word, 0, 0, INDEX)
    found = []
    try:
        while True:
            part = next(parts)
            found.append((part.text, part.position))
    except StopIteration as finished:
        return finished.value, tuple(found)

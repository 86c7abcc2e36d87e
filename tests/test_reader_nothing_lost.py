"""Nothing is silently dropped: every word a reader should show lands in exactly one
section (its title or its text), for every format, on generated documents and real ones.

The oracle is independent of the readers: the generators know which words each construct
shows (a link's text, not its URL; nothing of a comment), and for plain text every word
of the source must be shown.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from partner_tui.search.readers import ParsedDocument, read_document
from support_cases import cases

WORD = re.compile(r"\w+")
VOCABULARY = ["alpha", "beta", "gamma", "delta", "crane", "quay", "ship", "port", "tide", "north"]
SETTINGS = settings(
    max_examples=cases(300), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text.lower()))


def shown_words(parsed: ParsedDocument) -> Counter[str]:
    """Words of every section's title and text, plus a title line the reader took as
    the document's name instead of a section."""
    got: Counter[str] = Counter()
    for section in parsed.sections:
        body, _ = section.finish()
        got.update(_words(body))
        if not section.is_overview:
            got.update(_words(section.path[-1]))
    if parsed.title_taken:
        got.update(_words(parsed.title or ""))
    return got


def _lettered(words: Counter[str]) -> Counter[str]:
    """Without numbers: a rendered list numbers its items, the source may number them all 1."""
    return Counter({w: n for w, n in words.items() if w.isalpha()})


word = st.sampled_from(VOCABULARY)
capital = word.map(str.capitalize)
phrase = st.lists(word, min_size=1, max_size=8).map(" ".join)
title_words = st.lists(capital, min_size=1, max_size=4).map(" ".join)


@st.composite
def plain_line(draw) -> str:
    kind = draw(st.sampled_from(["text", "title", "caps", "numbered", "item", "indent", "rule"]))
    text = draw(phrase)
    if kind == "title":
        text = draw(title_words)
    elif kind == "caps":
        text = text.upper()
    elif kind == "numbered":
        text = f"{draw(st.integers(0, 12))}. {draw(title_words)}"
    elif kind == "item":
        text = f"{draw(st.sampled_from(['-', '*', '1.', 'a)']))} {text}"
    elif kind == "indent":
        text = " " * draw(st.integers(1, 12)) + text
    elif kind == "rule":
        text = draw(st.sampled_from(["=", "-", "~"])) * draw(st.integers(3, 30))
    return text + draw(st.sampled_from(["", ".", ":", ","]))


@st.composite
def plain_document(draw) -> str:
    lines = draw(st.lists(st.one_of(plain_line(), st.just("")), min_size=1, max_size=40))
    return "\n".join(lines)


@given(plain_document())
@SETTINGS
def test_plain_text_shows_every_word_of_the_source_once(text):
    parsed = read_document(".txt", text)
    assert shown_words(parsed) == _words(text)


@st.composite
def markdown_inline(draw) -> tuple[str, list[str]]:
    words = draw(st.lists(word, min_size=1, max_size=3))
    kind = draw(st.sampled_from(["plain", "em", "strong", "code", "link", "image", "comment"]))
    text = " ".join(words)
    source = {
        "plain": text,
        "em": f"*{text}*",
        "strong": f"**{text}**",
        "code": f"`{text}`",
        "link": f"[{text}](https://example.org/path)",
        "image": f"![{text}](https://example.org/i.png)",
        "comment": f"<!-- {text} -->",
    }[kind]
    return source, [] if kind == "comment" else words


@st.composite
def markdown_block(draw) -> tuple[str, list[str]]:
    kind = draw(st.sampled_from(["heading", "paragraph", "list", "code", "quote", "table"]))
    parts = draw(st.lists(markdown_inline(), min_size=1, max_size=4))
    source = " ".join(p for p, _ in parts)
    shown = [w for _, words in parts for w in words]
    if kind == "heading":
        words = draw(st.lists(word, min_size=1, max_size=4))
        return "#" * draw(st.integers(1, 4)) + " " + " ".join(words), words
    if kind == "list":
        marker = draw(st.sampled_from(["-", "*", "1."]))
        return f"{marker} {source}\n{marker} tide", [*shown, "tide"]
    if kind == "code":
        words = draw(st.lists(word, min_size=1, max_size=5))
        return "```\n" + " ".join(words) + "\n```", words
    if kind == "quote":
        return f"> {source}", shown
    if kind == "table":
        a, b = draw(word), draw(word)
        return f"| {a} | {b} |\n|---|---|\n| {source.replace('|', '')} | ship |", [
            a,
            b,
            *shown,
            "ship",
        ]
    return source, shown


@given(st.lists(markdown_block(), min_size=1, max_size=12), st.booleans())
@SETTINGS
def test_markdown_shows_every_visible_word_once(blocks, front_matter):
    text = "\n\n".join(source for source, _ in blocks)
    if front_matter:
        text = "---\nauthor: someone\n---\n" + text
    expected = Counter(w for _, words in blocks for w in words)
    assert _lettered(shown_words(read_document(".md", text))) == expected


@st.composite
def rst_block(draw) -> tuple[str, list[str]]:
    kind = draw(st.sampled_from(["title", "paragraph", "literal", "list", "note", "comment"]))
    words = draw(st.lists(word, min_size=1, max_size=5))
    text = " ".join(words)
    if kind == "title":
        char = draw(st.sampled_from(["=", "-", "~"]))
        return f"{text}\n{char * len(text)}", words
    if kind == "paragraph":
        style = draw(st.sampled_from(["{}", "*{}*", "**{}**", "``{}``", "`{} <https://e.org/>`_"]))
        return style.format(text), words
    if kind == "literal":
        return f"{text}::\n\n    {text} code", [*words, *words, "code"]
    if kind == "list":
        return f"- {text}\n- port", [*words, "port"]
    if kind == "note":
        return f".. note::\n\n   {text}", ["note", *words]
    return f".. {text}", []


@given(st.lists(rst_block(), min_size=1, max_size=12))
@SETTINGS
def test_restructuredtext_shows_every_visible_word_once(blocks):
    text = "\n\n".join(source for source, _ in blocks)
    expected = Counter(w for _, words in blocks for w in words)
    assert _lettered(shown_words(read_document(".rst", text))) == expected


REAL = sorted(
    path
    for pattern in ("/usr/share/common-licenses/*", "/usr/share/doc/*/README")
    for path in Path("/").glob(pattern.lstrip("/"))
    if path.is_file()
)[:40]


@pytest.mark.skipif(not REAL, reason="no licence texts or READMEs on this machine")
@pytest.mark.parametrize("path", REAL, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_real_plain_text_documents_lose_no_word(path):
    from partner_tui.search.text_cleaning import clean_text

    text = clean_text(path.read_text(encoding="utf-8", errors="replace"))
    parsed = read_document(".txt", text)
    front = "".join(f"{k} {v} " for k, v in parsed.metadata.items())
    expected = _words(text) - _words(front)
    assert shown_words(parsed) == expected

"""Readers turn one decoded document into titled, nested sections of readable text."""

from __future__ import annotations

from partner_tui.search.readers.document import ParsedDocument, RawSection
from partner_tui.search.readers.markdown import read_markdown
from partner_tui.search.readers.plain_text import read_plain_text
from partner_tui.search.readers.rst import read_rst

# Bumped whenever reading rules change, so indexes and cached reader output made by older
# rules are rebuilt.
READER_VERSION = "4"
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
PLAIN_SUFFIXES = frozenset({".txt", ".text"})
RST_SUFFIXES = frozenset({".rst", ".rest"})
BRIEFING_SUFFIXES = MARKDOWN_SUFFIXES | PLAIN_SUFFIXES | RST_SUFFIXES


def read_document(suffix: str, text: str) -> ParsedDocument:
    if suffix.lower() in MARKDOWN_SUFFIXES:
        return read_markdown(text)
    if suffix.lower() in RST_SUFFIXES:
        return read_rst(text)
    return read_plain_text(text)


__all__ = [
    "BRIEFING_SUFFIXES",
    "READER_VERSION",
    "ParsedDocument",
    "RawSection",
    "read_document",
]

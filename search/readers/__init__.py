"""Readers turn one decoded document into titled, nested raw sections."""

from __future__ import annotations

from partner_tui.search.readers.document import ParsedDocument, RawSection
from partner_tui.search.readers.markdown import read_markdown
from partner_tui.search.readers.plain_text import read_plain_text

# Bump whenever reading rules or the model change what a file reads as: cached readings
# and indexes made under another version are never used.
READER_VERSION = "4"

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
PLAIN_SUFFIXES = frozenset({".txt", ".text"})
BRIEFING_SUFFIXES = MARKDOWN_SUFFIXES | PLAIN_SUFFIXES


def read_document(suffix: str, text: str) -> ParsedDocument:
    if suffix.lower() in MARKDOWN_SUFFIXES:
        return read_markdown(text)
    return read_plain_text(text)


__all__ = [
    "BRIEFING_SUFFIXES",
    "ParsedDocument",
    "READER_VERSION",
    "RawSection",
    "read_document",
]

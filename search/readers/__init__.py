"""Readers turn one decoded document into titled, nested sections of readable text."""

from __future__ import annotations

from partner_tui.search.readers.document import ParsedDocument, RawSection

# Bumped whenever reading rules or the model change what a file reads as: cached readings
# and indexes made under another version are never used.
READER_VERSION = "5"
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
PLAIN_SUFFIXES = frozenset({".txt", ".text"})
RST_SUFFIXES = frozenset({".rst", ".rest"})
BRIEFING_SUFFIXES = MARKDOWN_SUFFIXES | PLAIN_SUFFIXES | RST_SUFFIXES


def read_document(suffix: str, text: str) -> ParsedDocument:
    """Read one decoded document by its file suffix (anything unknown is plain text).

    Each reader is imported when a file of its kind is first read: a cold CLI on a
    plain-text corpus compiles no Markdown or reST patterns."""
    if suffix.lower() in MARKDOWN_SUFFIXES:
        from partner_tui.search.readers.markdown import read_markdown

        return read_markdown(text)
    if suffix.lower() in RST_SUFFIXES:
        from partner_tui.search.readers.rst import read_rst

        return read_rst(text)
    from partner_tui.search.readers.plain_text import read_plain_text

    return read_plain_text(text)


__all__ = [
    "BRIEFING_SUFFIXES",
    "READER_VERSION",
    "ParsedDocument",
    "RawSection",
    "read_document",
]

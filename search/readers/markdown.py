"""Markdown documents, parsed with markdown-it-py (CommonMark plus tables) into sections of
readable text: link text without its URL, image alt text, no comments, no emphasis
markers, with style runs saying where emphasis, code, lists, quotes and tables were.

Headings nest into sections. A lone top-level `#` heading at the start is the document's
title, not a pillar, unless front matter names another title. markdown-it-py comes with
Rich; it is imported only when a Markdown file is read, so the cold CLI does not pay.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from partner_tui.search.readers.document import (
    OVERVIEW_TITLE,
    ParsedDocument,
    RawSection,
    promotion_text,
    split_front_matter,
)
from partner_tui.search.readers.markdown_blocks import BlockWriter, inline_plain, is_image_only


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt  # noqa: PLC0415 - lazy: only Markdown files need it

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _parse_inline(text: str) -> list:
    return _parser().parseInline(text)


def _headings(tokens: list) -> list[tuple[int, int, str]]:
    """(token index, level, text) of every heading that is not only an image or badge."""
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            if not is_image_only(inline.children or []):
                found.append((index, int(token.tag[1]), inline_plain(inline.children or [])))
    return found


def read_markdown(text: str) -> ParsedDocument:
    metadata, lines, _ = split_front_matter(text.split("\n"))
    tokens = _parser().parse("\n".join(lines))
    headings = _headings(tokens)
    title = metadata.get("title")
    title_index: int | None = None
    levels = [level for _, level, _ in headings]
    if headings and headings[0][1] == 1 and levels.count(1) == 1:
        first_index, _, first_text = headings[0]
        if title is None or title.strip() == first_text.strip():
            title_index, title = first_index, first_text
    if title is None and headings:
        title = headings[0][2]
    heading_at = {index: (level, text) for index, level, text in headings}

    overview = RawSection(path=(OVERVIEW_TITLE,), is_overview=True)
    sections: list[RawSection] = [overview]
    stack: list[tuple[int, str]] = []
    writer = BlockWriter(overview.text, _parse_inline)
    also_read: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and index in heading_at:
            level, heading = heading_at[index]
            index += 3  # open, inline, close
            if index - 3 == title_index:
                continue
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading))
            section = RawSection(path=tuple(text for _, text in stack))
            sections.append(section)
            writer = BlockWriter(section.text, _parse_inline)
            continue
        if token.type == "paragraph_open" and not writer.in_container:
            inline = tokens[index + 1]
            promoted = promotion_text(inline.content)
            if promoted is not None:
                also_read.append(promoted)
                index += 3
                continue
        index = writer.write(tokens, index)

    if overview.text.empty:
        sections.remove(overview)
    taken = title_index is not None
    if taken and not sections:  # the title is all there is: it is the one section
        sections, taken = [RawSection(path=(title or OVERVIEW_TITLE,))], False
    return ParsedDocument(
        title=title, sections=sections, metadata=metadata, also_read=also_read, title_taken=taken
    )

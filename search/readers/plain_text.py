"""Plain-text briefings: headings are short unpunctuated lines followed by body text.

A `- Item` line followed by a paragraph opens a sub-section of the current pillar; a run
of item lines is an ordinary list and stays in the body.
"""

from __future__ import annotations

import re

from partner_tui.search.readers.document import (
    OVERVIEW_TITLE,
    ParsedDocument,
    RawSection,
    promotion_text,
    split_front_matter,
    uses_line_per_paragraph,
)

MAX_HEADING_WORDS = 14
MAX_HEADING_CHARS = 100
_CLOSING_PUNCTUATION = tuple(".!?:;,…")
_ITEM = re.compile(r"^\s*[-*•]\s+(\S.*)$")


def _is_short_title(text: str) -> bool:
    text = text.strip()
    if not text or len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if text.endswith(_CLOSING_PUNCTUATION):
        return False
    return text[0].isupper() or text[0].isdigit() or not text[0].isalpha()


def _heading_candidate(line: str) -> bool:
    return not _ITEM.match(line) and _is_short_title(line)


def _item_candidate(line: str) -> str | None:
    match = _ITEM.match(line)
    if match and _is_short_title(match.group(1)):
        return match.group(1).strip()
    return None


def _next_content(lines: list[str], start: int) -> str | None:
    for line in lines[start:]:
        if line.strip() and promotion_text(line) is None:
            return line
    return None


def _is_body_text(line: str | None) -> bool:
    return line is not None and not _heading_candidate(line) and not _ITEM.match(line)


def read_plain_text(text: str) -> ParsedDocument:
    metadata, lines = split_front_matter(text.split("\n"))
    also_read: list[str] = []
    overview = RawSection(path=(OVERVIEW_TITLE,), is_overview=True)
    sections: list[RawSection] = [overview]
    pillar: RawSection | None = None
    current = overview

    for index, line in enumerate(lines):
        promoted = promotion_text(line)
        if promoted is not None:
            also_read.append(promoted)
            continue
        following = _next_content(lines, index + 1)
        if _heading_candidate(line) and _is_body_text(following):
            pillar = current = RawSection(path=(line.strip(),))
            sections.append(current)
            continue
        item = _item_candidate(line)
        if item and pillar is not None and _is_body_text(following):
            current = RawSection(path=(pillar.path[0], item))
            sections.append(current)
            continue
        current.lines.append(line)

    if not any(line.strip() for line in overview.lines):
        sections.remove(overview)
    return ParsedDocument(
        title=metadata.get("title"),
        sections=sections,
        metadata=metadata,
        also_read=also_read,
        line_per_paragraph=uses_line_per_paragraph(lines),
    )

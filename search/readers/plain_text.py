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

# Whoosh's English stop words (a test keeps them equal), written out so reading a corpus
# never imports Whoosh: the tree and `show` need no index.
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the "
    "this to us we when will with yet you your".split()
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


def _next_content(lines: list[str], start: int, whole_block: bool) -> str | None:
    """The next line with content, or with `whole_block` the whole paragraph it starts."""
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip() or promotion_text(line) is not None:
            continue
        if not whole_block:
            return line
        block: list[str] = []
        for following in lines[index:]:
            if not following.strip():
                break
            if promotion_text(following) is None:
                block.append(following.strip())
        return " ".join(block)
    return None


def _ends_open(line: str) -> bool:
    """A line ending in `the`, `of`, `and`… runs on into the next: it is no heading."""
    words = line.split()
    return bool(words) and words[-1].lower() in STOP_WORDS


def _could_be_heading(lines: list[str], index: int, line_per_paragraph: bool) -> bool:
    """Where blank lines separate paragraphs, a heading starts a block and is not the
    first line of a hard-wrapped paragraph: it stands alone, or the next line starts a
    sentence of its own."""
    if not _heading_candidate(lines[index]):
        return False
    if line_per_paragraph:
        return True
    if index > 0 and lines[index - 1].strip():
        return False
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if not following.strip():
        return True
    first = following.strip()[0]
    return (first.isupper() or first.isdigit()) and not _ends_open(lines[index])


def _is_body_text(line: str | None) -> bool:
    return line is not None and not _heading_candidate(line) and not _ITEM.match(line)


def read_plain_text(text: str) -> ParsedDocument:
    metadata, lines = split_front_matter(text.split("\n"))
    line_per_paragraph = uses_line_per_paragraph(lines)
    also_read: list[str] = []
    overview = RawSection(path=(OVERVIEW_TITLE,), is_overview=True)
    sections: list[RawSection] = [overview]
    pillar: RawSection | None = None
    current = overview
    after_item = False  # whether the last line with content was a `- item`

    for index, line in enumerate(lines):
        promoted = promotion_text(line)
        if promoted is not None:
            also_read.append(promoted)
            continue
        was_after_item = after_item
        if line.strip():
            after_item = bool(_ITEM.match(line))
        following = _next_content(lines, index + 1, whole_block=not line_per_paragraph)
        if _could_be_heading(lines, index, line_per_paragraph) and _is_body_text(following):
            pillar = current = RawSection(path=(line.strip(),))
            sections.append(current)
            continue
        item = _item_candidate(line)
        # An item followed by a paragraph opens a sub-section, unless it ends a run of
        # items: then it is the last entry of an ordinary list.
        if item and pillar is not None and _is_body_text(following) and not was_after_item:
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
        line_per_paragraph=line_per_paragraph,
    )

"""Markdown briefings: ATX (`#`) and setext headings nest into sections.

A lone top-level `#` heading at the start is the briefing's title, not a pillar. Lines in
fenced code blocks are never headings. Lists and other Markdown stay in the body as written.
"""

from __future__ import annotations

import re

from partner_tui.search.readers.document import (
    OVERVIEW_TITLE,
    ParsedDocument,
    RawSection,
    promotion_text,
    split_front_matter,
)

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST_OR_QUOTE = re.compile(r"^\s*([-*+>]|\d+[.)])\s")


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside fenced code blocks, fences included.

    A fence closes only with the same character, at least as long, and nothing after it
    (so a ```` ```python ```` line inside a ```` ```` ```` block is code, not a close).
    """
    inside: set[int] = set()
    opener: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if opener is None:
            if match:
                opener = match.group(1)
                inside.add(index)
            continue
        inside.add(index)
        if match and match.group(1)[0] == opener[0] and len(match.group(1)) >= len(opener):
            if not line.strip().strip(opener[0]):
                opener = None
    return inside


def _find_headings(lines: list[str], fenced: set[int]) -> dict[int, tuple[int, str, int]]:
    """Map line index → (level, text, lines consumed) for every heading outside fences."""
    headings: dict[int, tuple[int, str, int]] = {}
    for index, line in enumerate(lines):
        if index in fenced:
            continue
        atx = _ATX.match(line)
        if atx and (atx.group(2) or "").strip():
            headings[index] = (len(atx.group(1)), atx.group(2).strip(), 1)
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        setext = _SETEXT.match(following)
        previous = lines[index - 1] if index else ""
        if (
            setext
            and index + 1 not in fenced
            and line.strip()
            # The text must be a block of its own (a paragraph line before it would make
            # a multi-line heading: rare in briefings, so such text stays body).
            and (not previous.strip() or index - 1 in fenced or index - 1 in headings)
            and not _LIST_OR_QUOTE.match(line)
        ):
            headings[index] = (1 if setext.group(1)[0] == "=" else 2, line.strip(), 2)
    return headings


def read_markdown(text: str) -> ParsedDocument:
    metadata, lines = split_front_matter(text.split("\n"))
    fenced = _fenced_lines(lines)
    headings = _find_headings(lines, fenced)
    title = metadata.get("title")

    levels = [level for level, _, _ in headings.values()]
    first = min(headings) if headings else None
    title_line: int | None = None
    if first is not None and headings[first][0] == 1 and levels.count(1) == 1:
        title_line = first
        title = title or headings[first][1]

    also_read: list[str] = []
    overview = RawSection(path=(OVERVIEW_TITLE,), is_overview=True)
    sections: list[RawSection] = [overview]
    stack: list[tuple[int, str]] = []
    current = overview
    skip_until = -1

    for index, line in enumerate(lines):
        if index < skip_until:
            continue
        if index in headings:
            level, heading, consumed = headings[index]
            skip_until = index + consumed
            if index == title_line:
                continue
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading))
            current = RawSection(path=tuple(text for _, text in stack))
            sections.append(current)
            continue
        promoted = None if index in fenced else promotion_text(line)
        if promoted is not None:
            also_read.append(promoted)
            continue
        current.lines.append(line)

    if not any(line.strip() for line in overview.lines):
        sections.remove(overview)
    return ParsedDocument(title=title, sections=sections, metadata=metadata, also_read=also_read)

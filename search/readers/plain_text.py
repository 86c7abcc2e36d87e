"""Plain-text documents: headings found by context, paragraphs rejoined, the rest kept.

Two styles of plain text are read differently:
- one paragraph per line, no blank lines (the bundled briefing): a short unpunctuated
  line before body text is a heading, and a `- Item` line followed by a paragraph opens a
  sub-section of the current pillar (a run of item lines is an ordinary list);
- blank-line separated, usually hard-wrapped at 72–79 columns (licences, READMEs,
  memos): see `plain_blocks`.
"""

from __future__ import annotations

from partner_tui.search.model import RunKind
from partner_tui.search.readers.document import (
    OVERVIEW_TITLE,
    ParsedDocument,
    RawSection,
    promotion_text,
    split_front_matter,
)
from partner_tui.search.readers.plain_blocks import read_blocks
from partner_tui.search.readers.plain_shapes import BULLET, is_short_title

_SENTENCE_END = tuple(".!?:;\"')”’")


def uses_line_per_paragraph(lines: list[str]) -> bool:
    """True when the text puts one paragraph per line instead of separating paragraphs
    with blank lines, and its lines are whole paragraphs rather than a hard-wrapped block."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 2:
        return True
    gaps = sum(1 for a, b in zip(content, content[1:], strict=False) if b > a + 1)
    if gaps >= max(2, len(content) / 8):
        return False
    # A hard wrapper breaks a line only when the next word would not fit on it.
    width = max(len(lines[i].rstrip()) for i in content)
    pairs = list(zip(content, content[1:], strict=False))
    wrapped = sum(
        1
        for a, b in pairs
        if b == a + 1
        and len(lines[a].rstrip()) >= max(40, 0.6 * width)
        and not lines[a].rstrip().endswith(_SENTENCE_END)
        and len(lines[a].rstrip()) + 1 + len(lines[b].split()[0]) > width
    )
    return wrapped < 0.3 * len(pairs)


def read_plain_text(text: str) -> ParsedDocument:
    metadata, lines, _ = split_front_matter(text.split("\n"))
    if uses_line_per_paragraph(lines):
        parsed = _read_line_per_paragraph(lines)
    else:
        parsed = read_blocks(lines)
    parsed.metadata = metadata
    parsed.title = metadata.get("title") or parsed.title
    return parsed


def _item_title(line: str) -> str | None:
    match = BULLET.match(line)
    if match and line[match.start(2)] in "-*•" and is_short_title(line[match.end() :]):
        return line[match.end() :].strip()
    return None


def _is_heading_text(line: str) -> bool:
    return not BULLET.match(line) and is_short_title(line)


def _is_body_text(line: str | None) -> bool:
    return line is not None and not _is_heading_text(line) and not BULLET.match(line)


def _read_line_per_paragraph(lines: list[str]) -> ParsedDocument:
    also_read: list[str] = []
    promoted = [promotion_text(line) for line in lines]
    # The next line with content after each line, found in one backward pass.
    following: list[str | None] = [None] * len(lines)
    upcoming: str | None = None
    for index in range(len(lines) - 1, -1, -1):
        following[index] = upcoming
        if lines[index].strip() and promoted[index] is None:
            upcoming = lines[index]

    overview = RawSection(path=(OVERVIEW_TITLE,), is_overview=True)
    sections: list[RawSection] = [overview]
    pillar: RawSection | None = None
    current = overview
    after_item = False  # whether the last line with content was a `- item`
    title: str | None = None
    for index, line in enumerate(lines):
        if promoted[index] is not None:
            also_read.append(promoted[index] or "")
            continue
        was_after_item = after_item
        if line.strip():
            after_item = bool(BULLET.match(line))
        if _is_heading_text(line) and _is_body_text(following[index]):
            pillar = current = RawSection(path=(line.strip(),))
            sections.append(current)
            title = title or line.strip()
            continue
        item = _item_title(line)
        # An item followed by a paragraph opens a sub-section, unless it ends a run of
        # items: then it is the last entry of an ordinary list.
        if item and pillar is not None and _is_body_text(following[index]) and not was_after_item:
            current = RawSection(path=(pillar.path[0], item))
            sections.append(current)
            continue
        if line.strip():
            current.text.new_block()
            marker = BULLET.match(line)
            if marker:
                current.text.append(line[: marker.end()].rstrip(), RunKind.LIST_MARKER)
                current.text.append(" " + line[marker.end() :].rstrip())
            else:
                current.text.append(line.strip())

    if overview.text.empty:
        sections.remove(overview)
    return ParsedDocument(title=title, sections=sections, also_read=also_read)

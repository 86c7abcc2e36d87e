"""What every reader produces, and the pieces of reading both formats share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OVERVIEW_TITLE = "Overview"

# Cross-promotion inserted by publishers ("Also Read: …") is not briefing content. Only
# these set phrases count: a paragraph that merely starts "Related:" is the briefing's own.
_PROMOTION = re.compile(
    r"^\s*(?:[*_]{1,2})?(also read|read also|read more|also see|related (?:articles?|"
    r"stories|story|reading|news)|recommended (?:reading|for you)|you may also like)"
    r"(?:[*_]{1,2})?\s*:",
    re.IGNORECASE,
)
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$")


@dataclass
class RawSection:
    path: tuple[str, ...]
    lines: list[str] = field(default_factory=list)
    is_overview: bool = False

    def body(self, line_per_paragraph: bool) -> str:
        return assemble_body(self.lines, line_per_paragraph)


@dataclass
class ParsedDocument:
    title: str | None
    sections: list[RawSection]
    metadata: dict[str, str] = field(default_factory=dict)
    also_read: list[str] = field(default_factory=list)
    line_per_paragraph: bool = False


def promotion_text(line: str) -> str | None:
    """The text of a cross-promotion line, or None for an ordinary line."""
    match = _PROMOTION.match(line)
    if not match:
        return None
    return line[match.end() :].strip(" *_") or line.strip()


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Read a leading `---` block of `key: value` lines, if there is one."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            metadata: dict[str, str] = {}
            for line in lines[1:end]:
                match = _FRONT_MATTER_KEY.match(line.strip())
                if match:
                    metadata[match.group(1).lower()] = match.group(2).strip().strip("\"'")
            return metadata, lines[end + 1 :]
    return {}, lines


def uses_line_per_paragraph(lines: list[str]) -> bool:
    """True when the text puts one paragraph per line instead of separating paragraphs
    with blank lines. A stray blank line or two does not change a text's style."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 2:
        return True
    gaps = sum(1 for a, b in zip(content, content[1:], strict=False) if b > a + 1)
    return gaps < max(2, len(content) / 8)


def assemble_body(lines: list[str], line_per_paragraph: bool) -> str:
    """Join a section's lines into paragraphs separated by one blank line."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                paragraphs.append("\n".join(current))
                current = []
            continue
        if line_per_paragraph:
            paragraphs.append(line.rstrip())
        else:
            current.append(line.rstrip())
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)

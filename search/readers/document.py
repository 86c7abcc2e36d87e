"""What every reader produces, and the pieces of reading both formats share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from partner_tui.search.model import StyleRun
from partner_tui.search.readers.section_text import SectionText

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
    """A section as a reader finds it: its heading path and its readable text so far."""

    path: tuple[str, ...]
    is_overview: bool = False
    text: SectionText = field(default_factory=SectionText)

    def finish(self) -> tuple[str, tuple[StyleRun, ...]]:
        return self.text.finish()


@dataclass
class ParsedDocument:
    title: str | None
    sections: list[RawSection]
    metadata: dict[str, str] = field(default_factory=dict)
    also_read: list[str] = field(default_factory=list)
    title_taken: bool = False
    """Whether a heading was taken out of the sections to be the document's title."""


def promotion_text(line: str) -> str | None:
    """The text of a cross-promotion line, or None for an ordinary line."""
    match = _PROMOTION.match(line)
    if not match:
        return None
    return line[match.end() :].strip(" *_") or line.strip()


MAX_FRONT_MATTER_LINES = 200


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], list[str], int]:
    """Read a leading `---` block of `key: value` lines, if there is a real one.

    Only a block at the very start whose every line is `key: value`, an indented or
    `- item` continuation of the key above, or a `#` comment counts; anything else (a
    `---` rule followed by prose) is text and stays in the document. Returns the
    metadata, the remaining lines and how many lines were consumed.
    """
    if not lines or lines[0].strip() != "---":
        return {}, lines, 0
    metadata: dict[str, str] = {}
    key: str | None = None
    for end in range(1, min(len(lines), MAX_FRONT_MATTER_LINES)):
        line = lines[end]
        if line.strip() in ("---", "..."):
            if not metadata:
                return {}, lines, 0
            return metadata, lines[end + 1 :], end + 1
        match = _FRONT_MATTER_KEY.match(line)
        if match:
            key = match.group(1).lower()
            metadata[key] = _front_matter_value(match.group(2))
        elif key is not None and (line[:1] in (" ", "-") or not line.strip()):
            # A nested or folded value: its text joins the key's value.
            more = _front_matter_value(line.strip().lstrip("-").strip())
            metadata[key] = f"{metadata[key]} {more}".strip() if more else metadata[key]
        elif not line.strip().startswith("#"):
            return {}, lines, 0
    return {}, lines, 0


def _front_matter_value(raw: str) -> str:
    value = raw.strip()
    if value in ("|", ">", "|-", ">-"):
        return ""
    return value.strip("\"'")


def uses_line_per_paragraph(lines: list[str]) -> bool:
    """True when the text puts one paragraph per line instead of separating paragraphs
    with blank lines. A stray blank line or two does not change a text's style."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 2:
        return True
    gaps = sum(1 for a, b in zip(content, content[1:], strict=False) if b > a + 1)
    return gaps < max(2, len(content) / 8)

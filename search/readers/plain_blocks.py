"""Blank-line separated plain text: each block may open with a heading; the rest is
paragraphs (rejoined from hard-wrapped lines), list items (one line each, marker kept)
or a preformatted block (tables, drawings, indented code: kept line for line).

A heading is recognised by its context, never by its words alone: a short title-shaped
line standing alone between blank lines, a line underlined (or over- and underlined)
with `=`/`-`/`~`…, a centred title block, a numbered title (`2.1. Grants`, `IV.`) before
its text, a run-in numbered title (`2. Waiver. To the greatest…`), or a title-shaped
line directly above a paragraph it is clearly shorter than. The first line of a wrapped
paragraph, an item in a run of items, a command line and a directive are never headings.
Every step looks at a block and its neighbour only, so reading is linear.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from partner_tui.search.model import RunKind
from partner_tui.search.readers.document import (
    OVERVIEW_TITLE,
    ParsedDocument,
    RawSection,
    promotion_text,
)
from partner_tui.search.readers.plain_shapes import (
    MAX_HEADING_CHARS,
    has_columns,
    indent_of,
    is_adornment,
    is_command_or_directive,
    is_title_case,
    item_marker,
    numbering,
    title_shape,
)
from partner_tui.search.readers.section_text import SectionText

MAX_DEPTH = 6
_RUN_IN = re.compile(
    r"^\s{0,8}((?:\d{1,3}(?:\.\d{1,3}){0,3}|[IVX]{1,5})\.\s+[A-Z\"“][^.:;!?]{0,60}?\.)"
    r"\s+(?=[A-Z\"“(])"
)
# `-------- Title --------`, `=== Title ===`: a title between two rules on its line.
_FRAMED = re.compile(r"^([-=*#~+])\1{1,20}\s+(\w.{0,80}?)\s+\1{2,20}$")
_STANDALONE_SHAPES = {"numbered", "caps", "title", "colon", "sentence"}
_LEADING_SHAPES = {"numbered", "caps", "title", "colon"}


@dataclass
class _Heading:
    text: str
    kind: tuple  # ("adorn", rank) | ("num", depth) | ("plain",)
    rest: list[str]
    standalone: bool = False


def _split_blocks(lines: list[str], also_read: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        promoted = promotion_text(line)
        if promoted is not None:
            also_read.append(promoted)
            continue
        current.append(line.rstrip())
    if current:
        blocks.append(current)
    return [inner for block in blocks for inner in _unbox(block)]


def _unbox(block: list[str]) -> list[list[str]]:
    """A block drawn inside a frame of `*`, `#` or `|` characters: the blocks within it."""
    edge = block[0].strip()[:1]
    if len(block) < 3 or edge not in "*#|+" or not is_adornment(block[0]):
        return [block]
    inside = block[1:-1]
    if not is_adornment(block[-1]) or not all(
        len(line.strip()) > 1
        and line.strip()[0] in edge + "|"
        and line.strip()[-1] == line.strip()[0]
        for line in inside
    ):
        return [block]
    inner: list[list[str]] = [[]]
    for line in inside:
        text = line.strip()[1:-1].rstrip()
        if text.strip():
            inner[-1].append(text)
        elif inner[-1]:
            inner.append([])
    return [part for part in inner if part]


def _adorned(block: list[str], ranks: dict[str, int]) -> _Heading | None:
    """A title of one or two lines underlined (and maybe overlined) with a repeated
    punctuation character. The underline carries the meaning: the words may be anything
    but a command."""
    start = 1 if len(block) >= 3 and is_adornment(block[0]) else 0
    overline = block[0].strip()[0] if start else ""
    for size in (1, 2):
        under = start + size
        if under >= len(block) or not is_adornment(block[under]):
            continue
        title_lines = block[start:under]
        if any(is_adornment(line) for line in title_lines):
            return None
        text = " ".join(line.strip() for line in title_lines)
        widest = max(len(line.strip()) for line in title_lines)
        length = len(block[under].strip())
        enough = 0.5 if size == 1 else 0.8  # a two-line title is underlined in full
        if length < min(widest, 3) or length < enough * widest:
            return None
        if len(text) > MAX_HEADING_CHARS or is_command_or_directive(text):
            return None
        style = overline + block[under].strip()[0]
        return _Heading(text, ("adorn", ranks.setdefault(style, len(ranks))), block[under + 1 :])
    return None


def _kind(text: str) -> tuple:
    numbered = numbering(text)
    return ("num", numbered[0]) if numbered else ("plain",)


def _opens_paragraph(block: list[str] | None) -> bool:
    """Whether a block starts running text (not a list, a table, code or a command)."""
    if not block:
        return False
    first = block[0].strip()
    return (
        first.lstrip("\"'“‘(")[:1].isalpha()
        and not item_marker(block[0])
        and not has_columns(block[0])
        and not is_command_or_directive(first)
    )


def _block_heading(
    block: list[str], following: list[str] | None, base: int, ranks: dict[str, int]
) -> _Heading | None:
    adorned = _adorned(block, ranks)
    if adorned:
        return adorned
    first = block[0].strip()
    framed = _FRAMED.match(first)
    if framed and len(block) == 1 and following is not None:
        return _Heading(framed.group(2), ("plain",), [], standalone=True)
    shape = title_shape(first)
    if len(block) == 1:
        if following is None or shape not in _STANDALONE_SHAPES:
            return None
        if following[0].strip()[:1].islower() and not item_marker(following[0]):
            return None  # the sentence goes on in the next block
        if shape == "sentence" and len(first.split()) > 8:
            return None
        if shape == "colon" and not _opens_paragraph(following):
            return None  # `Other files:` before a list or a table introduces it
        return _Heading(first, _kind(first), [], standalone=True)
    if len(block) <= 4 and all(indent_of(line) >= max(8, base + 6) for line in block):
        if shape in _STANDALONE_SHAPES and all(len(line.strip()) <= 60 for line in block):
            return _Heading(first, ("plain",), block[1:])  # a centred title block
    run_in = _RUN_IN.match(block[0])
    if run_in and len(run_in.group(1).split()) <= 8:
        title = run_in.group(1)
        numbered = numbering(title)
        if is_title_case(numbered[1] if numbered else title):
            rest = [block[0][run_in.end() :], *block[1:]]
            return _Heading(title, _kind(title), rest)
    if shape not in _LEADING_SHAPES or item_marker(block[1]) and shape != "numbered":
        return None
    if is_adornment(block[1]) or item_marker(block[1]) and numbering(block[1].strip()):
        return None
    longest = max(len(line.strip()) for line in block[1:3])
    hanging = shape == "numbered" and indent_of(block[1]) > indent_of(block[0])
    if not hanging:
        # Above a paragraph of its own that starts a sentence, and clearly shorter than
        # its lines (a name above an e-mail address is a signature, no heading).
        opening = block[1].strip().lstrip("\"'“‘(")[:1]
        if len(first) > 0.75 * longest or not (opening.isupper() or opening.isdigit()):
            return None
        if not _opens_paragraph(block[1:]):
            return None
    return _Heading(first, _kind(first), block[1:])


def _suppress_runs(headings: list[_Heading | None]) -> None:
    """Standalone numbered lines one after another, with nothing between, are a list."""
    for index in range(len(headings) - 1):
        here, after = headings[index], headings[index + 1]
        if (
            here
            and after
            and here.standalone
            and after.standalone
            and here.kind[0] == after.kind[0] == "num"
        ):
            headings[index] = None
            if index + 2 >= len(headings) or not headings[index + 2]:
                headings[index + 1] = None


def _is_parent(top: tuple, kind: tuple) -> bool:
    if kind[0] == "adorn":
        return top[0] == "adorn" and top[1] < kind[1]
    if kind[0] == "num":
        return top[0] in ("adorn", "plain") or (top[0] == "num" and top[1] < kind[1])
    return top[0] == "adorn"


def _is_preformatted(lines: list[str], base: int) -> bool:
    if any(has_columns(line) for line in lines):
        return True
    if item_marker(lines[0]):
        return False
    if all(indent_of(line) >= base + 4 for line in lines) and not _is_prose(lines):
        return True
    sparse = sum(1 for line in lines if sum(c.isalnum() for c in line) < 0.4 * len(line.strip()))
    return sparse * 2 > len(lines)


def _is_prose(lines: list[str]) -> bool:
    """Indented lines of running text (a definition, a quoted notice), not code."""
    stripped = [line.strip() for line in lines]
    if any(is_command_or_directive(line) for line in stripped):
        return False
    return sum(len(line) for line in stripped) >= 45 * len(stripped)


def _join(parts: list[str]) -> str:
    """Rejoin hard-wrapped lines with spaces (a word hyphenated across a break is mended)."""
    pieces: list[str] = []
    for part in parts:
        if pieces and pieces[-1][-1:] == "-" and pieces[-1][-2:-1].isalpha() and part[:1].islower():
            pieces.append(part)
        elif pieces:
            pieces.extend((" ", part))
        else:
            pieces.append(part)
    return "".join(pieces)


def write_block(text: SectionText, lines: list[str], base: int) -> None:
    """Write what is left of a block: paragraphs, list items or a preformatted block."""
    lines = [line for line in lines if line.strip()]
    if not lines:
        return
    if _is_preformatted(lines, base):
        text.new_block()
        text.append("\n".join(lines), RunKind.PREFORMATTED)
        return
    paragraph: list[str] = []
    item: tuple[str, list[str]] | None = None  # (indent + marker, text parts)

    def flush() -> None:
        nonlocal item
        if paragraph:
            text.new_block()
            text.append(_join(paragraph))
            paragraph.clear()
        if item:
            marker, parts = item
            text.append(" " * indent_of(marker))
            text.append(marker.strip(), RunKind.LIST_MARKER)
            text.append(" " + _join(parts))
            item = None

    for line in lines:
        marker = item_marker(line)
        if marker:
            was_item = item is not None
            flush()
            if was_item:
                text.new_line()
            else:
                text.new_block()
            item = (line[: marker.end()].rstrip(), [line[marker.end() :].strip()])
        elif item is not None:
            item[1].append(line.strip())
        else:
            paragraph.append(line.strip())
    flush()


def read_blocks(lines: list[str]) -> ParsedDocument:
    also_read: list[str] = []
    blocks = _split_blocks(lines, also_read)
    indents = Counter(indent_of(line) for block in blocks for line in block)
    base = indents.most_common(1)[0][0] if indents else 0
    ranks: dict[str, int] = {}
    headings = [
        _block_heading(block, blocks[index + 1] if index + 1 < len(blocks) else None, base, ranks)
        for index, block in enumerate(blocks)
    ]
    _suppress_runs(headings)

    overview = RawSection(path=(OVERVIEW_TITLE,), is_overview=True)
    sections: list[RawSection] = [overview]
    stack: list[tuple[tuple, str]] = []
    current = overview
    title: str | None = None
    for block, heading in zip(blocks, headings, strict=True):
        if heading is None:
            write_block(current.text, block, base)
            continue
        title = title or heading.text
        while stack and (not _is_parent(stack[-1][0], heading.kind) or len(stack) >= MAX_DEPTH):
            stack.pop()
        stack.append((heading.kind, heading.text))
        current = RawSection(path=tuple(text for _, text in stack))
        sections.append(current)
        write_block(current.text, heading.rest, base)

    if overview.text.empty:
        sections.remove(overview)
    return ParsedDocument(title=title, sections=sections, also_read=also_read)

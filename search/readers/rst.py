"""reStructuredText documents (`.rst`): sections from adornment underlines and overlines,
nested in the order their styles first appear (as docutils does); a title whose style is
used once, at the very start, names the document.

Literal blocks (after `::`) and code directives are kept line for line; other directives
show their content under their name (`Note:`), never as headings; comments, hyperlink
targets, substitution definitions and directive options are markup and are not shown.
Reading is one pass over the lines: every block is looked at once.
"""

from __future__ import annotations

import re

from partner_tui.search.model import RunKind
from partner_tui.search.readers.document import OVERVIEW_TITLE, ParsedDocument, RawSection
from partner_tui.search.readers.plain_shapes import indent_of, item_marker
from partner_tui.search.readers.rst_inline import set_targets, write_inline
from partner_tui.search.readers.section_text import SectionText

_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1{2,}\s*$")
_DIRECTIVE = re.compile(r"^\.\.\s+(?:\|[^|]+\|\s+)?([\w:.+-]+)::(?:\s+(.*))?$")
_CODE_DIRECTIVES = {"code", "code-block", "sourcecode", "literalinclude", "highlight", "math"}
_HIDDEN_DIRECTIVES = {"image", "toctree", "contents", "include", "meta", "raw", "index", "only"}
_HIDDEN_DIRECTIVES |= {"highlight", "currentmodule", "module", "default-role", "role", "sectnum"}
_TABLE_EDGE = re.compile(r"^\s*(?:=+(?:\s+=+)+|\+[-=+]+\+)\s*$")
_NAMED_TARGET = re.compile(r"^\.\.\s+_`?([^:`]{1,100})`?:\s+(\S+)$")
MAX_DEPTH = 6


def _is_adornment(line: str) -> bool:
    return bool(_ADORNMENT.match(line))


def _title_at(lines: list[str], i: int) -> tuple[str, str, int] | None:
    """(title, style, lines used) for a section title starting at line i, if one does."""
    line = lines[i]
    if _is_adornment(line) and i + 2 < len(lines):
        text, under = lines[i + 1], lines[i + 2]
        if text.strip() and not _is_adornment(text) and under.rstrip() == line.rstrip():
            return text.strip(), "over" + line[0], 3
        return None
    if not line.strip() or line[0] == " " or i + 1 >= len(lines):
        return None
    under = lines[i + 1]
    if _is_adornment(under) and len(under.rstrip()) >= min(len(line.rstrip()), 4):
        return line.strip(), under[0], 2
    return None


def _indented_block(lines: list[str], i: int, indent: int) -> int:
    """Index after the block of blank or deeper-indented lines starting at i."""
    while i < len(lines) and (not lines[i].strip() or indent_of(lines[i]) > indent):
        i += 1
    return i


def _dedent(block: list[str]) -> list[str]:
    while block and not block[-1].strip():
        block.pop()
    while block and not block[0].strip():
        block.pop(0)
    margin = min((indent_of(line) for line in block if line.strip()), default=0)
    return [line[margin:] for line in block]


def _paragraph(out: SectionText, lines: list[str]) -> None:
    text = " ".join(line.strip() for line in lines)
    literal_next = text.endswith("::")
    if literal_next:
        text = text[:-2].rstrip() + (":" if not text[:-2].endswith(" ") else "")
        text = text.rstrip()
    if text:
        out.new_block()
        write_inline(out, text)


def _items(out: SectionText, lines: list[str]) -> None:
    out.new_block()
    item: list[str] = []
    for line in [*lines, ""]:
        marker = item_marker(line)
        if (marker or not line) and item:
            first = item_marker(item[0])
            assert first is not None
            out.new_line()
            out.append(" " * indent_of(item[0]))
            out.append(item[0][: first.end()].strip(), RunKind.LIST_MARKER)
            out.write(" ")
            write_inline(
                out, " ".join([item[0][first.end() :].strip(), *(x.strip() for x in item[1:])])
            )
            item = []
        if line:
            item.append(line)


def _write_block(out: SectionText, block: list[str], quoted: bool = False) -> None:
    if not block:
        return
    if quoted:
        out.new_block()
        out.open(RunKind.QUOTE)
        _write_block(out, _dedent(list(block)))
        out.close()
        return
    if _TABLE_EDGE.match(block[0]):
        out.new_block()
        out.append("\n".join(line.rstrip() for line in block), RunKind.TABLE)
    elif item_marker(block[0]):
        _items(out, block)
    elif len(block) > 1 and all(indent_of(line) > indent_of(block[0]) for line in block[1:]):
        out.new_block()  # a definition list entry: the term, then its definition
        write_inline(out, block[0].strip())
        out.new_line()
        out.write("  ")
        write_inline(out, " ".join(line.strip() for line in block[1:]))
    else:
        _paragraph(out, block)


def read_rst(text: str) -> ParsedDocument:
    lines = [line.rstrip() for line in text.split("\n")]
    set_targets({m.group(1).lower(): m.group(2) for m in map(_NAMED_TARGET.match, lines) if m})
    styles: dict[str, int] = {}
    overview = RawSection(path=(OVERVIEW_TITLE,), is_overview=True)
    sections: list[RawSection] = [overview]
    current = overview
    stack: list[tuple[int, str]] = []
    title: str | None = None
    taken = False
    titles: list[tuple[RawSection, str, bool]] = []  # for the document title afterwards
    literal_next = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        indent = indent_of(line)
        if indent and literal_next:  # the literal block a `::` announced
            end = _indented_block(lines, i, 0)
            current.text.new_block()
            current.text.append("\n".join(_dedent(lines[i:end])), RunKind.CODE_BLOCK)
            literal_next, i = False, end
            continue
        literal_next = False
        found = None if indent else _title_at(lines, i)
        if found:
            heading, style, used = found
            level = styles.setdefault(style, len(styles))
            while stack and (stack[-1][0] >= level or len(stack) >= MAX_DEPTH):
                stack.pop()
            stack.append((level, heading))
            current = RawSection(path=tuple(text for _, text in stack))
            sections.append(current)
            titles.append((current, style, not any(s.text.length for s in sections[:-1])))
            i += used
            continue
        if line.startswith(".."):
            i = _directive(current.text, lines, i)
            continue
        if _is_adornment(line):  # a transition
            i += 1
            continue
        end = i
        while (
            end < len(lines)
            and lines[end].strip()
            and not (end > i and indent_of(lines[end]) < indent)
        ):
            end += 1
        block = lines[i:end]
        if indent:
            _write_block(current.text, block, quoted=True)
        else:
            _write_block(current.text, block)
        literal_next = block[-1].endswith("::")
        i = end
    if titles:
        first, style, at_start = titles[0]
        title = first.path[-1]
        if at_start and sum(1 for _, s, _ in titles if s == style) == 1:
            # The document's title: its text is the overview, its sections the pillars.
            for section in sections:
                if section is not first and section.path[:1] == first.path:
                    section.path = section.path[1:]
            first.path, first.is_overview = (OVERVIEW_TITLE,), True
            taken = True
    if overview.text.empty:
        sections.remove(overview)
    if taken and not sections:  # the title is all there is: it is the one section
        sections, taken = [RawSection(path=(title or OVERVIEW_TITLE,))], False
    return ParsedDocument(title=title, sections=sections, title_taken=taken)


def _directive(out: SectionText, lines: list[str], i: int) -> int:
    """Write (or hide) the directive or comment at line i; return the next line's index."""
    match = _DIRECTIVE.match(lines[i])
    end = _indented_block(lines, i + 1, 0)
    body = lines[i + 1 : end]
    if match is None:
        return end  # a comment, hyperlink target or footnote: markup, not text
    name = match.group(1).lower()
    content = [line for line in body if not line.strip().startswith(":") or not line.strip()]
    content = _dedent(content)
    if name in _CODE_DIRECTIVES:
        if content and name != "highlight":
            out.new_block()
            out.append("\n".join(content), RunKind.CODE_BLOCK, (match.group(2) or "").strip())
        return end
    if name in _HIDDEN_DIRECTIVES and name != "image":
        return end
    argument = (match.group(2) or "").strip()
    if name in ("image", "figure"):
        argument = ""
    out.new_block()
    out.append(name.replace("-", " ").capitalize() + ":", RunKind.STRONG)
    if argument:
        out.write(" ")
        write_inline(out, argument)
    paragraph: list[str] = []
    for line in [*content, ""]:
        if line.strip():
            paragraph.append(line)
        elif paragraph:
            _write_block(out, paragraph, quoted=True)
            paragraph = []
    return end

"""Write markdown-it-py block and inline tokens into a section's readable text and runs.

Link text stays, its URL goes into the run's target; images become their alt text; HTML
comments and tags are dropped, the text between tags kept; lists get a bullet or number
and two spaces of indent per level; tables are laid out as aligned columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from partner_tui.search.model import RunKind, StyleRun
from partner_tui.search.readers.section_text import SectionText

_BULLETS = ("•", "◦", "▪")
_TAG = re.compile(r"<!--.*?(?:-->|$)|<[^<>]{0,2000}>", re.DOTALL)
_CELL_GAP = " │ "


def strip_html(html: str) -> str:
    """The text of an HTML fragment: comments and tags removed."""
    return _TAG.sub("", html)


def inline_plain(children: list[Any]) -> str:
    """An inline token list as plain text (for headings)."""
    out = SectionText()
    write_inline(out, children)
    return out.finish()[0].strip() or "Untitled"


def is_image_only(children: list[Any]) -> bool:
    """A heading made of images (a badge line) and links around them, nothing else."""
    seen_image = False
    for child in children:
        if child.type == "image":
            seen_image = True
        elif child.type in ("link_open", "link_close", "softbreak", "html_inline"):
            continue
        elif child.type == "text" and not child.content.strip():
            continue
        else:
            return False
    return seen_image


_INLINE_STYLES = {
    "em_open": RunKind.EMPHASIS,
    "strong_open": RunKind.STRONG,
    "s_open": RunKind.EMPHASIS,
}


def write_inline(out: SectionText, children: list[Any]) -> None:
    for child in children:
        kind = child.type
        if kind == "text":
            out.write(child.content)
        elif kind == "softbreak":
            out.write(" ")
        elif kind == "hardbreak":
            out.write("\n")
        elif kind == "code_inline":
            out.append(child.content, RunKind.CODE)
        elif kind in _INLINE_STYLES:
            out.open(_INLINE_STYLES[kind])
        elif kind == "link_open":
            out.open(RunKind.LINK, str(child.attrs.get("href", "")))
        elif kind in ("em_close", "strong_close", "s_close", "link_close"):
            out.close()
        elif kind == "image":
            alt = SectionText()
            write_inline(alt, child.children or [])
            out.append(alt.finish()[0], RunKind.LINK, str(child.attrs.get("src", "")))
        elif kind == "html_inline":
            out.write(strip_html(child.content))


class BlockWriter:
    """Writes one section's blocks; keeps the list and quote nesting between tokens."""

    def __init__(self, out: SectionText, parse_inline: Callable[[str], list[Any]]) -> None:
        self.out = out
        self._parse_inline = parse_inline
        self._lists: list[list[int | None]] = []  # per open list: [next number or None]
        self._item_paragraphs: list[int] = []  # paragraphs written so far in each item
        self._quotes = 0

    @property
    def in_container(self) -> bool:
        return bool(self._lists or self._quotes)

    def _indent(self) -> str:
        return "  " * max(0, len(self._lists) - 1)

    def write(self, tokens: list[Any], index: int) -> int:
        """Write the token at `index`; return the index of the next one to write."""
        token = tokens[index]
        kind = token.type
        out = self.out
        if kind == "paragraph_open":
            if self._item_paragraphs and self._item_paragraphs[-1] > 0:
                out.new_line() if token.hidden else out.new_block()
                out.append(self._indent() + "  ")
            elif not self._item_paragraphs:
                out.new_block()
            if self._item_paragraphs:
                self._item_paragraphs[-1] += 1
            write_inline(out, tokens[index + 1].children or [])
            return index + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1) or 1) if kind == "ordered_list_open" else None
            if not self._lists:
                out.new_block()
            self._lists.append([start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self._lists.pop()
            if not self._lists:
                out.new_block()
        elif kind == "list_item_open":
            self._open_item()
        elif kind == "list_item_close":
            self._item_paragraphs.pop()
        elif kind == "blockquote_open":
            self._quotes += 1
            out.new_block()
            out.open(RunKind.QUOTE)
        elif kind == "blockquote_close":
            self._quotes -= 1
            out.close()
            out.new_block()
        elif kind in ("fence", "code_block"):
            self._code(token)
        elif kind == "html_block":
            # The text around the tags is still Markdown to a reader: render it inline.
            shown = " ".join(strip_html(token.content).split())
            if shown:
                out.new_block()
                for inline in self._parse_inline(shown):
                    write_inline(out, inline.children or [])
        elif kind == "table_open":
            return self._table(tokens, index)
        elif kind == "inline":
            write_inline(out, token.children or [])
        return index + 1

    def _open_item(self) -> None:
        out = self.out
        numbers = self._lists[-1]
        if numbers[0] is None:
            marker = _BULLETS[(len(self._lists) - 1) % len(_BULLETS)]
        else:
            marker = f"{numbers[0]}."
            numbers[0] += 1
        out.new_line()
        out.append(self._indent())
        out.append(marker, RunKind.LIST_MARKER)
        out.append(" ")
        self._item_paragraphs.append(0)

    def _code(self, token: Any) -> None:
        code = token.content.rstrip("\n")
        if not code.strip():
            return
        if self._item_paragraphs:
            indent = self._indent() + "  "
            code = "\n".join(indent + line for line in code.split("\n"))
            self.out.new_line()
        else:
            self.out.new_block()
        language = (token.info or "").split()[0] if token.info else ""
        self.out.append(code, RunKind.CODE_BLOCK, language)
        if not self._item_paragraphs:
            self.out.new_block()

    def _table(self, tokens: list[Any], index: int) -> int:
        rows: list[list[tuple[str, tuple[StyleRun, ...]]]] = []
        header_rows = 0
        in_head = False
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                rows.append([])
                header_rows += in_head
            elif token.type == "inline":
                cell = SectionText()
                write_inline(cell, token.children or [])
                rows[-1].append(cell.finish())
            index += 1
        self._write_table(rows, header_rows)
        return index + 1

    def _write_table(self, rows: list[list[tuple[str, tuple[StyleRun, ...]]]], heads: int) -> None:
        columns = max((len(row) for row in rows), default=0)
        if not columns:
            return
        flat = [[(text.replace("\n", " "), runs) for text, runs in row] for row in rows]
        widths = [
            max((len(row[c][0]) for row in flat if c < len(row)), default=0) for c in range(columns)
        ]
        out = self.out
        out.new_block()
        out.open(RunKind.TABLE)
        for number, row in enumerate(flat):
            if number:
                out.write("\n")
            for column in range(columns):
                text, runs = row[column] if column < len(row) else ("", ())
                if column:
                    out.write(_CELL_GAP)
                out.append_styled(text, runs, RunKind.STRONG if number < heads else "")
                pad = widths[column] - len(text)
                if pad and column < columns - 1:
                    out.write(" " * pad)
            if number == heads - 1:
                out.write("\n" + "─┼─".join("─" * width for width in widths))
        out.close()
        out.new_block()

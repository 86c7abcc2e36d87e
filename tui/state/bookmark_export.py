"""Bookmarks out and back in: a versioned JSON document (a backup) and a Markdown reading list.

`read_export` checks a whole file before anything is merged, so a bad file leaves the
store untouched. Plain Python, no Textual, no sqlite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from partner_tui.search.text_cleaning import strip_controls
from partner_tui.tui.state.bookmark_model import (
    Bookmark,
    clean_note,
    clean_tags,
    text_hash,
)
from partner_tui.tui.state.bookmark_status import BookmarkStatus, SectionLookup, find_section

EXPORT_FORMAT = "partner-tui-bookmarks"
EXPORT_VERSION = 1
# How much of each section the reading list quotes.
QUOTE_LINES = 3
QUOTE_CHARACTERS = 400
_SURROGATE = re.compile("[\ud800-\udfff]")


class BookmarkImportError(ValueError):
    """The file is not a bookmarks export this version can read; nothing was imported."""


def export_document(bookmarks: Iterable[Bookmark], user: str | None, exported_at: str) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at,
        "user": user,
        "bookmarks": [
            {
                "section_id": b.section_id,
                "briefing_id": b.briefing_id,
                "briefing_title": b.briefing_title,
                "pillar": b.pillar,
                "title": b.title,
                "path": list(b.path),
                "text_hash": b.text_hash,
                "note": b.note,
                "tags": list(b.tags),
                "created_at": b.created_at,
                "updated_at": b.updated_at,
            }
            for b in bookmarks
        ],
    }


def read_export(text: str) -> list[Bookmark]:
    """The bookmarks in an export's text, or BookmarkImportError saying what is wrong."""
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors save UTF-8
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BookmarkImportError(f"not a bookmarks export: invalid JSON ({error})") from None
    except RecursionError:  # `[[[[…` thousands deep: no export is shaped like that
        raise BookmarkImportError("not a bookmarks export: JSON nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise BookmarkImportError(
            f'not a bookmarks export: expected a JSON object with "format": "{EXPORT_FORMAT}"'
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BookmarkImportError('not a bookmarks export: "version" must be a whole number')
    if version > EXPORT_VERSION:
        raise BookmarkImportError(
            f"this export is version {version}, from a newer partner-tui; "
            f"this one reads up to version {EXPORT_VERSION}"
        )
    entries = data.get("bookmarks")
    if not isinstance(entries, list):
        raise BookmarkImportError('not a bookmarks export: "bookmarks" must be a list')
    return [_entry(number, entry) for number, entry in enumerate(entries, 1)]


def _entry(number: int, entry: object) -> Bookmark:
    def fail(problem: str) -> BookmarkImportError:
        return BookmarkImportError(f"bookmark {number} in the file: {problem}")

    if not isinstance(entry, dict):
        raise fail("must be a JSON object")

    def encodable(key: str, value: str) -> str:
        # JSON may spell a lone surrogate (\ud800); no file or database can store one.
        if _SURROGATE.search(value):
            raise fail(f'"{key}" holds an invalid character (a lone UTF-16 surrogate)')
        return value

    def text(key: str, default: str | None = None) -> str:
        value = entry.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise fail(f'"{key}" must be a non-empty string')
        return strip_controls(encodable(key, value)).strip()

    def strings(key: str, default: list[str]) -> tuple[str, ...]:
        value = entry.get(key, default)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(f'"{key}" must be a list of strings')
        return tuple(strip_controls(encodable(key, item)) for item in value)

    section_id = text("section_id")
    title = text("title")
    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        raise fail('"note" must be a string or null')
    if note is not None:
        encodable("note", note)
    created_at = text("created_at")
    return Bookmark(
        section_id=section_id,
        briefing_id=text("briefing_id", section_id.split("/")[0]),
        briefing_title=text("briefing_title", ""),
        pillar=text("pillar", title),
        title=title,
        path=strings("path", [title]) or (title,),
        text_hash=text("text_hash", ""),
        created_at=created_at,
        updated_at=text("updated_at", created_at),
        note=clean_note(note),
        tags=clean_tags(strings("tags", [])),
    )


def reading_list(
    bookmarks: Iterable[Bookmark],
    lookup: SectionLookup | None,
    user: str | None,
    exported_at: str,
) -> str:
    """Markdown: each bookmark's title, where it sits, note, tags and its opening lines."""
    items = list(bookmarks)
    owner = f" for {user}" if user else ""
    lines = [
        f"# Reading list{owner}",
        "",
        f"{len(items)} bookmark{'s' if len(items) != 1 else ''}, exported {exported_at}.",
    ]
    for number, bookmark in enumerate(items, 1):
        section = find_section(lookup, bookmark.section_id) if lookup is not None else None
        lines += ["", f"## {number}. {_inline(bookmark.title)}", ""]
        where = " › ".join(_inline(part) for part in (bookmark.briefing_title, *bookmark.path))
        lines.append(f"*{where.strip(' ›')}*  ")
        lines.append(f"Pillar: {_inline(bookmark.pillar)} · id `{bookmark.section_id}`")
        if bookmark.tags:
            lines += ["", "Tags: " + ", ".join(f"`{tag}`" for tag in bookmark.tags)]
        if bookmark.note:
            lines += ["", "Note:", ""] + [f"    {line}" for line in bookmark.note.splitlines()]
        lines.append("")
        if lookup is None:
            lines.append("> *(the briefings could not be read, so no text is quoted)*")
        elif section is None:
            lines.append(
                f"> *({BookmarkStatus.MISSING}: this section is no longer in the briefing; "
                "the titles above are as they were when it was bookmarked)*"
            )
        else:
            if bookmark.text_hash and text_hash(section.body) != bookmark.text_hash:
                lines.append(f"*({BookmarkStatus.CHANGED} since it was bookmarked)*")
                lines.append("")
            lines += [f"> {line}" if line else ">" for line in _opening(section.body)]
    return "\n".join(lines) + "\n"


def _opening(body: str) -> list[str]:
    """The first few non-empty lines, cut at a word near QUOTE_CHARACTERS."""
    chosen: list[str] = []
    budget = QUOTE_CHARACTERS
    for line in (line.strip() for line in body.splitlines()):
        if not line:
            continue
        if len(line) > budget:
            cut = line[:budget].rsplit(" ", 1)[0]
            chosen.append(cut + " …")
            break
        chosen.append(line)
        budget -= len(line)
        if len(chosen) == QUOTE_LINES or budget <= 0:
            break
    return chosen


def _inline(text: str) -> str:
    """One line of Markdown that shows the text as written (no accidental emphasis)."""
    flat = " ".join(strip_controls(text).split())
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in flat)

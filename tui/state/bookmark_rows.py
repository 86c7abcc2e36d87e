"""Rows of the bookmarks table as Bookmarks, and the queries that read a page of them.

Decoding tolerates what a damaged or hand-edited file holds (BLOBs, numbers, NULLs,
invalid UTF-8 shown as U+FFFD). Paging filters in SQLite with the same rule as
`Bookmark.matches`, so the bookmarks list shows 100,000 bookmarks a page at a time
without building them all.
"""

from __future__ import annotations

import json
import sqlite3

from partner_tui.tui.state.bookmark_model import Bookmark
from partner_tui.tui.state.bookmark_schema import COLUMNS

_COLUMNS = ", ".join(COLUMNS)
_ORDER = "ORDER BY created_at, rowid"
# Characters JSON escapes or adds around the path and tags: a word holding one (or any
# non-ASCII, which an older writer may have escaped) is checked against the decoded
# lists (exact), the others against the raw JSON text (fast, and the same answer).
_JSON_SYNTAX = set('"\\[],')
# The row's searchable text as one argument: a call per row is what filtering costs.
_HAYSTACK = (
    "coalesce(title, '') || ' ' || coalesce(pillar, '') || ' ' || "
    "coalesce(briefing_title, '') || ' ' || coalesce(note, '') || ' ' || "
    "coalesce(path, '') || ' ' || coalesce(tags, '')"
)
_MATCHES_EXACT = "bookmark_matches(title, pillar, briefing_title, path, note, tags)"


def _matcher(db: sqlite3.Connection, filter_text: str) -> str:
    """Register `bookmark_matches` for this filter's words; return the SQL condition.
    Same answer as `Bookmark.matches`: every casefolded word is in the row's text."""
    words = filter_text.casefold().split()
    if any(set(word) & _JSON_SYNTAX or not word.isascii() for word in words):

        def exact(title, pillar, briefing_title, path, note, tags) -> bool:
            fields = [_text(value) for value in (title, pillar, briefing_title, note)]
            fields += _json_list(_text(path), ()) + _json_list(_text(tags), ())
            haystack = " ".join(fields).casefold()
            return all(word in haystack for word in words)

        db.create_function("bookmark_matches", 6, exact)
        return _MATCHES_EXACT

    def raw(haystack) -> bool:
        text = _text(haystack).casefold()
        return all(word in text for word in words)

    db.create_function("bookmark_matches", 1, raw)
    return f"bookmark_matches({_HAYSTACK})"


def select_window(
    db: sqlite3.Connection, offset: int, limit: int, filter_text: str | None
) -> tuple[int, list[tuple]]:
    """(how many rows match, the rows offset…offset+limit of them in list order), with
    one pass over the table when filtering."""
    offset, limit = max(offset, 0), max(limit, 0)
    if not (filter_text and filter_text.strip()):
        total = db.execute("SELECT count(*) FROM bookmarks").fetchone()[0]
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM bookmarks {_ORDER} LIMIT ? OFFSET ?", (limit, offset)
        ).fetchall()
        return total, rows
    condition = _matcher(db, filter_text)
    matching = [
        rowid for (rowid,) in db.execute(f"SELECT rowid FROM bookmarks WHERE {condition} {_ORDER}")
    ]
    chosen = matching[offset : offset + limit]
    marks = ", ".join("?" * len(chosen))
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM bookmarks WHERE rowid IN ({marks}) {_ORDER}", chosen
    ).fetchall()
    return len(matching), rows


def _json_list(raw: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
    # Tolerate a hand-edited row rather than refuse to list every other bookmark.
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return fallback
    if not isinstance(value, list):
        return fallback
    return tuple(str(item) for item in value)


def _text(value: object) -> str:
    """A column as text, whatever a damaged or hand-edited file holds there: a BLOB, a
    number, NULL. One odd row must not make every other bookmark unreadable."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


def bookmark_from_row(row: tuple) -> Bookmark:
    row = tuple(None if i == 7 and v is None else _text(v) for i, v in enumerate(row))
    (section_id, briefing_id, briefing_title, pillar, title, path, text_hash, note, tags) = row[:9]
    return Bookmark(
        section_id=section_id,
        briefing_id=briefing_id,
        briefing_title=briefing_title,
        pillar=pillar,
        title=title,
        path=_json_list(path, (title,)) or (title,),
        text_hash=text_hash,
        created_at=row[9],
        updated_at=row[10],
        note=note,
        tags=_json_list(tags, ()),
    )

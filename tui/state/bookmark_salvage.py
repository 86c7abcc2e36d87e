"""Copy what can still be read from a bookmarks file that was moved aside into the new one.

Best effort and read-only: the old file is opened immutable (SQLite writes nothing to it,
not even a journal) and rows are taken until the first unreadable page; then every page
that survived is read directly (bookmark_pages), so a truncated file or one bad page
loses only the rows on the pages that are gone. A file from a newer release usually
gives back everything. The moved-aside file stays as it was either way.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from partner_tui.tui.state.bookmark_raw_pages import stored_rows
from partner_tui.tui.state.bookmark_schema import COLUMNS

# Columns a row must have to be worth keeping; tags came later and may be absent.
_REQUIRED = tuple(column for column in COLUMNS if column != "tags")


def salvage(moved: Path, fresh: sqlite3.Connection) -> int:
    """Insert the readable bookmarks of `moved` into `fresh`; return how many."""
    rows = _readable_rows(moved)
    if not rows:
        return 0
    placeholders = ", ".join("?" for _ in COLUMNS)
    fresh.execute("BEGIN IMMEDIATE")
    try:
        before = fresh.total_changes
        fresh.executemany(
            f"INSERT OR IGNORE INTO bookmarks ({', '.join(COLUMNS)}) VALUES ({placeholders})",
            rows,
        )
        count = fresh.total_changes - before
        fresh.execute("COMMIT")
    except BaseException:
        if fresh.in_transaction:
            fresh.execute("ROLLBACK")
        raise
    return count


def _readable_rows(moved: Path) -> list[tuple]:
    rows = _rows_through_sqlite(moved)
    known = {row[0] for row in rows}
    newest: dict[str, tuple] = {}
    for record in stored_rows(moved):
        row = _in_column_order(record)
        if row[0] in known or not _plausible(row):
            continue
        # Older copies of a row can survive on stale pages: keep the latest change.
        if row[0] not in newest or row[-1] > newest[row[0]][-1]:
            newest[row[0]] = row
    return rows + list(newest.values())


def _in_column_order(record: list) -> tuple:
    """A stored record (tags last, added by ALTER TABLE) in COLUMNS order."""
    tags = record[10] if len(record) > 10 else "[]"
    return (*record[:8], tags, record[8], record[9])


def _rows_through_sqlite(moved: Path) -> list[tuple]:
    try:
        source = sqlite3.connect(f"{moved.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except (sqlite3.Error, ValueError):
        return []
    rows: list[tuple] = []
    try:
        columns = {row[1] for row in source.execute("PRAGMA table_info(bookmarks)")}
        if not set(_REQUIRED) <= columns:
            return []
        chosen = ", ".join(c if c in columns else "'[]'" for c in COLUMNS)
        cursor = source.execute(f"SELECT {chosen} FROM bookmarks")
        while True:
            try:
                row = cursor.fetchone()
            except sqlite3.Error:
                break  # an unreadable page: keep what came before it
            if row is None:
                break
            if _plausible(row):
                rows.append(row)
    except sqlite3.Error:
        pass
    finally:
        source.close()
    return rows


def _plausible(row: tuple) -> bool:
    record = dict(zip(COLUMNS, row, strict=True))
    if not all(isinstance(record[c], str) for c in _REQUIRED if c != "note"):
        return False
    if record["note"] is not None and not isinstance(record["note"], str):
        return False
    try:
        return isinstance(json.loads(record["path"]), list) and isinstance(
            json.loads(record["tags"]), list
        )
    except (TypeError, ValueError):
        return False

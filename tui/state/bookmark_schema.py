"""The bookmarks database schema and the steps that bring an older file up to date.

`PRAGMA user_version` records how many steps a file has had. Steps only ever append:
never edit a released step, add a new one. Opening runs the missing steps in one
transaction, so a crash mid-upgrade leaves the file as it was.
"""

from __future__ import annotations

import sqlite3

# One entry per schema version: the SQL that takes a file from version N-1 to N.
MIGRATIONS: tuple[str, ...] = (
    # 1: one row per bookmarked section, keyed on its stable id, with its snapshot.
    """
    CREATE TABLE bookmarks (
        section_id     TEXT PRIMARY KEY NOT NULL,
        briefing_id    TEXT NOT NULL,
        briefing_title TEXT NOT NULL,
        pillar         TEXT NOT NULL,
        title          TEXT NOT NULL,
        path           TEXT NOT NULL,  -- JSON array of headings
        text_hash      TEXT NOT NULL,
        note           TEXT,
        created_at     TEXT NOT NULL,  -- ISO 8601, UTC
        updated_at     TEXT NOT NULL
    );
    """,
    # 2: tags (a JSON array, changed as a whole), and listing in creation order.
    """
    ALTER TABLE bookmarks ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    CREATE INDEX bookmarks_by_created ON bookmarks (created_at);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

# Every column this code reads and writes, in the order it selects them.
COLUMNS: tuple[str, ...] = (
    "section_id",
    "briefing_id",
    "briefing_title",
    "pillar",
    "title",
    "path",
    "text_hash",
    "note",
    "tags",
    "created_at",
    "updated_at",
)


class SchemaError(Exception):
    """The file is a database, but not a bookmarks database this version can use."""


def user_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def _tables(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {name for (name,) in rows}


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the file to SCHEMA_VERSION; return the version it had. Needs autocommit mode.

    Raises SchemaError for a file from a newer release or one holding other tables;
    sqlite3 errors (busy, corrupt) propagate for the caller to tell apart.
    """
    found = user_version(connection)
    if found > SCHEMA_VERSION:
        raise SchemaError(
            f"it was written by a newer partner-tui (schema version {found}; "
            f"this one knows up to {SCHEMA_VERSION})"
        )
    if found < SCHEMA_VERSION:
        # IMMEDIATE: take the write lock before re-reading, so two sessions opening an old
        # (or brand new) file at once cannot both run the same step.
        connection.execute("BEGIN IMMEDIATE")
        try:
            found = user_version(connection)
            if found == 0 and _tables(connection):
                raise SchemaError(
                    "it is some other database (tables: "
                    + ", ".join(sorted(_tables(connection)))
                    + ")"
                )
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[version - 1]):
                    connection.execute(statement)
                # PRAGMA user_version is part of the transaction: all steps or none.
                connection.execute(f"PRAGMA user_version = {version}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    check(connection)
    return found


def check(connection: sqlite3.Connection) -> None:
    """Raise SchemaError unless the bookmarks table has every column this code uses."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(bookmarks)")}
    if not columns:
        raise SchemaError("it has no bookmarks table")
    absent = set(COLUMNS) - columns
    if absent:
        raise SchemaError("its bookmarks table lacks " + ", ".join(sorted(absent)))


def _statements(script: str) -> list[str]:
    # executescript() would commit our transaction; run the statements one by one instead.
    return [part.strip() for part in script.split(";") if part.strip()]

"""One user's bookmarks in SQLite: every change committed at once, safe across sessions.

Each operation is one short transaction (an upsert, a delete, or BEGIN IMMEDIATE for a
read-then-write such as toggle), so two sessions of the same user adding and removing at
the same moment lose nothing. `has_changed()` is a cheap poll (PRAGMA data_version) that
tells a session another one committed. No Textual here: the CLI uses it too, and the app
calls it from the UI thread (every call is a few milliseconds on a local disk).
"""

from __future__ import annotations

import builtins
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from partner_tui.tui.state.bookmark_model import (
    Bookmark,
    SectionSnapshot,
    clean_note,
    clean_tags,
    merge_notes,
    merge_tags,
)
from partner_tui.tui.state.bookmark_opening import (
    BookmarkStoreBusy,
    BookmarkStoreError,
    open_database,
    store_error,
)
from partner_tui.tui.state.bookmark_rows import bookmark_from_row as _bookmark
from partner_tui.tui.state.bookmark_rows import select_window
from partner_tui.tui.state.bookmark_schema import COLUMNS
from partner_tui.tui.state.locations import current_user, user_dir

__all__ = ["BOOKMARKS_FILE", "BookmarkStore", "BookmarkStoreBusy", "BookmarkStoreError"]

BOOKMARKS_FILE = "bookmarks.db"
BUSY_TIMEOUT = 5.0

_COLUMNS = ", ".join(COLUMNS)
_UPSERT = f"""
    INSERT INTO bookmarks ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (section_id) DO UPDATE SET
        briefing_id = excluded.briefing_id, briefing_title = excluded.briefing_title,
        pillar = excluded.pillar, title = excluded.title, path = excluded.path,
        text_hash = excluded.text_hash, note = excluded.note, tags = excluded.tags,
        created_at = excluded.created_at, updated_at = excluded.updated_at
"""


@dataclass(frozen=True)
class MergeReport:
    added: int = 0
    merged: int = 0
    unchanged: int = 0


def now_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class BookmarkStore:
    """A user's bookmarks. Open with `BookmarkStore.open(user)`; close when done."""

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        user: str | None = None,
        warnings: Iterable[str] = (),
    ) -> None:
        self.path = path
        self.user = user
        # Messages for the person (e.g. a damaged file was moved aside): print or notify.
        self.warnings: list[str] = list(warnings)
        self._db = connection
        self._lock = threading.RLock()  # one connection, possibly used from worker threads
        self._seen_version = self._data_version()

    # -- opening ----------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        user: str | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        timeout: float = BUSY_TIMEOUT,
    ) -> BookmarkStore:
        """The store of `user` (default: --user/$PARTNER_TUI_USER/OS user) in the data dir.

        Raises locations.IdentityError for a bad user name and BookmarkStoreError when the
        file cannot be used now; a damaged file is moved aside and reported in `warnings`.
        """
        name = current_user(user)
        return cls.at(user_dir(name, data_dir) / BOOKMARKS_FILE, user=name, timeout=timeout)

    @classmethod
    def at(
        cls, path: str | os.PathLike[str], *, user: str | None = None, timeout: float = BUSY_TIMEOUT
    ) -> BookmarkStore:
        path = Path(path)
        connection, warnings = open_database(path, timeout)
        return cls(path, connection, user=user, warnings=warnings)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------------
    def get(self, section_id: str) -> Bookmark | None:
        with self._guard("read"):
            return self._get(section_id)

    def list(
        self, filter_text: str | None = None, tag: str | None = None
    ) -> builtins.list[Bookmark]:
        """Oldest first; `filter_text` words must all match title, pillar, note or tags."""
        with self._guard("read"):
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM bookmarks ORDER BY created_at, rowid"
            ).fetchall()
        bookmarks = [_bookmark(row) for row in rows]
        return [b for b in bookmarks if b.matches(filter_text, tag)]

    def window(
        self, offset: int, limit: int, filter_text: str | None = None
    ) -> tuple[int, builtins.list[Bookmark]]:
        """(how many match, `limit` of them from `offset` in list order), matching like
        `list`: what a screen shows of a long list without reading all of it."""
        with self._guard("read"):
            matching, rows = select_window(self._db, offset, limit, filter_text)
        return matching, [_bookmark(row) for row in rows]

    def ids(self) -> frozenset[str]:
        with self._guard("read"):
            return frozenset(row[0] for row in self._db.execute("SELECT section_id FROM bookmarks"))

    def __len__(self) -> int:
        with self._guard("read"):
            return self._db.execute("SELECT count(*) FROM bookmarks").fetchone()[0]

    def __contains__(self, section_id: object) -> bool:
        return isinstance(section_id, str) and self.get(section_id) is not None

    def has_changed(self) -> bool:
        """True once after another connection (session, CLI) committed a change.

        PRAGMA data_version only moves for other connections' commits, so a session is
        not woken by its own writes. Cheap enough to poll every second.
        """
        with self._guard("read"):
            version = self._data_version()
            changed = version != self._seen_version
            self._seen_version = version
            return changed

    # -- changing ---------------------------------------------------------------------
    def add(
        self, snapshot: SectionSnapshot, note: str | None = None, tags: Iterable[str] = ()
    ) -> Bookmark:
        """Bookmark a section, or refresh an existing bookmark's snapshot (clearing
        "changed"). A given note replaces the old one; given tags are added to the old."""
        with self._guard("save"), self._transaction():
            existing = self._get(snapshot.section_id)
            stamp = now_stamp()
            bookmark = Bookmark(
                **_snapshot_fields(snapshot),
                created_at=existing.created_at if existing else stamp,
                updated_at=stamp,
                note=clean_note(note)
                if note is not None
                else (existing.note if existing else None),
                tags=merge_tags(existing.tags if existing else (), clean_tags(tags)),
            )
            self._write(bookmark)
        return bookmark

    def toggle(self, snapshot: SectionSnapshot, kept: Bookmark | None = None) -> bool:
        """Bookmark the section if it is not, remove it if it is; True if now bookmarked.
        One transaction, so two sessions toggling at once never leave a half-done change.

        `kept`: this section's bookmark as taken off earlier; put back (note, tags, dates
        and snapshot) instead of a new one."""
        with self._guard("save"), self._transaction():
            deleted = self._db.execute(
                "DELETE FROM bookmarks WHERE section_id = ?", (snapshot.section_id,)
            ).rowcount
            if deleted:
                return False
            if kept is not None and kept.section_id == snapshot.section_id:
                self._write(kept)
                return True
            stamp = now_stamp()
            self._write(Bookmark(**_snapshot_fields(snapshot), created_at=stamp, updated_at=stamp))
            return True

    def remove(self, section_id: str) -> Bookmark | None:
        """Delete; return what was deleted (give it to `restore` to undo) or None."""
        with self._guard("save"), self._transaction():
            existing = self._get(section_id)
            if existing is not None:
                self._db.execute("DELETE FROM bookmarks WHERE section_id = ?", (section_id,))
        return existing

    def restore(self, bookmark: Bookmark) -> None:
        """Undo a `remove`: put the bookmark back with its note, tags and dates."""
        self.merge([bookmark])

    def set_note(self, section_id: str, note: str | None) -> Bookmark | None:
        """Replace the note (empty clears it); None if the section is not bookmarked."""
        return self._update(section_id, lambda b: replace(b, note=clean_note(note)))

    def set_tags(self, section_id: str, tags: Iterable[str]) -> Bookmark | None:
        """Replace the tags; None if the section is not bookmarked."""
        return self._update(section_id, lambda b: replace(b, tags=clean_tags(tags)))

    def merge(self, bookmarks: Iterable[Bookmark]) -> MergeReport:
        """Add bookmarks from elsewhere (an import, an undo) in one transaction.

        Never duplicates (the section id is the key) and never loses a note: a known
        bookmark keeps its earliest creation date, the newer snapshot, both notes and
        every tag. Merging the same bookmarks twice changes nothing the second time.
        """
        added = merged = unchanged = 0
        with self._guard("save"), self._transaction():
            for incoming in bookmarks:
                existing = self._get(incoming.section_id)
                if existing is None:
                    self._write(incoming)
                    added += 1
                    continue
                combined = _combine(existing, incoming)
                if combined == existing:
                    unchanged += 1
                else:
                    self._write(replace(combined, updated_at=now_stamp()))
                    merged += 1
        return MergeReport(added=added, merged=merged, unchanged=unchanged)

    # -- internals --------------------------------------------------------------------
    def _update(self, section_id: str, change) -> Bookmark | None:
        with self._guard("save"), self._transaction():
            existing = self._get(section_id)
            if existing is None:
                return None
            updated = replace(change(existing), updated_at=now_stamp())
            self._write(updated)
            return updated

    def _get(self, section_id: str) -> Bookmark | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM bookmarks WHERE section_id = ?", (section_id,)
        ).fetchone()
        return _bookmark(row) if row else None

    def _write(self, b: Bookmark) -> None:
        self._db.execute(
            _UPSERT,
            (
                b.section_id,
                b.briefing_id,
                b.briefing_title,
                b.pillar,
                b.title,
                json.dumps(list(b.path), ensure_ascii=False),
                b.text_hash,
                b.note,
                json.dumps(list(b.tags), ensure_ascii=False),
                b.created_at,
                b.updated_at,
            ),
        )

    def _data_version(self) -> int:
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        with self._lock:
            try:
                yield
            except sqlite3.Error as error:
                raise store_error(error, self.path, doing) from None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock before reading, so a read-then-write (toggle,
        # merge) cannot interleave with another session's and lose its update.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def _snapshot_fields(snapshot: SectionSnapshot) -> dict:
    return {
        "section_id": snapshot.section_id,
        "briefing_id": snapshot.briefing_id,
        "briefing_title": snapshot.briefing_title,
        "pillar": snapshot.pillar,
        "title": snapshot.title,
        "path": tuple(snapshot.path),
        "text_hash": snapshot.text_hash,
    }


def _combine(existing: Bookmark, incoming: Bookmark) -> Bookmark:
    newer = incoming if incoming.updated_at > existing.updated_at else existing
    return replace(
        existing,
        **_snapshot_fields(newer.snapshot),
        created_at=min(existing.created_at, incoming.created_at),
        note=merge_notes(existing.note, incoming.note),
        tags=merge_tags(existing.tags, incoming.tags),
    )

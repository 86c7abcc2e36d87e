"""Schema versions: a file written by an older release is upgraded in place, rows kept."""

from __future__ import annotations

import json
import sqlite3

from partner_tui.tui.state.bookmark_schema import MIGRATIONS, SCHEMA_VERSION, user_version
from partner_tui.tui.state.bookmark_store import BookmarkStore
from support_bookmarks import snapshot


def write_version_1(path):
    """A bookmarks file exactly as release 1 of the schema left it (no tags column)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as old:
        old.executescript(MIGRATIONS[0])
        old.execute(
            "INSERT INTO bookmarks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                "b/old-pillar",
                "b",
                "Old Briefing",
                "Old Pillar",
                "Old Pillar",
                json.dumps(["Old Pillar"]),
                "sha256:abc",
                "a note from long ago",
                "2024-01-02T03:04:05.000Z",
                "2024-01-02T03:04:05.000Z",
            ),
        )
        old.execute("PRAGMA user_version = 1")
    old.close()


def test_a_new_file_gets_the_current_schema(tmp_path):
    with BookmarkStore.open("alice", tmp_path) as store:
        path = store.path
    with sqlite3.connect(path) as check:
        assert user_version(check) == SCHEMA_VERSION
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    check.close()


def test_opening_a_version_1_file_upgrades_it_and_keeps_its_bookmarks(tmp_path):
    path = tmp_path / "users" / "alice" / "bookmarks.db"
    write_version_1(path)

    with BookmarkStore.open("alice", tmp_path) as store:
        assert store.warnings == []
        old = store.get("b/old-pillar")
        assert old.note == "a note from long ago"
        assert old.tags == ()
        assert old.created_at == "2024-01-02T03:04:05.000Z"
        store.set_tags("b/old-pillar", ["kept"])  # the new column works
        store.add(snapshot("b/new"), tags=["fresh"])

    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tags = dict(check.execute("SELECT section_id, tags FROM bookmarks"))
    check.close()
    assert tags == {"b/old-pillar": '["kept"]', "b/new": '["fresh"]'}


def test_an_upgrade_that_does_not_fit_leaves_the_file_as_it_was(tmp_path):
    """A version-1 file that somehow already has a tags column: the step fails, the
    transaction rolls back, and the untouched file is moved aside; its bookmark is read
    back from its pages into the fresh file (the row predates the odd column)."""
    path = tmp_path / "users" / "alice" / "bookmarks.db"
    write_version_1(path)
    with sqlite3.connect(path) as odd:
        odd.execute("ALTER TABLE bookmarks ADD COLUMN tags TEXT")
    odd.close()
    original = path.read_bytes()

    with BookmarkStore.open("alice", tmp_path) as store:
        assert len(store.warnings) == 1
        assert "with the 1 bookmark it could read" in store.warnings[0]
        assert store.ids() == frozenset({"b/old-pillar"})
    kept = next(path.parent.glob("bookmarks.db.corrupt-*"))
    assert kept.read_bytes() == original

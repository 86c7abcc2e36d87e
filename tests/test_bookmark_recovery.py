"""A bookmarks file that cannot be used is moved aside (never lost), and a busy one is not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from partner_tui.tui.state.bookmark_schema import SCHEMA_VERSION
from partner_tui.tui.state.bookmark_store import BookmarkStore, BookmarkStoreBusy
from support_bookmarks import snapshot


def db_path(data: Path, user: str = "alice") -> Path:
    return data / "users" / user / "bookmarks.db"


def valid_file_bytes(tmp_path: Path) -> bytes:
    """A real bookmarks file with enough rows to span several pages."""
    path = tmp_path / "source" / "bookmarks.db"
    with BookmarkStore.at(path) as store:
        for n in range(60):
            store.add(snapshot(f"b/section-{n}"), note="n" * 200)
    return path.read_bytes()


def another_database(path: Path) -> None:
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE recipes (name TEXT)")
        other.execute("INSERT INTO recipes VALUES ('soup')")
    other.close()


def future_version(path: Path) -> None:
    with BookmarkStore.at(path) as store:
        store.add(snapshot("b/from-the-future"))
    with sqlite3.connect(path) as other:
        other.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    other.close()


def wrong_schema(path: Path) -> None:
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE bookmarks (section_id TEXT PRIMARY KEY)")
        other.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    other.close()


DAMAGE = {
    "garbage bytes": lambda path, tmp: path.write_bytes(bytes(range(256)) * 40),
    "a text file": lambda path, tmp: path.write_text("these are not bookmarks\n" * 50),
    "truncated in the header": lambda path, tmp: path.write_bytes(valid_file_bytes(tmp)[:60]),
    "truncated halfway": lambda path, tmp: path.write_bytes(
        (lambda data: data[: len(data) // 2])(valid_file_bytes(tmp))
    ),
    "some other database": lambda path, tmp: another_database(path),
    "a schema from a newer release": lambda path, tmp: future_version(path),
    "a bookmarks table without our columns": lambda path, tmp: wrong_schema(path),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_an_unusable_file_is_moved_aside_and_a_fresh_store_starts(tmp_path, damage):
    data = tmp_path / "data"
    path = db_path(data)
    path.parent.mkdir(parents=True)
    DAMAGE[damage](path, tmp_path)
    original = path.read_bytes()

    store = BookmarkStore.open("alice", data)

    kept = sorted(path.parent.glob("bookmarks.db.corrupt-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == original  # the user's bytes still exist, untouched
    assert len(store.warnings) == 1
    assert str(kept[0]) in store.warnings[0]  # the person is told where it went
    recovered = store.ids()
    if damage == "a schema from a newer release":
        assert recovered == {"b/from-the-future"}  # readable rows are copied over
        assert "with the 1 bookmark it could read" in store.warnings[0]
    elif damage == "truncated halfway":
        assert recovered < {f"b/section-{n}" for n in range(60)}
    else:
        assert recovered == frozenset()
        assert "a new, empty bookmarks file was started" in store.warnings[0]
    store.add(snapshot("b/new"))
    store.close()
    with BookmarkStore.open("alice", data) as reopened:
        assert reopened.ids() == recovered | {"b/new"}
        assert reopened.warnings == []


def test_what_is_readable_in_a_damaged_file_is_given_back(tmp_path):
    data = tmp_path / "data"
    path = db_path(data)
    path.parent.mkdir(parents=True)
    original = bytearray(valid_file_bytes(tmp_path))
    page = 4096
    original[-page:] = b"\xde\xad" * (page // 2)  # the last page is garbage
    path.write_bytes(bytes(original))

    with BookmarkStore.open("alice", data) as store:
        recovered = store.ids()
        assert "bookmarks it could read" in store.warnings[0]
    assert recovered
    assert recovered < {f"b/section-{n}" for n in range(60)}
    for section_id in recovered:
        assert section_id.startswith("b/section-")


def test_the_wal_and_shm_files_move_with_the_database(tmp_path):
    data = tmp_path / "data"
    path = db_path(data)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all" * 100)
    path.with_name("bookmarks.db-wal").write_bytes(b"wal bytes")
    path.with_name("bookmarks.db-shm").write_bytes(b"shm bytes")

    with BookmarkStore.open("alice", data) as store:
        kept = Path(store.warnings[0].split(" it was kept as ")[1].split(" and ")[0])
        assert kept.with_name(kept.name + "-wal").read_bytes() == b"wal bytes"
        assert kept.with_name(kept.name + "-shm").read_bytes() == b"shm bytes"


def test_a_moved_aside_file_with_rows_can_still_be_opened_by_hand(tmp_path):
    data = tmp_path / "data"
    path = db_path(data)
    path.parent.mkdir(parents=True)
    future_version(path)

    with BookmarkStore.open("alice", data):
        pass
    kept = next(path.parent.glob("bookmarks.db.corrupt-*"))
    with sqlite3.connect(kept) as by_hand:
        rows = by_hand.execute("SELECT section_id FROM bookmarks").fetchall()
    by_hand.close()
    assert rows == [("b/from-the-future",)]


def test_two_damaged_files_in_a_row_are_both_kept(tmp_path):
    data = tmp_path / "data"
    path = db_path(data)
    path.parent.mkdir(parents=True)
    for attempt in (b"first garbage", b"second garbage"):
        path.write_bytes(attempt * 500)
        BookmarkStore.open("alice", data).close()
    kept = sorted(p.read_bytes()[:14] for p in path.parent.glob("bookmarks.db.corrupt-*"))
    assert kept == [b"first garbagef", b"second garbage"]


def test_a_busy_file_is_an_error_and_is_never_moved(tmp_path):
    data = tmp_path / "data"
    path = db_path(data)
    with BookmarkStore.open("alice", data) as store:
        store.add(snapshot("b/precious"))
    # A rollback-journal database held exclusively: opening must wait, then give up.
    with sqlite3.connect(path, isolation_level=None) as holder:
        holder.execute("PRAGMA journal_mode = DELETE")
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(BookmarkStoreBusy, match="locked by another session"):
            BookmarkStore.open("alice", data, timeout=0.05)
        holder.execute("ROLLBACK")
    holder.close()

    assert list(path.parent.glob("*.corrupt-*")) == []
    with BookmarkStore.open("alice", data) as store:
        assert store.ids() == frozenset({"b/precious"})
        assert store.warnings == []


def test_a_write_that_stays_locked_is_an_error_not_a_lost_update(tmp_path):
    data = tmp_path / "data"
    path = db_path(data)
    store = BookmarkStore.open("alice", data, timeout=0.05)
    with sqlite3.connect(path, isolation_level=None) as holder:
        holder.execute("BEGIN IMMEDIATE")  # another session mid-write
        with pytest.raises(BookmarkStoreBusy):
            store.add(snapshot("b/later"))
        assert store.ids() == frozenset()  # reading still works under WAL
        holder.execute("ROLLBACK")
    holder.close()
    store.add(snapshot("b/later"))
    assert store.ids() == frozenset({"b/later"})
    store.close()

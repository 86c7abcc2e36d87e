"""Bookmark store edges found by probing: hostile imports, odd rows, a FIFO for a file,
look-alike user names, private permissions, and what a truncated file still gives back."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from partner_tui.tui.cli.main import main
from partner_tui.tui.state.bookmark_status import BookmarkStatus
from partner_tui.tui.state.bookmark_store import BookmarkStore, BookmarkStoreError
from partner_tui.tui.widgets.bookmarks_list import bookmark_prompt
from support_bookmarks import SHIPPING, snapshot, write_corpus

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def cli(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["bookmarks", *args, "--corpus", str(corpus)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def _export(entries: str) -> str:
    return '{"format": "partner-tui-bookmarks", "version": 1, "bookmarks": [' + entries + "]}"


ENTRY = '{"section_id": "harbour/shipping-lanes", "title": "%s", "created_at": "2026-01-01"}'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (_export(ENTRY % "\\ud800"), "lone UTF-16 surrogate"),
        (_export('{"section_id": "a/b", "title": "t", "created_at": "x", "note": "\\udc00"}'),
         "lone UTF-16 surrogate"),
    ],
    ids=["deep", "surrogate-title", "surrogate-note"],
)  # fmt: skip
def test_a_hostile_import_is_refused_with_exit_2(cli, tmp_path, text, message):
    source = tmp_path / "in.json"
    source.write_text(text, encoding="utf-8")
    code, _, err = cli("import", str(source))
    assert code == 2
    assert message in err and "nothing was imported" in err
    assert "Traceback" not in err
    assert cli("list", "--json")[1].count("section_id") == 0


def test_an_export_with_a_byte_order_mark_imports(cli, tmp_path):
    source = tmp_path / "bom.json"
    source.write_text("\ufeff" + _export(ENTRY % "Shipping Lanes"), encoding="utf-8")
    code, out, err = cli("import", str(source))
    assert code == 0, err
    assert "1 new" in out


def _store_with_odd_rows(tmp_path) -> BookmarkStore:
    store = BookmarkStore.at(tmp_path / "bookmarks.db")
    for name in ("first", "blob", "latin", "last"):
        store.add(snapshot(f"harbour/{name}", name.title()), note=f"about {name}")
    store._db.execute("UPDATE bookmarks SET note = x'00ff1b5b33316d' WHERE title = 'Blob'")
    store._db.execute(
        "UPDATE bookmarks SET title = CAST(x'43616679e9' AS TEXT) WHERE title = 'Latin'"
    )
    return store


def test_a_blob_note_and_invalid_utf8_are_shown_not_fatal(tmp_path):
    with _store_with_odd_rows(tmp_path) as store:
        bookmarks = {b.section_id: b for b in store.list()}
    assert len(bookmarks) == 4  # every row still readable
    assert bookmarks["harbour/latin"].title == "Cafy\ufffd"
    assert isinstance(bookmarks["harbour/blob"].note, str)
    for bookmark in bookmarks.values():  # the list draws each (the explorer's `B`)
        shown = bookmark_prompt(bookmark, BookmarkStatus.CURRENT, NOW).plain
        assert "\x1b" not in shown and "\x00" not in shown


def test_odd_rows_do_not_stop_the_cli(cli, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("PARTNER_TUI_DATA_DIR", str(data))
    monkeypatch.setenv("PARTNER_TUI_USER", "alice")
    folder = data / "users" / "alice"
    folder.mkdir(parents=True)
    _store_with_odd_rows(folder).close()
    code, out, err = cli("list", "--json")
    assert code == 0, err
    assert len(json.loads(out)["bookmarks"]) == 4


def test_a_fifo_named_bookmarks_db_is_refused_without_hanging(tmp_path):
    folder = tmp_path / "data" / "users" / "alice"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "bookmarks.db")
    with pytest.raises(BookmarkStoreError, match="not a regular file .*FIFO"):
        BookmarkStore.at(folder / "bookmarks.db")
    done = subprocess.run(
        [sys.executable, "-m", "partner_tui.tui.cli", "bookmarks", "list",
         "--user", "alice", "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 2
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr
    assert (folder / "bookmarks.db").exists()  # left where it was


def test_a_user_name_with_a_trailing_newline_is_refused(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["bookmarks", "list", "--user", "bob\n", "--data-dir", str(data)]) == 2
    assert "invalid user name" in capsys.readouterr().err
    assert not (data / "users").exists() or list((data / "users").iterdir()) == []


def test_bookmarks_are_private_to_their_owner(tmp_path):
    folder = tmp_path / "data" / "users" / "alice"
    with BookmarkStore.at(folder / "bookmarks.db") as store:
        store.add(snapshot(SHIPPING), note="private thoughts")
    assert (folder / "bookmarks.db").stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "data" / "users").stat().st_mode & 0o777 == 0o700
    # A store left readable by an older release is narrowed when next opened.
    (folder / "bookmarks.db").chmod(0o644)
    folder.chmod(0o755)
    BookmarkStore.at(folder / "bookmarks.db").close()
    assert (folder / "bookmarks.db").stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_store_truncated_to_half_gives_back_the_rows_on_surviving_pages(tmp_path):
    path = tmp_path / "bookmarks.db"
    with BookmarkStore.at(path) as store:
        for number in range(600):
            store.add(snapshot(f"b/s{number:04d}", f"Title {number}"), note=f"note {number}")
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        written = {b.section_id: b for b in store.list()}
    size = path.stat().st_size
    with path.open("r+b") as stream:
        stream.truncate(size // 2)
    # The oracle: what SQLite alone still reads from the damaged file (it stops early).
    damaged = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    through_sqlite = 0
    try:
        for _ in damaged.execute("SELECT section_id FROM bookmarks"):
            through_sqlite += 1
    except sqlite3.DatabaseError:
        pass
    damaged.close()
    with BookmarkStore.at(path) as store:
        recovered = store.list()
        assert "could not be used" in store.warnings[0]
    assert len(recovered) > max(through_sqlite, 200)  # roughly half survives
    for bookmark in recovered:  # every row given back is one that was written, intact
        original = written[bookmark.section_id]
        assert (bookmark.title, bookmark.note) == (original.title, original.note)

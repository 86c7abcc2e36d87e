"""The bookmark store: adding, notes, tags, filtering, toggling, undo, users, change polling."""

from __future__ import annotations

import sqlite3

import pytest
from partner_tui.tui.state.bookmark_model import Bookmark
from partner_tui.tui.state.bookmark_store import BOOKMARKS_FILE, BookmarkStore
from partner_tui.tui.state.locations import IdentityError
from support_bookmarks import snapshot


@pytest.fixture
def store(tmp_path):
    with BookmarkStore.open("alice", tmp_path) as opened:
        yield opened


def test_a_bookmark_keeps_the_snapshot_of_its_section(store):
    added = store.add(snapshot("brief/pillar/sub", "Sub Heading", body="Body text."))

    got = store.get("brief/pillar/sub")
    assert got == added
    assert got.title == "Sub Heading"
    assert got.path == ("Pillar", "Sub Heading")
    assert got.pillar == "Pillar"
    assert got.briefing_id == "brief"
    assert got.text_hash.startswith("sha256:")
    assert got.created_at == got.updated_at
    assert got.note is None and got.tags == ()


def test_notes_and_tags_are_kept_and_cleaned(store):
    store.add(
        snapshot("b/one"), note="  read before Monday  ", tags=["ASEAN", " asean ", "", "esg"]
    )
    assert store.get("b/one").note == "read before Monday"
    assert store.get("b/one").tags == ("ASEAN", "esg")

    store.set_note("b/one", "second thoughts\nacross two lines")
    store.set_tags("b/one", ["green"])
    changed = store.get("b/one")
    assert changed.note == "second thoughts\nacross two lines"
    assert changed.tags == ("green",)
    assert changed.updated_at >= changed.created_at

    assert store.set_note("b/one", "   ").note is None
    assert store.set_note("b/nothing", "x") is None
    assert store.set_tags("b/nothing", ["x"]) is None


def test_notes_lose_terminal_control_characters(store):
    store.add(snapshot("b/one"), note="safe\x1b[2J text\x07")
    # The whole escape sequence goes, not just its ESC: no `[2J` debris is left.
    assert store.get("b/one").note == "safe text"


def test_adding_again_refreshes_the_snapshot_keeps_the_note_and_adds_tags(store):
    first = store.add(snapshot("b/one", "Old Title"), note="keep me", tags=["a"])
    again = store.add(snapshot("b/one", "New Title", body="rewritten"), tags=["b"])

    assert again.title == "New Title"
    assert again.text_hash != first.text_hash
    assert again.note == "keep me"
    assert again.tags == ("a", "b")
    assert again.created_at == first.created_at
    assert len(store) == 1


def test_filter_matches_title_pillar_note_and_tags_case_insensitively(store):
    store.add(snapshot("b/shipping/lanes", "Container Lanes"), note="dredging")
    store.add(snapshot("b/port/solar", "Solar Roofs"), tags=["Energy"])
    store.add(snapshot("b/port/wind", "Wind"))

    def titles(**kwargs):
        return [b.title for b in store.list(**kwargs)]

    assert titles(filter_text="container") == ["Container Lanes"]
    assert titles(filter_text="SHIPPING") == ["Container Lanes"]  # pillar
    assert titles(filter_text="dredging") == ["Container Lanes"]  # note
    assert titles(filter_text="energy") == ["Solar Roofs"]  # tag
    assert titles(filter_text="port") == ["Solar Roofs", "Wind"]
    assert titles(filter_text="port solar") == ["Solar Roofs"]  # every word must match
    assert titles(tag="energy") == ["Solar Roofs"]
    assert titles(tag="energy", filter_text="wind") == []
    assert titles() == ["Container Lanes", "Solar Roofs", "Wind"]  # oldest first


def test_toggle_adds_then_removes(store):
    assert store.toggle(snapshot("b/one")) is True
    assert store.ids() == frozenset({"b/one"})
    assert store.toggle(snapshot("b/one")) is False
    assert store.ids() == frozenset()


def test_toggle_back_on_puts_back_the_bookmark_taken_off(store):
    store.add(snapshot("b/one", body="Old text."), note="keep me", tags=["gear"])
    taken_off = store.get("b/one")
    assert store.toggle(snapshot("b/one", body="New text.")) is False

    assert store.toggle(snapshot("b/one", body="New text."), kept=taken_off) is True
    assert store.get("b/one") == taken_off  # note, tags, dates and old snapshot all back
    # A bookmark of another section is not a "kept" one: a fresh bookmark instead.
    assert store.toggle(snapshot("b/two"), kept=taken_off) is True
    assert store.get("b/two").note is None


def test_remove_returns_what_restore_puts_back(store):
    store.add(snapshot("b/one"), note="precious", tags=["t"])
    before = store.get("b/one")

    removed = store.remove("b/one")
    assert removed == before
    assert "b/one" not in store
    assert store.remove("b/one") is None

    store.restore(removed)
    assert store.get("b/one") == before


def test_every_change_is_on_disk_at_once(tmp_path):
    store = BookmarkStore.open("alice", tmp_path)
    store.add(snapshot("b/one"), note="n")
    # Read the file with a separate connection while the store is still open.
    path = tmp_path / "users" / "alice" / BOOKMARKS_FILE
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT section_id, note FROM bookmarks").fetchall() == [
            ("b/one", "n")
        ]
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_bookmarks_are_kept_across_sessions(tmp_path):
    with BookmarkStore.open("alice", tmp_path) as first:
        first.add(snapshot("b/one"), note="n", tags=["t"])
    with BookmarkStore.open("alice", tmp_path) as second:
        assert [(b.section_id, b.note, b.tags) for b in second.list()] == [("b/one", "n", ("t",))]
        assert second.warnings == []


def test_users_never_see_each_others_bookmarks(tmp_path):
    with BookmarkStore.open("alice", tmp_path) as alice, BookmarkStore.open("bob", tmp_path) as bob:
        alice.add(snapshot("b/alice-only"))
        bob.add(snapshot("b/bob-only"))
        assert alice.ids() == frozenset({"b/alice-only"})
        assert bob.ids() == frozenset({"b/bob-only"})
        assert alice.path != bob.path


def test_the_user_comes_from_the_environment_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNER_TUI_USER", "carol")
    with BookmarkStore.open(data_dir=tmp_path) as store:
        assert store.user == "carol"
        assert store.path == tmp_path / "users" / "carol" / BOOKMARKS_FILE


def test_a_user_name_cannot_escape_the_data_dir(tmp_path):
    with pytest.raises(IdentityError):
        BookmarkStore.open("../bob", tmp_path)


def test_two_sessions_see_each_others_changes(tmp_path):
    with BookmarkStore.open("alice", tmp_path) as one, BookmarkStore.open("alice", tmp_path) as two:
        assert not two.has_changed()

        one.add(snapshot("b/one"))
        assert two.has_changed()
        assert two.ids() == frozenset({"b/one"})
        assert not two.has_changed()  # reported once

        two.toggle(snapshot("b/one"))
        assert not two.has_changed()  # its own change is not news to it
        assert one.has_changed()
        assert one.ids() == frozenset()


def test_merge_never_duplicates_and_keeps_both_notes(store):
    store.add(snapshot("b/one"), note="mine", tags=["a"])
    local = store.get("b/one")
    incoming = Bookmark(
        **{**local.__dict__, "note": "theirs", "tags": ("b",), "created_at": "2020-01-01T00:00Z"}
    )

    first = store.merge([incoming, snapshot_bookmark("b/two")])
    assert (first.added, first.merged, first.unchanged) == (1, 1, 0)
    merged = store.get("b/one")
    assert merged.note == "mine\n\ntheirs"
    assert merged.tags == ("a", "b")
    assert merged.created_at == "2020-01-01T00:00Z"

    again = store.merge([incoming, snapshot_bookmark("b/two")])
    assert (again.added, again.merged, again.unchanged) == (0, 0, 2)
    assert store.get("b/one") == merged
    assert len(store) == 2


def snapshot_bookmark(section_id: str) -> Bookmark:
    s = snapshot(section_id)
    return Bookmark(
        **s.__dict__, created_at="2024-05-01T10:00:00.000Z", updated_at="2024-05-01T10:00:00.000Z"
    )

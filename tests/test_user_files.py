"""User files are replaced whole or not at all, and an unreadable one is never lost."""

from __future__ import annotations

import stat

import pytest
from partner_tui.tui.state import preferences as preferences_module
from partner_tui.tui.state.atomic_write import write_atomically
from partner_tui.tui.state.preferences import Preferences, PreferencesStore


def test_a_write_replaces_the_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "notes.json"
    target.write_text("old", encoding="utf-8")

    write_atomically(target, "new ✓")

    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.json"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # private unless asked


def test_a_write_can_be_made_readable_by_others(tmp_path):
    target = tmp_path / "alice.pub"
    write_atomically(target, "ssh-ed25519 AAAA alice\n", mode=0o644)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_contents_and_no_temp_file(tmp_path):
    # os.replace cannot put a file over a directory: the last step fails, for real.
    target = tmp_path / "in-the-way"
    target.mkdir()
    (target / "kept.txt").write_text("still here", encoding="utf-8")

    with pytest.raises(OSError):
        write_atomically(target, "new")

    assert (target / "kept.txt").read_text(encoding="utf-8") == "still here"
    assert [p.name for p in tmp_path.iterdir()] == ["in-the-way"]


def test_preferences_round_trip(tmp_path):
    store = PreferencesStore(tmp_path)
    store.save(Preferences(theme="partner-light", last_section="a/b", history=["a/b"]))
    assert PreferencesStore(tmp_path).load() == Preferences("partner-light", "a/b", ["a/b"])


def test_unreadable_preferences_are_moved_aside_and_reported(tmp_path):
    (tmp_path / "preferences.json").write_text("{not json", encoding="utf-8")
    store = PreferencesStore(tmp_path)

    assert store.load() == Preferences()

    moved = list(tmp_path.glob("preferences.json.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_text(encoding="utf-8") == "{not json"
    assert "unreadable" in store.warnings[0] and moved[0].name in store.warnings[0]


def test_preferences_that_cannot_be_moved_aside_start_with_defaults_and_stay_intact(
    tmp_path, monkeypatch
):
    # GIVEN an unreadable preferences file that cannot be renamed (a read-only folder)
    path = tmp_path / "preferences.json"
    path.write_text("[1, 2", encoding="utf-8")

    def refuse(target):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(preferences_module, "move_aside", refuse)
    store = PreferencesStore(tmp_path)

    # WHEN the app starts: defaults and a warning, not a traceback
    assert store.load() == Preferences()
    assert "could not be moved aside (Permission denied)" in store.warnings[0]

    # THEN nothing this session does overwrites the file the reader may want back
    store.save(Preferences(theme="partner-dark"))
    assert path.read_text(encoding="utf-8") == "[1, 2"

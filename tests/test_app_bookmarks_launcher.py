"""Bookmarks around the app: the launcher opens the store or runs without it, the help
screen lists the bookmark keys, and dates read as a person says them."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from partner_tui.tui.screens.bookmarks import BookmarksScreen
from partner_tui.tui.screens.bookmarks_edit import EditLine
from partner_tui.tui.screens.help import listed_keys
from partner_tui.tui.widgets.bookmarks_list import BookmarksList, when


@pytest.fixture
def launched(monkeypatch):
    """Run the launcher as if on a terminal; the app is built but not run."""
    from partner_tui.tui.app import PartnerApp
    from partner_tui.tui.cli import app_launcher

    seen: dict = {}

    def fake_run(app, **options):
        seen.update(options, app=app)

    monkeypatch.setattr(app_launcher, "terminal_problem", lambda: None)
    monkeypatch.setattr(PartnerApp, "run", fake_run)
    return seen


def user_folder() -> Path:
    return Path(os.environ["PARTNER_TUI_DATA_DIR"]) / "users" / "tester"


def test_the_launcher_opens_the_users_bookmarks(launched):
    from partner_tui.tui.cli.main import main

    assert main([]) == 0
    assert launched["app"].bookmarks.available
    assert (user_folder() / "bookmarks.db").exists()


def test_an_unusable_bookmarks_file_starts_the_app_with_bookmarks_off(launched, capsys):
    from partner_tui.tui.cli.main import main

    (user_folder() / "bookmarks.db").mkdir(parents=True)  # a folder where the file goes
    assert main([]) == 0
    app = launched["app"]
    assert not app.bookmarks.available
    said = [m for m in app.startup_warnings if "bookmarks are off for this session" in m]
    assert len(said) == 1 and "bookmarks.db" in said[0]
    assert "bookmarks are off for this session" in capsys.readouterr().err


def test_a_damaged_bookmarks_file_is_named_in_the_app_and_after_it(launched, capsys):
    from partner_tui.tui.cli.main import main

    user_folder().mkdir(parents=True)
    (user_folder() / "bookmarks.db").write_bytes(b"\x00garbage" * 100)
    assert main([]) == 0
    moved = next(user_folder().glob("bookmarks.db.corrupt-*"))
    assert any(str(moved) in message for message in launched["app"].startup_warnings)
    assert str(moved) in capsys.readouterr().err
    assert launched["app"].bookmarks.available  # a fresh file was started


def test_the_help_screen_lists_every_key_of_the_bookmarks_screens():
    listed = listed_keys()
    shown = {"slash": "/", "right_square_bracket": "]", "left_square_bracket": "["}
    for binding in (*BookmarksScreen.BINDINGS, *EditLine.BINDINGS, *BookmarksList.BINDINGS):
        for key in binding.key.split(","):
            assert shown.get(key, key) in listed, f"{key} is missing from the help screen"


NOW = datetime(2026, 5, 20, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stamp", "said"),
    [
        ("2026-05-20T11:59:30.000Z", "just now"),
        ("2026-05-20T11:15:00.000Z", "45 min ago"),
        ("2026-05-20T03:00:00.000Z", "9 h ago"),
        ("2026-05-19T06:00:00.000Z", "yesterday"),
        ("2026-05-16T12:00:00.000Z", "4 days ago"),
        ("2025-12-01T08:00:00.000Z", "2025-12-01"),
        ("not a date", "not a date"),
    ],
)
def test_when_a_bookmark_was_made_reads_naturally(stamp, said):
    assert when(stamp, NOW) == said

"""Served over SSH, the explorer writes no files on the server: Textual's "Screenshot"
and every other system command are gone from the palette, and file writes refuse."""

from __future__ import annotations

import io
import os

import pytest
from support_app import make_app, paste, run_async, settle
from textual.command import CommandList


def _files_under(folder) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def downloads(tmp_path, monkeypatch):
    """Where a screenshot would land: HOME (Downloads) and the working folder in tmp."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(home / "Downloads"))
    monkeypatch.chdir(home)
    return home


async def _palette_titles(pilot, text: str) -> str:
    """What the palette lists for `text` once its search has finished (pasted, as in
    support_app.palette_search, but without waiting for a match: here none may be right)."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await paste(pilot, text)
    await pilot.app.workers.wait_for_complete()  # the palette's own search worker
    await pilot.pause()
    listing = pilot.app.screen.query_one(CommandList)
    titles = " | ".join(
        str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)
    )
    await pilot.press("escape")
    return titles


@pytest.mark.parametrize("marker", ["PARTNER_TUI_SERVED", "SSH_CONNECTION"])
@run_async
async def test_a_remote_session_offers_no_screenshot_and_writes_nothing(
    tmp_path, downloads, monkeypatch, marker
):
    monkeypatch.setenv(marker, "1")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Only the explorer's own actions ("Zoom: …", read from its keys) remain.
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles and all(": " in title for title in titles)
        assert "Screenshot" not in await _palette_titles(pilot, "screenshot")
        assert await _palette_titles(pilot, "theme")  # the explorer's own commands remain
        await app.run_action("screenshot")
        assert app.save_screenshot(path=str(downloads)) == ""
        app.deliver_text(io.StringIO("x"), save_filename="x.txt")
        await settle(pilot)
    assert _files_under(downloads) == []


@run_async
async def test_a_local_session_keeps_textuals_commands(tmp_path, downloads, monkeypatch):
    for marker in ("PARTNER_TUI_SERVED", "SSH_CONNECTION"):
        monkeypatch.delenv(marker, raising=False)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Screenshot" in {c.title for c in app.get_system_commands(app.screen)}
        saved = app.save_screenshot(path=str(downloads))
    assert saved and os.path.exists(saved)  # the same call writes when local

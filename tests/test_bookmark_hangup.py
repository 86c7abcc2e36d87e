"""A bookmark made just before the terminal hangs up is kept: the real `partner-tui` in tmux.

Open a section, press b, then SIGHUP the process (as a closed SSH session or terminal
window does). The process must end by itself, leave nothing behind, and the bookmark
must be in the store, and marked with ★ on the next launch. Every wait polls against a
deadline; the tmux server is killed whatever happens.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from support_tmux import Tmux, partner_tui_command, processes_with_env

pytestmark = pytest.mark.e2e

MARKER = "PARTNER_TUI_TEST_MARKER"
SECTION_TITLE = "Sustainability as a Core Focus"
QUERY = "sustainability core focus"
# The guard's own grace timer ends a stuck shutdown after 3 s with status 129; 0 within
# this deadline means the app ended by itself (generous for a loaded machine).
EXIT_DEADLINE = 5.0


def environment(tmp_path: Path, marker: str) -> dict[str, str]:
    return {
        "TERM": "xterm-256color",
        "PARTNER_TUI_DATA_DIR": str(tmp_path / "data"),
        "PARTNER_TUI_CACHE_DIR": str(tmp_path / "cache"),
        "PARTNER_TUI_CONFIG_DIR": str(tmp_path / "config"),
        "PARTNER_TUI_USER": "tester",
        "ESCDELAY": "25",
        MARKER: marker,  # finds exactly this test's processes, whatever else runs
    }


def processes_with(marker: str) -> list[int]:
    return processes_with_env(MARKER, marker)


def wait_until_gone(marker: str, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def launch(tmp_path: Path, marker: str) -> Tmux:
    terminal = Tmux(tmp_path, width=80, height=24)
    terminal.start([partner_tui_command()], environment(tmp_path, marker))
    return terminal


def test_a_bookmark_made_just_before_a_hang_up_is_kept(tmp_path):
    marker = uuid.uuid4().hex
    terminal = launch(tmp_path, marker)
    try:
        terminal.wait_for("Press / to search", timeout=60)  # the first run indexes
        terminal.keys("/")
        terminal.type_text(QUERY)
        terminal.wait_for("match")
        terminal.keys("Enter")
        terminal.wait_for("hit 1 of")  # the reading view has the section
        terminal.keys("b")
        terminal.wait_for("Bookmarked")

        running = processes_with(marker)
        assert running, "the partner-tui process was not found"
        for pid in running:
            os.kill(pid, signal.SIGHUP)
        assert terminal.exit_status(timeout=EXIT_DEADLINE) == 0  # ended by itself
        assert wait_until_gone(marker, EXIT_DEADLINE) == []
    finally:
        terminal.close()
        for pid in processes_with(marker):  # never leave one behind, even on failure
            os.kill(pid, signal.SIGKILL)

    listed = subprocess.run(
        [partner_tui_command(), "bookmarks", "list", "--json"],
        env={**os.environ, **environment(tmp_path, marker)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    saved = json.loads(listed.stdout)["bookmarks"]
    assert [b["title"] for b in saved] == [SECTION_TITLE]
    assert saved[0]["status"] == "current"

    again = launch(tmp_path, marker)
    try:
        again.wait_for("Press / to search", timeout=60)
        again.keys("w")  # at 80 columns one pane shows: switch to the pillars
        again.wait_for("★ Sustainability")  # the mark on the bookmarked section
        again.keys("q")
        assert again.exit_status() == 0
    finally:
        again.close()
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)

"""The installed `partner-tui` command in a real terminal (tmux, 80×24), used as a person would.

Keys go in with `tmux send-keys`, the screen comes back with `capture-pane`; every wait
polls the screen against a deadline. Each test runs its own tmux server, killed at the end.
"""

from __future__ import annotations

import pytest
from partner_tui.search.engine import Engine
from support_tmux import Tmux, partner_tui_command

pytestmark = pytest.mark.e2e

# A section of the bundled briefing, and words from its text that the search finds.
SECTION_TITLE = "Sustainability as a Core Focus"
QUERY = "sustainability core focus"
FIRST_SCREEN = "Press / to search"


def words(text: str) -> str:
    """Text with every run of whitespace (line ends included) made one space."""
    return " ".join(text.split())


@pytest.fixture
def terminal(tmp_path):
    """A tmux pane running `partner-tui` with all its state in tmp folders."""
    term = Tmux(tmp_path, width=80, height=24)
    env = {
        "TERM": "xterm-256color",
        "PARTNER_TUI_DATA_DIR": str(tmp_path / "data"),
        "PARTNER_TUI_CACHE_DIR": str(tmp_path / "cache"),
        "PARTNER_TUI_CONFIG_DIR": str(tmp_path / "config"),
        "PARTNER_TUI_USER": "tester",
        # Textual waits this long (ms) to tell a lone Escape from a key sequence.
        "ESCDELAY": "25",
    }
    try:
        term.start([partner_tui_command()], env)
        yield term
    finally:
        term.close()


@pytest.fixture(scope="module")
def section():
    """The section the search should open, as the engine reads it."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as cache:
        engine = Engine.open(cache_dir=Path(cache))
        try:
            return next(s for b in engine.briefings for s in b.sections if s.title == SECTION_TITLE)
        finally:
            engine.close()


def test_search_then_open_the_first_result_shows_the_section_and_its_breadcrumb(terminal, section):
    terminal.wait_for(FIRST_SCREEN)

    terminal.keys("/")
    terminal.type_text(QUERY)
    terminal.wait_for("match")  # "N sections match" once the search has run
    terminal.keys("Enter")

    opening_words = words(section.body)[:40]
    screen = terminal.wait_for_screen(
        lambda s: opening_words in words(s), f"the section text {opening_words!r}"
    )
    # The breadcrumb may wrap at 80 columns: compare words, not lines.
    breadcrumb = " › ".join((section.briefing_title, *section.path))
    assert breadcrumb in words(screen)
    assert "hit 1 of" in screen  # the reading view counts the matches of the query


def test_q_quits_and_the_process_exits_cleanly(terminal):
    terminal.wait_for(FIRST_SCREEN)

    terminal.keys("q")

    assert terminal.exit_status() == 0

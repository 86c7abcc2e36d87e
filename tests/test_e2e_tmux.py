"""The installed `partner-tui` command in a real terminal (tmux, 80×24 and 120×40), used as a
person would.

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


@pytest.fixture(params=[(80, 24)], ids=lambda size: "x".join(map(str, size)))
def terminal(tmp_path, request):
    """A tmux pane running `partner-tui` with all its state in tmp folders."""
    term = Tmux(tmp_path, width=request.param[0], height=request.param[1])
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
    terminal.wait_for("━Reading")  # the reading pane has the focus (its heavy rule)
    terminal.keys("z")  # the reading view alone, so its lines are whole screen lines

    opening_words = words(section.body)[:40]
    # The breadcrumb may wrap at 80 columns: compare words, not lines.
    breadcrumb = " › ".join((section.briefing_title, *section.path))
    terminal.wait_for_screen(
        lambda s: opening_words in words(s) and breadcrumb in words(s),
        f"the section text {opening_words!r} under its breadcrumb",
    )
    # The reading view counts the matches of the query (in the same frame, or the next).
    terminal.wait_for("hit 1 of")


def test_q_quits_and_the_process_exits_cleanly(terminal):
    terminal.wait_for(FIRST_SCREEN)

    terminal.keys("q")

    assert terminal.exit_status() == 0


BOTH_SIZES = pytest.mark.parametrize(
    "terminal", [(80, 24), (120, 40)], indirect=True, ids=["80x24", "120x40"]
)
PILLARS = (
    "Overview",
    "A Strategic Alliance Built on Technology and Innovation",
    "Driving Industry 4.0 and Smart Infrastructure",
    "Sustainability as a Core Focus",
    "Strengthening Digital Infrastructure and Talent",
    "Implications for Japan’s Tech Industry",
    "Broader Business Impact Across Asia-Pacific",
    "Conclusion",
)


@BOTH_SIZES
def test_the_first_screen_shows_the_pillars_beside_the_text_and_names_the_panes(terminal):
    terminal.wait_for(FIRST_SCREEN)
    # The reading status gets its line numbers once the text is laid out, a frame later;
    # a busy machine can also show a frame half written, so wait for the whole of it.
    expected = ["lines 1–", "1 Pillars", "3 Reading", "Conclusion"]
    if terminal.width >= 120:  # every pillar name whole
        expected += PILLARS
    screen = terminal.wait_for_screen(
        lambda shown: all(text in shown for text in expected), f"all of {expected!r}"
    )
    assert "w Pane" not in screen


@BOTH_SIZES
def test_keys_sent_in_one_burst_keep_their_order(terminal):
    terminal.wait_for(FIRST_SCREEN)
    terminal.keys("/", "C-u", "w", "a", "r", "r", "a", "n", "t", "y")  # one send-keys
    terminal.wait_for_screen(lambda s: "▊  warranty" in s, "the bar to say warranty")
    terminal.keys("C-u", "l", "i", "c", "e", "n", "s", "e", "BSpace", "w", "a", "r", "r")
    screen = terminal.wait_for_screen(lambda s: "▊  licenswarr" in s, "licenswarr")
    assert "licensewarr" not in screen


@BOTH_SIZES
def test_escape_from_the_text_goes_back_to_the_results_it_came_from(terminal):
    terminal.wait_for(FIRST_SCREEN)
    terminal.keys("/")
    terminal.type_text(QUERY)
    terminal.wait_for("match")
    terminal.keys("Enter")
    terminal.wait_for("━Reading")
    terminal.keys("Escape")
    terminal.wait_for_screen(lambda s: "━1 Pillars · 2 Results━" in s, "the results focused")

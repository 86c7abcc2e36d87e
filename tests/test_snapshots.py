"""What the explorer looks like: SVG screenshots compared with accepted ones.

One class per feature. Every app here is built the same way (bundled briefing, bundled
themes, empty preferences in a temporary folder) and nothing on screen depends on the
clock: cursors do not blink and notifications are not used.
Update the accepted screenshots with `pytest tests/test_snapshots.py --snapshot-update`
and look at every changed SVG before committing it.
"""

from __future__ import annotations

import pytest
from partner_tui.search.engine import Engine
from partner_tui.themes.catalog import load_themes
from partner_tui.tui.app import PartnerApp
from partner_tui.tui.state.preferences import PreferencesStore
from support_snapshots import search_for, settle

ANSI_THEME = "partner-ansi"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    return Engine.open(cache_dir=tmp_path_factory.mktemp("index"))


@pytest.fixture
def make_app(engine, tmp_path):
    """A fresh explorer on the bundled briefing; `theme` picks one of the bundled themes."""

    def make(theme: str | None = None) -> PartnerApp:
        themes, warnings = load_themes(tmp_path / "config")
        assert warnings == []
        return PartnerApp(
            engine,
            PreferencesStore(tmp_path / "data"),
            user="tester",
            themes=themes,
            theme=theme,
        )

    return make


SIZES = [(80, 24), (120, 40), (200, 50)]


class TestMainScreen:
    """The first screen: the pillars beside the reading view from 80 columns."""

    @pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
    def test_first_screen(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=settle)


class TestSearch:
    """A search: the results take the navigator's place beside the highlighted text."""

    @pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
    def test_results_and_highlights(self, snap_compare, make_app, size):
        assert snap_compare(make_app(), terminal_size=size, run_before=search_for)


class TestAnsiTheme:
    def test_main_screen_in_the_terminals_own_colours(self, snap_compare, make_app):
        assert snap_compare(make_app(ANSI_THEME), terminal_size=(120, 40), run_before=search_for)


class TestNoColor:
    """NO_COLOR is read when the App is constructed, so it is set before that."""

    def test_search_without_colour(self, snap_compare, make_app, monkeypatch):
        monkeypatch.setenv("NO_COLOR", "1")
        assert snap_compare(make_app(), terminal_size=(120, 40), run_before=search_for)

    def test_search_without_colour_in_the_ansi_theme(self, snap_compare, make_app, monkeypatch):
        monkeypatch.setenv("NO_COLOR", "1")
        assert snap_compare(make_app(ANSI_THEME), terminal_size=(120, 40), run_before=search_for)

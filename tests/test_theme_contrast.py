"""Every theme the app offers is legible, checked from the theme definitions themselves:
body text, hits and the current hit at least 4.5:1 in every theme; all text at least 7:1
in the high-contrast theme."""

from __future__ import annotations

import pytest
from partner_tui.themes.catalog import load_themes
from support_app import make_app
from support_contrast import contrast, drawn, theme_colours
from textual.color import Color


@pytest.fixture(scope="module")
def themes(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("contrast"))
    registered = dict(app.available_themes)
    return [theme for name, theme in sorted(registered.items()) if not theme.ansi]


def pairs(theme):
    """(what, foreground drawn, background drawn) for the text the explorer shows."""
    colours = theme_colours(theme)
    surface = Color.parse(colours["surface"])
    hit = drawn(colours["hit-background"], surface)
    current = drawn(colours["hit-current-background"], surface)
    return {
        "body": (drawn(colours["foreground"], surface), surface),
        "hit": (drawn(colours["hit-foreground"], hit), hit),
        "current hit": (drawn(colours["hit-current-foreground"], current), current),
        "muted": (drawn(colours["text-muted"], surface), surface),
        "breadcrumb": (drawn(colours["breadcrumb-foreground"], surface), surface),
    }


def test_the_check_sees_textuals_themes_and_ours(themes):
    names = {theme.name for theme in themes}
    assert {"partner-dark", "partner-high-contrast", "nord", "solarized-light"} <= names


def test_body_text_hits_and_the_current_hit_read_at_4_5_to_1_in_every_theme(themes):
    faint = []
    for theme in themes:
        for what in ("body", "hit", "current hit"):
            ratio = contrast(*pairs(theme)[what])
            if ratio < 4.5:
                faint.append(f"{theme.name} {what}: {ratio:.2f}")
    assert faint == []


def test_the_high_contrast_theme_shows_all_text_at_7_to_1(tmp_path):
    themes, _ = load_themes(tmp_path)
    theme = next(t for t in themes if t.name == "partner-high-contrast")
    for what, (foreground, background) in pairs(theme).items():
        assert contrast(foreground, background) >= 7, what


def test_the_contrast_arithmetic_matches_known_values():
    assert contrast(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21)
    assert contrast(Color(118, 118, 118), Color(255, 255, 255)) == pytest.approx(4.54, abs=0.01)

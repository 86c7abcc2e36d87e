"""Every theme, with and without NO_COLOR, keeps text readable: read back from the screenshot.

The snapshot tests show what the screen looks like; these check properties a reader
notices in every theme without anyone looking at pictures: no letter is drawn in its own
background colour (Textual's monochrome filter once turned ansi themes black on black),
NO_COLOR really leaves only greys, and search hits stand out by style, not colour alone.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
from dataclasses import dataclass

import pytest
from partner_tui.search.engine import Engine
from partner_tui.themes.catalog import BUNDLED_THEMES, load_themes
from partner_tui.tui.app import PartnerApp
from partner_tui.tui.state.preferences import PreferencesStore
from support_snapshots import search_for

SIZE = (120, 40)
# Rich draws screenshots on a grid of 12.2 × 24.4 pixel cells; cells without a
# background rectangle show the export's own background, text without a colour its
# own foreground.
CELL_WIDTH, CELL_HEIGHT = 12.2, 24.4
EXPORT_BACKGROUND = "#292929"
EXPORT_FOREGROUND = "#c5c8c6"

# Screenshot class names carry a per-export number: terminal-<number>-r3.
_STYLE = re.compile(r"\.(terminal-(?:\d+-)?r\d+) \{ fill: (#[0-9a-f]{6});?([^}]*)\}")
_RECT = re.compile(
    r'<rect fill="(#[0-9a-f]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
    r'height="[\d.]+" shape-rendering="crispEdges"/>'
)
_TEXT = re.compile(
    r'<text class="(terminal-(?:\d+-)?r\d+)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>'
)


@dataclass(frozen=True)
class Cell:
    character: str
    foreground: str
    background: str
    style: str


def screen_cells(svg: str) -> list[Cell]:
    """Every non-blank character of a Textual SVG screenshot with its colours."""
    classes = {name: (fill, rest) for name, fill, rest in _STYLE.findall(svg)}
    backgrounds: dict[tuple[int, int], str] = {}
    for fill, x, y, width in _RECT.findall(svg):
        row = round((float(y) - 1.5) / CELL_HEIGHT)
        first = round(float(x) / CELL_WIDTH)
        for column in range(first, first + round(float(width) / CELL_WIDTH)):
            backgrounds[row, column] = fill
    cells = []
    for name, x, row, text in _TEXT.findall(svg):
        foreground, style = classes.get(name, (EXPORT_FOREGROUND, ""))
        first = round(float(x) / CELL_WIDTH)
        for offset, character in enumerate(html.unescape(text)):
            if character.strip() and character != "\xa0":
                background = backgrounds.get((int(row), first + offset), EXPORT_BACKGROUND)
                cells.append(Cell(character, foreground, background, style))
    return cells


def is_grey(colour: str) -> bool:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return red == green == blue


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    return Engine.open(cache_dir=tmp_path_factory.mktemp("index"))


# The three checks under NO_COLOR read the same screen: it is drawn once per theme and
# lighting (and these tests kept on one xdist worker, so "once" holds in parallel runs).
pytestmark = pytest.mark.xdist_group("legibility")
_screenshots: dict[tuple[str, bool], str] = {}


def searched_screenshot(engine: Engine, folder, theme: str) -> str:
    """The explorer at 120×40 after searching, as an SVG (run after NO_COLOR is set)."""
    key = (theme, bool(os.environ.get("NO_COLOR")))
    if key not in _screenshots:
        _screenshots[key] = _draw_searched(engine, folder, theme)
    return _screenshots[key]


def _draw_searched(engine: Engine, folder, theme: str) -> str:
    themes, _ = load_themes(folder / "config")
    app = PartnerApp(engine, PreferencesStore(folder / "data"), themes=themes, theme=theme)

    async def run() -> str:
        async with app.run_test(size=SIZE) as pilot:
            await search_for(pilot)
            return app.export_screenshot()

    return asyncio.run(run())


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
@pytest.mark.parametrize("theme", BUNDLED_THEMES)
def test_no_letter_is_drawn_in_its_own_background_colour(
    engine, tmp_path, monkeypatch, theme, no_color
):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")

    cells = screen_cells(searched_screenshot(engine, tmp_path, theme))

    letters = [cell for cell in cells if cell.character.isalnum()]
    invisible = "".join(cell.character for cell in letters if cell.foreground == cell.background)
    assert len(letters) > 500  # the screen really shows the briefing and the results
    assert invisible == ""


@pytest.mark.parametrize("theme", ["partner-dark", "partner-light", "partner-high-contrast"])
def test_no_color_leaves_only_greys(engine, tmp_path, monkeypatch, theme):
    monkeypatch.setenv("NO_COLOR", "1")

    cells = screen_cells(searched_screenshot(engine, tmp_path, theme))

    colours = {cell.foreground for cell in cells} | {cell.background for cell in cells}
    assert {c for c in colours if not is_grey(c)} <= {EXPORT_FOREGROUND}


@pytest.mark.parametrize("theme", BUNDLED_THEMES)
def test_search_hits_in_results_are_marked_by_style_under_no_color(
    engine, tmp_path, monkeypatch, theme
):
    monkeypatch.setenv("NO_COLOR", "1")

    cells = screen_cells(searched_screenshot(engine, tmp_path, theme))

    underlined = "".join(c.character for c in cells if "underline" in c.style)
    assert "digital" in underlined.lower()

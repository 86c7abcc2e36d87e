"""Building the explorer for Pilot tests: a small corpus in tmp, the app, screen text."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from partner_tui.search.engine import Engine
from partner_tui.tui.app import PartnerApp
from partner_tui.tui.state.preferences import PreferencesStore

BUNDLED_OVERVIEW = "malaysia-japan-digital-partnership/overview"

FIELD_GUIDE = """\
# Field Guide to Tidal Gardens

## Overview
A short guide to the tidal gardens of the northern coast.

## Planting Seaweed
Kelp grows fast in cold water. Planting kelp lines in spring gives the best harvest.
Farmers plant kelp near rocky shores, where the kelp holds on in storms.
Kelp farming is also a way to store carbon.

## Harvesting
Harvest in late summer. Dry the harvest in the sun.

### Tools for Harvesting
A sickle, a net and a boat. Kelp knives must be sharp.

### Selling the Catch
Markets pay more for dried kelp than for fresh.

## Markup Trap [bold red]x[/]
Literal text: [bold red]x[/] and [link=https://x]y[/link] and [reverse]z[/reverse].
Also an escape \x1b[31mred\x1b[0m, a remnant [31mred[0m and a lone bracket [ here.
"""

ORCHARD = """\
# Orchard Notes

## Overview
Apples and pears on the hill farm.

## Pruning
Prune apple trees in winter. Pruning opens the crown to light.
"""


def write_corpus(folder: Path) -> Path:
    """Two briefings: a field guide (with sub-sections and a markup trap) and an orchard."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "field-guide.md").write_text(FIELD_GUIDE, encoding="utf-8")
    (folder / "orchard.md").write_text(ORCHARD, encoding="utf-8")
    return folder


def make_app(
    tmp_path: Path, corpus: Path | None = None, user_dir: Path | None = None, **options
) -> PartnerApp:
    """The app over `corpus` (None: the bundled briefing) with preferences in tmp."""
    engine = Engine.open(corpus)
    store = PreferencesStore(user_dir or tmp_path / "user")
    return PartnerApp(engine, store, user="tester", **options)


def screen_text(app: PartnerApp) -> str:
    """What the terminal shows, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot) -> None:
    """Let debounce timers fire, search workers finish and the screen repaint."""
    await pilot.pause(0.2)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_query(pilot, text: str) -> None:
    await pilot.press("slash")
    await pilot.press(*text)
    await settle(pilot)


def run_async(test):
    """Run an `async def` test with asyncio (the suite has no async pytest plugin)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper

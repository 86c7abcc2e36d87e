"""Building the explorer for Pilot tests: a small corpus in tmp, the app, screen text."""

from __future__ import annotations

import asyncio
import functools
import html
import re
import time
from dataclasses import dataclass
from pathlib import Path

from partner_tui.search.engine import Engine
from partner_tui.tui.app import PartnerApp
from partner_tui.tui.state.preferences import PreferencesStore
from rich.cells import cell_len
from textual import events
from textual.command import CommandList
from textual.notifications import SeverityLevel
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

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


@dataclass(frozen=True)
class Notice:
    message: str
    severity: SeverityLevel


class RecordingApp(PartnerApp):
    """The explorer, keeping every notification it gives (through the public `notify`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.notices: list[Notice] = []

    def notify(self, message: str, *, severity: SeverityLevel = "information", **kwargs) -> None:
        self.notices.append(Notice(message, severity))
        super().notify(message, severity=severity, **kwargs)


def make_app(
    tmp_path: Path,
    corpus: Path | None = None,
    user_dir: Path | None = None,
    engine: Engine | None = None,
    **options,
) -> RecordingApp:
    """The app over `corpus` (None: the bundled briefing) with preferences in tmp."""
    engine = engine or Engine.open(corpus)
    store = PreferencesStore(user_dir or tmp_path / "user")
    return RecordingApp(engine, store, user="tester", **options)


# One run of text in the app's own SVG screenshot: its x, width and line.
_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">([^<]*)</text>'
)


def screen_text(app: PartnerApp) -> str:
    """What the terminal shows, as plain text lines, read from `export_screenshot()`."""
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    for x, length, row, escaped in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(escaped).replace("\xa0", " ")
        column = round(float(x) / (float(length) / len(text)))
        for char in text:
            if 0 <= column < width and int(row) < height:
                rows[int(row)][column] = char
            column += cell_len(char)
    return "\n".join("".join(row) for row in rows)


SETTLE_TIMEOUT = 10.0


async def settle(pilot) -> None:
    """Wait for the outcome, not for a fixed time: the search asked for is the one shown
    (its typing debounce over), every worker has finished and the screen has repainted."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    await pilot.pause()
    while not _search_shown(pilot.app.screen) and time.monotonic() < deadline:
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def quiesce(pilot, timeout: float = SETTLE_TIMEOUT) -> None:
    """Wait until no worker runs (one that starts another included) and the screen has
    repainted: bookmark reads and writes happen in workers, so a key's effect is there
    only then."""
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while any(not worker.is_finished for worker in pilot.app.workers):
        if time.monotonic() > deadline:
            break
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def wait_until(pilot, condition, timeout: float = SETTLE_TIMEOUT) -> bool:
    """Poll `condition()` while the app runs; whether it came true within `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.02)
    return True


def _search_shown(screen) -> bool:
    """Whether the explorer shows the outcome of its current query (other screens: yes)."""
    if not hasattr(screen, "query_text"):
        return True
    outcome = getattr(screen, "outcome", None)
    if not screen.query_text:
        return outcome is None
    return outcome is not None and outcome.query == screen.query_text


async def paste(pilot, text: str) -> None:
    """`text` pasted into the focused widget, as a terminal sends a paste: one event, not
    a test-driver round per letter (for text a test needs entered, not typing itself)."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def palette_search(pilot, text: str) -> None:
    """Open the palette and enter `text`, then wait until its search has listed matches.

    The text arrives as one paste, as a terminal sends it: the palette searches once for
    the whole text instead of once per letter (a second of CPU per call otherwise), and
    what it lists for the text is the same. Typing into the palette letter by letter is
    Textual's own behaviour, not ours."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await paste(pilot, text)
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # the palette's own search worker
        commands = pilot.app.screen.query(CommandList)
        if commands and commands.first().option_count:
            break


async def palette(pilot, text: str) -> None:
    """Run the command the palette lists first for `text`."""
    await palette_search(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def type_query(pilot, text: str) -> None:
    """A new search typed key by key: for tests of typing itself (keys in order, what is
    typed replacing the old query, the history); others use `search_for`."""
    await pilot.press("slash")
    await pilot.press(*text)
    await settle(pilot)


async def search_for(pilot, text: str) -> None:
    """A new search for `text` (`/` then the text, from outside the bar: in it `/` is
    typed), waited for until its results show.

    The text arrives as one paste, as a terminal sends it: the bar holds the same text as
    if it had been typed (both replace the query `/` selected), in one step instead of a
    round of the test driver per letter, each waiting for the app to go idle."""
    await pilot.press("slash")
    pilot.app.post_message(events.Paste(text))
    wanted = text.strip()
    assert await wait_until(pilot, lambda: pilot.app.screen.query_text == wanted), wanted
    await settle(pilot)


def run_async(test):
    """Run an `async def` test with asyncio (the suite has no async pytest plugin)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


async def footer_keys(pilot, screen) -> list[tuple[object, ...]]:
    """What Textual's own Footer shows on `screen` now: mounted there for a moment, the
    oracle for the key bar."""
    footer = Footer()
    await screen.mount(footer)
    screen.refresh_bindings()
    await pilot.pause()
    keys = [describe_key(key) for key in footer.query_children(FooterKey)]
    await footer.remove()
    await pilot.pause()
    return keys


def describe_key(key) -> tuple[object, ...]:
    """A key of the key bar or of Textual's Footer: what it shows and does."""
    if isinstance(key, FooterKey):
        classes = ("-disabled", "-command-palette")
        return (key.key_display, key.description, key.action, *(key.has_class(c) for c in classes))
    return (key.display, key.description, key.action, not key.enabled, key.palette)

"""Driving the explorer the same way for every screenshot: no blinking, searches finished."""

from __future__ import annotations

import time

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

SEARCH = "digital talent"
SEARCH_TIMEOUT = 20.0


async def settle(pilot: Pilot) -> None:
    """No blinking cursor, every worker finished, the last refresh painted."""
    # The explorer is a pushed screen: `app.query` would not reach its inputs.
    for text_input in pilot.app.screen.query(Input):
        text_input.cursor_blink = False
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def search_for(pilot: Pilot, text: str = SEARCH) -> None:
    """A search as a person starts one (`/`, then the words, pasted), waited for until its
    results show.

    The words arrive as one paste: the screen is the one typing them draws, without a
    test-driver round per letter. Waits for the explorer's shown outcome to be this
    query's, not for a fixed time: the search starts after a typing debounce, which a busy
    machine can stretch.
    """
    await settle(pilot)
    await pilot.press("slash")
    pilot.app.post_message(events.Paste(text))
    deadline = time.monotonic() + SEARCH_TIMEOUT
    while not _shows_results_for(pilot, text):
        if time.monotonic() > deadline:
            raise AssertionError(f"no results for {text!r} after {SEARCH_TIMEOUT:.0f}s")
        await pilot.pause(0.02)
    await settle(pilot)


def _shows_results_for(pilot: Pilot, text: str) -> bool:
    outcome = getattr(pilot.app.screen, "outcome", None)
    return outcome is not None and outcome.query.strip() == text.strip()

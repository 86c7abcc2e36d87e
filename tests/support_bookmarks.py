"""Shared helpers for the bookmark tests: sections, a small corpus, and worker processes.

The worker functions live here (not in a test module) so `multiprocessing` can import
them in a freshly spawned interpreter.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from partner_tui.search.model import Section
from partner_tui.tui.state.bookmark_model import SectionSnapshot, snapshot_of
from partner_tui.tui.state.bookmark_store import BookmarkStore

BRIEFING = """\
# Harbour Briefing

An opening paragraph about the harbour.

## Shipping Lanes

Container traffic doubled in the last decade.
Dredging keeps the lanes open.

## Green Port

Shore power for docked ships cuts diesel use.

### Solar Roofs

Warehouses carry solar panels.
"""
BRIEFING_ID = "harbour"
SHIPPING = "harbour/shipping-lanes"
GREEN = "harbour/green-port"
SOLAR = "harbour/green-port/solar-roofs"


def write_corpus(folder: Path, text: str = BRIEFING) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{BRIEFING_ID}.md").write_text(text, encoding="utf-8")
    return folder


def section(section_id: str, title: str | None = None, body: str = "Some text.") -> Section:
    parts = section_id.split("/")
    title = title or parts[-1].replace("-", " ").title()
    path = tuple(p.replace("-", " ").title() for p in parts[1:-1]) + (title,)
    return Section(
        id=section_id,
        briefing_id=parts[0],
        briefing_title=parts[0].title(),
        path=path,
        body=body,
        order=0,
    )


def snapshot(
    section_id: str, title: str | None = None, body: str = "Some text."
) -> SectionSnapshot:
    return snapshot_of(section(section_id, title, body))


# -- worker processes ----------------------------------------------------------------
SHARED_KEPT = [f"shared/kept-{n}" for n in range(5)]
SHARED_GONE = [f"shared/gone-{n}" for n in range(5)]
SHARED_TOGGLED = [f"shared/toggled-{n}" for n in range(3)]
OWN_COUNT = 50


def own_ids(worker: int) -> list[str]:
    return [f"worker-{worker}/item-{n}" for n in range(OWN_COUNT)]


def churn(db_path: str, worker: int, start, results) -> None:
    """Add 50 own bookmarks and the shared ones, then remove half the own and all the
    'gone' ones, interleaved so the processes really write at the same time; toggle each
    'toggled' id twice. Reports how many toggles turned a bookmark on."""
    store = BookmarkStore.at(db_path)
    start.wait()
    mine = own_ids(worker)
    turned_on = 0
    for n, section_id in enumerate(mine):
        store.add(snapshot(section_id), note=f"note by {worker}")
        if n < len(SHARED_KEPT):
            store.add(snapshot(SHARED_KEPT[n]), tags=[f"w{worker}"])
            store.add(snapshot(SHARED_GONE[n]))
        if n < len(SHARED_TOGGLED):
            turned_on += store.toggle(snapshot(SHARED_TOGGLED[n]))
    for n, section_id in enumerate(mine):
        if n % 2:
            store.remove(section_id)
        if n < len(SHARED_GONE):
            store.remove(SHARED_GONE[n])
        if n < len(SHARED_TOGGLED):
            turned_on += store.toggle(snapshot(SHARED_TOGGLED[n]))
    store.close()
    results.put((worker, turned_on))


def add_until_killed(db_path: str) -> None:
    """Add bookmarks forever, printing each id once it is committed (for the kill -9 test)."""
    store = BookmarkStore.at(db_path)
    n = 0
    while True:
        section_id = f"killed/item-{n}"
        store.add(snapshot(section_id), note="written before the kill")
        print(section_id, flush=True)
        n += 1
        if n > 5000:  # the test kills us long before; never run away if it does not
            time.sleep(60)
            return


if __name__ == "__main__":
    add_until_killed(sys.argv[1])

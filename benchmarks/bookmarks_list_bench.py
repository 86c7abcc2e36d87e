"""How fast the bookmarks list (`B`) opens and filters with many bookmarks.

Run by hand:

    python benchmarks/bookmarks_list_bench.py --bookmarks 100000

It fills a temporary store, runs the explorer headless (Textual's run_test) at 120x40 and
times, over --runs runs: `B` pressed → the first page of the list on screen, and one
filter typed → its matches shown. Prints medians and the list's option count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from partner_tui.search.engine import Engine
from partner_tui.tui.app import PartnerApp
from partner_tui.tui.screens.bookmarks import BookmarksScreen
from partner_tui.tui.state.bookmark_schema import COLUMNS
from partner_tui.tui.state.bookmark_store import BookmarkStore
from partner_tui.tui.state.preferences import PreferencesStore


def fill(store: BookmarkStore, count: int) -> None:
    rows = (
        (f"gone/b{n:06d}", "gone", "Old Briefing", "Pillar", f"Title {n:06d}",
         json.dumps(["Pillar", f"Title {n:06d}"]), "", f"note about item {n}", '["tag"]',
         f"2026-01-01T00:00:00.{n:06d}Z", "2026-01-01T00:00:00.000Z")
        for n in range(count)
    )  # fmt: skip
    marks = ", ".join("?" * len(COLUMNS))
    store._db.execute("BEGIN")
    store._db.executemany(f"INSERT INTO bookmarks ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
    store._db.execute("COMMIT")


async def one_run(folder: Path, query: str) -> tuple[float, float, int, float]:
    store = BookmarkStore.at(folder / "bookmarks.db")
    app = PartnerApp(Engine.open(), PreferencesStore(folder / "prefs"), bookmarks=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        started = time.perf_counter()
        cpu_started = time.process_time()
        await pilot.press("B")
        while not (isinstance(app.screen, BookmarksScreen) and app.screen.is_mounted):
            await pilot.pause(0.005)
        listing = app.screen.query_one("#bookmarks")
        while listing.option_count == 0:
            await pilot.pause(0.005)
        await pilot.pause(0)  # one paint
        opened = time.perf_counter() - started
        opened_cpu = time.process_time() - cpu_started
        options = listing.option_count
        started = time.perf_counter()
        await pilot.press("slash", *query)
        box = app.screen.query_one("Vertical")
        while "match)" not in str(box.border_title):  # applied once typing pauses
            await pilot.pause(0.005)
        await pilot.pause(0)
        filtered = time.perf_counter() - started
    return opened, filtered, options, opened_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bookmarks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bookmarks-bench-"))
    try:
        with BookmarkStore.at(folder / "bookmarks.db") as store:
            fill(store, options.bookmarks)
        query = f"{options.bookmarks - 1:06d}"
        runs = [asyncio.run(one_run(folder, query)) for _ in range(options.runs)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    opened = [run[0] for run in runs]
    filtered = [run[1] for run in runs]
    print(f"bookmarks: {options.bookmarks:,}; list options built: {runs[0][2]}")
    cpu = [run[3] for run in runs]
    print(
        f"B → first page shown: median {statistics.median(opened):.3f} s, max {max(opened):.3f} s"
        f" (CPU time of the process meanwhile: median {statistics.median(cpu):.3f} s)"
    )
    print(
        f"filter typed ({len(query)} keys; applied after a 0.15 s pause) → matches shown: "
        f"median {statistics.median(filtered):.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

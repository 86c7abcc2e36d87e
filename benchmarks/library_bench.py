"""Library benchmark: a ~2,000-file / ~10k-section corpus built from the text on this
machine (see library_corpus), timed through the real `partner-tui` command.

Prints medians of: full index build (time and peak RSS), cold `search`, `pillars` and
`show` against the bundled briefing's (ratios), edit one file → searchable by the CLI,
and the explorer's watch latency (edit → the open section shows the new text).

    python benchmarks/library_bench.py [--files 2000] [--runs 5]

The machine may be shared: figures are noisy; medians of several runs are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library_corpus import write_corpus  # noqa: E402

COMMAND = str(Path(sys.executable).with_name("partner-tui"))


def _run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in KiB) of one `partner-tui` run."""
    start = time.perf_counter()
    process = subprocess.Popen([COMMAND, *args], env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status:
        raise SystemExit(f"partner-tui {' '.join(args)} failed ({status})")
    return elapsed, usage.ru_maxrss


def _median(runs: int, args: list[str], env: dict[str, str]) -> float:
    return statistics.median(_run(args, env)[0] for _ in range(runs))


async def _watch_latency(corpus: Path, cache: Path, runs: int) -> float:
    os.environ["PARTNER_TUI_CACHE_DIR"] = str(cache)
    from partner_tui.search.engine import Engine
    from partner_tui.tui.app import PartnerApp
    from partner_tui.tui.state.preferences import PreferencesStore

    target = corpus / "team-07" / "briefing-0007.md"
    engine = Engine.open(corpus)
    app = PartnerApp(engine, PreferencesStore(cache / "user"))
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        app.open_section(engine.briefings[7].sections[0].id)
        await pilot.pause(1)
        for run in range(runs):
            word = f"watchword{run}"
            started = time.perf_counter()
            with target.open("a", encoding="utf-8") as out:
                out.write(f"\n{word}\n")
            while word not in (app.explorer.section.body if app.explorer.section else ""):
                await pilot.pause(0.02)
                if time.perf_counter() - started > 30:
                    raise SystemExit("the app never showed the edit")
            latencies.append(time.perf_counter() - started)
            await pilot.pause(0.5)
    return statistics.median(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="library-bench-") as scratch:
        root = Path(scratch)
        corpus = root / "corpus"
        counts = write_corpus(corpus, files=options.files)
        print(
            f"corpus: {counts['files']} files, {counts['sections']} sections, "
            f"{counts['bytes'] / 1e6:.1f} MB"
        )
        env = {**os.environ, "PARTNER_TUI_CACHE_DIR": str(root / "cache")}
        big = ["--corpus", str(corpus)]

        build, rss = _run([*big, "index"], env)
        print(f"full build (first `index`): {build:.1f} s, peak RSS {rss / 1024:.0f} MiB")

        _run(["search", "digital"], env)  # the bundled briefing's index and cache
        rows = []
        for name, args in (("search", ["search", "license"]), ("pillars", ["pillars"])):
            ours = _median(options.runs, [*big, *args], env)
            bundled = _median(options.runs, args, env)
            rows.append((name, ours, bundled))
        show_big = _median(options.runs, [*big, "show", "briefing-0001/overview"], env)
        show_bundled = _median(
            options.runs, ["show", "malaysia-japan-digital-partnership/overview"], env
        )
        rows.append(("show", show_big, show_bundled))
        for name, ours, bundled in rows:
            print(
                f"cold {name}: {ours:.2f} s vs {bundled:.2f} s bundled (ratio {ours / bundled:.2f})"
            )

        target = corpus / "team-03" / "briefing-0003.md"
        edits = []
        for run in range(options.runs):
            with target.open("a", encoding="utf-8") as out:
                out.write(f"\neditword{run}\n")
            edits.append(_run([*big, "search", f"editword{run}"], env)[0])
        print(f"edit one file → searchable (`search`): median {statistics.median(edits):.2f} s")

        latency = asyncio.run(_watch_latency(corpus, root / "cache", options.runs))
        print(f"explorer watch latency (edit → open section shows it): median {latency:.2f} s")


if __name__ == "__main__":
    main()

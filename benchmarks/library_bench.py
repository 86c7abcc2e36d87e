"""Library benchmark: a ~2,000-file / ~10k-section corpus built from the text on this
machine (see library_corpus), timed through the real `partner-tui` command.

Prints: the first `index` (reading every file, then building) and a full rebuild with
the readings cached, each with CPU time and peak RSS (of the largest process, and of the
command with the helper process a big build starts, sampled from /proc); medians of
cold `search`, `pillars` and `show` against the bundled briefing's (wall and CPU ratios); edit one
file → searchable by the CLI; and the explorer's watch latency (edit → the open
section shows the new text). A failed command stops it with its status and output.

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
import threading
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library_corpus import write_corpus  # noqa: E402

COMMAND = str(Path(sys.executable).with_name("partner-tui"))


class Run(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds, the figure to trust on a shared machine
    rss: int  # peak resident set of the largest process (the command or a helper), KiB
    tree_rss: int = 0  # peak of the command and its helpers together, sampled, KiB


def _tree_rss(pid: int) -> int:
    """Resident KiB of a process and its children, from /proc (0 where unavailable)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as kids:
                pending += [int(kid) for kid in kids.read().split()]
        except (OSError, ValueError):
            continue
    return total


def _run(args: list[str], env: dict[str, str], sample: bool = False) -> Run:
    """One `partner-tui` run; a failure stops the benchmark with its exit status and
    the end of what it printed. `sample`: also the peak of the process tree's memory
    (a full build writes half the index in a helper process)."""
    with tempfile.TemporaryFile() as said:
        start = time.perf_counter()
        process = subprocess.Popen([COMMAND, *args], env=env, stdout=said, stderr=said)
        peaks = [0]
        ended = threading.Event()

        def watch() -> None:
            while not ended.wait(0.02):
                peaks[0] = max(peaks[0], _tree_rss(process.pid))

        watcher = threading.Thread(target=watch, daemon=True)
        if sample:
            watcher.start()
        # wait4's usage counts the helpers the command waited for (CPU summed, RSS max).
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        ended.set()
        if sample:
            watcher.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            said.seek(0)
            output = said.read().decode("utf-8", "replace").strip()
            code = process.returncode
            how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
            raise SystemExit(f"partner-tui {' '.join(args)} failed ({how}):\n{output[-4000:]}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, peaks[0])


def _medians(runs: int, args: list[str], env: dict[str, str]) -> Run:
    done = [_run(args, env) for _ in range(runs)]
    return Run(
        statistics.median(r.wall for r in done),
        statistics.median(r.cpu for r in done),
        max(r.rss for r in done),
    )


async def _watch_latency(corpus: Path, cache: Path, runs: int) -> float:
    os.environ["PARTNER_TUI_CACHE_DIR"] = str(cache)
    from partner_tui.search.engine import Engine
    from partner_tui.tui.app import PartnerApp
    from partner_tui.tui.state.preferences import PreferencesStore

    target = corpus / "team-07" / "briefing-0007.md"
    engine = Engine.open(corpus)
    # The section an edit at the end of the file lands in: the file's last.
    (briefing,) = [b for b in engine.briefings if b.source == "team-07/briefing-0007.md"]
    app = PartnerApp(engine, PreferencesStore(cache / "user"))
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        app.open_section(briefing.sections[-1].id)
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
    parser.add_argument("--files", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    options = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} (figures are noisy above ~1)")
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

        first = _run([*big, "index"], env, sample=True)
        print(
            f"first `index` (read every file, build the index): {first.wall:.1f} s "
            f"({first.cpu:.1f} s CPU, helper included), peak RSS {first.rss / 1024:.0f} MiB "
            f"(largest process; {first.tree_rss / 1024:.0f} MiB with its helper, sampled)"
        )
        build = _run([*big, "index", "--rebuild"], env, sample=True)
        print(
            f"full build (`index --rebuild`, readings cached): {build.wall:.1f} s "
            f"({build.cpu:.1f} s CPU, helper included), peak RSS {build.rss / 1024:.0f} MiB "
            f"(largest process; {build.tree_rss / 1024:.0f} MiB with its helper, sampled)"
        )

        _run(["search", "digital"], env)  # the bundled briefing's index and cache
        # Each corpus is searched for a word it holds (a search that finds nothing exits
        # with status 1, which stopped this benchmark when both were asked for `license`,
        # a word the bundled briefing does not use). `license` is among the big corpus's
        # commonest words: a search that ranks thousands of sections.
        commands = (
            ("search", ["search", "license"], ["search", "digital"]),
            ("pillars", ["pillars"], ["pillars"]),
            (
                "show",
                ["show", "briefing-0001/overview"],
                ["show", "malaysia-japan-digital-partnership/overview"],
            ),
        )
        rows = [
            (
                name,
                _medians(options.runs, [*big, *ours], env),
                _medians(options.runs, bundled, env),
            )
            for name, ours, bundled in commands
        ]
        for name, ours, bundled in rows:
            print(
                f"cold {name}: {ours.wall:.2f} s vs {bundled.wall:.2f} s bundled "
                f"(ratio {ours.wall / bundled.wall:.2f}; CPU {ours.cpu:.2f} vs "
                f"{bundled.cpu:.2f} s, ratio {ours.cpu / bundled.cpu:.2f}; "
                f"peak RSS {ours.rss / 1024:.0f} MiB)"
            )

        target = corpus / "team-03" / "briefing-0003.md"
        edits = []
        for run in range(options.runs):
            with target.open("a", encoding="utf-8") as out:
                out.write(f"\neditword{run}\n")
            edits.append(_run([*big, "search", f"editword{run}"], env))
        print(
            "edit one file → searchable (`search`): median "
            f"{statistics.median(r.wall for r in edits):.2f} s "
            f"({statistics.median(r.cpu for r in edits):.2f} s CPU)"
        )

        latency = asyncio.run(_watch_latency(corpus, root / "cache", options.runs))
        print(f"explorer watch latency (edit → open section shows it): median {latency:.2f} s")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

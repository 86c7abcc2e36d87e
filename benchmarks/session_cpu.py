"""What one session forked from `serve`'s template costs: CPU time and memory at its first
screen, with no SSH and no other session competing (so the figure holds on a busy machine).

Run by hand:

    python benchmarks/session_cpu.py --sessions 10
    python benchmarks/session_cpu.py --sessions 20 --together   # all at once, no SSH

It starts the session template the way `serve` does (same module, same environment, a
temporary data dir), then forks --sessions sessions one after another, each on its own
80x24 pty, and for each reads the pty until the explorer's first screen is drawn and then
reads, from /proc/PID: user + system CPU time since the fork (stat: a forked child starts
at zero) and USS / PSS (smaps_rollup). Prints medians and max, and the template's own
CPU time and memory. CPU per session at first screen × sessions ÷ cores is the floor under
the wall-clock time of that many sessions starting together. With --together they are
all forked at once, which shows what contention for the cores (and, on a machine whose
cores are hyperthreads, for one core's caches) adds to each session's CPU time.

With --search each session then searches once, as ssh_load's clients do, and the same
figures are read again once its results are on screen. Where /proc/PID/pagemap shows
page frames (as root), each session's private memory is split into pages copied from
the template (copy-on-write: template objects the session wrote to, which in CPython
includes every object whose reference count changed) and pages the session allocated.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path

from partner_tui.tui.serve.child_env import child_cli_argv, child_env, server_env
from partner_tui.tui.serve.pty_child import PtyChild
from partner_tui.tui.serve.runner import child_settings
from partner_tui.tui.serve.template import SessionTemplate, corpus_signature

sys.path.insert(0, str(Path(__file__).parent))
from ssh_load import (  # noqa: E402
    ANSI,
    FIRST_SCREEN,
    QUERY,
    RESULTS,
    cpu_seconds,
    memory_kib,
    mib,
)

PAGE = os.sysconf("SC_PAGE_SIZE")
FRAME_BITS = (1 << 55) - 1  # pagemap: bits 0-54 the page frame, bit 63 present


def _frames(pid: int, start: int, end: int) -> list[int | None]:
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        pagemap.seek(start // PAGE * 8)
        data = pagemap.read((end - start) // PAGE * 8)
    return [e & FRAME_BITS if e >> 63 else None for (e,) in struct.iter_unpack("Q", data)]


def page_origins(child: int, template: int) -> dict[str, int] | None:
    """KiB of the child's writable memory by origin: "copied" (a page the template has,
    copied on write), "new" (allocated since the fork), "shared" (still the template's).
    None when page frames are hidden (they read as 0 without CAP_SYS_ADMIN)."""
    found = {"copied": 0, "new": 0, "shared": 0}
    seen_frame = False
    try:
        for line in Path(f"/proc/{child}/maps").read_text().splitlines():
            span, perms, *_ = line.split()
            if "w" not in perms:
                continue
            start, end = (int(value, 16) for value in span.split("-"))
            theirs = _frames(template, start, end)
            for ours, its in zip(_frames(child, start, end), theirs, strict=True):
                if ours is None:
                    continue
                seen_frame = seen_frame or ours != 0
                origin = "new" if its is None else "shared" if ours == its else "copied"
                found[origin] += PAGE // 1024
    except (OSError, ValueError):
        return None
    return found if seen_frame else None


def thread_cpu(pid: int) -> list[float]:
    """CPU seconds of each of the process's threads, the main thread first."""
    found = []
    for task in sorted(os.listdir(f"/proc/{pid}/task"), key=lambda t: (t != str(pid), int(t))):
        try:
            fields = Path(f"/proc/{pid}/task/{task}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found.append((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    return found


def precise_cpu(pid: int) -> float:
    """CPU seconds of the process's live threads from schedstat (nanoseconds; stat counts
    10 ms ticks, too coarse to compare one session's 0.1 s), or stat's figure when a
    thread has ended (its time is then only in stat)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            total += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return cpu_seconds(pid)
    return max(total / 1e9, cpu_seconds(pid) - 0.01)


def threads_of(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


async def one_session(
    template: SessionTemplate, env: dict, deadline: float, search: bool, pages: bool
) -> dict:
    output = bytearray()
    shown = asyncio.Event()
    found = asyncio.Event()

    def on_output(data: bytes) -> None:
        output.extend(data)
        text = ANSI.sub(b"", bytes(output[-100_000:]))
        if FIRST_SCREEN in text:
            shown.set()
        if RESULTS.search(text):
            found.set()

    def closed() -> None:
        shown.set()
        found.set()

    started = time.perf_counter()
    child = await PtyChild.forked(
        lambda slave: template.fork(env, child_cli_argv(False), slave),
        80, 24, on_output, closed,
    )  # fmt: skip
    assert template.pid is not None
    try:
        await asyncio.wait_for(shown.wait(), deadline)
        wall = time.perf_counter() - started
        figures = {
            "wall": wall,
            "cpu": precise_cpu(child.pid),
            "threads": threads_of(child.pid),
            "main": thread_cpu(child.pid)[0],
            **memory_kib(child.pid),
        }
        origins = page_origins(child.pid, template.pid) if pages else None
        if origins:
            figures.update({f"{name} pages": kib for name, kib in origins.items()})
        if search:
            child.write(b"/")
            await asyncio.sleep(0.5)  # the search bar takes focus
            child.write(QUERY)
            await asyncio.wait_for(found.wait(), deadline)
            figures["cpu after search"] = precise_cpu(child.pid)
            figures.update({f"{k} after search": v for k, v in memory_kib(child.pid).items()})
            origins = page_origins(child.pid, template.pid) if pages else None
            if origins:
                figures.update({f"{k} pages after search": v for k, v in origins.items()})
    finally:
        await child.hang_up(grace=3)
        child.close()
    return figures


async def run(sessions: int, deadline: float, search: bool, together: bool) -> int:
    work = Path(tempfile.mkdtemp(prefix="session-cpu-"))
    os.environ.setdefault("PARTNER_TUI_CACHE_DIR", str(work / "cache"))
    settings = child_settings(work / "data", os.environ.get("PARTNER_TUI_CORPUS"))
    from partner_tui.search.corpus import resolve_corpus_path

    corpus = resolve_corpus_path(settings.get("PARTNER_TUI_CORPUS"))
    template = SessionTemplate(server_env(settings), work / "serve.log", corpus_signature(corpus))
    started = time.perf_counter()
    await template.start()
    assert template.pid is not None
    print(
        f"template: ready in {time.perf_counter() - started:.1f} s, "
        f"CPU {cpu_seconds(template.pid):.2f} s, threads {threads_of(template.pid)}, "
        f"RSS {mib(memory_kib(template.pid).get('rss', 0))}, Python {platform.python_version()}, "
        f"{template.ready_report.get('immortal_objects', 0)} objects immortal"
    )
    env = child_env("bench", settings, "xterm-256color", {}, work / "serve.log")
    results = []
    try:
        if together:  # all at once: what contention adds to each, without SSH
            results = list(
                await asyncio.gather(
                    *(one_session(template, env, deadline, search, False) for _ in range(sessions))
                )
            )
        for _ in range(0 if together else sessions):
            results.append(await one_session(template, env, deadline, search, True))
    finally:
        template.close()
        template.wait_closed()
        if template.process is not None and template.process.poll() is None:
            os.kill(template.process.pid, signal.SIGKILL)
        log = (work / "serve.log").read_text(errors="replace")
        shutil.rmtree(work, ignore_errors=True)
    for name, unit in (("cpu", "s"), ("main", "s"), ("wall", "s")):
        values = [r[name] for r in results]
        print(
            f"session {name} to first screen: median {statistics.median(values):.3f} {unit}, "
            f"min {min(values):.3f}, max {max(values):.3f} {unit} over {len(values)}"
        )
    for when in ("", " after search"):
        at = when or " at first screen"
        if f"cpu{when}" in results[0] and when:
            values = [r[f"cpu{when}"] for r in results]
            print(f"session cpu{at}: median {statistics.median(values):.3f} s")
        for name in ("uss", "pss", "rss"):
            values = [r[f"{name}{when}"] for r in results if f"{name}{when}" in r]
            if values:
                print(f"session {name.upper()}{at}: median {mib(statistics.median(values))}")
        origins = [f"{name} pages{when}" for name in ("copied", "new", "shared")]
        if all(key in results[0] for key in origins):
            copied, new, shared = (mib(statistics.median(r[k] for r in results)) for k in origins)
            print(
                f"session pages{at} (median): {copied} copied from the template, "
                f"{new} new, {shared} still shared"
            )
    print(f"session threads at first screen: {sorted({r['threads'] for r in results})}")
    problems = re.findall(r"Traceback|Error", log)
    if problems:
        print(f"the log has {len(problems)} error lines:\n{log[-3000:]}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--deadline", type=float, default=60, help="per session (s)")
    parser.add_argument("--search", action="store_true", help="then search once, as ssh_load")
    parser.add_argument(
        "--together", action="store_true", help="start every session at once (default: in turn)"
    )
    options = parser.parse_args()
    return asyncio.run(run(options.sessions, options.deadline, options.search, options.together))


if __name__ == "__main__":
    sys.exit(main())

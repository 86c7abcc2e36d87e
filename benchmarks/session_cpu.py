"""What one session forked from `serve`'s template costs: CPU time and memory at its first
screen, with no SSH and no other session competing (so the figure holds on a busy machine).

Run by hand:

    python benchmarks/session_cpu.py --sessions 10

It starts the session template the way `serve` does (same module, same environment, a
temporary data dir), then forks --sessions sessions one after another, each on its own
80x24 pty, and for each reads the pty until the explorer's first screen is drawn and then
reads, from /proc/PID: user + system CPU time since the fork (stat: a forked child starts
at zero) and USS / PSS (smaps_rollup). Prints medians and max, and the template's own
CPU time and memory. CPU per session at first screen × sessions ÷ cores is the floor under
the wall-clock time of that many sessions starting together.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from partner_tui.tui.serve.child_env import child_cli_argv, child_env, server_env
from partner_tui.tui.serve.pty_child import PtyChild
from partner_tui.tui.serve.runner import child_settings
from partner_tui.tui.serve.template import SessionTemplate, corpus_signature

sys.path.insert(0, str(Path(__file__).parent))
from ssh_load import ANSI, FIRST_SCREEN, cpu_seconds, memory_kib, mib  # noqa: E402


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


def threads_of(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


async def one_session(template: SessionTemplate, env: dict, deadline: float) -> dict:
    output = bytearray()
    shown = asyncio.Event()

    def on_output(data: bytes) -> None:
        output.extend(data)
        if FIRST_SCREEN in ANSI.sub(b"", bytes(output[-100_000:])):
            shown.set()

    started = time.perf_counter()
    child = await PtyChild.forked(
        lambda slave: template.fork(env, child_cli_argv(False), slave),
        80, 24, on_output, lambda: shown.set(),
    )  # fmt: skip
    try:
        await asyncio.wait_for(shown.wait(), deadline)
        wall = time.perf_counter() - started
        cpu = cpu_seconds(child.pid)
        memory = memory_kib(child.pid)
        threads = threads_of(child.pid)
        per_thread = thread_cpu(child.pid)
    finally:
        await child.hang_up(grace=3)
        child.close()
    return {"wall": wall, "cpu": cpu, "threads": threads, "main": per_thread[0], **memory}


async def run(sessions: int, deadline: float) -> int:
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
        f"RSS {mib(memory_kib(template.pid).get('rss', 0))}"
    )
    env = child_env("bench", settings, "xterm-256color", {}, work / "serve.log")
    results = []
    try:
        for _ in range(sessions):
            results.append(await one_session(template, env, deadline))
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
    for name in ("uss", "pss", "rss"):
        values = [r[name] for r in results if name in r]
        if values:
            median = mib(statistics.median(values))
            print(f"session {name.upper()} at first screen: median {median}")
    print(f"session threads at first screen: {sorted({r['threads'] for r in results})}")
    problems = re.findall(r"Traceback|Error", log)
    if problems:
        print(f"the log has {len(problems)} error lines:\n{log[-3000:]}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--deadline", type=float, default=60, help="per session (s)")
    options = parser.parse_args()
    return asyncio.run(run(options.sessions, options.deadline))


if __name__ == "__main__":
    sys.exit(main())

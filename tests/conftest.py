"""Every test runs with its own data, cache and config dirs: never the real home.

Also chosen here, once per run: how many cases the property tests try (support_cases),
how many parallel workers `-n auto` starts, and a garbage collector tuned for a test
process.
"""

from __future__ import annotations

import gc
import os

import pytest
from support_cases import CASES_ENV, fast_lane

# A test process holds pytest, hypothesis, Whoosh and Textual, and every app test makes
# tens of thousands of short-lived objects: at Python's default threshold (700) the
# collector ran thousands of times per file and took a quarter of the app tests' CPU.
# Collections still run (cycles are freed), just less often.
GC_THRESHOLD = (10_000, 20, 20)


# The whole suite's end-to-end tests time real processes (tmux, ssh, ptys): two workers,
# as CI has always run them on its two cores.
SUITE_WORKERS = 2
# The fast lane is Pilot tests, and they wait more than they work: after every key
# Textual sleeps in 20 ms steps until the app is idle (about 45 ms a key), so one worker
# keeps a core less than half busy. Two workers per core keep the cores busy.
LANE_WORKERS_PER_CORE = 2
LANE_WORKERS_MAX = 8  # on a big machine: each worker costs ~1.5 CPU-s to start


def leaves_out_e2e(config: pytest.Config) -> bool:
    return "not e2e" in (config.option.markexpr or "")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault(CASES_ENV, "fast" if leaves_out_e2e(config) else "full")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """How many workers `-n auto` (what `./dev test` passes) starts; xdist's own
    PYTEST_XDIST_AUTO_NUM_WORKERS still chooses when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    if not leaves_out_e2e(config):
        return SUITE_WORKERS
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(LANE_WORKERS_MAX, LANE_WORKERS_PER_CORE * (cores or 1))


def pytest_report_header(config: pytest.Config) -> str:
    if fast_lane():
        return "property tests: fast lane, a twentieth of the cases (CI tries them all)"
    return "property tests: every case"


def pytest_collection_finish(session: pytest.Session) -> None:
    # What is loaded by now (pytest, the libraries, the test modules) lives for the whole
    # run: moved out of the collector's sight, it is not scanned again and again.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


@pytest.fixture(autouse=True)
def isolated_state(tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("PARTNER_TUI_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("PARTNER_TUI_CACHE_DIR", str(root / "cache"))
    monkeypatch.setenv("PARTNER_TUI_CONFIG_DIR", str(root / "config"))
    monkeypatch.setenv("PARTNER_TUI_USER", "tester")
    monkeypatch.delenv("PARTNER_TUI_CORPUS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root


@pytest.fixture
def left_servers_stopped():
    """For the `serve` tests: one that fails half-way still stops the servers it started."""
    from support_ssh import ServeProcess

    before = set(ServeProcess.running)
    yield
    for server in ServeProcess.running - before:
        server.stop()


@pytest.fixture
def tmux(tmp_path):
    """A tmux terminal for a test, closed after it (a module may define its own)."""
    from support_tmux import Tmux

    terminal = Tmux(tmp_path)
    yield terminal
    terminal.close()

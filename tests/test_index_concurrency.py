"""Ten `partner-tui search` processes starting at once on an empty cache all succeed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from partner_tui.search.schema import SCHEMA_VERSION
from support_engine import SEED_ID

pytestmark = pytest.mark.e2e  # starts ten real processes at once

PROCESSES = 10


def _start(env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "partner_tui.tui.cli", "search", "robots", "--json"]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_ten_processes_on_an_empty_cache_all_get_correct_results(tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "PARTNER_TUI_CACHE_DIR": str(cache)}
    processes = [_start(env) for _ in range(PROCESSES)]
    outputs = [process.communicate(timeout=120) for process in processes]

    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert "in-memory" not in stderr  # every one found or built a real index
        result = json.loads(stdout)
        assert result["total"] == 2
        assert {hit["id"] for hit in result["hits"]} == {
            f"{SEED_ID}/driving-industry-4-0-and-smart-infrastructure",
            f"{SEED_ID}/implications-for-japans-tech-industry",
        }
    assert len({stdout for stdout, _ in outputs}) == 1

    # One complete index remains; losers' staging dirs are gone.
    entries = sorted(p.name for p in (cache / "indexes").iterdir())
    assert len(entries) == 1 and entries[0].startswith(f"s{SCHEMA_VERSION}-")


def test_ten_processes_meeting_a_corrupt_index_all_recover(tmp_path):
    from partner_tui.search.corpus import load_corpus
    from partner_tui.search.index_store import index_name

    cache = tmp_path / "cache"
    broken = cache / "indexes" / index_name(load_corpus().fingerprint)
    broken.mkdir(parents=True)
    (broken / "_MAIN_1.toc").write_bytes(b"\x80garbage")
    env = {**os.environ, "PARTNER_TUI_CACHE_DIR": str(cache)}
    processes = [_start(env) for _ in range(PROCESSES)]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert json.loads(stdout)["total"] == 2
    assert [p.name for p in (cache / "indexes").iterdir()] == [broken.name]

"""Ten `partner-tui search` processes starting at once on an empty cache all succeed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from partner_tui.search.cache_location import corpus_key
from partner_tui.search.corpus import bundled_corpus_path
from partner_tui.search.index_store import MARKER
from partner_tui.search.index_versions import version_name
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
    entries = sorted(p.name for p in (cache / "indexes").iterdir() if p.name[0] != ".")
    assert entries == [version_name(corpus_key(bundled_corpus_path()), 1)]


def test_ten_processes_meeting_a_corrupt_index_all_recover(tmp_path):
    cache = tmp_path / "cache"
    broken = cache / "indexes" / version_name(corpus_key(bundled_corpus_path()), 1)
    broken.mkdir(parents=True)
    (broken / "_MAIN_1.toc").write_bytes(b"\x80garbage")
    env = {**os.environ, "PARTNER_TUI_CACHE_DIR": str(cache)}
    processes = [_start(env) for _ in range(PROCESSES)]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert json.loads(stdout)["total"] == 2
    # The broken version was discarded and a sound one built in its place.
    entries = [p for p in (cache / "indexes").iterdir() if p.name[0] != "."]
    assert [p.name for p in entries] == [broken.name]
    assert (entries[0] / MARKER).is_file()


def test_processes_updating_one_corpus_at_once_all_see_their_own_edit(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(PROCESSES):
        (corpus / f"f{number}.md").write_text(f"## Part\n\nplain text {number}.\n", "utf-8")
    env = {**os.environ, "PARTNER_TUI_CACHE_DIR": str(tmp_path / "cache")}
    base = [sys.executable, "-m", "partner_tui.tui.cli", "--corpus", str(corpus)]
    subprocess.run([*base, "index"], env=env, check=True, capture_output=True)
    # Each process edits its own file, then searches for its word: all update at once.
    script = (
        "import pathlib, sys, subprocess;"
        "n = sys.argv[1]; pathlib.Path(sys.argv[2], f'f{n}.md').write_text("
        "f'## Part\\n\\nedited word{n}.\\n');"
        "sys.exit(subprocess.run(sys.argv[3:] + [f'word{n}', '--json']).returncode)"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(n), str(corpus), *base, "search"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    for number, process in enumerate(processes):
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr and "in-memory" not in stderr
        assert [hit["id"] for hit in json.loads(stdout)["hits"]] == [f"f{number}/part"]
    final = subprocess.run(
        [*base, "search", "edited", "--json", "--limit", "50"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert json.loads(final.stdout)["total"] == PROCESSES
    assert "plain" not in final.stdout
    versions = [p for p in (tmp_path / "cache" / "indexes").iterdir() if p.name[0] != "."]
    assert len(versions) == 1  # every older version was removed once unused

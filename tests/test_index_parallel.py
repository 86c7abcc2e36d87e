"""A full build shared with a second process answers exactly as a build by one process.

The oracle is the same corpus built by one process in its own cache dir: every query
must give the same total, the same hits in the same order and the same pillar counts.
"""

from __future__ import annotations

import marshal
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from partner_tui.search import segment_build
from partner_tui.search.engine import Engine
from partner_tui.search.schema import build_schema
from support_engine import write_corpus
from whoosh import index as whoosh_index

WORDS = "harbour robots energy freight solar trains kelp ports grid tidal wind rail".split()
QUERIES = [*WORDS, "harb*", "robots OR kelp", "energy solar", '"solar energy"', "train~"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    rng = random.Random(11)
    files = {}
    for number in range(30):
        parts = []
        for pillar in rng.sample(["Port", "Power", "Rail", "Sea", "Grid"], 3):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))
            parts.append(f"## {pillar} {rng.choice(WORDS)}\n\n{text}.\n")
        files[f"team-{number % 3}/b{number}.md"] = "\n".join(parts)
    return write_corpus(tmp_path_factory.mktemp("parallel") / "corpus", files)


def _answers(engine: Engine) -> dict:
    found = {}
    for query in QUERIES:
        outcome = engine.search(query, limit=1000)
        found[query] = (
            outcome.total,
            [hit.section_id for hit in outcome.hits],
            outcome.pillar_counts,
        )
    return found


def _built(corpus: Path, cache: Path, told: list | None = None) -> Engine:
    engine = Engine.open(corpus, cache_dir=cache, rebuild=True)
    if told is not None:
        engine.progress = lambda done, total: told.append((done, total))
    engine.warm_up()
    assert engine.index_location is not None and not engine.index_warnings
    return engine


def _segments(engine: Engine) -> int:
    assert engine.index_location is not None
    return len(whoosh_index.open_dir(str(engine.index_location)).reader().leaf_readers())


@pytest.fixture(scope="module")
def oracle(corpus, tmp_path_factory) -> dict:
    engine = _built(corpus, tmp_path_factory.mktemp("alone"))
    assert _segments(engine) == 1
    return _answers(engine)


def _share_every_build(monkeypatch) -> None:
    monkeypatch.setattr(segment_build, "PARALLEL_SECTIONS", 1)
    monkeypatch.setattr(segment_build, "_usable_cores", lambda: 2)
    monkeypatch.setattr(segment_build, "PROGRESS_EVERY", 5)


def test_a_build_shared_by_two_processes_answers_as_one_process(
    corpus, oracle, tmp_path, monkeypatch
):
    _share_every_build(monkeypatch)
    told: list[tuple[int, int]] = []
    engine = _built(corpus, tmp_path / "cache", told)
    assert _segments(engine) == 2  # one from each process
    sections = len(engine.corpus.sections)
    assert told[-1] == (sections, sections)
    assert len(told) > 5 and all(0 <= done <= total == sections for done, total in told)
    assert _answers(engine) == oracle
    # Neither process left temporary folders or stray segment files behind.
    assert engine.index_location is not None
    names = [path.name for path in engine.index_location.iterdir()]
    assert not [name for name in names if name.endswith(".tmp") or ".helper-" in name]
    assert len({name.split(".")[0] for name in names if name.endswith(".pst")}) == 2


@pytest.mark.parametrize("how", ["cannot start", "dies half way"])
def test_when_the_helper_fails_this_process_builds_its_half(
    corpus, oracle, tmp_path, monkeypatch, how
):
    _share_every_build(monkeypatch)
    helper = tmp_path / "helper"
    # Called as `<python> -m <module> <index folder>`: leaves a temporary folder, fails.
    helper.write_text('#!/bin/sh\nmkdir "$3/MAIN.tmp.helper-$$"\nexit 3\n', encoding="utf-8")
    helper.chmod(0o755)
    executable = str(tmp_path / "missing") if how == "cannot start" else str(helper)
    monkeypatch.setattr(sys, "executable", executable)
    engine = _built(corpus, tmp_path / "cache")
    assert _answers(engine) == oracle
    assert engine.index_location is not None
    assert not [p for p in engine.index_location.iterdir() if p.is_dir()]


def test_an_updated_shared_build_still_equals_a_fresh_one(corpus, tmp_path, monkeypatch):
    _share_every_build(monkeypatch)
    root = tmp_path / "corpus"
    shutil.copytree(corpus, root)
    _built(root, tmp_path / "cache").close()
    (root / "team-1" / "b4.md").write_text("## Sea\n\nkelp kelp tidal.\n", encoding="utf-8")
    (root / "team-2" / "b5.md").unlink()
    updated = Engine.open(root, cache_dir=tmp_path / "cache")
    updated.warm_up()
    assert updated.index_was_updated
    got, want = _answers(updated), _answers(_built(root, tmp_path / "fresh"))
    # An update keeps deleted documents in the term statistics until a merge, so scores
    # (and the order of hits) may differ; what matches may not.
    assert {q: (t, sorted(ids), c) for q, (t, ids, c) in got.items()} == {
        q: (t, sorted(ids), c) for q, (t, ids, c) in want.items()
    }


def test_a_helper_sent_fewer_documents_than_it_was_told_answers_no_segments(tmp_path):
    whoosh_index.create_in(str(tmp_path), build_schema())
    document = ("a/x", "a.md", "a", "a/x", "X", "X", "kelp", "X", "X")
    sent = marshal.dumps(3) + marshal.dumps(document) + marshal.dumps(document)
    helper = [sys.executable, "-m", segment_build.__name__, str(tmp_path)]
    answer = subprocess.run(helper, input=sent, capture_output=True, check=False)
    assert answer.returncode != 0
    assert b"segments" not in answer.stdout
    # Told the right number, the same helper answers with its segments.
    whole = marshal.dumps(2) + marshal.dumps(document) + marshal.dumps(document)
    answer = subprocess.run(helper, input=whole, capture_output=True, check=False)
    assert answer.returncode == 0 and b"segments " in answer.stdout

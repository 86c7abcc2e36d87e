"""An index updated file by file answers exactly as one built from scratch.

The oracle is a full rebuild of the same files in a fresh cache dir, read without the
reader cache. Hits are compared as sets with their per-pillar counts: an updated index
still counts deleted documents in its term statistics until segments merge, so scores
(and the order of equal-looking hits) may differ while the matches may not.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from partner_tui.search import reader_cache
from partner_tui.search.corpus import load_corpus
from partner_tui.search.engine import Engine
from support_cases import cases

WORDS = ["harbour", "robots", "energy", "freight", "solar", "trains", "kelp"]
QUERIES = [*WORDS, "harb*", "robots OR kelp", "energy solar", '"solar energy"', "train~"]
NAMES = ["a.md", "b.md", "sub/c.md", "d.txt", "sub/a.md"]  # two stems alike: ids shift

sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
briefing = st.lists(
    st.tuples(st.sampled_from(["Port", "Power", "Rail", "Sea"]), sentences),
    min_size=1,
    max_size=4,
).map(lambda parts: "".join(f"## {title}\n\n{text}.\n\n" for title, text in parts))
step = st.tuples(st.sampled_from(NAMES), st.one_of(st.none(), briefing))


def _answers(engine: Engine) -> dict[str, tuple[int, frozenset[str], dict[str, int]]]:
    answers = {}
    for query in QUERIES:
        outcome = engine.search(query, limit=1000)
        ids = frozenset(hit.section_id for hit in outcome.hits)
        answers[query] = (outcome.total, ids, outcome.pillar_counts)
    return answers


def _apply(root: Path, name: str, text: str | None) -> None:
    path = root / name
    if text is None:
        path.unlink(missing_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@settings(max_examples=cases(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.lists(step, min_size=1, max_size=5),
    rounds=st.lists(st.lists(step, max_size=4), max_size=3),
)
def test_updated_index_equals_a_full_rebuild(tmp_path_factory, first, rounds):
    base = tmp_path_factory.mktemp("incremental")
    root, cache = base / "corpus", base / "cache"
    root.mkdir()
    (root / "keep.md").write_text("## Anchor\n\nharbour kelp.\n", encoding="utf-8")
    for number, batch in enumerate([first, *rounds]):
        for name, text in batch:
            _apply(root, name, text)
        engine = Engine.open(root, cache_dir=cache)  # updates the previous version
        try:
            oracle = Engine(load_corpus(root, use_cache=False), cache_dir=base / f"full{number}")
            try:
                assert [s.id for s in engine.corpus.sections] == [
                    s.id for s in oracle.corpus.sections
                ]
                assert _answers(engine) == _answers(oracle)
            finally:
                oracle.close()
        finally:
            engine.close()
    versions = [p for p in (cache / "indexes").iterdir() if not p.name.startswith(".")]
    assert len(versions) == 1  # older versions were removed once closed


def test_an_edit_re_indexes_only_that_file(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    for number in range(8):
        (root / f"f{number}.md").write_text(f"## Part\n\nkelp number{number}.\n", "utf-8")
    first = Engine.open(root, cache_dir=tmp_path / "cache")
    first.warm_up()
    first.close()
    (root / "f3.md").write_text("## Part\n\nfreight now.\n", "utf-8")
    engine = Engine.open(root, cache_dir=tmp_path / "cache")
    engine.warm_up()
    assert engine.index_was_updated and not engine.index_was_built
    searcher = engine.index.opened.searcher
    # One new small segment holds the re-indexed file; the others stay where they were.
    assert searcher.doc_count() == 8
    assert [hit.section_id for hit in engine.search("freight").hits] == ["f3/part"]
    assert engine.search("number3").total == 0
    engine.close()


def test_refresh_swaps_an_open_engine_to_the_new_version(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.md").write_text("## Sea\n\nkelp.\n", "utf-8")
    (root / "b.md").write_text("## Rail\n\ntrains.\n", "utf-8")
    engine = Engine.open(root, cache_dir=tmp_path / "cache")
    assert engine.search("kelp").total == 1
    (root / "a.md").write_text("## Sea\n\nsolar.\n", "utf-8")
    (root / "c.md").write_text("## Port\n\nfreight.\n", "utf-8")
    (root / "b.md").unlink()
    change = engine.refresh()
    assert change.changed == {"a/sea"}
    assert change.added == {"c/port"} and change.removed == {"b/rail"}
    assert [engine.search(w).total for w in ("kelp", "solar", "freight", "trains")] == [0, 1, 1, 0]
    assert not engine.refresh()  # nothing changed since
    engine.close()


def _past_the_racy_window(monkeypatch) -> None:
    """The reader cache's clock moved on past its racy window, as if the test had waited
    that long: files written until now are old enough for their readings to be kept."""
    ahead = reader_cache.RACY_NANOSECONDS + 100_000_000
    clock = SimpleNamespace(time_ns=lambda: time.time_ns() + ahead)
    monkeypatch.setattr(reader_cache, "time", clock)


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    root = tmp_path / "corpus"
    root.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (root / name).write_text("## Sea\n\nkelp.\n", "utf-8")
    load_corpus(root, cache_dir=tmp_path / "cache")
    _past_the_racy_window(monkeypatch)  # so the readings are kept
    load_corpus(root, cache_dir=tmp_path / "cache")
    (root / "b.md").write_text("## Sea\n\nsolar.\n", "utf-8")
    from partner_tui.search import corpus as corpus_module

    read = []
    real = corpus_module._read_regular_file
    monkeypatch.setattr(
        corpus_module, "_read_regular_file", lambda p: read.append(p.name) or real(p)
    )
    again = load_corpus(root, cache_dir=tmp_path / "cache")
    assert read == ["b.md"]
    assert [s.body for s in again.sections] == ["kelp.", "solar.", "kelp."]
    assert list(itertools.chain(again.signatures)) == ["a.md", "b.md", "c.md"]


def test_a_refresh_reads_only_the_changed_file_and_not_the_cache_file(tmp_path, monkeypatch):
    root = tmp_path / "corpus"
    root.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (root / name).write_text("## Sea\n\nkelp.\n", "utf-8")
    _past_the_racy_window(monkeypatch)  # these readings can be trusted
    engine = Engine.open(root, cache_dir=tmp_path / "cache")
    from partner_tui.search import corpus as corpus_module
    from partner_tui.search.reader_cache import ReaderCache

    read = []
    real = corpus_module._read_regular_file
    monkeypatch.setattr(
        corpus_module, "_read_regular_file", lambda p: read.append(p.name) or real(p)
    )
    monkeypatch.setattr(ReaderCache, "load", lambda *_: pytest.fail("cache file read again"))
    (root / "b.md").write_text("## Sea\n\nsolar power.\n", "utf-8")
    change = engine.refresh()
    assert change.changed == {"b/sea"} and not change.added and not change.removed
    assert not change.reshaped  # the same titles in the same places: only a text changed
    assert read == ["b.md"]  # the others come from memory
    # The same size at once: its reading was too recent to trust, so it is read again.
    (root / "b.md").write_text("## Sea\n\nsolar tide.\n", "utf-8")
    assert engine.refresh().changed == {"b/sea"}
    assert engine.search("tide").total == 1 and engine.search("power").total == 0
    (root / "b.md").write_text("## Sea\n\nsolar tide.\n\n## Port\n\nkelp.\n", "utf-8")
    change = engine.refresh()
    assert change.added == {"b/port"} and change.reshaped
    engine.close()

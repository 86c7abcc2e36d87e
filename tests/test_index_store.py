"""The index lives in the cache dir, is reused while the corpus is unchanged, is updated
(a new version) when it changes, and is rebuilt — never trusted — when anything about it
is wrong."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from partner_tui.search.cache_location import corpus_key
from partner_tui.search.engine import Engine
from partner_tui.search.index_store import MARKER, _files_digest
from partner_tui.search.index_versions import version_name
from support_engine import write_corpus
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema

BRIEFING = "## Harbours\n\nRobotics moves containers.\n\n## Energy\n\nShore power for ships.\n"


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus", {"ports.md": BRIEFING})


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


def _open(corpus: Path, cache: Path, **kwargs) -> Engine:
    """The engine with its index open, as the first search would open it."""
    engine = Engine.open(corpus, cache_dir=cache, **kwargs)
    engine.warm_up()
    return engine


def _ids(engine: Engine, text: str) -> list[str]:
    return [hit.section_id for hit in engine.search(text).hits]


def test_built_once_in_the_cache_dir_then_reused(corpus, cache):
    first = _open(corpus, cache)
    assert first.index_was_built
    location = first.index_location
    assert location.parent == cache / "indexes"
    assert location.name == version_name(corpus_key(corpus), 1)
    second = _open(corpus, cache)
    assert not second.index_was_built
    assert second.index_location == location
    assert second.warnings == []
    assert _ids(second, "robots") == ["ports/harbours"]


def test_the_index_is_opened_only_when_first_needed(corpus, cache):
    engine = Engine.open(corpus, cache_dir=cache)
    assert [s.title for s in engine.briefings[0].sections] == ["Harbours", "Energy"]
    assert engine.section("ports/energy").body == "Shore power for ships."
    assert not (cache / "indexes").exists()  # reading sections needs no index
    assert _ids(engine, "robots") == ["ports/harbours"]  # the first search opens it
    assert engine.index_was_built


def test_cache_dir_defaults_to_the_environment_variable(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNER_TUI_CACHE_DIR", str(tmp_path / "from-env"))
    engine = Engine.open(corpus)
    assert engine.index_location.parent == tmp_path / "from-env" / "indexes"


def test_fingerprint_is_the_same_for_the_same_files(corpus, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    assert _open(corpus, tmp_path / "a").corpus.fingerprint == (
        _open(copy, tmp_path / "b").corpus.fingerprint
    )


OTHER = "".join(f"## Part {n}\n\nText of part {n}.\n\n" for n in range(6))


def test_a_changed_briefing_gets_a_new_version_made_from_the_old_one(corpus, cache):
    (corpus / "other.md").write_text(OTHER, "utf-8")  # most of the corpus stays as it was
    old = _open(corpus, cache)
    (corpus / "ports.md").write_text(BRIEFING + "\n## Rail\n\nFreight trains.\n", "utf-8")
    new = _open(corpus, cache)
    assert new.index_was_updated and not new.index_was_built
    assert new.index_location == cache / "indexes" / version_name(corpus_key(corpus), 2)
    assert _ids(new, "freight") == ["ports/rail"]
    assert _ids(old, "freight") == []  # an engine keeps answering from its own version


def test_an_old_version_is_removed_once_no_engine_uses_it(corpus, cache):
    old = _open(corpus, cache)
    (corpus / "ports.md").write_text(BRIEFING + "\n## Rail\n\nFreight trains.\n", "utf-8")
    _open(corpus, cache).close()
    assert old.index_location.exists()  # `old` still searches it
    old.close()
    (corpus / "more.md").write_text("## Ships\n\nTankers.\n", "utf-8")
    newest = _open(corpus, cache)
    assert sorted(p.name for p in (cache / "indexes").glob("s*")) == [newest.index_location.name]


def test_an_added_briefing_or_sidecar_changes_the_fingerprint(corpus, cache):
    before = _open(corpus, cache).corpus.fingerprint
    (corpus / "ports.meta.toml").write_text('title = "Ports"\n', "utf-8")
    with_sidecar = _open(corpus, cache).corpus.fingerprint
    (corpus / "more.txt").write_text("Rail Freight\nTrains carry ore.\n", "utf-8")
    assert len({before, with_sidecar, _open(corpus, cache).corpus.fingerprint}) == 3


def test_rebuild_requested(corpus, cache):
    _open(corpus, cache)
    again = _open(corpus, cache, rebuild=True)
    assert again.index_was_built
    assert _ids(again, "shore") == ["ports/energy"]


def _index_dir(corpus: Path, cache: Path) -> Path:
    engine = _open(corpus, cache)
    engine.close()
    return engine.index_location


def _assert_rebuilt(corpus: Path, cache: Path) -> None:
    engine = _open(corpus, cache)
    assert engine.index_was_built
    assert any("was unusable" in w and "rebuilt it" in w for w in engine.warnings)
    assert _ids(engine, "robots") == ["ports/harbours"]
    assert _open(corpus, cache).warnings == []  # and the rebuilt one is trusted next time


def _write_matching_marker(directory: Path, marker: dict) -> None:
    """A marker that vouches for the files now in the directory: only the schema check
    is left to catch what is wrong."""
    marker["digest"] = _files_digest(directory)
    (directory / MARKER).write_text(json.dumps(marker), "utf-8")


def test_bytes_changed_inside_a_segment_are_rebuilt(corpus, cache):
    directory = _index_dir(corpus, cache)
    (segment,) = directory.glob("*.pst")  # the postings: most of the index
    data = bytearray(segment.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(255 - b for b in data[middle : middle + 8])
    segment.write_bytes(bytes(data))  # same size, same name: only the content differs
    _assert_rebuilt(corpus, cache)


def test_garbage_files_are_rebuilt(corpus, cache):
    directory = _index_dir(corpus, cache)
    for path in directory.iterdir():
        if path.name != MARKER:
            path.write_bytes(b"\x00garbage" * 50)
    _assert_rebuilt(corpus, cache)


def test_truncated_toc_is_rebuilt(corpus, cache):
    directory = _index_dir(corpus, cache)
    (toc,) = directory.glob("*.toc")
    toc.write_bytes(toc.read_bytes()[:20])
    _assert_rebuilt(corpus, cache)


def test_truncated_segment_is_rebuilt(corpus, cache):
    directory = _index_dir(corpus, cache)
    segments = list(directory.glob("*.pst")) + list(directory.glob("*.trm"))
    assert segments
    for segment in segments:
        segment.write_bytes(segment.read_bytes()[:40])
    _assert_rebuilt(corpus, cache)


def test_missing_marker_is_rebuilt(corpus, cache):
    (_index_dir(corpus, cache) / MARKER).unlink()
    _assert_rebuilt(corpus, cache)


def test_index_of_another_schema_at_the_right_path_is_rebuilt(corpus, cache):
    directory = _index_dir(corpus, cache)
    marker = (directory / MARKER).read_text("utf-8")
    shutil.rmtree(directory)
    directory.mkdir()
    foreign = Schema(id=ID(stored=True), body=TEXT(stored=True))
    ix = whoosh_index.create_in(str(directory), foreign)
    writer = ix.writer()
    writer.add_document(id="x", body="robots everywhere")
    writer.add_document(id="y", body="nothing")
    writer.commit()
    _write_matching_marker(directory, json.loads(marker))  # even a matching marker
    _assert_rebuilt(corpus, cache)


def test_index_with_other_analyzers_but_same_field_names_is_rebuilt(corpus, cache):
    directory = _index_dir(corpus, cache)
    names = whoosh_index.open_dir(str(directory)).schema.names()
    marker = json.loads((directory / MARKER).read_text("utf-8"))
    shutil.rmtree(directory)
    directory.mkdir()
    # Same names, but unstemmed bodies: Whoosh's Schema == would call these equal.
    plain = Schema(**{name: ID(stored=True) if name == "id" else TEXT() for name in names})
    ix = whoosh_index.create_in(str(directory), plain)
    writer = ix.writer()
    writer.add_document(id="ports/harbours", body="robotics")
    writer.add_document(id="ports/energy", body="shore")
    writer.commit()
    _write_matching_marker(directory, marker)
    _assert_rebuilt(corpus, cache)


def test_a_regular_file_where_the_index_belongs_is_replaced(corpus, cache):
    directory = _index_dir(corpus, cache)
    shutil.rmtree(directory)
    directory.write_text("not an index")
    _assert_rebuilt(corpus, cache)


def test_unwritable_cache_dir_falls_back_to_memory_with_a_warning(corpus, tmp_path):
    # Tests run as root, so permissions cannot stop a write: a regular file in the way can.
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("")
    engine = _open(corpus, blocker)
    assert engine.index_location is None
    assert any("in-memory index" in w and str(blocker) in w for w in engine.warnings)
    assert _ids(engine, "robots") == ["ports/harbours"]


def test_no_building_leftovers_after_a_build(corpus, cache):
    engine = _open(corpus, cache)
    entries = [p.name for p in (cache / "indexes").iterdir() if not p.name.endswith("-lock")]
    assert entries == [engine.index_location.name]

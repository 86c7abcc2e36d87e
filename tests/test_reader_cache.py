"""The reader cache: a corpus loaded from it is the corpus read from its files, its
sections' texts are decoded only when asked for, and a damaged cache is read around."""

from __future__ import annotations

import pytest
from partner_tui.search import corpus as corpus_module
from partner_tui.search import reader_cache
from partner_tui.search.corpus import load_corpus
from partner_tui.search.engine import Engine

BRIEFINGS = {
    "ports.md": (
        "# Ports\n\nAn *opening* line.\n\n## Sea lanes\n\nKelp and **tides**, "
        "see [the chart](https://example.org/chart).\n\n```\ncode  kept\n```\n\n"
        "### Harbours\n\n- one\n- two\n"
    ),
    "rail.txt": "Rail\n\nFREIGHT\n\nTrains run on time.\n",
    "team/notes.rst": "Notes\n=====\n\nSolar *power*.\n\nGrid\n----\n\nA ``cable``.\n",
}


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    # Readings of files changed in the last two seconds are not kept: these were just
    # written, and the test does not wait for the window to pass.
    monkeypatch.setattr(reader_cache, "RACY_NANOSECONDS", 0)
    root = tmp_path / "corpus"
    for name, text in BRIEFINGS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    (root / "rail.meta.toml").write_text('owner = "Ops"\n', "utf-8")
    return root


def _files_read(monkeypatch) -> list[str]:
    read: list[str] = []
    real = corpus_module._read_regular_file

    def reading(path):
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(corpus_module, "_read_regular_file", reading)
    return read


def test_a_corpus_from_the_cache_equals_the_corpus_read_from_its_files(
    corpus, tmp_path, monkeypatch
):
    load_corpus(corpus, cache_dir=tmp_path / "cache")
    read = _files_read(monkeypatch)
    cached = load_corpus(corpus, cache_dir=tmp_path / "cache")
    assert read == []  # every reading came from the cache
    fresh = load_corpus(corpus, use_cache=False)
    assert read  # ...and this one from the files
    assert cached.briefings == fresh.briefings
    assert cached.fingerprint == fresh.fingerprint
    for ours, theirs in zip(cached.sections, fresh.sections, strict=True):
        assert (ours.id, ours.path, ours.body, ours.runs) == (
            theirs.id,
            theirs.path,
            theirs.body,
            theirs.runs,
        )
    assert any(section.runs for section in cached.sections)  # styled text came through


def test_a_cold_start_decodes_only_the_texts_it_shows(corpus, tmp_path):
    first = Engine.open(corpus, cache_dir=tmp_path / "cache")
    first.warm_up()  # the index is built (which reads every text) by an earlier run
    first.close()
    engine = Engine.open(corpus, cache_dir=tmp_path / "cache")
    # The outline is all there: ids, titles and the tree, without any section's text.
    assert [b.title for b in engine.briefings] == ["Ports", "Rail", "Notes"]
    assert all("body" not in vars(s) for s in engine.corpus.sections)
    shown = engine.section("ports/sea-lanes")
    assert "Kelp and tides" in shown.body
    ports, rail, notes = engine.briefings
    assert all("body" in vars(s) for s in ports.sections)  # its briefing, decoded whole
    assert all("body" not in vars(s) for s in (*rail.sections, *notes.sections))
    # A search decodes the briefings of the hits it shows.
    (hit,) = engine.search("solar").hits
    assert hit.section_id.startswith("notes/") and "Solar" in hit.snippet
    assert all("body" not in vars(s) for s in rail.sections)
    engine.close()


def test_a_damaged_cache_file_is_ignored_and_written_again(corpus, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    expected = load_corpus(corpus, cache_dir=cache).briefings
    (location,) = (cache / "briefings").glob("*.cache")
    data = bytearray(location.read_bytes())
    data[-40] ^= 0xFF  # inside a briefing's texts: the digest no longer matches
    location.write_bytes(bytes(data))
    read = _files_read(monkeypatch)
    assert load_corpus(corpus, cache_dir=cache).briefings == expected
    assert sorted(read) == ["notes.rst", "ports.md", "rail.txt"]  # read from the files
    read.clear()
    assert load_corpus(corpus, cache_dir=cache).briefings == expected
    assert read == []  # the cache was written again, whole

"""A big first reading shared with a helper process gives exactly the corpus one process
reads: the same briefings, ids, texts, warnings and signatures, and the same cache for
the next run, even when the helper's guessed ids are wrong or the helper fails."""

from __future__ import annotations

import sys

import pytest
from partner_tui.search import corpus as corpus_module
from partner_tui.search import reader_cache, reading_helper
from partner_tui.search.corpus import Corpus, load_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel-read") / "corpus"
    files: dict[str, bytes] = {
        # Empty and binary files early: no id for them, so every guess after is checked.
        "notes.md": b"",  # named as later files: their guessed ids are all one off
        "a-binary.txt": b"\x00\x01\x02 not text",
        "zz/notes.md": b"# Notes\n\nLast of the *notes*.\n",
    }
    for number in range(24):
        team = f"team-{number % 3}"
        files[f"{team}/notes.md"] = f"# Notes {number}\n\n## Kelp\n\n**Tides** {number}.\n".encode()
        files[f"{team}/plan-{number}.txt"] = f"Plan {number}\n\nRail freight {number}.\n".encode()
        files[f"{team}/grid-{number}.rst"] = f"Grid\n====\n\nSolar ``{number}``.\n".encode()
    files["team-1/plan-3.meta.toml"] = b'owner = "Ops"\n'
    files["team-2/bad-\xe9.txt"] = b"Caf\xe9 latin-1\n"
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


@pytest.fixture
def shared(monkeypatch):
    """Readings shared with a helper for any number of files; the files it was sent."""
    monkeypatch.setattr(reader_cache, "RACY_NANOSECONDS", 0)
    monkeypatch.setattr(corpus_module, "READ_IN_HELPER", 1)
    monkeypatch.setattr(corpus_module, "usable_cores", lambda: 2)
    sent: list[str] = []
    real = reading_helper.ReadingHelper.start

    def start(root, files):
        sent.extend(shown for _, shown, _ in files)
        return real(root, files)

    monkeypatch.setattr(reading_helper.ReadingHelper, "start", staticmethod(start))
    return sent


def _as_read(corpus: Corpus) -> tuple:
    sections = [(s.id, s.path, s.body, s.runs, s.is_overview) for s in corpus.sections]
    briefings = [(b.id, b.title, b.source, b.metadata, b.also_read) for b in corpus.briefings]
    return briefings, sections, [str(w) for w in corpus.warnings], corpus.signatures


def _one_process(root, cache) -> Corpus:
    return load_corpus(root, cache_dir=cache)


def test_a_shared_first_reading_equals_one_process_reading(corpus, tmp_path, shared):
    with pytest.MonkeyPatch.context() as alone:
        alone.setattr(corpus_module, "READ_IN_HELPER", 10**9)
        expected = _one_process(corpus, tmp_path / "alone")
    read_here: list[str] = []
    real = corpus_module._read_regular_file
    with pytest.MonkeyPatch.context() as spy:
        spy.setattr(corpus_module, "_read_regular_file", lambda p: read_here.append(p) or real(p))
        loaded = load_corpus(corpus, cache_dir=tmp_path / "shared")
    assert len(shared) > 10  # the helper read a good part of the files
    assert len(read_here) < len(shared) * 2  # ...and this process used its readings
    assert _as_read(loaded) == _as_read(expected)
    assert loaded.fingerprint == expected.fingerprint
    assert {b.id for b in loaded.briefings} >= {"notes", "notes-2", "notes-3", "notes-4"}
    # The next run reads everything from the cache the shared reading wrote.
    shared.clear()
    again = load_corpus(corpus, cache_dir=tmp_path / "shared")
    assert not shared
    assert _as_read(again) == _as_read(expected)


@pytest.mark.parametrize(
    "helper",
    [
        [sys.executable, "-c", "import sys; sys.exit(3)"],
        [sys.executable, "-c", "import sys; sys.stdout.write('not readings')"],
        [
            sys.executable,
            "-c",
            "import marshal, sys; sys.stdout.buffer.write(marshal.dumps(((1, 2),)))",
        ],
        ["/nonexistent/python"],
    ],
    ids=["fails", "answers-junk", "answers-wrong-rows", "cannot-start"],
)
def test_a_failing_helper_leaves_the_reading_to_this_process(
    corpus, tmp_path, shared, monkeypatch, helper
):
    with pytest.MonkeyPatch.context() as alone:
        alone.setattr(corpus_module, "READ_IN_HELPER", 10**9)
        expected = _one_process(corpus, tmp_path / "alone")
    monkeypatch.setattr(reading_helper, "_command", lambda: helper)
    loaded = load_corpus(corpus, cache_dir=tmp_path / "shared")
    assert _as_read(loaded) == _as_read(expected)

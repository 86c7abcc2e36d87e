"""A bad file is skipped or repaired with a warning naming it; it never stops the others."""

from __future__ import annotations

import os
import signal

import pytest
from partner_tui.search.corpus import CorpusError, load_corpus
from support_engine import write_corpus

GOOD = "Trade Routes\nShips now take the northern route.\n"


def _warning_about(corpus, name: str) -> str:
    found = [w for w in corpus.warnings if name in w]
    assert len(found) == 1, corpus.warnings
    return found[0]


def test_invalid_utf8_is_decoded_with_replacement_and_a_warning(tmp_path):
    latin = b"Caf\xe9 Culture\nSales rose in caf\xe9s.\n"
    root = write_corpus(tmp_path / "c", {"latin.txt": latin})
    corpus = load_corpus(root)
    assert "not valid UTF-8" in _warning_about(corpus, "latin.txt")
    section = corpus.briefings[0].sections[0]
    assert section.title == "Caf\ufffd Culture"
    assert section.body == "Sales rose in caf\ufffds."


def test_utf16_with_a_bom_is_read(tmp_path):
    root = write_corpus(tmp_path / "c", {"wide.txt": GOOD.encode("utf-16")})
    corpus = load_corpus(root)
    assert corpus.warnings == []
    assert corpus.briefings[0].sections[0].title == "Trade Routes"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"\n  \n\t\n", "empty"),
    ],
)
def test_binary_and_empty_files_are_skipped_by_name(tmp_path, name, content, reason):
    root = write_corpus(tmp_path / "c", {name: content, "good.txt": GOOD})
    corpus = load_corpus(root)
    assert [b.id for b in corpus.briefings] == ["good"]
    warning = _warning_about(corpus, name)
    assert warning.startswith(f"skipped {name}") and reason in warning


def test_unreadable_files_are_skipped_by_name(tmp_path):
    # Tests run as root, where chmod 000 does not stop a read: use links that cannot be read.
    root = write_corpus(tmp_path / "c", {"good.txt": GOOD})
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    (root / "loop.md").symlink_to(root / "loop.md")
    corpus = load_corpus(root)
    assert [b.id for b in corpus.briefings] == ["good"]
    assert "cannot read it" in _warning_about(corpus, "dangling.txt")
    assert "cannot read it" in _warning_about(corpus, "loop.md")


def test_a_named_pipe_is_skipped_instead_of_blocking(tmp_path):
    root = write_corpus(tmp_path / "c", {"good.txt": GOOD})
    os.mkfifo(root / "pipe.txt")

    def give_up(*_):
        raise TimeoutError("reading the corpus blocked on a FIFO")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(10)
    try:
        corpus = load_corpus(root)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [b.id for b in corpus.briefings] == ["good"]
    assert "not a regular file" in _warning_about(corpus, "pipe.txt")


def test_a_folder_named_like_a_briefing_is_walked_as_a_folder(tmp_path):
    root = write_corpus(tmp_path / "c", {"notes.txt/inner.md": "## Inner\n\nText.\n"})
    corpus = load_corpus(root)
    assert [b.source for b in corpus.briefings] == ["notes.txt/inner.md"]


def test_other_files_are_skipped_with_a_warning_and_hidden_ones_silently(tmp_path):
    root = write_corpus(
        tmp_path / "c", {"good.txt": GOOD, "photo.jpg": b"\xff\xd8", ".draft.txt": "x"}
    )
    corpus = load_corpus(root)
    assert [b.id for b in corpus.briefings] == ["good"]
    assert "not a .txt, .md or .rst briefing" in _warning_about(corpus, "photo.jpg")
    assert not [w for w in corpus.warnings if "draft" in w]


def test_a_broken_sidecar_is_ignored_with_a_warning(tmp_path):
    root = write_corpus(tmp_path / "c", {"good.txt": GOOD, "good.meta.toml": "title = "})
    corpus = load_corpus(root)
    assert corpus.briefings[0].title == "Trade Routes"  # the first heading, as without one
    assert "ignored metadata good.meta.toml" in _warning_about(corpus, "good.meta.toml")


def test_control_characters_are_removed_and_markup_is_kept_literally(tmp_path):
    text = (
        "Escape \x1b[31mTricks\x1b[0m\n"
        "Text with \x1b]0;pwned\x07a title, a bell\x07, a DEL\x7f byte, C1\x9b codes.\n"
        "Markup like [bold]this[/] and [red]that[/red] stays as written.\n"
    )
    root = write_corpus(tmp_path / "c", {"tricky.txt": text})
    section = load_corpus(root).briefings[0].sections[0]
    assert section.title == "Escape Tricks"
    assert section.body == (
        "Text with a title, a bell, a DEL byte, C1 codes.\n\n"
        "Markup like [bold]this[/] and [red]that[/red] stays as written."
    )


def test_windows_line_ends_and_tabs_are_normalised(tmp_path):
    root = write_corpus(tmp_path / "c", {"crlf.txt": b"Trade Routes\r\nShips\tsail.\r\n"})
    section = load_corpus(root).briefings[0].sections[0]
    assert (section.title, section.body) == ("Trade Routes", "Ships    sail.")


def test_missing_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="corpus not found: .*nowhere"):
        load_corpus(tmp_path / "nowhere")


def test_empty_corpus_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match=r"no readable briefings .*no \.txt, \.md or \.rst files"):
        load_corpus(tmp_path / "empty")


def test_corpus_of_only_bad_files_names_them(tmp_path):
    root = write_corpus(tmp_path / "c", {"empty.txt": b""})
    with pytest.raises(CorpusError, match="skipped empty.txt: empty file"):
        load_corpus(root)


def test_briefing_ids_are_unique_and_stable_across_folders(tmp_path):
    root = write_corpus(tmp_path / "c", {"a/intro.md": "## A\n\nx\n", "b/intro.md": "## B\n\ny\n"})
    assert [b.id for b in load_corpus(root).briefings] == ["intro", "intro-2"]
    assert [s.id for s in load_corpus(root).briefings[1].sections] == ["intro-2/b"]

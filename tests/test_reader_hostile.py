"""Hostile documents: every reader stays linear on adversarial shapes, and terminal
escapes, bidi overrides and zero-width characters never reach a title, a body or a
warning, while no real text is lost with them."""

from __future__ import annotations

import time

import pytest
from partner_tui.search.corpus import load_corpus
from partner_tui.search.corpus_warnings import summarise
from partner_tui.search.readers import read_document
from partner_tui.search.text_cleaning import clean_text, one_line
from support_engine import write_corpus

SIZE = 60_000
# Generous: a quadratic reader is hundreds of times slower on these shapes, a linear one
# a few times at most (a busy machine included).
RATIO = 20
FLOOR = 0.03  # seconds: below this a normal read is too quick to compare against


def _wrapped(words: int, width: int = 72) -> str:
    lines, line = [], ""
    for word in ("the harbour cranes move containers every night and crews rest " * words).split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


NORMAL = {
    ".md": "## Cranes\n\n" + "\n\n".join(_wrapped(60) for _ in range(200)),
    ".txt": "Cranes\n\n" + "\n\n".join(_wrapped(60) for _ in range(200)),
    ".rst": "Cranes\n======\n\n" + "\n\n".join(_wrapped(60) for _ in range(200)),
}

SHAPES = {
    "markdown heading with a long run of spaces": (".md", "## a" + " " * SIZE + "b\n"),
    "an 8,000-line hard-wrapped block": (".txt", _wrapped(8_000 * 10)),
    "plain text with a long run of spaces": (".txt", "Title\n\na" + " " * SIZE + "b\n"),
    "reST with a long run of spaces": (".rst", "a" + " " * SIZE + "b\n"),
    "deeply nested Markdown quotes": (".md", "> " * (SIZE // 2) + "x\n"),
    "deeply nested Markdown lists": (".md", "- " * (SIZE // 2) + "x\n"),
    "plain text indented ever deeper": (
        ".txt",
        "".join(" " * (i % 80) + "x y\n" for i in range(1500)),
    ),
    "reST full of unclosed literals": (".rst", "``a " * (SIZE // 4)),
    "reST made of titles": (".rst", "T\n=\n\n" * (SIZE // 6)),
    "plain text of numbered lines": (".txt", "".join(f"{i}. Item\n\n" for i in range(SIZE // 10))),
}


def _seconds(suffix: str, text: str) -> float:
    # CPU time of this thread: what the reader costs, not how busy the machine is (wall
    # time on a loaded machine made a linear reader look 28 times slower than normal).
    start = time.thread_time()
    read_document(suffix, text)
    return time.thread_time() - start


@pytest.mark.parametrize("shape", SHAPES)
def test_every_reader_is_linear_on_adversarial_shapes(shape):
    suffix, text = SHAPES[shape]
    normal = (NORMAL[suffix] * (len(text) // len(NORMAL[suffix]) + 1))[: len(text)]
    # Alternated, so a pause that slows one read cannot land on one side only.
    pairs = [(_seconds(suffix, normal), _seconds(suffix, text)) for _ in range(2)]
    baseline = max(FLOOR, min(normal_read for normal_read, _ in pairs))
    took = min(hostile_read for _, hostile_read in pairs)
    assert took < RATIO * baseline, f"{shape}: {took:.2f}s vs {baseline:.3f}s for a normal file"


@pytest.mark.parametrize(
    "text", ["\x1b]" * SIZE, "\x1b[" + "1;" * SIZE, "\x9b" * SIZE, "\x1b]0;" + "x" * SIZE]
)
def test_cleaning_is_linear_on_escape_floods(text):
    start = time.thread_time()
    clean_text(text)
    assert time.thread_time() - start < 2.0


def test_a_stray_osc_without_terminator_loses_nothing_after_it(tmp_path):
    text = (
        "First Part\n\nAlpha text \x1b]here.\n\nSecond Part\n\nBeta text.\n\nThird Part\n\nGamma.\n"
    )
    root = write_corpus(tmp_path / "c", {"stray.txt": text})
    sections = load_corpus(root).briefings[0].sections
    assert [s.title for s in sections] == ["First Part", "Second Part", "Third Part"]
    assert sections[0].body == "Alpha text here."


def test_a_c1_csi_leaves_no_debris():
    assert clean_text("red \x9b31mtext\x9b0m here") == "red text here"
    assert clean_text("red \x1b[1;31mtext\x1b[0m here") == "red text here"


def test_bidi_overrides_and_zero_width_characters_are_removed():
    spoof = "Invoice\u202egnp.exe\u202c paid\u200b now\u2066x\u2069\ufeff"
    assert clean_text(spoof) == "Invoicegnp.exe paid nowx"


def test_joiners_inside_scripts_and_emoji_stay():
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    family = "\U0001f468\u200d\U0001f469"
    assert clean_text(persian) == persian
    assert clean_text(family) == family
    assert clean_text("plain\u200dtext") == "plaintext"


def test_one_line_makes_one_printable_bounded_line():
    assert one_line("name\x1b]0;pwned\x07\n\tnext\u202e", 100) == "name  next"
    assert one_line("x" * 50, 10) == "x" * 9 + "…"


def test_file_names_and_sidecar_values_reach_no_screen_with_escapes(tmp_path):
    name = "evil\x1b]0;retitled\x07\x1b[31mred.txt"
    root = write_corpus(
        tmp_path / "c",
        {
            name: "Trade Routes\nShips sail.\n",
            name.replace(".txt", ".meta.toml"): 'title = "Bad\\u001b[31m\\u202eTitle"\n',
            "also\x1b[31m.png": b"x",
        },
    )
    corpus = load_corpus(root)
    briefing = corpus.briefings[0]
    assert briefing.title == "BadTitle"
    for text in [briefing.source, *corpus.warnings]:
        assert "\x1b" not in text and "\x07" not in text and "31m" not in text


def test_many_warnings_of_a_kind_become_one_line_with_a_count(tmp_path):
    files = {f"dump{i}.gz": b"x" for i in range(40)}
    files.update({"photo.png": b"x", "good.txt": "Notes\nText.\n", "empty.txt": ""})
    corpus = load_corpus(write_corpus(tmp_path / "c", files))
    assert len(corpus.warnings) == 42
    lines = summarise(corpus.warnings)
    assert lines == [
        "skipped 41 files that are not .txt, .md or .rst briefings: .gz ×40, .png ×1; "
        "`--verbose` lists them",
        "skipped empty.txt: empty file",
    ]
    assert summarise(corpus.warnings, verbose=True) == corpus.warnings

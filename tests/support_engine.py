"""Shared helpers for the engine and CLI tests: fixture paths, corpora, running the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from partner_tui.search.model import Briefing

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
SEED = REPO / "seeds" / "malaysia-japan-digital-partnership.txt"
SEED_ID = "malaysia-japan-digital-partnership"
CONSOLE_SCRIPT = Path(sys.executable).with_name("partner-tui")


def body_lines(briefing: Briefing) -> Counter[str]:
    """Every non-blank line of every section body, counted."""
    return Counter(
        line.strip()
        for section in briefing.sections
        for line in section.body.split("\n")
        if line.strip()
    )


def source_lines(text: str, leave_out: Iterable[str]) -> Counter[str]:
    """The source's non-blank lines, minus those a reader must not put in a body."""
    lines = Counter(line.strip() for line in text.split("\n") if line.strip())
    for line in leave_out:
        assert lines[line.strip()] > 0, f"test bug: {line!r} is not in the source"
        lines[line.strip()] -= 1
    return +lines


WORD = re.compile(r"\w+")


def section_words(briefing: Briefing) -> Counter[str]:
    """Every word of every section's title and readable text, counted (the overview's
    title is the reader's, not the document's)."""
    words: Counter[str] = Counter()
    for section in briefing.sections:
        if not section.is_overview:
            words.update(WORD.findall(section.title.lower()))
        words.update(WORD.findall(section.body.lower()))
    return words


def source_words(text: str, leave_out: Iterable[str] = ()) -> Counter[str]:
    """The words of the source's lines, minus those of lines a reader must not show."""
    words = Counter(WORD.findall(text.lower()))
    for line in leave_out:
        for word in WORD.findall(line.lower()):
            assert words[word] > 0, f"test bug: {word!r} is not in the source"
            words[word] -= 1
    return +words


def write_corpus(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    """Run the installed `partner-tui` console script, output captured (so not a tty)."""
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=60,
    )

"""Shared helpers for the engine and CLI tests: fixture paths, corpora, running the CLI."""

from __future__ import annotations

import os
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

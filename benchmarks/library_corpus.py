"""A deterministic, realistic corpus for the library benchmark: ~2,000 Markdown files,
~10k sections, built from the licence texts and package READMEs found on this machine.

Paragraphs are gathered from those texts, shuffled with a fixed seed and dealt into
briefings of a few pillars with sub-sections, so the words are real prose and the
same machine always gets the same corpus.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SOURCES = (Path("/usr/share/common-licenses"), Path("/usr/share/doc"))
_TEXT_NAMES = re.compile(r"^(README.*|copyright|.*\.(md|txt|rst))$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]{3,}")
SEED = 20261


def _paragraphs(limit_bytes: int = 40_000_000) -> list[str]:
    found: set[str] = set()
    total = 0
    for root in SOURCES:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if total > limit_bytes:
                break
            if not path.is_file() or path.is_symlink():
                continue
            if root.name == "doc" and not _TEXT_NAMES.match(path.name):
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            total += len(text)
            for block in re.split(r"\n\s*\n", text):
                lines = [line.strip() for line in block.splitlines() if line.strip()]
                paragraph = " ".join(lines)
                # Prose only: no headings-looking lines, enough words to read.
                letters = sum(ch.isalpha() or ch == " " for ch in paragraph)
                if (
                    80 <= len(paragraph) <= 1500
                    and letters >= 0.8 * len(paragraph)
                    and not paragraph.lstrip().startswith(("#", "=", "-", "~", "`"))
                    and "```" not in paragraph
                    and "~~~" not in paragraph
                ):
                    found.add(paragraph)
    return sorted(found)


def _heading(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words).capitalize() for _ in range(rng.randint(2, 4)))


def write_corpus(target: Path, files: int = 2000, seed: int = SEED) -> dict[str, int]:
    """Write the corpus into `target`; returns counts (files, sections, bytes)."""
    rng = random.Random(seed)
    paragraphs = _paragraphs()
    if len(paragraphs) < 500:
        raise SystemExit("not enough text on this machine to build the benchmark corpus")
    rng.shuffle(paragraphs)
    words = sorted({w.lower() for p in paragraphs[:3000] for w in _WORD.findall(p)})
    target.mkdir(parents=True, exist_ok=True)
    sections = size = 0
    cursor = 0

    def take(count: int) -> str:
        nonlocal cursor
        chosen = [paragraphs[(cursor + i) % len(paragraphs)] for i in range(count)]
        cursor += count
        return "\n\n".join(chosen)

    for number in range(files):
        parts = [f"# {_heading(rng, words)}", "", take(2), ""]
        sections += 1  # the overview
        for _ in range(rng.randint(1, 3)):
            parts += [f"## {_heading(rng, words)}", "", take(rng.randint(2, 6)), ""]
            sections += 1
            for _ in range(rng.randint(0, 2)):
                parts += [f"### {_heading(rng, words)}", "", take(rng.randint(2, 6)), ""]
                sections += 1
        folder = target / f"team-{number % 20:02d}"
        folder.mkdir(exist_ok=True)
        text = "\n".join(parts)
        (folder / f"briefing-{number:04d}.md").write_text(text, encoding="utf-8")
        size += len(text.encode())
    return {"files": files, "sections": sections, "bytes": size}


if __name__ == "__main__":
    import sys

    print(write_corpus(Path(sys.argv[1])))

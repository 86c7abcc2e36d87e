"""Which files of a corpus folder are briefings to read, and how their names are shown."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from partner_tui.search.corpus_warnings import CorpusWarning, safe_name
from partner_tui.search.readers import BRIEFING_SUFFIXES

SIDECAR_SUFFIX = ".meta.toml"
_IGNORED_NAMES = {"__init__.py", "__pycache__"}


class Candidate(NamedTuple):
    path: str  # a string: 2,000 Path objects cost a cold search ~0.1 s
    shown: str  # its name as shown to people (see `display_name`)
    sidecar: bool  # a metadata sidecar sits next to it
    stem: str  # its name without the suffix, as Path.stem gives it


def _suffix_at(name: str) -> int:
    """Where Path(name).suffix starts (len(name) if it has none)."""
    dot = name.rfind(".")
    return dot if 0 < dot < len(name) - 1 else len(name)


def candidate_files(root: Path, warnings: list[str]) -> list[Candidate]:
    if root.is_file():
        shown = display_name(root, root, False)
        return [Candidate(str(root), shown, sidecar_path(root).exists(), root.stem)]
    found: list[Candidate] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d not in _IGNORED_NAMES
        )
        names = set(filenames)
        folder = os.path.relpath(dirpath, root)
        # What os.path.join(folder or dirpath, name) gives, made once per folder: two
        # joins per file cost a cold start at 2,000 files a few milliseconds.
        inside = "" if folder == "." else os.path.join(folder, "")
        where = os.path.join(dirpath, "")
        for name in sorted(filenames):
            if name.startswith(".") or name in _IGNORED_NAMES or name.endswith(SIDECAR_SUFFIX):
                continue
            # As `str(path.relative_to(root))` would say it, bounded and printable.
            shown = safe_name(inside + name)
            at = _suffix_at(name)
            suffix = name[at:].lower()
            if suffix in BRIEFING_SUFFIXES:
                sidecar = name[:at] + SIDECAR_SUFFIX in names
                found.append(Candidate(where + name, shown, sidecar, name[:at]))
            else:
                kind = safe_name(suffix or "no suffix")
                warnings.append(
                    CorpusWarning(
                        f"skipped {shown}: not a .txt, .md or .rst briefing", "skipped", kind
                    )
                )
    return found


def display_name(root: Path, path: Path, in_folder: bool) -> str:
    """The file's name as shown to people: relative to the corpus, printable, bounded."""
    if not in_folder:
        return safe_name(path.name)
    try:
        return safe_name(str(path.relative_to(root)))
    except ValueError:
        return safe_name(str(path))


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(path.suffix)] + SIDECAR_SUFFIX)

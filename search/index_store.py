"""Where the index lives: built once per corpus version, shared safely between processes.

An index is a directory named by schema version and corpus fingerprint under the user cache
dir. It is built in a temporary directory and renamed into place, so a reader sees either
no index or a complete one; ten processes starting at once all succeed (the losers of the
rename race simply use the winner's index). Anything odd about an existing index means it
is moved aside and rebuilt, never trusted.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from partner_tui.search.model import Section
from partner_tui.search.schema import SCHEMA_VERSION, build_schema
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage

CACHE_ENV = "PARTNER_TUI_CACHE_DIR"
MARKER = "partner-tui-index.json"
_STALE_AFTER_SECONDS = 24 * 3600


@dataclass
class OpenedIndex:
    index: whoosh_index.Index
    location: Path | None  # None: held in memory
    built: bool
    warnings: list[str] = field(default_factory=list)


def default_cache_dir() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("partner-tui", appauthor=False))


def index_name(fingerprint: str) -> str:
    return f"s{SCHEMA_VERSION}-{fingerprint}"


def _documents(sections: Iterable[Section]) -> Iterable[dict]:
    for section in sections:
        yield {
            "id": section.id,
            "briefing": section.briefing_id,
            "pillar_id": section.pillar_id,
            "pillar": section.pillar,
            "title": section.title,
            "body": section.body,
            "words": f"{section.title}\n{section.body}",
            "path": list(section.path),
            "order": section.order,
        }


def _fill(ix: whoosh_index.Index, sections: list[Section]) -> None:
    writer = ix.writer(limitmb=256)
    try:
        for document in _documents(sections):
            writer.add_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def build_in_memory(sections: list[Section]) -> whoosh_index.Index:
    ix = RamStorage().create_index(build_schema())
    _fill(ix, sections)
    return ix


def _validate(directory: Path, fingerprint: str, expected_docs: int) -> whoosh_index.Index:
    """Open an existing index only if everything about it is as this version built it."""
    marker = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    if marker != {"schema": SCHEMA_VERSION, "fingerprint": fingerprint, "docs": expected_docs}:
        raise ValueError("index marker does not match")
    ix = whoosh_index.open_dir(str(directory))
    if sorted(ix.schema.names()) != sorted(build_schema().names()):
        raise ValueError("index schema does not match")
    if ix.doc_count() != expected_docs:
        raise ValueError("index document count does not match")
    return ix


def _move_aside(directory: Path, reason: str) -> None:
    trash = directory.with_name(f"{directory.name}.discarded-{os.getpid()}-{time.time_ns()}")
    try:
        directory.rename(trash)
    except FileNotFoundError:
        return  # another process already moved or replaced it
    shutil.rmtree(trash, ignore_errors=True)


def _build_on_disk(root: Path, final: Path, fingerprint: str, sections: list[Section]) -> bool:
    """Build in a temp dir and rename it into place; False if another process won the race."""
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=root))
    try:
        ix = whoosh_index.create_in(str(staging), build_schema())
        _fill(ix, sections)
        ix.close()
        marker = {"schema": SCHEMA_VERSION, "fingerprint": fingerprint, "docs": len(sections)}
        (staging / MARKER).write_text(json.dumps(marker), encoding="utf-8")
        try:
            staging.rename(final)
        except OSError:
            if final.exists():
                return False
            raise
        return True
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _prune_stale(root: Path, keep: str) -> None:
    """Drop indexes of older corpus versions that nobody has used for a day."""
    now = time.time()
    for entry in root.iterdir():
        if entry.name == keep:
            continue
        try:
            if now - entry.stat().st_mtime > _STALE_AFTER_SECONDS:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def open_index(
    sections: list[Section],
    fingerprint: str,
    cache_dir: Path | None = None,
    rebuild: bool = False,
) -> OpenedIndex:
    root = (cache_dir or default_cache_dir()) / "indexes"
    final = root / index_name(fingerprint)
    warnings: list[str] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _in_memory(sections, f"cache dir {root.parent} is not usable ({error})")

    if rebuild and final.exists():
        _move_aside(final, "rebuild requested")
    elif final.exists():
        try:
            ix = _validate(final, fingerprint, len(sections))
            os.utime(final)
            return OpenedIndex(ix, final, built=False)
        except Exception as error:  # any damage at all means: do not trust it
            warnings.append(f"index at {final} was unusable ({type(error).__name__}); rebuilt it")
            _move_aside(final, "corrupt")

    try:
        built = _build_on_disk(root, final, fingerprint, sections)
        ix = _validate(final, fingerprint, len(sections))
    except OSError as error:
        return _in_memory(sections, f"cannot write the index under {root} ({error})", warnings)
    _prune_stale(root, final.name)
    return OpenedIndex(ix, final, built=built, warnings=warnings)


def _in_memory(
    sections: list[Section], reason: str, warnings: list[str] | None = None
) -> OpenedIndex:
    notes = list(warnings or []) + [f"{reason}; using an in-memory index for this run"]
    return OpenedIndex(build_in_memory(sections), None, built=True, warnings=notes)

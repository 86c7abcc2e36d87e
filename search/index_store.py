"""Where the index lives: built once per corpus version, shared safely between processes.

An index is a directory named by schema version and corpus fingerprint under the user cache
dir. It is built in a temporary directory and renamed into place, so a reader sees either
no index or a complete one; ten processes starting at once all succeed (the losers of the
rename race simply use the winner's index). Anything odd about an existing index means it
is moved aside and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from partner_tui.search.model import Section
from partner_tui.search.schema import (
    SCHEMA_VERSION,
    SEARCH_FIELDS,
    build_schema,
    schema_signature,
)
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage
from whoosh.searching import Searcher

CACHE_ENV = "PARTNER_TUI_CACHE_DIR"
MARKER = "partner-tui-index.json"
_STALE_AFTER_SECONDS = 24 * 3600
_ROUNDS = 4


@dataclass
class OpenedIndex:
    index: whoosh_index.Index
    searcher: Searcher  # opened while validating: its open files outlive a later rename
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
            "title_words": section.title,
            "pillar_words": section.pillar,
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


def _marker(fingerprint: str, docs: int, digest: str) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "fingerprint": fingerprint,
        "docs": docs,
        "fields": schema_signature(build_schema()),
        "digest": digest,
    }


def _files_digest(directory: Path) -> str:
    """A hash of every index file as written, so damage anywhere is seen before Whoosh
    unpickles or trusts a byte of it (about 50 ms for 10k sections)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(directory.iterdir()):
        if path.name == MARKER or path.name.endswith("WRITELOCK"):
            continue
        digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def _validate(directory: Path, fingerprint: str, expected_docs: int) -> OpenedIndex:
    """Open an existing index only if everything about it is as this version built it."""
    marker = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    if marker != _marker(fingerprint, expected_docs, _files_digest(directory)):
        raise ValueError("index marker does not match")
    ix = whoosh_index.open_dir(str(directory))
    if schema_signature(ix.schema) != schema_signature(build_schema()):
        raise ValueError("index schema does not match")
    searcher = ix.searcher()
    try:
        # Damage often shows only when postings or stored fields are read: read some.
        if searcher.doc_count() != expected_docs:
            raise ValueError("index document count does not match")
        for docnum in {0, max(expected_docs - 1, 0)} if expected_docs else ():
            if "id" not in searcher.reader().stored_fields(docnum):
                raise ValueError("index stored fields are damaged")
        for fieldname in SEARCH_FIELDS:
            for term in itertools.islice(searcher.reader().lexicon(fieldname), 1):
                list(searcher.postings(fieldname, term).all_ids())
    except BaseException:
        searcher.close()
        raise
    return OpenedIndex(ix, searcher, directory, built=False)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _discard(path: Path) -> bool:
    """Move a path out of the way (atomically), then delete it; False if it cannot be."""
    trash = path.with_name(f".{path.name}.discarded-{os.getpid()}-{time.time_ns()}")
    try:
        path.rename(trash)
    except FileNotFoundError:
        return True  # another process already moved or replaced it
    except OSError:
        return False
    if trash.is_dir() and not trash.is_symlink():
        shutil.rmtree(trash, ignore_errors=True)
    else:
        trash.unlink(missing_ok=True)
    return True


def _build_on_disk(root: Path, final: Path, fingerprint: str, sections: list[Section]) -> bool:
    """Build in a temp dir and rename it into place; False if another process won the race."""
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=root))
    try:
        ix = whoosh_index.create_in(str(staging), build_schema())
        _fill(ix, sections)
        ix.close()
        marker = _marker(fingerprint, len(sections), _files_digest(staging))
        (staging / MARKER).write_text(json.dumps(marker), encoding="utf-8")
        try:
            staging.rename(final)
        except OSError:
            if os.path.lexists(final):
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
            if now - entry.lstat().st_mtime > _STALE_AFTER_SECONDS:
                _discard(entry)
        except OSError:
            continue


def open_index(
    sections: list[Section],
    fingerprint: str,
    cache_dir: str | os.PathLike[str] | None = None,
    rebuild: bool = False,
) -> OpenedIndex:
    root = Path(cache_dir or default_cache_dir()) / "indexes"
    final = root / index_name(fingerprint)
    warnings: list[str] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _in_memory(sections, f"cache dir {root.parent} is not usable ({error})")
    if rebuild and not _discard(final):
        return _in_memory(sections, f"cannot replace the index at {final}")

    built = False
    # Other processes may build, replace or discard the index at the same moment; each
    # round either opens a sound index or changes something, so a few rounds suffice.
    for _ in range(_ROUNDS):
        if os.path.lexists(final):
            identity = _identity(final)
            try:
                opened = _validate(final, fingerprint, len(sections))
            except Exception as error:  # any damage at all means: do not trust it
                if _identity(final) == identity and identity is not None:
                    reason = f"index at {final} was unusable ({type(error).__name__})"
                    if not _discard(final):
                        return _in_memory(sections, f"{reason} and cannot be replaced", warnings)
                    warnings.append(f"{reason}; rebuilt it")
                continue
            _touch(final)
            opened.built, opened.warnings = built, warnings
            _prune_stale(root, final.name)
            return opened
        try:
            built = _build_on_disk(root, final, fingerprint, sections) or built
        except OSError as error:
            return _in_memory(sections, f"cannot write the index under {root} ({error})", warnings)
    return _in_memory(sections, f"the index under {root} kept changing", warnings)


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only cache is still usable


def _in_memory(
    sections: list[Section], reason: str, warnings: list[str] | None = None
) -> OpenedIndex:
    notes = list(warnings or []) + [f"{reason}; using an in-memory index for this run"]
    ix = build_in_memory(sections)
    return OpenedIndex(ix, ix.searcher(), None, built=True, warnings=notes)

"""Versions of one corpus's index on disk: their names, the newest, who uses them, pruning.

Each version is a complete index in its own directory, `s{schema}-{corpus}-{generation}`,
never changed once renamed into place. A process that searches a version holds a shared
lock on the version's `in-use` file for as long as it has it open; a version that is not
the newest and whose `in-use` file can be locked exclusively is used by nobody and is
removed. Updates of one corpus are serialised on an exclusive lock of its own.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from partner_tui.search.schema import SCHEMA_VERSION

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: renames alone keep indexes whole
    fcntl = None  # type: ignore[assignment]

IN_USE = "in-use"
# Leftovers of another release or of a build killed half-way: gone once this old.
_STALE_AFTER_SECONDS = 24 * 3600
_GENERATION = re.compile(r"^s(?P<schema>[^-]+)-(?P<key>[0-9a-f]+)-(?P<gen>\d{8})$")


def version_name(key: str, generation: int) -> str:
    return f"s{SCHEMA_VERSION}-{key}-{generation:08d}"


def versions(root: Path, key: str) -> list[tuple[int, Path]]:
    """This corpus's versions under the current schema, newest first."""
    found = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return []
    for entry in entries:
        match = _GENERATION.match(entry.name)
        if match and match["schema"] == SCHEMA_VERSION and match["key"] == key:
            found.append((int(match["gen"]), Path(entry.path)))
    return sorted(found, reverse=True)


class UseMark:
    """A shared lock on a version's `in-use` file while this process has it open."""

    def __init__(self, directory: Path) -> None:
        # A file object, not a bare descriptor: should an engine be dropped unclosed, the
        # lock still goes with it.
        self._file: BinaryIO | None = None
        if fcntl is None:
            return
        try:
            handle = open(directory / IN_USE, "rb")  # noqa: SIM115 - held open on purpose
        except OSError:
            return  # not ours to mark (read-only, or being removed): renames still hold
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
        except OSError:
            handle.close()
            return
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


@contextlib.contextmanager
def update_lock(root: Path, key: str) -> Iterator[None]:
    """Held while one process makes the next version of this corpus's index."""
    if fcntl is None:
        yield
        return
    fd = os.open(root / f".s{SCHEMA_VERSION}-{key}.update-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def discard_if_unused(directory: Path) -> bool:
    """Remove a version no process holds open; True if it was removed."""
    if fcntl is None:
        return False
    try:
        fd = os.open(directory / IN_USE, os.O_RDONLY)
    except FileNotFoundError:  # not a version this code made, or half-removed
        return _age(directory) > _STALE_AFTER_SECONDS and discard(directory)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return discard(directory)  # still holding the lock: no one can start using it
    except OSError:
        return False
    finally:
        os.close(fd)


def discard(path: Path) -> bool:
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


def prune(root: Path) -> None:
    """Remove every version nobody uses that is not its corpus's newest, and leftovers."""
    newest: dict[tuple[str, str], int] = {}
    named: list[tuple[tuple[str, str], int, Path]] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        match = _GENERATION.match(entry.name)
        if match is None:
            if not entry.name.endswith(".update-lock"):
                if _age(Path(entry.path)) > _STALE_AFTER_SECONDS:
                    discard(Path(entry.path))
            continue
        corpus = (match["schema"], match["key"])
        generation = int(match["gen"])
        named.append((corpus, generation, Path(entry.path)))
        newest[corpus] = max(newest.get(corpus, -1), generation)
    for corpus, generation, path in named:
        old_schema = corpus[0] != SCHEMA_VERSION
        if generation < newest[corpus] or old_schema:
            discard_if_unused(path)


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0

"""Opening a user's bookmarks file: WAL mode, a busy timeout, the schema, and recovery.

A file that is not a usable bookmarks database (garbage, truncated, some other database,
a schema from a newer release) is renamed aside together with its -wal/-shm files and a
fresh file is started; the caller gets a warning naming where the old file went. A file
that is merely busy, read-only or in a folder we cannot write is never moved: that is an
error for now, not damage.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from partner_tui.tui.state.bookmark_salvage import salvage
from partner_tui.tui.state.bookmark_schema import SchemaError, migrate
from partner_tui.tui.state.moved_aside import move_aside

# Primary SQLite result codes (extended codes carry these in their low byte).
_SQLITE_ERROR = 1
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
COMPANION_SUFFIXES = ("-wal", "-shm")
_SQLITE_MAGIC = b"SQLite format 3\x00"


class BookmarkStoreError(Exception):
    """The bookmarks cannot be used right now (permissions, disk full, …). Nothing was moved."""


class BookmarkStoreBusy(BookmarkStoreError):
    """Another session held the bookmarks file locked for longer than the busy timeout."""


class _Unusable(Exception):
    """The file is not a bookmarks database we can use: move it aside and start afresh."""


def primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_busy(error: sqlite3.Error) -> bool:
    if primary_code(error) in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return True
    return "locked" in str(error) or "busy" in str(error)


def is_corrupt(error: sqlite3.Error) -> bool:
    return primary_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def store_error(error: sqlite3.Error, path: Path, doing: str) -> BookmarkStoreError:
    """The exception to raise for an sqlite3 error met while `doing` something."""
    if is_busy(error):
        return BookmarkStoreBusy(
            f"bookmarks {path} are locked by another session; try again in a moment"
        )
    return BookmarkStoreError(f"cannot {doing} bookmarks {path}: {error}")


def open_database(path: Path, timeout: float) -> tuple[sqlite3.Connection, list[str]]:
    """A ready connection (autocommit, WAL, current schema) and any warnings to show."""
    try:
        make_private_folder(path.parent)  # notes are private: 0700 folder, 0600 files
    except OSError as error:
        raise BookmarkStoreError(
            f"cannot create the bookmarks folder {path.parent}: {error.strerror or error}"
        ) from None
    with _opening_lock(path):
        try:
            return _prepare(path, timeout), []
        except _Unusable as problem:
            moved = _move_aside_with_companions(path)
            reason = problem
        try:
            connection = _prepare(path, timeout)
        except _Unusable as problem:  # a brand-new file should never get here
            raise BookmarkStoreError(
                f"cannot start a new bookmarks file {path}: {problem}"
            ) from None
        try:
            recovered = salvage(moved, connection)
        except sqlite3.Error:
            recovered = 0
    if recovered:
        plural = "s" if recovered != 1 else ""
        fresh = (
            f"a new bookmarks file was started with the {recovered} bookmark{plural} it could read"
        )
    else:
        fresh = "a new, empty bookmarks file was started"
    return connection, [
        f"the bookmarks file {path} could not be used ({reason}); "
        f"it was kept as {moved} and {fresh}"
    ]


def _prepare(path: Path, timeout: float) -> sqlite3.Connection:
    _check_header(path)
    try:
        # isolation_level=None: autocommit, every change is committed by the statement
        # itself; multi-step changes say BEGIN IMMEDIATE themselves.
        connection = sqlite3.connect(
            path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise store_error(error, path, "open") from None
    # Invalid UTF-8 in one row (quick_check does not look at text) would otherwise make
    # every read raise: show it with U+FFFD instead, and keep the others readable.
    connection.text_factory = _lenient_text
    # Look before writing anything: a file that turns out not to be ours is moved aside
    # byte for byte as we found it, so nothing may change it before it is recognised.
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _Unusable("it is damaged: " + "; ".join(problems[:3]))
    except sqlite3.Error as error:
        connection.close()
        if is_corrupt(error):
            raise _Unusable(f"it is damaged or not a database: {error}") from None
        raise store_error(error, path, "open") from None
    except _Unusable:
        connection.close()
        raise
    try:
        migrate(connection)  # refuses a foreign or newer file before it writes
    except SchemaError as error:
        connection.close()
        raise _Unusable(str(error)) from None
    except sqlite3.Error as error:
        connection.close()
        if is_corrupt(error):
            raise _Unusable(f"it is damaged or not a database: {error}") from None
        if primary_code(error) == _SQLITE_ERROR and not is_busy(error):
            # A step of the upgrade did not fit the tables found: not our schema.
            raise _Unusable(f"its tables do not match a bookmarks file: {error}") from None
        raise store_error(error, path, "open") from None
    try:
        # WAL: readers never block the writer, so two sessions of one user stay responsive.
        connection.execute("PRAGMA journal_mode = WAL")
        # FULL: a bookmark survives a power cut as well as a killed process; writes are
        # one per keystroke at most, so the fsync is affordable.
        connection.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as error:
        connection.close()
        raise store_error(error, path, "open") from None
    return connection


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _check_header(path: Path) -> None:
    """Refuse a file that is plainly not SQLite before SQLite sees it: on closing such a
    file SQLite deletes the -wal and -shm beside it, and those belong to the user too.
    A new file is made here, private to its owner (0600); SQLite gives its -wal and -shm
    the same mode."""
    try:
        info = path.stat()
    except FileNotFoundError:
        _create_private(path)
        return
    except OSError as error:
        raise BookmarkStoreError(
            f"cannot read the bookmarks file {path}: {error.strerror or error}"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        # A FIFO would block the open forever, a device would be read as a database.
        raise BookmarkStoreError(
            f"the bookmarks file {path} is not a regular file (it is a "
            f"{_kind(info.st_mode)}); move it away and try again"
        )
    if info.st_mode & 0o077 and info.st_uid == os.getuid():
        os.chmod(path, 0o600)  # made readable by others by an older release
    try:
        # O_NONBLOCK: should it have become a FIFO since the stat, do not wait on it.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(handle, "rb") as stream:
            head = stream.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as error:
        raise BookmarkStoreError(
            f"cannot read the bookmarks file {path}: {error.strerror or error}"
        ) from None
    if head and head != _SQLITE_MAGIC:
        raise _Unusable("it is not an SQLite database")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file"


def _create_private(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another session made it just now
    except OSError as error:
        raise BookmarkStoreError(
            f"cannot create the bookmarks file {path}: {error.strerror or error}"
        ) from None


def make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents 0700; narrow an existing one we own."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=0o700)
        except FileExistsError:
            pass
    info = folder.stat()
    if info.st_mode & 0o077 and info.st_uid == os.getuid():
        os.chmod(folder, 0o700)


def _move_aside_with_companions(path: Path) -> Path:
    """Rename the file and its -wal/-shm so the copy still opens as one database."""
    try:
        moved = move_aside(path)
        for suffix in COMPANION_SUFFIXES:
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(moved.with_name(moved.name + suffix))
    except OSError as error:
        raise BookmarkStoreError(
            f"the bookmarks file {path} cannot be used and could not be moved aside "
            f"({error.strerror or error}); it was left untouched"
        ) from None
    return moved


@contextmanager
def _opening_lock(path: Path) -> Iterator[None]:
    """Serialise opening between processes, so two sessions that find the same damaged
    file do not both move it (the second would move the fresh file the first started)."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; opening there is rarely concurrent
        yield
        return
    try:
        handle = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        # A folder we cannot write: SQLite will report the real problem.
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)

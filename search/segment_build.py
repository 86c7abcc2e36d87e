"""A full build on two cores: each half of the corpus written as segments by its own
process, then committed together in one table of contents. Building is pure Python, so
threads would take turns; a second process (`python -m partner_tui.search.segment_build
DIR`) gets the second half of the documents on its stdin (as marshal data, one by one,
sent by a thread while it builds), writes its segments into the same staging directory
and answers with them on its stdout, with progress counts on the way. The segments come
after this process's own, so document numbers keep the corpus's order and results rank
exactly as in a build by one process. Any trouble with the helper (it cannot start,
fails, answers something else) and this process writes its half as well: slower, never
wrong. Only full builds into a fresh staging directory come here; nothing else can see
the index before it is renamed into place.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Sequence

from partner_tui.search.posting_writer import MemorySegmentWriter
from partner_tui.search.reading_helper import usable_cores as _usable_cores
from whoosh.filedb.filestore import FileStorage

# Below this many sections a second process (~0.2 s to start and import) is not worth it.
PARALLEL_SECTIONS = 2000
# Postings held in memory before they are written out as a segment (about 60 bytes each
# with their terms): each process of a 10k-section build stays near 100 MiB.
SEGMENT_POSTINGS = 600_000
PROGRESS_EVERY = 100
# What the helper is sent of each document: `words` is the title, a newline and the
# body (see index_store), made again there rather than sent twice.
SENT_FIELDS = (
    "id",
    "source",
    "briefing",
    "pillar_id",
    "pillar",
    "title",
    "body",
    "title_words",
    "pillar_words",
)
_DONE = b"segments "
_HELPER_TEMP = ".helper-"

Counted = Callable[[int], None]
"""Told how many documents were written so far."""


def write_segments(ix, documents: Iterable[dict], counted: Counted | None = None) -> list:
    """Write the documents as new segments of `ix`, committing nothing; the segments."""
    segments = []
    writer = MemorySegmentWriter(ix, _lk=False)
    done = 0
    for document in documents:
        writer.add_document(**document)
        done += 1
        if writer.pool.postings > SEGMENT_POSTINGS:
            segments.append(writer.finish_segment())
            writer = MemorySegmentWriter(ix, _lk=False)
        if counted is not None and done % PROGRESS_EVERY == 0:
            counted(done)
    if writer._added:
        segments.append(writer.finish_segment())
    else:
        writer.cancel()
    return segments


def build_all(
    ix,
    sources: Sequence[tuple[str, int]],
    documents_of: Callable[[Sequence[str]], Iterable[dict]],
    progress: Callable[[int, int], None] | None,
    cores: int | None = None,
) -> None:
    """Add the documents of every (source, its number of documents) to the fresh index
    `ix` (on disk) and commit. Documents are made as they are written, not held."""
    total = sum(count for _, count in sources)
    cores = cores if cores is not None else _usable_cores()
    mine: list[str] = [name for name, _ in sources]
    theirs: list[str] = []
    helper = started = None
    if cores > 1 and total >= PARALLEL_SECTIONS:
        mine, theirs = _halves(sources, total)
        their_count = sum(count for _, count in sources[len(mine) :])
        helper = started = _Helper.start(ix.storage.folder, documents_of(theirs), their_count)
        if helper is None:
            mine, theirs = mine + theirs, []
    chosen = set(mine)
    my_count = sum(count for name, count in sources if name in chosen)

    def counted(done: int) -> None:
        if progress is not None:
            progress(done + (helper.done if helper is not None else 0), total)

    try:
        segments = write_segments(ix, documents_of(mine), counted)
        if helper is not None:
            their_segments = helper.finish()
            if their_segments is None:  # the helper failed: write its half here
                helper = None
                their_segments = write_segments(
                    ix, documents_of(theirs), lambda n: counted(my_count + n)
                )
            segments += their_segments
    finally:
        if started is not None:
            started.clear_up()
    writer = MemorySegmentWriter(ix)
    writer.commit_segments(segments)
    if progress is not None:
        progress(total, total)


def _halves(sources: Sequence[tuple[str, int]], total: int) -> tuple[list[str], list[str]]:
    """The sources split in order where half the documents are reached."""
    first: list[str] = []
    seen = 0
    for name, count in sources:
        if seen >= total / 2:
            break
        first.append(name)
        seen += count
    return first, [name for name, _ in sources[len(first) :]]


class _Helper:
    """The second process: its progress, read without waiting, and its segments."""

    def __init__(self, process: subprocess.Popen, folder: str) -> None:
        self.process = process
        self.folder = folder
        self._done = 0
        self._pending = b""
        self._answer: bytes | None = None
        self._feeder: threading.Thread | None = None

    @classmethod
    def start(cls, folder: str, documents: Iterable[dict], count: int) -> _Helper | None:
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", __name__, folder],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return None
        helper = cls(process, folder)
        assert process.stdout is not None
        os.set_blocking(process.stdout.fileno(), False)
        helper._feeder = threading.Thread(target=helper._feed, args=(documents, count))
        helper._feeder.start()
        return helper

    def _feed(self, documents: Iterable[dict], count: int) -> None:
        """Send the documents one by one as the helper takes them (a thread: the
        helper builds while they come, and neither process holds them all)."""
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(marshal.dumps(count))
            for document in documents:
                stdin.write(marshal.dumps(tuple(document.get(name) for name in SENT_FIELDS)))
        except Exception:
            # Whatever it was: the helper, sent less than it was told, fails, and this
            # process writes that half itself (meeting any error of its own again).
            pass
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    @property
    def done(self) -> int:
        """Documents the helper has written so far, as far as it said."""
        assert self.process.stdout is not None
        try:
            chunk = self.process.stdout.read()
        except OSError:
            chunk = None
        if chunk:
            self._take(chunk)
        return self._done

    def _take(self, chunk: bytes) -> None:
        self._pending += chunk
        while self._answer is None and b"\n" in self._pending:
            line, self._pending = self._pending.split(b"\n", 1)
            if line.startswith(_DONE):
                self._answer = line[len(_DONE) :]
            elif line.isdigit():
                self._done = int(line)

    def clear_up(self) -> None:
        """End the helper if it still runs, and remove what a helper that failed half
        way left (its temporary folder; stray segment files go with the commit)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self._feeder is not None:
            self._feeder.join()
        folder = self.folder
        for name in os.listdir(folder):
            if name.endswith(f"{_HELPER_TEMP}{self.process.pid}"):
                shutil.rmtree(os.path.join(folder, name), ignore_errors=True)

    def finish(self) -> list | None:
        """The helper's segments once it ends; None if it failed."""
        assert self.process.stdout is not None
        os.set_blocking(self.process.stdout.fileno(), True)
        rest = self.process.stdout.read()
        self._take(rest or b"")
        status = self.process.wait()
        if self._feeder is not None:
            self._feeder.join()
        if status != 0 or self._answer is None:
            return None
        try:
            segments = pickle.loads(bytes.fromhex(self._answer.decode("ascii")))
        except (ValueError, pickle.UnpicklingError, EOFError):
            return None
        return segments if isinstance(segments, list) else None


class _HelperStorage(FileStorage):
    """The index folder, with temporary files of the helper's own: Whoosh's writers keep
    theirs in one `<index>.tmp` folder and remove it when done, which would pull it away
    from under the other process's writer."""

    def temp_storage(self, name=None):
        return super().temp_storage(f"{name or 'temp'}{_HELPER_TEMP}{os.getpid()}")


def _document(row: tuple) -> dict:
    document = dict(zip(SENT_FIELDS, row, strict=True))
    document["words"] = f"{document['title']}\n{document['body']}"
    return document


def _serve(folder: str) -> int:
    """The helper process: documents from stdin as they come, segments (pickled, hex)
    to stdout."""
    given = sys.stdin.buffer
    count = marshal.load(given)
    if type(count) is not int:
        return 2
    # A short input (the sender failed) ends in EOFError: no answer, so no segments used.
    documents = (_document(marshal.load(given)) for _ in range(count))
    ix = _HelperStorage(folder).open_index()
    out = sys.stdout.buffer

    def counted(done: int) -> None:
        out.write(b"%d\n" % done)
        out.flush()

    segments = write_segments(ix, documents, counted)
    out.write(_DONE + pickle.dumps(segments).hex().encode("ascii") + b"\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_serve(sys.argv[1]))

"""The first reading of a big corpus on two cores: while this process reads the first half
of the files missing from the reader cache, a second process
(`python -m partner_tui.search.reading_helper`) reads the second half and answers with
its readings in the reader cache's own encoded form, which this process takes as cached
readings: compact (each briefing's texts stay one compressed blob until used), and
never parsed twice.

A briefing's id depends on the files before it (a repeated name gets `-2`, `-3`), which
the helper does not read: it is given the id each of its files gets if every file before
it turns out to be a briefing. A reading whose id turns out otherwise (an empty or
unreadable file came first) is read again here, as any cached reading would be. If the
helper cannot start, fails or answers something else, this process reads its files
itself: slower, never different.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

# Files to read below which a second process (~0.2 s to start and import) is not worth it.
READ_IN_HELPER = 300
# The helper's share of the bytes to read: a little under half, as it starts later.
HELPER_SHARE = 0.45

Wanted = tuple[str, str, str]
"""A file the helper reads: its path, its name as shown, the id it is to get."""


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _command() -> list[str]:
    return [sys.executable, "-m", __name__]


class ReadingHelper:
    """The second process, reading its files while this one reads its own."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process

    @classmethod
    def start(cls, root: str, files: Sequence[Wanted]) -> ReadingHelper | None:
        import subprocess  # here: every cold command imports this module, few start it

        try:
            process = subprocess.Popen(
                _command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return None
        helper = cls(process)
        assert process.stdin is not None
        try:
            process.stdin.write(marshal.dumps((root, tuple(files))))
            process.stdin.close()
        except OSError:
            helper.stop()
            return None
        return helper

    def readings(self) -> tuple:
        """The helper's readings (reader cache rows) once it is done; none if it failed."""
        assert self.process.stdout is not None
        try:
            answer = self.process.stdout.read()
        except OSError:
            answer = b""
        self.process.stdout.close()
        status = self.process.wait()
        if status != 0:
            return ()
        try:
            rows = marshal.loads(answer)
        except (EOFError, ValueError, TypeError):
            return ()
        return rows if type(rows) is tuple else ()

    def stop(self) -> None:
        """End the helper if it still runs (this process stopped reading early)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _serve() -> int:
    """The helper process: (root, files) from stdin, reader cache rows to stdout."""
    from pathlib import Path

    from partner_tui.search.briefing_codec import CodecError
    from partner_tui.search.corpus import collector_paused, read_file
    from partner_tui.search.reader_cache import encode_entry
    from partner_tui.search.slugs import SlugAllocator

    root, files = marshal.loads(sys.stdin.buffer.read())
    rows = []
    with collector_paused():
        for path, shown, briefing_id in files:
            entry = read_file(Path(root), Path(path), shown, briefing_id, SlugAllocator())
            if not entry.key:
                continue  # not readable: read (and reported) by the main process
            try:
                rows.append(encode_entry(shown, entry))
            except CodecError:
                continue
    sys.stdout.buffer.write(marshal.dumps(tuple(rows)))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_serve())

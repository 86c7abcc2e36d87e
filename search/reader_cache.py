"""What the readers made of each file, kept between runs so an unchanged corpus is not
re-read: one JSON file per corpus folder in the cache dir.

An entry is used only while its file's size, modification time, change time and inode
are what they were when it was read, the reader version is the same and the model has
the same fields; anything else about the cache file (damage, another format, another
corpus) means it is ignored and rewritten. Nothing in it is ever unpickled: it is JSON,
rebuilt into the model's own dataclasses only (section_codec). Writes go to a temporary
file that is renamed into place, so a reader never sees half a cache.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from partner_tui.search import section_codec
from partner_tui.search.cache_location import corpus_key
from partner_tui.search.corpus_warnings import CorpusWarning
from partner_tui.search.model import Briefing
from partner_tui.search.readers import READER_VERSION

FORMAT = 1
# A file changed this recently may change again within the file system's timestamp
# granularity without its size or times changing: such readings are used but not kept.
RACY_NANOSECONDS = 2_000_000_000
# A cache file larger than this is not read at all (it would be no faster than reading).
MAX_CACHE_BYTES = 1 << 30

StatKey = list[int]


def stat_key(path: Path) -> StatKey | None:
    """What must stay the same for a cached reading of `path` to stand."""
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


@dataclass
class FileEntry:
    """One file as read: its keys, a digest of its bytes, the briefing (or None when the
    file was skipped) and what was said about it."""

    key: StatKey
    sidecar: StatKey | None
    digest: str
    briefing: Briefing | None
    warnings: list[str] = field(default_factory=list)


class ReaderCache:
    """The cache file: a header line, then one JSON line per file, so a save rewrites
    only the lines of files read again and copies the others as they were."""

    def __init__(self, location: Path | None, root: Path) -> None:
        self.location = location
        self._root = str(root)
        self._entries: dict[str, FileEntry] = {}
        self._lines: dict[str, str] = {}  # source → its line as read or last written
        self._changed = False

    @classmethod
    def load(cls, cache_dir: Path | None, root: Path) -> ReaderCache:
        location = None
        if cache_dir is not None:
            location = cache_dir / "briefings" / f"{corpus_key(root)}.jsonl"
        cache = cls(location, root)
        if location is not None:
            cache._read()
        return cache

    def _header(self) -> str:
        return json.dumps([FORMAT, READER_VERSION, section_codec.model_signature(), self._root])

    def _read(self) -> None:
        assert self.location is not None
        try:
            if self.location.stat().st_size > MAX_CACHE_BYTES:
                return
            lines = self.location.read_text(encoding="utf-8").split("\n")
        except (OSError, ValueError):
            self._changed = True  # unreadable: replaced on the next save
            return
        if lines[0] != self._header():
            self._changed = True  # another version's or another corpus's
            return
        for line in lines[1:]:
            try:
                source, key, sidecar, digest, briefing, warnings = section_codec.loads(line)
                if briefing is not None and not isinstance(briefing, Briefing):
                    raise ValueError("not a briefing")
                entry = FileEntry(list(key), sidecar and list(sidecar), str(digest), briefing)
                entry.warnings = [CorpusWarning(str(t), str(k), str(d)) for t, k, d in warnings]
            except (TypeError, ValueError, RecursionError):
                self._changed = bool(line)  # a damaged line is dropped on the next save
                continue
            self._entries[str(source)] = entry
            self._lines[str(source)] = line

    def get(self, source: str, key: StatKey | None, sidecar: StatKey | None) -> FileEntry | None:
        entry = self._entries.get(source)
        if entry is None or key is None or entry.key != key or entry.sidecar != sidecar:
            return None
        return entry

    def put(self, source: str, entry: FileEntry) -> None:
        self._changed = True
        self._lines.pop(source, None)
        if not entry.key:
            self._entries.pop(source, None)  # unreadable now: read again next time
            return
        self._entries[source] = entry

    def keep_only(self, sources: set[str]) -> None:
        for gone in set(self._entries) - sources:
            del self._entries[gone]
            self._lines.pop(gone, None)
            self._changed = True

    def save(self) -> None:
        """Write the cache if anything changed; a cache that cannot be written is skipped."""
        if not self._changed or self.location is None:
            return
        lines = [self._header()]
        recent = time.time_ns() - RACY_NANOSECONDS
        for source, entry in self._entries.items():
            line = self._lines.get(source)
            if line is None and max(entry.key[1:3] or [0]) > recent:
                continue  # read again next time, when its times can be trusted
            if line is None:
                fields = (source, entry.key, entry.sidecar, entry.digest, entry.briefing)
                try:
                    said = [
                        [str(w), getattr(w, "kind", ""), getattr(w, "detail", "")]
                        for w in entry.warnings
                    ]
                    line = section_codec.dumps([*fields, said])
                except section_codec.CodecError:
                    continue  # something the codec cannot rebuild: read it each time
                self._lines[source] = line
            lines.append(line)
        temporary = None
        try:
            self.location.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=f".{self.location.name}.", dir=self.location.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write("\n".join(lines))
            os.replace(temporary, self.location)
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            return
        self._changed = False

"""What the readers made of each file, kept between runs so an unchanged corpus is not
re-read: one cache file per corpus folder in the cache dir.

An entry is used only while its file's size, modification time, change time and inode
are what they were when it was read, the reader version is the same and the model has
the same fields; anything else about the cache file (damage, another format, another
corpus) means it is ignored and rewritten. The file is a header line naming all that, a
digest line, then the entries as plain tuples in `marshal`'s format (briefing_codec),
which loads a 10k-section corpus several times faster than JSON. Only this code writes
it, in the user's own cache dir, and its digest is checked before a byte is decoded;
nothing in it is ever unpickled. Writes go to a temporary file renamed into place, so a
reader never sees half a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partner_tui.search import briefing_codec
from partner_tui.search.cache_location import corpus_key
from partner_tui.search.corpus_warnings import CorpusWarning
from partner_tui.search.model import Briefing
from partner_tui.search.readers import READER_VERSION

FORMAT = 3
# A file changed this recently may change again within the file system's timestamp
# granularity without its size or times changing: such readings are used but not kept.
RACY_NANOSECONDS = 2_000_000_000
# A cache file larger than this is not read at all (it would be no faster than reading).
MAX_CACHE_BYTES = 1 << 30

StatKey = list[int]


def stat_key(path: str | Path) -> StatKey | None:
    """What must stay the same for a cached reading of `path` to stand."""
    try:
        info = os.stat(path)
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
    """The cache file of one corpus. Entries read from it keep their encoded form, so a
    save re-encodes only the files read again."""

    def __init__(self, location: Path | None, root: Path) -> None:
        self.location = location
        self._root = str(root)
        self._entries: dict[str, FileEntry] = {}
        self._encoded: dict[str, tuple] = {}  # source → its entry as read or last written
        self._changed = False

    @classmethod
    def load(cls, cache_dir: Path | None, root: Path) -> ReaderCache:
        location = None
        if cache_dir is not None:
            location = cache_dir / "briefings" / f"{corpus_key(root)}.cache"
        cache = cls(location, root)
        if location is not None:
            cache._read()
        return cache

    def _header(self) -> bytes:
        fields = [FORMAT, READER_VERSION, briefing_codec.MODEL_SIGNATURE, self._root]
        return json.dumps(fields).encode() + b"\n"

    def _read(self) -> None:
        assert self.location is not None
        try:
            if self.location.stat().st_size > MAX_CACHE_BYTES:
                return
            data = self.location.read_bytes()
        except OSError:
            self._changed = True  # unreadable: replaced on the next save
            return
        header = self._header()
        digest_end = len(header) + 33
        payload = memoryview(data)[digest_end:]  # not a copy of 10 MB
        if (
            not data.startswith(header)
            or data[len(header) : digest_end] != _digest(payload) + b"\n"
        ):
            self._changed = True  # another version's, another corpus's, or damaged
            return
        try:
            rows = marshal.loads(payload)
            if type(rows) is not tuple:
                raise briefing_codec.CodecError("not a list of entries")
            for row in rows:
                source, entry = _decode_entry(row)
                self._entries[source] = entry
                self._encoded[source] = row
        except (EOFError, TypeError, ValueError, RecursionError):
            self._entries.clear()  # written by this code and intact, yet not as expected:
            self._encoded.clear()  # start afresh rather than trust any of it
            self._changed = True

    def forget_recent(self) -> None:
        """Drop readings of files changed within the racy window (see RACY_NANOSECONDS),
        before this cache, kept in memory, serves another load: they are never saved
        either, for the same reason."""
        recent = time.time_ns() - RACY_NANOSECONDS
        for source, entry in list(self._entries.items()):
            if max(entry.key[1:3] or [0]) > recent:
                del self._entries[source]
                self._encoded.pop(source, None)

    def get(self, source: str, key: StatKey | None, sidecar: StatKey | None) -> FileEntry | None:
        entry = self._entries.get(source)
        if entry is None or key is None or entry.key != key or entry.sidecar != sidecar:
            return None
        return entry

    def put(self, source: str, entry: FileEntry) -> None:
        self._changed = True
        self._encoded.pop(source, None)
        if not entry.key:
            self._entries.pop(source, None)  # unreadable now: read again next time
            return
        self._entries[source] = entry

    def put_compact(self, source: str, entry: FileEntry) -> FileEntry:
        """`put`, keeping the reading in the form it is cached in: the entry to use from
        now on, whose briefing makes its sections and texts on first use (as one loaded
        from the cache file does). For a big first reading: the full objects of every
        section and style run need not all live at once."""
        if not entry.key:
            self.put(source, entry)
            return entry
        try:
            row = encode_entry(source, entry)
        except briefing_codec.CodecError:
            self.put(source, entry)
            return entry
        self.put_encoded(row)
        return self._entries.get(source, entry)

    def put_encoded(self, row: tuple) -> None:
        """A reading made elsewhere (a helper process), in the form `save` writes; kept
        in that form too, unless its file changed too recently to be trusted (see `save`)."""
        try:
            source, entry = _decode_entry(row)
        except (briefing_codec.CodecError, TypeError, ValueError):
            return  # not as this code writes it: the file is simply read here
        if not entry.key:
            return
        self._changed = True
        self._entries[source] = entry
        if max(entry.key[1:3] or [0]) > time.time_ns() - RACY_NANOSECONDS:
            self._encoded.pop(source, None)
        else:
            self._encoded[source] = row

    def __len__(self) -> int:
        return len(self._entries)

    def keep_only(self, sources: set[str]) -> None:
        for gone in set(self._entries) - sources:
            del self._entries[gone]
            self._encoded.pop(gone, None)
            self._changed = True

    def save(self) -> None:
        """Write the cache if anything changed; a cache that cannot be written is skipped."""
        if not self._changed or self.location is None:
            return
        rows = []
        recent = time.time_ns() - RACY_NANOSECONDS
        for source, entry in self._entries.items():
            row = self._encoded.get(source)
            if row is None and max(entry.key[1:3] or [0]) > recent:
                continue  # read again next time, when its times can be trusted
            if row is None:
                try:
                    row = encode_entry(source, entry)
                except briefing_codec.CodecError:
                    continue  # something the codec cannot store: read it each time
                self._encoded[source] = row
            rows.append(row)
        payload = marshal.dumps(tuple(rows), briefing_codec.MARSHAL_VERSION)
        temporary = None
        try:
            self.location.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=f".{self.location.name}.", dir=self.location.parent
            )
            with os.fdopen(handle, "wb") as out:
                out.write(self._header() + _digest(payload) + b"\n" + payload)
            os.replace(temporary, self.location)
            with contextlib.suppress(OSError):  # the JSON cache of earlier versions
                self.location.with_suffix(".jsonl").unlink()
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            return
        self._changed = False


def _digest(payload: bytes | memoryview) -> bytes:
    # SHA-256 has hardware help on most CPUs: 11 MB in 8 ms where BLAKE2b took 20.
    return hashlib.sha256(payload).digest()[:16].hex().encode()


def encode_entry(source: str, entry: FileEntry) -> tuple:
    said = tuple(
        (str(w), str(getattr(w, "kind", "")), str(getattr(w, "detail", ""))) for w in entry.warnings
    )
    briefing = None if entry.briefing is None else briefing_codec.encode_briefing(entry.briefing)
    sidecar = None if entry.sidecar is None else tuple(entry.sidecar)
    return (source, tuple(entry.key), sidecar, entry.digest, briefing, said)


def _decode_entry(row: Any) -> tuple[str, FileEntry]:
    source, key, sidecar, digest, briefing, said = row
    if not isinstance(source, str) or not isinstance(digest, str):
        raise briefing_codec.CodecError("not a cache entry")
    decoded: Briefing | None = None
    if briefing is not None:
        decoded = briefing_codec.decode_briefing(briefing)
    entry = FileEntry([int(n) for n in key], sidecar and [int(n) for n in sidecar], digest, decoded)
    entry.warnings = [CorpusWarning(str(t), str(k), str(d)) for t, k, d in said]
    return source, entry

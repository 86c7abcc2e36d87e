"""Bookmarks read straight from the pages of a damaged SQLite file, without SQLite.

When a file is truncated or has a bad page, SQLite stops at the first page it cannot
follow, losing every row after it even where the pages that hold them survived. This
reads the file as the SQLite file format describes it (https://sqlite.org/fileformat.html):
every table leaf page, each cell's record, overflow chains where they still exist. It
yields rows shaped like the bookmarks table's; the caller keeps the plausible ones.
Linear in the file's size; pages on the freelist (deleted rows) are skipped where the
freelist can still be read.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

_MAGIC = b"SQLite format 3\x00"
_TABLE_LEAF = 0x0D
# Stored column order of the bookmarks table (tags were added last, by ALTER TABLE).
STORED_COLUMNS = 11
FILE_LIMIT = 256 * 1024 * 1024  # a bookmarks file this big is not one


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    value = 0
    for index in range(9):
        if offset + index >= len(data):
            raise ValueError("varint runs off the page")
        byte = data[offset + index]
        if index == 8:
            return (value << 8) | byte, offset + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, offset + index + 1
    raise ValueError("bad varint")


def _value(serial: int, data: bytes, offset: int) -> tuple[object, int]:
    sizes = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}
    if serial in sizes:
        size = sizes[serial]
        raw = data[offset : offset + size]
        if len(raw) != size:
            raise ValueError("value runs off the record")
        if serial == 0:
            return None, offset
        if serial == 7:
            return struct.unpack(">d", raw)[0], offset + size
        if serial in (8, 9):
            return serial - 8, offset
        return int.from_bytes(raw, "big", signed=True), offset + size
    if serial < 12:
        raise ValueError("reserved serial type")
    size = (serial - 12) // 2
    raw = data[offset : offset + size]
    if len(raw) != size:
        raise ValueError("value runs off the record")
    if serial % 2:
        return raw.decode("utf-8", "replace"), offset + size
    return raw, offset + size


def _record(payload: bytes) -> list[object]:
    header_size, offset = _varint(payload, 0)
    serials = []
    while offset < header_size:
        serial, offset = _varint(payload, offset)
        serials.append(serial)
    values, offset = [], header_size
    for serial in serials:
        value, offset = _value(serial, payload, offset)
        values.append(value)
    return values


class _File:
    def __init__(self, data: bytes) -> None:
        self.data = data
        size = int.from_bytes(data[16:18], "big")
        self.page_size = 65536 if size == 1 else size
        if self.page_size < 512 or self.page_size & (self.page_size - 1):
            raise ValueError("not a page size")
        self.usable = self.page_size - data[20]
        self.pages = len(data) // self.page_size

    def page(self, number: int) -> bytes | None:
        if not 1 <= number <= self.pages:
            return None
        start = (number - 1) * self.page_size
        return self.data[start : start + self.page_size]

    def free_pages(self) -> set[int]:
        free: set[int] = set()
        trunk = int.from_bytes(self.data[32:36], "big")
        while trunk and trunk not in free:
            page = self.page(trunk)
            if page is None:
                break
            free.add(trunk)
            count = min(int.from_bytes(page[4:8], "big"), (self.usable - 8) // 4)
            for index in range(count):
                at = 8 + 4 * index
                free.add(int.from_bytes(page[at : at + 4], "big"))
            trunk = int.from_bytes(page[:4], "big")
        return free

    def payload(self, page: bytes, cell: int) -> bytes:
        size, offset = _varint(page, cell)
        _, offset = _varint(page, offset)  # the rowid
        most_local = self.usable - 35
        if size <= most_local:
            return page[offset : offset + size]
        least = ((self.usable - 12) * 32 // 255) - 23
        local = least + (size - least) % (self.usable - 4)
        if local > most_local:
            local = least
        parts = [page[offset : offset + local]]
        following = int.from_bytes(page[offset + local : offset + local + 4], "big")
        remaining, seen = size - local, set()
        while remaining > 0:
            overflow = self.page(following)
            if overflow is None or following in seen:
                raise ValueError("overflow chain lost")
            seen.add(following)
            chunk = overflow[4 : 4 + min(remaining, self.usable - 4)]
            parts.append(chunk)
            remaining -= len(chunk)
            following = int.from_bytes(overflow[:4], "big")
        return b"".join(parts)

    def leaf_records(self) -> Iterator[list[object]]:
        free = self.free_pages()
        for number in range(1, self.pages + 1):
            if number in free:
                continue
            page = self.page(number)
            assert page is not None
            header = 100 if number == 1 else 0
            if page[header] != _TABLE_LEAF:
                continue
            cells = int.from_bytes(page[header + 3 : header + 5], "big")
            for index in range(cells):
                at = header + 8 + 2 * index
                pointer = int.from_bytes(page[at : at + 2], "big")
                try:
                    yield _record(self.payload(page, pointer))
                except (ValueError, IndexError, struct.error):
                    continue  # one damaged cell; its neighbours may be fine


def stored_rows(path: Path) -> list[list[object]]:
    """Records of 10 or 11 values (a bookmarks row before and after the tags column)
    from every readable table leaf page of `path`; [] if it is not an SQLite file."""
    try:
        with path.open("rb") as stream:
            data = stream.read(FILE_LIMIT)
    except OSError:
        return []
    if not data.startswith(_MAGIC) or len(data) < 100:
        return []
    try:
        database = _File(data)
    except ValueError:
        return []
    return [
        record
        for record in database.leaf_records()
        if len(record) in (STORED_COLUMNS - 1, STORED_COLUMNS)
    ]

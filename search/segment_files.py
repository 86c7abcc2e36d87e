"""The postings and term table of a segment, written straight from the in-memory pool.

Whoosh's field writer spends ~60 µs a term on objects and calls (a posting writer, a
term info, a file write per field of every block, a hash-table entry) where the bytes
themselves take a tenth of that; a 10k-section corpus has ~200k terms. This writes the
same format Whoosh's W3 codec writes (blocks of 128 postings, each a pickled info tuple and
a pickled, zlib-compressed data tuple; a term table entry of a packed term info), into
buffers written a megabyte at a time. Tests compare every posting and statistic with
an index Whoosh's own writer makes from the same documents.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from array import array
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC
from whoosh.util.numeric import length_to_byte

_BLOCK_LIMIT = 128  # the W3 codec's default: its readers take any, but keep its files
_COMPRESSION = 3
_FLUSH_BYTES = 1 << 20
_NO_ID = 0xFFFFFFFF
_TERM_INFO = struct.Struct("!BfIBBfII")  # W3TermInfo's, followed by offset and length
_EXTENT = struct.Struct("!qi")
_ENTRY_LENGTHS = struct.Struct("!ii")  # the hash file's key and value lengths
_FIELD_ID = struct.Struct("!H")
_BLOCK_LENGTH = struct.Struct("!i")
_ZERO = array("I", [0])
_FLOAT32 = struct.Struct("f")


class _Output:
    """Bytes bound for a file, with the file offset the next byte will have."""

    def __init__(self, structfile) -> None:
        self.file = structfile
        self.buffer = bytearray()
        self.written = structfile.tell()

    def offset(self) -> int:
        return self.written + len(self.buffer)

    def flush(self, force: bool = False) -> None:
        if self.buffer and (force or len(self.buffer) >= _FLUSH_BYTES):
            self.file.write(bytes(self.buffer))
            self.written += len(self.buffer)
            self.buffer.clear()


def write_terms(fieldwriter, schema, fields: dict[str, list], lengths_of) -> None:
    """Write every field's terms: `fields` maps a field name to its sorted
    `(btext, postings)` rows, the postings either `(docnums, weights, values)` (docnums
    ascending) or one posting `(docnum, weight, value)`; `lengths_of(fieldname)` gives
    each document's length in that field (a list by document number)."""
    table = fieldwriter._tindex
    postings, terms = _Output(fieldwriter._postfile), _Output(table.dbfile)
    buckets, index = table.buckets, table.index
    md5 = hashlib.md5
    key = b""
    for fieldname in sorted(fields):
        fieldobj = schema[fieldname]
        fieldwriter.start_field(fieldname, fieldobj)
        prefix = _FIELD_ID.pack(fieldwriter._fieldid)
        fixed = fieldobj.format.fixed_value_size()
        lengths = lengths_of(fieldname)
        for btext, entry in fields[fieldname]:
            start = postings.offset()
            first, second, third = entry
            if type(first) is int:
                info = _write_one(postings.buffer, first, second, third, lengths, fixed)
            else:
                info = _write_postings(postings.buffer, first, second, third, lengths, fixed)
            value = info + _EXTENT.pack(start, postings.offset() - start)
            postings.flush()
            key = prefix + btext
            position = terms.offset()
            index.append(position)
            terms.buffer += _ENTRY_LENGTHS.pack(len(key), len(value))
            terms.buffer += key
            terms.buffer += value
            hashed = int(md5(key, usedforsecurity=False).hexdigest(), 16) & 0xFFFFFFFF
            buckets[hashed & 255].append((hashed, position))
            terms.flush()
        fieldwriter.finish_field()
    postings.flush(force=True)
    terms.flush(force=True)
    table.lastkey = key


def _compress(data: bytes) -> bytes:
    """zlib at Whoosh's level, with a window just big enough for the block: the same
    stream format and size, but zlib.compress's default 32 KiB window and tables cost
    ~20 µs to set up for each of ~100k small blocks, several times the compressing."""
    window = max(9, min(15, len(data).bit_length()))
    compressor = zlib.compressobj(_COMPRESSION, zlib.DEFLATED, window)
    return compressor.compress(data) + compressor.flush()


def _length_byte(length: int | None) -> int:
    if length is None:
        return 0
    return _LENGTH_BYTES[length] if length < len(_LENGTH_BYTES) else length_to_byte(length)


_LENGTH_BYTES = [length_to_byte(length) for length in range(4096)]


def _write_one(
    out: bytearray, docnum: int, weight: float, value: bytes, lengths: list, fixed
) -> bytes:
    """What `_write_postings` writes for a term with one posting (four terms in ten),
    without making arrays for it."""
    stored_weight = _FLOAT32.unpack(_FLOAT32.pack(weight))[0]  # as Whoosh's block keeps it
    mini_weights = None if stored_weight == 1.0 else stored_weight
    if fixed is None or fixed < 0:
        mini_values: object = (value,) if value else ()
    elif fixed == 0:
        mini_values = None
    else:
        mini_values = value or b""
    data = dumps(((docnum,), mini_weights, mini_values), 2)
    level = _COMPRESSION if len(data) >= COMPRESSION_MIN_SIZE else 0
    if level:
        data = _compress(data)
    length = lengths[docnum] or None
    heaviest = max(0, weight)
    length_byte = _length_byte(length)
    info = dumps((1, docnum, heaviest, level, length_byte, length_byte), 2)
    out += WHOOSH3_HEADER_MAGIC
    out += _BLOCK_LENGTH.pack(-(len(info) + len(data)))
    out += info
    out += data
    return _TERM_INFO.pack(
        False, 0.0 + stored_weight, 1, length_byte, length_byte, heaviest, docnum, docnum
    )


def _write_postings(
    out: bytearray, docnums: array, weights: array, values: list, lengths: list, fixed
) -> bytes:
    """Append one term's blocks to `out`; its term info's packed statistics.
    Written with C-level helpers (map, filter, array methods): it runs for every term."""
    total_weight = 0.0
    shortest: int | None = None
    longest = 0
    heaviest: float = 0
    count = len(docnums)
    out += WHOOSH3_HEADER_MAGIC
    for begin in range(0, count, _BLOCK_LIMIT):
        end = begin + _BLOCK_LIMIT
        if count <= _BLOCK_LIMIT:
            ids, doubles, block_values = docnums, weights, values
        else:
            ids, doubles, block_values = docnums[begin:end], weights[begin:end], values[begin:end]
        size = len(ids)
        # Whoosh keeps a block's weights as 32-bit floats, its maximum from the doubles.
        block_weights = array("f", doubles)
        block_heaviest = max(0, max(doubles))
        found = list(filter(None, map(lengths.__getitem__, ids)))
        block_shortest = min(found) if found else None
        block_longest = max(found) if found else 0
        gaps = tuple(map(sub, ids, _ZERO + ids[:-1]))
        first = block_weights[0]
        if block_weights.count(1.0) == size:
            mini_weights: object = None
        elif block_weights.count(first) == size:
            mini_weights = first
        else:
            mini_weights = tuple(block_weights)
        if fixed is None or fixed < 0:
            mini_values: object = tuple(filter(None, block_values))
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = b"".join(filter(None, block_values))
        data = dumps((gaps, mini_weights, mini_values), 2)
        level = _COMPRESSION if len(data) >= COMPRESSION_MIN_SIZE else 0
        if level:
            data = _compress(data)
        info = dumps(
            (
                size,
                ids[-1],
                block_heaviest,
                level,
                _length_byte(block_shortest),
                _length_byte(block_longest),
            ),
            2,
        )
        stored = len(info) + len(data)
        out += _BLOCK_LENGTH.pack(-stored if end >= count else stored)
        out += info
        out += data

        total_weight += sum(block_weights)
        if shortest is None:
            shortest = block_shortest
        elif block_shortest is not None:
            shortest = min(shortest, block_shortest)
        if block_longest > longest:
            longest = block_longest
        if block_heaviest > heaviest:
            heaviest = block_heaviest
    return _TERM_INFO.pack(
        False,
        total_weight,
        count,
        _length_byte(shortest),
        _length_byte(longest),
        heaviest,
        docnums[0] if count else _NO_ID,
        docnums[-1] if count else _NO_ID,
    )

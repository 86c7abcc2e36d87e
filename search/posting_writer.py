"""A Whoosh segment writer that keeps postings in memory and writes them term by term.

Whoosh's own writer pickles every posting (field, term, document, weight, value) into
sorted runs on disk, merges the runs back and then hands the codec one posting at a
time; at 10k sections that was two thirds of a build. This writer collects each term's
postings in compact arrays as documents are added (documents come in number order, so
each term's postings are already sorted), sorts only the terms, and fills the codec's
blocks a block at a time. The files written are the same format, read by Whoosh's
own readers; a test compares every posting with an index written by Whoosh's writer.

Segments are written as separate files (see MemorySegmentWriter). The pool grows with
the index (about 20 bytes a posting): callers start a new segment when `pool.postings`
passes their bound (see index_store).
"""

from __future__ import annotations

from array import array
from typing import Any

from partner_tui.search.segment_files import write_terms
from whoosh.writing import SegmentWriter

Postings = tuple[array, array, list]
"""One term's (docnums, weights, encoded values), in the order they were added."""
# A term with one posting so far is kept as that posting, (docnum, weight, value): four
# in ten terms never get a second, and three containers each cost ~300 bytes more.
Entry = Postings | tuple[int, float, bytes]


def postings_of(entry: Entry) -> Postings:
    if type(entry[0]) is int:
        return array("I", (entry[0],)), array("d", (entry[1],)), [entry[2]]
    return entry  # type: ignore[return-value]


class MemoryPostingPool:
    """Stands in for Whoosh's PostingPool: per field, per term, its postings."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, Entry]] = {}
        self.postings = 0
        self.unsorted = False  # a posting came with a lower number than its term's last

    def add(self, item: tuple) -> None:
        fieldname, btext, docnum, weight, value = item
        self.add_to(self.fields.setdefault(fieldname, {}), btext, docnum, weight, value)

    def add_to(self, terms: dict, btext: bytes, docnum: int, weight: float, value) -> None:
        entry = terms.get(btext)
        if entry is None:
            terms[btext] = (docnum, weight, value)
        else:
            entry = terms[btext] = postings_of(entry)
            if docnum <= entry[0][-1]:
                self.unsorted = True
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(value)
        self.postings += 1

    def iter_postings(self):
        """Every posting in order, as Whoosh's pool gives them (for its own callers)."""
        for fieldname, terms in sorted(self.fields.items()):
            for btext, entry in sorted(terms.items()):
                docnums, weights, values = postings_of(entry)
                for posting in sorted(zip(docnums, weights, values, strict=True)):
                    yield (fieldname, btext, *posting)

    def cleanup(self) -> None:
        self.fields = {}


class MemorySegmentWriter(SegmentWriter):
    """SegmentWriter with the in-memory pool and block-at-a-time posting writes."""

    def __init__(self, ix, **kwargs: Any) -> None:
        # Separate files, not one compound file per segment: this Whoosh reads a part of a
        # compound file by copying it whole into memory (the postings of a 10k-section
        # corpus: ~100 MB more for every process that searches).
        kwargs.setdefault("compound", False)
        super().__init__(ix, **kwargs)
        self.pool.cleanup()  # Whoosh's own pool: nothing in it yet
        self.pool = MemoryPostingPool()

    def add_document(self, **fields: Any) -> None:
        """Whoosh's add_document for what partner-tui's schema uses (no boosts, spelling
        or vectors: those go through Whoosh's own), with the pool's add inlined: it ran
        once per posting, two million times for 10k sections."""
        schema = self.schema
        if any(name.startswith("_") for name in fields) or any(
            schema[name].separate_spelling() or schema[name].vector
            for name in fields
            if name in schema
        ):
            super().add_document(**fields)
            return
        self._check_state()
        names = sorted(fields)
        self._check_fields(schema, names)
        pool = self.pool
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        added = 0
        try:
            for fieldname in names:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    terms = pool.fields.get(fieldname)
                    if terms is None:
                        terms = pool.fields[fieldname] = {}
                    plain = getattr(field, "plain_postings", None)
                    if plain is not None and type(value) is str and plain():
                        length, found = field.postings(value)
                        # Each term once per document, and documents in number order:
                        # every posting goes at the end of its term's.
                        for btext, _, weight, encoded in found:
                            entry = terms.get(btext)
                            if entry is None:
                                terms[btext] = (docnum, weight, encoded)
                            elif type(entry[0]) is int:
                                terms[btext] = (
                                    array("I", (entry[0], docnum)),
                                    array("d", (entry[1], weight)),
                                    [entry[2], encoded],
                                )
                            else:
                                entry[0].append(docnum)
                                entry[1].append(weight)
                                entry[2].append(encoded)
                        added += len(found)
                    else:
                        for btext, freq, weight, encoded in field.index(value):
                            length += freq
                            pool.add_to(terms, btext, docnum, weight, encoded)  # counts it
                    if not field.scorable:
                        length = 0
                perdoc.add_field(fieldname, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(fieldname, column, field.to_column_value(value))
        except ValueError:
            perdoc.cancel_doc()
            raise
        finally:
            pool.postings += added
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def finish_segment(self):
        """Write what was added as a segment of its own, committing nothing: the segment,
        for `commit_segments` (of this process's writer or another's)."""
        segment = self._finalize_segment()
        self._tempstorage.destroy()
        self.is_closed = True
        return segment

    def commit_segments(self, segments: list) -> None:
        """Make the index its own segments followed by `segments`, in one table of
        contents (this writer must hold the index's lock and have nothing added)."""
        self._check_state()
        try:
            self._close_segment()
            self._commit_toc([*self.segments, *segments])
        except Exception:
            self._cleanup_on_error()
            raise
        self._finish()

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            _write_terms(self.fieldwriter, self.schema, lengths, self.pool, self.docnum)
        finally:
            self.fieldwriter.close()
            if lengths is not None:
                lengths.close()


def _write_terms(fieldwriter, schema, lengths, pool: MemoryPostingPool, doc_count: int) -> None:
    """Every term of the pool, grouped by field and sorted, through segment_files."""
    by_field: dict[str, list] = {}
    for fieldname, terms in pool.fields.items():
        if pool.unsorted:
            terms = {btext: _sorted_postings(*postings_of(e)) for btext, e in terms.items()}
        by_field[fieldname] = sorted(terms.items(), key=_first)
    write_terms(
        fieldwriter, schema, by_field, lambda name: _field_lengths(lengths, name, doc_count)
    )


def _first(row: tuple) -> bytes:
    return row[0]


def _field_lengths(lengths, fieldname: str, doc_count: int) -> list:
    if lengths is None:
        return [0] * doc_count
    length_of = lengths.doc_field_length_reader(fieldname)
    return [length_of(docnum) for docnum in range(doc_count)]


def _sorted_postings(docnums: array, weights: array, values: list) -> tuple[array, array, list]:
    order = sorted(range(len(docnums)), key=docnums.__getitem__)
    return (
        array("I", (docnums[i] for i in order)),
        array("d", (weights[i] for i in order)),
        [values[i] for i in order],
    )

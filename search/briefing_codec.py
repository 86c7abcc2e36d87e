"""Briefings to flat tuples of plain values and back, for the reader cache.

Each dataclass becomes the tuple of its fields in definition order (a briefing's
sections and a section's style runs nested the same way), so a field added to the model
flows through without a change here, and `MODEL_SIGNATURE` (the classes' field names)
keeps data written for another shape of the model from ever being read into this one.
Only plain values (str, int, bool, None, tuples) come out, so the cache can store them
with `marshal`, whose loads are several times faster than JSON's for a large corpus.
Decoding checks the shape of every value it rebuilds and raises CodecError otherwise.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from typing import Any

from partner_tui.search.model import Briefing, Section, StyleRun


class CodecError(ValueError):
    """A value that is not what `encode_briefing` makes."""


_RUN_FIELDS = StyleRun._fields
_SECTION_FIELDS = tuple(f.name for f in dataclasses.fields(Section))
_BRIEFING_FIELDS = tuple(f.name for f in dataclasses.fields(Briefing))
_RUNS_AT = _SECTION_FIELDS.index("runs")
_SECTIONS_AT = _BRIEFING_FIELDS.index("sections")
_METADATA_AT = _BRIEFING_FIELDS.index("metadata")
# A named tuple's own `_make` without its checks, called from C: runs are the most
# numerous objects in a corpus.
_new_run = functools.partial(tuple.__new__, StyleRun)

MODEL_SIGNATURE = hashlib.blake2b(
    repr((_RUN_FIELDS, _SECTION_FIELDS, _BRIEFING_FIELDS)).encode(), digest_size=12
).hexdigest()
"""Changes whenever a field of the cached classes is added, removed or moved."""


def encode_briefing(briefing: Briefing) -> tuple:
    values = [getattr(briefing, name) for name in _BRIEFING_FIELDS]
    values[_SECTIONS_AT] = tuple(_encode_section(s) for s in briefing.sections)
    values[_METADATA_AT] = tuple(briefing.metadata.items())
    return _plain(tuple(values))


def _encode_section(section: Section) -> tuple:
    values = [getattr(section, name) for name in _SECTION_FIELDS]
    values[_RUNS_AT] = tuple(tuple(run) for run in section.runs)
    return tuple(values)


def _plain(value: Any) -> Any:
    """`value` itself if it holds only plain values; CodecError otherwise."""
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is tuple:
        for item in value:
            _plain(item)
        return value
    raise CodecError(f"cannot cache a {type(value).__name__}")


def decode_briefing(values: Any) -> Briefing:
    """The briefing `encode_briefing` made these values from."""
    _expect(values, len(_BRIEFING_FIELDS))
    fields = list(values)
    sections = fields[_SECTIONS_AT]
    _expect(sections)
    fields[_SECTIONS_AT] = tuple(_decode_section(s) for s in sections)
    metadata = fields[_METADATA_AT]
    _expect(metadata)
    for pair in metadata:
        _expect(pair, 2)
    fields[_METADATA_AT] = dict(metadata)
    return Briefing(*fields)


def _decode_section(values: Any) -> Section:
    _expect(values, len(_SECTION_FIELDS))
    fields = list(values)
    runs = fields[_RUNS_AT]
    _expect(runs)
    width = len(_RUN_FIELDS)
    made = tuple(map(_new_run, runs))  # a named tuple's own `_make`, without its checks
    if any(len(run) != width for run in made):
        raise CodecError("not a cached style run")
    fields[_RUNS_AT] = made
    return Section(*fields)


def _expect(value: Any, length: int | None = None) -> None:
    if type(value) is not tuple or (length is not None and len(value) != length):
        raise CodecError("not a cached briefing")

"""Briefings to flat tuples of plain values and back, for the reader cache.

Each dataclass becomes the tuple of its fields in definition order (a briefing's
sections and a section's style runs nested the same way), so a field added to the model
flows through without a change here, and `MODEL_SIGNATURE` (the classes' field names)
keeps data written for another shape of the model from ever being read into this one.
Only plain values (str, int, bool, None, tuples) come out, so the cache can store them
with `marshal`, whose loads are several times faster than JSON's for a large corpus.
Decoding checks the shape of every value it rebuilds and raises CodecError otherwise.

A briefing's sections are stored in two parts: their outlines (ids, titles, order) as
tuples, and their texts (bodies and style runs) as one zlib-compressed marshal blob per
briefing. Both are decoded on first use: the sections when the briefing's `sections` are
first asked for (Briefing.__getattr__), the texts when a section's body or runs are
(Section.__getattr__). A cold `show` over 10k sections makes one briefing's sections, a
cold search those of the briefings it prints; making them all cost a third of a second
with the texts, a tenth without. Shapes are checked as each part is decoded (CodecError).
The blob and the outlines sit inside the cache file's digest, so they are as trusted as
the rest.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import marshal
import zlib
from collections.abc import Sequence
from typing import Any

from partner_tui.search.model import Briefing, Section, StyleRun


class CodecError(ValueError):
    """A value that is not what `encode_briefing` makes."""


_RUN_FIELDS = StyleRun._fields
_SECTION_FIELDS = tuple(f.name for f in dataclasses.fields(Section))
_BRIEFING_FIELDS = tuple(f.name for f in dataclasses.fields(Briefing))
_TEXT_FIELDS = ("body", "runs")
_OUTLINE_FIELDS = tuple(name for name in _SECTION_FIELDS if name not in _TEXT_FIELDS)
_SECTIONS_AT = _BRIEFING_FIELDS.index("sections")
_ID_AT = _OUTLINE_FIELDS.index("id")
_PATH_AT = _OUTLINE_FIELDS.index("path")
_METADATA_AT = _BRIEFING_FIELDS.index("metadata")
# A named tuple's own `_make` without its checks, called from C: runs are the most
# numerous objects in a corpus.
_new_run = functools.partial(tuple.__new__, StyleRun)

_new_section = functools.partial(object.__new__, Section)
# marshal's own format version, fixed so another Python writes what this one reads.
MARSHAL_VERSION = 4

MODEL_SIGNATURE = hashlib.blake2b(
    repr(("outline+zlib texts", _RUN_FIELDS, _SECTION_FIELDS, _BRIEFING_FIELDS)).encode(),
    digest_size=12,
).hexdigest()
"""Changes whenever a field of the cached classes is added, removed or moved."""


def encode_briefing(briefing: Briefing) -> tuple:
    values = [getattr(briefing, name) for name in _BRIEFING_FIELDS]
    outlines = tuple(
        tuple(getattr(section, name) for name in _OUTLINE_FIELDS) for section in briefing.sections
    )
    texts = tuple(
        (section.body, tuple(tuple(run) for run in section.runs)) for section in briefing.sections
    )
    # Compressed (fast level): a cold start reads, digests and copies a third of the
    # bytes, and touches that much less memory; a briefing's texts inflate in ~1 ms.
    blob = zlib.compress(marshal.dumps(_plain(texts), MARSHAL_VERSION), 1)
    values[_SECTIONS_AT] = (_plain(outlines), blob)
    values[_METADATA_AT] = tuple(briefing.metadata.items())
    return _plain(tuple(values))


def _plain(value: Any) -> Any:
    """`value` itself if it holds only plain values; CodecError otherwise."""
    if value is None or type(value) in (str, int, bool, bytes):
        return value
    if type(value) is tuple:
        for item in value:
            _plain(item)
        return value
    raise CodecError(f"cannot cache a {type(value).__name__}")


def decode_briefing(values: Any) -> Briefing:
    """The briefing `encode_briefing` made these values from; its sections are made on
    first use, their texts on first use of one of them."""
    _expect(values, len(_BRIEFING_FIELDS))
    fields = list(values)
    sections = fields[_SECTIONS_AT]
    _expect(sections, 2)
    outlines, texts = sections
    _expect(outlines)
    if type(texts) is not bytes:
        raise CodecError("not a cached briefing")
    metadata = fields[_METADATA_AT]
    _expect(metadata)
    for pair in metadata:
        _expect(pair, 2)
    fields[_METADATA_AT] = dict(metadata)
    briefing = object.__new__(Briefing)
    attributes = briefing.__dict__
    attributes.update(zip(_BRIEFING_FIELDS, fields, strict=True))
    del attributes["sections"]
    attributes["_make_sections"] = _SectionsMaker(briefing, outlines, _TextsFiller(texts, briefing))
    return briefing


class _SectionsMaker:
    """Makes a briefing's sections from their outlines, once (see Briefing.__getattr__)."""

    def __init__(self, briefing: Briefing, outlines: tuple, fill: _TextsFiller) -> None:
        self.briefing = briefing
        self.outlines = outlines
        self.fill = fill

    def places(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each section's (id, path), as the sections would have them (Briefing.places)."""
        width = len(_OUTLINE_FIELDS)
        found = []
        for outline in self.outlines:
            if type(outline) is not tuple or len(outline) != width:
                raise CodecError("not a cached section")
            found.append((outline[_ID_AT], outline[_PATH_AT]))
        return found

    def __call__(self) -> None:
        # (zip needs no `strict`: the length is checked just before; dropping it and the
        # method lookup per section saves a quarter of this loop.)
        names, width, new, fill = _OUTLINE_FIELDS, len(_OUTLINE_FIELDS), _new_section, self.fill
        made: list[Section] = []
        append = made.append
        for outline in self.outlines:
            if type(outline) is not tuple or len(outline) != width:
                raise CodecError("not a cached section")
            section = new()
            attributes = section.__dict__
            attributes.update(zip(names, outline))  # noqa: B905
            attributes["_fill"] = fill
            append(section)
        # Two threads may make them at once: the first to store its tuple wins, and
        # everyone gets that one (setdefault is atomic).
        attributes = self.briefing.__dict__
        attributes.setdefault("sections", tuple(made))
        attributes.pop("_make_sections", None)


def bodies(sections: Sequence[Section]) -> list[str]:
    """The sections' bodies; for one briefing's sections whose texts are not decoded yet,
    decoded without being kept (an index build reads every body once: keeping them, and
    every style run with them, cost a 10k-section build ~30 MB)."""
    fill = sections[0].__dict__.get("_fill") if sections else None
    if fill is None or any(section.__dict__.get("_fill") is not fill for section in sections):
        return [section.body for section in sections]
    texts = fill.decoded()
    if len(texts) != len(sections):
        raise CodecError("not a cached section text")
    return [body for body, _ in texts]


class _TextsFiller:
    """Gives a briefing's sections their bodies and runs, from its blob, once."""

    def __init__(self, texts: bytes, briefing: Briefing) -> None:
        self.briefing = briefing
        self.texts = texts

    def decoded(self) -> list[tuple[str, tuple[StyleRun, ...]]]:
        """Every section's (body, runs), checked."""
        try:
            texts = marshal.loads(zlib.decompress(self.texts))
        except (EOFError, TypeError, ValueError, zlib.error) as error:
            raise CodecError("not a cached section text") from error
        _expect(texts)
        width = len(_RUN_FIELDS)
        found = []
        for pair in texts:
            _expect(pair, 2)
            body, runs = pair
            _expect(runs)
            made = tuple(map(_new_run, runs))  # a named tuple's `_make`, without checks
            if type(body) is not str or any(len(run) != width for run in made):
                raise CodecError("not a cached section text")
            found.append((body, made))
        return found

    def __call__(self) -> None:
        # Two threads may fill the same briefing at once: both write the same values,
        # and `_fill` goes only after every section has its texts.
        texts = self.decoded()
        sections = self.briefing.sections
        if len(texts) != len(sections):
            raise CodecError("not a cached section text")
        for section, (body, runs) in zip(sections, texts, strict=True):
            section.__dict__["body"] = body
            section.__dict__["runs"] = runs
        for section in sections:
            section.__dict__.pop("_fill", None)


def _expect(value: Any, length: int | None = None) -> None:
    if type(value) is not tuple or (length is not None and len(value) != length):
        raise CodecError("not a cached briefing")

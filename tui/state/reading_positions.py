"""Where each section was being read: the offset of the first character on screen.

Offsets, not line numbers, so a position survives a different terminal width (the
lines wrap differently; the text does not). Bounded: the least recently read sections
are forgotten first.
"""

from __future__ import annotations

POSITIONS_LIMIT = 200


class ReadingPositions:
    def __init__(self, saved: dict[str, int] | None = None) -> None:
        self._offsets: dict[str, int] = {}
        for section_id, offset in (saved or {}).items():
            if isinstance(section_id, str) and isinstance(offset, int) and offset > 0:
                self._offsets[section_id] = offset
        self._trim()

    def get(self, section_id: str) -> int:
        return self._offsets.get(section_id, 0)

    def set(self, section_id: str, offset: int) -> None:
        self._offsets.pop(section_id, None)  # re-inserted last: most recently read
        if offset > 0:
            self._offsets[section_id] = offset
        self._trim()

    def as_dict(self) -> dict[str, int]:
        return dict(self._offsets)

    def _trim(self) -> None:
        for section_id in list(self._offsets)[: max(0, len(self._offsets) - POSITIONS_LIMIT)]:
            del self._offsets[section_id]

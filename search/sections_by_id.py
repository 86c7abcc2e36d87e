"""Every section of a corpus by its id, each briefing's looked at only when first asked.

A section's id starts with its briefing's id and a slash (briefing ids are slugs, never
holding one), so a lookup needs only that briefing's sections. A cold `show` of one
section at 10k sections then makes one briefing's sections rather than all of them
(see briefing_codec); iterating, or asking for its length, takes in every briefing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from partner_tui.search.model import Briefing, Section


class SectionsById(Mapping[str, Section]):
    def __init__(self, briefings: Iterable[Briefing]) -> None:
        self._unread = {briefing.id: briefing for briefing in briefings}
        self._found: dict[str, Section] = {}

    def __getitem__(self, section_id: str) -> Section:
        found = self._found.get(section_id)
        if found is None:
            self._take(section_id.partition("/")[0])
            found = self._found[section_id]  # KeyError: no such section
        return found

    def __iter__(self) -> Iterator[str]:
        self._take_all()
        return iter(self._found)

    def __len__(self) -> int:
        self._take_all()
        return len(self._found)

    def _take(self, briefing_id: str) -> None:
        # Safe from several threads: a briefing's sections are the same objects whoever
        # makes them, and it leaves `_unread` only once they are all in `_found`.
        briefing = self._unread.get(briefing_id)
        if briefing is not None:
            self._found.update((section.id, section) for section in briefing.sections)
            self._unread.pop(briefing_id, None)

    def _take_all(self) -> None:
        for briefing_id in list(self._unread):
            self._take(briefing_id)

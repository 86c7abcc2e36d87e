"""How a bookmark stands against the briefings as they are now: current, changed or missing.

The store never drops a bookmark whose section disappeared; it is the reader of the
bookmark (app or CLI) that asks here whether the section is still there and unchanged.
No Textual, no sqlite: `lookup` is the engine, a mapping of id → Section, or a function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TypeAlias, runtime_checkable

from partner_tui.tui.state.bookmark_model import Bookmark, text_hash

if TYPE_CHECKING:
    from partner_tui.search.model import Briefing, Section


class BookmarkStatus(StrEnum):
    CURRENT = "current"  # the section exists and its text is what was bookmarked
    CHANGED = "changed"  # the section exists but its text was edited since
    MISSING = "missing"  # no section has this id any more (heading renamed or removed)


@runtime_checkable
class _EngineLike(Protocol):
    def has_section(self, section_id: str) -> bool: ...
    def section(self, section_id: str) -> Section: ...


SectionLookup: TypeAlias = "_EngineLike | Mapping[str, Section] | Callable[[str], Section | None]"


def find_section(lookup: SectionLookup, section_id: str) -> Section | None:
    """The current section with this id, or None, whatever kind of lookup was given."""
    if isinstance(lookup, Mapping):
        return lookup.get(section_id)
    if isinstance(lookup, _EngineLike):
        return lookup.section(section_id) if lookup.has_section(section_id) else None
    return lookup(section_id)


def status_for(bookmark: Bookmark, lookup: SectionLookup) -> BookmarkStatus:
    section = find_section(lookup, bookmark.section_id)
    if section is None:
        return BookmarkStatus.MISSING
    # An imported bookmark may carry no hash: nothing to compare, so it is current.
    if bookmark.text_hash and text_hash(section.body) != bookmark.text_hash:
        return BookmarkStatus.CHANGED
    return BookmarkStatus.CURRENT


def statuses(bookmarks: Iterable[Bookmark], lookup: SectionLookup) -> dict[str, BookmarkStatus]:
    return {b.section_id: status_for(b, lookup) for b in bookmarks}


def reading_positions(briefings: Iterable[Briefing]) -> dict[str, tuple[int, int]]:
    """Each section's place in reading order: (briefing number, order in the briefing)."""
    return {
        section.id: (number, section.order)
        for number, briefing in enumerate(briefings)
        for section in briefing.sections
    }


def reading_order(bookmarks: Iterable[Bookmark], briefings: Iterable[Briefing]) -> list[Bookmark]:
    """Bookmarks in the order their sections are read (for next/previous bookmark keys).

    Missing ones go last, oldest first, since they have no place in the text any more.
    """
    position = reading_positions(briefings)
    items = list(bookmarks)
    present = [b for b in items if b.section_id in position]
    missing = [b for b in items if b.section_id not in position]
    present.sort(key=lambda b: position[b.section_id])
    missing.sort(key=lambda b: b.created_at)
    return present + missing

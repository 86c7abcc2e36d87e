"""What a bookmark is: a stable section id plus a snapshot of the section when it was saved.

The snapshot lets a bookmark outlive its section: when a briefing is edited and a heading
goes away, the bookmark is still listed ("missing") with the titles it was saved under.
Plain Python, no Textual and no sqlite: the app, the CLI and the tests share it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from partner_tui.search.text_cleaning import strip_controls

if TYPE_CHECKING:
    from collections.abc import Iterable

    from partner_tui.search.model import Section

# Tags are short labels typed by people; anything longer is a note, not a tag.
TAG_MAX_LENGTH = 64


def text_hash(body: str) -> str:
    """A fingerprint of a section's text, to notice when the section has been rewritten."""
    normalised = body.replace("\r\n", "\n").strip()
    return "sha256:" + hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SectionSnapshot:
    """The parts of an engine `Section` a bookmark remembers."""

    section_id: str
    briefing_id: str
    briefing_title: str
    pillar: str
    title: str
    path: tuple[str, ...]
    text_hash: str


def snapshot_of(section: Section) -> SectionSnapshot:
    """The snapshot to bookmark for an engine section (the one helper the app needs)."""
    return SectionSnapshot(
        section_id=section.id,
        briefing_id=section.briefing_id,
        briefing_title=section.briefing_title,
        pillar=section.pillar,
        title=section.title,
        path=tuple(section.path),
        text_hash=text_hash(section.body),
    )


@dataclass(frozen=True)
class Bookmark:
    """One saved section for one user. Timestamps are ISO 8601 in UTC."""

    section_id: str
    briefing_id: str
    briefing_title: str
    pillar: str
    title: str
    path: tuple[str, ...]
    text_hash: str
    created_at: str
    updated_at: str
    note: str | None = None
    tags: tuple[str, ...] = field(default=())

    @property
    def snapshot(self) -> SectionSnapshot:
        return SectionSnapshot(
            section_id=self.section_id,
            briefing_id=self.briefing_id,
            briefing_title=self.briefing_title,
            pillar=self.pillar,
            title=self.title,
            path=self.path,
            text_hash=self.text_hash,
        )

    def matches(self, filter_text: str | None = None, tag: str | None = None) -> bool:
        """Every word of `filter_text` appears in the title, pillar, path, note or tags."""
        if tag is not None and tag.casefold() not in {t.casefold() for t in self.tags}:
            return False
        if not filter_text or not filter_text.strip():
            return True
        haystack = " ".join(
            (self.title, self.pillar, self.briefing_title, *self.path, self.note or "", *self.tags)
        ).casefold()
        return all(word in haystack for word in filter_text.casefold().split())


def clean_note(note: str | None) -> str | None:
    """An empty or blank note is no note."""
    if note is None:
        return None
    note = strip_controls(note).strip()
    return note or None


def clean_tags(tags: object) -> tuple[str, ...]:
    """Trimmed, non-empty, at most TAG_MAX_LENGTH, first spelling kept when only case differs."""
    if isinstance(tags, str):
        tags = (tags,)
    cleaned: list[str] = []
    seen: set[str] = set()
    for raw in cast("Iterable[object]", tags or ()):
        tag = " ".join(strip_controls(str(raw)).split())[:TAG_MAX_LENGTH]
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            cleaned.append(tag)
    return tuple(cleaned)


def merge_tags(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return clean_tags((*first, *second))


def merge_notes(local: str | None, incoming: str | None) -> str | None:
    """Keep both notes when they differ, so an import never loses what someone wrote.

    Importing the same note again changes nothing (a note already contained is not added).
    """
    local, incoming = clean_note(local), clean_note(incoming)
    if not incoming or (local and incoming in local):
        return local
    if not local or local in incoming:
        return incoming
    return f"{local}\n\n{incoming}"

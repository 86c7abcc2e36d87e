"""The briefing's own vocabulary: briefings, sections, hits and highlight spans."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

Span = tuple[int, int]
"""A highlight as (start, end) character offsets into some text; end is exclusive."""


class RunKind:
    """The kinds of style run a reader marks in a section's readable text (plain strings,
    so a section serialises as plain data)."""

    HEADING = "heading"
    EMPHASIS = "emphasis"
    STRONG = "strong"
    CODE = "code"  # inline code
    CODE_BLOCK = "code_block"  # monospace, never reflowed
    PREFORMATTED = "preformatted"  # plain-text tables, ASCII art, indented blocks: kept as is
    LIST_MARKER = "list_marker"
    QUOTE = "quote"
    TABLE = "table"  # aligned columns, never reflowed
    LINK = "link"  # `target` holds the URL

    KEEP_LINES = frozenset({CODE_BLOCK, PREFORMATTED, TABLE})
    """Kinds whose lines are shown exactly as they are, never rewrapped."""


class StyleRun(NamedTuple):
    """A stretch of a section's text (character offsets, end exclusive) with one style.

    A named tuple rather than a dataclass: a big corpus has tens of thousands of runs,
    and the reader cache rebuilds them several times faster this way."""

    start: int
    end: int
    kind: str
    target: str = ""


@dataclass(frozen=True)
class Section:
    """One addressable part of a briefing: the overview, a pillar or a sub-section.

    `path` is the heading path below the briefing (a pillar alone, or pillar then
    sub-section); the overview's path is ("Overview",). Every field is plain data (str,
    int, bool, tuples), so a section can be cached as JSON or pickled.
    """

    id: str
    briefing_id: str
    briefing_title: str
    path: tuple[str, ...]
    body: str
    order: int
    is_overview: bool = False
    runs: tuple[StyleRun, ...] = ()
    """Style runs over `body`, sorted by start. `body` is the one readable text used for
    reading, snippets, highlights and the index; the runs only say how to show it."""

    if not TYPE_CHECKING:  # hidden from mypy, which would then allow any attribute

        def __getattr__(self, name: str):
            # Reached only for a field the instance lacks: a section decoded from the
            # reader cache gets its body and runs from its briefing's `_fill` on first
            # use (briefing_codec), so a cold search decodes only the briefings it shows.
            fill = self.__dict__.get("_fill") if name in _DEFERRED else None
            if fill is not None:
                fill()
            try:
                return self.__dict__[name]
            except KeyError:
                raise AttributeError(name) from None

    @property
    def title(self) -> str:
        return self.path[-1]

    @property
    def pillar(self) -> str:
        return self.path[0]

    @property
    def pillar_id(self) -> str:
        """The id of the top-level section this one belongs to (itself for a pillar)."""
        return "/".join(self.id.split("/")[:2])

    @property
    def depth(self) -> int:
        return len(self.path)


_DEFERRED = frozenset({"body", "runs"})
# The class-level default `()` would answer for a deferred section's runs before
# `__getattr__` could; `__init__` keeps the default.
del Section.runs


@dataclass(frozen=True)
class Briefing:
    """A whole document: its title, metadata and its sections in reading order."""

    id: str
    title: str
    source: str
    sections: tuple[Section, ...]
    metadata: dict[str, str] = field(default_factory=dict)
    also_read: tuple[str, ...] = ()

    if not TYPE_CHECKING:  # hidden from mypy, which would then allow any attribute

        def __getattr__(self, name: str):
            # Reached only for a field the instance lacks: a briefing decoded from the
            # reader cache makes its sections on first use (briefing_codec), so `show`
            # of one section makes one briefing's, not the corpus's 10k.
            make = self.__dict__.get("_make_sections") if name == "sections" else None
            if make is not None:
                make()
            try:
                return self.__dict__[name]
            except KeyError:
                raise AttributeError(name) from None

    def places(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each section's (id, path) in reading order; from the cached outlines while the
        sections are not made yet (a listing of 10k sections need not make them all)."""
        make = self.__dict__.get("_make_sections")
        if make is not None and "sections" not in self.__dict__:
            return make.places()
        return [(section.id, section.path) for section in self.sections]

    @property
    def pillars(self) -> tuple[Section, ...]:
        """The themed top-level sections, without the opening overview."""
        return tuple(s for s in self.sections if s.depth == 1 and not s.is_overview)

    def children(self, parent: Section) -> tuple[Section, ...]:
        return tuple(
            s
            for s in self.sections
            if s.depth == parent.depth + 1 and s.id.startswith(parent.id + "/")
        )


@dataclass(frozen=True)
class Hit:
    """One ranked search result with a snippet and its highlight spans."""

    section_id: str
    title: str
    pillar: str
    path: tuple[str, ...]
    briefing_id: str
    score: float
    snippet: str
    spans: tuple[Span, ...]
    title_spans: tuple[Span, ...] = ()
    """The matches in the title, found with the same terms as the snippet's. Left out of
    `as_json`, whose fields are documented for scripts."""

    @classmethod
    def deferred(
        cls, make_snippet: Callable[[], tuple[str, tuple[Span, ...]]], **fields: object
    ) -> Hit:
        """A hit whose `snippet` and `spans` are made by `make_snippet` on first use.

        The app shows a screenful of results before it needs the rest's snippets, and a
        snippet costs as much as a screenful's worth of ranking. `make_snippet` must be
        pure: two threads asking at once each make it and keep the same value, so
        nobody waits on a lock (the event loop may be the one asking)."""
        hit = cls.__new__(cls)
        hit.__dict__.update(fields, _make_snippet=make_snippet)
        return hit

    if not TYPE_CHECKING:  # hidden from mypy, which would then allow any attribute

        def __getattr__(self, name: str):
            # Reached only for a field the instance lacks: a deferred hit's snippet.
            make = self.__dict__.get("_make_snippet") if name in _SNIPPET_FIELDS else None
            if make is not None:
                snippet, spans = make()
                self.__dict__.update(snippet=snippet, spans=spans)  # one step under the GIL
            try:
                return self.__dict__[name]
            except KeyError:
                raise AttributeError(name) from None

    def as_json(self) -> dict:
        return {
            "id": self.section_id,
            "title": self.title,
            "pillar": self.pillar,
            "path": list(self.path),
            "briefing": self.briefing_id,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "spans": [list(span) for span in self.spans],
        }


_SNIPPET_FIELDS = frozenset({"snippet", "spans"})

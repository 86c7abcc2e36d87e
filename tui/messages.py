"""Messages posted up to the explorer screen (by widgets and by its worker threads)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from partner_tui.search.engine import LibraryChange
from partner_tui.search.model import Span
from partner_tui.search.outcome import SearchOutcome
from textual.message import Message

if TYPE_CHECKING:
    from partner_tui.tui.widgets.result_prompts import PreparedResults


class SectionChosen(Message):
    """The reader picked a section (in the pillars tree or the results list) to read."""

    def __init__(self, section_id: str, focus_reader: bool = False) -> None:
        super().__init__()
        self.section_id = section_id
        self.focus_reader = focus_reader
        """Whether the reader should move on to reading it (yes from results, no from tree)."""


class SearchDone(Message):
    """A worker finished a search; stale generations are ignored."""

    def __init__(
        self,
        generation: int,
        outcome: SearchOutcome | None,
        section_id: str | None,
        open_spans: list[Span],
        error: str | None = None,
        prepared: PreparedResults | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.section_id = section_id
        self.outcome = outcome
        self.open_spans = open_spans
        self.error = error
        self.prepared = prepared
        """The results list's options, built by the worker."""


class SpansReady(Message):
    """A worker found the matches in a long section."""

    def __init__(self, section_id: str, query: str, spans: list[Span], hit: str) -> None:
        super().__init__()
        self.section_id = section_id
        self.query = query
        self.spans = spans
        self.hit = hit


class IndexReady(Message):
    """The search index is open (a worker opened it after the first screen)."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__()
        self.warnings = warnings
        """What went wrong opening it (e.g. a cache dir it could not write): shown."""


class LibraryChanged(Message):
    """Files of the corpus changed and the engine now answers from the new version."""

    def __init__(self, change: LibraryChange) -> None:
        super().__init__()
        self.change = change


class IndexProgress(Message):
    """The index is being built or updated: so many sections of so many done."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

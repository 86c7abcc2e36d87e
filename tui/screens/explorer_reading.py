"""The explorer's reading half: opening a section where it was last left, marking the
query's matches in it (the header's title marks, the body's spans, the hit counter), n/N
through them, back/forward through the visits, copying with a citation, and the status
line's position and bookmark mark.

A base of ExplorerScreen, which owns the search and the layout: short sections get their
marks at once, long ones from a worker (finding every match in a megabyte takes a while).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from partner_tui.search.engine import Engine, UnknownSection
from partner_tui.search.model import Section, Span
from partner_tui.tui.app_api import partner_app
from partner_tui.tui.messages import SpansReady
from partner_tui.tui.screens.hit_stepping import step_hit
from partner_tui.tui.state.citation import quotation
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.reading_header import Breadcrumb, HitCounter, ReadingStatus
from partner_tui.tui.widgets.reading_view import ReadingView
from partner_tui.tui.widgets.results_list import ResultsList
from textual import on, work
from textual.screen import Screen

if TYPE_CHECKING:
    from partner_tui.tui.screens.search_session import SearchSession
    from partner_tui.tui.state.reading_positions import ReadingPositions
    from partner_tui.tui.state.visits import Visits

# Sections shorter than this get their matches marked at once, longer ones from a worker.
SYNC_SPANS_BELOW = 50_000


class ExplorerReading(Screen):
    # Set by ExplorerScreen.
    engine: Engine
    visits: Visits
    positions: ReadingPositions
    search: SearchSession

    def __init__(self) -> None:
        super().__init__()
        self.section: Section | None = None
        self._spans_pending = False
        self._title_match = False  # the query matches the open section's title
        self.keep_place = False  # the open section was reloaded: do not scroll to a hit
        self._where = (0, 0, 0)  # lines on screen, for the reading status

    def open_section(self, section_id: str, record: bool = True, hit: str = "first") -> None:
        """Show a section with the current query's matches, where it was last left;
        `hit` picks the first or last match."""
        try:
            section = self.engine.section(section_id)
        except UnknownSection:
            self.notify(f"No such section: {section_id}", severity="warning", markup=False)
            return
        reader = self.query_one(ReadingView)
        if self.section is not None:
            self.positions.set(self.section.id, reader.top_offset)
        self.section = section
        self.query_one(Breadcrumb).show_section(section)
        reader.show(section.body, [], top_offset=self.positions.get(section_id), runs=section.runs)
        self._highlight_open_section(hit)
        self.query_one(PillarsTree).reveal(section_id)
        self.query_one(ResultsList).highlight_section(section_id)
        if record:
            self.visits.visit(section_id)
        partner_app(self.app).section_opened(
            section_id, self.visits.entries, self.positions.as_dict()
        )

    def _highlight_open_section(self, hit: str = "first") -> None:
        """Mark the query's matches in the open section: at once when it is short, from a
        worker when it is long (finding every match in a megabyte takes a noticeable while)."""
        if self.section is None:
            return
        self._spans_pending = False
        # Only with the query's terms at hand: expanding them needs the index (and its
        # lock, held for the whole of a first build), which the event loop never waits on.
        ready = None
        if len(self.section.body) < SYNC_SPANS_BELOW:
            ready = self.engine.ready_spans(self.section.id, self.search.query)
        if not self.search.active:
            self._apply_spans([], hit)
        elif ready is not None:
            self._apply_spans(ready, hit)
        else:
            self._spans_pending = True
            self._update_counter()
            self._load_spans(self.section.id, self.search.query, hit)

    @work(thread=True, exclusive=True, exit_on_error=False, group="spans")
    def _load_spans(self, section_id: str, text: str, hit: str) -> None:
        try:
            spans = self.engine.spans(section_id, text)
        except Exception:  # the section stays readable, just unmarked
            spans = []
        self.post_message(SpansReady(section_id, text, spans, hit))

    @on(SpansReady)
    def _spans_ready(self, message: SpansReady) -> None:
        if self.section and self.section.id == message.section_id:
            if message.query == self.search.query:
                self._spans_pending = False
                self._apply_spans(message.spans, message.hit)

    def _apply_spans(self, spans: list[Span], hit: str = "first") -> None:
        if self.section is not None:
            title = self.engine.ready_spans(self.section.id, self.search.query, title=True)
            self._title_match = bool(title)
            self.query_one(Breadcrumb).show_section(self.section, title or [])
        reader = self.query_one(ReadingView)
        current = (len(spans) - 1 if hit == "last" else 0) if spans else None
        reader.set_spans(spans, current)
        if self.keep_place:
            self.keep_place = False
        else:
            reader.call_after_refresh(reader.scroll_to_current)
        self._update_counter()

    def _update_counter(self) -> None:
        reader = self.query_one(ReadingView)
        ids = self.query_one(ResultsList).section_ids
        here = ids.index(self.section.id) if self.section and self.section.id in ids else None
        hits = None if self._spans_pending else len(reader.spans)
        counter = self.query_one(HitCounter)
        query = self.search.query
        counter.show_count(query, reader.current, hits, here, len(ids), self._title_match)

    @on(ReadingView.Scrolled)
    def _reader_scrolled(self, message: ReadingView.Scrolled) -> None:
        self._where = (message.first_line, message.last_line, message.lines)
        self._show_status()
        if self.section is not None:
            self.positions.set(self.section.id, message.top_offset)

    def _show_status(self) -> None:
        bookmarked = (
            self.section is not None and self.section.id in partner_app(self.app).bookmarked_ids
        )
        self.query_one(ReadingStatus).show_position(*self._where, bookmarked)

    def action_next_hit(self) -> None:
        self._step_hit(1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        """Move the current hit; past either end, continue in the next/previous result."""
        if not self.search.active:
            self.notify("Nothing is searched yet: press / and type.", timeout=3)
            return
        if self._spans_pending:
            self.notify("Still finding the matches in this long section…", timeout=2)
            return
        reader = self.query_one(ReadingView)
        ids = self.query_one(ResultsList).section_ids
        here = self.section.id if self.section else None
        move = step_hit(len(reader.spans), reader.current, step, ids, here)
        if move.hit is None and move.section is None:
            self.notify("No matches for this search.", timeout=3)
            return
        if move.wrapped:
            self.notify(f"Continuing from the {'first' if step > 0 else 'last'} result.", timeout=2)
        if move.hit is not None:
            reader.set_current(move.hit)
            self._update_counter()
        elif move.section is not None:
            self.open_section(move.section, hit="last" if move.last else "first")

    def action_back(self) -> None:
        target = self.visits.back()
        if target is None:
            self.notify("Nothing further back.", timeout=2)
            return
        self.open_section(target, record=False)

    def action_forward(self) -> None:
        target = self.visits.forward()
        if target is None:
            self.notify("Nothing further forward.", timeout=2)
            return
        self.open_section(target, record=False)

    def action_copy_section(self) -> None:
        if self.section is None:
            self.notify("Open a section first.", timeout=2)
            return
        self.app.copy_to_clipboard(quotation(self.section))
        self.notify(f"Copied “{self.section.title}” with its citation.", timeout=3, markup=False)

    # -- bookmark marks (filled by the app's bookmarked_ids) -----------------------------
    def _bookmarks_changed(self, ids: frozenset[str]) -> None:
        self.query_one(PillarsTree).set_bookmarked(ids)
        self.query_one(ResultsList).set_bookmarked(ids)
        self._show_status()

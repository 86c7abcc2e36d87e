"""The explorer: a search bar over two panes, the navigator (pillars, or the results while
a search is active) and the reading view.

Data flows one way: the screen asks the engine (in a worker thread for searches) and hands
results down to the widgets; widgets post messages up. The search's state machine lives in
SearchSession, the layout in ExplorerPanes, the open section and its marks in
ExplorerReading (this screen's base): this screen wires them to the search.
"""

from __future__ import annotations

from partner_tui.search.engine import Engine, LibraryChange, SearchOutcome
from partner_tui.tui.app_api import partner_app
from partner_tui.tui.messages import SearchDone, SectionChosen
from partner_tui.tui.screens import explorer_library
from partner_tui.tui.screens.explorer_keys import ACCEPT_KEY, EXPLORER_BINDINGS
from partner_tui.tui.screens.explorer_reading import ExplorerReading
from partner_tui.tui.screens.search_session import SearchSession
from partner_tui.tui.state.places import place_of
from partner_tui.tui.state.reading_positions import ReadingPositions
from partner_tui.tui.state.search_history import SearchHistory
from partner_tui.tui.state.visits import Visits
from partner_tui.tui.widgets.explorer_panes import ExplorerPanes, Pane
from partner_tui.tui.widgets.key_bar import KeyBar
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.result_prompts import PreparedResults, PromptLayout, prepare_results
from partner_tui.tui.widgets.results_list import SHOWN_AT_ONCE, ResultsList
from partner_tui.tui.widgets.search_bar import SearchBar
from partner_tui.tui.widgets.search_summary import SearchSummary
from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input
from textual.worker import get_current_worker

RESULT_LIMIT = 50


class ExplorerScreen(ExplorerReading):
    AUTO_FOCUS = "#reader"
    BINDINGS = list[BindingType](EXPLORER_BINDINGS)

    def __init__(
        self,
        engine: Engine,
        visits: Visits,
        positions: ReadingPositions | None = None,
        history: SearchHistory | None = None,
        navigator_delta: int = 0,
        zoomed: bool = False,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.visits = visits
        self.positions = positions or ReadingPositions()
        self.history = history or SearchHistory()
        self._layout = (navigator_delta, zoomed)
        self.search = SearchSession(
            lambda delay, call: self.set_timer(delay, call).stop, self._run_search
        )
        self.outcome: SearchOutcome | None = None
        self._limit = RESULT_LIMIT
        self._came_from: Pane = "pillars"  # where escape in the reading view goes back to

    @property
    def query_text(self) -> str:
        return self.search.query

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield SearchBar(id="search-bar")
        delta, zoomed = self._layout
        yield ExplorerPanes(self.engine.briefings, delta=delta, zoomed=zoomed, id="panes")
        yield KeyBar()

    @property
    def panes(self) -> ExplorerPanes:
        return self.query_one(ExplorerPanes)

    def on_mount(self) -> None:
        self.query_one(SearchBar).history = self.history
        self.query_one(SearchSummary).show_outcome(None, ACCEPT_KEY)
        self.watch(self.app, "bookmarked_ids", self._bookmarks_changed)
        self.watch(self.app, "theme", self._theme_changed, init=False)
        self.panes.lay_out(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self.panes.lay_out(event.size.width)

    def _focus_pane(self, pane: Pane) -> None:
        self.panes.focus_pane(pane)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        pane = self.panes.pane_of(event.widget)
        if pane in ("pillars", "results"):
            self._came_from = pane

    def action_focus_pane(self, pane: Pane) -> None:
        if pane == "results" and not self.search.active:
            self.notify("Nothing is searched yet: press / and type.", timeout=3)
            return
        self._focus_pane(pane)

    def action_back_to_list(self) -> None:
        """escape in the reading view: back to the list the section was chosen from."""
        if self.panes.pane_of(self.focused) != "reading":
            raise SkipAction()
        back = self._came_from if self.search.active else "pillars"
        self._focus_pane(back)

    def action_switch_pane(self) -> None:
        """w: the next pane, skipping the search bar."""
        here = self.panes.pane_of(self.focused)
        target = self.panes.next_pane(here, 1, self.search.active) or "pillars"
        self._focus_pane(target)

    def action_cycle_focus(self, step: int) -> None:
        """tab/shift+tab: search bar → pillars → results → reading."""
        here = self.panes.pane_of(self.focused)
        target = self.panes.next_pane(here, step, self.search.active)
        if target is None:
            self.set_focus(self.query_one(SearchBar))
        else:
            self._focus_pane(target)

    def action_zoom(self) -> None:
        self.panes.toggle_zoom()
        if self.panes.zoomed:
            self._focus_pane("reading")

    def action_resize_navigator(self, step: int) -> None:
        if self.panes.narrow:
            self.notify("The panes are side by side from 80 columns.", timeout=2)
            return
        self.panes.resize_navigator(step)

    @on(ExplorerPanes.LayoutChanged)
    def _layout_changed(self, message: ExplorerPanes.LayoutChanged) -> None:
        partner_app(self.app).remember_layout(message.delta, message.zoomed)

    # -- searching -----------------------------------------------------------------------
    def action_focus_search(self) -> None:
        bar = self.query_one(SearchBar)
        # Inside the bar `/` is just a character: let the bar have it. (`focused`, not
        # `has_focus`: the latter only updates once the bar has processed its Focus event.)
        if self.focused is bar:
            raise SkipAction()
        self.set_focus(bar)  # now, not on the next tick as Widget.focus would
        bar.start_fresh()

    @on(SearchBar.Left)
    def _leave_search(self, message: SearchBar.Left) -> None:
        self.history.add(self.search.query)
        self._focus_pane("results" if self.query_one(ResultsList).option_count else "reading")
        if message.then_key:  # queued behind the focus change, so it goes where meant
            self.app.call_later(self.app.simulate_key, message.then_key)

    @on(Input.Changed, "#search-bar")
    def _query_changed(self, event: Input.Changed) -> None:
        self._limit = RESULT_LIMIT
        if self.search.typed(event.value):
            self._query_set()

    def _query_set(self) -> None:
        if not self.search.active:
            self._show_outcome(None)
            self._highlight_open_section()
        self.panes.show_view("results" if self.search.active else "pillars")
        if self.search.active and self.panes.narrow:
            self.panes.focus_pane("results")
            self.set_focus(self.query_one(SearchBar))

    @on(Input.Submitted, "#search-bar")
    def _query_submitted(self, event: Input.Submitted) -> None:
        """Open the best match for what was typed, even if its search has not finished."""
        self.history.add(event.value)
        partner_app(self.app).remember_searches(self.history.entries)
        if self.search.submit(event.value):
            self._open_top()

    def _open_top(self) -> None:
        results = self.query_one(ResultsList)
        if results.section_ids:
            self._came_from = "results"
            self.read_section(results.section_ids[0])

    def set_query(self, text: str, debounce: bool = True) -> None:
        """Search for `text` (after a short pause while typing); empty text ends the search."""
        self.search.set_query(text, debounce)
        self._query_set()

    def _run_search(self, generation: int, text: str) -> None:
        section_id = self.section.id if self.section else None
        layout = self.query_one(ResultsList).prompt_layout()
        self._search_worker(generation, text, section_id, self._limit, layout)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search_worker(
        self, generation: int, text: str, section_id: str | None, limit: int, layout: PromptLayout
    ):
        try:
            outcome = self.engine.search(text, limit=limit)
            # Reuses the terms the search just expanded (the engine remembers them).
            known = section_id is not None and self.engine.has_section(section_id)
            spans = self.engine.spans(section_id, text) if section_id and known else []
            prepared = None
            if not get_current_worker().is_cancelled:  # a newer search replaced this one
                places = {
                    hit.section_id: place_of(self.engine, hit.section_id) for hit in outcome.hits
                }
                prepared = prepare_results(outcome.hits, places, layout, SHOWN_AT_ONCE)
        except Exception as error:  # never a traceback on screen: say what went wrong
            message = f"Search failed: {error}"
            self.post_message(SearchDone(generation, None, section_id, [], message))
            return
        self.post_message(SearchDone(generation, outcome, section_id, spans, prepared=prepared))

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        if not self.search.finished(message.generation):
            return  # an older query finished after a newer one started
        if message.error:
            self.search.take_open_top()
            self.query_one(SearchSummary).show_error(message.error)
            return
        more = (
            self.outcome is not None
            and message.outcome is not None
            and self._limit > len(self.outcome.hits)
            and self.outcome.query == message.outcome.query
        )
        self._show_outcome(message.outcome, keep_highlight=more, prepared=message.prepared)
        if self.search.take_open_top():
            self._open_top()
        elif self.section and self.section.id == message.section_id:
            self._apply_spans(message.open_spans)
        else:  # another section was opened while the search ran
            self._highlight_open_section()

    @on(ResultsList.MoreWanted)
    def _more_results(self) -> None:
        self._limit += RESULT_LIMIT
        self.search.set_query(self.search.query, debounce=False)

    def _show_outcome(
        self,
        outcome: SearchOutcome | None,
        keep_highlight: bool = False,
        prepared: PreparedResults | None = None,
    ):
        had_suggestion = bool(self.outcome and self.outcome.suggestion)
        self.outcome = outcome
        self.query_one(SearchSummary).show_outcome(outcome, ACCEPT_KEY)
        hits = outcome.hits if outcome else ()
        if prepared is not None:
            places = prepared.places
        else:
            places = {hit.section_id: place_of(self.engine, hit.section_id) for hit in hits}
        total = outcome.total if outcome else 0
        self.query_one(ResultsList).show_hits(hits, places, total, keep_highlight, prepared)
        counts = outcome.pillar_counts if outcome else None
        complete = outcome is not None and outcome.total <= len(outcome.hits)
        hit_ids = frozenset(hit.section_id for hit in hits) if complete else None
        self.query_one(PillarsTree).show_counts(counts, hit_ids)
        self._update_counter()
        # Only when the accept key comes or goes: a refresh asks every binding its state.
        if bool(outcome and outcome.suggestion) != had_suggestion:
            self.refresh_bindings()

    def action_accept_suggestion(self) -> None:
        if self.outcome and self.outcome.suggestion:
            bar = self.query_one(SearchBar)
            bar.value = self.outcome.suggestion
            bar.cursor_position = len(bar.value)
            self.set_query(bar.value, debounce=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_suggestion":
            return bool(self.outcome and self.outcome.suggestion)
        if action == "resize_navigator":
            return not self.panes.narrow
        return True

    # -- reading -------------------------------------------------------------------------
    @on(SectionChosen)
    def _section_chosen(self, message: SectionChosen) -> None:
        self.open_section(message.section_id)
        if message.focus_reader or self.panes.narrow:
            self._focus_pane("reading")
        if message.focus_reader and self.search.active:
            self.history.add(self.search.query)
            partner_app(self.app).remember_searches(self.history.entries)

    def read_section(self, section_id: str) -> None:
        """Open a section and move to the reading pane, as choosing a result does."""
        self.open_section(section_id)
        self._focus_pane("reading")

    def _theme_changed(self) -> None:
        # After the new stylesheet is applied, so the results take its hit colours.
        self.call_after_refresh(self.query_one(ResultsList).restyle)

    # -- bookmarks -----------------------------------------------------------------------
    @on(ResultsList.BookmarkWanted)
    def _bookmark_result(self, message: ResultsList.BookmarkWanted) -> None:
        partner_app(self.app).toggle_bookmark_of(message.section_id)

    # -- a live library (see explorer_library) -------------------------------------------
    def show_index_progress(self, done: int | None, total: int | None) -> None:
        explorer_library.show_index_progress(self, done, total)

    def library_changed(self, change: LibraryChange) -> None:
        explorer_library.apply_change(self, change)

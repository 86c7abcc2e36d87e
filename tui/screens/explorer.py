"""The explorer: pillars tree, search bar with live results, and the reading view.

Data flows one way: the screen asks the engine (in a worker thread for searches) and hands
results down to the widgets; widgets post `SectionChosen` up. Searches are debounced, and
each carries a generation number so a slow, older search can never overwrite a newer one.
"""

from __future__ import annotations

from partner_tui.search.engine import Engine, LibraryChange, SearchOutcome, UnknownSection
from partner_tui.search.model import Section, Span
from partner_tui.tui.app_api import partner_app
from partner_tui.tui.messages import SearchDone, SectionChosen, SpansReady
from partner_tui.tui.screens import explorer_library
from partner_tui.tui.state.citation import quotation
from partner_tui.tui.state.visits import Visits
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.reading_header import Breadcrumb, HitCounter
from partner_tui.tui.widgets.reading_view import ReadingView
from partner_tui.tui.widgets.results_list import ResultsList
from partner_tui.tui.widgets.search_bar import SearchBar
from partner_tui.tui.widgets.search_summary import SearchSummary
from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input

DEBOUNCE_SECONDS = 0.15
RESULT_LIMIT = 50
NARROW_BELOW = 90
ACCEPT_KEY = "ctrl+y"
# Sections shorter than this get their matches marked at once, longer ones from a worker.
SYNC_SPANS_BELOW = 50_000
PANES = ("pillars-pane", "results-pane", "reading-pane")


class ExplorerScreen(Screen):
    CSS_PATH = "explorer.tcss"
    AUTO_FOCUS = "#reader"

    BINDINGS = [
        # Priority: checked when the key arrives, before the keys behind it are queued
        # for the old focus, so `/green` typed (or sent by SSH) in one burst all searches.
        Binding("slash", "focus_search", "Search", key_display="/", priority=True),
        Binding("n", "next_hit", "Next hit"),
        Binding("N", "previous_hit", "Prev hit", key_display="N"),
        Binding(ACCEPT_KEY, "accept_suggestion", "Did you mean", priority=True),
        Binding("left_square_bracket,alt+left", "back", "Back", key_display="["),
        Binding("right_square_bracket,alt+right", "forward", "Forward", show=False),
        Binding("c", "copy_section", "Copy"),
        Binding("w,f2", "switch_pane", "Pane", key_display="w"),
        Binding("tab", "cycle_focus(1)", "Next pane", show=False, priority=True),
        Binding("shift+tab", "cycle_focus(-1)", "Previous pane", show=False, priority=True),
        # Not in the footer: at 80 columns it would push out `w` and `?`; the help
        # screen and the palette list them.
        Binding("b", "app.toggle_bookmark", "Bookmark", show=False),
        Binding("B", "app.show_bookmarks", "Bookmarks", key_display="B", show=False),
        Binding("m", "app.next_bookmark", "Next bookmark", show=False),
        Binding("M", "app.previous_bookmark", "Previous bookmark", show=False),
    ]

    def __init__(self, engine: Engine, visits: Visits) -> None:
        super().__init__()
        self.engine = engine
        self.visits = visits
        self.query_text = ""
        self.outcome: SearchOutcome | None = None
        self.section: Section | None = None
        self._generation = 0  # of the newest search asked for
        self._shown_generation = 0  # of the search whose results are on screen
        self._debounce: Timer | None = None
        self._shown_pane = "results-pane"
        self._spans_pending = False
        self._title_match = False  # the query matches the open section's title
        self._open_top_result = False  # enter came before the search it was typed for
        self.keep_place = False  # the open section was reloaded: do not scroll to a hit

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # Classes for the terminal's width from the start: set after mount, they would
        # restyle every widget and rebuild the Footer once more before the first screen.
        self.set_class(self.app.size.width < NARROW_BELOW, "-narrow", update=False)

        def pane_classes(pane_id: str) -> str:
            return "pane -shown" if pane_id == self._shown_pane else "pane"

        yield SearchBar(id="search-bar")
        with Horizontal(id="panes"):
            with Vertical(id="pillars-pane", classes=pane_classes("pillars-pane")) as pane:
                pane.border_title = "Pillars"
                yield PillarsTree(self.engine.briefings, id="pillars")
            with Vertical(id="results-pane", classes=pane_classes("results-pane")) as pane:
                pane.border_title = "Results"
                yield SearchSummary(id="summary")
                yield ResultsList(id="results")
            with Vertical(id="reading-pane", classes=pane_classes("reading-pane")) as pane:
                pane.border_title = "Reading"
                yield Breadcrumb(id="breadcrumb")
                yield HitCounter(id="hit-counter")
                yield ReadingView(id="reader")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SearchSummary).show_outcome(None, ACCEPT_KEY)
        self.watch(self.app, "bookmarked_ids", self._bookmarks_changed)
        self._apply_width(self.size.width)

    def on_resize(self) -> None:
        self._apply_width(self.size.width)

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def _apply_width(self, width: int) -> None:
        was_narrow = self.narrow
        self.set_class(width < NARROW_BELOW, "-narrow")
        self._show_pane(self._shown_pane)
        # Only when the pane switch key comes or goes: each refresh rebuilds the Footer.
        if self.narrow != was_narrow:
            self.refresh_bindings()

    def _show_pane(self, pane_id: str) -> None:
        self._shown_pane = pane_id
        for pane in PANES:
            self.query_one(f"#{pane}").set_class(pane == pane_id, "-shown")

    def _pane_widget(self, pane_id: str) -> Widget:
        return {
            "pillars-pane": self.query_one(PillarsTree),
            "results-pane": self.query_one(ResultsList),
            "reading-pane": self.query_one(ReadingView),
        }[pane_id]

    def _focus_pane(self, pane_id: str) -> None:
        self._show_pane(pane_id)
        self._pane_widget(pane_id).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for pane_id in PANES:
            if self._pane_widget(pane_id) is event.widget:
                self._show_pane(pane_id)

    def action_switch_pane(self) -> None:
        """Cycle the panes (the only way to see the others on a narrow terminal)."""
        order = list(PANES)
        current = next((p for p in order if self._pane_widget(p).has_focus), None)
        start = order.index(current) if current else order.index(self._shown_pane) - 1
        self._focus_pane(order[(start + 1) % len(order)])

    def action_cycle_focus(self, step: int) -> None:
        """tab/shift+tab: search bar → pillars → results → reading, shown even when narrow."""
        chain: list[Widget] = [self.query_one(SearchBar)]
        chain += [self._pane_widget(p) for p in PANES]
        here = next((i for i, w in enumerate(chain) if w.has_focus), -1 if step > 0 else 0)
        target = chain[(here + step) % len(chain)]
        if target is chain[0]:
            target.focus()
        else:
            self._focus_pane(PANES[chain.index(target) - 1])

    # -- searching -----------------------------------------------------------------------
    def action_focus_search(self) -> None:
        bar = self.query_one(SearchBar)
        # Inside the bar `/` is just a character: let the bar have it. (`focused`, not
        # `has_focus`: the latter only updates once the bar has processed its Focus event.)
        if self.focused is bar:
            raise SkipAction()
        # Focus now, not on the next tick as Widget.focus would.
        self.set_focus(bar)

    @on(SearchBar.Left)
    def _leave_search(self, message: SearchBar.Left) -> None:
        target = "results-pane" if self.query_one(ResultsList).option_count else "reading-pane"
        self._focus_pane(target)
        if message.then_key:  # queued behind the focus change, so it goes where meant
            self.app.call_later(self.app.simulate_key, message.then_key)

    @on(Input.Changed, "#search-bar")
    def _query_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self.query_text:  # not for a value we set ourselves
            self._open_top_result = False
            self.set_query(event.value, debounce=True)

    @on(Input.Submitted, "#search-bar")
    def _query_submitted(self) -> None:
        """Open the best match for what was typed, even if its search has not finished."""
        if self._debounce is not None:
            self._open_top_result = True
            self.set_query(self.query_one(SearchBar).value, debounce=False)
        elif self._shown_generation != self._generation:
            self._open_top_result = True
        else:
            self._open_top()

    def _open_top(self) -> None:
        """Enter in the search bar reads the best match."""
        results = self.query_one(ResultsList)
        if results.option_count:
            self.open_section(results.section_ids[0])
            self._focus_pane("reading-pane")

    def set_query(self, text: str, debounce: bool = True) -> None:
        """Search for `text` (after a short pause while typing); empty text ends the search."""
        self.query_text = text.strip()
        self._generation += 1
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if not self.query_text:
            self._shown_generation = self._generation
            self._show_outcome(None)
            self._highlight_open_section()
            return
        generation, section_id = self._generation, self.section.id if self.section else None
        if self._shown_pane == "pillars-pane" or self.narrow:
            self._show_pane("results-pane")
        if not debounce:
            self._run_search(generation, self.query_text, section_id)
            return
        self._debounce = self.set_timer(
            DEBOUNCE_SECONDS, lambda: self._start_search(generation, section_id)
        )

    def _start_search(self, generation: int, section_id: str | None) -> None:
        self._debounce = None
        self._run_search(generation, self.query_text, section_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _run_search(self, generation: int, text: str, section_id: str | None) -> None:
        try:
            outcome = self.engine.search(text, limit=RESULT_LIMIT)
            # Reuses the terms the search just expanded (the engine remembers them).
            known = section_id is not None and self.engine.has_section(section_id)
            spans = self.engine.spans(section_id, text) if section_id and known else []
        except Exception as error:  # never a traceback on screen: say what went wrong
            message = f"Search failed: {error}"
            self.post_message(SearchDone(generation, None, section_id, [], message))
            return
        self.post_message(SearchDone(generation, outcome, section_id, spans))

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        if message.generation != self._generation:
            return  # an older query finished after a newer one started
        self._shown_generation = message.generation
        if message.error:
            self._open_top_result = False
            self.query_one(SearchSummary).show_error(message.error)
            return
        self._show_outcome(message.outcome)
        if self._open_top_result:
            self._open_top_result = False
            self._open_top()
        elif self.section and self.section.id == message.section_id:
            self._apply_spans(message.open_spans)
        else:  # another section was opened while the search ran
            self._highlight_open_section()

    def _show_outcome(self, outcome: SearchOutcome | None) -> None:
        had_suggestion = bool(self.outcome and self.outcome.suggestion)
        self.outcome = outcome
        self.query_one(SearchSummary).show_outcome(outcome, ACCEPT_KEY)
        hits = outcome.hits if outcome else ()
        places = {hit.section_id: self._place(hit.section_id) for hit in hits}
        self.query_one(ResultsList).show_hits(hits, places)
        counts = outcome.pillar_counts if outcome else None
        complete = outcome is not None and outcome.total <= len(outcome.hits)
        hit_ids = frozenset(hit.section_id for hit in hits) if complete else None
        self.query_one(PillarsTree).show_counts(counts, hit_ids)
        self._update_counter()
        # Only when the accept key comes or goes: each refresh rebuilds the Footer.
        if bool(outcome and outcome.suggestion) != had_suggestion:
            self.refresh_bindings()

    def _place(self, section_id: str) -> str:
        try:
            section = self.engine.section(section_id)
        except UnknownSection:
            return ""
        # The briefing's name only tells something when there is more than one.
        where = section.path[:-1]
        if len(self.engine.briefings) > 1:
            where = (section.briefing_title, *where)
        return " › ".join(where)

    def action_accept_suggestion(self) -> None:
        if self.outcome and self.outcome.suggestion:
            bar = self.query_one(SearchBar)
            bar.value = self.outcome.suggestion
            bar.cursor_position = len(bar.value)
            self.set_query(bar.value, debounce=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_suggestion":
            return bool(self.outcome and self.outcome.suggestion)
        if action == "switch_pane":
            return self.narrow
        return True

    # -- reading -------------------------------------------------------------------------
    @on(SectionChosen)
    def _section_chosen(self, message: SectionChosen) -> None:
        self.open_section(message.section_id)
        if message.focus_reader or self.narrow:
            self._focus_pane("reading-pane")

    def read_section(self, section_id: str) -> None:
        """Open a section and move to the reading pane, as choosing a result does."""
        self.open_section(section_id)
        self._focus_pane("reading-pane")

    def open_section(self, section_id: str, record: bool = True, hit: str = "first") -> None:
        """Show a section with the current query's matches; `hit` picks first or last."""
        try:
            section = self.engine.section(section_id)
        except UnknownSection:
            self.notify(f"No such section: {section_id}", severity="warning", markup=False)
            return
        self.section = section
        self.query_one(Breadcrumb).show_section(section)
        self.query_one(ReadingView).show(section.body, [], runs=section.runs)
        self._highlight_open_section(hit)
        self.query_one(PillarsTree).reveal(section_id)
        self.query_one(ResultsList).highlight_section(section_id)
        if record:
            self.visits.visit(section_id)
        partner_app(self.app).section_opened(section_id, self.visits.entries)

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
            ready = self.engine.ready_spans(self.section.id, self.query_text)
        if not self.query_text:
            self._apply_spans([], hit)
        elif ready is not None:
            self._apply_spans(ready, hit)
        else:
            self._spans_pending = True
            self._update_counter()
            self._load_spans(self.section.id, self.query_text, hit)

    @work(thread=True, exclusive=True, exit_on_error=False, group="spans")
    def _load_spans(self, section_id: str, text: str, hit: str) -> None:
        try:
            spans = self.engine.spans(section_id, text)
            self.engine.match_terms(text)  # remembered, for the title's spans
        except Exception:  # the section stays readable, just unmarked
            spans = []
        self.post_message(SpansReady(section_id, text, spans, hit))

    @on(SpansReady)
    def _spans_ready(self, message: SpansReady) -> None:
        if self.section and self.section.id == message.section_id:
            if message.query == self.query_text:
                self._spans_pending = False
                self._apply_spans(message.spans, message.hit)

    def _apply_spans(self, spans: list[Span], hit: str = "first") -> None:
        if self.section is not None:
            title = self.engine.ready_spans(self.section.id, self.query_text, title=True)
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
        counter.show_count(self.query_text, reader.current, hits, here, len(ids), self._title_match)

    def action_next_hit(self) -> None:
        self._step_hit(1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        """Move the current hit; past either end, continue in the next/previous result."""
        if not self.query_text:
            self.notify("Nothing is searched yet: press / and type.", timeout=3)
            return
        if self._spans_pending:
            self.notify("Still finding the matches in this long section…", timeout=2)
            return
        reader = self.query_one(ReadingView)
        count, current = len(reader.spans), reader.current
        if count and current is not None and 0 <= current + step < count:
            reader.set_current(current + step)
            self._update_counter()
            return
        ids = self.query_one(ResultsList).section_ids
        if not ids:
            self.notify("No matches for this search.", timeout=3)
            return
        here = ids.index(self.section.id) if self.section and self.section.id in ids else None
        if here is None:
            target = 0 if step > 0 else len(ids) - 1
        else:
            target = here + step
        if not 0 <= target < len(ids):
            target %= len(ids)
            where = "first" if step > 0 else "last"
            self.notify(f"Continuing from the {where} result.", timeout=2)
        if self.section and ids[target] == self.section.id and count:
            reader.set_current(0 if step > 0 else count - 1)
            self._update_counter()
            return
        self.open_section(ids[target], hit="first" if step > 0 else "last")

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

    # -- a live library (see explorer_library) -------------------------------------------
    def show_index_progress(self, done: int | None, total: int | None) -> None:
        explorer_library.show_index_progress(self, done, total)

    def library_changed(self, change: LibraryChange) -> None:
        explorer_library.apply_change(self, change)

    # -- bookmarks (filled by the app's bookmarked_ids) ----------------------------------
    def _bookmarks_changed(self, ids: frozenset[str]) -> None:
        self.query_one(PillarsTree).set_bookmarked(ids)
        self.query_one(ResultsList).set_bookmarked(ids)

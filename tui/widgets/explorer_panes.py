"""The explorer's two panes: the navigator (pillars, or results while searching) and the
reading pane, side by side from NARROW_BELOW columns, one at a time below.

The navigator is as wide as its longest section title needs, while the reading pane keeps
room for comfortable lines; the reader can widen or narrow it, or zoom the reading pane to
the whole width. The container only lays out and reports (`LayoutChanged`); the screen
decides what to show and saves the choice.
"""

from __future__ import annotations

from typing import Literal

from partner_tui.search.model import Briefing
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.reading_header import Breadcrumb, HitCounter, ReadingStatus
from partner_tui.tui.widgets.reading_view import ReadingView
from partner_tui.tui.widgets.results_list import ResultsList
from partner_tui.tui.widgets.search_summary import SearchSummary
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ContentSwitcher

Pane = Literal["pillars", "results", "reading"]
FOCUS_ORDER: tuple[Pane, ...] = ("pillars", "results", "reading")
NARROW_BELOW = 80
READING_MIN = 44
NAVIGATOR_MIN = 22
RESIZE_STEP = 4
PANE_CHROME = 3  # the tree's scrollbar and a cell of air


def navigator_width(total: int, natural: int, delta: int = 0) -> int:
    """The navigator's width in a `total`-cell terminal: what its content needs
    (`natural`) while the reading pane keeps READING_MIN cells or 45%, then the reader's
    own adjustment `delta`; never so wide or narrow that a pane becomes useless."""
    reading_room = max(READING_MIN, int(total * 0.45))
    fitted = max(NAVIGATOR_MIN, min(natural, total - reading_room))
    return max(NAVIGATOR_MIN, min(fitted + delta, total - NAVIGATOR_MIN))


class ExplorerPanes(Horizontal):
    DEFAULT_CSS = """
    ExplorerPanes {
        height: 1fr;
    }
    ExplorerPanes .pane {
        height: 1fr;
        border-top: solid $panel-lighten-2;
        border-title-align: left;
        border-title-color: $text;
    }
    /* The pane holding focus: heavier rule and reversed title, visible without colour. */
    ExplorerPanes .pane:focus-within {
        border-top: heavy $accent;
        border-title-style: bold reverse;
    }
    ExplorerPanes #navigator {
        width: 32;
    }
    ExplorerPanes #reading-pane {
        width: 1fr;
    }
    ExplorerPanes #navigator-views, ExplorerPanes #results-view {
        height: 1fr;
    }
    ExplorerPanes #reader {
        padding: 0 0 0 1;
    }
    ExplorerPanes.-zoomed #navigator, ExplorerPanes.-narrow .pane {
        display: none;
    }
    ExplorerPanes.-narrow .pane.-shown {
        display: block;
        width: 1fr;
    }
    """

    class LayoutChanged(Message):
        """The reader resized the navigator or zoomed: worth remembering."""

        def __init__(self, delta: int, zoomed: bool) -> None:
            super().__init__()
            self.delta = delta
            self.zoomed = zoomed

    def __init__(
        self, briefings: list[Briefing], *, delta: int = 0, zoomed: bool = False, id: str
    ) -> None:
        super().__init__(id=id)
        self._briefings = briefings
        self.delta = delta
        self.zoomed = zoomed
        self.view: Literal["pillars", "results"] = "pillars"
        self._titled_view: str | None = None
        self.shown: Literal["navigator", "reading"] = "reading"
        """The one pane a narrow terminal shows."""

    def compose(self) -> ComposeResult:
        with Vertical(id="navigator", classes="pane"):
            with ContentSwitcher(id="navigator-views", initial="pillars"):
                yield PillarsTree(self._briefings, id="pillars")
                with Vertical(id="results-view"):
                    yield SearchSummary(id="summary")
                    yield ResultsList(id="results")
        with Vertical(id="reading-pane", classes="pane -shown") as pane:
            pane.border_title = "Reading"
            yield Breadcrumb(id="breadcrumb")
            yield ReadingStatus(id="reading-status")
            yield HitCounter(id="hit-counter")
            yield ReadingView(id="reader")

    def on_mount(self) -> None:
        self._title_navigator()

    # -- what the screen calls ---------------------------------------------------------
    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def lay_out(self, width: int) -> None:
        """Fit the panes to a terminal `width` cells wide."""
        self.set_class(width < NARROW_BELOW, "-narrow")
        self.set_class(self.zoomed and not self.narrow, "-zoomed")
        natural = self.query_one(PillarsTree).natural_width() + PANE_CHROME
        navigator = self.query_one("#navigator")
        if self.narrow:
            navigator.styles.width = "1fr"
        else:
            navigator.styles.width = navigator_width(width, natural, self.delta)

    def show_view(self, view: Literal["pillars", "results"]) -> None:
        """Which list the navigator shows."""
        self.view = view
        self.query_one(ContentSwitcher).current = "pillars" if view == "pillars" else "results-view"
        self._title_navigator()

    def focus_pane(self, pane: Pane) -> None:
        if pane == "reading":
            self._show("reading")
            self.query_one(ReadingView).focus()
            return
        self.show_view(pane)
        if self.zoomed:  # asking for a list ends the zoom
            self.toggle_zoom()
        self._show("navigator")
        self.widget_of(pane).focus()

    def pane_of(self, widget: Widget | None) -> Pane | None:
        for pane in FOCUS_ORDER:
            if widget is self.widget_of(pane):
                return pane
        return None

    def next_pane(self, here: Pane | None, step: int, with_results: bool) -> Pane | None:
        """The pane `step` places from `here` in FOCUS_ORDER, the results only when
        `with_results`; None stands for the search bar, before the first pane."""
        chain: list[Pane | None] = [
            None,
            *(p for p in FOCUS_ORDER if p != "results" or with_results),
        ]
        index = chain.index(here) if here in chain else (-1 if step > 0 else 0)
        return chain[(index + step) % len(chain)]

    def widget_of(self, pane: Pane) -> Widget:
        if pane == "pillars":
            return self.query_one(PillarsTree)
        if pane == "results":
            return self.query_one(ResultsList)
        return self.query_one(ReadingView)

    def resize_navigator(self, step: int) -> None:
        if self.zoomed:
            self.toggle_zoom()
        width = self.query_one("#navigator").outer_size.width
        self.delta += step * RESIZE_STEP
        self.lay_out(self.size.width)
        if self.query_one("#navigator").styles.width.value == width:  # type: ignore[union-attr]
            self.delta -= step * RESIZE_STEP  # at its limit: don't store a useless delta
        self.post_message(self.LayoutChanged(self.delta, self.zoomed))

    def toggle_zoom(self) -> None:
        self.zoomed = not self.zoomed
        self.lay_out(self.size.width)
        self.post_message(self.LayoutChanged(self.delta, self.zoomed))

    # -- inside ------------------------------------------------------------------------
    def on_descendant_focus(self) -> None:
        focused = self.screen.focused
        pane = self.pane_of(focused)
        if pane is not None:
            self._show("reading" if pane == "reading" else "navigator")
            if pane != "reading" and pane != self.view:
                self.show_view(pane)

    def _show(self, pane: Literal["navigator", "reading"]) -> None:
        self.shown = pane
        self.query_one("#navigator").set_class(pane == "navigator", "-shown")
        self.query_one("#reading-pane").set_class(pane == "reading", "-shown")

    def _title_navigator(self) -> None:
        # Only when the view changes: each title set repaints the whole navigator (the
        # results list included), and the screen asks for the view on every keystroke.
        if self._titled_view == self.view:
            return
        self._titled_view = self.view
        title = Text()
        for number, (view, name) in enumerate((("pillars", "1 Pillars"), ("results", "2 Results"))):
            if number:
                title.append(" · ", style="dim")
            title.append(name, style="bold underline" if view == self.view else "dim")
        self.query_one("#navigator").border_title = title

"""How the explorer follows a live library: index progress in the status line, and a
corpus that changed under the reader (tree, results and open section updated in place)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from partner_tui.search.engine import LibraryChange
from partner_tui.tui.widgets.pillars_tree import PillarsTree
from partner_tui.tui.widgets.reading_header import Breadcrumb
from partner_tui.tui.widgets.reading_view import ReadingView
from partner_tui.tui.widgets.search_summary import SearchSummary
from rich.text import Text

if TYPE_CHECKING:
    from partner_tui.tui.screens.explorer import ExplorerScreen

GONE = (
    "“{title}” is no longer in the briefings: its file was changed or removed. "
    "It stays on screen until you open another section."
)


def show_index_progress(screen: ExplorerScreen, done: int | None, total: int | None) -> None:
    """While the index is built the tree and reading work; searches wait: say how long."""
    if screen.query_text:
        return  # the summary shows the search, which will run once the index is there
    summary = screen.query_one(SearchSummary)
    if done is None or total is None or done >= total:
        summary.show_outcome(None, "")
        return
    share = 100 * done // max(total, 1)
    summary.show_text(
        Text(f"Indexing {done:,} of {total:,} sections ({share}%)… reading works meanwhile.")
    )


def apply_change(screen: ExplorerScreen, change: LibraryChange) -> None:
    tree = screen.query_one(PillarsTree)
    if change.reshaped:
        tree.show_briefings(screen.engine.briefings)
    else:  # only texts changed: rebuilding 10k nodes would hold the screen for seconds
        tree.update_sections([screen.engine.section(i) for i in change.changed])
    section = screen.section
    if section is not None:
        if section.id in change.removed:
            screen.notify(GONE.format(title=section.title), severity="warning", markup=False)
            screen.query_one(PillarsTree).reveal(section.id)
        elif section.id in change.changed:
            _reload_keeping_place(screen, section.id)
    if screen.query_text:
        screen.set_query(screen.query_text, debounce=False)  # results from the new version


def _reload_keeping_place(screen: ExplorerScreen, section_id: str) -> None:
    reader = screen.query_one(ReadingView)
    place = reader.top_offset  # by character offset: wrapping may differ in the new text
    section = screen.engine.section(section_id)
    screen.section = section
    screen.query_one(Breadcrumb).show_section(section)
    reader.show(section.body, [], runs=section.runs, top_offset=place)
    screen.keep_place = True  # the next highlight must not jump to the first match
    if not screen.query_text:
        return
    screen._highlight_open_section()

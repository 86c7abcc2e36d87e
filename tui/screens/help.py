"""Every key, read from the bindings themselves: `?` or `f1` opens it, escape/q/`?` close it."""

from __future__ import annotations

from partner_tui.tui.providers.key_commands import help_rows
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# Things to know that are no key of ours (typing, the list widgets' own enter).
NOTES: dict[str, list[tuple[str, str]]] = {
    "Search": [
        ("type", "results update as you type"),
        ("enter", "in the search bar: open the top result"),
    ],
    "Moving around": [("enter", "open the selected pillar, section or result")],
    "Other": [("ctrl+p", "command palette: jump to a section, switch theme, any action")],
}


def key_groups() -> list[tuple[str, list[BindingType]]]:
    """The bindings of every part of the explorer, grouped as help shows them."""
    from partner_tui.tui.app import PartnerApp
    from partner_tui.tui.screens.bookmarks import BookmarksScreen
    from partner_tui.tui.screens.bookmarks_edit import EditLine
    from partner_tui.tui.screens.explorer_keys import EXPLORER_BINDINGS
    from partner_tui.tui.widgets.pillars_tree import PillarsTree
    from partner_tui.tui.widgets.reading_view import ReadingView
    from partner_tui.tui.widgets.results_list import ResultsList
    from partner_tui.tui.widgets.search_bar import SearchBar

    def explorer(*actions: str) -> list[BindingType]:
        return [b for b in EXPLORER_BINDINGS if isinstance(b, Binding) and b.action in actions]

    search = ("focus_search", "accept_suggestion", "next_hit", "previous_hit")
    bookmarks = (
        "app.toggle_bookmark",
        "app.show_bookmarks",
        "app.next_bookmark",
        "app.previous_bookmark",
    )
    used = {*search, *bookmarks, "copy_section"}
    moving = [b for b in EXPLORER_BINDINGS if isinstance(b, Binding) and b.action not in used]
    return [
        ("Search", [*explorer(*search), *SearchBar.BINDINGS]),
        ("Moving around", [*moving, *ReadingView.BINDINGS, *PillarsTree.BINDINGS]),
        ("Results and bookmark lists", list(ResultsList.BINDINGS)),
        ("Bookmarks", [*explorer(*bookmarks), *BookmarksScreen.BINDINGS, *EditLine.BINDINGS]),
        ("Other", [*explorer("copy_section"), *PartnerApp.BINDINGS]),
    ]


def listed_keys() -> set[str]:
    """Every key help names (for checking that none is left out)."""
    keys: set[str] = set()
    for group, bindings in key_groups():
        for names, _ in [*NOTES.get(group, []), *help_rows(bindings)]:
            keys.update(name.strip() for name in names.split(","))
    return keys


def help_table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for number, (group, bindings) in enumerate(key_groups()):
        if number:
            table.add_row("", "")
        table.add_row(Text(group, style="bold underline"), "")
        for keys, meaning in [*NOTES.get(group, []), *help_rows(bindings)]:
            table.add_row(Text(keys), Text(meaning))
    return table


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 84;
        height: 90%;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss_help", "Close help"),
        Binding("j,down", "scroll('down')", "Down", show=False),
        Binding("k,up", "scroll('up')", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "escape closes"
            yield Static(help_table(), id="help-table")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_down() if direction == "down" else scroll.scroll_up()

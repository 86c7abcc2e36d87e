"""Every key, in one place: `?` or `f1` opens it, escape/q/`?` close it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# (keys as shown, what they do), grouped. Tests check every bound key is listed here.
KEY_HELP: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Search",
        (
            ("/", "focus the search bar (from anywhere)"),
            ("type", "results update as you type"),
            ("enter", "in the search bar: open the top result"),
            ("escape, down", "leave the search bar for the results"),
            ("ctrl+y", "accept the did-you-mean suggestion"),
            ("n", "next hit (continues into the next result)"),
            ("N", "previous hit (continues into the previous result)"),
        ),
    ),
    (
        "Moving around",
        (
            ("tab, shift+tab", "next / previous pane (search, pillars, results, reading)"),
            ("w, f2", "switch pane on a narrow terminal"),
            ("enter", "open the selected pillar, section or result"),
            ("j, k, up, down", "move or scroll one line"),
            ("g, G, home, end", "go to the top / bottom"),
            ("space, pagedown, pageup", "scroll a page"),
            ("d, u", "scroll half a page down / up"),
            ("[, alt+left", "back to the previously read section"),
            ("], alt+right", "forward again"),
        ),
    ),
    (
        "Bookmarks",
        (
            ("b", "bookmark the section you read; again removes it (and again puts it back)"),
            ("B", "your bookmarks: open, filter, note, tags, delete"),
            ("m, M", "next / previous bookmark in reading order (wraps around)"),
            ("enter", "in your bookmarks: open the selected one"),
            ("/", "in your bookmarks: filter by words in title, pillar, note or tags"),
            ("e", "edit the selected bookmark's note (enter saves, escape cancels)"),
            ("t", "edit its tags, separated by commas"),
            ("d, delete", "delete the selected bookmark"),
            ("u", "undo the delete"),
            ("r", "accept the new text of a section marked “changed”"),
            ("], [", "in your bookmarks: next / previous page of 100"),
            ("escape, q", "close your bookmarks"),
        ),
    ),
    (
        "Other",
        (
            ("c", "copy the section as a quotation with its citation"),
            ("ctrl+p", "command palette: jump to a section, switch theme, any action"),
            ("?, f1", "this help"),
            ("q, ctrl+q", "quit (the section you read is reopened next time)"),
        ),
    ),
)


def help_table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for number, (group, rows) in enumerate(KEY_HELP):
        if number:
            table.add_row("", "")
        table.add_row(Text(group, style="bold underline"), "")
        for keys, meaning in rows:
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

"""The query input. Escape or down leaves it for the results; enter opens the top result."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = 'Search: words, "a phrase", digi*, word~, -not, OR   (press / to come back)'


class SearchBar(Input):
    DEFAULT_CSS = """
    SearchBar {
        margin: 0;
    }
    """

    BINDINGS = [
        Binding("escape", "leave", "Leave search", show=False),
        Binding("down", "leave", "To results", show=False),
    ]

    class Left(Message):
        """The reader wants to leave the search bar (escape or down)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)

    def action_leave(self) -> None:
        self.post_message(self.Left())

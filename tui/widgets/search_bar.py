"""The query input. Escape or down leaves it for the results; enter opens the top result."""

from __future__ import annotations

from textual import events
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
        """The reader wants to leave the search bar (escape or down), maybe then press a key."""

        def __init__(self, then_key: str | None = None) -> None:
            super().__init__()
            self.then_key = then_key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)

    def action_leave(self) -> None:
        self.post_message(self.Left())

    def on_key(self, event: events.Key) -> None:
        """Escape then a key in quick succession (typical over a slow SSH link) arrives as
        one alt+key: read it as the reader meant it, leave the search bar, then that key."""
        modifier, _, key = event.key.partition("+")
        if modifier == "alt" and len(key) == 1:
            event.stop()
            event.prevent_default()
            self.post_message(self.Left(then_key=key))

"""The query input: up/down walk the search history, escape leaves, enter opens the top result.

Keys that arrive in one burst (typed fast, or sent together over SSH) keep their order
here. Textual inserts a printable key as the Input reads it, but runs an Input's *bound*
keys (backspace, ctrl+u, arrows…) only once the key has bubbled up to the App, after the
characters queued behind it: `license⌫warranty` became `licensewarrant`. (Upstream
Textual issue 6605.) So the bar runs its own bindings the moment it reads the key.

A typed character repaints the bar only. Textual's Input records its text's width as its
virtual size, and every change of that size asks for a layout of the whole screen: one
per keystroke, 7 to 13 ms of the event loop's CPU, spent while the search for that key
runs in its worker and competes with it for the interpreter. The bar's size never depends
on its text (its width and height are fixed by the stylesheet, it scrolls itself), so
that layout changes nothing on screen and is skipped.
"""

from __future__ import annotations

from partner_tui.tui.state.search_history import SearchHistory
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input
from textual.widgets.input import Selection

PLACEHOLDER = 'Search: words, "a phrase", digi*, word~, -not, OR   (press / to come back)'


def one_line(text: str) -> str:
    """Pasted text as one line: line breaks and tabs become single spaces."""
    return " ".join(text.split()) if any(c in text for c in "\r\n\t") else text


class SearchBar(Input):
    _value_changing = False
    DEFAULT_CSS = """
    SearchBar {
        margin: 0;
    }
    """

    BINDINGS = [
        Binding(
            "escape", "leave", "Leave", show=False, tooltip="leave the search bar for the results"
        ),
        Binding("up", "history(-1)", "Older search", show=False, tooltip="previous search"),
        Binding("down", "history(1)", "Newer search", show=False, tooltip="next search"),
    ]

    class Left(Message):
        """The reader wants to leave the search bar (escape), maybe then press a key."""

        def __init__(self, then_key: str | None = None) -> None:
            super().__init__()
            self.then_key = then_key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)
        self.history = SearchHistory()
        """Set by the screen to the user's own; the bar only walks it."""

    def _watch_value(self, value: str) -> None:
        self._value_changing = True
        try:
            super()._watch_value(value)
        finally:
            self._value_changing = False

    def refresh(
        self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False
    ):
        if layout and self._value_changing and not self.styles.auto_dimensions:
            layout, repaint = False, True  # see the module docstring
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def start_fresh(self) -> None:
        """Select the whole query, so what is typed next replaces it (as `/` does in a
        browser's find bar); arrows keep it for editing."""
        self.history.stop_walking()
        self.selection = Selection(0, len(self.value))

    def action_leave(self) -> None:
        self.history.stop_walking()
        self.post_message(self.Left())

    def action_history(self, step: int) -> None:
        entry = self.history.older(self.value) if step < 0 else self.history.newer()
        if entry is None:
            self.app.bell()
            return
        self.value = entry
        self.cursor_position = len(entry)

    async def _on_key(self, event: events.Key) -> None:
        modifier, _, key = event.key.partition("+")
        if modifier == "alt" and len(key) == 1:
            # Escape then a key in quick succession (typical over a slow SSH link) arrives
            # as one alt+key: read it as meant, leave the search bar, then that key.
            event.stop()
            event.prevent_default()
            self.post_message(self.Left(then_key=key))
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue
            # Now, in the order the keys came (see the module docstring).
            event.stop()
            event.prevent_default()
            await self.run_action(binding.action)
            return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        # Instead of Input's own (which keeps only the first line), not as well.
        event.prevent_default()
        event.stop()
        if event.text:
            line = one_line(event.text)
            if self.selection.is_empty:
                self.insert_text_at_cursor(line)
            else:
                self.replace(line, *self.selection)

"""A line of status text that is redrawn only when its text changes.

`Static.update` lays out the whole screen again (its height may change), and a search
updates the counter and the breadcrumb several times with, most often, the same text.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class QuietStatic(Static):
    _shown: Text | None = None

    def show_text(self, text: Text) -> None:
        if text == self._shown:
            return
        self._shown = text
        self.update(text)

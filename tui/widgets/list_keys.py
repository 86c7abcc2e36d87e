"""The less/vim keys every list in the explorer answers to, besides arrows and home/end."""

from __future__ import annotations

from textual.binding import Binding, BindingType

OPTION_LIST_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "first", "First", show=False),
    Binding("G", "last", "Last", show=False),
]

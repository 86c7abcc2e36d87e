"""The less/vim keys every list in the explorer answers to, besides arrows and home/end."""

from __future__ import annotations

from textual.binding import Binding, BindingType

# What help says about them (shared, so the lists and the reading view share its rows).
LINE_DOWN = "one line down (arrows too)"
LINE_UP = "one line up"
TOP = "to the top"
BOTTOM = "to the bottom"
PAGE_DOWN = "a page down"
PAGE_UP = "a page up"

OPTION_LIST_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False, tooltip=LINE_DOWN),
    Binding("k", "cursor_up", "Up", show=False, tooltip=LINE_UP),
    Binding("g", "first", "First", show=False, tooltip=TOP),
    Binding("G", "last", "Last", show=False, tooltip=BOTTOM),
]

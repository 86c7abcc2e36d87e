"""The explorer's keys: the one place that says what each does.

`description` is the Footer's short name; `tooltip` is the sentence that help (`?`) and
the command palette show. Help and palette are built from these bindings (and from the
widgets' and app's own), so there is no second list to keep in step.
"""

from __future__ import annotations

from textual.binding import Binding

ACCEPT_KEY = "ctrl+y"

EXPLORER_BINDINGS = [
    # Priority: checked when the key arrives, before the keys behind it are queued
    # for the old focus, so `/green` typed (or sent by SSH) in one burst all searches.
    Binding(
        "slash",
        "focus_search",
        "Search",
        key_display="/",
        priority=True,
        tooltip="a new search from anywhere: what you type replaces the old query",
    ),
    Binding("1", "focus_pane('pillars')", "Pillars", tooltip="the pillars of every briefing"),
    Binding("2", "focus_pane('results')", "Results", tooltip="the results of the search"),
    Binding("3", "focus_pane('reading')", "Reading", tooltip="the section you read"),
    # Not in the footer: the hit counter above the text names them while they apply.
    Binding(
        "n",
        "next_hit",
        "Next hit",
        show=False,
        tooltip="next hit (continues into the next result)",
    ),
    Binding(
        "N",
        "previous_hit",
        "Prev hit",
        key_display="N",
        show=False,
        tooltip="previous hit (continues into the previous result)",
    ),
    Binding(
        ACCEPT_KEY,
        "accept_suggestion",
        "Did you mean",
        priority=True,
        tooltip="search the did-you-mean suggestion",
    ),
    Binding(
        "left_square_bracket,alt+left",
        "back",
        "Back",
        key_display="[",
        tooltip="back to the section read before, where you left it",
    ),
    Binding(
        "right_square_bracket,alt+right",
        "forward",
        "Forward",
        show=False,
        tooltip="forward again, after going back",
    ),
    Binding(
        "escape",
        "back_to_list",
        "Back to the list",
        show=False,
        tooltip="in the reading view: back to the results or pillars you came from",
    ),
    Binding("z", "zoom", "Zoom", tooltip="the reading view at full width, or not (remembered)"),
    Binding(
        "less_than_sign",
        "resize_navigator(-1)",
        "Narrower list",
        key_display="<",
        show=False,
        tooltip="make the pillars and results pane narrower (remembered)",
    ),
    Binding(
        "greater_than_sign",
        "resize_navigator(1)",
        "Wider list",
        key_display=">",
        show=False,
        tooltip="make the pillars and results pane wider (remembered)",
    ),
    Binding("c", "copy_section", "Copy", show=False, tooltip="copy the section with its citation"),
    Binding("w,f2", "switch_pane", "Next pane", show=False, tooltip="the next pane, in turn"),
    Binding(
        "tab",
        "cycle_focus(1)",
        "Next pane",
        show=False,
        priority=True,
        tooltip="next pane: search bar, pillars, results, reading",
    ),
    Binding(
        "shift+tab",
        "cycle_focus(-1)",
        "Previous pane",
        show=False,
        priority=True,
        tooltip="previous pane",
    ),
    Binding(
        "b",
        "app.toggle_bookmark",
        "Bookmark",
        show=False,
        tooltip="bookmark the section you read; again removes it",
    ),
    Binding(
        "B",
        "app.show_bookmarks",
        "Bookmarks",
        key_display="B",
        show=False,
        tooltip="your bookmarks: open, filter, note, tags, delete",
    ),
    Binding(
        "m",
        "app.next_bookmark",
        "Next bookmark",
        show=False,
        tooltip="next bookmark in reading order (wraps around)",
    ),
    Binding(
        "M",
        "app.previous_bookmark",
        "Previous bookmark",
        key_display="M",
        show=False,
        tooltip="previous bookmark in reading order",
    ),
]

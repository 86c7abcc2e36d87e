"""Ranked search results: title, where it sits in the briefing, and a highlighted snippet.

Every line is built from document text (never markup); matched terms in the snippet are
styled by the engine's offsets with bold + underline, visible in mono. A result is
wrapped to the list's width with a hanging indent (see result_prompts). The search's
worker builds the options for the layout the list reports (`prompt_layout`); the list
builds them itself only when that layout changed meanwhile. When a search found more
than were asked for, a last option fetches more.
"""

from __future__ import annotations

from partner_tui.search.model import Hit
from partner_tui.tui.messages import SectionChosen
from partner_tui.tui.widgets.list_keys import OPTION_LIST_KEYS
from partner_tui.tui.widgets.result_prompts import (
    INDENT,
    PreparedResults,
    PromptLayout,
    result_option,
)
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

MORE_ID = "\0more"  # never a section id: section ids are slugs

SHOWN_AT_ONCE = 12
"""Results laid out at a time when the list builds them itself (after a resize, a theme
switch or a bookmark): the first dozen with the list, the next dozen after each paint.
Only about a dozen fit in view."""


class ResultsList(OptionList):
    """Option ids are section ids. Highlighting a result does nothing; enter opens it."""

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | {"results-list--match"}

    DEFAULT_CSS = """
    ResultsList {
        height: 1fr;
        max-height: 100%;
        border: none;
        background: $surface;
        /* The wrap width must not depend on whether the scrollbar shows yet. */
        scrollbar-gutter: stable;
    }
    ResultsList:focus {
        border: none;
    }
    ResultsList > .results-list--match {
        text-style: bold underline;
        color: $hit-foreground;
        background: $hit-background;
    }
    """

    BINDINGS = [
        *OPTION_LIST_KEYS,
        Binding(
            "b",
            "bookmark_highlighted",
            "Bookmark",
            show=False,
            tooltip="in the results: bookmark the highlighted result (again removes it)",
        ),
    ]

    class BookmarkWanted(Message):
        """`b` on a result: toggle the bookmark of that section (the app owns bookmarks)."""

        def __init__(self, section_id: str) -> None:
            super().__init__()
            self.section_id = section_id

    class MoreWanted(Message):
        """The reader chose 'more results': search again with a larger limit."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hits: tuple[Hit, ...] = ()
        self._more = 0  # matches found beyond the hits shown
        self._wrap_width = 0
        self._places: dict[str, str] = {}
        self._bookmarked: frozenset[str] = frozenset()
        self._layout = PromptLayout(0, 0, (), Style(), frozenset())
        self._laid_out = 0  # how many of the hits are options yet
        self._rebuilds = 0  # so a late "add the rest" for older hits does nothing

    @property
    def hits(self) -> tuple[Hit, ...]:
        return self._hits

    @property
    def section_ids(self) -> list[str]:
        return [hit.section_id for hit in self._hits]

    def prompt_layout(self) -> PromptLayout:
        """How results must be built to be shown as they are now (read on the loop,
        handed to the search's worker)."""
        styles = self.styles
        padding = self.get_component_styles("option-list--option").padding
        option_width = self.scrollable_content_region.width - self._get_left_gutter_width()
        return PromptLayout(
            wrap_width=self._content_width(),
            option_width=option_width - padding.width,
            rules=(
                ("line_pad", styles.get("line_pad", 0)),
                ("text_overflow", styles.get("text_overflow", "fold")),
                ("text_wrap", styles.get("text_wrap", "wrap")),
            ),
            # As Textual would convert it from a Rich style, with the theme's ANSI colours.
            match=Style.from_rich_style(
                self.get_component_rich_style("results-list--match", partial=True),
                self.app.ansi_theme,
            ),
            bookmarked=self._bookmarked,
        )

    def show_hits(
        self,
        hits: tuple[Hit, ...],
        places: dict[str, str],
        total: int | None = None,
        keep_highlight: bool = False,
        prepared: PreparedResults | None = None,
    ) -> None:
        """Replace the results; `places` maps a section id to its 'briefing › pillar';
        `total` counts every match, so the list can offer the rest; `prepared`: the
        options a worker built for these hits (used if the layout is still the same)."""
        self._hits = hits
        self._places = places
        self._more = max(0, (total or 0) - len(hits))
        self._rebuild(keep_highlight=keep_highlight, prepared=prepared)

    def action_bookmark_highlighted(self) -> None:
        index = self.highlighted
        if index is not None and index < len(self._hits):
            self.post_message(self.BookmarkWanted(self._hits[index].section_id))

    def on_resize(self) -> None:
        if self._hits and self._content_width() != self._wrap_width:
            self._rebuild(keep_highlight=True)

    def restyle(self) -> None:
        """After a theme switch: the matches' style is baked into the prompts."""
        if self._hits:
            self._rebuild(keep_highlight=True)

    def _content_width(self) -> int:
        return max(0, self.scrollable_content_region.width - 1)

    def set_bookmarked(self, section_ids: frozenset[str]) -> None:
        self._bookmarked = section_ids
        if self._hits:
            self._rebuild(keep_highlight=True)

    def highlight_section(self, section_id: str) -> None:
        if section_id in self.section_ids:
            index = self.section_ids.index(section_id)
            if index >= self.option_count:
                self._add_the_rest()
            self.highlighted = index

    # Moving past the options laid out so far needs the rest (down from the last would
    # wrap to the first, up from the first to the wrong last).
    def action_cursor_down(self) -> None:
        self._add_the_rest()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._add_the_rest()
        super().action_cursor_up()

    def action_last(self) -> None:
        self._add_the_rest()
        super().action_last()

    def action_page_down(self) -> None:
        self._add_the_rest()
        super().action_page_down()

    def _rebuild(self, keep_highlight: bool, prepared: PreparedResults | None = None) -> None:
        highlighted = self.highlighted if keep_highlight else None
        self._layout = self.prompt_layout()
        self._wrap_width = self._layout.wrap_width
        self._rebuilds += 1
        count = len(self._hits)
        if prepared is not None and prepared.hits is self._hits and prepared.layout == self._layout:
            self._laid_out = count = len(prepared.options)
            self.set_options(prepared.options)
            if highlighted is not None and highlighted >= count:  # keep the place
                self.add_options(self._option(hit) for hit in self._hits[count:])
                self._laid_out = count = len(self._hits)
        else:
            if highlighted is None or highlighted < SHOWN_AT_ONCE:  # else: keep the place
                count = min(count, SHOWN_AT_ONCE)
            self._laid_out = count
            self.set_options(self._option(hit) for hit in self._hits[:count])
        if count < len(self._hits):
            self.call_after_refresh(self._add_more, self._rebuilds)
        else:
            self._add_more_option()
        if self._hits:
            self.highlighted = highlighted if highlighted is not None else 0

    def _add_more(self, rebuild: int) -> None:
        """The next dozen, then again after the next paint until all are laid out."""
        if rebuild != self._rebuilds:
            return  # the list was rebuilt since: that rebuild adds its own
        self._add_the_rest(upto=self._laid_out + SHOWN_AT_ONCE)
        if self._laid_out < len(self._hits):
            self.call_after_refresh(self._add_more, rebuild)

    def _add_the_rest(self, upto: int | None = None) -> None:
        more = self._hits[self._laid_out : upto]
        if more:
            self._laid_out += len(more)
            self.add_options(self._option(hit) for hit in more)
            if self._laid_out == len(self._hits):
                self._add_more_option()

    def _add_more_option(self) -> None:
        if self._more:
            label = Text(f"{INDENT}… {self._more} more: enter shows them\n", style="italic")
            self.add_option(Option(label, id=MORE_ID))

    def _option(self, hit: Hit) -> Option:
        return result_option(hit, self._places.get(hit.section_id, ""), self._layout)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == MORE_ID:
            self.post_message(self.MoreWanted())
        elif event.option.id:
            self.post_message(SectionChosen(event.option.id, focus_reader=True))

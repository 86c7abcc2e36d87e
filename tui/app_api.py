"""What screens and command-palette providers may ask of the app, typed.

Textual gives every widget `self.app` as a plain `App`, so a call such as
`self.app.open_bookmark(...)` is unchecked: rename the method and nothing notices until
a key is pressed. Screens and providers call `partner_app(self.app)` instead. This Protocol
is the whole list of what they may call beyond Textual's own `App`; mypy checks both the
callers and that `PartnerApp` keeps every promise made here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from partner_tui.search.engine import Engine
    from partner_tui.tui.state.bookmark_model import Bookmark
    from partner_tui.tui.store_work import StoreWork
    from textual.app import App
    from textual.screen import Screen


class PartnerAppAPI(Protocol):
    @property
    def engine(self) -> Engine:
        """The one search engine the app and its screens share."""
        ...

    @property
    def store_work(self) -> StoreWork:
        """Where bookmark reads and writes run: never on the event loop."""
        ...

    @property
    def explorer(self) -> Screen[Any]:
        """The explorer screen (the palette runs its actions there)."""
        ...

    def open_section(self, section_id: str) -> None:
        """Read a section, closing the bookmarks list if it is on top."""

    @property
    def bookmarked_ids(self) -> frozenset[str]:
        """Section ids that carry a bookmark."""
        ...

    def section_opened(
        self, section_id: str, history: list[str], positions: dict[str, int] | None = None
    ) -> None:
        """The explorer reports each section read, with its visits and where each section
        was left, to be remembered."""

    def remember_layout(self, navigator_delta: int, zoomed: bool) -> None:
        """The reader resized the navigator or zoomed the reading view."""

    def remember_searches(self, searches: list[str]) -> None:
        """The search history changed."""

    def toggle_bookmark_of(self, section_id: str) -> None:
        """Bookmark a section, or remove its bookmark."""

    def bookmark_list(self) -> list[Bookmark]:
        """The reader's bookmarks (empty when bookmarks are off). It reads SQLite: call it
        from a worker thread."""
        ...

    def open_bookmark(self, bookmark: Bookmark) -> None:
        """Read a bookmarked section, or say why it cannot be."""


def partner_app(app: App[Any]) -> PartnerAppAPI:
    """`self.app` of a screen, widget or provider, as the typed API above."""
    return cast(PartnerAppAPI, app)

"""Palette: "Go to bookmark: <title>" for each of the reader's bookmarks.

The provider reads nothing itself: it asks the app for the bookmarks once when the
palette opens (`app.bookmark_list()`, in a thread: it reads SQLite), and opening goes
through `app.open_bookmark`, which also explains a bookmark whose section is missing.
"""

from __future__ import annotations

import asyncio
from functools import partial

from partner_tui.search.text_cleaning import strip_controls
from partner_tui.tui.app_api import partner_app
from partner_tui.tui.providers.fuzzy_text import highlighted
from partner_tui.tui.state.bookmark_model import Bookmark
from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

PREFIX = "Go to bookmark: "


def _name(bookmark: Bookmark) -> str:
    return " ".join(strip_controls(bookmark.title).split())


class BookmarksProvider(Provider):
    async def startup(self) -> None:
        # Off the event loop: the palette stays responsive while the store is read.
        app = partner_app(self.app)
        self._bookmarks: list[Bookmark] = await asyncio.to_thread(app.bookmark_list)

    def _open(self, bookmark: Bookmark) -> None:
        partner_app(self.app).open_bookmark(bookmark)

    async def discover(self) -> Hits:
        for bookmark in self._bookmarks:
            name = f"{PREFIX}{_name(bookmark)}"
            yield DiscoveryHit(Text(name), partial(self._open, bookmark), text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for bookmark in self._bookmarks:
            name = f"{PREFIX}{_name(bookmark)}"
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, highlighted(matcher, name), partial(self._open, bookmark), text=name
                )

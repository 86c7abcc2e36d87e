"""Palette: switch to any registered theme ("Theme: partner-light")."""

from __future__ import annotations

from functools import partial

from partner_tui.tui.providers.fuzzy_text import highlighted
from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ThemesProvider(Provider):
    def _names(self) -> list[str]:
        return sorted(self.app.available_themes)

    def _switch(self, name: str) -> None:
        self.app.theme = name

    async def discover(self) -> Hits:
        for name in self._names():
            if name.startswith("partner-"):
                yield DiscoveryHit(Text(f"Theme: {name}"), partial(self._switch, name))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name in self._names():
            candidate = f"Theme: {name}"
            score = matcher.match(candidate)
            if score > 0:
                yield Hit(score, highlighted(matcher, candidate), partial(self._switch, name))

"""Palette: jump to any pillar or section by name ("Go to …")."""

from __future__ import annotations

from functools import partial

from partner_tui.tui.app_api import partner_app
from partner_tui.tui.providers.fuzzy_text import highlighted
from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

SEPARATOR = " › "


class SectionsProvider(Provider):
    def _targets(self) -> list[tuple[str, str]]:
        """(what the reader types against, section id) for every section of every briefing."""
        targets = []
        for briefing in partner_app(self.app).engine.briefings:
            for section in briefing.sections:
                targets.append((SEPARATOR.join(section.path), section.id))
        return targets

    def _jump(self, section_id: str) -> None:
        partner_app(self.app).open_section(section_id)

    async def discover(self) -> Hits:
        for name, section_id in self._targets():
            yield DiscoveryHit(
                Text(f"Go to {name}"), partial(self._jump, section_id), text=f"Go to {name}"
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, section_id in self._targets():
            score = matcher.match(name)
            if score > 0:
                prompt = Text("Go to ").append_text(highlighted(matcher, name))
                yield Hit(score, prompt, partial(self._jump, section_id), text=f"Go to {name}")

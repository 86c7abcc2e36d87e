"""Palette: jump to any pillar or section by name ("Go to Briefing › Pillar › Section").

The whole label shown is what is matched, so "go to conclusion" finds it, and the
briefing's name tells apart the many "Overview" sections of many briefings."""

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
                label = SEPARATOR.join((briefing.title, *section.path))
                targets.append((f"Go to {label}", section.id))
        return targets

    def _jump(self, section_id: str) -> None:
        partner_app(self.app).open_section(section_id)

    async def discover(self) -> Hits:
        for label, section_id in self._targets():
            yield DiscoveryHit(Text(label), partial(self._jump, section_id), text=label)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, section_id in self._targets():
            score = matcher.match(label)
            if score > 0:
                prompt = highlighted(matcher, label)
                yield Hit(score, prompt, partial(self._jump, section_id), text=label)

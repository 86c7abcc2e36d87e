"""Palette: every explorer action by name, with its key, for those who forget keys."""

from __future__ import annotations

from partner_tui.tui.app_api import partner_app
from partner_tui.tui.providers.fuzzy_text import highlighted
from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

# (name shown, key shown, action on the explorer screen, or "app." for the app)
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Search", "/", "focus_search"),
    ("Next hit", "n", "next_hit"),
    ("Previous hit", "N", "previous_hit"),
    ("Accept the did-you-mean suggestion", "ctrl+y", "accept_suggestion"),
    ("Back to the previous section", "[", "back"),
    ("Forward to the next section", "]", "forward"),
    ("Copy the section with its citation", "c", "copy_section"),
    ("Switch pane", "w", "switch_pane"),
    ("Bookmark this section (or remove its bookmark)", "b", "app.toggle_bookmark"),
    ("Bookmarks: list, filter, edit", "B", "app.show_bookmarks"),
    ("Next bookmark", "m", "app.next_bookmark"),
    ("Previous bookmark", "M", "app.previous_bookmark"),
    ("Help: every key", "?", "app.help"),
)


class ActionsProvider(Provider):
    async def _run(self, action: str) -> None:
        if action.startswith("app."):
            await self.app.run_action(action[4:])
        else:
            await self.app.run_action(action, partner_app(self.app).explorer)

    def _command(self, action: str):
        async def command() -> None:
            await self._run(action)

        return command

    async def discover(self) -> Hits:
        for name, key, action in ACTIONS:
            yield DiscoveryHit(Text(name), self._command(action), help=escape(f"key: {key}"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, key, action in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, name),
                    self._command(action),
                    help=escape(f"key: {key}"),
                )

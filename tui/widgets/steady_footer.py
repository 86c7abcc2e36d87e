"""The key bar: Textual's Footer, rebuilt only when the keys it would show change.

Textual's Footer rebuilds itself (a dozen key widgets mounted and styled again) whenever
the screen's bindings may have changed, which is every move of focus. Most moves leave
the same keys on show: two rebuilds in three were of identical content, and together they
were about a third of the CPU a keypress cost (in a session over SSH as in the tests).
This footer compares what it would show with what it shows and skips the identical ones.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Footer


class SteadyFooter(Footer):
    _shown: tuple[object, ...] | None = None

    def _keys_on_show(self) -> tuple[object, ...]:
        """Everything Footer.compose reads that can change: the bindings it would draw
        (each with whether it is enabled and its tooltip) and the palette key."""
        palette_key = self.app.COMMAND_PALETTE_BINDING
        shown: list[tuple[Binding, bool, str]] = [
            (binding, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette_key
        ]
        return (self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE, *shown)

    async def recompose(self) -> None:
        if not self.is_attached:  # asked for after refresh, by then the screen was closed
            return
        keys = self._keys_on_show()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()

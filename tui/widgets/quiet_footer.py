"""The key footer, rebuilt only when the keys it shows change.

Textual's Footer throws its keys away and composes new ones whenever the screen's
bindings may have changed: every focus move, every `refresh_bindings`. That is a few
dozen milliseconds on the event loop each time (three times before the first screen is
up, and again on keystrokes that move focus), usually to draw the very same keys.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[object, ...], ...]


class QuietFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # nothing is drawn: Textual's own rules
            return
        shown = self._keys_shown(screen)
        if self._bindings_ready and shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)

    def _keys_shown(self, screen: Screen) -> Shown:
        """What `compose` reads from the bindings, in its order."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (binding, enabled, tooltip, self.app.get_key_display(binding))
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )

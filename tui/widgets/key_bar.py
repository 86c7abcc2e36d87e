"""The key bar: the screen's keys on the bottom line, drawn as one widget.

It shows what Textual's Footer shows (each action's first shown binding, in the order the
screen reports them, disabled ones dimmed, the palette key at the right edge behind a
thin rule) and looks the same. The Footer makes a widget per key: at the first screen that
was a third of the widgets, each mounted, styled, laid out and drawn, about 50 ms of
the start's CPU time (a tenth), and it rebuilt them when the keys changed. Here a change
of keys is a new line of text. A click on a key presses it, as in the Footer; the
pointer over a key highlights it and shows its tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class ShownKey:
    key: str
    """The key pressed when the entry is clicked (its binding's first key)."""
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool = False


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--hover",
        "key-bar--rule",
    }
    # The Footer's and its keys' rules (textual/widgets/_footer.py), on one widget.
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--hover {
        color: $footer-key-foreground;
        background: $block-hover-background;
    }
    KeyBar > .key-bar--rule {
        color: $foreground 20%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: tuple[ShownKey, ...] | None = None
        self._cells: list[tuple[int, int, ShownKey]] = []  # where each key was drawn
        self._hovered: ShownKey | None = None

    @property
    def keys(self) -> tuple[ShownKey, ...]:
        """The keys on show, left to right, the palette key last."""
        if self._keys is None:
            self._keys = self._keys_of(self.screen)
        return self._keys

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        keys = self._keys_of(screen)
        if keys != self._keys:
            self._keys = keys
            self.refresh()

    def _keys_of(self, screen: Screen) -> tuple[ShownKey, ...]:
        """What Footer.compose would make keys of, in its order."""
        app = self.app
        active = screen.active_bindings
        shown: dict[str, ShownKey] = {}
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = ShownKey(
                    binding.key.split(",")[0].strip(),
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    enabled,
                    tooltip,
                )
        keys = list(shown.values())
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            keys.append(
                ShownKey(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    enabled,
                    binding.tooltip or binding.description,
                    palette=True,
                )
            )
        return tuple(keys)

    # -- drawing -------------------------------------------------------------------------
    def render(self) -> Text:
        width = self.size.width
        keys = self.keys
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        hover_style = self.get_component_rich_style("key-bar--hover")
        dim = Style(dim=True)
        palette = keys[-1] if keys and keys[-1].palette else None
        # The palette key sits at the right edge (docked, in the Footer): a rule, then
        # drawn compact (no cell around the key) and a cell of padding.
        palette_width = len(palette.display) + len(palette.description) + 3 if palette else 0
        line = Text(no_wrap=True, overflow="crop", end="")
        self._cells = []
        room = max(0, width - palette_width)
        for key in keys:
            if key.palette:
                continue
            self._append_key(line, key, key_style, description_style, hover_style, dim)
        line.truncate(room, pad=True)
        self._cells = [cell for cell in self._cells if cell[0] < room]
        if palette is not None:
            line.append("▏", self.get_component_rich_style("key-bar--rule"))
            self._append_key(
                line, palette, key_style, description_style, hover_style, dim, compact=True
            )
            line.append(" ")
        return line

    def _append_key(
        self,
        line: Text,
        key: ShownKey,
        key_style: Style,
        description_style: Style,
        hover_style: Style,
        dim: Style,
        compact: bool = False,
    ) -> None:
        start = len(line)
        if key is self._hovered:  # the parts' own colours over the hover background
            key_style = hover_style + self.get_component_rich_style("key-bar--key", partial=True)
            description_style = hover_style + self.get_component_rich_style(
                "key-bar--description", partial=True
            )
        base = Style() if key.enabled else dim
        if compact:
            line.append(key.display, base + key_style)
            if key.description:
                line.append(f" {key.description}", base + description_style)
        else:
            line.append(f" {key.display} ", base + key_style)
            if key.description:
                line.append(f"{key.description} ", base + description_style)
        self._cells.append((start, len(line), key))

    # -- the pointer ---------------------------------------------------------------------
    def _key_at(self, x: int) -> ShownKey | None:
        return next((key for start, end, key in self._cells if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self._key_at(event.x))

    def on_leave(self) -> None:
        self._hover(None)

    def _hover(self, key: ShownKey | None) -> None:
        if key is not self._hovered:
            self._hovered = key
            self.tooltip = key.tooltip if key is not None else None
            self.refresh()

"""The key bar: Textual's Footer, rebuilt only when the keys it would show change.

Textual's Footer rebuilds itself (a dozen key widgets mounted and styled again) whenever
the screen's bindings may have changed, which is every move of focus. Most moves leave
the same keys on show: two rebuilds in three were of identical content, and together they
were about a third of the CPU a keypress cost (in a session over SSH as in the tests).
This footer compares what it would show with what it shows and skips the identical ones.

The one key that comes and goes while typing (the did-you-mean key, shown only while
there is a suggestion, which changes with almost every word typed) is added or removed on
its own: a whole rebuild then cost 25–40 ms of the event loop's CPU, right after the
search's results were drawn, and was the longest stall while typing.

Each key is also styled once, not three times: Textual's FooterKey starts `compact` and
adds the "-compact" class on mount, then its binding to the footer's `compact` (off)
takes the class away again, and every class change restyles the key. Given the footer's
value before it mounts, a key starts as it will stay (about 5 % of a session's CPU to
its first screen, and of every rebuild of the bar).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Shown = tuple[Binding, bool, str]


class SteadyFooter(Footer):
    _shown: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield from self._settled(super().compose())

    def _settled(self, widgets: Iterable[Widget]) -> Iterable[Widget]:
        """The keys with their `compact` already the footer's: no watcher, no restyle
        on mount (the binding that follows sets the same value). Footer.compose binds
        every key but the palette's, which stays compact whatever the footer is."""
        for widget in widgets:
            if isinstance(widget, FooterKey):
                self._settle_key(widget, self.compact or widget.has_class("-command-palette"))
            yield widget

    @staticmethod
    def _settle_key(key: FooterKey, compact: bool) -> None:
        key.set_reactive(FooterKey.compact, compact)
        key.set_class(compact, "-compact", update=False)  # as its watcher would have

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
        shown, self._shown = self._shown, keys
        if shown is not None and await self._add_or_remove_one(shown, keys):
            return
        await super().recompose()

    async def _add_or_remove_one(self, old: tuple[object, ...], new: tuple[object, ...]) -> bool:
        """Mount or remove the one key that differs, as compose would have placed it.
        False (rebuild instead) for anything else: several changes, grouped keys, keys
        sharing an action, the palette key."""
        if old[:2] != new[:2] or abs(len(old) - len(new)) != 1:
            return False
        longer, shorter = (old, new) if len(old) > len(new) else (new, old)
        index = next(
            (i for i, (a, b) in enumerate(zip(longer, shorter, strict=False)) if a != b),
            len(shorter),
        )
        if longer[:index] + longer[index + 1 :] != shorter:
            return False
        entries = cast(list[Shown], list(longer[2:]))
        binding, enabled, tooltip = entries[index - 2]
        keys = list(self.query_children(FooterKey))
        if (
            not binding.show
            or binding.group is not None
            or binding.key == self.app.COMMAND_PALETTE_BINDING
            or len(keys) != len(self.children)  # grouped keys or labels: rebuild
            or len({entry[0].action for entry in entries}) != len(entries)
        ):
            return False
        # As compose counts them: one column per action, the palette key not counted.
        columns = sum(not key.has_class("-command-palette") for key in keys)
        if len(new) < len(old):
            gone = [key for key in keys if key.action == binding.action]
            if len(gone) != 1:
                return False
            await gone[0].remove()
            self.styles.grid_size_columns = max(1, columns - 1)
            return True
        after = next(
            (
                key
                for later, *_ in entries[index - 1 :]
                for key in keys
                if later.show and later is not binding and key.action == later.action
            ),
            None,
        )
        if after is None:  # the palette key, when shown, stays last
            after = next((key for key in keys if key.has_class("-command-palette")), None)
        key = FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            disabled=not enabled,
            tooltip=tooltip,
        )
        self._settle_key(key, self.compact)
        key.data_bind(compact=Footer.compact)
        self.styles.grid_size_columns = columns + 1
        if after is not None:
            await self.mount(key, before=after)
        else:
            await self.mount(key)
        return True

"""Help and the palette's actions, both read from the bindings: one source for every key.

A binding's `description` is its short name (Footer, palette title); its `tooltip` is the
sentence help shows and the palette gives as help text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.keys import key_to_character
from textual.markup import escape

KEY_NAMES = {"slash": "/", "space": "space", "escape": "escape"}


def key_names(binding: Binding) -> str:
    """The keys of a binding as a person types them: 'w, f2', '[, alt+left', '/'."""
    names = []
    for key in binding.key.split(","):
        key = key.strip()
        character = KEY_NAMES.get(key) or (key_to_character(key) if "+" not in key else None)
        names.append(character if character and character.isprintable() else key)
    return ", ".join(names)


def bindings_of(bindings: Iterable[BindingType]) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding)]


def help_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) per binding; bindings that do the same thing share a row."""
    rows: dict[str, list[str]] = {}
    for binding in bindings_of(bindings):
        meaning = binding.tooltip or binding.description
        keys = rows.setdefault(meaning, [])
        for name in key_names(binding).split(", "):
            if name not in keys:
                keys.append(name)
    return [(", ".join(keys), meaning) for meaning, keys in rows.items()]


def palette_commands(
    bindings: Iterable[BindingType],
    run: Callable[[str], object],
    enabled: Callable[[str], bool] = lambda action: True,
) -> Iterator[SystemCommand]:
    """A palette command per action that has a tooltip (focus keys such as tab have none
    of use in a palette); `run` runs an action by its name."""
    seen: set[str] = set()
    for binding in bindings_of(bindings):
        if not binding.tooltip or binding.action in seen or not enabled(binding.action):
            continue
        seen.add(binding.action)
        help_text = escape(f"key: {key_names(binding)}")  # help is read as markup

        def command(action: str = binding.action) -> None:
            run(action)

        # The palette matches titles only: the title carries the sentence too.
        yield SystemCommand(f"{binding.description}: {binding.tooltip}", help_text, command)

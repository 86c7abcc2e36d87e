"""One theme file (TOML) turned into a `textual.theme.Theme`, or a reason why not.

The file format is documented in docs/themes.md. Everything here is pure parsing and
validation: no files are searched for, and nothing is registered with an app.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "success",
    "warning",
    "error",
)
"""The theme's base colours; `primary` is required, the others fall back to Textual's."""

NUMBER_KEYS = ("luminosity_spread", "text_alpha")
FLAG_KEYS = ("dark", "ansi")
KNOWN_KEYS = frozenset(("name", "variables", *COLOUR_KEYS, *NUMBER_KEYS, *FLAG_KEYS))

# The name becomes a CSS class (`-theme-<name>`) and a command-palette entry, so keep it
# to characters that are safe in both.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
VARIABLE_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,63}")
# Textual accepts a colour followed by an opacity, e.g. "#81a1c1 35%".
OPACITY_SUFFIX = re.compile(r"\s+\d{1,3}(\.\d+)?%$")


class ThemeFileError(ValueError):
    """The text is not a usable theme; the message says what to fix."""


def parse_theme(text: str) -> tuple[Theme, list[str]]:
    """Build a Theme from the TOML `text`.

    Returns the theme and a list of non-fatal remarks (e.g. unknown keys, which are
    ignored). Raises ThemeFileError if the theme cannot be used at all.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"not valid TOML: {error}") from None
    remarks = [f"unknown key {key!r} ignored" for key in sorted(set(data) - KNOWN_KEYS)]
    # Colours, flags and numbers: one keyword dict of mixed value types.
    options: dict[str, Any] = {key: _colour(data, key) for key in COLOUR_KEYS if key != "primary"}
    options.update({key: _flag(data, key) for key in FLAG_KEYS if key in data})
    options.update({key: _number(data, key) for key in NUMBER_KEYS if key in data})
    theme = Theme(
        name=_name(data),
        primary=_required_colour(data, "primary"),
        **options,
        variables=_variables(data),
    )
    try:
        # Textual derives dozens of shades from the base colours; do it now so a
        # theme that would break the stylesheet is refused here, not at startup.
        theme.to_color_system().generate()
    except Exception as error:  # noqa: BLE001 - any failure means "unusable theme"
        raise ThemeFileError(f"Textual cannot build colours from it: {error}") from None
    return theme, remarks


def is_colour(value: object) -> bool:
    """Is `value` a colour Textual accepts (a name, #hex, rgb(), hsl(), ansi_*, + opacity)?"""
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        Color.parse(OPACITY_SUFFIX.sub("", value.strip()))
    except ColorParseError:
        return False
    return True


def is_text_style(value: object) -> bool:
    """Is `value` a Textual text style such as "bold", "reverse" or "not underline"?"""
    if not isinstance(value, str):
        return False
    words = value.split()
    return bool(words) and all(word in VALID_STYLE_FLAGS for word in words)


def _name(data: dict[str, Any]) -> str:
    name = data.get("name")
    if name is None:
        raise ThemeFileError("missing 'name'")
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise ThemeFileError(
            f"'name' must be letters, digits, '-' or '_' (at most 64), not {name!r}"
        )
    return name


def _required_colour(data: dict[str, Any], key: str) -> str:
    if key not in data:
        raise ThemeFileError(f"missing {key!r} colour")
    return _colour(data, key)  # type: ignore[return-value]


def _colour(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not is_colour(value):
        raise ThemeFileError(f"{key!r} is not a colour: {value!r}")
    return value.strip()


def _flag(data: dict[str, Any], key: str) -> bool:
    value = data[key]
    if not isinstance(value, bool):
        raise ThemeFileError(f"{key!r} must be true or false, not {value!r}")
    return value


def _number(data: dict[str, Any], key: str) -> float:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ThemeFileError(f"{key!r} must be a number from 0 to 1, not {value!r}")
    return float(value)


def _variables(data: dict[str, Any]) -> dict[str, str]:
    table = data.get("variables", {})
    if not isinstance(table, dict):
        raise ThemeFileError("'variables' must be a table: [variables]")
    variables: dict[str, str] = {}
    for name, value in table.items():
        if not VARIABLE_PATTERN.fullmatch(name):
            raise ThemeFileError(f"variable name {name!r} must be lower-case words joined by '-'")
        # Textual's own variables are either colours or text styles (names ending in
        # "-style"); ours are all colours.
        valid = is_text_style(value) if name.endswith("-style") else is_colour(value)
        if not valid:
            kind = "a text style" if name.endswith("-style") else "a colour"
            raise ThemeFileError(f"variable {name!r} is not {kind}: {value!r}")
        variables[name] = value.strip()
    return variables

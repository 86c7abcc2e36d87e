"""Every theme the app can offer: the bundled ones plus the user's own theme files.

Bundled themes are TOML files inside this package; user themes are `*.toml` files in
`<config dir>/themes/`. A file that cannot be used becomes a warning naming it, never an
exception: one bad theme must not keep the app from starting.

A user theme with the same name as a bundled one replaces it (that is how a user
adjusts `partner-dark`). Any highlight variable a user theme leaves out is taken from
the bundled theme it most resembles (partner-ansi, partner-dark or partner-light), so
the app's stylesheet can always rely on every name in HIGHLIGHT_VARIABLES; an ansi theme
likewise gets the two variables Textual itself needs for ansi themes.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from importlib import resources
from pathlib import Path

from partner_tui.themes.theme_file import ThemeFileError, parse_theme
from textual.theme import Theme

DEFAULT_THEME = "partner-dark"
BUNDLED_THEMES = ("partner-dark", "partner-light", "partner-high-contrast", "partner-ansi")

HIGHLIGHT_VARIABLES = (
    "hit-foreground",
    "hit-background",
    "hit-current-foreground",
    "hit-current-background",
    "bookmark-foreground",
    "breadcrumb-foreground",
)
"""Theme variables the app's stylesheet may use as `$hit-background` etc."""

HIGHLIGHT_VARIABLE_DEFAULTS = {
    "hit-foreground": "#000000",
    "hit-background": "#e0af68",
    "hit-current-foreground": "#000000",
    "hit-current-background": "#f07850",
    "bookmark-foreground": "#b46ed0",
    "breadcrumb-foreground": "#7f8c99",
}
"""Fallbacks for themes that know nothing of partner-tui (Textual's built-in ones);
return these from `App.get_theme_variable_defaults()`."""

ANSI_THEME_VARIABLES = ("ansi-background", "ansi-foreground")
"""Textual's own stylesheet refers to these whenever a theme has `ansi = true`."""

# A user theme file larger than this is certainly not a theme; don't read it whole.
MAX_THEME_FILE_BYTES = 64 * 1024


def load_themes(config_dir: Path) -> tuple[list[Theme], list[str]]:
    """The bundled themes then the user's, and a warning for each file that was refused.

    Bundled themes come first, in BUNDLED_THEMES order (a user file of the same name
    takes that place); user themes follow in file-name order.
    """
    warnings: list[str] = []
    themes: dict[str, Theme] = {}
    for name in BUNDLED_THEMES:
        theme = _load_bundled(name, warnings)
        if theme is not None:
            themes[name] = theme
    bases = dict(themes)
    user_sources: dict[str, Path] = {}
    for path in _user_theme_files(config_dir / "themes", warnings):
        theme = _load_user(path, warnings)
        if theme is None:
            continue
        if theme.name in user_sources:
            warnings.append(
                f"theme file {path}: theme {theme.name!r} is also defined in "
                f"{user_sources[theme.name]}; using {path.name}"
            )
        user_sources[theme.name] = path
        themes[theme.name] = _with_highlight_variables(theme, bases)
    return list(themes.values()), warnings


def _load_bundled(name: str, warnings: list[str]) -> Theme | None:
    theme, remarks = _parsed_bundled(name)
    warnings.extend(remarks)
    return theme


@functools.cache
def _parsed_bundled(name: str) -> tuple[Theme | None, tuple[str, ...]]:
    """A bundled theme read and parsed once per process: they are files of the installed
    package, and a Theme is never changed once made (user themes derive new ones). A
    session forked by `partner-tui serve` finds them parsed by its template."""
    resource = resources.files("partner_tui.themes").joinpath(f"{name}.toml")
    try:
        theme, remarks = parse_theme(resource.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ThemeFileError) as error:
        return None, (f"bundled theme {name}.toml: {error}",)
    return theme, tuple(f"bundled theme {name}.toml: {remark}" for remark in remarks)


def _user_theme_files(directory: Path, warnings: list[str]) -> list[Path]:
    try:
        return sorted(path for path in directory.glob("*.toml") if not path.name.startswith("."))
    except OSError as error:
        warnings.append(f"theme folder {directory}: cannot be read ({error.strerror})")
        return []


def _load_user(path: Path, warnings: list[str]) -> Theme | None:
    try:
        if not path.is_file():
            raise ThemeFileError("not a regular file")
        if path.stat().st_size > MAX_THEME_FILE_BYTES:
            raise ThemeFileError(f"larger than {MAX_THEME_FILE_BYTES // 1024} KiB")
        text = path.read_text(encoding="utf-8")
        theme, remarks = parse_theme(text)
    except OSError as error:
        warnings.append(f"theme file {path}: cannot be read ({error.strerror or error})")
        return None
    except UnicodeDecodeError:
        warnings.append(f"theme file {path}: not UTF-8 text")
        return None
    except ThemeFileError as error:
        warnings.append(f"theme file {path}: {error}")
        return None
    warnings.extend(f"theme file {path}: {remark}" for remark in remarks)
    return theme


_ANSI_FALLBACKS = {"ansi-background": "ansi_black", "ansi-foreground": "ansi_white"}


def _with_highlight_variables(theme: Theme, bases: dict[str, Theme]) -> Theme:
    required: tuple[str, ...] = HIGHLIGHT_VARIABLES
    if theme.ansi:
        base_name = "partner-ansi"
        required += ANSI_THEME_VARIABLES
    else:
        base_name = "partner-dark" if theme.dark else "partner-light"
    base = bases.get(base_name)
    inherited = {**HIGHLIGHT_VARIABLE_DEFAULTS, **_ANSI_FALLBACKS}
    if base is not None:
        inherited.update(base.variables)
    missing = {name: inherited[name] for name in required if name not in theme.variables}
    if not missing:
        return theme
    return replace(theme, variables={**missing, **theme.variables})


BODY_CONTRAST = 4.5
"""The least contrast body text gets against the reading background (WCAG AA)."""


def legible_textual_themes() -> list[Theme]:
    """Textual's own themes (the palette offers them too) whose body text is too faint on
    their surface (solarized: about 4.1:1), with the foreground moved toward white or
    black until it reads at BODY_CONTRAST. The others are left as Textual made them."""
    return list(_legible_textual_themes())


@functools.cache
def _legible_textual_themes() -> tuple[Theme, ...]:
    # Worked out once per process: Textual's themes are constants, and every app start
    # (every test, every SSH session forked from the template) would otherwise repeat it.
    from textual.color import Color
    from textual.design import DEFAULT_DARK_SURFACE, DEFAULT_LIGHT_SURFACE
    from textual.theme import BUILTIN_THEMES

    adjusted = []
    for theme in BUILTIN_THEMES.values():
        if theme.ansi or not theme.foreground:
            continue
        # The surface as Textual's ColorSystem picks it, without generating the whole
        # system (every shade of every colour: a tenth of a second over all the themes).
        default_surface = DEFAULT_DARK_SURFACE if theme.dark else DEFAULT_LIGHT_SURFACE
        surface = Color.parse(theme.surface or default_surface)
        foreground = Color.parse(theme.foreground)
        target = surface.get_contrast_text(1.0)
        steps = 0
        while _contrast(foreground, surface) < BODY_CONTRAST and steps < 20:
            foreground = foreground.blend(target, 0.1)
            steps += 1
        if steps:
            adjusted.append(replace(theme, foreground=foreground.hex))
    return tuple(adjusted)


def _contrast(a, b) -> float:
    def luminance(colour) -> float:
        def channel(value: int) -> float:
            v = value / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)

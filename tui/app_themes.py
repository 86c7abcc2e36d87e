"""The themes the app offers: the bundled catalog (or the caller's themes, in tests),
Textual's own legible ones, and the highlight variables their stylesheets use.

Theme files are data read at start-up; a theme that cannot be read is a warning, never a
failed start. Without the catalog installed the app runs on Textual's own themes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from textual.app import App
from textual.theme import Theme

FALLBACK_THEME = "textual-dark"


@dataclass
class RegisteredThemes:
    default: str
    """The theme to use when neither --theme nor the saved preference names a known one."""
    warnings: list[str] = field(default_factory=list)
    variables: dict[str, str] | None = None
    """Defaults for the stylesheet variables the themes add (None: keep what is set)."""


def bundled_themes() -> tuple[list[Theme], list[str], str, dict[str, str]]:
    """Themes from the theme catalog: (themes, warnings, default name, variable defaults)."""
    from partner_tui.themes.catalog import DEFAULT_THEME, HIGHLIGHT_VARIABLE_DEFAULTS, load_themes
    from partner_tui.tui.state.locations import config_dir

    themes, warnings = load_themes(config_dir())
    return themes, warnings, DEFAULT_THEME, dict(HIGHLIGHT_VARIABLE_DEFAULTS)


def register_themes(app: App, themes: Iterable[Theme] | None) -> RegisteredThemes:
    """Register `themes` (None: the bundled catalog) and Textual's legible ones on `app`."""
    registered = RegisteredThemes(FALLBACK_THEME)
    if themes is None:
        try:
            themes, warnings, registered.default, variables = bundled_themes()
        except ImportError:  # no theme catalog installed: Textual's own themes
            themes, warnings, variables = [], [], {}
        registered.warnings = warnings
        registered.variables = variables
    else:
        themes = list(themes)
        if any(t.name == "partner-dark" for t in themes):
            registered.default = "partner-dark"
        try:
            from partner_tui.themes.catalog import HIGHLIGHT_VARIABLE_DEFAULTS

            registered.variables = dict(HIGHLIGHT_VARIABLE_DEFAULTS)
        except ImportError:
            pass
    try:
        from partner_tui.themes.catalog import legible_textual_themes

        themes = [*legible_textual_themes(), *themes]
    except ImportError:
        pass
    for theme in themes:
        app.register_theme(theme)
    return registered

"""Contrast ratios (WCAG 2) of what a theme draws, worked out from its definition."""

from __future__ import annotations

from partner_tui.themes.catalog import HIGHLIGHT_VARIABLE_DEFAULTS
from textual.color import Color
from textual.theme import Theme


def luminance(colour: Color) -> float:
    def channel(value: int) -> float:
        value_ = value / 255
        return value_ / 12.92 if value_ <= 0.03928 else ((value_ + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def theme_colours(theme: Theme) -> dict[str, str]:
    """Every variable the stylesheet sees: Textual's generated ones, then the theme's."""
    variables = dict(HIGHLIGHT_VARIABLE_DEFAULTS)
    variables.update(theme.to_color_system().generate())
    variables.update(theme.variables)
    return variables


def drawn(value: str, background: Color) -> Color:
    """A colour as drawn on `background`: 'auto 60%' (Textual's contrasting text at an
    opacity) and '#rrggbb 35%' are blended over it."""
    value = value.strip()
    alpha = 1.0
    if value.endswith("%"):
        value, _, percent = value.rpartition(" ")
        alpha = float(percent[:-1]) / 100
    colour = background.get_contrast_text(1.0) if value == "auto" else Color.parse(value)
    return background + colour.with_alpha(colour.a * alpha)

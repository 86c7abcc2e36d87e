"""Themes are data: bundled TOML files plus the user's own, and bad files become warnings."""

from __future__ import annotations

import asyncio
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from partner_tui.themes.catalog import (
    BUNDLED_THEMES,
    DEFAULT_THEME,
    HIGHLIGHT_VARIABLE_DEFAULTS,
    HIGHLIGHT_VARIABLES,
    load_themes,
)
from partner_tui.themes.theme_file import COLOUR_KEYS
from textual.app import App
from textual.color import Color
from textual.theme import Theme

MINIMAL_USER_THEME = """
name = "solarized-ish"
dark = true
primary = "#268bd2"
background = "#002b36"
foreground = "#839496"
"""


def write_user_theme(config_dir: Path, file_name: str, text: str) -> Path:
    folder = config_dir / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    return path


def themes_by_name(config_dir: Path) -> tuple[dict[str, Theme], list[str]]:
    themes, warnings = load_themes(config_dir)
    return {theme.name: theme for theme in themes}, warnings


class ThemedApp(App[None]):
    """Uses the highlight variables the way the real app's stylesheet may."""

    CSS = "Screen { background: $hit-background; color: $hit-current-foreground; }"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return HIGHLIGHT_VARIABLE_DEFAULTS


def switch_through(themes: list[Theme]) -> list[tuple[str, str]]:
    """Register `themes` in a headless app, switch to each; (name, hit-background) seen."""

    async def run() -> list[tuple[str, str]]:
        app = ThemedApp()
        seen = []
        async with app.run_test() as pilot:
            for theme in themes:
                app.register_theme(theme)
            for theme in themes:
                app.theme = theme.name
                await pilot.pause()
                seen.append((app.current_theme.name, app.theme_variables["hit-background"]))
        return seen

    return asyncio.run(run())


class TestBundledThemes:
    def test_every_bundled_theme_loads_without_warnings(self, tmp_path):
        themes, warnings = load_themes(tmp_path)

        assert warnings == []
        assert [theme.name for theme in themes] == list(BUNDLED_THEMES)
        assert DEFAULT_THEME in BUNDLED_THEMES
        assert all(isinstance(theme, Theme) for theme in themes)

    @pytest.mark.parametrize("name", BUNDLED_THEMES)
    def test_each_bundled_theme_defines_every_highlight_variable_as_a_colour(self, tmp_path, name):
        theme = themes_by_name(tmp_path)[0][name]

        for variable in HIGHLIGHT_VARIABLES:
            Color.parse(theme.variables[variable])
        assert theme.variables["hit-background"] != theme.variables["hit-current-background"]

    @pytest.mark.parametrize("name", BUNDLED_THEMES)
    def test_each_bundled_theme_builds_a_full_colour_system(self, tmp_path, name):
        theme = themes_by_name(tmp_path)[0][name]

        colours = theme.to_color_system().generate()

        assert {"primary", "background", "foreground", "panel", "surface"} <= set(colours)

    def test_an_app_can_register_and_switch_to_every_bundled_theme(self, tmp_path):
        themes, _ = load_themes(tmp_path)

        seen = switch_through(themes)

        assert seen == [(theme.name, theme.variables["hit-background"]) for theme in themes]

    def test_the_ansi_theme_uses_only_the_terminals_own_colours(self):
        # Read the file itself, so nothing Textual fills in can hide a hex colour.
        text = resources.files("partner_tui.themes").joinpath("partner-ansi.toml").read_text()
        data = tomllib.loads(text)
        values = [data[key] for key in COLOUR_KEYS if key in data]
        values += [
            value for name, value in data["variables"].items() if not name.endswith("-style")
        ]

        assert data["ansi"] is True
        assert values and all(value.startswith("ansi_") for value in values)
        for value in values:
            assert Color.parse(value).ansi is not None, value

    def test_the_light_theme_is_light_and_the_others_dark(self, tmp_path):
        themes = themes_by_name(tmp_path)[0]

        assert themes["partner-light"].dark is False
        assert themes["partner-dark"].dark is True
        assert themes["partner-high-contrast"].dark is True


class TestUserThemes:
    def test_a_user_theme_file_is_loaded_after_the_bundled_ones(self, tmp_path):
        write_user_theme(tmp_path, "solarized.toml", MINIMAL_USER_THEME)

        themes, warnings = load_themes(tmp_path)

        assert warnings == []
        assert [theme.name for theme in themes] == [*BUNDLED_THEMES, "solarized-ish"]
        user = themes[-1]
        assert user.primary == "#268bd2"
        assert user.background == "#002b36"

    def test_highlight_variables_a_user_theme_leaves_out_come_from_the_matching_bundled_theme(
        self, tmp_path
    ):
        write_user_theme(
            tmp_path,
            "mine.toml",
            'name = "paper"\ndark = false\nprimary = "navy"\n'
            '[variables]\nhit-background = "#ccffcc"\n',
        )

        themes = themes_by_name(tmp_path)[0]

        paper = themes["paper"]
        assert paper.variables["hit-background"] == "#ccffcc"
        light = themes["partner-light"]
        assert (
            paper.variables["hit-current-background"] == (light.variables["hit-current-background"])
        )
        assert set(HIGHLIGHT_VARIABLES) <= set(paper.variables)

    def test_a_user_theme_with_a_bundled_name_replaces_it_in_place(self, tmp_path):
        write_user_theme(tmp_path, "dark.toml", 'name = "partner-dark"\nprimary = "#ff0000"\n')

        themes, warnings = load_themes(tmp_path)

        assert warnings == []
        assert [theme.name for theme in themes] == list(BUNDLED_THEMES)
        assert themes[0].primary == "#ff0000"

    def test_a_minimal_user_ansi_theme_works_in_an_app(self, tmp_path):
        # Textual's own stylesheet needs $ansi-background in ansi themes: a user theme
        # that leaves it out must still not break the app.
        write_user_theme(
            tmp_path, "mono.toml", 'name = "mono"\nansi = true\nprimary = "ansi_white"\n'
        )
        write_user_theme(tmp_path, "paper.toml", 'name = "paper"\ndark = false\nprimary = "navy"\n')
        themes, warnings = load_themes(tmp_path)
        user_themes = themes[len(BUNDLED_THEMES) :]

        seen = switch_through(user_themes)

        assert warnings == []
        assert [name for name, _ in seen] == ["mono", "paper"]

    def test_no_theme_folder_is_not_a_problem(self, tmp_path):
        themes, warnings = load_themes(tmp_path / "does-not-exist")

        assert warnings == []
        assert len(themes) == len(BUNDLED_THEMES)

    def test_two_files_with_the_same_theme_name_warn_and_the_later_file_wins(self, tmp_path):
        write_user_theme(tmp_path, "a.toml", 'name = "twin"\nprimary = "red"\n')
        write_user_theme(tmp_path, "b.toml", 'name = "twin"\nprimary = "blue"\n')

        themes, warnings = themes_by_name(tmp_path)

        assert themes["twin"].primary == "blue"
        assert len(warnings) == 1
        assert "a.toml" in warnings[0] and "b.toml" in warnings[0]


BROKEN_THEMES = {
    "bad TOML": ('name = "oops\nprimary = "red"\n', "not valid TOML"),
    "missing name": ('primary = "red"\n', "missing 'name'"),
    "missing primary": ('name = "no-primary"\n', "missing 'primary'"),
    "bad colour": ('name = "bad"\nprimary = "#12345z"\n', "'primary' is not a colour"),
    "colour name typo": ('name = "typo"\nprimary = "bleu"\n', "'primary' is not a colour"),
    "bad variable colour": (
        'name = "v"\nprimary = "red"\n[variables]\nhit-background = "shiny"\n',
        "variable 'hit-background' is not a colour",
    ),
    "bad text style": (
        'name = "s"\nprimary = "red"\n[variables]\nblock-cursor-text-style = "sparkly"\n',
        "is not a text style",
    ),
    "name with spaces": ('name = "my theme"\nprimary = "red"\n', "'name' must be"),
    "dark is not a flag": ('name = "d"\nprimary = "red"\ndark = "yes"\n', "true or false"),
    "variables not a table": ('name = "t"\nprimary = "red"\nvariables = 3\n', "must be a table"),
}


class TestBrokenUserThemes:
    @pytest.mark.parametrize("case", sorted(BROKEN_THEMES))
    def test_a_broken_theme_is_a_warning_naming_the_file_and_the_rest_still_load(
        self, tmp_path, case
    ):
        text, expected = BROKEN_THEMES[case]
        broken = write_user_theme(tmp_path, "broken.toml", text)
        write_user_theme(tmp_path, "good.toml", MINIMAL_USER_THEME)

        themes, warnings = load_themes(tmp_path)

        assert [theme.name for theme in themes] == [*BUNDLED_THEMES, "solarized-ish"]
        assert len(warnings) == 1
        assert str(broken) in warnings[0]
        assert expected in warnings[0]

    def test_a_file_that_is_not_utf8_is_a_warning(self, tmp_path):
        folder = tmp_path / "themes"
        folder.mkdir()
        (folder / "latin1.toml").write_bytes(b'name = "caf\xe9"\nprimary = "red"\n')

        themes, warnings = load_themes(tmp_path)

        assert len(themes) == len(BUNDLED_THEMES)
        assert len(warnings) == 1 and "latin1.toml" in warnings[0] and "UTF-8" in warnings[0]

    def test_a_folder_named_like_a_theme_file_is_a_warning(self, tmp_path):
        (tmp_path / "themes" / "folder.toml").mkdir(parents=True)

        themes, warnings = load_themes(tmp_path)

        assert len(themes) == len(BUNDLED_THEMES)
        assert len(warnings) == 1 and "folder.toml" in warnings[0]

    def test_an_unknown_key_is_ignored_with_a_warning_and_the_theme_still_loads(self, tmp_path):
        write_user_theme(
            tmp_path, "typo.toml", 'name = "typo"\nprimary = "red"\nbakground = "black"\n'
        )

        themes, warnings = themes_by_name(tmp_path)

        assert "typo" in themes
        assert len(warnings) == 1 and "'bakground'" in warnings[0] and "typo.toml" in warnings[0]

    def test_a_huge_file_is_refused_without_reading_it(self, tmp_path):
        write_user_theme(tmp_path, "huge.toml", MINIMAL_USER_THEME + "#" * 100_000)

        themes, warnings = themes_by_name(tmp_path)

        assert "solarized-ish" not in themes
        assert len(warnings) == 1 and "huge.toml" in warnings[0]


def test_bundled_themes_are_read_once_while_user_themes_are_read_every_time(tmp_path):
    # A session forked by `serve` gets the bundled themes its template parsed; a user's
    # theme file edited between two sessions is still seen by the second.
    first, _ = themes_by_name(tmp_path)
    write_user_theme(tmp_path, "mine.toml", MINIMAL_USER_THEME)
    second, _ = themes_by_name(tmp_path)
    assert all(second[name] is first[name] for name in BUNDLED_THEMES)
    assert "solarized-ish" in second and "solarized-ish" not in first
    write_user_theme(tmp_path, "mine.toml", MINIMAL_USER_THEME.replace("#268bd2", "#b58900"))
    third, _ = themes_by_name(tmp_path)
    assert third["solarized-ish"].primary == "#b58900"

"""The key bar looks as Textual's Footer would, for less work: each key is styled once.

FooterKey starts `compact` and its binding to the footer then turns it off, each change
a restyle of the key; the SteadyFooter gives a key the footer's value before it mounts.
"""

from __future__ import annotations

from partner_tui.tui.widgets.steady_footer import SteadyFooter
from support_app import make_app, run_async, settle, write_corpus
from textual.app import App, ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class FooterOnly(App):
    BINDINGS = [("a", "alpha", "Alpha"), ("b", "bravo", "Bravo")]

    def action_alpha(self) -> None:
        self.bell()

    def action_bravo(self) -> None:
        self.bell()

    def __init__(self, footer: Footer) -> None:
        super().__init__()
        self.footer = footer

    def compose(self) -> ComposeResult:
        yield self.footer


async def keys_shown(footer: Footer, toggle: bool) -> list[tuple[object, ...]]:
    """Each key's look (compact or not, its drawn text) after mounting, and after
    switching the footer's `compact` when `toggle`."""
    app = FooterOnly(footer)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        if toggle:
            footer.compact = not footer.compact
            await pilot.pause()
        return [
            (key.key, key.compact, key.has_class("-compact"), key.render().plain)
            for key in footer.query(FooterKey)
        ]


@run_async
async def test_keys_look_as_textuals_footer_draws_them_compact_or_not():
    for compact in (False, True):
        for toggle in (False, True):
            steady = await keys_shown(SteadyFooter(compact=compact), toggle)
            textual = await keys_shown(Footer(compact=compact), toggle)
            assert len(steady) == 3  # two keys and the palette's
            assert steady == textual, (compact, toggle)


@run_async
async def test_each_key_is_styled_once_when_the_explorer_opens(tmp_path, monkeypatch):
    restyled: list[FooterKey] = []
    original = FooterKey.update_node_styles

    def counted(self, animate: bool = True) -> None:
        restyled.append(self)
        original(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", counted)
    app = make_app(tmp_path, write_corpus(tmp_path / "corpus"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = list(app.screen.query(FooterKey))
        assert len(keys) > 3
        # Textual's own Footer restyled every key twice on mount (class added, removed).
        assert [key for key in restyled if key in keys] == []

"""What a real document looks like in the reading view: rendered Markdown, reflowed plain
text at two widths, rendered reStructuredText, each with a search's hits marked.

Update with `pytest tests/test_snapshots_reading.py --snapshot-update`, then read the
changed SVGs' text.
"""

from __future__ import annotations

import shutil

import pytest
from partner_tui.search.engine import Engine
from partner_tui.tui.app import PartnerApp
from partner_tui.tui.state.preferences import PreferencesStore
from support_engine import FIXTURES
from support_snapshots import search_for, settle

READING = FIXTURES / "reading"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    corpus = tmp_path_factory.mktemp("corpus")
    for name in ("every-construct.md", "hard-wrapped.txt", "guide.rst"):
        shutil.copy(READING / name, corpus / name)
    return Engine.open(corpus, cache_dir=tmp_path_factory.mktemp("index"))


def _reading(section_id: str, query: str):
    async def run_before(pilot) -> None:
        await search_for(pilot, query)
        pilot.app.screen.read_section(section_id)
        await settle(pilot)

    return run_before


@pytest.fixture
def make_app(engine, tmp_path):
    def make() -> PartnerApp:
        return PartnerApp(engine, PreferencesStore(tmp_path / "data"), user="tester")

    return make


class TestMarkdown:
    def test_every_construct_rendered_with_hits(self, snap_compare, make_app):
        run_before = _reading("every-construct/cranes-and-quays", "crane")
        assert snap_compare(make_app(), terminal_size=(120, 50), run_before=run_before)


class TestPlainText:
    @pytest.mark.parametrize("size", [(120, 40), (80, 40)])
    def test_hard_wrapped_text_reflows_to_the_pane(self, snap_compare, make_app, size):
        run_before = _reading("hard-wrapped/overview-of-the-night-shift", "crane")
        assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


class TestRestructuredText:
    def test_sections_literal_blocks_and_inline_markup(self, snap_compare, make_app):
        run_before = _reading("guide/cranes", "crane")
        assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run_before)

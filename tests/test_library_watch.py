"""The explorer follows its corpus: files added, changed or removed while it runs show up
in the tree, the results and the open section within seconds, without a restart."""

from __future__ import annotations

import asyncio

from partner_tui.tui.widgets.pillars_tree import PillarsTree
from support_app import ORCHARD, make_app, run_async, screen_text, search_for, settle, write_corpus
from support_app_bookmarks import messages

PONDS = "# Pond Notes\n\n## Carp\nCarp like warm water.\n"


async def _until(pilot, condition, seconds: float = 30.0) -> None:
    """Wait (letting the app run) until `condition()` holds; fail after `seconds` (generous:
    latency is measured by benchmarks/library_bench.py, not here)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, screen_text(pilot.app)
        await pilot.pause(0.02)


def _in_tree(tree: PillarsTree, section_id: str) -> bool:
    try:
        tree.label_of(section_id)
    except KeyError:
        return False
    return True


@run_async
async def test_changed_added_and_removed_files_show_without_a_restart(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        app.open_section("orchard/pruning")
        await search_for(pilot, "autumn")
        await settle(pilot)
        assert "No sections match" in screen_text(app)

        # GIVEN the reader on "Pruning" WHEN its file changes and another file appears
        edited = ORCHARD.replace("Prune apple trees in winter.", "Prune pear trees in autumn.")
        (corpus / "orchard.md").write_text(edited, encoding="utf-8")
        (corpus / "ponds.md").write_text(PONDS, encoding="utf-8")

        # THEN the open section shows the new text, the results find it, the tree grows
        await _until(pilot, lambda: "pear trees in autumn" in screen_text(app))
        await _until(pilot, lambda: "1 section" in screen_text(app))
        assert app.explorer.section.id == "orchard/pruning"
        tree = app.explorer.query_one(PillarsTree)
        # The tree grows in its own step after the results; under load, a frame later.
        await _until(pilot, lambda: _in_tree(tree, "ponds/carp"))
        assert tree.label_of("ponds/carp").plain.endswith("Carp")  # the new file's pillar

        # WHEN the file of the open section is removed THEN the reader is told so
        (corpus / "orchard.md").unlink()
        said = lambda: [m for m in messages(app) if "no longer" in m]  # noqa: E731
        await _until(pilot, said)
        assert said() == [
            "“Pruning” is no longer in the briefings: its file was changed or removed. "
            "It stays on screen until you open another section."
        ]
        assert "Orchard Notes" not in str(app.engine.briefings)
        await _until(pilot, lambda: "No sections match" in screen_text(app))


@run_async
async def test_the_reader_keeps_their_place_when_the_open_section_changes(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    long_body = "\n\n".join(f"Paragraph {n} about kelp and tides." for n in range(200))
    (corpus / "long.md").write_text(f"# Long\n\n## Tides\n{long_body}\n", encoding="utf-8")
    app = make_app(tmp_path, corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_section("long/tides")
        await settle(pilot)
        reader = app.explorer.query_one("#reader")
        reader.scroll_to(y=120, animate=False, immediate=True)
        tree = app.explorer.query_one(PillarsTree)
        (orchard,) = [n for n in tree.root.children if str(n.label) == "Orchard Notes"]
        orchard.collapse()  # the reader folded another briefing away
        await pilot.pause()
        edited = long_body.replace("Paragraph 150 about", "Paragraph 150, revised, about")
        (corpus / "long.md").write_text(f"# Long\n\n## Tides\n{edited}\n", encoding="utf-8")
        await _until(pilot, lambda: "revised" in app.explorer.section.body)
        await settle(pilot)
        assert reader.scroll_y == 120
        # Only a text changed: the tree is not rebuilt, so what was folded stays folded.
        assert orchard in tree.root.children and not orchard.is_expanded

"""A bookmark outlives an edit of its briefing: shown as changed or missing, never dropped."""

from __future__ import annotations

from partner_tui.search.engine import Engine
from partner_tui.tui.state.bookmark_model import snapshot_of
from partner_tui.tui.state.bookmark_status import BookmarkStatus, reading_order, status_for
from partner_tui.tui.state.bookmark_store import BookmarkStore
from support_bookmarks import BRIEFING, GREEN, SHIPPING, SOLAR, section, write_corpus


def test_after_an_edit_a_bookmark_is_current_changed_or_missing(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    engine = Engine.open(corpus)
    with BookmarkStore.open("alice", tmp_path / "data") as store:
        for section_id in (SHIPPING, GREEN, SOLAR):
            store.add(snapshot_of(engine.section(section_id)), note=f"about {section_id}")
    engine.close()

    # The briefing is edited: a heading is renamed away, another section is rewritten.
    edited = BRIEFING.replace("## Shipping Lanes", "## Sea Routes").replace(
        "Shore power for docked ships", "Shore power for every docked ship"
    )
    write_corpus(tmp_path / "corpus", edited)
    engine = Engine.open(corpus)
    with BookmarkStore.open("alice", tmp_path / "data") as store:
        bookmarks = {b.section_id: b for b in store.list()}
        assert set(bookmarks) == {SHIPPING, GREEN, SOLAR}  # nothing was dropped
        assert status_for(bookmarks[SHIPPING], engine) is BookmarkStatus.MISSING
        assert status_for(bookmarks[GREEN], engine) is BookmarkStatus.CHANGED
        assert status_for(bookmarks[SOLAR], engine) is BookmarkStatus.CURRENT
        # The missing one still shows what it was.
        assert bookmarks[SHIPPING].title == "Shipping Lanes"
        assert bookmarks[SHIPPING].briefing_title == "Harbour Briefing"
        assert bookmarks[SHIPPING].note == f"about {SHIPPING}"

        # Re-bookmarking the rewritten section accepts its new text.
        store.add(snapshot_of(engine.section(GREEN)))
        assert status_for(store.get(GREEN), engine) is BookmarkStatus.CURRENT
        assert store.get(GREEN).note == f"about {GREEN}"
    engine.close()


def test_status_accepts_a_mapping_or_a_function(tmp_path):
    current = section("b/one", body="same")
    with BookmarkStore.open("alice", tmp_path) as store:
        bookmark = store.add(snapshot_of(current))
    assert status_for(bookmark, {"b/one": current}) is BookmarkStatus.CURRENT
    assert status_for(bookmark, {}) is BookmarkStatus.MISSING
    rewritten = section("b/one", body="different")
    assert status_for(bookmark, lambda section_id: rewritten) is BookmarkStatus.CHANGED


def test_reading_order_follows_the_briefing_with_missing_ones_last(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    engine = Engine.open(corpus)
    with BookmarkStore.open("alice", tmp_path / "data") as store:
        store.add(snapshot_of(section("harbour/gone")))
        store.add(snapshot_of(engine.section(SOLAR)))
        store.add(snapshot_of(engine.section(SHIPPING)))
        ordered = [b.section_id for b in reading_order(store.list(), engine.briefings)]
    engine.close()
    assert ordered == [SHIPPING, SOLAR, "harbour/gone"]

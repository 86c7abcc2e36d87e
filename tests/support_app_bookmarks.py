"""Building the explorer with a bookmark store in tmp, for the in-app bookmark tests."""

from __future__ import annotations

from pathlib import Path

from partner_tui.search.engine import Engine
from partner_tui.tui.state.bookmark_model import snapshot_of
from partner_tui.tui.state.bookmark_store import BookmarkStore
from support_app import RecordingApp, make_app, write_corpus

GUIDE = "field-guide"
OVERVIEW = f"{GUIDE}/overview"
PLANTING = f"{GUIDE}/planting-seaweed"
HARVESTING = f"{GUIDE}/harvesting"
TOOLS = f"{GUIDE}/harvesting/tools-for-harvesting"
TRAP = f"{GUIDE}/markup-trap-bold-red-x"
PRUNING = "orchard/pruning"


def bookmarks_path(tmp_path: Path) -> Path:
    return tmp_path / "user" / "bookmarks.db"


def app_with_bookmarks(
    tmp_path: Path, store: BookmarkStore | None = None, **options
) -> RecordingApp:
    """The app over the small two-briefing corpus, with the bookmark store in tmp."""
    corpus = write_corpus(tmp_path / "corpus")
    if store is None:
        store = BookmarkStore.at(bookmarks_path(tmp_path))
    return make_app(tmp_path, corpus, bookmarks=store, **options)


def other_session(tmp_path: Path) -> BookmarkStore:
    """A second connection to the same file, as another session or the CLI would open."""
    return BookmarkStore.at(bookmarks_path(tmp_path))


def bookmark(store: BookmarkStore, engine: Engine, section_id: str, **fields) -> None:
    """Bookmark a section of the corpus directly in the store (as the CLI would)."""
    store.add(snapshot_of(engine.section(section_id)), **fields)


def messages(app: RecordingApp) -> list[str]:
    return [notice.message for notice in app.notices]

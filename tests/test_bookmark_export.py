"""The JSON export is read strictly but kindly; the reading list shows text as written."""

from __future__ import annotations

import json

import pytest
from partner_tui.tui.state.bookmark_export import (
    BookmarkImportError,
    export_document,
    read_export,
    reading_list,
)
from partner_tui.tui.state.bookmark_model import snapshot_of
from partner_tui.tui.state.bookmark_store import BookmarkStore
from support_bookmarks import section, snapshot


def test_an_export_reads_back_as_the_same_bookmarks(tmp_path):
    with BookmarkStore.open("alice", tmp_path) as store:
        store.add(snapshot("b/pillar/one", "One"), note="n", tags=["x", "y"])
        store.add(snapshot("b/two", "Two"))
        bookmarks = store.list()
    text = json.dumps(export_document(bookmarks, "alice", "2026-01-01T00:00:00.000Z"))
    assert read_export(text) == bookmarks


def test_a_minimal_hand_written_export_gets_sensible_defaults():
    (bookmark,) = read_export(
        json.dumps(
            {
                "format": "partner-tui-bookmarks",
                "version": 1,
                "bookmarks": [
                    {"section_id": "brief/pillar", "title": "Pillar", "created_at": "2024-01-01"}
                ],
            }
        )
    )
    assert bookmark.briefing_id == "brief"
    assert bookmark.path == ("Pillar",)
    assert bookmark.pillar == "Pillar"
    assert bookmark.updated_at == "2024-01-01"
    assert bookmark.note is None and bookmark.tags == ()


def test_imported_text_loses_terminal_escapes():
    (bookmark,) = read_export(
        json.dumps(
            {
                "format": "partner-tui-bookmarks",
                "version": 1,
                "bookmarks": [
                    {
                        "section_id": "b/x",
                        "title": "Evil\x1b]0;pwned\x07 title",
                        "created_at": "2024-01-01",
                        "note": "\x1b[31mred\x1b[0m",
                        "tags": ["\x1b[1mbold"],
                    }
                ],
            }
        )
    )
    assert "\x1b" not in bookmark.title + (bookmark.note or "") + "".join(bookmark.tags)


def test_the_problem_in_a_bad_entry_is_named():
    document = {"format": "partner-tui-bookmarks", "version": 1, "bookmarks": [{}, 3]}
    with pytest.raises(BookmarkImportError, match='bookmark 1 in the file: "section_id"'):
        read_export(json.dumps(document))


def test_the_reading_list_shows_titles_as_written_not_as_markup(tmp_path):
    odd = section("b/odd", "*Not* emphasis [or a link](x)", body="Line one.\n\nLine two.")
    with BookmarkStore.open("alice", tmp_path) as store:
        store.add(snapshot_of(odd))
        text = reading_list(store.list(), {"b/odd": odd}, "alice", "now")
    assert "## 1. \\*Not\\* emphasis \\[or a link\\](x)" in text
    assert "> Line one.\n> Line two." in text

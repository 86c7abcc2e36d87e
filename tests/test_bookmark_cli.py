"""`partner-tui bookmarks …` through the real entry point: what a person and a script see."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from partner_tui.tui.cli.main import main
from partner_tui.tui.state.bookmark_store import BookmarkStore
from support_bookmarks import BRIEFING, GREEN, SHIPPING, SOLAR, write_corpus


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def cli(corpus, capsys):
    """Run `partner-tui bookmarks ARGS --corpus <tmp corpus>`; return (code, out, err)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["bookmarks", *args, "--corpus", str(corpus)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def listed(cli, *args: str) -> list[dict]:
    code, out, _ = cli("list", "--json", *args)
    assert code == 0
    return json.loads(out)["bookmarks"]


def test_add_list_export_remove_import_round_trip(cli, tmp_path):
    code, out, _ = cli("add", SHIPPING, "--note", "read first", "--tag", "ports", "--tag", "trade")
    assert code == 0
    assert "Bookmarked “Shipping Lanes”" in out
    assert cli("add", SOLAR)[0] == 0

    code, out, err = cli("list")
    assert code == 0 and err == ""
    assert "Shipping Lanes" in out and "Solar Roofs" in out
    assert "note: read first" in out
    assert "tags: ports, trade" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes
    before = listed(cli)
    assert [(b["section_id"], b["status"]) for b in before] == [
        (SHIPPING, "current"),
        (SOLAR, "current"),
    ]
    assert before[0]["path"] == ["Shipping Lanes"]
    assert before[1]["pillar"] == "Green Port"

    backup = tmp_path / "backup.json"
    code, _, err = cli("export", "--format", "json", "--output", str(backup))
    assert code == 0 and "Wrote 2 bookmarks" in err
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert document["format"] == "partner-tui-bookmarks" and document["version"] == 1

    code, out, _ = cli("remove", SHIPPING)
    assert code == 0 and "Removed the bookmark on “Shipping Lanes”" in out
    assert [b["section_id"] for b in listed(cli)] == [SOLAR]

    code, out, _ = cli("import", str(backup))
    assert code == 0 and "1 new, 0 merged, 1 already there" in out
    assert listed(cli) == before

    code, out, _ = cli("import", str(backup))  # idempotent: the same set, no duplicates
    assert code == 0 and "0 new, 0 merged, 2 already there" in out
    assert listed(cli) == before


def test_adding_an_unknown_section_is_a_clear_error(cli):
    code, out, err = cli("add", "harbour/no-such-heading")
    assert code == 2
    assert "no section with id 'harbour/no-such-heading'" in err
    assert "Traceback" not in err
    assert listed(cli) == []


def test_removing_what_is_not_bookmarked_says_so(cli):
    code, _, err = cli("remove", SHIPPING)
    assert code == 1
    assert f"'{SHIPPING}' is not bookmarked" in err


def test_note_sets_and_clears(cli):
    cli("add", GREEN)
    assert cli("note", GREEN, "solar first")[0] == 0
    assert listed(cli)[0]["note"] == "solar first"
    code, out, _ = cli("note", GREEN, "")
    assert code == 0 and "Cleared" in out
    assert listed(cli)[0]["note"] is None
    assert cli("note", SHIPPING, "x")[0] == 1


def test_filter_and_tag_narrow_the_list(cli):
    cli("add", SHIPPING, "--tag", "trade")
    cli("add", SOLAR, "--note", "panels on warehouses")
    assert [b["title"] for b in listed(cli, "--tag", "trade")] == ["Shipping Lanes"]
    assert [b["title"] for b in listed(cli, "--filter", "warehouses")] == ["Solar Roofs"]
    assert [b["title"] for b in listed(cli, "--filter", "green")] == ["Solar Roofs"]  # pillar
    code, out, _ = cli("list", "--filter", "nothing-like-this")
    assert code == 0 and "No bookmarks of tester match" in out


def test_each_user_sees_only_their_own(cli, monkeypatch):
    assert cli("add", SHIPPING, "--user", "alice")[0] == 0
    assert cli("add", SOLAR, "--user", "bob")[0] == 0
    assert [b["section_id"] for b in listed(cli, "--user", "alice")] == [SHIPPING]
    assert [b["section_id"] for b in listed(cli, "--user", "bob")] == [SOLAR]
    assert listed(cli) == []  # the default user (tester) has none
    monkeypatch.setenv("PARTNER_TUI_USER", "bob")
    assert [b["section_id"] for b in listed(cli)] == [SOLAR]


def test_a_bad_user_name_is_a_clear_error(cli):
    code, _, err = cli("list", "--user", "../etc")
    assert code == 2 and "invalid user name" in err


def test_a_section_gone_from_the_briefing_is_listed_as_missing(cli, corpus):
    cli("add", SHIPPING, "--note", "ships")
    cli("add", GREEN)
    edited = BRIEFING.replace("## Shipping Lanes", "## Sea Routes").replace(
        "Shore power", "Shore power (now mandatory)"
    )
    write_corpus(corpus, edited)

    code, out, _ = cli("list")
    assert code == 0
    assert "Shipping Lanes" in out  # the snapshot's title, though the heading is gone
    assert "MISSING" in out and "CHANGED" in out
    assert {b["section_id"]: b["status"] for b in listed(cli)} == {
        SHIPPING: "missing",
        GREEN: "changed",
    }
    code, out, _ = cli("export")
    assert "missing: this section is no longer in the briefing" in out
    assert "changed since it was bookmarked" in out
    assert "> Shore power (now mandatory)" in out


def test_markdown_export_is_a_reading_list(cli):
    cli("add", SHIPPING, "--note", "read first", "--tag", "trade")
    cli("add", SOLAR)
    code, out, _ = cli("export", "--format", "md")
    assert code == 0
    assert out.startswith("# Reading list for tester")
    assert "## 1. Shipping Lanes" in out and "## 2. Solar Roofs" in out
    assert "Pillar: Green Port" in out
    assert "Tags: `trade`" in out
    assert "    read first" in out
    assert "> Container traffic doubled in the last decade." in out
    assert "> Warehouses carry solar panels." in out


def test_export_to_a_folder_that_does_not_exist_is_a_clear_error(cli, tmp_path):
    code, _, err = cli("export", "--output", str(tmp_path / "no" / "such" / "list.md"))
    assert code == 2 and "cannot write" in err


BAD_IMPORTS = {
    "not json": "this is not json",
    "another json document": json.dumps({"hello": "world"}),
    "a newer export": json.dumps(
        {"format": "partner-tui-bookmarks", "version": 99, "bookmarks": []}
    ),
    "a bookmark without an id": json.dumps(
        {"format": "partner-tui-bookmarks", "version": 1, "bookmarks": [{"title": "x"}]}
    ),
    "tags that are not a list": json.dumps(
        {
            "format": "partner-tui-bookmarks",
            "version": 1,
            "bookmarks": [
                {"section_id": "a/b", "title": "B", "created_at": "2024", "tags": "oops"}
            ],
        }
    ),
}


@pytest.mark.parametrize("content", BAD_IMPORTS.values(), ids=list(BAD_IMPORTS))
def test_an_invalid_import_changes_nothing(cli, tmp_path, content):
    cli("add", SHIPPING, "--note", "mine")
    before = listed(cli)
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")

    code, _, err = cli("import", str(bad))
    assert code == 2
    assert "nothing was imported" in err and "Traceback" not in err
    assert listed(cli) == before


def test_importing_a_missing_or_binary_file_is_a_clear_error(cli, tmp_path):
    code, _, err = cli("import", str(tmp_path / "absent.json"))
    assert code == 2 and "cannot read" in err
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    code, _, err = cli("import", str(binary))
    assert code == 2 and "not UTF-8" in err


def test_import_merges_notes_and_tags_from_another_user(cli, tmp_path):
    cli("add", SHIPPING, "--note", "alice's view", "--tag", "a", "--user", "alice")
    backup = tmp_path / "alice.json"
    cli("export", "--output", str(backup), "--user", "alice")  # .json → JSON by default
    cli("add", SHIPPING, "--note", "bob's view", "--tag", "b", "--user", "bob")

    code, out, _ = cli("import", str(backup), "--user", "bob")
    assert code == 0 and "0 new, 1 merged" in out
    (merged,) = listed(cli, "--user", "bob")
    assert merged["note"] == "bob's view\n\nalice's view"
    assert merged["tags"] == ["b", "a"]
    cli("import", str(backup), "--user", "bob")
    assert listed(cli, "--user", "bob") == [merged]


def test_a_damaged_store_is_moved_aside_and_the_command_still_works(cli):
    with BookmarkStore.open() as store:
        folder = store.path.parent
    (folder / "bookmarks.db").write_bytes(b"\x00garbage" * 300)

    code, out, err = cli("add", SHIPPING)
    assert code == 0
    kept = [name for name in os.listdir(folder) if ".corrupt-" in name]
    assert len(kept) == 1
    assert f"kept as {folder / kept[0]}" in err
    assert [b["section_id"] for b in listed(cli)] == [SHIPPING]


def test_bookmarks_without_an_action_lists(cli):
    cli("add", SOLAR)
    code, out, _ = cli()
    assert code == 0 and "Solar Roofs" in out


def test_listing_still_works_when_the_briefings_cannot_be_read(cli, capsys, tmp_path):
    cli("add", SOLAR)
    code = main(["bookmarks", "list", "--corpus", str(tmp_path / "gone")])
    captured = capsys.readouterr()
    assert code == 0
    assert "Solar Roofs" in captured.out
    assert "without checking them" in captured.err


def test_an_unusable_data_dir_is_a_clear_error(cli, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PARTNER_TUI_DATA_DIR", str(blocker))
    code, _, err = cli("list")
    assert code == 2
    assert "cannot create the bookmarks folder" in err and "Traceback" not in err
    assert blocker.read_text() == "not a folder"


def test_building_the_parser_imports_no_sqlite_and_the_store_no_textual():
    probe = (
        "import sys, argparse\n"
        "from partner_tui.tui.cli import bookmark_commands\n"
        "bookmark_commands.add_arguments('bookmarks', argparse.ArgumentParser())\n"
        "assert 'sqlite3' not in sys.modules, 'sqlite3 imported to build the parser'\n"
        "import partner_tui.tui.state.bookmark_store, partner_tui.tui.state.bookmark_export\n"
        "assert 'textual' not in sys.modules, 'the store imported textual'\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

"""`pillars`, `search`, `show`, `index` and `--version` through `main([...])`."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from partner_tui.tui.cli.main import main
from support_engine import CONSOLE_SCRIPT, SEED_ID, run_cli, write_corpus

SUSTAINABILITY = f"{SEED_ID}/sustainability-as-a-core-focus"
BROADER = f"{SEED_ID}/broader-business-impact-across-asia-pacific"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_pillars_plain(capsys):
    code, out, err = run(capsys, "pillars")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "Malaysia\u2013Japan Cooperation in Innovation and Digital Transformation  " + SEED_ID
    )
    assert lines[1] == f"  Overview  {SEED_ID}/overview"
    assert f"  Sustainability as a Core Focus  {SUSTAINABILITY}" in lines
    assert f"    Emergence of Regional Tech Ecosystems  {BROADER}/" in out
    assert len(lines) == 12  # title, overview, 7 pillars, 3 sub-sections
    assert "\x1b" not in out


def test_pillars_json(capsys):
    code, out, _ = run(capsys, "pillars", "--json")
    assert code == 0
    (briefing,) = json.loads(out)["briefings"]
    assert briefing["id"] == SEED_ID
    assert briefing["also_read"][0].startswith("Japan\u2019s Telecom Giants")
    top = briefing["sections"]
    assert [s["title"] for s in top][:2] == [
        "Overview",
        "A Strategic Alliance Built on Technology and Innovation",
    ]
    assert top[0]["overview"] is True and len(top) == 8
    broader = top[6]
    assert broader["id"] == BROADER
    assert [c["title"] for c in broader["children"]] == [
        "Expansion of Cross-Border Innovation",
        "Increase in Investment for Emerging Technologies",
        "Emergence of Regional Tech Ecosystems",
    ]


def test_search_plain(capsys):
    code, out, err = run(capsys, "search", "sustainable", "technology", "--limit", "2")
    assert (code, err) == (0, "")
    assert out.startswith('2 sections match "sustainable technology"\n')
    assert " 1. Sustainability as a Core Focus\n" in out
    assert f"    {SUSTAINABILITY}\n" in out
    assert "sustainable technology" in out  # the snippet


def test_search_json_shape(capsys):
    code, out, _ = run(capsys, "search", "robots", "--json")
    assert code == 0
    result = json.loads(out)
    assert {"query", "total", "hits", "suggestion"} <= set(result)
    assert (result["query"], result["total"], result["suggestion"]) == ("robots", 2, None)
    hit = result["hits"][0]
    assert {"id", "title", "pillar", "path", "score", "snippet", "spans"} <= set(hit)
    assert isinstance(hit["score"], float) and hit["path"][-1] == hit["title"]
    marked = [hit["snippet"][a:b].lower() for a, b in hit["spans"]]
    assert marked and all(word.startswith("robot") for word in marked)


def test_search_shows_more_hits_than_limit_in_total(capsys):
    code, out, _ = run(capsys, "search", "technology", "--limit", "2", "--json")
    result = json.loads(out)
    assert code == 0 and len(result["hits"]) == 2 and result["total"] > 2
    code, out, _ = run(capsys, "search", "technology", "--limit", "2")
    assert "(showing 2)" in out.splitlines()[0]


def test_search_pillar_option(capsys):
    code, out, _ = run(capsys, "search", "innovation", "--pillar", "broader", "--json")
    result = json.loads(out)
    assert code == 0
    assert result["hits"] and all(h["id"].startswith(BROADER) for h in result["hits"])


def test_search_nothing_found_exits_1_with_a_suggestion(capsys):
    code, out, _ = run(capsys, "search", "sustainabilty")
    assert code == 1
    assert out == 'No sections match "sustainabilty".\nDid you mean: "sustainability"?\n'
    code, out, _ = run(capsys, "search", "sustainabilty", "--json")
    assert code == 1
    assert json.loads(out)["suggestion"] == "sustainability"
    assert json.loads(out)["hits"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", "green", "--pillar", "oceans"], "no pillar matches 'oceans'"),
        (["search", " "], "the query is empty"),
        (["show", "no/such-section"], "no section with id 'no/such-section'"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("partner-tui: error: ") and message in err
    assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize("limit", ["0", "-1", "many"])
def test_bad_limit_is_a_usage_error(capsys, limit):
    with pytest.raises(SystemExit) as raised:
        main(["search", "green", "--limit", limit])
    assert raised.value.code == 2
    assert "--limit" in capsys.readouterr().err


def test_show_plain_and_json(capsys):
    code, out, _ = run(capsys, "show", SUSTAINABILITY)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Sustainability as a Core Focus"
    assert lines[1].endswith(" \u203a Sustainability as a Core Focus")
    assert lines[3].startswith("One of the notable characteristics")
    code, out, _ = run(capsys, "show", SUSTAINABILITY, "--json")
    section = json.loads(out)
    assert code == 0
    assert {"id", "title", "pillar", "path", "briefing", "body"} <= set(section)
    assert section["id"] == SUSTAINABILITY and section["briefing"] == SEED_ID
    assert section["body"].endswith("innovative as well as green.")


def test_show_sub_section(capsys):
    code, out, _ = run(capsys, "show", f"{BROADER}/emergence-of-regional-tech-ecosystems", "--json")
    section = json.loads(out)
    assert section["pillar"] == "Broader Business Impact Across Asia-Pacific"
    assert section["path"] == [section["pillar"], "Emergence of Regional Tech Ecosystems"]


def test_version(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.startswith("partner-tui ")


def test_index_builds_then_reuses_then_rebuilds(capsys):
    _, first, _ = run(capsys, "index")
    _, second, _ = run(capsys, "index")
    _, third, _ = run(capsys, "index", "--rebuild")
    assert first.startswith("Built the index of 11 sections from 1 briefing(s) at ")
    assert second.startswith("Reused the index of 11 sections")
    assert third.startswith("Built the index of 11 sections")
    assert f"  {SEED_ID}: 11 sections (malaysia-japan-digital-partnership.txt)" in first


def test_corpus_option_and_environment_variable(capsys, tmp_path, monkeypatch):
    option = write_corpus(tmp_path / "a", {"alpha.md": "## Ports\n\nCranes and ships.\n"})
    env = write_corpus(tmp_path / "b", {"beta.txt": "Rail Links\nTrains carry ore.\n"})
    monkeypatch.setenv("PARTNER_TUI_CORPUS", str(env))
    code, out, _ = run(capsys, "search", "trains", "--json")
    assert code == 0 and json.loads(out)["hits"][0]["id"] == "beta/rail-links"
    code, out, _ = run(capsys, "search", "cranes", "--corpus", str(option), "--json")
    assert code == 0 and json.loads(out)["hits"][0]["id"] == "alpha/ports"
    code, out, _ = run(capsys, "--corpus", str(option), "pillars")  # before the command too
    assert "alpha/ports" in out


def test_missing_or_empty_corpus_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "pillars", "--corpus", str(tmp_path / "nowhere"))
    assert code == 2 and "corpus not found" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "search", "x", "--corpus", str(tmp_path / "empty"))
    assert code == 2 and "no readable briefings" in err


def test_bad_files_are_warned_about_on_stderr_and_the_rest_works(capsys, tmp_path):
    root = write_corpus(tmp_path / "c", {"good.md": "## Ports\n\nCranes.\n", "bad.txt": b""})
    code, out, err = run(capsys, "search", "cranes", "--corpus", str(root))
    assert code == 0 and "good/ports" in out
    assert "partner-tui: warning: skipped bad.txt: empty file" in err


def test_unwritable_cache_warns_and_still_answers(capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("PARTNER_TUI_CACHE_DIR", str(blocker))
    code, out, err = run(capsys, "search", "robots", "--json")
    assert code == 0 and json.loads(out)["total"] == 2
    assert "in-memory index" in err
    code, out, _ = run(capsys, "index")
    assert "at memory (cache dir not writable)" in out


def test_document_text_is_printed_as_data(capsys, tmp_path):
    text = "## Tricks\n\nA \x1b[2Jclear and [bold]markup[/] and a bell\x07.\n"
    root = write_corpus(tmp_path / "c", {"t.md": text})
    code, out, _ = run(capsys, "show", "t/tricks", "--corpus", str(root))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "A clear and [bold]markup[/] and a bell." in out


def test_a_query_starting_with_minus_after_double_dash(capsys):
    code, out, _ = run(capsys, "search", "--json", "--", "-energy", "green")
    result = json.loads(out)
    assert code == 0 and result["query"] == "-energy green"
    assert SUSTAINABILITY not in [hit["id"] for hit in result["hits"]]  # it says energy
    assert result["total"] == 1


def test_index_watch_keeps_the_index_current_and_stops_cleanly_on_ctrl_c(tmp_path):
    import signal
    import time

    corpus = write_corpus(tmp_path / "corpus", {"a.md": "## Sea\n\nkelp.\n"})
    env = {**os.environ, "PARTNER_TUI_CACHE_DIR": str(tmp_path / "cache")}
    watcher = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "--corpus", str(corpus), "index", "--watch"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "Watching" in watcher.stdout.readline() + watcher.stdout.readline()
        (corpus / "b.md").write_text("## Port\n\nfreight.\n", "utf-8")
        deadline = time.monotonic() + 30
        line = watcher.stdout.readline()
        assert time.monotonic() < deadline
        assert line.startswith("Updated the index: 1 added, 0 changed, 0 removed")
        # Another process finds the new file in the version the watcher made.
        found = run_cli("--corpus", str(corpus), "search", "freight", "--json", env=env)
        assert [hit["id"] for hit in json.loads(found.stdout)["hits"]] == ["b/port"]
    finally:
        watcher.send_signal(signal.SIGINT)
        stdout, stderr = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, stderr
    assert "Stopped watching." in stdout and "Traceback" not in stderr

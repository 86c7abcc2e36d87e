"""The real `partner-tui` console script: output in pipes and terminals, light imports."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest
from support_engine import CONSOLE_SCRIPT, SEED_ID, run_cli

pytestmark = pytest.mark.e2e  # runs the real console script in processes

SUSTAINABILITY = f"{SEED_ID}/sustainability-as-a-core-focus"


def test_console_script_pillars_search_and_show():
    pillars = run_cli("pillars")
    assert pillars.returncode == 0, pillars.stderr
    assert f"  Conclusion  {SEED_ID}/conclusion" in pillars.stdout

    search = run_cli("search", "green technology", "--json")
    assert search.returncode == 0
    result = json.loads(search.stdout)
    assert result["total"] == 4
    assert SUSTAINABILITY in [hit["id"] for hit in result["hits"]]

    show = run_cli("show", SUSTAINABILITY, "--json")
    assert json.loads(show.stdout)["title"] == "Sustainability as a Core Focus"

    missing = run_cli("show", "nope")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_exit_codes_from_the_console_script():
    assert run_cli("search", "robots").returncode == 0
    assert run_cli("search", "zzzzqx").returncode == 1
    assert run_cli("search", "--limit", "0", "x").returncode == 2


def _on_a_terminal(*args: str, env: dict[str, str] | None = None) -> str:
    """Run the console script with stdout on a pseudo-terminal; return what it wrote."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(CONSOLE_SCRIPT), *args],
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TERM": "xterm-256color", **(env or {})},
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_colour_on_a_terminal():
    out = _on_a_terminal("search", "robots")
    assert "\x1b[1;33m" in out  # matches highlighted


@pytest.mark.parametrize("command", [["search", "robots"], ["pillars"], ["show", SUSTAINABILITY]])
def test_no_escape_codes_with_no_color_or_in_a_pipe(command):
    assert "\x1b" not in _on_a_terminal(*command, env={"NO_COLOR": "1"})
    piped = run_cli(*command)
    assert piped.returncode == 0 and piped.stdout and "\x1b" not in piped.stdout


def test_the_engine_and_cli_search_never_import_textual():
    code = (
        "import sys, io, contextlib\n"
        "import partner_tui.search.engine, partner_tui.search.corpus\n"
        "assert 'textual' not in sys.modules, 'engine imported textual'\n"
        "from partner_tui.tui.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['search', 'robots']) == 0\n"
        "    assert main(['show', '" + SUSTAINABILITY + "']) == 0\n"
        "    assert main(['pillars', '--json']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'asyncssh'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_reading_sections_never_imports_whoosh_until_a_search():
    code = (
        "import sys, io, contextlib\n"
        "from partner_tui.search.engine import Engine\n"
        "engine = Engine.open()\n"
        "assert engine.briefings[0].pillars and engine.section('" + SUSTAINABILITY + "')\n"
        "assert engine.spans('" + SUSTAINABILITY + "', '') == []\n"
        "from partner_tui.tui.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['pillars']) == 0\n"
        "    assert main(['show', '" + SUSTAINABILITY + "', '--json']) == 0\n"
        "assert 'whoosh' not in sys.modules, 'whoosh imported before any search'\n"
        "assert engine.search('sustainability').total\n"
        "assert 'whoosh' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_index_is_reused_by_the_next_process():
    first = run_cli("index", env={"PYTHONHASHSEED": "1"})
    second = run_cli("index", env={"PYTHONHASHSEED": "2"})
    assert first.stdout.startswith("Built the index of 11 sections")
    assert second.stdout.startswith("Reused the index of 11 sections")
    rebuilt = run_cli("index", "--rebuild")
    assert rebuilt.stdout.startswith("Built the index of 11 sections")

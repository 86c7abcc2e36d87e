"""The engine stays reachable without the terminal UI: search/ imports no Textual."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_ENGINE = ("textual", "partner_tui.tui", "partner_tui.themes")
FORBIDDEN_IN_STATE = ("textual", "partner_tui.themes")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def _violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((REPO / folder).rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(REPO)} imports {name}")
    return found


def test_engine_imports_nothing_of_the_terminal_ui():
    assert _violations("search", FORBIDDEN_IN_ENGINE) == []


def test_user_state_is_plain_python_for_the_cli():
    assert _violations("tui/state", FORBIDDEN_IN_STATE) == []


def test_the_architecture_check_sees_a_violation(tmp_path, monkeypatch):
    # Guard against the scan silently finding no files (which would always pass).
    engine_files = list((REPO / "search").rglob("*.py"))
    assert len(engine_files) >= 5
    sample = tmp_path / "bad.py"
    sample.write_text("from textual.app import App\n", encoding="utf-8")
    assert "textual.app" in _imports(sample)

"""The layers of ARCHITECTURE.md, enforced: every import in the source points down.

    search ◀─ tui/state ◀─ the Textual app (app, screens, widgets, providers, themes) ◀─ tui/cli
                  ▲
              tui/serve   (uses state and search; never the app or the CLI)

Nothing imports the CLI but the CLI. Imports inside functions and under TYPE_CHECKING
count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Source folder → installed package (the pyproject's package-dir).
PACKAGES = {
    "search": "partner_tui.search",
    "tui": "partner_tui.tui",
    "themes": "partner_tui.themes",
}

# Layer → the layers it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "search": set(),
    "state": {"search"},
    "serve": {"search", "state"},
    "app": {"search", "state"},
    "cli": {"search", "state", "serve", "app"},
}
# Third-party packages a layer must not import: the engine and the user state stay
# plain Python, so the CLI and the SSH server never pay for (or depend on) Textual.
NO_UI = ("textual", "rich")
FORBIDDEN_PACKAGES: dict[str, tuple[str, ...]] = {
    "search": NO_UI,
    "state": NO_UI,
    "serve": NO_UI,
}


def layer_of(module: str) -> str | None:
    """The layer a `partner_tui` module belongs to, or None for modules outside ours."""
    if module == "partner_tui" or module in ("partner_tui.tui",):
        return None
    for prefix, layer in (
        ("partner_tui.search", "search"),
        ("partner_tui.tui.state", "state"),
        ("partner_tui.tui.serve", "serve"),
        ("partner_tui.tui.cli", "cli"),
        ("partner_tui.themes", "app"),
        ("partner_tui.tui", "app"),
    ):
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return None


def module_name(path: Path) -> str:
    relative = path.relative_to(REPO).with_suffix("")
    parts = list(relative.parts)
    parts[0] = PACKAGES[parts[0]]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    found = {}
    for folder in PACKAGES:
        for path in sorted((REPO / folder).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imports_of(module: str, source: str, known: set[str]) -> list[str]:
    """Every module `source` imports, resolving relative imports and `from pkg import mod`."""
    is_package = any(other.startswith(module + ".") for other in known)
    here = module.split(".") if is_package else module.split(".")[:-1]
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here[: len(here) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                names.append(candidate if candidate in known else base)
    return names


def violations(modules: dict[str, str]) -> list[str]:
    """`modules`: name → source. One line per import that points the wrong way."""
    known = set(modules)
    found = []
    for module, source in sorted(modules.items()):
        layer = layer_of(module)
        if layer is None:
            continue
        for imported in dict.fromkeys(imports_of(module, source, known)):
            target = layer_of(imported)
            top = imported.split(".")[0]
            if target is not None and target != layer and target not in ALLOWED[layer]:
                found.append(f"{module} ({layer}) imports {imported} ({target})")
            elif top in FORBIDDEN_PACKAGES.get(layer, ()):
                found.append(f"{module} ({layer}) imports {imported}")
    return found


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return {name: path.read_text(encoding="utf-8") for name, path in source_modules().items()}


def test_every_import_points_down_the_layers(sources):
    assert violations(sources) == []


def test_the_scan_sees_every_layer(sources):
    # Guard against a scan that finds no files (which would always pass).
    layers = {layer_of(name) for name in sources}
    assert layers >= {"search", "state", "serve", "app", "cli"}
    assert len(sources) > 60


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("partner_tui.search.engine", "from textual.app import App\n", "imports textual.app"),
        ("partner_tui.search.engine", "import partner_tui.tui.app\n", "(app)"),
        ("partner_tui.tui.state.x", "from partner_tui.themes import catalog\n", "(app)"),
        ("partner_tui.tui.state.x", "from rich.text import Text\n", "imports rich.text"),
        ("partner_tui.tui.serve.x", "from partner_tui.tui.cli.errors import E\n", "(cli)"),
        ("partner_tui.tui.serve.x", "from partner_tui.tui.screens import help\n", "(app)"),
        ("partner_tui.tui.app", "from partner_tui.tui.serve import runner\n", "(serve)"),
        ("partner_tui.tui.screens.x", "from ..cli import main\n", "(cli)"),
        ("partner_tui.tui.widgets.x", "def f():\n    from partner_tui.tui.cli import m\n", "(cli)"),
    ],
)
def test_the_contract_catches_an_import_that_points_up(module, source, expected):
    found = violations({module: source, "partner_tui.tui.cli.main": ""})
    assert len(found) == 1 and expected in found[0], found


def test_the_contract_allows_imports_that_point_down():
    allowed = {
        "partner_tui.tui.cli.main": "from partner_tui.tui.serve import runner\nimport textual\n",
        "partner_tui.tui.serve.runner": "from partner_tui.tui.state.errors import CliError\n",
        "partner_tui.tui.app": "from partner_tui.search.engine import Engine\n",
        "partner_tui.tui.state.errors": "import sys\n",
    }
    assert violations(allowed) == []


# Private attributes of Textual and of the explorer that tests once reached into; public
# behaviour (screenshots, `notify`, `get_line_filters`, shown outcomes) replaces them.
PRIVATE_IN_TESTS = re.compile(
    r"\.(_compositor|_driver|_notifications|_filters|_generation|_shown_generation"
    r"|_run_search|_debounce)\b"
)


def private_uses(source: str) -> list[str]:
    return [match.group(1) for match in PRIVATE_IN_TESTS.finditer(source)]


def test_tests_use_public_behaviour_not_textual_privates():
    found = [
        f"{path.name}: {name}"
        for path in sorted((REPO / "tests").glob("*.py"))
        if path.name != "test_architecture.py"
        for name in private_uses(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_private_use_check_can_fail():
    assert private_uses("text = app.screen._compositor.render_strips()") == ["_compositor"]
    assert private_uses("app.notices; app.get_line_filters()") == []

"""The wheel holds one package, partner_tui, with the bundled briefing, and works alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e  # builds a wheel and installs it

REPO = Path(__file__).resolve().parent.parent
# Top-level folders installed as sub-packages of partner_tui (see pyproject's package-dir).
PACKAGE_FOLDERS = ("search", "tui", "themes", "seeds")
SEED = "malaysia-japan-digital-partnership"


def _major(name: str) -> int:
    try:
        return int(version(name).split(".")[0])
    except PackageNotFoundError:
        return -1


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # --no-build-isolation builds with this environment's tools (no network needed).
    needs = "building the wheel needs setuptools>=77 and wheel: pip install 'setuptools>=77' wheel"
    assert _major("setuptools") >= 77 and _major("wheel") >= 0, needs
    work = tmp_path_factory.mktemp("wheel")
    # Build from a copy: setuptools writes build/ next to the sources, and stale files
    # there would leak into the wheel.
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for folder in PACKAGE_FOLDERS:
        shutil.copytree(
            REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    dist = work / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(dist),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (built,) = dist.glob("partner_tui-*.whl")
    return built


def _names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_everything_is_inside_partner_tui_or_the_dist_info(wheel):
    tops = {name.split("/", 1)[0] for name in _names(wheel)}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"partner_tui"}
    assert len(tops) == 2  # no top-level search/, tui/, themes/ or seeds/


def test_the_bundled_briefing_and_its_metadata_are_in_the_wheel(wheel):
    names = _names(wheel)
    assert f"partner_tui/seeds/{SEED}.txt" in names
    assert f"partner_tui/seeds/{SEED}.meta.toml" in names


def test_every_folder_with_python_files_is_a_declared_package():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    declared = set(config["tool"]["setuptools"]["packages"])
    needed = set()
    for folder in PACKAGE_FOLDERS:
        for path in (REPO / folder).rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            relative = path.parent.relative_to(REPO)
            needed.add(".".join(("partner_tui", *relative.parts)))
    assert needed - declared == set()


def test_the_wheel_alone_reads_the_bundled_briefing(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "PARTNER_TUI_CACHE_DIR": str(tmp_path / "cache"),
    }
    where = subprocess.run(
        [sys.executable, "-c", "import partner_tui.seeds as s; print(list(s.__path__)[0])"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=60,
    )
    assert Path(where.stdout.strip()) == site / "partner_tui" / "seeds", where.stderr
    pillars = subprocess.run(
        [sys.executable, "-m", "partner_tui.tui.cli", "pillars"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=60,
    )
    assert pillars.returncode == 0, pillars.stderr
    assert f"  Conclusion  {SEED}/conclusion" in pillars.stdout
    assert pillars.stdout.count("\n") == 12

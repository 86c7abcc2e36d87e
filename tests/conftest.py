"""Every test runs with its own data, cache and config dirs: never the real home."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_state(tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("PARTNER_TUI_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("PARTNER_TUI_CACHE_DIR", str(root / "cache"))
    monkeypatch.setenv("PARTNER_TUI_CONFIG_DIR", str(root / "config"))
    monkeypatch.setenv("PARTNER_TUI_USER", "tester")
    monkeypatch.delenv("PARTNER_TUI_CORPUS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root

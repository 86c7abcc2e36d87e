"""Sessions are forked from one preloaded template process (no re-import, no re-read),
and a changed corpus reaches new sessions through a new template."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from partner_tui.tui.serve.template import SIGNATURE_EVERY
from support_ssh import ServeProcess, Tmux, base_env, make_key, ssh_argv, wait_until

pytestmark = pytest.mark.e2e

FIRST = "# Tidal Almanac\n\n## Spring Tides\nKelp lines go out with the spring tides.\n"


def _cmdline(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "almanac.md").write_text(FIRST, encoding="utf-8")
    return folder


def test_sessions_are_forked_from_the_template_and_see_corpus_changes(tmp_path, corpus):
    env = base_env(tmp_path)
    env["PARTNER_TUI_CACHE_DIR"] = str(tmp_path / "cache")
    key = make_key(tmp_path, "alice")
    server = ServeProcess(tmp_path / "data", env, "--corpus", str(corpus))
    first, second = Tmux(tmp_path), Tmux(tmp_path)
    try:
        server.add_user("alice", key)
        (template,) = wait_until(server.templates, 60, "the session template")
        first.start(ssh_argv(key, server.port, "alice", "-tt"))
        first.wait_for("Spring Tides", 60)
        (child,) = server.sessions()
        # Forked, not started: its parent is the template, and it never exec'd, so its
        # command line and its original environment are the template's (with the marker
        # only the template's environment carries).
        assert _parent(child) == template
        assert _cmdline(child) == _cmdline(template)
        assert b"PARTNER_TUI_TEMPLATE=1" in Path(f"/proc/{child}/environ").read_bytes()
        assert b"session_template" in _cmdline(template)

        (corpus / "almanac.md").write_text(
            "# Tidal Almanac\n\n## Neap Tides\nThe neap tides are gentle.\n", encoding="utf-8"
        )
        time.sleep(SIGNATURE_EVERY + 0.5)  # the server looks at the files that often
        second.start(ssh_argv(key, server.port, "alice", "-tt"))
        second.wait_for("Neap Tides", 60)
        templates = server.templates()
        assert len(templates) == 2 and template in templates  # the old one serves on
        newer = next(pid for pid in templates if pid != template)
        assert {_parent(pid) for pid in server.sessions()} == {template, newer}
        first.keys("q")
        # Retired, the old template leaves once its last session has ended.
        wait_until(lambda: server.templates() == [newer], 20, "the old template to leave")
        second.keys("q")
        wait_until(lambda: not server.sessions(), 20, "every session to end")
    finally:
        first.close()
        second.close()
        assert server.stop() == 0
    assert not [pid for pid in (template,) if Path(f"/proc/{pid}").exists()]

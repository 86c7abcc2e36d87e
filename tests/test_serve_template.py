"""Sessions are forked from one preloaded template process (no re-import, no re-read),
and a changed corpus reaches new sessions through a new template."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest
from partner_tui.tui.serve.template import SIGNATURE_EVERY
from partner_tui.tui.session_priority import SETTLED_NICE
from support_ssh import ServeProcess, Tmux, base_env, make_key, ssh_argv, wait_until

pytestmark = pytest.mark.e2e

FIRST = "# Tidal Almanac\n\n## Spring Tides\nKelp lines go out with the spring tides.\n"


def _cmdline(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _nice(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


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
        # An admin whose Python cannot share the template's objects is told what it costs.
        note = "cannot share the session template's objects"
        assert (note in server.output()) == (sys.version_info < (3, 12)), server.output()
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
        # On screen, the session gives way to sessions still starting; the template, and
        # so every session it forks next, keeps its priority.
        ours = os.getpriority(os.PRIO_PROCESS, 0)  # the server's and the template's
        wait_until(lambda: _nice(child) == max(SETTLED_NICE, ours), 20, "the session's nice")
        assert _nice(template) == ours

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
        # Both sessions started, searched nothing, quit: and imported nothing themselves.
        assert "[session pid" in server.session_log()
        assert "imported after the fork" not in server.session_log()
    finally:
        first.close()
        second.close()
        assert server.stop() == 0
    assert not [pid for pid in (template,) if Path(f"/proc/{pid}").exists()]


def test_the_warmed_template_holds_one_thread_and_no_stray_file(tmp_path, corpus):
    """After its warm-up (a headless run of the explorer), the template forks with one
    thread and only its own descriptors: no index file, database, event loop or socket
    of the rehearsal would be shared by every session. Checked from /proc, not from
    what the template says of itself."""
    from partner_tui.tui.serve.child_env import server_env
    from partner_tui.tui.serve.runner import child_settings
    from partner_tui.tui.serve.template import SessionTemplate, corpus_signature

    log = tmp_path / "serve.log"
    settings = child_settings(tmp_path / "data", str(corpus))

    async def look() -> tuple[dict, list[str], dict[str, str]]:
        template = SessionTemplate(server_env(settings), log, corpus_signature(corpus))
        await template.start()
        try:
            pid = template.pid
            # Once it waits for requests, it has made its own selector and SIGCHLD pipe.
            waiting = lambda: "epoll" in Path(f"/proc/{pid}/wchan").read_text()  # noqa: E731
            wait_until(waiting, 20, "the template to wait for requests")
            tasks = os.listdir(f"/proc/{pid}/task")
            fds = {n: os.readlink(f"/proc/{pid}/fd/{n}") for n in os.listdir(f"/proc/{pid}/fd")}
            return template.ready_report, tasks, fds
        finally:
            template.close()
            template.wait_closed()

    report, tasks, fds = asyncio.run(look())
    assert len(tasks) == 1, tasks
    kinds = sorted(target.split(":")[0] for target in fds.values())
    # stdin (/dev/null), stdout and stderr (the log), the server's socket, and its own
    # selector and the pipe that wakes it on SIGCHLD, made after the warm-up.
    expected = ["/dev/null", "anon_inode", "pipe", "pipe", "socket", str(log), str(log)]
    assert kinds == sorted(expected), fds
    assert report["threads"] == 1
    assert report["shared_stylesheet_parses"] > 10  # the rehearsal's parses, kept
    # On 3.12+ the warmed heap is made immortal before any fork (tests/test_immortal_heap.py
    # shows what that saves); 3.11 cannot, and says so with 0.
    if sys.version_info >= (3, 12):
        assert report["immortal_objects"] > 50_000
    else:
        assert report["immortal_objects"] == 0

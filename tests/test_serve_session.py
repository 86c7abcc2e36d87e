"""One SSH session's bookkeeping, without a network: what happens when the explorer
cannot be started, and that every way out gives the session slot back."""

from __future__ import annotations

import asyncio
import logging
import sys

from partner_tui.tui.serve import session as session_module
from partner_tui.tui.serve.limits import Limits
from partner_tui.tui.serve.service import Service
from partner_tui.tui.serve.session import ExplorerSession


class FakeChannel:
    def __init__(self, term: str | None = "xterm-256color") -> None:
        self.term = term
        self.out = b""
        self.err = b""
        self.status: int | None = None

    def get_terminal_type(self):
        return self.term

    def get_terminal_size(self):
        return (80, 24, 0, 0)

    def get_environment(self):
        return {"LANG": "C.UTF-8", "PATH": "/evil", "LD_PRELOAD": "/evil.so"}

    def write(self, data: bytes) -> None:
        self.out += data

    def write_stderr(self, data: bytes) -> None:
        self.err += data

    def exit(self, status: int) -> None:
        self.status = status

    def is_closing(self) -> bool:
        return self.status is not None

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def _service(tmp_path, idle_timeout: float = 0) -> Service:
    return Service(
        data=tmp_path,
        limits=Limits(max_sessions=1, max_sessions_per_user=1, idle_timeout=idle_timeout),
        child_settings={"PARTNER_TUI_DATA_DIR": str(tmp_path)},
        log_path=tmp_path / "serve.log",
    )


def _open(service: Service, channel: FakeChannel, command: str | None = None):
    session = ExplorerSession(service, "alice", "127.0.0.1:1", lambda: False)
    session.connection_made(channel)
    if command is not None:
        session.exec_requested(command)
    else:
        session.pty_requested(channel.term, (80, 24, 0, 0), {})
        session.shell_requested()
    session.session_started()
    return session


def test_a_spawn_failure_is_logged_not_shown_and_frees_the_slot(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(session_module, "child_argv", lambda no_mouse: [str(tmp_path / "nope")])
    service = _service(tmp_path)

    async def scenario() -> None:
        channel = FakeChannel()
        with caplog.at_level(logging.ERROR, logger="partner_tui.serve"):
            _open(service, channel)
        assert channel.status == 1
        assert b"could not be started; the problem was logged on the server" in channel.err
        assert b"Traceback" not in channel.err + channel.out
        assert "could not start partner-tui for alice" in caplog.text
        assert "No such file" in caplog.text  # the details are in the server's log
        assert service.slots.total == 0  # the slot is free for the next try

    asyncio.run(scenario())


def test_refused_requests_never_take_a_slot(tmp_path):
    service = _service(tmp_path)

    async def scenario() -> None:
        for channel, command in ((FakeChannel(), "ls"), (FakeChannel(term=None), None)):
            session = _open(service, channel, command)
            assert channel.status == 1
            session.connection_lost(None)
            assert service.slots.total == 0

    asyncio.run(scenario())


def test_the_child_gets_the_login_and_only_safe_client_variables(tmp_path, monkeypatch):
    script = "import os,sys; print(sorted(k for k in os.environ)); print(os.environ['TERM'])"
    script += "; print(os.environ['PARTNER_TUI_USER'], os.environ.get('PATH') == '/evil')"
    monkeypatch.setattr(
        session_module, "child_argv", lambda no_mouse: [sys.executable, "-c", script]
    )
    service = _service(tmp_path)

    async def scenario() -> None:
        channel = FakeChannel(term="screen")
        _open(service, channel)
        for _ in range(200):
            if channel.status is not None:
                break
            await asyncio.sleep(0.05)
        assert channel.status == 0
        text = channel.out.decode()
        assert "LD_PRELOAD" not in text
        assert "screen" in text and "alice False" in text
        assert service.slots.total == 0

    asyncio.run(scenario())


def test_a_crash_is_explained_in_one_line(tmp_path, monkeypatch):
    crash = "import sys; sys.stderr.write('Traceback: boom\\n'); sys.exit(1)"
    monkeypatch.setattr(
        session_module, "child_argv", lambda no_mouse: [sys.executable, "-c", crash]
    )
    service = _service(tmp_path)

    async def scenario() -> None:
        channel = FakeChannel()
        _open(service, channel)
        for _ in range(200):
            if channel.status is not None:
                break
            await asyncio.sleep(0.05)
        assert channel.status == 1
        assert b"the explorer stopped unexpectedly" in channel.out

    asyncio.run(scenario())


def test_the_idle_clock_starts_when_the_explorer_first_draws(tmp_path, monkeypatch):
    """A session slower to start than the idle timeout (a crowd logging in at once) is
    still seen, and closed only after the timeout without input once it has drawn."""
    slow_start = "import sys, time; time.sleep(2); print('drawn', flush=True); time.sleep(60)"
    monkeypatch.setattr(
        session_module, "child_argv", lambda no_mouse: [sys.executable, "-c", slow_start]
    )
    service = _service(tmp_path, idle_timeout=1)

    async def scenario() -> None:
        channel = FakeChannel()
        _open(service, channel)
        for _ in range(400):
            if channel.status is not None:
                break
            await asyncio.sleep(0.05)
        assert b"closed after 1 second without input" in channel.out
        assert channel.out.index(b"drawn") < channel.out.index(b"closed after")
        assert service.slots.total == 0

    asyncio.run(scenario())


def test_session_stderr_keeps_tracebacks_in_the_log_and_shows_the_clis_own_messages(tmp_path):
    import io

    from partner_tui.tui.cli.session_main import _LogFirstStderr

    log, terminal = io.StringIO(), io.StringIO()
    stderr = _LogFirstStderr(log, terminal)
    print("partner-tui: error: TERM=dumb cannot show it.\n  Over SSH: ssh -t", file=stderr)
    print("Traceback (most recent call last):\n  File ...\nValueError: boom", file=stderr)
    assert (
        terminal.getvalue() == "partner-tui: error: TERM=dumb cannot show it.\n  Over SSH: ssh -t\n"
    )
    assert "ValueError: boom" in log.getvalue() and "TERM=dumb" in log.getvalue()

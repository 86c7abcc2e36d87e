"""Holes found by probing `serve`, each closed: forged log lines, huge window sizes,
connection floods, connections kept open after their session, sessions blind to the
server's XDG locations, and user files others could read. No network: fakes stand in
for asyncssh's connection and channel objects."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import struct
import subprocess
import sys
import termios

import asyncssh
import pytest
from partner_tui.tui.serve import session as session_module
from partner_tui.tui.serve.limits import MAX_COLUMNS, MAX_ROWS, Limits
from partner_tui.tui.serve.runner import child_settings
from partner_tui.tui.serve.server import ExplorerServer
from partner_tui.tui.serve.service import Service
from test_serve_session import FakeChannel, _open


class FakeConnection:
    def __init__(self, port: int = 5000) -> None:
        self.port = port
        self.closed = False

    def get_extra_info(self, name: str):
        return ("127.0.0.1", self.port)

    def close(self) -> None:
        self.closed = True


def _service(tmp_path, **limits) -> Service:
    return Service(
        data=tmp_path,
        limits=Limits(idle_timeout=0, **limits),
        child_settings={"PARTNER_TUI_DATA_DIR": str(tmp_path)},
        log_path=tmp_path / "serve.log",
    )


def test_a_forwarding_request_cannot_forge_a_log_line(tmp_path, caplog):
    server = ExplorerServer(_service(tmp_path))
    forged = "example.org\n2026-01-01 00:00:00 INFO alice logged in from 10.0.0.1"

    async def scenario() -> None:
        server.connection_made(FakeConnection())
        with caplog.at_level(logging.INFO, logger="partner_tui.serve"):
            with pytest.raises(asyncssh.ChannelOpenError):
                server.connection_requested(forged, 80, "x", 1)
            server.server_requested(forged, 8080)
            with pytest.raises(asyncssh.ChannelOpenError):
                server.unix_connection_requested("/run/x\nINFO forged")

    asyncio.run(scenario())
    messages = [record.getMessage() for record in caplog.records]
    assert any("refused port forwarding to 'example.org\\n2026" in m for m in messages)
    assert all("\n" not in message for message in messages)


def test_connections_still_logging_in_are_capped(tmp_path):
    service = _service(tmp_path, max_unauthenticated=3)

    async def scenario() -> list[FakeConnection]:
        conns = [FakeConnection(port) for port in range(5)]
        servers = [ExplorerServer(service) for _ in conns]
        for server, conn in zip(servers, conns, strict=True):
            server.connection_made(conn)
        await asyncio.sleep(0)  # the refusal closes on the next turn of the loop
        assert [c.closed for c in conns] == [False, False, False, True, True]
        servers[0].auth_completed()  # logged in: no longer counts against the cap
        servers[1].connection_lost(None)  # gave up
        late = FakeConnection(9)
        ExplorerServer(service).connection_made(late)
        await asyncio.sleep(0)
        assert not late.closed
        servers[0]._no_session_timer.cancel()
        return conns

    asyncio.run(scenario())
    assert service.unauthenticated == 2  # servers[2] and the late one


def test_a_connection_is_closed_when_its_last_session_ends(tmp_path):
    service = _service(tmp_path)

    async def scenario() -> None:
        conn = FakeConnection()
        server = ExplorerServer(service)
        server.connection_made(conn)
        server.begin_auth("alice")
        server.auth_completed()
        first, second = server.session_requested(), server.session_requested()
        first.connection_made(FakeChannel())
        second.connection_made(FakeChannel())
        first.connection_lost(None)
        await asyncio.sleep(0.4)
        assert not conn.closed  # one session still open on it
        second.connection_lost(None)
        await asyncio.sleep(0.4)
        assert conn.closed

    asyncio.run(scenario())


def _window(fd: int) -> tuple[int, int]:
    rows, columns = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))[:2]
    return columns, rows


def test_a_huge_window_size_is_clamped_and_logged(tmp_path, monkeypatch, caplog):
    sleeper = [sys.executable, "-c", "import time; time.sleep(30)"]
    monkeypatch.setattr(session_module, "child_argv", lambda no_mouse: sleeper)
    service = _service(tmp_path)

    async def scenario() -> None:
        channel = FakeChannel()
        with caplog.at_level(logging.INFO, logger="partner_tui.serve"):
            session = _open(service, channel)
            session.terminal_size_changed(70_000, 70_000, 0, 0)
            assert _window(session._child.master) == (MAX_COLUMNS, MAX_ROWS)
            session.terminal_size_changed(0, 0, 0, 0)  # "unknown": the usual 80x24
            assert _window(session._child.master) == (80, 24)
            await session.end("test over")
        assert channel.status is not None

    asyncio.run(scenario())
    assert "window size 70000x70000 from alice clamped to" in caplog.text


def test_sessions_get_the_servers_resolved_locations(tmp_path, monkeypatch):
    for name in ("PARTNER_TUI_CACHE_DIR", "PARTNER_TUI_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    settings = child_settings(tmp_path / "data", None)
    assert settings["PARTNER_TUI_CACHE_DIR"] == str(tmp_path / "xdg-cache" / "partner-tui")
    assert settings["PARTNER_TUI_CONFIG_DIR"] == str(tmp_path / "xdg-config" / "partner-tui")
    env = session_module.child_env("alice", settings, "xterm", {}, None)
    assert env["PARTNER_TUI_CACHE_DIR"] == settings["PARTNER_TUI_CACHE_DIR"]
    assert env["XDG_CONFIG_HOME"] == str(tmp_path / "xdg-config")


def test_a_term_with_a_newline_is_not_passed_on():
    env = session_module.child_env("alice", {}, "xterm\nEVIL=1", {}, None)
    assert env["TERM"] == "xterm-256color"


def test_only_locale_names_pass_from_the_client_and_the_session_can_start_with_them():
    hostile = {
        "LC_ALL": "en_GB.UTF-8",
        "LC_CTYPE": "C.UTF-8\x1b[31m\n",  # controls stripped, the rest kept
        "LC_X=Y": "1",  # `=` in a name: putenv refuses the whole environment
        "LC_NUL\0": "1",
        "LC_": "1",
        "lc_all": "1",
        "LC_Ä": "1",
        "LC_TIME": "x" * 300,  # too long: dropped, not cut to something else
        "LC_PAPER": "\ud800",  # a lone surrogate cannot be encoded for the child
        "LD_PRELOAD": "/evil.so",
    }
    env = session_module.child_env("alice", {}, "xterm", hostile, None)
    passed = {name: value for name, value in env.items() if name.startswith(("LC_", "LD_"))}
    assert passed == {"LC_ALL": "en_GB.UTF-8", "LC_CTYPE": "C.UTF-8[31m"}
    # The whole environment is one a process can be started with.
    done = subprocess.run([sys.executable, "-c", "import os; print(os.environ['LC_ALL'])"],
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == "en_GB.UTF-8"

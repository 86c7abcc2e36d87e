"""`partner-tui` with no command: never draws into a pipe, and ends cleanly on hang-up."""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e  # starts the real command on a pty

COMMAND = [sys.executable, "-m", "partner_tui.tui.cli"]
ADVICE = ("ssh -t", "partner-tui search")


class Terminal:
    """A pty whose output is drained in a thread (a full pty buffer would block the app)."""

    def __init__(self, columns: int = 100, rows: int = 30) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.output = bytearray()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        # select with a timeout, so hang_up can stop this thread before closing the master
        # (a close while another thread is blocked in read() would not release the pty).
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def wait_for(self, needle: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never appeared: {bytes(self.output[-400:])!r}")
            time.sleep(0.05)

    def wait_for_count(self, needle: bytes, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.output.count(needle) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} seen fewer than {count} times")
            time.sleep(0.05)

    def hang_up(self) -> None:
        """Close the terminal's master side, as a terminal window or sshd does."""
        self._stop.set()
        self._reader.join()
        os.close(self.master)

    def close(self) -> None:
        self._stop.set()
        self._reader.join()
        for fd in (self.slave, self.master):
            try:
                os.close(fd)
            except OSError:
                pass


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color")
    for name in ("COLUMNS", "LINES"):  # the pty's own size must decide
        env.pop(name, None)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def test_refuses_when_stdout_is_a_pipe():
    terminal = Terminal()
    try:
        done = subprocess.run(
            COMMAND, stdin=terminal.slave, capture_output=True, text=True, env=_env(), timeout=60
        )
    finally:
        terminal.close()
    assert done.returncode == 2
    assert "standard output is not a terminal" in done.stderr
    assert all(advice in done.stderr for advice in ADVICE)
    assert done.stdout == ""  # nothing drawn into the pipe


def test_refuses_when_stdin_is_not_a_terminal():
    done = subprocess.run(
        COMMAND, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=_env(), timeout=60
    )
    assert done.returncode == 2
    assert "standard input is not a terminal" in done.stderr


@pytest.mark.parametrize("term", ["dumb", None])
def test_refuses_a_dumb_or_unset_term_even_on_a_terminal(term):
    terminal = Terminal()
    try:
        child = subprocess.Popen(
            COMMAND,
            stdin=terminal.slave,
            stdout=terminal.slave,
            stderr=terminal.slave,
            env=_env(TERM=term),
        )
        assert child.wait(timeout=60) == 2
        terminal.wait_for(b"ssh -t")
    finally:
        terminal.close()
    shown = terminal.output.decode(errors="replace")
    assert ("TERM=dumb" if term else "TERM is not set") in shown
    assert "\x1b[?1049h" not in shown  # never switched to the full-screen UI


def test_unknown_theme_is_refused_with_the_names_to_choose_from():
    terminal = Terminal()
    try:
        child = subprocess.Popen(
            [*COMMAND, "--theme", "nope"],
            stdin=terminal.slave,
            stdout=terminal.slave,
            stderr=terminal.slave,
            env=_env(),
        )
        assert child.wait(timeout=60) == 2
        terminal.wait_for(b"partner-light")
    finally:
        terminal.close()
    shown = terminal.output.decode(errors="replace")
    assert "unknown theme 'nope'" in shown and "partner-dark" in shown


def _start_app(terminal: Terminal, controlling: bool) -> subprocess.Popen:
    def become_session_leader() -> None:
        os.setsid()
        if controlling:  # the pty becomes the controlling terminal: hang-up sends SIGHUP
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(
        COMMAND,
        stdin=terminal.slave,
        stdout=terminal.slave,
        stderr=terminal.slave,
        env=_env(),
        preexec_fn=become_session_leader,
    )
    # The reading header shows once the last (or first) section is open, and so saved.
    terminal.wait_for(b"bookmarked")
    return child


def _saved_preferences() -> dict:
    path = Path(os.environ["PARTNER_TUI_DATA_DIR"]) / "users" / "tester" / "preferences.json"
    return json.loads(path.read_text())


def test_sighup_ends_the_app_cleanly_and_keeps_what_was_read():
    terminal = Terminal()
    try:
        child = _start_app(terminal, controlling=True)
        child.send_signal(signal.SIGHUP)
        assert child.wait(timeout=20) == 0  # exited by itself, not killed by the signal
        terminal.wait_for(b"\x1b[?1049l")  # left the alternate screen: terminal restored
    finally:
        terminal.close()
    assert _saved_preferences()["last_section"].endswith("/overview")


def test_sigterm_ends_the_app_cleanly():
    terminal = Terminal()
    try:
        child = _start_app(terminal, controlling=True)
        child.terminate()
        assert child.wait(timeout=20) == 0
    finally:
        terminal.close()


def test_the_app_ends_when_its_terminal_disappears_without_a_signal():
    """No SIGHUP reaches it (not its controlling tty); it must not spin on end-of-file."""
    terminal = Terminal()
    try:
        child = _start_app(terminal, controlling=False)
        os.close(terminal.slave)
        terminal.hang_up()
        child.wait(timeout=20)
    finally:
        if "child" in locals() and child.poll() is None:
            child.kill()
        terminal.close()
    assert child.returncode is not None


@pytest.fixture
def launched(monkeypatch):
    """Run the launcher as if on a terminal, recording how the app was started."""
    from partner_tui.tui.app import PartnerApp
    from partner_tui.tui.cli import app_launcher

    seen: dict = {}

    def fake_run(app, **options):
        seen.update(options, app=app)

    monkeypatch.setattr(app_launcher, "terminal_problem", lambda: None)
    monkeypatch.setattr(PartnerApp, "run", fake_run)
    return seen


def test_no_mouse_starts_the_app_without_mouse_capture(launched):
    from partner_tui.tui.cli.main import main

    assert main(["--no-mouse", "--theme", "partner-light"]) == 0
    assert launched["mouse"] is False
    assert launched["app"].theme == "partner-light"
    assert launched["app"].user == "tester"


def test_a_missing_corpus_is_a_clear_error(launched, tmp_path, capsys):
    from partner_tui.tui.cli.main import main

    assert main(["--corpus", str(tmp_path / "nowhere")]) == 2
    assert "corpus not found" in capsys.readouterr().err
    assert "app" not in launched


def test_an_invalid_user_name_is_a_clear_error(launched, capsys):
    from partner_tui.tui.cli.main import main

    assert main(["--user", "../etc"]) == 2
    assert "invalid user name" in capsys.readouterr().err


def test_corpus_warnings_are_shown_in_the_app_and_after_it(launched, tmp_path, capsys):
    from partner_tui.tui.cli.main import main
    from support_app import write_corpus

    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "picture.png").write_bytes(b"\x89PNG\r\n")
    assert main(["--corpus", str(corpus)]) == 0
    assert any("picture.png" in message for message in launched["app"].startup_warnings)
    assert "picture.png" in capsys.readouterr().err


def test_a_stray_sigcont_does_not_restart_the_terminal_mode():
    """A hang-up sends SIGCONT with SIGHUP; Textual would re-enter its terminal mode on it
    (mid-exit, that deadlocks). Only a resume after a real suspend may do that."""
    terminal = Terminal()
    try:
        child = _start_app(terminal, controlling=True)
        entered = terminal.output.count(b"\x1b[?1049h")
        child.send_signal(signal.SIGCONT)
        time.sleep(0.5)  # long enough for a restart to show: one that must not come
        assert terminal.output.count(b"\x1b[?1049h") == entered
        child.send_signal(signal.SIGHUP)
        assert child.wait(timeout=20) == 0
    finally:
        terminal.close()


def test_a_stuck_shutdown_still_ends_the_process(monkeypatch):
    from partner_tui.tui import hang_up

    ended = threading.Event()
    codes: list[int] = []

    def fake_exit(code: int) -> None:
        codes.append(code)
        ended.set()

    class StuckApp:  # its exit never gets anywhere
        def exit(self) -> None:
            pass

    monkeypatch.setattr(hang_up.os, "_exit", fake_exit)
    guard = hang_up.HangUpGuard(StuckApp(), grace=0.05)
    guard.end()
    assert ended.wait(timeout=10)
    assert codes == [hang_up.EXIT_HUNG_UP]


def test_a_real_suspend_and_resume_still_work():
    terminal = Terminal()
    try:
        child = _start_app(terminal, controlling=True)
        entered, left = (terminal.output.count(s) for s in (b"\x1b[?1049h", b"\x1b[?1049l"))
        child.send_signal(signal.SIGTSTP)  # as `kill -TSTP` or a job-control shell does
        terminal.wait_for_count(b"\x1b[?1049l", left + 1)
        child.send_signal(signal.SIGCONT)
        terminal.wait_for_count(b"\x1b[?1049h", entered + 1)
        child.send_signal(signal.SIGHUP)
        assert child.wait(timeout=20) == 0
    finally:
        terminal.close()


@pytest.mark.parametrize("theme", ["nord", "solarized-light", "partner-high-contrast"])
def test_every_theme_the_palette_offers_is_accepted_by_theme(launched, theme):
    from partner_tui.tui.cli.main import main

    assert main(["--theme", theme]) == 0
    assert launched["app"].theme == theme

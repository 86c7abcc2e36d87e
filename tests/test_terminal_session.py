"""The real `partner-tui` in a real terminal, the way an ordinary SSH session runs it
(sshd, tmux, screen): the TERM values seen over SSH, colour settings, resizes, refusals
where it cannot draw, and hang-ups that leave nothing behind.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import uuid

import pytest
from support_ssh import (
    BRIEFING,
    OPENING,
    PILLAR,
    Tmux,
    base_env,
    partner_tui,
    processes_with_env,
    wait_for_explorer,
    wait_until,
)

pytestmark = pytest.mark.e2e

ADVICE = "ssh -t"
SGR = re.compile(r"\x1b\[([0-9;]*)m")


@pytest.fixture
def app_env(tmp_path):
    env = base_env(tmp_path)
    env["PARTNER_TUI_USER"] = "tester"
    return env


def _apps(mark: str) -> list[int]:
    """Live processes started by one _start (the app and anything it left behind)."""
    return processes_with_env("PARTNER_TUI_TEST_MARK", mark)


def _start(tmux, env, *args: str, term: str = "xterm-256color") -> tuple[int, str]:
    mark = uuid.uuid4().hex
    tmux.start([partner_tui(), *args], {**env, "TERM": term, "PARTNER_TUI_TEST_MARK": mark})
    tmux.wait_for(BRIEFING)
    tmux.wait_for(OPENING)  # the explorer has resumed, not only drawn its first frame
    (pid,) = wait_until(lambda: _apps(mark), 10, "the app's process")
    return pid, mark


def test_refuses_when_stdout_is_piped(app_env):
    leader, follower = os.openpty()
    try:
        done = subprocess.run(
            [partner_tui()],
            stdin=follower,
            capture_output=True,
            text=True,
            env={**app_env, "TERM": "xterm-256color"},
            timeout=30,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 2
    assert "standard output is not a terminal" in done.stderr
    assert ADVICE in done.stderr and "partner-tui search" in done.stderr
    assert "\x1b[" not in done.stdout  # no frame drawn into the pipe


def test_refuses_without_a_terminal_on_stdin(app_env):
    done = subprocess.run(
        [partner_tui()],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**app_env, "TERM": "xterm-256color"},
        timeout=30,
    )
    assert done.returncode == 2
    assert "standard input is not a terminal" in done.stderr and ADVICE in done.stderr


def _run_in_pty(env) -> tuple[int, str]:
    """Run partner-tui with stdin, stdout and stderr on a fresh pty; (status, output)."""
    leader, follower = os.openpty()
    try:
        process = subprocess.Popen(
            [partner_tui()], stdin=follower, stdout=follower, stderr=follower, env=env
        )
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the pty has no other holder any more
                break
            if not chunk:
                break
            output += chunk
        return process.wait(timeout=30), output.decode("utf-8", "replace")
    finally:
        os.close(leader)


@pytest.mark.parametrize("term", ["dumb", None], ids=["dumb", "unset"])
def test_refuses_a_dumb_or_missing_term(app_env, term):
    env = {k: v for k, v in app_env.items() if k not in ("TERM", "COLUMNS", "LINES")}
    if term:
        env["TERM"] = term
    status, output = _run_in_pty(env)
    assert status == 2
    assert "needs an interactive terminal" in output and ADVICE in output
    assert "\x1b[" not in output  # nothing drawn


@pytest.mark.parametrize("term", ["xterm-256color", "xterm", "screen", "tmux-256color", "linux"])
def test_explorer_starts_under_each_ssh_term(tmux, app_env, term):
    _start(tmux, app_env, term=term)
    wait_for_explorer(tmux)
    tmux.keys("q")
    assert tmux.exit_status(timeout=15) == 0


def _colours(styled: str) -> set[tuple[int, ...]]:
    """Every colour in a `capture-pane -e` screen: (n,) for the 16/256 palettes (as 0-255),
    (r, g, b) for true colour."""
    found: set[tuple[int, ...]] = set()
    for params in SGR.findall(styled):
        codes = [int(p) if p else 0 for p in params.split(";")]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                found.add((codes[i + 2],))
                i += 3
            elif code in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
                found.add(tuple(codes[i + 2 : i + 5]))
                i += 5
            else:
                if 30 <= code <= 37 or 40 <= code <= 47:
                    found.add((code % 10,))
                elif 90 <= code <= 97 or 100 <= code <= 107:
                    found.add((code % 10 + 8,))
                i += 1
    return found


def _is_grey(colour: tuple[int, ...]) -> bool:
    if len(colour) == 3:
        return colour[0] == colour[1] == colour[2]
    return colour[0] in (0, 7, 8, 15, 16, 231) or colour[0] >= 232


def test_the_colour_settings_are_respected(tmux, app_env, tmp_path):
    _start(tmux, app_env, term="xterm-256color")
    wait_for_explorer(tmux)
    baseline = _colours(tmux.styled())
    assert any(not _is_grey(c) for c in baseline)  # the default theme has hues…
    assert any(len(c) == 1 and c[0] > 15 for c in baseline)  # …from the 256-colour palette
    tmux.keys("q")
    tmux.exit_status(timeout=15)
    tmux.close()
    for setting in ({"NO_COLOR": "1"}, {"TEXTUAL_COLOR_SYSTEM": "standard"}):
        terminal = Tmux(tmp_path)
        try:
            _start(terminal, {**app_env, **setting}, term="xterm-256color")
            wait_for_explorer(terminal)
            colours = _colours(terminal.styled())
            if "NO_COLOR" in setting:  # monochrome: greys only, no hues
                assert all(_is_grey(c) for c in colours), sorted(colours)
            else:  # the 16 standard colours only
                assert all(len(c) == 1 and c[0] < 16 for c in colours), sorted(colours)
            assert PILLAR in terminal.screen()
        finally:
            terminal.close()


def test_a_resize_is_followed(tmux, app_env):
    # Even with the starting size exported (some shells and wrappers do), the pty decides.
    _start(tmux, {**app_env, "COLUMNS": "80", "LINES": "24"})
    tmux.resize(120, 35)

    def spans_new_width() -> bool:
        lines = tmux.screen().splitlines()
        return len(lines) >= 35 and any(len(line.rstrip()) > 100 for line in lines)

    wait_until(spans_new_width, 10, "the explorer to redraw at 120x35")
    tmux.resize(60, 20)
    wait_until(lambda: all(len(line) <= 60 for line in tmux.screen().splitlines()), 10, "60x20")
    tmux.wait_for(BRIEFING[:20])


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_hangup_and_terminate_end_the_app_and_leave_nothing(tmux, app_env, tmp_path, signum):
    pid, mark = _start(tmux, app_env)
    os.kill(pid, signum)
    wait_until(lambda: not _apps(mark), 5, f"the app to exit after {signum.name}")
    status = tmux.exit_status()
    assert status in (0, 128 + signum)  # a clean exit, not a traceback (1) or a hang
    assert "Traceback" not in tmux.screen()
    preferences = tmp_path / "data" / "users" / "tester" / "preferences.json"
    assert preferences.exists()  # state was saved on the way out


def test_closing_the_terminal_leaves_no_process_spinning(tmux, app_env):
    _, mark = _start(tmux, app_env)
    tmux.kill_pane()  # like a dropped SSH connection: the terminal goes away
    wait_until(lambda: not _apps(mark), 5, "the app to exit once its terminal is gone")


def test_no_mouse_turns_mouse_reporting_off(tmux, app_env, tmp_path):
    _start(tmux, app_env)
    wait_for_explorer(tmux)
    assert tmux.tmux("display-message", "-p", "-t", "main", "#{mouse_any_flag}").strip() == "1"
    tmux.keys("q")
    tmux.exit_status(timeout=15)
    tmux.close()
    quiet = Tmux(tmp_path)
    try:
        _start(quiet, app_env, "--no-mouse")
        flags = quiet.tmux("display-message", "-p", "-t", "main", "#{mouse_any_flag}")
        assert flags.strip() == "0"
    finally:
        quiet.close()

"""Shared helpers for the SSH and terminal-session tests: a real `partner-tui serve`,
real OpenSSH clients, client keys made with ssh-keygen, and a private tmux server.

Everything waits by polling against a deadline, never by fixed sleeps. Each tmux pane
runs on its own tmux server socket, so tests never touch anyone's tmux sessions.
"""

from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import uuid
from collections.abc import Mapping
from pathlib import Path

from support_tmux import (  # noqa: F401  (re-exported for the ssh and session tests)
    Tmux,
    alive,
    children_of,
    partner_tui_command,
    processes_with_env,
    wait_until,
)

partner_tui = partner_tui_command
BRIEFING = "Malaysia–Japan Cooperation"  # the bundled briefing's title
PILLAR = "Sustainability as a Core Focus"  # one of its pillars
# The first words of its first section: on screen once the explorer has reopened where
# the reader was (here, the first section), after its first frame; only from then on does
# it save where the reader is.
OPENING = "The development and strengthening"


def is_template(pid: int) -> bool:
    try:
        return b"session_template" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# -- keys and clients ----------------------------------------------------------------
def make_key(directory: Path, name: str) -> Path:
    key = directory / f"{name}_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
        check=True,
        timeout=20,
    )
    return key


def ssh_options(key: Path, port: int) -> list[str]:
    return [
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=10",
        "-F",
        "/dev/null",
        "-i",
        str(key),
        "-p",
        str(port),
    ]


def ssh_argv(
    key: Path, port: int, user: str, *extra: str, command: tuple[str, ...] = ()
) -> list[str]:
    return ["ssh", *ssh_options(key, port), *extra, f"{user}@127.0.0.1", *command]


# -- the server ----------------------------------------------------------------------
class ServeProcess:
    """`partner-tui serve --port 0` as a subprocess, with its own data dir."""

    running: set[ServeProcess] = set()  # so a failed test's server can still be stopped

    def __init__(self, data: Path, env: Mapping[str, str], *options: str) -> None:
        self.data = data
        self.env = dict(env)
        self.log_path = data.parent / f"serve-{uuid.uuid4().hex[:6]}.out"
        self._log = open(self.log_path, "w+b")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [partner_tui(), "serve", "--data-dir", str(data), "--port", "0", *options],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=self.env,
        )
        ServeProcess.running.add(self)
        self.port = int(
            wait_until(self._listening_port, 30, "the server to listen")  # type: ignore[arg-type]
        )

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _listening_port(self) -> int | None:
        if self.process.poll() is not None:
            raise AssertionError(f"serve exited early:\n{self.output()}")
        match = re.search(r"listening on \S+ port (\d+)", self.output())
        return int(match.group(1)) if match else None

    def add_user(self, name: str, key: Path) -> None:
        run_cli(self.env, "users", "add", name, f"{key}.pub", "--data-dir", str(self.data))

    def templates(self) -> list[int]:
        """The session template processes (the server's children that fork sessions)."""
        return [pid for pid in children_of(self.process.pid) if is_template(pid)]

    def sessions(self) -> list[int]:
        """Session processes: forked by a template, or (without one) the server's own."""
        found = []
        for pid in children_of(self.process.pid):
            found.extend(children_of(pid) if is_template(pid) else [pid])
        return found

    def session_log(self) -> str:
        path = self.data / "serve" / "serve.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def session_environment(self, pid: int) -> list[str] | None:
        """The names in session `pid`'s own environment, as it logs them at start (a
        forked session's /proc/PID/environ still shows its template's)."""
        line = re.search(rf"^\[session pid {pid} environment (\[.*\])\]$", self.session_log(), re.M)
        return ast.literal_eval(line.group(1)) if line else None

    def stop(self) -> int:
        ServeProcess.running.discard(self)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()
        return self.process.returncode


def run_cli(env: Mapping[str, str], *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [partner_tui(), *args],
        capture_output=True,
        text=True,
        env=dict(env),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def wait_for_explorer(tmux: Tmux, timeout: float = 30) -> str:
    """Wait for the explorer, then make sure its pillars show (on a narrow terminal the
    explorer opens on the reading pane and `w` switches to the pillars)."""
    screen = tmux.wait_for(BRIEFING, timeout)
    if PILLAR not in screen:
        tmux.keys("w")
        screen = tmux.wait_for(PILLAR)
    return screen


def search_for(tmux: Tmux, query: str) -> None:
    """Press / and type `query` once the search bar has visibly taken focus: keys that
    arrive in the same burst as the / itself can land on the previously focused pane."""
    before = tmux.styled()
    tmux.keys("/")
    wait_until(lambda: tmux.styled() != before, 10, "the search bar to take focus")
    tmux.keys(query, literal=True)
    tmux.wait_for(query)


def base_env(root: Path) -> dict[str, str]:
    """The test's own state dirs (from conftest) plus what a terminal app needs."""
    env = {
        name: os.environ[name]
        for name in ("PATH", "HOME", "LANG", "PARTNER_TUI_CACHE_DIR", "PARTNER_TUI_CONFIG_DIR")
        if name in os.environ
    }
    env["PARTNER_TUI_DATA_DIR"] = str(root / "data")
    env.setdefault("LANG", "C.UTF-8")
    return env


def ssh_run(server, key, user, *extra, command=(), stdin=subprocess.DEVNULL, env=None):
    """One OpenSSH client run against `server`, its output captured."""
    return subprocess.run(
        ssh_argv(key, server.port, user, *extra, command=command),
        capture_output=True,
        text=True,
        timeout=20,
        stdin=stdin,
        env=env,
    )

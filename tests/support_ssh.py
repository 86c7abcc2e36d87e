"""Shared helpers for the SSH and terminal-session tests: a real `partner-tui serve`,
real OpenSSH clients, client keys made with ssh-keygen, and a private tmux server.

Everything waits by polling against a deadline, never by fixed sleeps. Each tmux pane
runs on its own tmux server socket, so tests never touch anyone's tmux sessions.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

POLL = 0.05
BRIEFING = "Malaysia–Japan Cooperation"  # the bundled briefing's title
PILLAR = "Sustainability as a Core Focus"  # one of its pillars


def partner_tui() -> str:
    beside_python = Path(sys.executable).parent / "partner-tui"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("partner-tui")
    if found is None:
        raise RuntimeError("the partner-tui command is not installed (pip install -e .)")
    return found


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(POLL)


# -- processes -------------------------------------------------------------------------
def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def children_of(pid: int) -> list[int]:
    """Live direct children of `pid`, from /proc (no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def processes_with_env(name: str, value: str) -> list[int]:
    """Live processes whose environment has name=value (how tests find their apps)."""
    needle = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            env = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if needle in env and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


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

    def sessions(self) -> list[int]:
        return children_of(self.process.pid)

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


# -- a private tmux ------------------------------------------------------------------
class Tmux:
    """One command in one pane of a fixed size, on a tmux server of its own."""

    def __init__(self, work: Path, width: int = 80, height: int = 24) -> None:
        self.socket = f"ptui-ssh-{uuid.uuid4().hex[:10]}"
        self.config = work / f"{self.socket}.conf"
        self.status_file = work / f"{self.socket}.status"
        self.config.write_text(
            "set -g remain-on-exit on\nset -g status off\nset -g escape-time 0\n",
            encoding="utf-8",
        )
        self.width, self.height = width, height
        self.started = False

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self, argv: list[str], env: Mapping[str, str] | None = None) -> None:
        """Run argv in the pane; its exit status is kept for exit_status()."""
        assignments = [f"{k}={v}" for k, v in (env or {}).items()]
        # COLUMNS/LINES (set while pytest runs) would pin the app's size: no resizes.
        unset = ["-u", "COLUMNS", "-u", "LINES"]
        command = shlex.join(["env", *unset, *assignments, *argv])
        # The status goes to a file, and the pane stays open afterwards: tmux 3.3 can drop
        # the last bytes a pane wrote just before it died.
        status = shlex.quote(str(self.status_file))
        self.tmux(
            "new-session", "-d", "-s", "main", "-x", str(self.width), "-y", str(self.height),
            f"{command}; echo $? > {status}; exec sleep 600",
        )  # fmt: skip
        self.started = True

    def command_pid(self) -> int:
        """The process running argv (the pane's shell waits for it)."""
        shell = int(self.tmux("display-message", "-p", "-t", "main", "#{pane_pid}").strip())
        (pid,) = wait_until(lambda: children_of(shell), 10, "the pane's command")
        return pid

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "main", check=False)

    def styled(self) -> str:
        """The screen with its colours and attributes (changes when focus moves)."""
        return self.tmux("capture-pane", "-e", "-p", "-t", "main", check=False)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        def shows() -> str | None:
            screen = self.screen()
            return screen if text in screen else None

        try:
            return wait_until(shows, timeout, repr(text))  # type: ignore[return-value]
        except AssertionError:
            raise AssertionError(f"{text!r} never appeared; screen:\n{self.screen()}") from None

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "main", *(["-l"] if literal else []), *keys)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

    def exit_status(self, timeout: float = 10) -> int:
        """The exit status of argv, once it has ended."""

        def status() -> str | None:
            try:
                return self.status_file.read_text().strip() or None
            except FileNotFoundError:
                return None

        try:
            return int(wait_until(status, timeout, "the pane's command to end"))  # type: ignore[arg-type]
        except AssertionError as error:
            raise AssertionError(f"{error}; screen:\n{self.screen()}") from None

    def kill_pane(self) -> None:
        self.tmux("kill-pane", "-t", "main", check=False)

    def close(self) -> None:
        if self.started:
            self.tmux("kill-server", check=False)
            # tmux 3.3 can leave its socket file behind (e.g. once the pane was killed).
            folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
            (folder / self.socket).unlink(missing_ok=True)
            self.started = False
        self.config.unlink(missing_ok=True)
        self.status_file.unlink(missing_ok=True)


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

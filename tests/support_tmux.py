"""Drive a real command in a real terminal: a private tmux server, one pane, read back as
text, and the /proc look-ups that find the processes a test started.

Each Tmux runs its own tmux server (`tmux -L <unique socket>`, no user config), so tests
never see or touch anyone's tmux sessions, and `close()` kills only that server.
Everything waits by polling against a deadline, never by fixed sleeps.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

POLL = 0.05


def partner_tui_command() -> str:
    """The installed `partner-tui` script: the venv's own first, then the PATH."""
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


# -- a private tmux ----------------------------------------------------------------------
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

    def wait_for_screen(
        self, condition: Callable[[str], bool], what: str, timeout: float = 20
    ) -> str:
        """Poll until `condition(screen)` holds; fail showing the last screen."""

        def holds() -> str | None:
            screen = self.screen()
            return screen if condition(screen) else None

        try:
            return wait_until(holds, timeout, what)  # type: ignore[return-value]
        except AssertionError:
            raise AssertionError(f"{what} never showed; screen:\n{self.screen()}") from None

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Named keys as tmux spells them ("Enter", "C-p", "q"), or text with literal=True."""
        self.tmux("send-keys", "-t", "main", *(["-l"] if literal else []), *keys)

    def type_text(self, text: str, delay: float = 0.03) -> None:
        """Type like a person: one character at a time."""
        for character in text:
            self.keys(character, literal=True)
            time.sleep(delay)

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

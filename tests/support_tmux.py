"""Drive a real command in a real terminal: a private tmux server, one pane, read back as text.

Each TmuxTerminal runs its own tmux server (`tmux -L <unique socket>`, no user config),
so tests never see or touch anyone's tmux sessions, and `close()` kills only that server.
Everything waits by polling the screen against a deadline, never by fixed sleeps.
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

POLL_SECONDS = 0.05
DEFAULT_TIMEOUT = 20.0


def partner_tui_command() -> str:
    """The installed `partner-tui` script: the venv's own first, then the PATH."""
    beside_python = Path(sys.executable).parent / "partner-tui"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("partner-tui")
    if found is None:
        raise RuntimeError("the partner-tui command is not installed (pip install -e .)")
    return found


class TmuxTerminal:
    """One command in one tmux pane of a fixed size."""

    def __init__(self, work_dir: Path, width: int = 80, height: int = 24) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"partner-tui-test-{uuid.uuid4().hex[:12]}"
        self.session = "main"
        self.width = width
        self.height = height
        # Keep the pane after the command exits so its exit status can be read, and make
        # sure no user ~/.tmux.conf changes sizes, keys or the status line.
        self.config = work_dir / "tmux.conf"
        self.config.write_text(
            "set -g remain-on-exit on\nset -g status off\nset -g escape-time 0\n"
            "set -g history-limit 0\n",
            encoding="utf-8",
        )
        self.started = False

    def tmux(self, *args: str, check: bool = True) -> str:
        completed = subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if check and completed.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {completed.stderr.strip()}")
        return completed.stdout

    def start(self, argv: list[str], env: Mapping[str, str]) -> None:
        """Run `argv` in the pane with exactly these extra environment variables."""
        assignments = [f"{name}={value}" for name, value in env.items()]
        command = shlex.join(["env", *assignments, *argv])
        self.tmux(
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            command,
        )
        self.started = True

    def send_keys(self, *keys: str) -> None:
        """Named keys as tmux spells them: "Enter", "Escape", "Down", "C-p", "q"."""
        self.tmux("send-keys", "-t", self.session, *keys)

    def type_text(self, text: str, delay: float = 0.03) -> None:
        """Type like a person: one character at a time, literally (no key-name lookup)."""
        for character in text:
            self.tmux("send-keys", "-t", self.session, "-l", character)
            time.sleep(delay)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(
        self,
        condition: Callable[[str], bool],
        description: str,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> str:
        """Poll the screen until `condition(screen)` holds; fail showing the last screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while True:
            screen = self.screen()
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout:.0f}s waiting for {description}; "
                    f"the screen was:\n{screen}"
                )
            time.sleep(POLL_SECONDS)

    def wait_for_text(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text), timeout)

    def pane_exit_status(self) -> int | None:
        """The command's exit status once it has ended, None while it still runs."""
        dead, status = self.tmux(
            "display-message", "-p", "-t", self.session, "#{pane_dead} #{pane_dead_status}"
        ).split(" ", 1)
        if dead.strip() != "1":
            return None
        return int(status.strip() or "0")

    def wait_for_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while (status := self.pane_exit_status()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the command was still running after {timeout:.0f}s; "
                    f"the screen was:\n{self.screen()}"
                )
            time.sleep(POLL_SECONDS)
        return status

    def close(self) -> None:
        """Kill this test's tmux server (and with it the command), whatever state it is in."""
        self.tmux("kill-server", check=False)
        # tmux 3.3 can leave the socket file behind once its pane has died.
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)

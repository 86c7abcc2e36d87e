"""The per-session pty: it is the child's controlling terminal, so a resize reaches the
child as SIGWINCH with the new size, and a hang-up reaches it as SIGHUP — as under sshd.

The child here is a tiny Python script rather than the explorer, so these checks hold
whatever the app does; test_serve.py covers the explorer itself over real SSH.
"""

from __future__ import annotations

import asyncio
import os
import sys

import pytest
from partner_tui.tui.serve.pty_child import PtyChild

pytestmark = pytest.mark.e2e  # starts real children on ptys

REPORTER = r"""
import fcntl, os, signal, struct, sys, termios, time
def size():
    rows, cols = struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8))[:2]
    return f"{cols}x{rows}"
def on_winch(*_):
    print("SIZE", size(), flush=True)
def on_hup(*_):
    print("HUP", flush=True)
    sys.exit(0)
signal.signal(signal.SIGWINCH, on_winch)
signal.signal(signal.SIGHUP, on_hup)
ctty = os.open("/dev/tty", os.O_RDWR)  # fails unless the pty is our controlling terminal
print("READY", size(), os.getsid(0) == os.getpid(), flush=True)
for line in sys.stdin:
    print("GOT", line.strip(), flush=True)
"""


class Collector:
    def __init__(self) -> None:
        self.output = b""
        self.closed = asyncio.Event()

    def on_output(self, data: bytes) -> None:
        self.output += data

    def on_closed(self) -> None:
        self.closed.set()

    async def wait_for(self, text: bytes, timeout: float = 10) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while text not in self.output:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{text!r} never came; got {self.output!r}")
            await asyncio.sleep(0.02)


def _spawn(collector: Collector, columns: int = 80, rows: int = 24) -> PtyChild:
    return PtyChild(
        [sys.executable, "-c", REPORTER],
        {"PATH": os.environ.get("PATH", ""), "TERM": "xterm"},
        columns,
        rows,
        on_output=collector.on_output,
        on_closed=collector.on_closed,
    )


def test_child_owns_its_terminal_sees_size_input_resize_and_hangup(tmp_path):
    async def scenario() -> None:
        collector = Collector()
        child = _spawn(collector, 100, 30)
        await collector.wait_for(b"READY 100x30 True")
        child.write(b"hello\r")
        await collector.wait_for(b"GOT hello")
        child.resize(120, 40)
        await collector.wait_for(b"SIZE 120x40")
        status = await child.hang_up(grace=5)
        await asyncio.wait_for(collector.closed.wait(), 5)
        assert b"HUP" in collector.output + child.drain_output()
        assert status == 0  # it exited by itself on SIGHUP, no SIGTERM/SIGKILL needed

    asyncio.run(scenario())


def test_a_child_that_ignores_hangup_is_still_ended(tmp_path):
    stubborn = "import signal,time\nsignal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
    stubborn += "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('UP', flush=True)\n"
    stubborn += "time.sleep(60)\n"

    async def scenario() -> None:
        collector = Collector()
        child = PtyChild(
            [sys.executable, "-c", stubborn],
            {"PATH": os.environ.get("PATH", "")},
            80,
            24,
            on_output=collector.on_output,
            on_closed=collector.on_closed,
        )
        await collector.wait_for(b"UP")
        status = await child.hang_up(grace=0.2)
        child.close()
        assert status == -9
        assert child.process.poll() is not None

    asyncio.run(scenario())

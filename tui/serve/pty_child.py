"""One `partner-tui` process on its own pseudo-terminal, which is its controlling terminal.

Only then do resizes (SIGWINCH) and hang-ups (SIGHUP) reach it the way they would under
sshd. Output is read from the pty master without blocking and handed to `on_output`; the
caller pauses reading while its own side is congested (back-pressure). EIO or EOF on the
master means every holder of the terminal has gone.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import os
import signal
import struct
import subprocess
import termios
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Protocol

READ_SIZE = 65536
# Leave the alternate screen, stop mouse reporting, show the cursor, reset attributes:
# what a killed app could not do for itself.
TERMINAL_RESTORE = (
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1049l\x1b[?25h\x1b[0m"
)


def _take_controlling_terminal() -> None:  # runs in the child between fork and exec
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class ChildProcess(Protocol):
    pid: int

    def poll(self) -> int | None: ...


def _open_pty(columns: int, rows: int) -> tuple[int, int]:
    master, slave = os.openpty()
    try:
        set_window_size(master, columns, rows)
    except BaseException:
        os.close(master)
        os.close(slave)
        raise
    return master, slave


def set_window_size(fd: int, columns: int, rows: int) -> None:
    # The kernel keeps 16-bit sizes; callers clamp to sane sizes first (limits.clamp_window).
    rows, columns = (min(max(value, 1), 0xFFFF) for value in (rows, columns))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class PtyChild:
    """`process` is a Popen, or a template's ForkedProcess: anything with pid and poll()."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        columns: int,
        rows: int,
        on_output: Callable[[bytes], None],
        on_closed: Callable[[], None],
        on_input_drained: Callable[[], None] = lambda: None,
    ) -> None:
        master, slave = _open_pty(columns, rows)
        try:
            process = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,  # Textual draws on stderr; see session_main for tracebacks
                env=dict(env),
                start_new_session=True,  # setsid: a session with no terminal yet…
                preexec_fn=_take_controlling_terminal,  # …then this pty becomes it
                close_fds=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)  # the child's copy keeps it open; ours would hide EIO
        self._attach(master, process, on_output, on_closed, on_input_drained)

    @classmethod
    async def forked(
        cls,
        fork: Callable[[int], Awaitable[ChildProcess]],
        columns: int,
        rows: int,
        on_output: Callable[[bytes], None],
        on_closed: Callable[[], None],
        on_input_drained: Callable[[], None] = lambda: None,
    ) -> PtyChild:
        """A child made by `fork(slave_fd)` (the session template), on a new pty."""
        master, slave = _open_pty(columns, rows)
        try:
            process = await fork(slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        child = cls.__new__(cls)
        child._attach(master, process, on_output, on_closed, on_input_drained)
        return child

    def _attach(self, master, process, on_output, on_closed, on_input_drained) -> None:
        self._on_output = on_output
        self._on_closed = on_closed
        self._on_input_drained = on_input_drained
        self._pending_input = bytearray()
        self._loop = asyncio.get_running_loop()
        self.process: ChildProcess = process
        os.set_blocking(master, False)
        self.master: int | None = master
        self.pid = process.pid
        self._reading = False
        self.resume_output()

    # -- output -------------------------------------------------------------------------
    def pause_output(self) -> None:
        if self._reading and self.master is not None:
            self._loop.remove_reader(self.master)
            self._reading = False

    def resume_output(self) -> None:
        if not self._reading and self.master is not None:
            self._loop.add_reader(self.master, self._read_ready)
            self._reading = True

    def _read_ready(self) -> None:
        data = self._read_some()
        if data:
            self._on_output(data)
        elif data is None:
            return
        else:
            self._close_master()

    def _read_some(self) -> bytes | None:
        """Bytes read, None if nothing yet, b'' once the terminal is gone."""
        assert self.master is not None
        try:
            return os.read(self.master, READ_SIZE)
        except BlockingIOError:
            return None
        except OSError as error:
            if error.errno == errno.EIO:  # Linux: no process holds the slave any more
                return b""
            raise

    def drain_output(self) -> bytes:
        """Whatever is still buffered in the pty (used when ending the session)."""
        chunks = []
        while self.master is not None:
            data = self._read_some()
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)

    def _close_master(self) -> None:
        if self.master is None:
            return
        self.pause_output()
        if self._pending_input:
            self._loop.remove_writer(self.master)
        os.close(self.master)
        self.master = None
        self._on_closed()

    # -- input and size -------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        if self.master is None:
            return
        if not self._pending_input:
            try:
                written = os.write(self.master, data)
            except BlockingIOError:
                written = 0
            except OSError:
                return  # the child is going away; its output side will tell us
            data = data[written:]
            if data:
                self._loop.add_writer(self.master, self._write_ready)
        self._pending_input += data

    @property
    def pending_input(self) -> int:
        return len(self._pending_input)

    def _write_ready(self) -> None:
        assert self.master is not None
        try:
            written = os.write(self.master, self._pending_input)
        except BlockingIOError:
            return
        except OSError:
            written = len(self._pending_input)
        del self._pending_input[:written]
        if not self._pending_input:
            self._loop.remove_writer(self.master)
            self._on_input_drained()

    def resize(self, columns: int, rows: int) -> None:
        # The kernel sends SIGWINCH to the terminal's foreground process group.
        if self.master is not None:
            set_window_size(self.master, columns, rows)

    # -- ending -----------------------------------------------------------------------
    def signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    async def wait(self, timeout: float) -> int | None:
        """The exit status, or None if still running after `timeout` seconds."""
        deadline = self._loop.time() + timeout
        while True:
            status = self.process.poll()
            if status is not None or self._loop.time() >= deadline:
                return status
            await asyncio.sleep(0.02)

    async def hang_up(self, grace: float = 1.5) -> int:
        """SIGHUP, then SIGTERM, then SIGKILL to the child's process group, with grace."""
        for signum, timeout in (
            (signal.SIGHUP, grace),
            (signal.SIGTERM, grace),
            (signal.SIGKILL, 5.0),
        ):
            if self.process.poll() is not None:
                break
            self.signal_group(signum)
            if await self.wait(timeout) is not None:
                break
        self.signal_group(signal.SIGKILL)  # anything the app left behind in its group
        status = self.process.poll()
        return status if status is not None else -signal.SIGKILL

    def close(self) -> None:
        self._close_master()

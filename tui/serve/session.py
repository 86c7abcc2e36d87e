"""One SSH channel: refuse what is not an interactive terminal, else run the explorer.

The explorer runs as its own `partner-tui` process on its own pty (see pty_child). This
object moves bytes between that pty and the SSH channel, applies resizes, enforces the
idle timeout, and ends the child cleanly however the session ends.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import asyncssh
from partner_tui.tui.serve.child_env import child_argv, child_env
from partner_tui.tui.serve.limits import describe_duration
from partner_tui.tui.serve.pty_child import TERMINAL_RESTORE, PtyChild

if TYPE_CHECKING:
    from partner_tui.tui.serve.service import Service

log = logging.getLogger("partner_tui.serve")

# Input the child has not read yet; past this, stop reading from the client until it has.
INPUT_BACKLOG = 64 * 1024
HOW_TO_CONNECT = "Connect with a terminal: `ssh -t` (not -T, and without a command)."


class ExplorerSession(asyncssh.SSHServerSession):
    def __init__(
        self, service: Service, user: str, peer: str, agent_refused: Callable[[], bool]
    ) -> None:
        self._service = service
        self._user = user
        self._peer = peer
        self._agent_refused = agent_refused
        self._chan: asyncssh.SSHServerChannel | None = None
        self._refusal: str | None = None
        self._child: PtyChild | None = None
        self._has_slot = False
        self._ending: asyncio.Task | None = None
        self._last_input = time.monotonic()
        self._idle_timer: asyncio.TimerHandle | None = None

    # -- what the client asks for -------------------------------------------------------
    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Mapping[int, int]
    ) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted only to say no in words: a failed request shows the user nothing useful.
        self._refusal = (
            "this server runs only the partner-tui explorer; it does not run commands "
            f"({command[:60]!r}). For scripting, install partner-tui and use its CLI."
        )
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        self._refusal = f"this server offers no {subsystem[:30]} (no file transfer)."
        return True

    def session_started(self) -> None:
        chan = self._chan
        assert chan is not None
        if self._refusal:
            self._refuse(self._refusal)
            return
        if chan.get_terminal_type() is None:
            self._refuse("no terminal was requested. " + HOW_TO_CONNECT)
            return
        reason = self._service.slots.acquire(self._user)
        if reason:
            log.info("refused a session for %s from %s: %s", self._user, self._peer, reason)
            self._refuse(reason)
            return
        self._has_slot = True
        if self._agent_refused():  # asked for before the shell, on this connection
            self._notice("agent forwarding is not offered here; continuing without it.")
        columns, rows, _, _ = chan.get_terminal_size()
        env = child_env(
            self._user,
            self._service.child_settings,
            chan.get_terminal_type(),
            chan.get_environment(),
            self._service.log_path,
        )
        try:
            self._child = PtyChild(
                child_argv(self._service.no_mouse),
                env,
                columns or 80,
                rows or 24,
                on_output=self._child_output,
                on_closed=self._child_closed,
                on_input_drained=self._input_drained,
            )
        except Exception:
            log.exception("could not start partner-tui for %s from %s", self._user, self._peer)
            self._release_slot()
            self._refuse("the explorer could not be started; the problem was logged on the server.")
            return
        log.info(
            "session for %s from %s: pid %s, TERM=%s, %sx%s",
            self._user,
            self._peer,
            self._child.pid,
            env["TERM"],
            columns,
            rows,
        )
        self._service.sessions.add(self)
        self._schedule_idle_check()

    # -- moving bytes -----------------------------------------------------------------
    def data_received(self, data: bytes, datatype: int | None) -> None:
        self._last_input = time.monotonic()
        if self._child is not None:
            self._child.write(data)
            if self._child.pending_input > INPUT_BACKLOG and self._chan is not None:
                self._chan.pause_reading()  # back-pressure to the client's window

    def _input_drained(self) -> None:
        if self._chan is not None:
            self._chan.resume_reading()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if self._child is not None:
            self._child.resize(width, height)

    def eof_received(self) -> bool:
        return True  # keep sending: the user still sees the app until the channel closes

    def pause_writing(self) -> None:
        if self._child is not None:
            self._child.pause_output()

    def resume_writing(self) -> None:
        if self._child is not None:
            self._child.resume_output()

    def _child_output(self, data: bytes) -> None:
        if self._chan is not None and not self._chan.is_closing():
            self._chan.write(data)

    def _child_closed(self) -> None:
        # The app quit on its own (or died): finish the session with its status.
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end(None, by_itself=True))

    # -- idle timeout -----------------------------------------------------------------
    def _schedule_idle_check(self) -> None:
        timeout = self._service.limits.idle_timeout
        if timeout <= 0:
            return
        due = self._last_input + timeout - time.monotonic()
        loop = asyncio.get_running_loop()
        self._idle_timer = loop.call_later(max(due, 0.05), self._idle_check)

    def _idle_check(self) -> None:
        self._idle_timer = None
        if self._ending is not None:
            return
        if time.monotonic() - self._last_input >= self._service.limits.idle_timeout:
            idle = describe_duration(self._service.limits.idle_timeout)
            pid = self._child.pid if self._child is not None else None
            log.info("closing the idle session of %s (pid %s)", self._user, pid)
            self.end(f"closed after {idle} without input. Your bookmarks are saved.")
        else:
            self._schedule_idle_check()

    # -- ending -------------------------------------------------------------------------
    def end(self, message: str | None) -> asyncio.Future:
        """Hang up the child, restore the user's terminal, say why, close the channel."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end(message))
        return self._ending

    async def _end(self, message: str | None, by_itself: bool = False) -> None:
        child = self._child
        status = 0
        if child is not None:
            status = await child.hang_up(self._service.hangup_grace)
            self._forward(child.drain_output())
            child.close()
            if status < 0:  # killed by a signal: it could not restore the terminal itself
                self._forward(TERMINAL_RESTORE)
            log.info("session of %s ended (pid %s, status %s)", self._user, child.pid, status)
            # 0 is a normal quit, 2 a refusal the app explained itself; anything else is a
            # crash whose details went to the server log.
            if by_itself and message is None and status not in (0, 2):
                message = "the explorer stopped unexpectedly; the problem was logged on the server."
        self._finish(message, status)

    def _forward(self, data: bytes) -> None:
        if data and self._chan is not None and not self._chan.is_closing():
            self._chan.write(data)

    def _finish(self, message: str | None, status: int) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._release_slot()
        self._service.sessions.discard(self)
        if self._chan is None or self._chan.is_closing():
            return
        if message:
            self._chan.write(f"\r\npartner-tui: {message}\r\n".encode())
        self._chan.exit(status if status >= 0 else 128 - status)

    def connection_lost(self, exc: Exception | None) -> None:
        # The client went away (or the channel closed after _finish).
        self._chan = None
        if self._child is not None and self._ending is None:
            log.info("%s disconnected; hanging up pid %s", self._user, self._child.pid)
            self._ending = asyncio.ensure_future(self._end(None))
        elif self._child is None:
            self._release_slot()

    def _release_slot(self) -> None:
        if self._has_slot:
            self._has_slot = False
            self._service.slots.release(self._user)

    def _notice(self, text: str) -> None:
        assert self._chan is not None
        self._chan.write_stderr(f"partner-tui: {text}\r\n".encode())

    def _refuse(self, text: str) -> None:
        assert self._chan is not None
        self._notice(text)
        self._chan.exit(1)

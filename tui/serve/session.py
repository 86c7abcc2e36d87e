"""One SSH channel: refuse what is not an interactive terminal, else run the explorer.

The explorer runs as its own `partner-tui` process on its own pty (see pty_child). This
object moves bytes between that pty and the SSH channel, applies resizes, enforces the
idle timeout, and ends the child cleanly however the session ends.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import asyncssh
from partner_tui.tui.serve.child_env import child_argv, child_cli_argv, child_env
from partner_tui.tui.serve.client_text import shown
from partner_tui.tui.serve.limits import clamp_window, describe_duration
from partner_tui.tui.serve.pty_child import TERMINAL_RESTORE, PtyChild
from partner_tui.tui.serve.template import TemplateUnavailable

if TYPE_CHECKING:
    from partner_tui.tui.serve.service import Service

log = logging.getLogger("partner_tui.serve")

# Input the child has not read yet; past this, stop reading from the client until it has.
INPUT_BACKLOG = 64 * 1024
_PLAIN_NAME = re.compile(r"[A-Za-z0-9@._-]{1,30}")
# A session that has drawn nothing for this long is stuck, however short the idle timeout.
START_ALLOWANCE = 120.0
HOW_TO_CONNECT = "Connect with a terminal: `ssh -t` (not -T, and without a command)."


class ExplorerSession(asyncssh.SSHServerSession):
    def __init__(
        self,
        service: Service,
        user: str,
        peer: str,
        agent_refused: Callable[[], bool],
        on_closed: Callable[[], None] = lambda: None,
    ) -> None:
        self._service = service
        self._on_closed = on_closed
        self._user = user
        self._peer = peer
        self._agent_refused = agent_refused
        self._chan: asyncssh.SSHServerChannel | None = None
        self._refusal: str | None = None
        self._child: PtyChild | None = None
        self._has_slot = False
        self._ending: asyncio.Task | None = None
        # The idle clock: restarted by every input and once when the explorer first draws,
        # so a session slow to start (a crowd logging in) is not closed before it is seen.
        self._idle_since = time.monotonic()
        self._drawn = False
        self._idle_timer: asyncio.TimerHandle | None = None
        self._starting: asyncio.Future | None = None  # forking from the template
        self._early_input = bytearray()
        self._size = (80, 24)

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
            f"({shown(command, 60)}). For scripting, install partner-tui and use its CLI."
        )
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        name = subsystem if _PLAIN_NAME.fullmatch(subsystem) else shown(subsystem, 30)
        self._refusal = f"this server offers no {name} (no file transfer)."
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
        self._size = self._window(*chan.get_terminal_size()[:2])
        env = child_env(
            self._user,
            self._service.child_settings,
            chan.get_terminal_type(),
            chan.get_environment(),
            self._service.log_path,
        )
        if self._service.templates is None:
            self._start_process(env)
        else:
            self._starting = asyncio.ensure_future(self._start_forked(env))

    def _start_process(self, env: dict[str, str]) -> None:
        """The session as a `partner-tui` process of its own (no template to fork from)."""
        try:
            child = PtyChild(
                child_argv(self._service.no_mouse),
                env,
                *self._size,
                on_output=self._child_output,
                on_closed=self._child_closed,
                on_input_drained=self._input_drained,
            )
        except Exception:
            self._could_not_start()
            return
        self._started(child, env)

    async def _start_forked(self, env: dict[str, str]) -> None:
        """The session forked from the preloaded template; a process of its own if the
        template is unavailable."""
        templates = self._service.templates
        assert templates is not None
        argv = child_cli_argv(self._service.no_mouse)
        try:
            child = await PtyChild.forked(
                lambda slave: templates.fork(env, argv, slave),
                *self._size,
                on_output=self._child_output,
                on_closed=self._child_closed,
                on_input_drained=self._input_drained,
            )
        except TemplateUnavailable as why:
            log.warning("session for %s started as a process: %s", self._user, why)
            self._start_process(env)
            return
        except Exception:
            self._could_not_start()
            return
        self._started(child, env)

    def _could_not_start(self) -> None:
        log.exception("could not start partner-tui for %s from %s", self._user, self._peer)
        self._release_slot()
        if self._chan is not None:
            self._refuse("the explorer could not be started; the problem was logged on the server.")

    def _started(self, child: PtyChild, env: dict[str, str]) -> None:
        self._child = child
        log.info(
            "session for %s from %s: pid %s, TERM=%s, %sx%s",
            self._user,
            self._peer,
            child.pid,
            env["TERM"],
            *self._size,
        )
        self._service.sessions.add(self)
        if self._early_input:  # typed while the session was being forked
            child.write(bytes(self._early_input))
            self._early_input.clear()
            self._input_drained()
        if self._chan is None and self._ending is None:  # the client left meanwhile
            self._ending = asyncio.ensure_future(self._end(None))
            return
        self._schedule_idle_check()

    # -- moving bytes -----------------------------------------------------------------
    def data_received(self, data: bytes, datatype: int | None) -> None:
        self._idle_since = time.monotonic()
        if self._child is not None:
            self._child.write(data)
            if self._child.pending_input > INPUT_BACKLOG and self._chan is not None:
                self._chan.pause_reading()  # back-pressure to the client's window
        elif self._starting is not None:
            self._early_input += data
            if len(self._early_input) > INPUT_BACKLOG and self._chan is not None:
                self._chan.pause_reading()

    def _input_drained(self) -> None:
        if self._chan is not None:
            self._chan.resume_reading()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = self._window(width, height)
        if self._child is not None:
            self._child.resize(*self._size)

    def _window(self, width: int, height: int) -> tuple[int, int]:
        """The client's size clamped to what a pty holds and a screen could show."""
        columns, rows = clamp_window(width or 80, height or 24)
        if (columns, rows) != (width or 80, height or 24):
            log.info(
                "window size %dx%d from %s clamped to %sx%s",
                width,
                height,
                self._user,
                columns,
                rows,
            )
        return columns, rows

    def eof_received(self) -> bool:
        return True  # keep sending: the user still sees the app until the channel closes

    def pause_writing(self) -> None:
        if self._child is not None:
            self._child.pause_output()

    def resume_writing(self) -> None:
        if self._child is not None:
            self._child.resume_output()

    def _child_output(self, data: bytes) -> None:
        if not self._drawn:
            self._first_drawn()
        if self._chan is not None and not self._chan.is_closing():
            self._chan.write(data)

    def _child_closed(self) -> None:
        # The app quit on its own (or died): finish the session with its status.
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end(None, by_itself=True))

    # -- idle timeout -----------------------------------------------------------------
    def _idle_limit(self) -> float:
        """Seconds without input before the session is closed (0: never). Until the
        explorer first draws, the wait is for it, not for the user: a longer allowance."""
        timeout = self._service.limits.idle_timeout
        if timeout <= 0 or self._drawn:
            return timeout
        return max(timeout, START_ALLOWANCE)

    def _first_drawn(self) -> None:
        self._drawn = True
        self._idle_since = time.monotonic()
        if self._idle_timer is not None:  # it was set for the start allowance
            self._idle_timer.cancel()
            self._schedule_idle_check()

    def _schedule_idle_check(self) -> None:
        limit = self._idle_limit()
        if limit <= 0:
            return
        due = self._idle_since + limit - time.monotonic()
        loop = asyncio.get_running_loop()
        self._idle_timer = loop.call_later(max(due, 0.05), self._idle_check)

    def _idle_check(self) -> None:
        self._idle_timer = None
        if self._ending is not None:
            return
        if time.monotonic() - self._idle_since >= self._idle_limit():
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
        if self._starting is not None and not self._starting.done():
            await asyncio.wait([self._starting])  # end what is being started, too
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
        self._on_closed()
        if self._child is not None and self._ending is None:
            log.info("%s disconnected; hanging up pid %s", self._user, self._child.pid)
            self._ending = asyncio.ensure_future(self._end(None))
        elif self._child is None and (self._starting is None or self._starting.done()):
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

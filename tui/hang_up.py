"""Ending the app when its terminal goes away, and never lingering after it.

Textual installs no SIGHUP handler: a closed SSH session or terminal window would kill the
app before it restores anything, or, if SIGHUP is ignored, leave it spinning on
end-of-file. Three guards, installed by the launcher only:
- SIGHUP and SIGTERM ask the app to exit (state is saved as the reader goes, so nothing
  is lost);
- a watcher thread notices a terminal that vanished without a signal;
- once ending, a grace timer ends the process outright if shutdown itself gets stuck
  (writes to a dead terminal can block Textual's output thread forever).
It also keeps Textual from restarting its terminal mode on the SIGCONT that a hang-up
sends along with SIGHUP (Textual does so on every SIGCONT, suspended or not, and doing
it mid-exit deadlocks); a real suspend (SIGTSTP) and resume still work.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time

from textual.app import App

GRACE_SECONDS = 3.0
CHECK_SECONDS = 1.0
EXIT_HUNG_UP = 128 + signal.SIGHUP


def terminal_alive() -> bool:
    """Whether stdin and stdout are still a terminal (a hung-up tty no longer is)."""
    try:
        stdin, stdout = sys.__stdin__, sys.__stdout__
        if stdin is None or stdout is None:
            return False
        return os.isatty(stdin.fileno()) and os.isatty(stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False


class HangUpGuard:
    def __init__(
        self, app: App, grace: float = GRACE_SECONDS, check_every: float = CHECK_SECONDS
    ) -> None:
        self.app = app
        self.grace = grace
        self.check_every = check_every
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ending = threading.Event()
        self._suspended = False

    def install(self) -> None:
        """Call from the app's event loop (on mount), after Textual's driver has started."""
        self._loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            self._loop.add_signal_handler(signum, self.end)
        self._resume_only_after_a_suspend()
        watcher = threading.Thread(target=self._watch, name="terminal-watch", daemon=True)
        watcher.start()

    def end(self) -> None:
        """Ask the app to exit, and make sure the process ends even if that gets stuck."""
        if self._ending.is_set():
            return
        self._ending.set()
        timer = threading.Timer(self.grace, os._exit, args=(EXIT_HUNG_UP,))
        timer.daemon = True
        timer.start()
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.app.exit)

    def _watch(self) -> None:
        while not self._ending.is_set():
            time.sleep(self.check_every)
            if not terminal_alive():
                self.end()
                return

    def _resume_only_after_a_suspend(self) -> None:
        on_stop = signal.getsignal(signal.SIGTSTP)
        on_continue = signal.getsignal(signal.SIGCONT)
        if not (callable(on_stop) and callable(on_continue)):
            return

        def stopped(signum, frame) -> None:
            self._suspended = True
            on_stop(signum, frame)

        def continued(signum, frame) -> None:
            if self._suspended and not self._ending.is_set():
                self._suspended = False
                on_continue(signum, frame)

        signal.signal(signal.SIGTSTP, stopped)
        signal.signal(signal.SIGCONT, continued)

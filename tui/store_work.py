"""User-state work (SQLite, fsync'd preference writes) run off Textual's event loop.

`run` starts the work in a thread worker; `on_loop` wraps a callback so a worker can
report back safely; `finish` (at the app's end) waits for what is still running, so a
bookmark pressed just before hanging up is kept. Preference snapshots carry a number:
a slower, older write never overwrites a newer one.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from partner_tui.tui.state.preferences import Preferences, PreferencesStore

if TYPE_CHECKING:
    from textual.app import App

T = TypeVar("T")


class StoreWork:
    def __init__(self, app: App) -> None:
        self._app = app
        self._idle = threading.Condition()
        self._waiting: dict[int, Callable[[], object]] = {}  # asked for, not yet started
        self._running = 0
        self._ending = False
        self._next = 0

    def run(self, work: Callable[[], object], group: str) -> None:
        with self._idle:
            self._next += 1
            number = self._next
            self._waiting[number] = work

        def run() -> None:
            with self._idle:
                if self._waiting.pop(number, None) is None:
                    return  # the app's end ran it already
                self._running += 1
            try:
                work()
            finally:
                with self._idle:
                    self._running -= 1
                    self._idle.notify_all()

        self._app.run_worker(run, thread=True, group=group, exit_on_error=False)

    def run_then(self, work: Callable[[], T], then: Callable[[T], None], group: str) -> None:
        """`work()` in a worker (it may touch SQLite), then `then(result)` on the loop."""
        report = self.on_loop(then)
        self.run(lambda: report(work()), group)

    def on_loop(self, callback: Callable[..., None]) -> Callable[..., None]:
        """`callback`, run on the event loop whichever thread calls it."""

        def call(*args) -> None:
            if self._app._thread_id == threading.get_ident():
                callback(*args)
            elif not self._ending:  # at the end the loop is waiting for these threads
                self._app.call_from_thread(callback, *args)

        return call

    def finish(self, timeout: float = 10.0) -> None:
        """At the app's end: wait (bounded by the stores' busy timeouts) for work running,
        and do here what was asked for but never started (a worker cancelled at exit)."""
        self._ending = True
        with self._idle:
            self._idle.wait_for(lambda: self._running == 0, timeout=timeout)
            leftover = list(self._waiting.values())
            self._waiting.clear()
        for work in leftover:
            try:
                work()
            except Exception:  # noqa: BLE001 - at exit there is no one left to tell
                pass


class PreferencesWriter:
    """Saves snapshots of the preferences through StoreWork; `failed(error)` is told on
    the event loop when a write fails."""

    def __init__(
        self, store: PreferencesStore, work: StoreWork, failed: Callable[[str], None]
    ) -> None:
        self._store = store
        self._work = work
        self._failed = work.on_loop(failed)
        self._lock = threading.Lock()
        self._asked = 0
        self._written = 0

    def save(self, preferences: Preferences) -> None:
        self._asked += 1
        snapshot = dataclasses.replace(preferences, history=list(preferences.history))
        number = self._asked
        self._work.run(lambda: self._write(snapshot, number), "preferences")

    def _write(self, preferences: Preferences, number: int) -> None:
        with self._lock:
            if number <= self._written:
                return  # a newer snapshot is already on disk
            try:
                self._store.save(preferences)
            except OSError as error:
                failure = str(error)
            else:
                self._written = number
                return
        self._failed(failure)

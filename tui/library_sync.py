"""The explorer's live library: the index opened, and the corpus watched, off the event loop.

A background thread polls the corpus's files; on a change it refreshes the engine (only the
changed files are read and re-indexed) and posts `LibraryChanged`, so the screen updates
the tree, the results and the open section. Index building reports `IndexProgress`
(a few times a second at most) so the status line can say how far it is.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from partner_tui.search.corpus_watch import POLL_SECONDS, CorpusWatch
from partner_tui.tui.messages import IndexProgress, LibraryChanged

if TYPE_CHECKING:
    from partner_tui.search.engine import Engine
    from textual.app import App

_PROGRESS_EVERY_SECONDS = 0.2


class LibrarySync:
    def __init__(self, app: App, engine: Engine, poll_seconds: float = POLL_SECONDS) -> None:
        self._app = app
        self._engine = engine
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._last_progress = 0.0

    def report_progress(self, done: int, total: int) -> None:
        """The engine's progress callback: runs on the indexing thread."""
        now = time.monotonic()
        if done >= total or now - self._last_progress >= _PROGRESS_EVERY_SECONDS:
            self._last_progress = now
            self._app.post_message(IndexProgress(done, total))

    def start_watching(self) -> None:
        # A plain daemon thread rather than a Textual worker: it runs for the app's whole
        # life, and waiting for "all workers" (tests, shutdown) must not wait for it.
        threading.Thread(target=self._watch, name="library-watch", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        watch = CorpusWatch(self._engine.corpus.root)
        while not self._stop.wait(self._poll_seconds):
            if not watch.changed():
                continue
            try:
                change = self._engine.refresh()
            except Exception as error:  # e.g. every file removed: keep what is shown
                message = f"The briefings changed but could not be read again: {error}"
                self._notify(message)
                continue
            if change:
                self._app.post_message(LibraryChanged(change))

    def _notify(self, message: str) -> None:
        try:
            self._app.call_from_thread(self._app.notify, message, severity="warning", markup=False)
        except RuntimeError:  # the app has ended meanwhile
            self._stop.set()

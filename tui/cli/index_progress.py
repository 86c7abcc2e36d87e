"""A progress bar on stderr while the index is built or updated: only on a terminal, and
only once there is indexing to show (reusing an index shows nothing)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from partner_tui.search.engine import Engine


class _LazyBar:
    def __init__(self) -> None:
        self._progress: Any = None  # rich.progress.Progress, imported only when shown
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self._progress = Progress(
                "Indexing sections",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("index", total=total)
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


@contextmanager
def progress_on_terminal(engine: Engine) -> Iterator[None]:
    """Show index building on stderr while the block runs, if stderr is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    bar = _LazyBar()
    engine.progress = bar
    try:
        yield
    finally:
        engine.progress = None
        bar.close()

"""Build one section's readable text and its style runs, block by block.

Blocks (paragraphs, lists, code) are separated by one blank line; a run is opened and
closed around the text it styles, so offsets are always exact for the text as built.
"""

from __future__ import annotations

from partner_tui.search.model import StyleRun

BLOCK_BREAK = "\n\n"


class SectionText:
    """Appends text and records style runs over it by character offset."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._pending = ""  # a separator written only if more text follows
        self._runs: list[StyleRun] = []
        self._open: list[tuple[int, str, str]] = []

    @property
    def empty(self) -> bool:
        return self._length == 0

    def new_block(self) -> None:
        """The next text starts a new block (after a blank line) unless nothing came yet."""
        if self._length:
            self._pending = BLOCK_BREAK

    def new_line(self) -> None:
        if self._length and not self._pending:
            self._pending = "\n"

    def _flush(self) -> None:
        if self._pending:
            self._parts.append(self._pending)
            self._length += len(self._pending)
            self._pending = ""

    def append(self, text: str, kind: str | None = None, target: str = "") -> None:
        if not text:
            return
        self.mark_open_runs()
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        if kind:
            self._runs.append(StyleRun(start, self._length, kind, target))

    def open(self, kind: str, target: str = "") -> None:
        """Start a run at the next character written (block separators excluded)."""
        self._open.append((-1, kind, target))

    def close(self) -> None:
        start, kind, target = self._open.pop()
        if start >= 0 and self._length > start:
            self._runs.append(StyleRun(start, self._length, kind, target))

    def mark_open_runs(self) -> None:
        """Open runs start where text is about to be appended: resolve their start now."""
        self._flush()
        self._open = [
            (self._length if start < 0 else start, kind, target)
            for start, kind, target in self._open
        ]

    def write(self, text: str) -> None:
        """Append text inside the currently open runs."""
        if not text:
            return
        self.mark_open_runs()
        self._parts.append(text)
        self._length += len(text)

    def append_styled(self, text: str, runs: tuple[StyleRun, ...], kind: str = "") -> None:
        """Append text built elsewhere (a table cell) with its runs shifted into place."""
        if not text:
            return
        self.mark_open_runs()
        start = self._length
        self.append(text, kind or None)
        self._runs.extend(
            StyleRun(start + run.start, start + run.end, run.kind, run.target) for run in runs
        )

    @property
    def length(self) -> int:
        return self._length

    def finish(self) -> tuple[str, tuple[StyleRun, ...]]:
        text = "".join(self._parts)
        trimmed = text.rstrip()
        runs = []
        for run in self._runs:
            end = min(run.end, len(trimmed))
            if end > run.start:
                runs.append(StyleRun(run.start, end, run.kind, run.target))
        runs.sort(key=lambda run: (run.start, -run.end))
        return trimmed, tuple(runs)

"""Back/forward through visited sections, like a browser's history."""

from __future__ import annotations

from partner_tui.tui.state.preferences import HISTORY_LIMIT


class Visits:
    """Sections in the order read, with a position that back/forward move."""

    def __init__(self, entries: list[str] | None = None) -> None:
        self.entries: list[str] = list(entries or [])[-HISTORY_LIMIT:]
        self.position = len(self.entries) - 1

    @property
    def current(self) -> str | None:
        return self.entries[self.position] if self.entries else None

    def visit(self, section_id: str) -> None:
        """Record a new visit; anything 'forward' of the current position is dropped."""
        if self.current == section_id:
            return
        del self.entries[self.position + 1 :]
        self.entries.append(section_id)
        overflow = len(self.entries) - HISTORY_LIMIT
        if overflow > 0:
            del self.entries[:overflow]
        self.position = len(self.entries) - 1

    def back(self) -> str | None:
        if self.position <= 0:
            return None
        self.position -= 1
        return self.entries[self.position]

    def forward(self) -> str | None:
        if self.position >= len(self.entries) - 1:
            return None
        self.position += 1
        return self.entries[self.position]

    def drop_unknown(self, known: set[str]) -> None:
        """Forget sections the corpus no longer has (it may have changed since last run)."""
        kept = [entry for entry in self.entries if entry in known]
        kept = [e for i, e in enumerate(kept) if i == 0 or kept[i - 1] != e]
        self.entries = kept
        self.position = len(kept) - 1

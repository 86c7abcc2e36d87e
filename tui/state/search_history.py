"""The searches a person typed, newest last, walked with up/down in the search bar.

Like a shell's history: `older`/`newer` move through it from wherever the bar is, and
what was being typed before walking is given back past the newest entry. Entries are
bounded in number and length (they are kept in the preferences file).
"""

from __future__ import annotations

SEARCH_HISTORY_LIMIT = 100
MAX_QUERY_CHARS = 500


class SearchHistory:
    def __init__(self, entries: list[str] | None = None) -> None:
        cleaned = [" ".join(e.split())[:MAX_QUERY_CHARS] for e in entries or []]
        self.entries: list[str] = [e for e in cleaned if e][-SEARCH_HISTORY_LIMIT:]
        self._walk: int | None = None  # index into entries while walking
        self._draft = ""

    def add(self, query: str) -> bool:
        """Remember a search (a repeat moves to the end). False when nothing changed."""
        self._walk = None
        query = " ".join(query.split())[:MAX_QUERY_CHARS]
        if not query or (self.entries and self.entries[-1] == query):
            return False
        if query in self.entries:
            self.entries.remove(query)
        self.entries.append(query)
        del self.entries[:-SEARCH_HISTORY_LIMIT]
        return True

    def older(self, typed: str) -> str | None:
        """The entry before the one shown (the newest when not walking yet), or None."""
        if not self.entries:
            return None
        if self._walk is None:
            self._draft = typed
            self._walk = len(self.entries)
        if self._walk == 0:
            return None
        self._walk -= 1
        return self.entries[self._walk]

    def newer(self) -> str | None:
        """The entry after the one shown; past the newest, what was typed before walking.
        None when not walking."""
        if self._walk is None:
            return None
        self._walk += 1
        if self._walk >= len(self.entries):
            self._walk = None
            return self._draft
        return self.entries[self._walk]

    def stop_walking(self) -> None:
        self._walk = None

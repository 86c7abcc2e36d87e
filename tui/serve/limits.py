"""How long and how many: the limits `serve` enforces, and the session slots they guard."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "": 60}  # a bare number means minutes


def parse_duration(text: str) -> float:
    """'30' or '30m' → 1800 s, '45s' → 45, '1h' → 3600. Raises ValueError."""
    match = _DURATION.fullmatch(text)
    if not match:
        raise ValueError(f"not a duration: {text!r} (examples: 30m, 90s, 1h)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def describe_duration(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds:g} second{'s' if seconds != 1 else ''}"


@dataclass(frozen=True)
class Limits:
    idle_timeout: float = 30 * 60  # seconds without input from the client; 0 = never
    max_sessions: int = 32
    max_sessions_per_user: int = 3
    login_timeout: float = 30.0  # also: a connection that opens no session is closed then
    keepalive_interval: float = 30.0
    keepalive_count_max: int = 3
    # Connections still logging in (a flood of half-open ones must not exhaust the server;
    # each is also closed after login_timeout).
    max_unauthenticated: int = 64


# Beyond any real screen; also what a pty's 16-bit window size can hold.
MAX_COLUMNS = 1000
MAX_ROWS = 500


def clamp_window(columns: int, rows: int) -> tuple[int, int]:
    """A client's window size made safe for the pty: 1 to MAX_COLUMNS × 1 to MAX_ROWS."""
    return min(max(int(columns), 1), MAX_COLUMNS), min(max(int(rows), 1), MAX_ROWS)


class SessionSlots:
    """Counts open sessions per user and in total; refuses past the limits."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._per_user: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self._per_user.values())

    def acquire(self, user: str) -> str | None:
        """Take a slot for `user`, or return why not (a sentence for the user)."""
        limits = self._limits
        if self._per_user[user] >= limits.max_sessions_per_user:
            count = limits.max_sessions_per_user
            return (
                f"{user} already has {count} session{'s' if count != 1 else ''} open, "
                "the most allowed; close one and try again."
            )
        if self.total >= limits.max_sessions:
            return "the server is full right now; please try again in a few minutes."
        self._per_user[user] += 1
        return None

    def release(self, user: str) -> None:
        if self._per_user[user] > 0:
            self._per_user[user] -= 1
        if not self._per_user[user]:
            del self._per_user[user]

"""What every connection and session of one running server shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from partner_tui.tui.serve.authorized_users import AuthorizedUsers
from partner_tui.tui.serve.limits import Limits, SessionSlots

if TYPE_CHECKING:
    from partner_tui.tui.serve.session import ExplorerSession
    from partner_tui.tui.serve.template import Templates


@dataclass
class Service:
    data: Path
    limits: Limits
    child_settings: dict[str, str]  # PARTNER_TUI_* for every child: same data, corpus, cache
    log_path: Path  # where the sessions' tracebacks and warnings go
    no_mouse: bool = False
    hangup_grace: float = 1.5
    users: AuthorizedUsers = field(init=False)
    slots: SessionSlots = field(init=False)
    sessions: set[ExplorerSession] = field(default_factory=set)
    unauthenticated: int = 0  # connections that have not finished logging in
    templates: Templates | None = None  # None: every session starts as its own process

    def __post_init__(self) -> None:
        self.users = AuthorizedUsers(self.data)
        self.slots = SessionSlots(self.limits)

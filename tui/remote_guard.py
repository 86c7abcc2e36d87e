"""What a session served over SSH may not do: write files on the server.

Textual's built-in system commands include "Screenshot", which saves an SVG into the
service account's Downloads folder, as often as asked; `deliver_text`/`deliver_binary`
and `save_screenshot` write wherever they are pointed. A person at the far end of SSH has
no business writing files on the server, so a remote session offers only the explorer's
own palette commands (themes, sections, bookmarks, actions: none writes a file) and every
file-writing entry point refuses. Local sessions keep Textual's commands.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

# `partner-tui serve` sets the first for its sessions; sshd sets the second.
REMOTE_MARKERS = ("PARTNER_TUI_SERVED", "SSH_CONNECTION")
REFUSAL = "Saving files is not offered over SSH: nothing was written on the server."


def served_remotely(environ: Mapping[str, str] = os.environ) -> bool:
    return any(environ.get(name) for name in REMOTE_MARKERS)


class RemoteGuard(App[Any]):
    """Mixed into the explorer's App: system commands and file writes follow `remote`."""

    remote: bool = False

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self.remote:
            return  # theme, quit and help are the explorer's own commands and keys
        yield from super().get_system_commands(screen)

    def save_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str:
        """The saved file's path; "" (nothing saved) in a remote session."""
        if self.remote:
            self.notify(REFUSAL, severity="warning", timeout=4)
            return ""
        return super().save_screenshot(filename, path, time_format)

    def deliver_text(self, *args: Any, **kwargs: Any) -> str | None:
        if self.remote:
            self.notify(REFUSAL, severity="warning", timeout=4)
            return None
        return super().deliver_text(*args, **kwargs)

    def deliver_binary(self, *args: Any, **kwargs: Any) -> str | None:
        if self.remote:
            self.notify(REFUSAL, severity="warning", timeout=4)
            return None
        return super().deliver_binary(*args, **kwargs)

"""What the per-session `partner-tui` process is started with.

The server's own environment is not passed wholesale: only what Python needs, the
server's partner-tui settings (same data, corpus and cache for everyone), the SSH login
as the identity, TERM from the client's pty request, and the client's locale and colour
wishes. Nothing else a client sends (PATH, LD_PRELOAD…) gets through.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

# Where the session process sends its tracebacks (read by the CLI's session_main).
LOG_ENV = "PARTNER_TUI_SESSION_LOG"
FROM_SERVER = ("PATH", "HOME", "TMPDIR", "TZ", "PYTHONPATH", "TEXTUAL_COLOR_SYSTEM")
FROM_CLIENT = ("LANG", "COLORTERM", "NO_COLOR")
_TERM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")


def child_argv(no_mouse: bool) -> list[str]:
    # The ordinary CLI, entered through session_main so tracebacks go to the server log.
    argv = [sys.executable, "-m", "partner_tui.tui.cli.session_main"]
    if no_mouse:
        argv.append("--no-mouse")
    return argv


def child_env(
    user: str,
    settings: Mapping[str, str],
    term: str | None,
    client_env: Mapping[str, str],
    log_path: Path | None = None,
) -> dict[str, str]:
    """`settings`: the server's PARTNER_TUI_* values (data dir, corpus, cache, config)."""
    env = {name: os.environ[name] for name in FROM_SERVER if name in os.environ}
    env.update(settings)
    for name, value in client_env.items():
        if not isinstance(name, str) or not isinstance(value, str):
            continue
        if name in FROM_CLIENT or name.startswith("LC_"):
            if "\0" not in value and len(value) <= 256:
                env[name] = value
    env.setdefault("LANG", "C.UTF-8")
    env["TERM"] = term if term and _TERM.match(term) else "xterm-256color"
    env["PARTNER_TUI_USER"] = user
    if log_path is not None:
        env[LOG_ENV] = str(log_path)
    return env

"""The process behind one SSH session: the ordinary `partner-tui` explorer, except that
Python's own stderr (tracebacks, warnings) goes to the server's log, not the user's screen.

Textual draws on `sys.__stderr__` (fd 2, the session's pty), so fd 2 must stay the
terminal; only `sys.stderr` is replaced. The CLI's own one-line messages ("partner-tui:
error: …", e.g. advice for TERM=dumb) still reach the user as well as the log.
"""

from __future__ import annotations

import io
import os
import sys

from partner_tui.tui.serve.child_env import LOG_ENV

USER_MESSAGE_PREFIX = "partner-tui: "


class _LogFirstStderr(io.TextIOBase):
    def __init__(self, log: io.TextIOBase, terminal: io.TextIOBase | None) -> None:
        self._log = log
        self._terminal = terminal
        self._forwarding = False  # inside a message meant for the user

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._log.write(text)
        if self._terminal is not None and (
            self._forwarding or text.startswith(USER_MESSAGE_PREFIX)
        ):
            self._terminal.write(text)
            self._forwarding = not text.endswith("\n")
        return len(text)

    def flush(self) -> None:
        self._log.flush()
        if self._terminal is not None:
            self._terminal.flush()


def main() -> None:
    log_path = os.environ.pop(LOG_ENV, None)
    if log_path:
        try:
            log = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - for life
        except OSError:
            log = None
        if log is not None:
            log.write(f"[session pid {os.getpid()} user {os.environ.get('PARTNER_TUI_USER')}]\n")
            sys.stderr = _LogFirstStderr(log, sys.__stderr__)
    from partner_tui.tui.cli.main import main as cli_main

    sys.exit(cli_main(sys.argv[1:]))


if __name__ == "__main__":
    main()

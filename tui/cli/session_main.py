"""The process behind one SSH session: the ordinary `partner-tui` explorer, except that
Python's own stderr (tracebacks, warnings) goes to the server's log, not the user's screen.

Textual draws on `sys.__stderr__` (fd 2, the session's pty), so fd 2 must stay the
terminal; only `sys.stderr` is replaced. The CLI's own one-line messages ("partner-tui:
error: …", e.g. advice for TERM=dumb) still reach the user as well as the log.
"""

from __future__ import annotations

import fcntl
import io
import os
import sys
import termios

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


def _send_stderr_to_the_log(origin: str) -> None:
    log_path = os.environ.pop(LOG_ENV, None)
    if not log_path:
        return
    try:
        log = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - for life
    except OSError:
        return
    user = os.environ.get("PARTNER_TUI_USER")
    log.write(f"[session pid {os.getpid()} user {user}, {origin}]\n")
    # What the session was given, from its own environment: the names only (values can be
    # secrets), escaped (some come from the client), so an admin or a test can see that
    # nothing else (an agent socket, LD_PRELOAD…) got through.
    log.write(f"[session pid {os.getpid()} environment {sorted(os.environ)!r}]\n")
    sys.stderr = _LogFirstStderr(log, sys.__stderr__)


def main() -> None:
    """A session started as a process of its own (when no template is available)."""
    _send_stderr_to_the_log("started as a process")
    from partner_tui.tui.cli.main import main as cli_main

    sys.exit(cli_main(sys.argv[1:]))


# The template's own standard streams: kept referenced, because dropping them would close
# fds 0-2, which are the session's terminal by then.
_TEMPLATE_STREAMS: list = []


def run_forked(slave: int, env: dict[str, str], argv: list[str], corpus) -> int:
    """In a child just forked from the template: become the session, run the explorer
    over the template's corpus. Only from here on are SQLite, threads and a loop opened."""
    os.setsid()  # a new session without a terminal…
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)  # …whose controlling terminal is this pty
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    if slave > 2:
        os.close(slave)
    os.environ.clear()
    os.environ.update(env)
    _TEMPLATE_STREAMS.extend((sys.stdin, sys.stdout, sys.stderr))
    # New streams over fds 0-2 (now the pty); Textual reads and draws through the __std*__.
    sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", closefd=False)  # type: ignore[misc]  # noqa: SIM115
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # type: ignore[misc]  # noqa: SIM115
    sys.stderr = sys.__stderr__ = open(  # type: ignore[misc]  # noqa: SIM115
        2, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False
    )
    _send_stderr_to_the_log(f"forked from template pid {os.getppid()}")
    from partner_tui.search.engine import Engine
    from partner_tui.tui.cli import app_launcher
    from partner_tui.tui.cli.main import build_parser
    from partner_tui.tui.state.errors import CliError, report_error

    args = build_parser().parse_args(argv)
    preloaded = set(sys.modules)
    try:
        return app_launcher.run(args, engine=Engine(corpus))
    except CliError as error:
        return report_error(error)
    except KeyboardInterrupt:
        return 130
    finally:
        # Every import here is paid by every session: the template should have made it.
        late = sorted(set(sys.modules) - preloaded)
        if late:
            print(f"[session pid {os.getpid()} imported after the fork: {late!r}]", file=sys.stderr)


if __name__ == "__main__":
    main()

"""How a command fails (the CLI's, or `serve` starting up): one clear line on stderr and an
exit code, never a traceback. Here, below both, so the server need not import the CLI."""

from __future__ import annotations

import sys

EXIT_NO_HITS = 1
EXIT_USAGE = 2


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def report_error(error: CliError) -> int:
    print(f"partner-tui: error: {error}", file=sys.stderr)
    return error.exit_code


def warn(message: str) -> None:
    print(f"partner-tui: warning: {message}", file=sys.stderr)

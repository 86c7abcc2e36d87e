"""`partner-tui serve`: an SSH server that drops each person into their own explorer.

Heavy imports (asyncssh, the engine) happen inside run(), never at import time.
"""

from __future__ import annotations

import argparse
import os

from partner_tui.tui.state.errors import CliError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2222


def _duration(text: str) -> float:
    from partner_tui.tui.serve.limits import parse_duration

    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _count(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _port(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError("a port is 0 to 65535")
    return number


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the explorer over SSH: `ssh -p PORT NAME@HOST` opens NAME's own explorer. "
        "Log-ins use public keys registered with `partner-tui users add`; no Unix accounts, "
        "no shell, no file transfer, no forwarding."
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}, this machine only; "
        "give 0.0.0.0 or :: to accept others)",
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.add_argument(
        "--idle-timeout",
        type=_duration,
        default="30m",
        metavar="DURATION",
        help="close a session after this long without input, e.g. 30m, 90s, 1h; 0 = never "
        "(default 30m)",
    )
    parser.add_argument(
        "--max-sessions", type=_count, default=32, metavar="N", help="in total (default 32)"
    )
    parser.add_argument(
        "--max-sessions-per-user", type=_count, default=3, metavar="N", help="(default 3)"
    )
    parser.add_argument(
        "--login-timeout",
        type=_duration,
        default="30s",
        metavar="DURATION",
        help="time allowed to log in and open a session (default 30s)",
    )
    parser.add_argument(
        "--no-mouse",
        dest="serve_no_mouse",
        action="store_true",
        help="start every explorer without mouse capture (less traffic on slow links)",
    )
    parser.add_argument(
        "--no-preload",
        dest="serve_no_preload",
        action="store_true",
        help="start each session as a fresh process instead of forking it from a preloaded "
        "template (slower and larger; for comparison or troubleshooting)",
    )


def run(args: argparse.Namespace) -> int:
    from partner_tui.tui.serve.runner import ServeOptions, run_server

    if args.login_timeout <= 0:
        raise CliError("--login-timeout must be more than 0")
    options = ServeOptions(
        host=args.host,
        port=args.port,
        idle_timeout=args.idle_timeout,
        max_sessions=args.max_sessions,
        max_sessions_per_user=args.max_sessions_per_user,
        login_timeout=args.login_timeout,
        no_mouse=args.serve_no_mouse or getattr(args, "no_mouse", False),
        data_dir=getattr(args, "data_dir", None),
        corpus=getattr(args, "corpus", None) or os.environ.get("PARTNER_TUI_CORPUS"),
        preload=not args.serve_no_preload,
    )
    return run_server(options)

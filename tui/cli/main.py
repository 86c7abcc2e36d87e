"""`partner-tui` entry point: parse arguments, then hand off to one command module.

Each command module offers `add_arguments(name, parser)` and `run(args) -> exit code`.
They are imported to build the parser, so their top-level imports must stay light (no
Textual, asyncssh or sqlite work at import): `partner-tui search` must never pay for them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from partner_tui.tui.cli.common_options import common_options
from partner_tui.tui.state.errors import CliError, report_error

# subcommand → (module under partner_tui.tui.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "search": ("engine_commands", "search the briefings and print ranked hits"),
    "show": ("engine_commands", "print one section's text"),
    "pillars": ("engine_commands", "print the briefings' pillars and sections with their ids"),
    "index": ("engine_commands", "build the search index and report what it holds"),
    "bookmarks": ("bookmark_commands", "list, add, remove, export and import your bookmarks"),
    "users": ("user_commands", "who may log in to `partner-tui serve` (add, remove, list)"),
    "serve": ("serve_command", "serve the explorer over SSH, one session per person"),
}


class _VersionAction(argparse.Action):
    """Looks the version up only when asked: the metadata scan costs every cold start ~20 ms."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        super().__init__(option_strings, dest=dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("partner-tui")
        except PackageNotFoundError:
            found = "unknown"
        print(f"partner-tui {found}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="partner-tui",
        description="Explore briefing documents: search, read with highlights, bookmark. "
        "With no command, opens the explorer.",
        parents=[common],
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    parser.add_argument(
        "--theme", metavar="NAME", help="colour theme for the explorer (remembered)"
    )
    parser.add_argument(
        "--no-mouse",
        action="store_true",
        help="do not capture the mouse (less traffic on slow SSH links)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text, parents=[common])
        module = importlib.import_module(f"partner_tui.tui.cli.{module_name}")
        module.add_arguments(name, sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from partner_tui.tui.cli import app_launcher

            return app_launcher.run(args)
        module_name, _ = COMMANDS[args.command]
        module = importlib.import_module(f"partner_tui.tui.cli.{module_name}")
        return module.run(args)
    except CliError as error:
        return report_error(error)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `partner-tui search x | head` closing the pipe early is not an error.
        sys.stderr.close()
        return 0


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()

"""`partner-tui` entry point: parse arguments, then hand off to one command module.

Each command module offers `add_arguments(name, parser)` and `run(args) -> exit code`.
Only the chosen command's module is imported, when argparse reaches its name, so one
command never pays for another's imports (`search` loads the engine, `bookmarks` does not).
Their top-level imports must still stay light (no Textual, asyncssh or sqlite at import).
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


class _CommandsAction(argparse._SubParsersAction):
    """Adds a command's own arguments only once argparse meets that command's name."""

    def __call__(self, parser, namespace, values, option_string=None):
        name = values[0]
        if name in COMMANDS:
            _add_command_arguments(name, self.choices[name])
        super().__call__(parser, namespace, values, option_string)


def _add_command_arguments(name: str, sub: argparse.ArgumentParser) -> None:
    module = importlib.import_module(f"partner_tui.tui.cli.{COMMANDS[name][0]}")
    module.add_arguments(name, sub)


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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", action=_CommandsAction)
    for name, (_, help_text) in COMMANDS.items():
        subparsers.add_parser(name, help=help_text, description=help_text, parents=[common])
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

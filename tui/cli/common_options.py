"""The options every `partner-tui` command accepts, before or after its name."""

from __future__ import annotations

import argparse


def common_options() -> argparse.ArgumentParser:
    """Options accepted both before and after the subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    sup = argparse.SUPPRESS
    common.add_argument(
        "--corpus",
        metavar="PATH",
        default=sup,
        help="folder (or file) of briefings; default $PARTNER_TUI_CORPUS or the bundled briefing",
    )
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=sup,
        help="where bookmarks and preferences live; default $PARTNER_TUI_DATA_DIR "
        "or the user data dir",
    )
    common.add_argument(
        "--verbose",
        action="store_true",
        default=sup,
        help="list every corpus warning (skipped files…) instead of one line per kind",
    )
    common.add_argument(
        "--user",
        metavar="NAME",
        default=sup,
        help="whose bookmarks; default $PARTNER_TUI_USER or the OS user",
    )
    return common

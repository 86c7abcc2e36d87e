"""`partner-tui users add|remove|list`: who may log in to `partner-tui serve`.

Each person is a login name plus one or more SSH public keys; no Unix account is made.
The name is also their identity for bookmarks and preferences.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from partner_tui.tui.state.errors import CliError


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Manage who may log in to `partner-tui serve` (keys live under the data dir)."
    )
    # The global options work after the action too: `users list --data-dir DIR`.
    from partner_tui.tui.cli.common_options import common_options

    common = [common_options()]
    actions = parser.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="let NAME log in with the key(s) in PUBKEY_FILE", parents=common
    )
    add.add_argument("name", metavar="NAME", help="login name: lower-case letters, digits, _ -")
    add.add_argument("pubkey_file", metavar="PUBKEY_FILE", help="an OpenSSH .pub file")
    remove = actions.add_parser(
        "remove", help="stop NAME from logging in (keeps bookmarks)", parents=common
    )
    remove.add_argument("name", metavar="NAME")
    actions.add_parser("list", help="who may log in, with key fingerprints", parents=common)


def run(args: argparse.Namespace) -> int:
    from partner_tui.tui.serve.authorized_users import AuthorizedUsers, UserError
    from partner_tui.tui.state.locations import data_dir

    users = AuthorizedUsers(data_dir(getattr(args, "data_dir", None)))
    try:
        if args.users_action == "add":
            return _add(users, args.name, Path(args.pubkey_file))
        if args.users_action == "remove":
            if not users.remove(args.name):
                raise CliError(f"no user {args.name!r} (see `partner-tui users list`)")
            print(f"Removed {args.name}: they can no longer log in. Their bookmarks are kept.")
            return 0
        return _list(users)
    except UserError as error:
        raise CliError(str(error)) from None


def _add(users, name: str, key_file: Path) -> int:
    from partner_tui.tui.serve.authorized_users import KEY_FILE_LIMIT

    try:
        with key_file.open("rb") as stream:  # read no more than a key file can hold
            text = stream.read(KEY_FILE_LIMIT + 1).decode("utf-8")
    except FileNotFoundError:
        raise CliError(f"no such key file: {key_file}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"cannot read {key_file}: {error}") from None
    if len(text) > KEY_FILE_LIMIT:
        raise CliError(
            f"{key_file} is too big for a public-key file (more than {KEY_FILE_LIMIT:,} bytes)"
        )
    new = users.add(name, text, str(key_file))
    if not new:
        print(f"{name} already logs in with that key; nothing changed.")
    for key in new:
        print(f"Added a key for {name}: {key.get_fingerprint('sha256')}")
    return 0


def _list(users) -> int:
    everyone = users.list()
    if not everyone:
        print("Nobody may log in yet. Add someone with `partner-tui users add NAME KEY.pub`.")
        return 0
    for user in everyone:
        for fingerprint, key in zip(user.fingerprints, user.keys, strict=True):
            print(f"{user.name}\t{key.get_algorithm()}\t{fingerprint}")
    return 0

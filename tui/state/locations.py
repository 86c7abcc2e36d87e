"""Where per-user state lives, and whose state it is.

Everything is under one data dir (`--data-dir`, $PARTNER_TUI_DATA_DIR, or the platform's
user data dir), one folder per identity, so several people served from one account (over
SSH) never share bookmarks or preferences. Plain Python: the CLI uses it without Textual.
"""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path

DATA_ENV = "PARTNER_TUI_DATA_DIR"
CONFIG_ENV = "PARTNER_TUI_CONFIG_DIR"
USER_ENV = "PARTNER_TUI_USER"
APP_NAME = "partner-tui"

# Names become folder names: no separators, no dot-dot, nothing a shell would mangle.
_VALID_USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}")


class IdentityError(ValueError):
    pass


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    chosen = explicit or os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Where users drop extra themes ($PARTNER_TUI_CONFIG_DIR or the user config dir)."""
    chosen = os.environ.get(CONFIG_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def validate_user(name: str) -> str:
    # fullmatch: `$` would accept a trailing newline, making a look-alike folder.
    if not _VALID_USER.fullmatch(name) or name in {".", ".."}:
        raise IdentityError(
            f"invalid user name {name!r}: use letters, digits, and _ . @ - (at most 64)"
        )
    return name


def current_user(explicit: str | None = None) -> str:
    """--user beats $PARTNER_TUI_USER beats the OS user."""
    chosen = explicit or os.environ.get(USER_ENV)
    if not chosen:
        try:
            chosen = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry, e.g. an arbitrary container uid
            chosen = f"uid{os.getuid()}"
    return validate_user(chosen)


def user_dir(user: str, explicit_data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding one identity's bookmarks and preferences (not created here)."""
    return data_dir(explicit_data_dir) / "users" / validate_user(user)

"""Who may log in to `partner-tui serve`: one public-key file per person, no Unix accounts.

`<data dir>/serve/authorized/<name>.pub` holds that person's keys, one per line, in
OpenSSH format. The login name is the identity: it picks the person's bookmarks.
Files are read on every login, so `users add/remove` act without restarting the server.
"""

from __future__ import annotations

import builtins
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from partner_tui.tui.serve.paths import authorized_dir
from partner_tui.tui.state.locations import IdentityError, validate_user

# Stricter than a data-dir identity: what a Unix login name may be, so `ssh name@host`
# needs no quoting and cannot be confused with another user by case.
_LOGIN_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")


class UserError(ValueError):
    pass


def validate_login(name: str) -> str:
    try:
        validate_user(name)
    except IdentityError as error:
        raise UserError(str(error)) from None
    if not _LOGIN_NAME.fullmatch(name):
        raise UserError(
            f"invalid login name {name!r}: start with a lower-case letter or _, then use "
            "lower-case letters, digits, _ or - (at most 32 characters)"
        )
    return name


def parse_public_keys(text: str, source: str) -> list[asyncssh.SSHKey]:
    """Every key in an OpenSSH public-key file; a clear UserError for anything else."""
    keys = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "PRIVATE KEY" in line:
            raise UserError(f"{source} is a private key: give the .pub file instead")
        try:
            keys.append(asyncssh.import_public_key(line))
        except asyncssh.KeyImportError as error:
            raise UserError(f"{source} line {number} is not an SSH public key ({error})") from None
    if not keys:
        raise UserError(f"{source} holds no SSH public key")
    return keys


@dataclass(frozen=True)
class AuthorizedUser:
    name: str
    keys: tuple[asyncssh.SSHKey, ...]

    @property
    def fingerprints(self) -> list[str]:
        return [key.get_fingerprint("sha256") for key in self.keys]


class AuthorizedUsers:
    def __init__(self, data: Path) -> None:
        self.directory = authorized_dir(data)

    def _file(self, name: str) -> Path:
        return self.directory / f"{validate_login(name)}.pub"

    def keys_for(self, name: str) -> list[asyncssh.SSHKey]:
        """The keys that may log in as `name`; none for an unknown or invalid name."""
        try:
            path = self._file(name)
            return parse_public_keys(path.read_text(encoding="utf-8"), str(path))
        except (UserError, OSError, UnicodeDecodeError):
            return []

    def is_authorized(self, name: str, key: asyncssh.SSHKey) -> bool:
        return any(known.public_data == key.public_data for known in self.keys_for(name))

    def list(self) -> builtins.list[AuthorizedUser]:
        users = []
        for path in sorted(self.directory.glob("*.pub")):
            name = path.stem
            keys = self.keys_for(name)
            if keys:
                users.append(AuthorizedUser(name, tuple(keys)))
        return users

    def add(self, name: str, key_text: str, source: str) -> builtins.list[asyncssh.SSHKey]:
        """Add keys for `name` (created if new); returns the keys that were new."""
        path = self._file(name)
        keys = parse_public_keys(key_text, source)
        for other in self.list():
            if other.name == name:
                continue
            for key in keys:
                if any(known.public_data == key.public_data for known in other.keys):
                    raise UserError(
                        f"that key already logs in as {other.name!r}: one key is one person "
                        f"(remove it first with `partner-tui users remove {other.name}`)"
                    )
        existing = self.keys_for(name)
        known = {key.public_data for key in existing}
        new = [key for key in keys if key.public_data not in known]
        lines = [_key_line(key) for key in [*existing, *new]]
        _write_atomic(path, "".join(line + "\n" for line in lines))
        return new

    def remove(self, name: str) -> bool:
        path = self._file(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True


def _key_line(key: asyncssh.SSHKey) -> str:
    return key.export_public_key("openssh").decode("ascii").strip()


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temp = tempfile.mkstemp(prefix=".user-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

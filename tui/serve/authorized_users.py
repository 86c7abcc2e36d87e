"""Who may log in to `partner-tui serve`: one public-key file per person, no Unix accounts.

`<data dir>/serve/authorized/<name>.pub` holds that person's keys, one per line, in
OpenSSH format. The login name is the identity: it picks the person's bookmarks.
Files are looked at on every login (a stat), so `users add/remove` act without restarting
the server; a file is parsed again only when it changed. Files are small by rule
(KEY_FILE_LIMIT): a log-in never pays for parsing megabytes on the server's event loop.
"""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from partner_tui.tui.serve.paths import authorized_dir
from partner_tui.tui.state.atomic_write import write_atomically
from partner_tui.tui.state.locations import IdentityError, validate_user

# Stricter than a data-dir identity: what a Unix login name may be, so `ssh name@host`
# needs no quoting and cannot be confused with another user by case.
_LOGIN_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
# A .pub line is under 1 KiB (RSA 4096 with a comment); a person has a few keys.
KEY_FILE_LIMIT = 64 * 1024
MIN_RSA_BITS = 2048
HOW_TO_MAKE_A_KEY = "make a new key with `ssh-keygen -t ed25519`"


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
    """Every key in an OpenSSH public-key file, each once; a clear UserError for anything
    else, including weak keys (DSA, RSA under 2048 bits)."""
    if len(text) > KEY_FILE_LIMIT:
        raise UserError(
            f"{source} is too big for a public-key file ({len(text):,} characters; "
            f"at most {KEY_FILE_LIMIT:,})"
        )
    keys: list[asyncssh.SSHKey] = []
    seen: set[bytes] = set()
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "PRIVATE KEY" in line:
            raise UserError(f"{source} is a private key: give the .pub file instead")
        try:
            key = asyncssh.import_public_key(line)
        except asyncssh.KeyImportError as error:
            raise UserError(f"{source} line {number} is not an SSH public key ({error})") from None
        _refuse_weak(key, f"{source} line {number}")
        if key.public_data not in seen:
            seen.add(key.public_data)
            keys.append(key)
    if not keys:
        raise UserError(f"{source} holds no SSH public key")
    return keys


def _refuse_weak(key: asyncssh.SSHKey, where: str) -> None:
    algorithm = key.get_algorithm()
    if algorithm == "ssh-dss":
        raise UserError(
            f"{where} is a DSA key (ssh-dss), which is too weak and no longer accepted; "
            + HOW_TO_MAKE_A_KEY
        )
    if algorithm == "ssh-rsa":
        bits = rsa_bits(key.public_data)
        if bits < MIN_RSA_BITS:
            raise UserError(
                f"{where} is an RSA key of {bits} bits, too weak (at least {MIN_RSA_BITS}); "
                + HOW_TO_MAKE_A_KEY
            )


def rsa_bits(public_data: bytes) -> int:
    """The modulus size of an ssh-rsa public blob: string "ssh-rsa", mpint e, mpint n."""
    fields: list[bytes] = []
    offset = 0
    while offset + 4 <= len(public_data) and len(fields) < 3:
        length = int.from_bytes(public_data[offset : offset + 4], "big")
        fields.append(public_data[offset + 4 : offset + 4 + length])
        offset += 4 + length
    return int.from_bytes(fields[2], "big").bit_length() if len(fields) == 3 else 0


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
        # name → ((mtime_ns, size, inode), keys): parse a file again only once it changed.
        self._parsed: dict[str, tuple[tuple[int, int, int], list[asyncssh.SSHKey]]] = {}

    def _file(self, name: str) -> Path:
        return self.directory / f"{validate_login(name)}.pub"

    def keys_for(self, name: str) -> list[asyncssh.SSHKey]:
        """The keys that may log in as `name`; none for an unknown or invalid name."""
        try:
            path = self._file(name)
            info = path.stat()
        except (UserError, OSError):
            self._parsed.pop(name, None)
            return []
        signature = (info.st_mtime_ns, info.st_size, info.st_ino)
        cached = self._parsed.get(name)
        if cached is not None and cached[0] == signature:
            return list(cached[1])
        keys = self._read(path) if info.st_size <= KEY_FILE_LIMIT else []
        self._parsed[name] = (signature, keys)
        return list(keys)

    @staticmethod
    def _read(path: Path) -> list[asyncssh.SSHKey]:
        try:
            with path.open("rb") as stream:
                text = stream.read(KEY_FILE_LIMIT + 1).decode("utf-8")
            return parse_public_keys(text, str(path))
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
    write_atomically(path, text, mode=0o600)  # private: only the server reads it

"""The server's ed25519 host key: made once, kept private, fingerprint shown on start.

Created in a temp file and hard-linked into place, so it appears complete or not at all,
and two servers starting at once cannot both write it (the link fails if it exists).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import asyncssh


class HostKeyError(Exception):
    pass


def load_or_create(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """Return (key, created). Refuses a key that group or others can read or write."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = False
    if not path.exists():
        created = _create(path)
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise HostKeyError(f"cannot read the host key {path}: {error.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise HostKeyError(
            f"the host key {path} is accessible by others (mode {stat.S_IMODE(mode):04o}); "
            f"fix it with `chmod 600 {path}`"
        )
    try:
        key = asyncssh.read_private_key(path)
    except (OSError, asyncssh.KeyImportError) as error:
        raise HostKeyError(
            f"cannot read the host key {path}: {error}; move it aside to make a new one "
            "(clients will then warn that the host key changed)"
        ) from None
    return key, created


def _create(path: Path) -> bool:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="partner-tui host key")
    handle, temp = tempfile.mkstemp(prefix=".host-key-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(key.export_private_key("openssh"))
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            return False  # another server made it first: use theirs
        return True
    finally:
        Path(temp).unlink(missing_ok=True)


def fingerprint(key: asyncssh.SSHKey) -> str:
    return key.get_fingerprint("sha256")

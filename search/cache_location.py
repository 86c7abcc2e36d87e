"""Where partner-tui keeps what it can always rebuild: indexes and read briefings."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "PARTNER_TUI_CACHE_DIR"


def default_cache_dir() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("partner-tui", appauthor=False))


def resolve_cache_dir(cache_dir: str | os.PathLike[str] | None) -> Path:
    return Path(cache_dir) if cache_dir else default_cache_dir()


def corpus_key(root: Path) -> str:
    """A short name for one corpus folder, the same in every process."""
    import hashlib

    try:
        where = str(root.resolve())
    except OSError:
        where = str(root.absolute())
    return hashlib.blake2b(where.encode(), digest_size=10).hexdigest()

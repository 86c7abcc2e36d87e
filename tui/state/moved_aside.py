"""A user-state file we cannot read is renamed, never overwritten or deleted."""

from __future__ import annotations

import time
from pathlib import Path


def move_aside(path: Path) -> Path:
    """Rename `path` to `<name>.corrupt-<timestamp>` beside it and return the new path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    path.rename(target)
    return target

"""Replace a user's file all at once: a crash, a hang-up or a full disk never leaves half.

Temp file beside the target, fsync, then `os.replace`: a reader sees the old file or the
new one, never a mix, and a failure leaves the old file and no stray temp file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Replace `path` with `text` (UTF-8). The new file is private (0600) unless `mode`
    says otherwise. Raises OSError, with the old file untouched."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

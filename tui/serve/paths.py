"""Where the server keeps its own files: all under `<data dir>/serve`."""

from __future__ import annotations

from pathlib import Path


def serve_dir(data: Path) -> Path:
    return data / "serve"


def host_key_path(data: Path) -> Path:
    return serve_dir(data) / "ssh_host_ed25519_key"


def authorized_dir(data: Path) -> Path:
    return serve_dir(data) / "authorized"


def log_path(data: Path) -> Path:
    return serve_dir(data) / "serve.log"

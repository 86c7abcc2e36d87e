"""Start `partner-tui serve`: check everything that can be wrong before listening."""

from __future__ import annotations

import asyncio
import logging
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from partner_tui.tui.serve import host_key, immortal_heap
from partner_tui.tui.serve.limits import Limits
from partner_tui.tui.serve.paths import host_key_path, log_path, serve_dir
from partner_tui.tui.serve.server import listen, serve_until_stopped, stop_on_signals
from partner_tui.tui.serve.service import Service
from partner_tui.tui.state.errors import CliError, warn
from partner_tui.tui.state.locations import data_dir

log = logging.getLogger("partner_tui.serve")


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    idle_timeout: float
    max_sessions: int
    max_sessions_per_user: int
    login_timeout: float
    no_mouse: bool = False
    data_dir: str | None = None
    corpus: str | None = None
    preload: bool = True  # fork sessions from a preloaded template process


# Files the server and its sessions create are for the service account alone: bookmarks
# and notes 0600, folders 0700 (the log is made 0640 at most, see _setup_logging).
PRIVATE_UMASK = 0o077
LOG_MODE = 0o640


def child_settings(data: Path, corpus: str | None) -> dict[str, str]:
    """Every location a session uses, resolved here: a session's environment has no
    XDG_* of its own to guess from, and must find the index the server built."""
    from partner_tui.search.cache_location import CACHE_ENV, default_cache_dir
    from partner_tui.tui.state.locations import CONFIG_ENV, DATA_ENV, config_dir

    settings = {
        DATA_ENV: str(data),
        CACHE_ENV: str(default_cache_dir().expanduser().resolve()),
        CONFIG_ENV: str(config_dir().expanduser().resolve()),
    }
    if corpus:
        settings["PARTNER_TUI_CORPUS"] = str(Path(corpus).expanduser().resolve())
    return settings


def _setup_logging(path: Path) -> None:
    """Log to the server's stderr and to a file (the sessions' tracebacks go there too)."""
    # Made (or narrowed to) 0640 before logging opens it: it names who logged in when.
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, LOG_MODE))
    os.chmod(path, path.stat().st_mode & LOG_MODE)
    logger = logging.getLogger("partner_tui.serve")
    logger.setLevel(logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    for handler in (logging.FileHandler(path, encoding="utf-8"), logging.StreamHandler()):
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)


def _prepare_index(corpus: str | None) -> None:
    # Build the search index once now, rather than in twenty sessions at once later.
    from partner_tui.search.corpus import CorpusError
    from partner_tui.search.engine import Engine

    try:
        engine = Engine.open(corpus)
    except CorpusError as error:
        raise CliError(str(error)) from None
    engine.warm_up()
    from partner_tui.search.corpus_warnings import summarise

    for message in summarise(engine.warnings):
        warn(message)


def run_server(options: ServeOptions) -> int:
    os.umask(PRIVATE_UMASK)
    data = data_dir(options.data_dir).resolve()
    try:
        serve_dir(data).mkdir(parents=True, exist_ok=True, mode=0o700)
        serve_dir(data).chmod(0o700)  # made wider by an older release
    except OSError as error:
        raise CliError(f"cannot create {serve_dir(data)}: {error.strerror}") from None
    _prepare_index(options.corpus)
    try:
        key, created = host_key.load_or_create(host_key_path(data))
    except host_key.HostKeyError as error:
        raise CliError(str(error)) from None
    _setup_logging(log_path(data))
    limits = Limits(
        idle_timeout=options.idle_timeout,
        max_sessions=options.max_sessions,
        max_sessions_per_user=options.max_sessions_per_user,
        login_timeout=options.login_timeout,
    )
    service = Service(
        data=data,
        limits=limits,
        child_settings=child_settings(data, options.corpus),
        log_path=log_path(data),
        no_mouse=options.no_mouse,
    )
    if not service.users.list():
        warn("nobody can log in yet: add someone with `partner-tui users add NAME KEY.pub`")
    return asyncio.run(_serve(service, options, key, created))


async def _serve(service: Service, options: ServeOptions, key, created: bool) -> int:
    stop = stop_on_signals()
    if options.preload:
        # Started beside the listener: the first log-ins wait for it, nobody is refused.
        from partner_tui.search.corpus import resolve_corpus_path
        from partner_tui.tui.serve.child_env import server_env
        from partner_tui.tui.serve.template import Templates

        service.templates = Templates(
            server_env(service.child_settings),
            service.log_path,
            resolve_corpus_path(options.corpus),
        )
        starting = asyncio.ensure_future(service.templates.start())
    try:
        return await _listen_and_serve(service, options, key, created, stop)
    finally:
        if service.templates is not None:
            starting.cancel()  # a no-op once it has started
            service.templates.close()
            await asyncio.wait([starting])


async def _listen_and_serve(
    service: Service, options: ServeOptions, key, created: bool, stop: asyncio.Event
) -> int:
    try:
        server = await listen(service, options.host, options.port, key)
    except OSError as error:
        raise CliError(
            f"cannot listen on {options.host}:{options.port}: {error.strerror or error}"
        ) from None
    port = server.get_port() or options.port
    made = "new host key" if created else "host key"
    print(f"partner-tui serve: {made} {host_key.fingerprint(key)}", flush=True)
    print(
        f"partner-tui serve: listening on {options.host} port {port}; "
        f"connect with `ssh -p {port} NAME@{options.host}`; stop with ctrl-c",
        flush=True,
    )
    if options.preload and not immortal_heap.supported():
        print(
            f"partner-tui serve: note: on Python {platform.python_version()} sessions cannot "
            "share the session template's objects, so each uses about 8 MiB more; "
            "CPython 3.12 or 3.13 shares them",
            flush=True,
        )
    log.info("listening on %s port %s (pid %s)", options.host, port, os.getpid())
    await serve_until_stopped(server, service, stop)
    print("partner-tui serve: stopped", file=sys.stderr, flush=True)
    return 0

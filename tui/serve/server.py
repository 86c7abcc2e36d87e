"""asyncssh wiring for `partner-tui serve`: public keys only, sessions only, then shutdown.

Everything but an interactive session is refused: passwords and keyboard-interactive,
port forwarding both ways, agent and X11 forwarding, SFTP and SCP. The per-session
rules (pty required, exec/subsystems refused in words, limits) live in session.py.
"""

from __future__ import annotations

import asyncio
import logging
import signal

import asyncssh
from partner_tui.tui.serve.authorized_users import UserError, validate_login
from partner_tui.tui.serve.client_text import shown
from partner_tui.tui.serve.service import Service
from partner_tui.tui.serve.session import ExplorerSession

log = logging.getLogger("partner_tui.serve")
# Time for the last session's exit status and closing bytes to leave before the close.
CLOSE_AFTER_LAST_SESSION = 0.2


class ExplorerServer(asyncssh.SSHServer):
    """One per connection."""

    def __init__(self, service: Service) -> None:
        self._service = service
        self._conn: asyncssh.SSHServerConnection | None = None
        self._peer = "?"
        self._user = ""
        self._agent_refused = False
        self._session_opened = False
        self._open_sessions = 0
        self._logging_in = False  # counted in the service's connections still logging in
        self._no_session_timer: asyncio.TimerHandle | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        host, port = conn.get_extra_info("peername")[:2]
        self._peer = f"{host}:{port}"
        if self._service.unauthenticated >= self._service.limits.max_unauthenticated:
            log.info("refused a connection from %s: too many still logging in", self._peer)
            asyncio.get_running_loop().call_soon(conn.close)
            return
        self._service.unauthenticated += 1
        self._logging_in = True
        # asyncssh refuses agent forwarding silently (OpenSSH asks without wanting a
        # reply); note the request so the session can tell the user it was refused.
        # asyncssh finishes this request before it looks at the next (pty, shell).
        conn.create_agent_listener = self._refuse_agent  # type: ignore[method-assign]

    async def _refuse_agent(self) -> bool:
        self._agent_refused = True
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._done_logging_in()
        if self._no_session_timer is not None:
            self._no_session_timer.cancel()

    def _done_logging_in(self) -> None:
        if self._logging_in:
            self._logging_in = False
            self._service.unauthenticated -= 1

    # -- authentication: public keys of registered users only ---------------------------
    def begin_auth(self, username: str) -> bool:
        self._user = username
        return True  # always ask for a key, so unknown names look like wrong keys

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        try:
            validate_login(username)
        except UserError:
            log.info("refused login name %s from %s", shown(username, 40), self._peer)
            return False
        ok = self._service.users.is_authorized(username, key)
        if not ok:
            log.info("key %s not accepted for %s", key.get_fingerprint("sha256"), shown(username))
        return ok

    def auth_completed(self) -> None:
        self._done_logging_in()
        log.info("%s logged in from %s", self._user, self._peer)
        # A connection used only for forwarding (ssh -N) would otherwise stay forever.
        loop = asyncio.get_running_loop()
        self._no_session_timer = loop.call_later(
            self._service.limits.login_timeout, self._close_if_no_session
        )

    def _close_if_no_session(self) -> None:
        if not self._session_opened and self._conn is not None:
            log.info("closing the connection of %s: no session was opened", self._user)
            self._conn.close()

    # -- channels: sessions yes, everything else no -----------------------------------
    def session_requested(self) -> ExplorerSession:
        self._session_opened = True
        self._open_sessions += 1
        return ExplorerSession(
            self._service,
            self._user,
            self._peer,
            lambda: self._agent_refused,
            on_closed=self._session_closed,
        )

    def _session_closed(self) -> None:
        # A multiplexing client (ControlMaster/ControlPersist) would otherwise keep the
        # connection, already authenticated, open for good and start sessions at will.
        self._open_sessions -= 1
        if self._open_sessions <= 0 and self._conn is not None:
            log.info("closing the connection of %s: its last session ended", self._user)
            asyncio.get_running_loop().call_later(CLOSE_AFTER_LAST_SESSION, self._close_if_idle)

    def _close_if_idle(self) -> None:
        if self._open_sessions <= 0 and self._conn is not None:
            self._conn.close()

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int):
        log.info(
            "refused port forwarding to %s port %s for %s", shown(dest_host), dest_port, self._user
        )
        raise asyncssh.ChannelOpenError(
            asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "port forwarding is not offered"
        )

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        log.info(
            "refused remote forwarding of %s port %s for %s",
            shown(listen_host),
            listen_port,
            self._user,
        )
        return False

    def unix_connection_requested(self, dest_path: str):
        log.info("refused forwarding to socket %s for %s", shown(dest_path), self._user)
        raise asyncssh.ChannelOpenError(
            asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "forwarding is not offered"
        )

    def unix_server_requested(self, listen_path: str) -> bool:
        log.info("refused remote forwarding of socket %s for %s", shown(listen_path), self._user)
        return False


async def listen(service: Service, host: str, port: int, host_key: asyncssh.SSHKey):
    limits = service.limits
    return await asyncssh.create_server(
        lambda: ExplorerServer(service),
        host,
        port,
        server_host_keys=[host_key],
        encoding=None,
        line_editor=False,
        agent_forwarding=False,
        x11_forwarding=False,
        sftp_factory=None,
        allow_scp=False,
        password_auth=False,
        kbdint_auth=False,
        login_timeout=limits.login_timeout,
        keepalive_interval=limits.keepalive_interval,
        keepalive_count_max=limits.keepalive_count_max,
        server_version="partner-tui",
    )


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM, SIGINT (ctrl-c) or SIGHUP. Installed before the server
    says it is listening, so a stop request right after start is never lost."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    return stop


async def serve_until_stopped(
    server: asyncssh.SSHAcceptor, service: Service, stop: asyncio.Event
) -> None:
    """Run until `stop` is set, then hang up every session and stop."""
    await stop.wait()
    log.info("shutting down: hanging up %d session(s)", len(service.sessions))
    server.close()
    endings = [session.end("the server is shutting down.") for session in list(service.sessions)]
    if endings:
        await asyncio.gather(*endings, return_exceptions=True)
    await asyncio.sleep(0.2)  # let the last bytes and channel closes reach the clients
    await server.wait_closed()

"""The server's side of the session template (tui/cli/session_template): start it, ask it to
fork a session onto a pty, hear when its sessions end, replace it when the corpus changes.

The template is a separate process because the server has threads (asyncio, asyncssh
executors) and forking a threaded process is unsafe. They talk over a SOCK_SEQPACKET
socket pair: one JSON message per packet, the pty's slave end passed with SCM_RIGHTS.
If the template cannot start or dies, sessions are started as processes of their own,
as before: slower, never refused for it.
"""

from __future__ import annotations

import array
import asyncio
import hashlib
import itertools
import json
import logging
import os
import platform
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger("partner_tui.serve")

# The template process: in the CLI layer, since it runs the explorer; named here only
# as a `-m` argument, so the server never imports Textual or the app.
TEMPLATE_MODULE = "partner_tui.tui.cli.session_template"
TEMPLATE_ENV = "PARTNER_TUI_TEMPLATE"  # set in the template's (and so its sessions') env
MESSAGE_LIMIT = 256 * 1024  # one JSON message per packet, either way

START_TIMEOUT = 120.0  # importing and reading a large corpus on a busy machine
FORK_TIMEOUT = 30.0
SIGNATURE_EVERY = 2.0  # seconds between looks at the corpus files (a walk of stats)
SIGNATURE_FILE_LIMIT = 20_000


class TemplateUnavailable(Exception):
    """No template to fork from: start the session as a process of its own."""


class ForkedProcess:
    """A session forked by the template: its pid, and its status once the template
    reports it (the template, not the server, is its parent)."""

    def __init__(self, pid: int, template: SessionTemplate) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._template = template

    def poll(self) -> int | None:
        if self.returncode is None and self._template.lost:
            # Its parent is gone, so no status will come: alive is all we can ask.
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1
            except PermissionError:
                pass
        return self.returncode


class SessionTemplate:
    def __init__(self, env: Mapping[str, str], log_path: Path, signature: str) -> None:
        self.signature = signature
        self.fingerprint = ""
        self.ready_report: dict = {}
        self.lost = False
        self._env = {**env, TEMPLATE_ENV: "1"}
        self._log_path = log_path
        self._loop = asyncio.get_running_loop()
        self._ready: asyncio.Future[dict] = self._loop.create_future()
        self._waiting: dict[int, asyncio.Future[int]] = {}
        self._children: dict[int, ForkedProcess] = {}
        self._early_exits: dict[int, int] = {}
        self._ids = itertools.count(1)
        self._channel: socket.socket | None = None
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    async def start(self, timeout: float = START_TIMEOUT) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            with open(self._log_path, "ab") as log_file:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", TEMPLATE_MODULE, str(theirs.fileno())],
                    pass_fds=[theirs.fileno()],
                    env=self._env,
                    stdin=subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=log_file,
                    start_new_session=True,  # ctrl-c at the server's terminal is not for it
                )  # fmt: skip
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.setblocking(False)
        self._channel = ours
        self._loop.add_reader(ours, self._readable)
        try:
            ready = await asyncio.wait_for(asyncio.shield(self._ready), timeout)
        except BaseException:  # failed, too slow, or the server stopping meanwhile
            self.close()
            self.process.kill()
            self.wait_closed()
            raise
        self.fingerprint = str(ready.get("fingerprint", ""))
        self.ready_report = ready  # threads, descriptors, warm-up figures: for the log

    async def fork(self, env: Mapping[str, str], argv: list[str], slave: int) -> ForkedProcess:
        """A session process on the pty whose slave end is `slave` (the caller closes it)."""
        if self.lost or self._channel is None:
            raise TemplateUnavailable("the template is gone")
        request_id = next(self._ids)
        reply: asyncio.Future[int] = self._loop.create_future()
        self._waiting[request_id] = reply
        message = json.dumps({"op": "fork", "id": request_id, "env": dict(env), "argv": argv})
        try:
            self._channel.sendmsg(
                [message.encode("utf-8")],
                [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [slave]))],
            )
            pid = await asyncio.wait_for(reply, FORK_TIMEOUT)
        except (OSError, TimeoutError) as error:
            raise TemplateUnavailable(f"the template did not fork: {error}") from None
        finally:
            self._waiting.pop(request_id, None)
        child = ForkedProcess(pid, self)
        self._children[pid] = child
        if pid in self._early_exits:
            child.returncode = self._early_exits.pop(pid)
        return child

    def retire(self) -> None:
        """Fork no more; the template exits once its last session has ended."""
        self._send({"op": "retire"})

    def close(self) -> None:
        """Close our end: the template exits (its sessions are ended by their ptys)."""
        if self._channel is not None:
            self._loop.remove_reader(self._channel)
            self._channel.close()
            self._channel = None
        self._lost("closed")

    def wait_closed(self, timeout: float = 5.0) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    # -- messages from the template ---------------------------------------------------
    def _send(self, message: dict) -> None:
        if self._channel is not None:
            try:
                self._channel.send(json.dumps(message).encode("utf-8"))
            except OSError:
                pass

    def _readable(self) -> None:
        assert self._channel is not None
        while self._channel is not None:
            try:
                data = self._channel.recv(MESSAGE_LIMIT)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self._loop.remove_reader(self._channel)
                self._channel.close()
                self._channel = None
                self._lost("its process ended")
                return
            try:
                self._dispatch(json.loads(data))
            except (ValueError, TypeError, KeyError) as error:
                log.warning("unreadable message from the session template: %r", error)

    def _dispatch(self, message: dict) -> None:
        op = message.get("op")
        if op == "ready" and not self._ready.done():
            self._ready.set_result(message)
        elif op == "broken" and not self._ready.done():
            self._ready.set_exception(TemplateUnavailable(str(message.get("error"))))
        elif op in ("forked", "failed"):
            waiting = self._waiting.get(int(message.get("id") or 0))
            if waiting is not None and not waiting.done():
                if op == "forked":
                    waiting.set_result(int(message["pid"]))
                else:
                    waiting.set_exception(OSError(str(message.get("error"))))
        elif op == "exited":
            pid, status = int(message["pid"]), int(message["status"])
            child = self._children.pop(pid, None)
            if child is not None:
                child.returncode = status
            else:  # reported before our side heard of the fork
                self._early_exits[pid] = status

    def _lost(self, why: str) -> None:
        if self.lost:
            return
        self.lost = True
        if not self._ready.done():
            self._ready.set_exception(TemplateUnavailable(f"the template failed to start ({why})"))
        for waiting in self._waiting.values():
            if not waiting.done():
                waiting.set_exception(OSError("the template is gone"))


def corpus_signature(root: Path) -> str:
    """Names, sizes and modification times of the files under the corpus: a change here
    means sessions must be forked from a template that has read the corpus again."""
    digest = hashlib.blake2b(digest_size=16)
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*"))
    for path in paths[:SIGNATURE_FILE_LIMIT]:
        try:
            info = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    digest.update(str(len(paths)).encode())
    return digest.hexdigest()


class Templates:
    """The current template, replaced when the corpus's files change; retired templates
    live on until their sessions end."""

    def __init__(self, env: Mapping[str, str], log_path: Path, corpus_root: Path) -> None:
        self._env = dict(env)
        self._log_path = log_path
        self._root = corpus_root
        self.current: SessionTemplate | None = None
        self._all: list[SessionTemplate] = []
        self._starting: asyncio.Task | None = None
        self._signature = ""
        self._looked_at = 0.0
        self.failed_at = 0.0

    async def start(self) -> None:
        await self._replace(await self._look())

    async def fork(self, env: Mapping[str, str], argv: list[str], slave: int) -> ForkedProcess:
        signature = await self._look()
        template = self.current
        if template is None or template.lost or template.signature != signature:
            template = await self._replace(signature)
        if template is None:
            raise TemplateUnavailable("no session template is running")
        return await template.fork(env, argv, slave)

    async def _look(self) -> str:
        now = time.monotonic()
        if now - self._looked_at >= SIGNATURE_EVERY or not self._signature:
            self._looked_at = now
            self._signature = await asyncio.to_thread(corpus_signature, self._root)
        return self._signature

    async def _replace(self, signature: str) -> SessionTemplate | None:
        # One start at a time: twenty sessions arriving together wait for the same one.
        if self._starting is None or self._starting.done():
            if time.monotonic() - self.failed_at < 30:
                return None  # a template failed just now; do not retry on every log-in
            self._starting = asyncio.ensure_future(self._start_new(signature))
        return await asyncio.shield(self._starting)

    async def _start_new(self, signature: str) -> SessionTemplate | None:
        template = SessionTemplate(self._env, self._log_path, signature)
        try:
            await template.start()
        except (OSError, TemplateUnavailable, TimeoutError) as error:
            self.failed_at = time.monotonic()
            log.warning("no session template (%s); sessions start as processes", error)
            return None
        old, self.current = self.current, template
        self._all.append(template)
        if old is not None:
            log.info(
                "the corpus changed: template pid %s retired for pid %s", old.pid, template.pid
            )
            old.retire()
        else:
            log.info(
                "session template ready (pid %s; %s stylesheet parses shared; %s objects"
                " immortal, Python %s)",
                template.pid,
                template.ready_report.get("shared_stylesheet_parses"),
                template.ready_report.get("immortal_objects", 0),
                platform.python_version(),
            )
        return template

    def close(self) -> None:
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()  # its template is killed as the start unwinds
        for template in self._all:
            template.close()
        for template in self._all:
            template.wait_closed()

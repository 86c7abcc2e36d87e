"""The session template (zygote): one preloaded process that forks every session.

Started by the server (tui/serve/template.py) with one end of a SOCK_SEQPACKET socket pair. It
imports Textual, the app and the engine, reads the corpus and opens the index once (so
the index is built and checked), then waits. For each session the server sends the
session's environment and arguments with the pty's slave end attached (SCM_RIGHTS); the
template forks, and the child makes itself a session leader with that pty as its
controlling terminal, takes the session's environment, and only then opens SQLite,
threads and its event loop: the explorer as `partner-tui` would run it, minus the
imports and the reading that every session used to repeat. On CPython 3.12 and 3.13 the
warmed objects are made immortal before the first fork (tui/serve/immortal_heap.py), so a
session that only uses them leaves their pages shared.

Forking is only safe from a process without threads, so this process never starts one
(it checks before every fork) and has no event loop: a selector over the socket and a
self-pipe for SIGCHLD. Children are reaped here and their exit statuses sent back.
It ends when the server's end of the socket closes (server stopped or killed: the
sessions then get their hang-up from their ptys) or, once retired because the corpus
changed, when its last child has ended.
"""

from __future__ import annotations

import array
import gc
import json
import os
import selectors
import signal
import socket
import sys
import threading
import traceback
from pathlib import Path

from partner_tui.tui.serve.template import MESSAGE_LIMIT


def send(channel: socket.socket, message: dict) -> None:
    try:
        channel.send(json.dumps(message).encode("utf-8"))
    except OSError:
        pass  # the server is gone; the loop notices on its next read


def receive(channel: socket.socket) -> tuple[dict | None, list[int]]:
    """One message and the file descriptors sent with it; (None, []) at end of file."""
    fds = array.array("i")
    data, ancillary, _, _ = channel.recvmsg(MESSAGE_LIMIT, socket.CMSG_SPACE(4 * fds.itemsize))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    if not data:
        for fd in fds:
            os.close(fd)
        return None, []
    return json.loads(data), list(fds)


def preload():
    """Everything a session would import and read at start, done once here; returns the
    corpus and how many objects were made immortal (0 before Python 3.12)."""
    from partner_tui.search.corpus import load_corpus
    from partner_tui.search.engine import Engine
    from partner_tui.tui.cli import (  # noqa: F401 - imported for the children
        app_launcher,
        engine_loading,  # imported by the launcher as it starts (a session's only ones)
        index_progress,
        session_main,
    )
    from partner_tui.tui.cli.main import build_parser

    build_parser()  # the top-level parser a session parses its arguments with
    import sqlite3  # noqa: F401 - the module only: connections are per session

    import partner_tui.tui.app  # noqa: F401 - Textual, the screens and the widgets
    import textual.drivers.linux_driver  # noqa: F401 - chosen by App.run
    import textual.scrollbar  # noqa: F401 - once a text is longer than the screen
    import whoosh.externalsort  # noqa: F401 - a session re-indexing a changed briefing
    import whoosh.writing  # noqa: F401

    try:
        from partner_tui.themes import catalog  # noqa: F401
    except ImportError:
        pass
    corpus = load_corpus(None)  # PARTNER_TUI_CORPUS from the server, or the bundled one
    # Build or check the index once, then close it: open files share their offsets across
    # fork, so each session opens its own handles (fast, the index is ready).
    probe = Engine(corpus)
    probe.warm_up()
    probe.close()
    from partner_tui.tui.cli.shared_stylesheets import share_parsed_stylesheets

    share_parsed_stylesheets()  # before the rehearsal, whose parses the sessions reuse
    _rehearse(corpus)
    gc.collect()
    from partner_tui.tui.serve.immortal_heap import immortalize_reachable

    immortal = immortalize_reachable()  # 3.12+: using an object no longer copies its page
    gc.freeze()  # shared pages stay shared: no collection pass writes to them
    return corpus, immortal


def _rehearse(corpus) -> None:
    """Run the explorer once, headless, over the corpus: what every session would do
    first (parse the stylesheets, fill Textual's and Rich's caches, specialise the hot
    code) is then done once here and shared by every child. It must leave no thread
    behind; the fork refuses otherwise."""
    import asyncio
    import tempfile

    from partner_tui.search.engine import Engine
    from partner_tui.tui.app import PartnerApp
    from partner_tui.tui.state.preferences import PreferencesStore

    async def rehearse() -> None:
        with tempfile.TemporaryDirectory(prefix="partner-tui-template-") as folder:
            engine = Engine(corpus)
            app = PartnerApp(
                engine, PreferencesStore(Path(folder)), user="template", bookmarks_off="rehearsal"
            )
            try:
                async with app.run_test(size=(80, 24)) as pilot:
                    await pilot.pause(0.1)
                    await app.workers.wait_for_complete()
                    await pilot.press("slash", *"the", "enter")  # a search, drawn
                    await app.workers.wait_for_complete()
                    await pilot.pause(0.1)
            finally:
                engine.close()

    try:
        asyncio.run(rehearse())
    except Exception:  # a rehearsal that fails costs speed, not sessions
        traceback.print_exc()
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(timeout=2)


def open_fds() -> set[int]:
    """This process's open file descriptors (Linux: /proc; elsewhere /dev/fd)."""
    folder = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    listed = {int(name) for name in os.listdir(folder)}
    return {fd for fd in listed if _is_open(fd)}  # drops the listing's own descriptor


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def leftovers(fds_before: set[int]) -> str | None:
    """What the preload and the rehearsal left behind that a fork must not inherit:
    threads (fork copies only the caller's, with any lock they held), and descriptors
    (an index file, a SQLite handle or an event loop's epoll shared by every session)."""
    problems = []
    if threading.active_count() != 1:
        names = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
        problems.append(f"threads {names!r}")
    stray = sorted(open_fds() - fds_before)
    if stray:
        problems.append(f"file descriptors {stray}")
    return " and ".join(problems) or None


def main() -> None:
    channel = socket.socket(fileno=int(sys.argv[1]))
    channel.setblocking(True)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server alone decides when we stop
    fds_before = open_fds()
    try:
        corpus, immortal = preload()
        left = leftovers(fds_before)
        if left:  # forking now would share them with every session: refuse to serve
            raise RuntimeError(f"the warm-up left {left} behind")
    except Exception as error:  # the server falls back to starting sessions as processes
        traceback.print_exc()
        send(channel, {"op": "broken", "error": f"{type(error).__name__}: {error}"})
        sys.exit(1)
    from partner_tui.tui.cli.shared_stylesheets import shared_parse_count

    ready = {"op": "ready", "pid": os.getpid(), "fingerprint": corpus.fingerprint}
    # What a test (or an admin reading the log) checks: one thread, no stray descriptor,
    # the rehearsal's parsed stylesheets kept for the sessions.
    ready.update(threads=threading.active_count(), fds=sorted(open_fds()))
    ready["shared_stylesheet_parses"] = shared_parse_count()
    ready["immortal_objects"] = immortal
    send(channel, ready)
    Template(channel, corpus).serve()


class Template:
    def __init__(self, channel: socket.socket, corpus) -> None:
        self.channel = channel
        self.corpus = corpus
        self.children: set[int] = set()
        self.retiring = False
        self.wake_read, self.wake_write = os.pipe()
        for fd in (self.wake_read, self.wake_write):
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(self.wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wakeup fd fires

    def serve(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.channel, selectors.EVENT_READ)
        selector.register(self.wake_read, selectors.EVENT_READ)
        while not (self.retiring and not self.children):
            for key, _ in selector.select():
                if key.fileobj == self.wake_read:
                    self._drain_wakeups()
                    self._reap()
                elif not self._handle_request():
                    return  # the server closed its end

    def _drain_wakeups(self) -> None:
        try:
            while os.read(self.wake_read, 512):
                pass
        except BlockingIOError:
            pass

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            self.children.discard(pid)
            code = os.waitstatus_to_exitcode(status)
            send(self.channel, {"op": "exited", "pid": pid, "status": code})

    def _handle_request(self) -> bool:
        try:
            request, fds = receive(self.channel)
        except (OSError, ValueError):
            return False
        if request is None:
            return False
        if request.get("op") == "retire":
            self.retiring = True
        elif request.get("op") == "fork" and len(fds) == 1:
            self._fork(request, fds[0])
        else:
            for fd in fds:
                os.close(fd)
        return True

    def _fork(self, request: dict, slave: int) -> None:
        reply = {"op": "forked", "id": request.get("id")}
        if threading.active_count() != 1:  # never fork a process that has threads
            reply.update(op="failed", error="the template has threads; not forking")
        else:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()  # or the child would write our buffered lines again
            try:
                pid = os.fork()
            except OSError as error:
                reply.update(op="failed", error=f"fork: {error}")
            else:
                if pid == 0:
                    self._become_session(request, slave)  # never returns
                self.children.add(pid)
                reply["pid"] = pid
        os.close(slave)
        send(self.channel, reply)

    def _become_session(self, request: dict, slave: int) -> None:
        code = 1
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)  # Python's own default
            for fd in (self.channel.fileno(), self.wake_read, self.wake_write):
                os.close(fd)
            from partner_tui.tui.cli.session_main import run_forked

            code = run_forked(slave, request["env"], request["argv"], self.corpus)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            os._exit(code)


if __name__ == "__main__":
    main()

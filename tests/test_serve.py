"""`partner-tui serve` with the real OpenSSH client: log in with a key, get the explorer;
everything else (commands, file transfer, forwarding, no terminal) is refused in words.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import termios

import pytest
from support_ssh import (
    BRIEFING,
    PILLAR,
    ServeProcess,
    Tmux,
    alive,
    base_env,
    make_key,
    run_cli,
    search_for,
    ssh_argv,
    wait_for_explorer,
    wait_until,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One server for the module, with alice and bob registered."""
    root = tmp_path_factory.mktemp("serve")
    env = base_env(root)
    env["PARTNER_TUI_CACHE_DIR"] = str(root / "cache")
    keys = {name: make_key(root, name) for name in ("alice", "bob", "mallory")}
    server = ServeProcess(root / "data", env)
    server.add_user("alice", keys["alice"])
    server.add_user("bob", keys["bob"])
    yield server, keys, root
    assert server.stop() == 0


@pytest.fixture(autouse=True)
def _stop_servers_left_running():
    """A test that fails half-way still stops the servers it started."""
    before = set(ServeProcess.running)
    yield
    for server in ServeProcess.running - before:
        server.stop()


@pytest.fixture
def tmux(tmp_path):
    terminal = Tmux(tmp_path)
    yield terminal
    terminal.close()


def _ssh(server, key, user, *extra, command=(), stdin=subprocess.DEVNULL, env=None):
    return subprocess.run(
        ssh_argv(key, server.port, user, *extra, command=command),
        capture_output=True,
        text=True,
        timeout=20,
        stdin=stdin,
        env=env,
    )


def _window_size(pid: int) -> tuple[int, int]:
    with open(f"/proc/{pid}/fd/0", "rb", buffering=0) as tty:
        rows, columns = struct.unpack("HHHH", fcntl.ioctl(tty, termios.TIOCGWINSZ, b"\0" * 8))[:2]
    return columns, rows


def test_login_with_a_key_opens_the_explorer_and_follows_resizes(world, tmux):
    server, keys, _ = world
    tmux.start(ssh_argv(keys["alice"], server.port, "alice", "-tt"))
    tmux.wait_for(BRIEFING)
    (child,) = wait_until(server.sessions, 10, "the session's process")
    # The session runs as alice: it says so in the server's log, from its own environment.
    (template,) = server.templates()
    wait_until(
        lambda: (
            f"[session pid {child} user alice, forked from template pid {template}]"
            in server.session_log()
        ),
        10,
        "the session's line in the log",
    )
    assert _window_size(child) == (80, 24)
    mouse = tmux.tmux("display-message", "-p", "-t", "main", "#{mouse_any_flag}").strip()
    assert mouse == "1"  # by default the explorer takes the mouse (see --no-mouse)
    wait_for_explorer(tmux)
    tmux.resize(120, 30)
    wait_until(lambda: _window_size(child) == (120, 30), 10, "the new size on the child's pty")
    # The app redraws for the new size: its top bar now spans all 120 columns.
    wait_until(lambda: any(len(line) >= 119 for line in tmux.screen().splitlines()), 10, "a redraw")
    tmux.keys("q")
    assert tmux.exit_status(timeout=15) == 0
    wait_until(lambda: not server.sessions(), 10, "the session's process to end")


def test_bookmarks_belong_to_the_ssh_user(world, tmux):
    """Pressing b in the reading view bookmarks the section, for the logged-in user only."""
    server, keys, root = world
    tmux.start(ssh_argv(keys["alice"], server.port, "alice", "-tt"))
    wait_for_explorer(tmux)
    search_for(tmux, "sustainability core focus")
    tmux.keys("Enter")  # opens the best hit in the reading view
    tmux.wait_for("One of the notable")  # the first line of that section's body
    tmux.keys("b")
    tmux.keys("q")
    tmux.exit_status(timeout=15)
    listing = {
        user: run_cli(
            server.env, "bookmarks", "list", "--user", user, "--data-dir", str(server.data)
        )
        for user in ("alice", "bob")
    }
    assert "Sustainability as a Core Focus" in listing["alice"].stdout, listing["alice"]
    assert "Sustainability" not in listing["bob"].stdout


def test_another_users_key_cannot_log_in(world):
    server, keys, _ = world
    for key, user in ((keys["bob"], "alice"), (keys["mallory"], "alice"), (keys["alice"], "carol")):
        done = _ssh(server, key, user, "-tt")
        assert done.returncode == 255
        assert "Permission denied (publickey)" in done.stderr
    assert not server.sessions()


@pytest.mark.parametrize(
    ("extra", "command", "message"),
    [
        ([], ["ls", "/"], "does not run commands"),
        (["-T"], [], "no terminal was requested"),
        (["-s"], ["sftp"], "offers no sftp"),
    ],
    ids=["exec", "no-pty", "subsystem"],
)
def test_non_interactive_requests_are_refused_with_a_message(world, extra, command, message):
    server, keys, _ = world
    done = _ssh(server, keys["alice"], "alice", *extra, command=command)
    assert done.returncode == 1
    assert message in done.stderr
    assert not server.sessions()


def test_sftp_and_scp_are_refused(world):
    server, keys, root = world
    options = [o for o in ssh_argv(keys["alice"], server.port, "x")[1:-1] if o != "-p"]
    port_index = options.index(str(server.port))
    del options[port_index]
    sftp = subprocess.run(
        ["sftp", *options, "-P", str(server.port), "alice@127.0.0.1"],
        capture_output=True,
        text=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
    )
    assert sftp.returncode != 0
    assert "offers no sftp" in sftp.stderr
    target = root / "stolen"
    scp = subprocess.run(
        ["scp", *options, "-P", str(server.port), "alice@127.0.0.1:/etc/hostname", str(target)],
        capture_output=True,
        text=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
    )
    assert scp.returncode != 0
    assert "offers no sftp" in scp.stderr or "does not run commands" in scp.stderr
    assert not target.exists()


def test_remote_forwarding_is_refused(world):
    server, keys, _ = world
    done = _ssh(
        server, keys["alice"], "alice", "-N", "-o", "ExitOnForwardFailure=yes",
        "-R", "0:127.0.0.1:9",
    )  # fmt: skip
    assert done.returncode == 255
    assert "remote port forwarding failed" in done.stderr


def test_local_forwarding_is_refused(world, tmp_path):
    import socket

    server, keys, _ = world
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        local_port = probe.getsockname()[1]
    forwarder = subprocess.Popen(
        ssh_argv(
            keys["alice"], server.port, "alice", "-N",
            "-L", f"127.0.0.1:{local_port}:127.0.0.1:{server.port}",
        ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:

        def forwarded_connection() -> bytes | None:
            try:
                with socket.create_connection(("127.0.0.1", local_port), timeout=5) as conn:
                    return conn.recv(100) or b"closed"
            except ConnectionRefusedError:
                return None  # ssh is not listening yet

        # A refused channel closes the local connection without a byte of the far end.
        assert wait_until(forwarded_connection, 15, "the forwarded port") == b"closed"
    finally:
        forwarder.kill()
        _, stderr = forwarder.communicate(timeout=10)
    assert "administratively prohibited" in stderr


def test_agent_forwarding_is_refused_with_a_notice(world, tmux, tmp_path):
    server, keys, _ = world
    agent_socket = tmp_path / "agent.sock"
    agent = subprocess.Popen(
        ["ssh-agent", "-D", "-a", str(agent_socket)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(agent_socket.exists, 10, "ssh-agent")
        errors = tmp_path / "ssh.err"
        command = " ".join(ssh_argv(keys["alice"], server.port, "alice", "-tt", "-A"))
        tmux.start(["sh", "-c", f"{command} 2>{errors}"], {"SSH_AUTH_SOCK": str(agent_socket)})
        wait_for_explorer(tmux)
        (child,) = server.sessions()
        names = wait_until(
            lambda: server.session_environment(child), 10, "the session's environment in the log"
        )
        assert {"PARTNER_TUI_USER", "TERM"} <= set(names)  # the session's own, not a template's
        assert "SSH_AUTH_SOCK" not in names
        tmux.keys("q")
        tmux.exit_status(timeout=15)
        assert "agent forwarding is not offered" in errors.read_text()
    finally:
        agent.terminate()
        agent.wait(timeout=5)


def test_killing_the_client_leaves_no_process_behind(world, tmux):
    server, keys, _ = world
    tmux.start(ssh_argv(keys["alice"], server.port, "alice", "-tt"))
    wait_for_explorer(tmux)
    (child,) = server.sessions()
    os.kill(tmux.command_pid(), signal.SIGKILL)  # the ssh client, as if its laptop died
    wait_until(lambda: not alive(child), 10, "the session's process to end")
    assert not server.sessions()


def test_session_caps_refuse_politely(tmp_path, tmux):
    env = base_env(tmp_path)
    keys = {name: make_key(tmp_path, name) for name in ("alice", "bob", "carol")}
    server = ServeProcess(
        tmp_path / "data", env, "--max-sessions-per-user", "1", "--max-sessions", "2"
    )
    second = Tmux(tmp_path)
    try:
        for name, key in keys.items():
            server.add_user(name, key)
        tmux.start(ssh_argv(keys["alice"], server.port, "alice", "-tt"))
        wait_for_explorer(tmux)
        again = _ssh(server, keys["alice"], "alice", "-tt")
        assert again.returncode == 1
        assert "alice already has 1 session open" in again.stdout + again.stderr
        second.start(ssh_argv(keys["bob"], server.port, "bob", "-tt"))
        wait_for_explorer(second)
        full = _ssh(server, keys["carol"], "carol", "-tt")
        assert full.returncode == 1
        assert "the server is full" in full.stdout + full.stderr
        assert len(server.sessions()) == 2
        # A slot is free again once its session ends.
        tmux.keys("q")
        wait_until(lambda: len(server.sessions()) == 1, 15, "alice's session to end")
        tmux.close()
        third = Tmux(tmp_path)
        try:
            third.start(ssh_argv(keys["carol"], server.port, "carol", "-tt"))
            wait_for_explorer(third)
        finally:
            third.close()
    finally:
        second.close()
        assert server.stop() == 0


def test_idle_sessions_are_closed_with_a_message(tmp_path, tmux):
    env = base_env(tmp_path)
    key = make_key(tmp_path, "alice")
    server = ServeProcess(tmp_path / "data", env, "--idle-timeout", "3s")
    try:
        server.add_user("alice", key)
        tmux.start(ssh_argv(key, server.port, "alice", "-tt"))
        wait_for_explorer(tmux)
        (child,) = server.sessions()
        # The idle clock starts when the explorer first draws, so however long a busy
        # machine took to start it, it was on screen (above) before it is closed.
        screen = tmux.wait_for("closed after 3 seconds without input", timeout=20)
        assert PILLAR not in screen  # the explorer left the screen; the terminal is back
        tmux.exit_status(timeout=10)
        assert not alive(child)
        assert f"closing the idle session of alice (pid {child})" in server.session_log()
    finally:
        assert server.stop() == 0


def test_shutdown_hangs_up_every_session_and_restores_terminals(tmp_path, tmux):
    env = base_env(tmp_path)
    key = make_key(tmp_path, "alice")
    server = ServeProcess(tmp_path / "data", env)
    server.add_user("alice", key)
    tmux.start(ssh_argv(key, server.port, "alice", "-tt"))
    wait_for_explorer(tmux)
    (child,) = server.sessions()
    assert server.stop() == 0
    screen = tmux.wait_for("the server is shutting down")
    assert PILLAR not in screen
    tmux.exit_status(timeout=10)
    assert not alive(child)


def test_host_key_is_made_once_private_and_its_fingerprint_shown(tmp_path):
    env = base_env(tmp_path)
    data = tmp_path / "data"
    first = ServeProcess(data, env)
    assert first.stop() == 0
    key_file = data / "serve" / "ssh_host_ed25519_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    fingerprint = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(key_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    assert f"new host key {fingerprint}" in first.output()
    second = ServeProcess(data, env)
    assert second.stop() == 0
    assert f"host key {fingerprint}" in second.output()
    assert "new host key" not in second.output()


def test_a_host_key_others_can_read_is_refused(tmp_path):
    env = base_env(tmp_path)
    data = tmp_path / "data"
    assert ServeProcess(data, env).stop() == 0
    key_file = data / "serve" / "ssh_host_ed25519_key"
    key_file.chmod(0o644)
    done = run_cli(env, "serve", "--data-dir", str(data), "--port", "0")
    assert done.returncode == 2
    assert "accessible by others" in done.stderr and "chmod 600" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_refuses_bad_options_clearly(tmp_path):
    env = base_env(tmp_path)
    for options, message in (
        (["--idle-timeout", "soon"], "not a duration"),
        (["--max-sessions", "0"], "must be 1 or more"),
        (["--port", "70000"], "a port is 0 to 65535"),
    ):
        done = run_cli(env, "serve", *options)
        assert done.returncode == 2
        assert message in done.stderr
    busy = ServeProcess(tmp_path / "data", env)
    try:
        done = run_cli(env, "serve", "--port", str(busy.port), "--data-dir", str(busy.data))
        assert done.returncode == 2
        assert f"cannot listen on 127.0.0.1:{busy.port}" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        assert busy.stop() == 0


def test_a_killed_server_leaves_no_session_process(tmp_path, tmux):
    env = base_env(tmp_path)
    key = make_key(tmp_path, "alice")
    server = ServeProcess(tmp_path / "data", env)
    server.add_user("alice", key)
    tmux.start(ssh_argv(key, server.port, "alice", "-tt"))
    wait_for_explorer(tmux)
    (child,) = server.sessions()
    server.process.kill()  # no chance to hang up: the kernel does it when the pty closes
    server.stop()
    wait_until(lambda: not alive(child), 10, "the orphaned session's process to end")


def test_a_connection_that_opens_no_session_is_closed(tmp_path):
    env = base_env(tmp_path)
    key = make_key(tmp_path, "alice")
    server = ServeProcess(tmp_path / "data", env, "--login-timeout", "1s")
    try:
        assert "listening on 127.0.0.1 " in server.output()  # loopback unless told otherwise
        server.add_user("alice", key)
        # `ssh -N` logs in and then only holds the connection (e.g. for forwarding).
        done = subprocess.run(
            ssh_argv(key, server.port, "alice", "-N"),
            capture_output=True,
            text=True,
            timeout=20,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 255  # the server closed it
    finally:
        assert server.stop() == 0


def test_a_dumb_terminal_gets_the_explorers_advice_not_a_traceback(world):
    server, keys, _ = world
    done = _ssh(server, keys["alice"], "alice", "-tt", env={**server.env, "TERM": "dumb"})
    output = done.stdout + done.stderr
    assert done.returncode == 2
    assert "needs an interactive terminal" in output and "ssh -t" in output
    assert "Traceback" not in output


def test_serve_no_mouse_reaches_every_session(tmp_path, tmux):
    env = base_env(tmp_path)
    key = make_key(tmp_path, "alice")
    server = ServeProcess(tmp_path / "data", env, "--no-mouse")
    try:
        server.add_user("alice", key)
        tmux.start(ssh_argv(key, server.port, "alice", "-tt"))
        wait_for_explorer(tmux)
        flag = tmux.tmux("display-message", "-p", "-t", "main", "#{mouse_any_flag}").strip()
        assert flag == "0"
    finally:
        assert server.stop() == 0


def test_adding_and_removing_a_user_acts_without_a_restart(world):
    server, keys, root = world
    dave = make_key(root, "dave")
    assert _ssh(server, dave, "dave", "-T").returncode == 255  # unknown: permission denied
    server.add_user("dave", dave)
    let_in = _ssh(server, dave, "dave", "-T")
    assert let_in.returncode == 1 and "no terminal was requested" in let_in.stderr  # logged in
    removed = run_cli(server.env, "users", "remove", "dave", "--data-dir", str(server.data))
    assert removed.returncode == 0
    shut_out = _ssh(server, dave, "dave", "-T")
    assert shut_out.returncode == 255 and "Permission denied (publickey)" in shut_out.stderr


def test_x11_forwarding_is_refused(world, tmux, tmp_path):
    server, keys, _ = world
    errors = tmp_path / "ssh.err"
    command = " ".join(ssh_argv(keys["alice"], server.port, "alice", "-tt", "-X"))
    tmux.start(["sh", "-c", f"{command} 2>{errors}"], {"DISPLAY": ":77"})
    wait_for_explorer(tmux)
    tmux.keys("q")
    tmux.exit_status(timeout=15)
    assert "X11 forwarding request failed" in errors.read_text()

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
    ServeProcess,
    alive,
    base_env,
    make_key,
    run_cli,
    search_for,
    ssh_argv,
    ssh_run,
    wait_for_explorer,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("left_servers_stopped")]


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
        done = ssh_run(server, key, user, "-tt")
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
    done = ssh_run(server, keys["alice"], "alice", *extra, command=command)
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
    done = ssh_run(
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


def test_a_dumb_terminal_gets_the_explorers_advice_not_a_traceback(world):
    server, keys, _ = world
    done = ssh_run(server, keys["alice"], "alice", "-tt", env={**server.env, "TERM": "dumb"})
    output = done.stdout + done.stderr
    assert done.returncode == 2
    assert "needs an interactive terminal" in output and "ssh -t" in output
    assert "Traceback" not in output


def test_adding_and_removing_a_user_acts_without_a_restart(world):
    server, keys, root = world
    dave = make_key(root, "dave")
    assert ssh_run(server, dave, "dave", "-T").returncode == 255  # unknown: permission denied
    server.add_user("dave", dave)
    let_in = ssh_run(server, dave, "dave", "-T")
    assert let_in.returncode == 1 and "no terminal was requested" in let_in.stderr  # logged in
    removed = run_cli(server.env, "users", "remove", "dave", "--data-dir", str(server.data))
    assert removed.returncode == 0
    shut_out = ssh_run(server, dave, "dave", "-T")
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

"""`partner-tui serve` as a service: caps, idle and shutdown hang-ups, host keys, bad
options, killed servers and connections that open no session, with the real OpenSSH client.
"""

from __future__ import annotations

import subprocess

import pytest
from support_ssh import (
    PILLAR,
    ServeProcess,
    Tmux,
    alive,
    base_env,
    make_key,
    run_cli,
    ssh_argv,
    ssh_run,
    wait_for_explorer,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("left_servers_stopped")]


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
        again = ssh_run(server, keys["alice"], "alice", "-tt")
        assert again.returncode == 1
        assert "alice already has 1 session open" in again.stdout + again.stderr
        second.start(ssh_argv(keys["bob"], server.port, "bob", "-tt"))
        wait_for_explorer(second)
        full = ssh_run(server, keys["carol"], "carol", "-tt")
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

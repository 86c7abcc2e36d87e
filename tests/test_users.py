"""`partner-tui users add|remove|list`: who may log in to `partner-tui serve`."""

from __future__ import annotations

import subprocess

import pytest
from partner_tui.tui.cli.main import main
from partner_tui.tui.serve.authorized_users import AuthorizedUsers, UserError, validate_login
from partner_tui.tui.state.locations import data_dir


def _key(tmp_path, name: str):
    path = tmp_path / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)],
        check=True,
        timeout=20,
    )
    return path


def _fingerprint(path) -> str:
    out = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.split()[1]


def test_add_list_remove(tmp_path, capsys):
    alice = _key(tmp_path, "alice")
    assert main(["users", "list"]) == 0
    assert "Nobody may log in yet" in capsys.readouterr().out

    assert main(["users", "add", "alice", f"{alice}.pub"]) == 0
    assert _fingerprint(alice) in capsys.readouterr().out
    assert main(["users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "alice" in listed and _fingerprint(alice) in listed

    assert main(["users", "remove", "alice"]) == 0
    assert "can no longer log in" in capsys.readouterr().out
    assert main(["users", "list"]) == 0
    assert "alice" not in capsys.readouterr().out


def test_keys_are_kept_under_the_data_dir_given(tmp_path, capsys):
    alice = _key(tmp_path, "alice")
    elsewhere = tmp_path / "elsewhere"
    assert main(["users", "add", "alice", f"{alice}.pub", "--data-dir", str(elsewhere)]) == 0
    capsys.readouterr()
    assert (elsewhere / "serve" / "authorized" / "alice.pub").exists()
    assert main(["users", "list"]) == 0
    assert "alice" not in capsys.readouterr().out


def test_a_second_key_is_added_and_repeating_one_changes_nothing(tmp_path, capsys):
    laptop, desktop = _key(tmp_path, "laptop"), _key(tmp_path, "desktop")
    assert main(["users", "add", "alice", f"{laptop}.pub"]) == 0
    assert main(["users", "add", "alice", f"{desktop}.pub"]) == 0
    assert main(["users", "add", "alice", f"{desktop}.pub"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    (user,) = AuthorizedUsers(data_dir()).list()
    assert sorted(user.fingerprints) == sorted([_fingerprint(laptop), _fingerprint(desktop)])


@pytest.mark.parametrize(
    "name", ["Alice", "root/../x", "a" * 33, "al ice", "ali.ce", "élise", ".."]
)
def test_bad_login_names_are_refused(tmp_path, capsys, name):
    alice = _key(tmp_path, "alice")
    assert main(["users", "add", name, f"{alice}.pub"]) == 2
    err = capsys.readouterr().err
    assert "invalid" in err and "Traceback" not in err
    assert not (data_dir() / "serve" / "authorized").exists() or not any(
        (data_dir() / "serve" / "authorized").iterdir()
    )


def test_good_login_names(tmp_path):
    for name in ("alice", "_svc", "bob-2", "a" * 32, "x_y"):
        assert validate_login(name) == name
    for name in ("", "-alice", "9lives", "Alice"):
        with pytest.raises(UserError):
            validate_login(name)


def test_bad_key_files_are_refused_clearly(tmp_path, capsys):
    alice = _key(tmp_path, "alice")
    garbage = tmp_path / "garbage.pub"
    garbage.write_text("ssh-ed25519 not-base64!!\n")
    empty = tmp_path / "empty.pub"
    empty.write_text("# nothing here\n")
    binary = tmp_path / "binary.pub"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    cases = {
        str(alice): "private key",
        str(garbage): "not an SSH public key",
        str(empty): "holds no SSH public key",
        str(tmp_path / "missing.pub"): "no such key file",
        str(binary): "cannot read",
    }
    for path, message in cases.items():
        assert main(["users", "add", "alice", path]) == 2
        err = capsys.readouterr().err
        assert message in err, err
        assert "Traceback" not in err
    assert AuthorizedUsers(data_dir()).list() == []


def test_one_key_cannot_be_two_people(tmp_path, capsys):
    shared = _key(tmp_path, "shared")
    assert main(["users", "add", "alice", f"{shared}.pub"]) == 0
    assert main(["users", "add", "bob", f"{shared}.pub"]) == 2
    assert "already logs in as 'alice'" in capsys.readouterr().err
    assert [u.name for u in AuthorizedUsers(data_dir()).list()] == ["alice"]


def test_removing_someone_unknown_is_an_error(capsys):
    assert main(["users", "remove", "nobody"]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err


def test_keys_for_checks_the_right_person(tmp_path):
    alice, bob = _key(tmp_path, "alice"), _key(tmp_path, "bob")
    users = AuthorizedUsers(data_dir())
    users.add("alice", (tmp_path / "alice.pub").read_text(), "alice.pub")
    users.add("bob", (tmp_path / "bob.pub").read_text(), "bob.pub")
    import asyncssh

    alice_key = asyncssh.read_public_key(f"{alice}.pub")
    bob_key = asyncssh.read_public_key(f"{bob}.pub")
    assert users.is_authorized("alice", alice_key)
    assert not users.is_authorized("alice", bob_key)
    assert not users.is_authorized("carol", alice_key)
    assert not users.is_authorized("../alice", alice_key)

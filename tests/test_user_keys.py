"""Public keys for `serve`: bounded files, weak keys refused, parsed once per change."""

from __future__ import annotations

import os

import asyncssh
import pytest
from partner_tui.tui.cli.main import main
from partner_tui.tui.serve import authorized_users
from partner_tui.tui.serve.authorized_users import (
    KEY_FILE_LIMIT,
    AuthorizedUsers,
    UserError,
    parse_public_keys,
    rsa_bits,
)
from partner_tui.tui.state.locations import data_dir


def _public_line(algorithm: str, comment: str = "", **options) -> str:
    key = asyncssh.generate_private_key(algorithm, comment=comment or None, **options)
    return key.export_public_key("openssh").decode("ascii").strip()


def test_a_huge_key_file_is_refused_without_being_stored(tmp_path, capsys):
    huge = tmp_path / "huge.pub"
    huge.write_text(_public_line("ssh-ed25519", comment="x" * (2 * KEY_FILE_LIMIT)) + "\n")
    assert main(["users", "add", "alice", str(huge)]) == 2
    err = capsys.readouterr().err
    assert "too big for a public-key file" in err and "Traceback" not in err
    assert AuthorizedUsers(data_dir()).list() == []


def test_a_huge_file_put_in_place_by_hand_is_never_parsed(tmp_path, monkeypatch):
    users = AuthorizedUsers(tmp_path)
    users.directory.mkdir(parents=True)
    line = _public_line("ssh-ed25519")
    (users.directory / "alice.pub").write_text(line + " " + "x" * (10 * KEY_FILE_LIMIT) + "\n")
    calls = []
    monkeypatch.setattr(authorized_users, "parse_public_keys", lambda *a: calls.append(a) or [])
    key = asyncssh.import_public_key(line)
    assert not users.is_authorized("alice", key)
    assert calls == []


def test_keys_are_parsed_once_and_again_only_after_a_change(tmp_path, monkeypatch):
    users = AuthorizedUsers(tmp_path)
    first, second = _public_line("ssh-ed25519"), _public_line("ssh-ed25519")
    users.add("alice", first, "first.pub")
    real = authorized_users.parse_public_keys
    calls = []

    def counting(text, source):
        calls.append(source)
        return real(text, source)

    monkeypatch.setattr(authorized_users, "parse_public_keys", counting)
    key_one, key_two = (asyncssh.import_public_key(line) for line in (first, second))
    for _ in range(5):
        assert users.is_authorized("alice", key_one)
        assert not users.is_authorized("alice", key_two)
    assert len(calls) == 1
    path = users.directory / "alice.pub"
    path.write_text(path.read_text() + second + "\n")
    stamp = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))
    assert users.is_authorized("alice", key_two)
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("algorithm", "options", "message"),
    [
        ("ssh-dss", {}, "DSA key (ssh-dss)"),
        ("ssh-rsa", {"key_size": 1024}, "RSA key of 1024 bits"),
    ],
    ids=["dsa", "rsa-1024"],
)
def test_weak_keys_are_refused_with_a_clear_message(tmp_path, capsys, algorithm, options, message):
    weak = tmp_path / "weak.pub"
    try:
        weak.write_text(_public_line(algorithm, **options) + "\n")
    except (asyncssh.KeyGenerationError, ValueError) as error:
        pytest.fail(f"cannot make a {algorithm} key here: {error}")
    assert main(["users", "add", "alice", str(weak)]) == 2
    err = capsys.readouterr().err
    assert message in err and "ssh-keygen -t ed25519" in err
    assert AuthorizedUsers(data_dir()).list() == []


def test_rsa_2048_is_accepted_and_its_size_read_from_the_key():
    line = _public_line("ssh-rsa", key_size=2048)
    (key,) = parse_public_keys(line, "ok.pub")
    assert rsa_bits(key.public_data) == 2048


def test_a_key_repeated_in_one_file_is_kept_once(tmp_path):
    line = _public_line("ssh-ed25519")
    assert len(parse_public_keys(f"{line}\n{line} again\n", "twice.pub")) == 1
    users = AuthorizedUsers(tmp_path)
    users.add("alice", f"{line}\n{line}\n", "twice.pub")
    assert (users.directory / "alice.pub").read_text().count("ssh-ed25519") == 1
    assert (users.directory / "alice.pub").stat().st_mode & 0o777 == 0o600


def test_an_oversized_text_is_refused_by_the_parser_too():
    with pytest.raises(UserError, match="too big"):
        parse_public_keys("#" * (KEY_FILE_LIMIT + 1), "big.pub")

"""A forked session copies a template page when it merely uses an object on it, unless the
template made its objects immortal first (CPython 3.12 and 3.13).

Each case runs a small template in its own interpreter: it builds some 20 MiB of strings and
instances, optionally marks them immortal, forks, and the child then reads every object
(which, for a counted object, writes its reference count) and reports how much of its memory
became private, from /proc/self/smaps_rollup. The running interpreter is always tried;
CPython 3.12+ interpreters are tried where the machine has one (on PATH or under pyenv).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from partner_tui.tui.serve import immortal_heap

TEMPLATE = r"""
import gc, importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location("immortal_heap", sys.argv[1])
immortal_heap = importlib.util.module_from_spec(spec)
spec.loader.exec_module(immortal_heap)

def private_kib():
    for line in open("/proc/self/smaps_rollup"):
        if line.startswith(("Private_Dirty:", "Private_Clean:")):
            yield int(line.split()[1])

class Note:
    def __init__(self, n):
        self.n = n
        self.text = "note %d" % n

words = ["word %d " % i * 4 for i in range(150_000)]
notes = [Note(i) for i in range(50_000)]
table = {i: words[i] for i in range(0, 150_000, 3)}
gc.collect()
marked = immortal_heap.immortalize_reachable() if sys.argv[2] == "mark" else 0
gc.freeze()
after_marking = object()  # made later: counted as usual
reader, writer = os.pipe()
child = os.fork()
if child == 0:
    before = sum(private_kib())
    length = sum(len(word) for word in words)  # each word is referenced, then let go
    texts = sum(len(note.text) for note in notes)
    kept = [words[i] for i in range(0, 150_000, 2)]
    table[-1] = "written in the session"  # a real change still works (and is private)
    grown = sum(private_kib()) - before - len(kept) * 8 // 1024
    report = {
        "grown_kib": grown, "length": length, "texts": texts,
        "table": table[-1], "sample": words[7], "note": notes[5].text,
    }
    os.write(writer, json.dumps(report).encode())
    os._exit(0)
os.close(writer)
report = json.loads(os.read(reader, 65536))
os.waitpid(child, 0)
counts = [sys.getrefcount(after_marking)]
also = [after_marking]
counts.append(sys.getrefcount(after_marking))
report.update(marked=marked, later_counts=counts, supported=immortal_heap.supported(),
              version=list(sys.version_info[:2]))
print(json.dumps(report))
"""


def newer_pythons() -> list:
    """CPython 3.12+ interpreters on this machine, from PATH or pyenv's versions, as
    parameters named by their version."""
    candidates = [shutil.which(name) for name in ("python3.13", "python3.12")]
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        if root:
            for folder in sorted(Path(root, "versions").glob("3.1[23].*")):
                candidates.append(str(folder / "bin" / "python3"))
    found: dict[tuple, str] = {}
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True, text=True,
        )  # fmt: skip
        if probe.returncode == 0:
            version = tuple(int(part) for part in probe.stdout.split())
            if version >= (3, 12):
                found.setdefault(version, candidate)
    return [
        pytest.param(path, id="python{}.{}".format(*version)) for version, path in found.items()
    ]


def run_template(python: str, mode: str) -> dict:
    done = subprocess.run(
        [python, "-c", TEMPLATE, immortal_heap.__file__, mode],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": "0"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def check_the_session_still_works(report: dict) -> None:
    assert report["length"] == sum(len(f"word {i} " * 4) for i in range(150_000))
    assert report["texts"] == sum(len(f"note {i}") for i in range(50_000))
    assert report["table"] == "written in the session"
    assert report["sample"] == "word 7 word 7 word 7 word 7 "
    assert report["note"] == "note 5"


def test_counted_objects_are_copied_into_the_session_that_reads_them():
    # The cost being removed, measured the same way: without marking, reading every object
    # makes most of the template's pages private to the session, on any Python.
    report = run_template(sys.executable, "plain")
    check_the_session_still_works(report)
    assert report["marked"] == 0
    assert report["grown_kib"] > 10_000, report


def test_this_interpreter_marks_only_where_it_is_supported():
    report = run_template(sys.executable, "mark")
    check_the_session_still_works(report)
    if tuple(report["version"]) >= (3, 12):
        assert report["supported"] and report["marked"] > 200_000
    else:  # 3.11 has no immortal objects: nothing marked, nothing broken
        assert not report["supported"] and report["marked"] == 0
        assert report["grown_kib"] > 10_000
    # Objects made after the marking are counted as before.
    assert report["later_counts"][1] == report["later_counts"][0] + 1


@pytest.mark.parametrize("python", newer_pythons() or [None])
def test_immortal_objects_stay_shared_with_the_session(python):
    if python is None:
        pytest.skip("no CPython 3.12 or 3.13 on this machine to run the marking on")
    plain, marked = run_template(python, "plain"), run_template(python, "mark")
    for report in (plain, marked):
        check_the_session_still_works(report)
    assert marked["supported"] and marked["marked"] > 200_000
    assert plain["grown_kib"] > 10_000, plain
    # Reading every object no longer copies its page: what grows is the session's own
    # change and the interpreter's bookkeeping, under a tenth of the unmarked cost.
    assert marked["grown_kib"] < plain["grown_kib"] / 10, (plain, marked)
    assert marked["later_counts"][1] == marked["later_counts"][0] + 1

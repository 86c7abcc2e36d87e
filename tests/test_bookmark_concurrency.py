"""Several sessions of one user writing at once lose nothing; a killed one loses nothing."""

from __future__ import annotations

import multiprocessing
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import support_bookmarks
from partner_tui.tui.state.bookmark_store import BookmarkStore
from support_bookmarks import SHARED_KEPT, SHARED_TOGGLED, churn, own_ids

pytestmark = pytest.mark.e2e  # starts several real processes at once

WORKERS = 8


def test_eight_processes_adding_and_removing_at_once_end_with_the_expected_set(tmp_path):
    path = tmp_path / "users" / "alice" / "bookmarks.db"
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    results = context.Queue()
    workers = [
        context.Process(target=churn, args=(str(path), worker, start, results))
        for worker in range(WORKERS)
    ]
    for process in workers:
        process.start()
    start.set()  # let every process write from the same moment
    turned_on = dict(results.get(timeout=120) for _ in workers)
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0

    expected = {
        section_id
        for worker in range(WORKERS)
        for n, section_id in enumerate(own_ids(worker))
        if n % 2 == 0
    } | set(SHARED_KEPT)
    with BookmarkStore.at(path) as store:
        bookmarks = store.list()
        assert store.warnings == []
    ids = [b.section_id for b in bookmarks]
    assert len(ids) == len(set(ids))  # no duplicates
    assert set(ids) == expected
    # Every process tagged every shared bookmark: no tag update was lost.
    for bookmark in bookmarks:
        if bookmark.section_id in SHARED_KEPT:
            assert set(bookmark.tags) == {f"w{worker}" for worker in range(WORKERS)}
        else:
            assert bookmark.note == f"note by {bookmark.section_id.split('/')[0].split('-')[1]}"
    # Toggles are atomic: 16 toggles of each id turned it on exactly 8 times.
    assert sum(turned_on.values()) == WORKERS * len(SHARED_TOGGLED)


def test_bookmarks_added_before_a_kill_9_are_all_there(tmp_path):
    path = tmp_path / "users" / "alice" / "bookmarks.db"
    child = subprocess.Popen(
        [sys.executable, str(Path(support_bookmarks.__file__)), str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        confirmed = [child.stdout.readline().strip() for _ in range(40)]
    finally:
        child.send_signal(signal.SIGKILL)  # no clean exit, no close, no checkpoint
        child.wait(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    with BookmarkStore.at(path) as store:
        assert store.warnings == []  # the file is intact, nothing moved aside
        kept = store.ids()
        assert set(confirmed) <= kept
        assert all(store.get(i).note == "written before the kill" for i in confirmed)

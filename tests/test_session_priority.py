"""A served session gives way to sessions still starting once its first screen is up:
its scheduling priority drops (nice, and the nice of its terminal session's autogroup),
never in a session the user started themselves. Run in child processes: a process can
lower its priority but never raise it back."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from partner_tui.tui.session_priority import SERVED_MARKER, SETTLED_NICE

PROBE = """
import json, os
from pathlib import Path
from partner_tui.tui.session_priority import yield_to_starting_sessions

def now():
    group = Path("/proc/self/autogroup")
    nice = int(group.read_text().split()[-1]) if group.exists() else None
    return {"nice": os.getpriority(os.PRIO_PROCESS, 0), "autogroup": nice}

before = now()
done = yield_to_starting_sessions()
print(json.dumps({"before": before, "done": done, "after": now()}))
"""

pytestmark = pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX priorities")


def probe(served: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != SERVED_MARKER}
    if served:
        env[SERVED_MARKER] = "1"
    # A terminal session of its own, as every served session is (so its own autogroup).
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        start_new_session=True,
    )
    return json.loads(result.stdout)


def test_a_served_session_lowers_its_priority_and_its_groups():
    seen = probe(served=True)
    before, after = seen["before"], seen["after"]
    assert seen["done"] is True
    assert after["nice"] == max(before["nice"], SETTLED_NICE)
    if before["autogroup"] is not None:  # Linux with autogroups
        assert after["autogroup"] == max(before["autogroup"], SETTLED_NICE)


def test_a_session_started_by_its_user_keeps_its_priority():
    seen = probe(served=False)
    assert seen["done"] is False
    assert seen["after"] == seen["before"]

"""A session served by `partner-tui serve` gives way, once it is on screen, to sessions
still starting.

Twenty people connecting together each wait for their first screen while the sessions
already drawn carry on with their own start-up (opening the search index, the bookmarks,
the corpus watcher, a second frame) and with the keys their users type. On 2 cores that
later work took a quarter of the CPU of the window in which the last first screen was
still being drawn. Once its first screen is up, a served session lowers its scheduling
priority (nice), so the kernel runs the sessions still starting first; all sessions end
up at the same priority, so between themselves nothing changes once the crowd is in.
A session can only lower its priority, never raise it back.

Linux groups each terminal session (and so each SSH session, a session leader on its own
pty) into a scheduling group of its own ("autogroup"), whose weight ignores the nice
values inside it; the group's own nice is set through /proc/self/autogroup. Without
autogroups the nice of the session's processes and threads does the same.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

SERVED_MARKER = "PARTNER_TUI_SERVED"  # set by `partner-tui serve` for its sessions
SETTLED_NICE = 10  # CPU weight 110 against a starting session's 1024


def yield_to_starting_sessions(environ: Mapping[str, str] = os.environ) -> bool:
    """Lower this session's priority if it is one that `serve` started; True if done."""
    if not environ.get(SERVED_MARKER):
        return False
    lowered = False
    try:
        with open("/proc/self/autogroup", "r+") as autogroup:
            now = int(autogroup.read().rsplit("nice", 1)[1])  # "/autogroup-123 nice 0"
            if now < SETTLED_NICE:  # never raise it (and only root could)
                autogroup.seek(0)
                autogroup.write(str(SETTLED_NICE))
        lowered = True
    except (OSError, ValueError, IndexError):  # not Linux, or no autogroups here
        pass
    try:
        # Every thread of the session's process group (the app's, its workers').
        os.setpriority(os.PRIO_PGRP, 0, max(SETTLED_NICE, os.getpriority(os.PRIO_PGRP, 0)))
        lowered = True
    except (OSError, AttributeError):
        pass
    return lowered

"""`partner-tui index --watch`: keep a corpus's index current for a shared server.

Every change to the briefing files becomes a new index version (only changed files are
re-indexed); processes searching the corpus pick it up when they next open it. Ctrl-C
stops cleanly: an update under way finishes or leaves the previous version in place.
"""

from __future__ import annotations

import time

from partner_tui.search.corpus import CorpusError
from partner_tui.search.corpus_watch import POLL_SECONDS, CorpusWatch
from partner_tui.search.engine import Engine
from partner_tui.tui.cli.index_progress import progress_on_terminal
from partner_tui.tui.state.errors import warn


def watch(engine: Engine) -> int:
    corpus = CorpusWatch(engine.corpus.root)
    print(f"Watching {engine.corpus.root} for changes (Ctrl-C stops).", flush=True)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            if not corpus.changed():
                continue
            try:
                with progress_on_terminal(engine):
                    change = engine.refresh()
            except CorpusError as error:
                warn(f"{error}; keeping the previous index")
                continue
            if change:
                sections = sum(len(b.sections) for b in engine.briefings)
                print(
                    f"Updated the index: {len(change.added)} added, {len(change.changed)} "
                    f"changed, {len(change.removed)} removed ({sections} sections)",
                    flush=True,
                )
    except KeyboardInterrupt:
        print("Stopped watching.", flush=True)
        return 0
    finally:
        engine.close()

"""Open the engine the way every command does: corpus and cache from flags or env."""

from __future__ import annotations

import argparse
import gc

from partner_tui.search.corpus import CorpusError
from partner_tui.search.corpus_warnings import summarise
from partner_tui.search.engine import Engine, UnknownSection
from partner_tui.search.model import Section
from partner_tui.tui.cli.index_progress import progress_on_terminal
from partner_tui.tui.state.errors import CliError, warn


def open_engine(
    args: argparse.Namespace, rebuild: bool = False, quiet: bool = False, index: bool = False
) -> Engine:
    """`index`: open the search index now, so its warnings are printed with the corpus's
    (commands that only read sections leave it closed and start faster)."""
    # Paused until the corpus's objects are frozen: the corpus load pauses the collector
    # too, but the first object made after it resumed started a pass over every object
    # the load made, all still in the youngest generation (~40 ms at 10k sections).
    collecting = gc.isenabled()
    gc.disable()
    try:
        engine = Engine.open(getattr(args, "corpus", None), rebuild=rebuild)
    except CorpusError as error:
        raise CliError(str(error)) from None
    finally:
        # What the corpus made lives as long as the process: out of the collector's
        # sight, which would otherwise walk its ~100k objects at its next passes (a
        # third of a cold `pillars` at 10k sections). Once, at start, before the app.
        gc.freeze()
        if collecting:
            gc.enable()
    if index or rebuild:
        with progress_on_terminal(engine):
            engine.warm_up()
    if not quiet:
        for message in summarise(engine.warnings, getattr(args, "verbose", False)):
            warn(message)
    return engine


def section_or_error(engine: Engine, section_id: str) -> Section:
    """The section, or the usage error every command gives for an unknown id."""
    try:
        return engine.section(section_id)
    except UnknownSection:
        raise CliError(
            f"no section with id {section_id!r} (list them with `partner-tui pillars`)"
        ) from None

"""`partner-tui` with no command: check the terminal, gather the app's inputs, run it.

Imports of Textual happen inside `run`, so building the CLI parser stays light.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING

from partner_tui.tui.state.errors import CliError, warn

if TYPE_CHECKING:
    from partner_tui.search.engine import Engine

NOT_A_TERMINAL_ADVICE = (
    "the explorer needs an interactive terminal, and {reason}.\n"
    "  Over SSH, ask for one: ssh -t HOST partner-tui\n"
    "  In scripts and pipes, use the commands instead: partner-tui search WORDS, "
    "partner-tui show SECTION_ID, partner-tui pillars (add --json for machines)."
)


def terminal_problem(environ: Mapping[str, str] = os.environ) -> str | None:
    """Why the explorer must not draw here, or None when stdin and stdout are a terminal."""
    term = environ.get("TERM", "")
    if not _isatty(sys.stdin):
        return "standard input is not a terminal"
    if not _isatty(sys.stdout):
        return "standard output is not a terminal (is it piped or redirected?)"
    if not term:
        return "TERM is not set"
    if term == "dumb":
        return "TERM=dumb cannot show it"
    return None


def forget_inherited_size(environ: MutableMapping[str, str] = os.environ) -> None:
    """Textual prefers COLUMNS/LINES over the terminal's real size, so an exported pair
    (from a shell profile, or a parent process) would freeze the layout and ignore every
    resize: the pty must decide."""
    environ.pop("COLUMNS", None)
    environ.pop("LINES", None)


def _isatty(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed or detached stream
        return False


def run(args: argparse.Namespace, engine: Engine | None = None) -> int:
    """`engine`: one already open over the corpus (a session forked from `serve`'s
    preloaded template); by default the corpus is read here."""
    problem = terminal_problem()
    if problem:
        raise CliError(NOT_A_TERMINAL_ADVICE.format(reason=problem))
    forget_inherited_size()
    # Until the first screen is drawn nearly everything made lives as long as the app
    # (modules, sections, widgets, styles): the collector's passes over it found little
    # and cost some 60 ms of start-up. The app turns it back on (see PartnerApp).
    gc.disable()

    from partner_tui.tui.cli.engine_loading import open_engine
    from partner_tui.tui.state.locations import IdentityError, current_user, user_dir
    from partner_tui.tui.state.preferences import PreferencesStore

    try:
        user = current_user(getattr(args, "user", None))
    except IdentityError as error:
        raise CliError(str(error)) from None
    themes, theme_warnings = _themes()
    wanted = getattr(args, "theme", None)
    names = sorted({theme.name for theme in themes} | set(_textual_theme_names()))
    if wanted and themes and wanted not in names:
        raise CliError(f"unknown theme {wanted!r}; choose one of: {', '.join(names)}")
    # The corpus only: the app opens the index in a worker once its first screen is up.
    if engine is None:
        engine = open_engine(args, quiet=True)
    store = PreferencesStore(user_dir(user, getattr(args, "data_dir", None)))
    # Shown inside the app (the full screen would hide them on stderr) and again after it.
    from partner_tui.search.corpus_warnings import summarise

    verbose = getattr(args, "verbose", False)
    warnings = [*summarise(engine.warnings, verbose), *theme_warnings]
    bookmarks, bookmarks_off = _open_bookmarks(user, getattr(args, "data_dir", None))
    if bookmarks_off:
        warnings.append(f"bookmarks are off for this session: {bookmarks_off}")

    from partner_tui.tui.app import PartnerApp

    app = PartnerApp(
        engine,
        store,
        user=user,
        themes=themes or None,
        theme=wanted,
        warnings=warnings,
        watch_terminal=True,
        own_process=True,
        bookmarks=bookmarks,
        bookmarks_off=bookmarks_off,
    )
    # Modules, sections, themes: all of it lives as long as this process. Frozen, the
    # garbage collector's full passes during start-up and later skip it (start-up ran one
    # of ~25 ms over these objects alone).
    gc.freeze()
    try:
        app.run(mouse=not getattr(args, "no_mouse", False))
    finally:
        gc.enable()  # in case the app ended before its first screen
        engine.close()
        if bookmarks is not None:
            bookmarks.close()  # the app closes it too; this covers a failed start
    warnings.extend(engine.index_warnings)  # the app opened the index after its start
    if bookmarks is not None:  # `is not None`: an empty store is falsy (it has a length)
        warnings.extend(bookmarks.warnings)
    if terminal_problem() is None:  # not after a hang-up: there is nobody to read them
        for message in warnings:
            warn(message)
    return app.return_code or 0


def _open_bookmarks(user: str, data_dir: str | None):
    """The user's bookmark store, or None and why not: the explorer still runs without."""
    from partner_tui.tui.state.bookmark_store import BookmarkStore, BookmarkStoreError

    try:
        return BookmarkStore.open(user, data_dir), None
    except (BookmarkStoreError, OSError) as error:
        return None, str(error)


def _textual_theme_names() -> list[str]:
    """Textual's own themes, which the palette offers too (nord, gruvbox, …)."""
    from textual.theme import BUILTIN_THEMES

    return list(BUILTIN_THEMES)


def _themes() -> tuple[list, list[str]]:
    try:
        from partner_tui.themes.catalog import load_themes
    except ImportError:
        return [], []
    from partner_tui.tui.state.locations import config_dir

    return load_themes(config_dir())

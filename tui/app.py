"""PartnerApp: the explorer that `partner-tui` opens.

Everything it reads comes in through the constructor (engine, preferences store, user,
themes), so tests build it directly and widgets never do I/O. The app owns user state:
it saves preferences when a section is opened and when the theme changes, not only at
exit, so a dropped SSH connection loses nothing.

Hooks for other parts:
- `bookmarked_ids`: the set of bookmarked section ids. Assign a new frozenset whenever
  the bookmark store changes; the pillars tree and results list mark those sections.
- `current_section_id`: the section being read (None before the first one opens).
- `open_section(section_id)`: jump to a section as if chosen by the reader.

Bookmarks: the launcher opens the user's BookmarkStore and passes it in (None when it
could not be opened: the app then runs with bookmarks off and says why); the bookmark keys
live in BookmarkKeys (app_bookmarks.py), the theme catalog's loading in app_themes.py.
"""

from __future__ import annotations

import base64
import gc
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from partner_tui.search.engine import Engine
from partner_tui.tui.app_api import PartnerAppAPI
from partner_tui.tui.app_bookmarks import BookmarkKeys
from partner_tui.tui.app_themes import register_themes
from partner_tui.tui.hang_up import HangUpGuard
from partner_tui.tui.library_sync import LibrarySync
from partner_tui.tui.messages import IndexProgress, IndexReady, LibraryChanged
from partner_tui.tui.no_color import replace_greyscale_filter
from partner_tui.tui.providers.bookmarks import BookmarksProvider
from partner_tui.tui.providers.key_commands import bindings_of, palette_commands
from partner_tui.tui.providers.sections import SectionsProvider
from partner_tui.tui.providers.themes import ThemesProvider
from partner_tui.tui.remote_guard import RemoteGuard, served_remotely
from partner_tui.tui.screens.explorer import ExplorerScreen
from partner_tui.tui.session_priority import yield_to_starting_sessions
from partner_tui.tui.state.bookmark_keeper import BookmarkKeeper
from partner_tui.tui.state.bookmark_store import BookmarkStore
from partner_tui.tui.state.preferences import Preferences, PreferencesStore
from partner_tui.tui.state.reading_positions import ReadingPositions
from partner_tui.tui.state.search_history import SearchHistory
from partner_tui.tui.state.visits import Visits
from partner_tui.tui.store_work import PreferencesWriter, StoreWork
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

BOOKMARK_POLL_SECONDS = 1.0


class PartnerApp(BookmarkKeys, RemoteGuard, App[int]):
    TITLE = "partner-tui"
    COMMANDS = App.COMMANDS | {
        SectionsProvider,
        BookmarksProvider,
        ThemesProvider,
    }
    BINDINGS = [
        Binding("q", "quit", "Quit", show=False, tooltip="quit (you come back to the same place)"),
        Binding("question_mark,f1", "help", "Help", key_display="?", tooltip="every key"),
    ]
    # Without colour (NO_COLOR), hits keep only their text style: the current hit reverse,
    # the others bold + underline on the page's own background, never two close greys.
    CSS = """
    PartnerApp.-no-color ReadingView > .reading-view--hit,
    PartnerApp.-no-color ResultsList > .results-list--match {
        color: $foreground;
        background: $surface;
    }
    PartnerApp.-no-color ReadingView > .reading-view--current-hit {
        color: $surface;
        background: $foreground;
    }
    """

    def __init__(
        self,
        engine: Engine,
        preferences_store: PreferencesStore,
        *,
        user: str = "",
        themes: Iterable[Theme] | None = None,
        theme: str | None = None,
        warnings: Iterable[str] = (),
        watch_terminal: bool = False,
        bookmarks: BookmarkStore | None = None,
        bookmarks_off: str | None = None,
        own_process: bool = False,
        watch_corpus: bool = True,
    ) -> None:
        """`theme` (from --theme) beats the saved preference; `watch_terminal` ends the app
        on hang-up or when its terminal is gone (the launcher sets it, tests don't).
        `own_process`: the app is the process's only work (the launcher), so it may tune
        the garbage collector for it.
        `bookmarks` is the user's open store (the app closes it when it ends), or None
        with `bookmarks_off` saying why. `watch_corpus`: notice briefing files changing
        while the app runs (see LibrarySync)."""
        self._theme_variables: dict[str, str] = {}
        self._saving_enabled = False
        self._save_failure_shown = False
        super().__init__()
        self.remote = served_remotely()  # over SSH: no screenshots or other file writes
        self.engine = engine
        self.preferences_store = preferences_store
        self.user = user
        self.preferences: Preferences = preferences_store.load()
        self.startup_warnings = [*warnings, *preferences_store.warnings]
        if bookmarks is not None:
            self.startup_warnings.extend(bookmarks.warnings)
        self.store_work = StoreWork(self)
        self._preferences_writer = PreferencesWriter(
            preferences_store, self.store_work, self._preferences_not_saved
        )
        self.bookmarks = BookmarkKeeper(
            bookmarks,
            self.store_work.on_loop(self._bookmark_problem),
            self.store_work.on_loop(self._bookmarks_changed),
            bookmarks_off,
        )
        self.library = LibrarySync(self, engine)
        self._watch_corpus = watch_corpus
        self._watch_terminal = watch_terminal
        self._own_process = own_process
        registered = register_themes(self, themes)
        self.startup_warnings.extend(registered.warnings)
        if registered.variables is not None:
            self._theme_variables = registered.variables
        default = registered.default
        known = set(self.available_themes)
        chosen = next((t for t in (theme, self.preferences.theme) if t and t in known), default)
        self.theme = chosen
        if self.no_color:
            replace_greyscale_filter(self._filters, self.ansi_theme_dark)
            self.add_class("-no-color")
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # Instant scrolling: over SSH an animated jump is dozens of redraws.
            self.animation_level = "none"
        self.visits = Visits(self.preferences.history)
        self.positions = ReadingPositions(self.preferences.reading_positions)
        self.search_history = SearchHistory(self.preferences.search_history)
        self.visits.drop_unknown({s.id for b in engine.briefings for s in b.sections})

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **self._theme_variables}

    # -- lifecycle -----------------------------------------------------------------------
    async def on_mount(self) -> None:
        explorer = ExplorerScreen(
            self.engine,
            self.visits,
            self.positions,
            self.search_history,
            navigator_delta=self.preferences.navigator_delta,
            zoomed=self.preferences.reading_zoomed,
        )
        if self._watch_terminal:
            HangUpGuard(self).install()
        await self.push_screen(explorer)
        self._resume()
        self.engine.progress = self.library.report_progress

    def _after_first_screen(self) -> None:
        """Bookmarks, index and watcher once the first screen is drawn: their threads
        would otherwise take turns with it for the interpreter."""
        if self._own_process:  # the launcher paused the collector for the start-up
            gc.freeze()
            gc.enable()
            yield_to_starting_sessions()  # served by `partner-tui serve`: first screens first
        self.store_work.run(self.bookmarks.load, "bookmarks")
        # Other sessions' changes: nothing to look for before the bookmarks are loaded (a
        # poll is a worker thread, which a crowd of sessions starting could not spare).
        self.set_interval(BOOKMARK_POLL_SECONDS, self._poll_bookmarks)
        self._open_index()
        if self._watch_corpus:
            self.library.start_watching()

    @work(thread=True, exit_on_error=False, group="index")
    def _open_index(self) -> None:
        """Open the search index beside the first screen, not before it: the tree and the
        reading view need only the corpus, and a search typed meanwhile waits for this."""
        try:
            self.engine.warm_up()
        except Exception as error:  # searches will say so too; never a traceback
            self.post_message(IndexReady([f"The search index could not be opened: {error}"]))
            return
        self.post_message(IndexReady(self.engine.index_warnings))

    @on(IndexProgress)
    def _index_progress(self, message: IndexProgress) -> None:
        self.explorer.show_index_progress(message.done, message.total)

    @on(LibraryChanged)
    def _library_changed(self, message: LibraryChanged) -> None:
        self.visits.drop_unknown({s.id for b in self.engine.briefings for s in b.sections})
        self.explorer.library_changed(message.change)

    @on(IndexReady)
    def _index_ready(self, message: IndexReady) -> None:
        self.explorer.show_index_progress(None, None)
        for warning in message.warnings:
            self.notify(warning, severity="warning", timeout=8, markup=False)
        if self._own_process:
            # What start-up made (sections, tree nodes, the index, widgets) lives as long
            # as the app. A full collection walks all of it (60 ms at 10k sections, with
            # the event loop held mid-search); frozen, it is left out of those passes.
            gc.freeze()

    def on_app_focus(self, event: events.AppFocus) -> None:
        self._poll_bookmarks()  # back from another window, maybe another session

    def on_unmount(self) -> None:
        self.library.stop()
        self.preferences.reading_positions = self.positions.as_dict()
        # Where the open section was left, for the next launch: asked for before `finish`,
        # which runs it if its worker never started (asked for after, it was lost when
        # the app ended first: a SIGTERM under load left no preferences file).
        self.save_preferences()
        self.store_work.finish()  # a bookmark or preference write under way is kept
        self.bookmarks.close()

    def _resume(self) -> None:
        """Reopen the section read last time, or the very first section."""
        last = self.preferences.last_section
        if not (last and self.engine.has_section(last)):
            last = self.engine.briefings[0].sections[0].id
        self._saving_enabled = True
        self.explorer.open_section(last, record=self.visits.current != last)
        self.call_after_refresh(self._after_first_screen)
        for message in self.startup_warnings:  # on the explorer, so they show
            self.notify(message, severity="warning", timeout=8, markup=False)

    # -- state the explorer reports ------------------------------------------------------
    def open_section(self, section_id: str) -> None:
        self._back_to_explorer()
        self.explorer.open_section(section_id)

    def section_opened(
        self, section_id: str, history: list[str], positions: dict[str, int] | None = None
    ) -> None:
        self.current_section_id = section_id
        self.preferences.last_section = section_id
        self.preferences.history = list(history)
        if positions is not None:
            self.preferences.reading_positions = positions
        self.save_preferences()

    def remember_layout(self, navigator_delta: int, zoomed: bool) -> None:
        self.preferences.navigator_delta = navigator_delta
        self.preferences.reading_zoomed = zoomed
        self.save_preferences()

    def remember_searches(self, searches: list[str]) -> None:
        if self.preferences.search_history != searches:
            self.preferences.search_history = list(searches)
            self.save_preferences()

    def get_system_commands(self, screen: Screen) -> Iterator[SystemCommand]:
        """Textual's own commands, less its theme switcher (the palette lists every theme
        as "Theme: …" already) and its key panel (help is `?`), then every action of the
        screen's keys, read from its bindings."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Theme", "Keys"):
                yield command

        def enabled(action: str) -> bool:
            return action.startswith("app.") or screen.check_action(action, ()) is not False

        def run(action: str) -> None:
            self.call_later(screen.run_action, action)

        app_bindings = [replace(b, action=f"app.{b.action}") for b in bindings_of(self.BINDINGS)]
        yield from palette_commands([*screen.BINDINGS, *app_bindings], run, enabled)

    def watch_theme(self, theme: str) -> None:
        if self.preferences.theme != theme:
            self.preferences.theme = theme
            self.save_preferences()

    def save_preferences(self) -> None:
        """Save in a worker (the write fsyncs); the event loop goes on at once."""
        if not self._saving_enabled:
            return
        self._preferences_writer.save(self.preferences)

    def _preferences_not_saved(self, error: str) -> None:
        """Told by the preferences writer when a save failed."""
        if not self._save_failure_shown:  # once, not on every section opened
            self._save_failure_shown = True
            message = f"Could not save preferences: {error}"
            self.notify(message, severity="error", timeout=10, markup=False)

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52 as Textual sends it, and again wrapped for tmux, which by default passes
        on only wrapped sequences (with `allow-passthrough on`)."""
        super().copy_to_clipboard(text)
        if os.environ.get("TMUX"):
            encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
            self.send_to_terminal(f"\x1bPtmux;\x1b\x1b]52;c;{encoded}\x07\x1b\\")

    def send_to_terminal(self, sequence: str) -> None:
        """Write an escape sequence straight to the terminal (nothing when there is none)."""
        if self._driver is not None:
            self._driver.write(sequence)

    # -- actions -------------------------------------------------------------------------
    def action_help(self) -> None:
        from partner_tui.tui.screens.help import HelpScreen  # on first need only

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


if TYPE_CHECKING:

    def _keeps_the_api(app: PartnerApp) -> PartnerAppAPI:
        return app  # mypy fails here if PartnerApp breaks a promise of PartnerAppAPI

"""The live search as state: the query, its generations, the typing pause, the enter intent.

Plain Python (no Textual), so its rules are tested directly: the screen hands in how to
schedule a delayed call and how to start a search, and asks this object what to do when a
key is typed, when enter is pressed and when a search finishes.

- Every change of query is a new *generation*; a finished search whose generation is not
  the newest is stale and must not reach the screen.
- Typing waits `debounce` seconds before searching, so a burst of keys is one search.
- Enter before the search for what was typed has finished is an *intent*: the top result
  is opened once that search is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

DEBOUNCE_SECONDS = 0.15

Cancel = Callable[[], object]
Schedule = Callable[[float, Callable[[], None]], Cancel]
StartSearch = Callable[[int, str], None]


class SearchSession:
    def __init__(
        self, schedule: Schedule, start: StartSearch, debounce: float | None = None
    ) -> None:
        self._schedule = schedule
        self._start = start
        # Read when the session starts, so a benchmark can set the module's value.
        self._debounce = DEBOUNCE_SECONDS if debounce is None else debounce
        self._cancel_pending: Cancel | None = None
        self.query = ""
        self.generation = 0
        """Of the newest search asked for."""
        self.shown_generation = 0
        """Of the search whose results are on screen."""
        self.open_top_result = False
        """Enter came before the search it was typed for: open its top result when done."""

    @property
    def active(self) -> bool:
        return bool(self.query)

    @property
    def waiting(self) -> bool:
        """A search for the current query is still to start or to finish."""
        return self._cancel_pending is not None or self.shown_generation != self.generation

    def typed(self, text: str) -> bool:
        """The bar's text changed. False when it is the query already (a value set by the
        screen itself, or only spaces added): nothing to do."""
        if text.strip() == self.query:
            return False
        self.open_top_result = False
        self.set_query(text, debounce=True)
        return True

    def set_query(self, text: str, debounce: bool = True) -> bool:
        """Search for `text`, after the typing pause when `debounce`. Returns False when the
        text is empty: the search has ended and the screen shows no results."""
        self.query = text.strip()
        self.generation += 1
        self._cancel()
        if not self.query:
            self.shown_generation = self.generation
            return False
        generation = self.generation
        if debounce:
            self._cancel_pending = self._schedule(
                self._debounce, lambda: self._start_now(generation)
            )
        else:
            self._start(generation, self.query)
        return True

    def submit(self, text: str) -> bool:
        """Enter in the bar. True: the results on screen are for this text, open the top
        one now. False: it will be opened when its search finishes (`finished`)."""
        if self._cancel_pending is not None:
            self.open_top_result = True
            self.set_query(text, debounce=False)
            return False
        if self.shown_generation != self.generation:
            self.open_top_result = True
            return False
        return True

    def finished(self, generation: int) -> bool:
        """A search finished: True when it is the newest (show it), False when stale."""
        if generation != self.generation:
            return False
        self.shown_generation = generation
        return True

    def take_open_top(self) -> bool:
        """Whether enter is waiting for this search; asking clears the intent."""
        wanted, self.open_top_result = self.open_top_result, False
        return wanted

    def _start_now(self, generation: int) -> None:
        self._cancel_pending = None
        if generation == self.generation:
            self._start(generation, self.query)

    def _cancel(self) -> None:
        if self._cancel_pending is not None:
            self._cancel_pending()
            self._cancel_pending = None

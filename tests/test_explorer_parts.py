"""The explorer's parts that need no screen: search session, n/N stepping, search history,
reading positions, pane widths, pasted text, the position line."""

from __future__ import annotations

from partner_tui.tui.screens.hit_stepping import HitStep, step_hit
from partner_tui.tui.screens.search_session import SearchSession
from partner_tui.tui.state.reading_positions import POSITIONS_LIMIT, ReadingPositions
from partner_tui.tui.state.search_history import SEARCH_HISTORY_LIMIT, SearchHistory
from partner_tui.tui.widgets.explorer_panes import READING_MIN, navigator_width
from partner_tui.tui.widgets.reading_header import position_text
from partner_tui.tui.widgets.search_bar import one_line


class FakeClock:
    """Delayed calls that run only when the test says time has passed."""

    def __init__(self) -> None:
        self.pending: list = []

    def schedule(self, delay, call):
        entry = [call]
        self.pending.append(entry)
        return lambda: entry.clear()

    def run_due(self) -> None:
        due, self.pending = self.pending, []
        for entry in due:
            for call in entry:
                call()


def session():
    clock, started = FakeClock(), []
    return SearchSession(clock.schedule, lambda g, q: started.append((g, q))), clock, started


def test_typing_waits_for_the_pause_and_a_burst_is_one_search():
    search, clock, started = session()
    for text in ("k", "ke", "kel", "kelp"):
        assert search.typed(text)
    assert started == []
    clock.run_due()
    assert started == [(4, "kelp")]


def test_a_stale_search_is_not_shown_and_the_newest_is():
    search, clock, started = session()
    search.set_query("kelp", debounce=False)
    search.set_query("apple", debounce=False)
    assert not search.finished(1)
    assert search.finished(2) and not search.waiting


def test_enter_before_the_search_finishes_opens_its_top_result_when_it_does():
    search, clock, started = session()
    search.typed("kelp")
    assert not search.submit("kelp")  # the typing pause is cut short: searches now
    assert started == [(2, "kelp")]  # a generation of its own
    clock.run_due()  # the cancelled pause starts nothing more
    assert started == [(2, "kelp")]
    assert not search.finished(1)
    assert search.finished(2) and search.take_open_top() and not search.take_open_top()


def test_enter_with_the_results_on_screen_opens_at_once_and_typing_cancels_the_intent():
    search, clock, started = session()
    search.set_query("kelp", debounce=False)
    search.finished(1)
    assert search.submit("kelp")
    search.set_query("apple", debounce=False)
    assert not search.submit("apple")  # still running: an intent
    search.typed("apples")
    assert not search.open_top_result


def test_clearing_the_query_ends_the_search_and_spaces_change_nothing():
    search, clock, started = session()
    search.typed("kelp")
    assert not search.typed("kelp  ")
    search.typed("")
    clock.run_due()
    assert started == [] and not search.active and not search.waiting


def test_hits_step_within_the_section_then_on_to_the_next_result():
    ids = ["a", "b", "c"]
    assert step_hit(3, 0, 1, ids, "a") == HitStep(hit=1)
    assert step_hit(3, 2, 1, ids, "a") == HitStep(section="b")
    assert step_hit(3, 0, -1, ids, "b") == HitStep(section="a", last=True)
    assert step_hit(2, 1, 1, ids, "c") == HitStep(section="a", wrapped=True)
    assert step_hit(2, 0, -1, ids, "a") == HitStep(section="c", last=True, wrapped=True)


def test_stepping_from_outside_the_results_and_with_nothing_found():
    assert step_hit(0, None, 1, ["a", "b"], "x") == HitStep(section="a")
    assert step_hit(0, None, -1, ["a", "b"], "x") == HitStep(section="b", last=True)
    assert step_hit(0, None, 1, [], "x") == HitStep()
    assert step_hit(3, 2, 1, ["a"], "a") == HitStep(hit=0, wrapped=True)  # one result


def test_search_history_walks_back_and_forward_and_gives_back_the_draft():
    history = SearchHistory(["kelp", "apple"])
    assert history.older("draft") == "apple"
    assert history.older("apple") == "kelp"
    assert history.older("kelp") is None
    assert history.newer() == "apple"
    assert history.newer() == "draft"
    assert history.newer() is None


def test_search_history_keeps_one_copy_of_each_bounded_and_on_one_line():
    history = SearchHistory()
    for number in range(SEARCH_HISTORY_LIMIT + 10):
        history.add(f"q{number}")
    history.add("q20")
    history.add("two\nlines")
    assert len(history.entries) == SEARCH_HISTORY_LIMIT
    assert history.entries[-2:] == ["q20", "two lines"] and history.entries.count("q20") == 1
    assert not history.add("   ")


def test_reading_positions_are_bounded_and_forget_the_oldest():
    positions = ReadingPositions({"x": 5, "bad": -1, "worse": "7"})  # type: ignore[dict-item]
    assert positions.get("x") == 5 and positions.get("bad") == 0 and positions.get("worse") == 0
    for number in range(POSITIONS_LIMIT):
        positions.set(f"s{number}", number + 1)
    assert positions.get("x") == 0 and positions.get("s1") == 2
    positions.set("s1", 0)
    assert "s1" not in positions.as_dict()


def test_the_navigator_fits_its_titles_and_leaves_the_reading_view_room():
    assert navigator_width(120, 64) == 64  # every title whole at 120 columns
    assert 80 - navigator_width(80, 64) >= READING_MIN
    assert navigator_width(200, 64) == 64  # no wider than needed
    assert navigator_width(120, 64, delta=8) == 72
    assert navigator_width(120, 64, delta=-400) == 22
    assert navigator_width(120, 64, delta=400) == 120 - 22


def test_a_multi_line_paste_becomes_one_line():
    assert one_line("digital\ntalent\r\n  growth") == "digital talent growth"
    assert one_line("as  typed") == "as  typed"


def test_the_position_line_says_bookmark_state_lines_and_percentage():
    assert position_text(1, 20, 80, False).plain == "not bookmarked · lines 1–20 of 80 · 25%"
    assert position_text(61, 80, 80, True).plain == "★ bookmarked · lines 61–80 of 80 · end"
    assert position_text(1, 5, 5, False).plain.endswith("· all")

"""One or two lines above the results: how many matched, a did-you-mean, or why none did."""

from __future__ import annotations

from partner_tui.search.outcome import SearchOutcome
from partner_tui.tui.widgets.quiet_static import QuietStatic
from rich.text import Text


def summary_text(outcome: SearchOutcome | None, accept_key: str) -> Text:
    """What to say about a search outcome (None: nothing is being searched)."""
    if outcome is None:
        return Text("Type to search all briefings.", style="italic")
    if outcome.refused:
        return Text(f"Not searched: {outcome.refused}.", style="bold")
    text = Text()
    if outcome.total:
        shown = len(outcome.hits)
        text.append(f"{outcome.total} section{'s' if outcome.total != 1 else ''}", style="bold")
        text.append(" match" if outcome.total != 1 else " matches")
        if shown < outcome.total:
            text.append(f" (top {shown} shown)")
    else:
        text.append("No sections match ", style="bold")
        text.append(outcome.query, style="bold")
        text.append(". Try fewer words, a prefix like digi*, or word~ for typos.")
    if outcome.fell_back:
        text.append("\nRead literally: the query's operators did not parse.", style="italic")
    if outcome.suggestion:
        text.append("\nDid you mean ")
        text.append(outcome.suggestion, style="bold underline")
        text.append(f"? Press {accept_key} to search it.")
    return text


class SearchSummary(QuietStatic):
    DEFAULT_CSS = """
    SearchSummary {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def show_outcome(self, outcome: SearchOutcome | None, accept_key: str) -> None:
        self.show_text(summary_text(outcome, accept_key))

    def show_error(self, message: str) -> None:
        self.show_text(Text(message, style="bold"))

"""Above the reading view: the breadcrumb (briefing › pillar › section) and the hit counter."""

from __future__ import annotations

from partner_tui.search.model import Section
from rich.text import Text
from textual.widgets import Static

SEPARATOR = " › "


def breadcrumb_text(section: Section) -> Text:
    text = Text(section.briefing_title, style="italic")
    for number, part in enumerate(section.path, 1):
        text.append(SEPARATOR)
        text.append(part, style="bold" if number == len(section.path) else "")
    return text


def counter_text(
    query: str, current: int | None, hits: int | None, result: int | None, results: int
) -> Text:
    """'hit 3 of 12 · result 2 of 20', or what to do when there is nothing to step through.

    `hits` is None while the matches of a long section are still being found."""
    if not query:
        return Text("Press / to search; matches are highlighted here.", style="italic")
    text = Text()
    if hits is None:
        text.append("finding matches in this section…", style="italic")
    elif hits:
        text.append(f"hit {(current or 0) + 1} of {hits}", style="bold")
    else:
        text.append("no hits in this section", style="italic")
    if result is not None and results:
        text.append(f" · result {result + 1} of {results}")
    text.append(" · n/N next/previous hit", style="dim")
    return text


class Breadcrumb(Static):
    DEFAULT_CSS = """
    Breadcrumb {
        height: auto;
        padding: 0 1;
        color: $breadcrumb-foreground;
    }
    """

    def show_section(self, section: Section) -> None:
        self.update(breadcrumb_text(section))


class HitCounter(Static):
    DEFAULT_CSS = """
    HitCounter {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def show_count(
        self, query: str, current: int | None, hits: int | None, result: int | None, results: int
    ) -> None:
        self.update(counter_text(query, current, hits, result, results))

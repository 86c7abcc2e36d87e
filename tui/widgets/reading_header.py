"""Above the reading view: the breadcrumb (briefing › pillar › section) and the hit counter."""

from __future__ import annotations

from partner_tui.search.model import Section, Span
from rich.text import Text
from textual.widgets import Static

SEPARATOR = " › "


def breadcrumb_text(section: Section, title_spans: list[Span] | None = None) -> Text:
    """Briefing › pillar › section, with the query's matches in the section title marked."""
    text = Text(section.briefing_title, style="italic")
    for number, part in enumerate(section.path, 1):
        text.append(SEPARATOR)
        if number < len(section.path):
            text.append(part)
            continue
        title = Text(part, style="bold")
        for start, end in title_spans or ():
            title.stylize("underline reverse", start, end)
        text.append_text(title)
    return text


def counter_text(
    query: str,
    current: int | None,
    hits: int | None,
    result: int | None,
    results: int,
    title_match: bool = False,
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
    elif title_match:
        text.append("matches the title only", style="italic")
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

    def show_section(self, section: Section, title_spans: list[Span] | None = None) -> None:
        self.update(breadcrumb_text(section, title_spans))


class HitCounter(Static):
    DEFAULT_CSS = """
    HitCounter {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def show_count(
        self,
        query: str,
        current: int | None,
        hits: int | None,
        result: int | None,
        results: int,
        title_match: bool = False,
    ) -> None:
        self.update(counter_text(query, current, hits, result, results, title_match))

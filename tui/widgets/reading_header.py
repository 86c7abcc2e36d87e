"""Above the reading view: the breadcrumb (briefing › pillar › section), the hit counter,
and where the reader is (bookmarked or not, lines on screen and percentage, as less -M).

Title matches in the breadcrumb are italic + underline, not bold: the body's hits are
bold + underline and its current hit reverse, so the three read apart without colour."""

from __future__ import annotations

from partner_tui.search.model import Section, Span
from partner_tui.tui.widgets.marks import BOOKMARK_MARK
from partner_tui.tui.widgets.quiet_static import QuietStatic
from rich.style import Style
from rich.text import Text

SEPARATOR = " › "
TITLE_MATCH = Style(bold=False, italic=True, underline=True)


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
            title.stylize(TITLE_MATCH, start, end)
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


def position_text(first: int, last: int, lines: int, bookmarked: bool) -> Text:
    """'★ bookmarked · lines 12–30 of 80 · 37%': the bookmark state and what is on screen."""
    text = Text()
    if bookmarked:
        text.append(f"{BOOKMARK_MARK} bookmarked", style="bold")
    else:
        text.append("not bookmarked", style="italic")
    if lines:
        text.append(f" · lines {first}–{last} of {lines}")
        if last >= lines:
            text.append(" · end" if first > 1 else " · all", style="bold")
        else:
            text.append(f" · {round(100 * last / lines)}%", style="bold")
    return text


class ReadingStatus(QuietStatic):
    DEFAULT_CSS = """
    ReadingStatus {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def show_position(self, first: int, last: int, lines: int, bookmarked: bool) -> None:
        self.show_text(position_text(first, last, lines, bookmarked))


class Breadcrumb(QuietStatic):
    DEFAULT_CSS = """
    Breadcrumb {
        height: auto;
        padding: 0 1;
        color: $breadcrumb-foreground;
    }
    """

    def show_section(self, section: Section, title_spans: list[Span] | None = None) -> None:
        self.show_text(breadcrumb_text(section, title_spans))


class HitCounter(QuietStatic):
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
        self.show_text(counter_text(query, current, hits, result, results, title_match))

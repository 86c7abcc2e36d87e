"""What went wrong reading a corpus, one warning per file, summarised one line per kind.

A big folder can hold thousands of files that are not briefings; printing each on every
command buries the one warning that matters. Each warning is a string (so it prints and
compares as before) that also knows its kind; `summarise` turns many of one kind into a
single line with a count, and `--verbose` prints them all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from partner_tui.search.text_cleaning import one_line

MAX_SUBJECT = 300


class CorpusWarning(str):
    """A warning's full text, with its `kind` ("skipped", "binary"…) and a `detail`
    (a file suffix) that the summary counts by."""

    kind: str
    detail: str

    def __new__(cls, text: str, kind: str, detail: str = "") -> CorpusWarning:
        made = super().__new__(cls, text)
        made.kind = kind
        made.detail = detail
        return made


def safe_name(name: str) -> str:
    """A file name (or any outside string) fit to print: no escapes, one line, bounded."""
    return one_line(name, MAX_SUBJECT)


_SUMMARY = {
    "skipped": "skipped {count:,} files that are not .txt, .md or .rst briefings",
    "binary": "skipped {count:,} binary files",
    "empty": "skipped {count:,} empty files",
    "unreadable": "skipped {count:,} files that cannot be read",
    "not-regular": "skipped {count:,} files that are not regular files",
    "not-utf8": "{count:,} files are not valid UTF-8 (undecodable bytes shown as �)",
    "metadata": "ignored {count:,} unreadable .meta.toml files",
}


def summarise(warnings: Iterable[str], verbose: bool = False) -> list[str]:
    """One line per kind with a count when a kind comes more than once; every warning
    as it is with `verbose`, or when it is alone of its kind or has no kind."""
    warnings = list(warnings)
    if verbose:
        return warnings
    by_kind: dict[str, list[CorpusWarning]] = {}
    for warning in warnings:
        if isinstance(warning, CorpusWarning) and warning.kind in _SUMMARY:
            by_kind.setdefault(warning.kind, []).append(warning)
    lines: list[str] = []
    summarised: set[str] = set()
    for warning in warnings:
        kind = getattr(warning, "kind", None)
        group = by_kind.get(kind or "", [])
        if len(group) < 2:
            lines.append(warning)
        elif kind not in summarised:
            summarised.add(kind or "")
            lines.append(_summary_line(kind or "", group))
    return lines


def _summary_line(kind: str, group: list[CorpusWarning]) -> str:
    line = _SUMMARY[kind].format(count=len(group))
    details = Counter(warning.detail for warning in group if warning.detail)
    if details:
        shown = ", ".join(f"{detail} ×{count:,}" for detail, count in details.most_common(4))
        more = " …" if len(details) > 4 else ""
        line += f": {shown}{more}"
    return line + "; `--verbose` lists them"

"""Palette prompts built as rich Text: document titles must never be read as markup.

Textual's `Matcher.highlight` parses the candidate as markup, so a section titled
`[bold]x` would be mangled; here the candidate is plain text and matched characters are
styled by offset instead.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.fuzzy import Matcher

MATCHED = Style(bold=True, underline=True)


def highlighted(matcher: Matcher, candidate: str) -> Text:
    text = Text(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                text.stylize(MATCHED, offset, offset + 1)
    return text

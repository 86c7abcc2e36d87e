"""What a single line of plain text looks like: a title, a list item, a command, a rule.

Each test looks at one line (or a line and its neighbour) with bounded regular
expressions, so classifying a document is linear in its size.
"""

from __future__ import annotations

import re

# Whoosh's English stop words (a test keeps them equal), written out so reading a corpus
# never imports Whoosh: the tree and `show` need no index.
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the "
    "this to us we when will with yet you your".split()
)
MAX_HEADING_WORDS = 14
MAX_HEADING_CHARS = 100
_SMALL_WORDS = STOP_WORDS | {"about", "into", "onto", "over", "under", "per", "via", "vs"}

BULLET = re.compile(r"^(\s*)([-*+•·o])\s+(?=\S)")
ENUMERATOR = re.compile(r"^(\s*)(\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)])\s+(?=\S)")
NUMBERED = re.compile(r"^(?:(\d{1,3}(?:\.\d{1,3}){0,4})\.?|([IVXLC]{1,6})\.|([A-Z])\.)\s+(?=\S)")
ADORNMENT = re.compile(r"^\s{0,3}([=\-~^*#+_`:.'\"])\1{2,}\s*$")
# A run of three spaces inside a line, or box-drawing characters: columns or a drawing.
_COLUMNS = re.compile(r"\S {3,}\S|[─━│┃┌┐└┘├┤┬┴┼═║╔╗╚╝]|\+-{3,}|-{3,}\+|^\s*\|.*\|\s*$")
_COMMAND = re.compile(
    r"^\s*(?:[$%#>]\s|\./|~/|/\w|sudo\s|make\b|cd\s|pip\d?\s|git\s|apt(?:-get)?\s|npm\s|"
    r"python\d?\s|cmake\s|export\s)|\s--?[a-z][\w-]*|&&|\|\s*\w|\w=\S|[{};]\s*$"
)
_DIRECTIVE = re.compile(r"^\s*(?:\.\.\s|\.[A-Za-z]{1,3}(?:\s|$)|[@%]\w|<[a-zA-Z!/])")
_COPYRIGHT = re.compile(r"^\s*(?:copyright\s+(?:\(c\)|©|\d{4}|\[)|\(c\)|©)", re.IGNORECASE)
_LABEL = re.compile(r"^[A-Z]{2,}[A-Z ]*:\s")  # `APPENDIX: How to apply…`
_URL = re.compile(r"\w+://|www\.|\S+@\S+\.\w")


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def is_adornment(line: str) -> bool:
    return bool(ADORNMENT.match(line))


def item_marker(line: str) -> re.Match[str] | None:
    """A bullet (`- `, `* `, `• `) or an enumerator (`1.`, `a)`, `(iv)`) opening a line."""
    return BULLET.match(line) or ENUMERATOR.match(line)


def has_columns(line: str) -> bool:
    return bool(_COLUMNS.search(line))


def is_command_or_directive(text: str) -> bool:
    return bool(_COMMAND.search(text) or _DIRECTIVE.match(text))


def ends_open(text: str) -> bool:
    """A line ending in `the`, `of`, `and`… runs on into the next: it is no heading."""
    words = text.split()
    return bool(words) and words[-1].lower() in STOP_WORDS


def numbering(text: str) -> tuple[int, str] | None:
    """(depth, rest) for `2.`, `2.1.`, `IV.`, `B.` headings; None without a number."""
    match = NUMBERED.match(text)
    if not match:
        return None
    depth = match.group(1).count(".") + 1 if match.group(1) else 1
    return depth, text[match.end() :]


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def is_title_case(text: str) -> bool:
    """Most significant words start with a capital (`Statement of Purpose`)."""
    words = [w.strip("\"'()[]“”‘’") for w in text.split()]
    significant = [w for w in words if w and w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    if not significant:
        return False
    capital = sum(w[0].isupper() for w in significant)
    return capital >= max(1, 0.7 * len(significant))


def title_shape(text: str) -> str | None:
    """How a stripped line could be a heading ('numbered', 'caps', 'title', 'colon',
    'sentence'), or None when it cannot be one at all."""
    if not text or len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return None
    if _COPYRIGHT.match(text) or _URL.search(text) or is_command_or_directive(text):
        return None
    if has_columns(text):
        return None
    if BULLET.match(text):
        return None
    numbered = numbering(text)
    rest = numbered[1] if numbered else text
    rest_start = rest.lstrip("\"'“‘(")[:1]
    if not rest_start or not (rest_start.isupper() or rest_start.isdigit()):
        return None
    if numbered:
        if rest.rstrip().endswith((",", ";")) or ends_open(rest):
            return None
        short = len(rest.split()) <= 5 and not rest.rstrip().endswith(".")
        titled = is_all_caps(rest) or is_title_case(rest) or short
        return "numbered" if titled else None
    if text.endswith((",", ";", "!", "…")) or ends_open(text):
        return None
    if text.endswith(":"):
        words = len(text.split())
        return "colon" if words <= 4 or words <= 6 and is_title_case(text) else None
    if text.endswith(".") and not _LABEL.match(text):
        return None
    if is_all_caps(text):
        return "caps"
    return "title" if is_title_case(text) else "sentence"


def is_short_title(text: str) -> bool:
    """The line-per-paragraph test (the bundled briefing's style): short and unpunctuated."""
    text = text.strip()
    if not text or len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if text.endswith(tuple(".!?:;,…")):
        return False
    return text[0].isupper() or text[0].isdigit() or not text[0].isalpha()

"""reStructuredText inline markup written as readable text with style runs.

``literal``, **strong**, *emphasis*, `text <url>`_ links, `text`_ and name_ references,
:role:`text` and |substitutions| lose their markers and keep their text. Every pattern
has a bounded length, so a paragraph full of unclosed markers still reads in linear time.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from partner_tui.search.model import RunKind
from partner_tui.search.readers.section_text import SectionText

_INLINE = re.compile(
    r"``(?P<literal>[^`\n]{1,500}?)``"
    r"|\*\*(?P<strong>[^*\s][^*]{0,500}?)\*\*"
    r"|\*(?P<emphasis>[^*\s][^*]{0,500}?)\*"
    r"|(?::(?P<role>[\w.+-]{1,40}):)?`(?P<interpreted>[^`]{1,500}?)`(?P<reference>__?)?"
    r"|\|(?P<substitution>[^|\s][^|]{0,100}?)\|(?:__?)?"
    r"|(?<![\w/])(?P<name>[A-Za-z][\w.-]{0,100}?)__?(?![\w])"
)
_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<url>[^<>]+)>$", re.DOTALL)
_CODE_ROLES = {"code", "literal", "command", "file", "program", "samp", "kbd", "option"}
_CODE_ROLES |= {"func", "class", "meth", "mod", "attr", "data", "exc", "obj"}
_CODE_DOMAINS = ("py:", "c:", "cpp:", "js:")


# The named hyperlink targets (`.. _name: url`) of the document being read: a context
# variable, so documents read at once in several threads never see each other's.
_targets: ContextVar[dict[str, str] | None] = ContextVar("rst_targets", default=None)


def set_targets(targets: dict[str, str]) -> None:
    _targets.set(targets)


def _url_for(name: str) -> str:
    url = (_targets.get() or {}).get(" ".join(name.lower().split()), "")
    return url if "://" in url or url.startswith("mailto:") else ""


def write_inline(out: SectionText, text: str) -> None:
    """Write one paragraph's text (lines already joined) with its inline markup styled."""
    position = 0
    for match in _INLINE.finditer(text):
        out.write(text[position : match.start()])
        position = match.end()
        group = match.lastgroup
        if match.group("literal") is not None:
            out.append(match.group("literal"), RunKind.CODE)
        elif match.group("strong") is not None:
            out.append(match.group("strong"), RunKind.STRONG)
        elif match.group("emphasis") is not None:
            out.append(match.group("emphasis"), RunKind.EMPHASIS)
        elif match.group("interpreted") is not None:
            _interpreted(out, match)
        elif match.group("substitution") is not None:
            out.write(match.group("substitution"))
        elif group == "name" or match.group("name") is not None:
            out.append(match.group("name"), RunKind.LINK, _url_for(match.group("name")))
    out.write(text[position:])


def _interpreted(out: SectionText, match: re.Match[str]) -> None:
    body = match.group("interpreted")
    role = match.group("role")
    target = _TARGET.match(body)
    label, url = (
        (target.group("text") or target.group("url"), target.group("url")) if target else (body, "")
    )
    if match.group("reference") or url and role is None:
        link = url if "://" in url or url.startswith("mailto:") else _url_for(label)
        out.append(label, RunKind.LINK, link)
    elif role is not None and (role in _CODE_ROLES or role.startswith(_CODE_DOMAINS)):
        out.append(label.lstrip("~!"), RunKind.CODE)
    elif role is not None:
        out.write(label)
    else:
        out.append(label, RunKind.EMPHASIS)

"""From what a person typed to a Whoosh query, never raising on malformed input.

Words are ANDed; OR, NOT / -word, "phrases", prefix*, word~ (fuzzy) and the fields
`pillar:` and `title:` work as in Whoosh. Prefixes, wildcards and fuzzy terms are matched
against the unstemmed `words` field, because stems would make `irrigat*` miss `irrigation`.
Anything the parser cannot make sense of is searched as plain words instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from partner_tui.search.schema import SEARCH_FIELDS, STEMMED, build_schema
from whoosh import qparser
from whoosh import query as q
from whoosh.lang.porter import stem

_SCHEMA = build_schema()
_WORD = re.compile(r"\w+", re.UNICODE)
_FUZZY_TOKEN = re.compile(r"(\w+)~(\d?)")
_WILDCARD_TOKEN = re.compile(r"[\w?*]*\w[\w?*]*")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_MULTI_TERM = (q.Prefix, q.Wildcard, q.FuzzyTerm, q.Regex)


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: q.Query | None  # None: nothing searchable (empty, or only stop words)
    fell_back: bool


def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), _SCHEMA, group=qparser.AndGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.PlusMinusPlugin())
    # Boosts, ranges and groups of fields are not part of our query language.
    parser.remove_plugin_class(qparser.BoostPlugin)
    parser.remove_plugin_class(qparser.RangePlugin)
    return parser


_PARSER = _parser()


def _plain_words(text: str) -> q.Query | None:
    """Every word of the text, ANDed, each matched in title or body."""
    clauses = []
    for word in _WORD.findall(text):
        stems = [token.text for token in STEMMED(word)]
        if stems:
            clauses.extend(q.Or([q.Term(f, s) for f in SEARCH_FIELDS]) for s in stems)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else q.And(clauses)


def _walk(node: q.Query):
    yield node
    for child in node.children():
        yield from _walk(child)


def _is_malformed(text: str, parsed: q.Query) -> bool:
    if text.count('"') % 2 or text.count("(") != text.count(")"):
        return True
    if re.search(r"\b(pillar|title):(\s|$)", text):
        return True
    words = [w for w in text.split() if w.strip("()")]
    if words and (
        words[0].strip("(") in _OPERATORS - {"NOT"} or words[-1].strip(")") in _OPERATORS
    ):
        return True
    if parsed is q.NullQuery or isinstance(parsed, q.NullQuery.__class__):
        return bool(_plain_words(text))
    return any(isinstance(node, q.Every) for node in _walk(parsed))


def _raw_fuzzy_words(text: str) -> dict[str, tuple[str, int]]:
    """Map the stem the parser produced for `word~N` back to what was typed."""
    found: dict[str, tuple[str, int]] = {}
    for word, distance in _FUZZY_TOKEN.findall(text):
        lowered = word.lower()
        found[stem(lowered)] = (lowered, int(distance) if distance else 1)
        found[lowered] = (lowered, int(distance) if distance else 1)
    return found


def _raw_wildcards(text: str) -> dict[str, str]:
    """Map the (stemmed) text the parser gave a wildcard back to what was typed."""
    found: dict[str, str] = {}
    for token in _WILDCARD_TOKEN.findall(text):
        if "?" not in token and "*" not in token.rstrip("*"):
            continue  # plain words and simple prefixes keep their typed text already
        for node in _walk(_PARSER.parse(token)):
            if isinstance(node, q.Wildcard):
                found[node.text] = token.lower()
    return found


@dataclass(frozen=True)
class _TypedForms:
    fuzzy: dict[str, tuple[str, int]]
    wildcards: dict[str, str]


def _retarget(node: q.Query, typed: _TypedForms) -> q.Query:
    """Send prefix, wildcard and fuzzy terms on text fields to the unstemmed words field."""
    if isinstance(node, q.FuzzyTerm) and node.fieldname in SEARCH_FIELDS:
        raw, distance = typed.fuzzy.get(node.text, (node.text, node.maxdist))
        return q.FuzzyTerm("words", raw, maxdist=min(distance, 2), prefixlength=1)
    if isinstance(node, q.Prefix) and node.fieldname in SEARCH_FIELDS:
        return q.Prefix("words", node.text.lower())
    if isinstance(node, q.Wildcard) and node.fieldname in SEARCH_FIELDS:
        return q.Wildcard("words", typed.wildcards.get(node.text, node.text.lower()))
    if node.children():
        return node.apply(lambda child: _retarget(child, typed))
    return node


def parse_query(text: str) -> ParsedQuery:
    text = text.strip()
    if not text:
        return ParsedQuery(text, None, fell_back=False)
    try:
        parsed = _PARSER.parse(text)
        malformed = _is_malformed(text, parsed)
    except Exception:  # the parser's failure modes are many; any of them means plain words
        parsed, malformed = q.NullQuery, True
    if malformed:
        return ParsedQuery(text, _plain_words(text), fell_back=True)
    if parsed is q.NullQuery:
        return ParsedQuery(text, None, fell_back=False)
    typed = _TypedForms(_raw_fuzzy_words(text), _raw_wildcards(text))
    retargeted = _retarget(parsed, typed).normalize()
    return ParsedQuery(text, retargeted, fell_back=False)


def is_multi_term(node: q.Query) -> bool:
    return isinstance(node, _MULTI_TERM)


def positive_leaves(node: q.Query | None):
    """Leaf queries that contribute matches (those under NOT are left out)."""
    if node is None:
        return
    if isinstance(node, q.Not):
        return
    if isinstance(node, q.AndNot):
        yield from positive_leaves(node.a)
        return
    if isinstance(node, (q.Term, q.Phrase)) or is_multi_term(node):
        yield node
        return
    for child in node.children():
        yield from positive_leaves(child)


def typed_words(text: str) -> list[str]:
    """The plain words of a query, without operators or field names."""
    stripped = re.sub(r"\b(pillar|title):", " ", text)
    return [w for w in _WORD.findall(stripped) if w not in _OPERATORS]

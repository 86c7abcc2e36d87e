"""From what a person typed to a Whoosh query, never raising on malformed input.

Words are ANDed; OR, NOT / -word, "phrases", prefix*, word~ (fuzzy) and the fields
`pillar:` and `title:` work as in Whoosh. Prefixes, wildcards and fuzzy terms are matched
against unstemmed twin fields, because stems would make `irrigat*` miss `irrigation` and
`sus*` search for `su*`. Anything the parser cannot make sense of is searched as plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from partner_tui.search.schema import SEARCH_FIELDS, STEMMED, UNSTEMMED_TWIN, build_schema
from whoosh import qparser
from whoosh import query as q

_SCHEMA = build_schema()
_WORD = re.compile(r"\w+", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_MULTI_TERM = (q.Prefix, q.Wildcard, q.FuzzyTerm, q.Regex)
# Only these fields may be named in a query; `id:` or `body:` are just words to a reader.
_QUERY_FIELDS = ("pillar", "title")
_EMPTY_FIELD = re.compile(r"(?<!\w)(?:pillar|title):(?=\s|$|\))", re.IGNORECASE)
MAX_FUZZY_DISTANCE = 2
_LOOSE_TOKEN = re.compile(r"[*?]|\w~")


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: q.Query | None  # None: nothing searchable (empty, or only stop words)
    fell_back: bool


class _Parser(qparser.QueryParser):
    """Sends prefix, wildcard and fuzzy terms, unanalysed, to the field's unstemmed twin."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        if issubclass(termclass, _MULTI_TERM) and fieldname in UNSTEMMED_TWIN:
            return termclass(UNSTEMMED_TWIN[fieldname], text.lower(), boost=boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def _parser() -> qparser.QueryParser:
    parser = _Parser(None, _SCHEMA, group=qparser.AndGroup)
    parser.add_plugin(qparser.MultifieldPlugin(list(SEARCH_FIELDS)))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    # `-word` excludes only at the start of a word: `low-carbon` is one hyphenated word.
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?<!\S)\+", minusexpr=r"(?<!\S)-"))
    fields = "|".join(_QUERY_FIELDS)
    parser.replace_plugin(qparser.FieldsPlugin(expr=rf"(?<!\w)(?P<text>{fields}):"))
    # Boosts, ranges and groups of fields are not part of our query language.
    parser.remove_plugin_class(qparser.BoostPlugin)
    parser.remove_plugin_class(qparser.RangePlugin)
    return parser


_PARSER = _parser()


def _plain_words(text: str) -> q.Query | None:
    """Every word of the text, ANDed, each matched in title or body."""
    clauses: list[q.Query] = []
    for word in _WORD.findall(text):
        stems = [token.text for token in STEMMED(word)]
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
    if _EMPTY_FIELD.search(text):
        return True
    words = [w for w in text.split() if w.strip("()")]
    if words and (
        words[0].strip("(") in _OPERATORS - {"NOT"} or words[-1].strip(")") in _OPERATORS
    ):
        return True
    if parsed is q.NullQuery or isinstance(parsed, q.NullQuery.__class__):
        return bool(_plain_words(text))
    for node in _walk(parsed):
        if isinstance(node, q.Every) or getattr(node, "error", None):
            return True
        # `*`, `**` or `?` alone would match every word: not a search anyone means.
        if isinstance(node, (q.Wildcard, q.Prefix)) and not _WORD.search(node.text):
            return True
    return False


def _tame_fuzzy(node: q.Query) -> q.Query:
    """Cap fuzzy distance (`word~9` would match everything) and keep the first letter."""
    if isinstance(node, q.FuzzyTerm):
        return q.FuzzyTerm(
            node.fieldname,
            node.text,
            boost=node.boost,
            maxdist=min(node.maxdist, MAX_FUZZY_DISTANCE),
            prefixlength=max(node.prefixlength, 1),
        )
    if node.children():
        return node.apply(_tame_fuzzy)
    return node


def parse_query(text: str) -> ParsedQuery:
    text = text.strip()
    if not text:
        return ParsedQuery(text, None, fell_back=False)
    try:
        parsed = _PARSER.parse(text)
        malformed = _is_malformed(text, parsed)
        if not malformed and parsed is not q.NullQuery:
            parsed = _tame_fuzzy(parsed).normalize()
    except Exception:  # the parser's failure modes are many; any of them means plain words
        parsed, malformed = q.NullQuery, True
    if malformed:
        return ParsedQuery(text, _plain_words(text), fell_back=True)
    if parsed is q.NullQuery or isinstance(parsed, q.NullQuery.__class__):
        return ParsedQuery(text, None, fell_back=False)
    return ParsedQuery(text, parsed, fell_back=False)


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
    """The plain words of a query, without operators, field names, prefixes or fuzzy terms.

    `sus*` and `word~` already match loosely; correcting them would only invent queries.
    """
    stripped = re.sub(r"(?<!\w)(pillar|title):", " ", text)
    plain = " ".join(token for token in stripped.split() if not _LOOSE_TOKEN.search(token))
    return [w for w in _WORD.findall(plain) if w not in _OPERATORS]

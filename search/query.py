"""From what a person typed to a Whoosh query, never raising on malformed input.

Words are ANDed; OR, NOT / -word (anywhere, also alone or inside a group), "phrases",
prefix*, word~ (fuzzy) and the fields `pillar:` and `title:` work as in Whoosh. Prefixes,
wildcards and fuzzy terms are matched against unstemmed twin fields, because stems would
make `irrigat*` miss `irrigation` and `sus*` search for `su*`. Anything the parser cannot
make sense of is searched as plain words (`fell_back`). Every query's work is bounded:
longer or wordier queries than anyone types are refused with a message (`refused`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from partner_tui.search.schema import SEARCH_FIELDS, STEMMED, UNSTEMMED_TWIN, build_schema
from partner_tui.search.word_parts import MAX_TOKEN_CHARS, PHRASE, WORD
from whoosh import qparser
from whoosh import query as q
from whoosh.qparser.common import attach

_SCHEMA = build_schema()
_WORD = re.compile(r"\w+", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_MULTI_TERM = (q.Prefix, q.Wildcard, q.FuzzyTerm, q.Regex)
# Only these fields may be named in a query; `id:` or `body:` are just words to a reader.
_QUERY_FIELDS = ("pillar", "title")
_EMPTY_FIELD = re.compile(r"(?<!\w)(?:pillar|title):(?=\s|$|\))", re.IGNORECASE)
MAX_FUZZY_DISTANCE = 2
_LOOSE_TOKEN = re.compile(r"[*?]|\w~")
# Bounds on one query's work. Longer queries than these are pasted, not typed: they are
# refused at once, before any parsing, so a megabyte paste costs nothing.
MAX_QUERY_CHARS = 1000
# Whoosh's parser and normalisation cost grows faster than linearly with the clauses.
MAX_QUERY_WORDS = 32
MAX_GROUPS = 16
# Prefix, wildcard and fuzzy terms each walk the index's word list; a fuzzy term also
# builds a Levenshtein automaton whose cost grows with the word's length and distance.
MAX_LOOSE_TERMS = 8
MAX_FUZZY_TERMS = 3
MAX_FUZZY_CHARS = 32
LONGEST_TWO_EDIT_WORD = 16  # longer fuzzy words are matched within one edit
_FUZZY_WORD = re.compile(r"(\w[\w.]*)~")
# `-word` and `NOT word` negate what follows, at the start of a query, after a space or a
# parenthesis; `low-carbon` stays one hyphenated word.
_NOT = r"(?:^|(?<=[\s()]))(?:NOT(?=\s)|-(?=[^\s)]))"


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: q.Query | None  # None: nothing searchable (empty, or only stop words)
    fell_back: bool
    refused: str | None = None  # why the query was not searched at all


class _PhraseNode(qparser.PhrasePlugin.PhraseNode):
    """A quoted phrase searches the parts of its words in a row, stop words included.

    The index gives compound words' parts consecutive positions (see word_parts), and keeps
    stop words, so `"terms of use"` never matches "terms and use".
    """

    def query(self, parser):
        fieldname = self.fieldname or parser.fieldname
        field = parser.schema[fieldname]
        words = [token.text for token in field.tokenize(self.text, mode=PHRASE)]
        return attach(q.Phrase(fieldname, words, slop=self.slop, boost=self.boost), self)


class _PhrasePlugin(qparser.PhrasePlugin):
    class PhraseTagger(qparser.PhrasePlugin.PhraseTagger):
        def create(self, parser, match):
            slop = int(match.group("slop")) if match.group("slop") else 1
            return _PhraseNode(match.group("text"), match.start("text"), slop)

    def taggers(self, parser):
        return [(self.PhraseTagger(self.expr), 0)]


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
    # `-word` is the NOT operator, so it works wherever NOT does: alone, inside groups,
    # before a phrase or a group. (Whoosh's PlusMinusPlugin raised on `(a -b)` and made a
    # lone `-b` find the sections that contain b.) REQUIRE is not part of the language.
    parser.replace_plugin(qparser.OperatorsPlugin(Not=_NOT, Require=None))
    parser.remove_plugin_class(qparser.PhrasePlugin)
    parser.add_plugin(_PhrasePlugin())
    fields = "|".join(_QUERY_FIELDS)
    parser.replace_plugin(qparser.FieldsPlugin(expr=rf"(?<!\w)(?P<text>{fields}):"))
    # Boosts, ranges and groups of fields are not part of our query language.
    parser.remove_plugin_class(qparser.BoostPlugin)
    parser.remove_plugin_class(qparser.RangePlugin)
    return parser


_PARSER = _parser()


def _plain_words(text: str) -> q.Query | None:
    """Every word of the text, ANDed, each matched in title or body; words after `-` or
    `NOT` are still left out, never required."""
    wanted: list[q.Query] = []
    unwanted: list[q.Query] = []
    negate_next = False
    for chunk in re.split(r"[\s()]+", text):
        if chunk == "NOT":
            negate_next = True
            continue
        if chunk in _OPERATORS:
            continue
        clauses = unwanted if negate_next or chunk.startswith("-") else wanted
        negate_next = False
        for token in STEMMED(chunk):
            clauses.append(q.Or([q.Term(field, token.text) for field in SEARCH_FIELDS]))
    if unwanted:
        wanted.append(q.Not(q.Or(unwanted)))
    if not wanted:
        return None
    return wanted[0] if len(wanted) == 1 else q.And(wanted)


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
        longest = MAX_FUZZY_DISTANCE if len(node.text) <= LONGEST_TWO_EDIT_WORD else 1
        return q.FuzzyTerm(
            node.fieldname,
            node.text,
            boost=node.boost,
            maxdist=min(node.maxdist, longest),
            prefixlength=max(node.prefixlength, 1),
        )
    if node.children():
        return node.apply(_tame_fuzzy)
    return node


def _without_and_not(node: q.Query) -> q.Query:
    """`a ANDNOT b` as `a AND NOT b`.

    Whoosh's AndNotMatcher (whoosh3 3.54.0, and every fork since 2.7) is wrong:
    `_find_first` skips the positive side's first document only when the negative posting
    list starts on that very document, so `robots -japan` returned a section saying
    "Japan". An intersection with Not's InverseMatcher is exact (the property test of the
    query language proves it), and costs no more on indexes of this size.
    """
    if isinstance(node, q.AndNot):
        positive = _without_and_not(node.a)
        return q.And([positive, q.Not(_without_and_not(node.b))], boost=node.boost)
    if node.children():
        return node.apply(_without_and_not)
    return node


def _refusal(text: str) -> str | None:
    if len(text) > MAX_QUERY_CHARS:
        return f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
    words = WORD.findall(text)
    if len(words) > MAX_QUERY_WORDS:
        return f"the query has {len(words):,} words; the limit is {MAX_QUERY_WORDS}"
    groups = text.count("(")
    if groups > MAX_GROUPS:
        return f"the query has {groups} groups in parentheses; the limit is {MAX_GROUPS}"
    longest = max(words, key=len, default="")
    if len(longest) > MAX_TOKEN_CHARS:
        return (
            f"the query has a word of {len(longest):,} characters; the limit is {MAX_TOKEN_CHARS}"
        )
    loose = len(_LOOSE_TOKEN.findall(text))
    if loose > MAX_LOOSE_TERMS:
        return (
            f"the query has {loose} prefix, wildcard or fuzzy terms; the limit is {MAX_LOOSE_TERMS}"
        )
    fuzzy = _FUZZY_WORD.findall(text)
    if len(fuzzy) > MAX_FUZZY_TERMS:
        return f"the query has {len(fuzzy)} fuzzy terms (word~); the limit is {MAX_FUZZY_TERMS}"
    if any(len(word) > MAX_FUZZY_CHARS for word in fuzzy):
        return f"a fuzzy term (word~) has at most {MAX_FUZZY_CHARS} characters"
    return None


def parse_query(text: str) -> ParsedQuery:
    if len(text) > MAX_QUERY_CHARS:  # before even stripping a megabyte paste
        return ParsedQuery(text[:MAX_QUERY_CHARS], None, False, _refusal(text))
    text = text.strip()
    if not text:
        return ParsedQuery(text, None, fell_back=False)
    refusal = _refusal(text)
    if refusal:
        return ParsedQuery(text, None, fell_back=False, refused=refusal)
    try:
        parsed = _PARSER.parse(text)
        malformed = _is_malformed(text, parsed)
        if not malformed and parsed is not q.NullQuery:
            parsed = _tame_fuzzy(parsed).normalize()
            if any(isinstance(node, q.AndNot) for node in _walk(parsed)):
                parsed = _without_and_not(parsed).normalize()
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

"""A brute-force oracle for the query language: every operator as plain set algebra.

Each section is reduced to its analysed words (the index's own tokens, computed here
without Whoosh); each query is an expression tree that both renders to query text and
evaluates, by brute force over those words, to the set of sections it must find.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from hypothesis import strategies as st
from partner_tui.search.model import Section
from partner_tui.search.schema import STEMMED
from partner_tui.search.word_parts import INDEX, PHRASE, word_parts


def stems_of(text: str, mode: str) -> list[str]:
    return [token.text for token in STEMMED(text, mode=mode)]


def query_stem(word: str) -> str | None:
    """The one stem a typed word searches for, or None (a stop word, or several tokens)."""
    stems = stems_of(word, "query")
    return stems[0] if len(stems) == 1 else None


@dataclass(frozen=True)
class Doc:
    """One section as the oracle sees it."""

    section: Section

    def _positions(self, text: str) -> dict[int, set[str]]:
        at: dict[int, set[str]] = {}
        for token in STEMMED(text, mode=INDEX, positions=True):
            at.setdefault(token.pos, set()).add(token.text)
        return at

    @cached_property
    def title_at(self) -> dict[int, set[str]]:
        return self._positions(self.section.title)

    @cached_property
    def body_at(self) -> dict[int, set[str]]:
        return self._positions(self.section.body)

    @cached_property
    def title_stems(self) -> set[str]:
        return set().union(*self.title_at.values())

    @cached_property
    def stems(self) -> set[str]:
        return self.title_stems.union(*self.body_at.values())

    @cached_property
    def pillar_stems(self) -> set[str]:
        return set(stems_of(self.section.pillar, INDEX))

    @cached_property
    def words(self) -> set[str]:
        text = f"{self.section.title}\n{self.section.body}"
        return {part.text for part in word_parts(text, INDEX)}


def _has_phrase(at: dict[int, set[str]], phrase: list[str]) -> bool:
    return any(all(phrase[k] in at.get(start + k, ()) for k in range(len(phrase))) for start in at)


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


# -- query expressions: text and oracle in one --------------------------------------------
class Expr:
    def render(self, nested: bool = False) -> str:
        raise NotImplementedError

    def matches(self, doc: Doc) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Word(Expr):
    word: str

    def render(self, nested=False):
        return self.word

    def matches(self, doc):
        return query_stem(self.word) in doc.stems


@dataclass(frozen=True)
class Phrase(Expr):
    text: str

    def render(self, nested=False):
        return f'"{self.text}"'

    def matches(self, doc):
        phrase = stems_of(self.text, PHRASE)
        return _has_phrase(doc.title_at, phrase) or _has_phrase(doc.body_at, phrase)


@dataclass(frozen=True)
class Prefix(Expr):
    prefix: str

    def render(self, nested=False):
        return f"{self.prefix}*"

    def matches(self, doc):
        return any(word.startswith(self.prefix.lower()) for word in doc.words)


@dataclass(frozen=True)
class Fuzzy(Expr):
    word: str
    distance: int

    def render(self, nested=False):
        return f"{self.word}~" if self.distance == 1 else f"{self.word}~{self.distance}"

    def matches(self, doc):
        typed = self.word.lower()
        return any(w[:1] == typed[:1] and _distance(typed, w) <= self.distance for w in doc.words)


@dataclass(frozen=True)
class InField(Expr):
    field: str  # "title" or "pillar"
    word: str

    def render(self, nested=False):
        return f"{self.field}:{self.word}"

    def matches(self, doc):
        stems = doc.title_stems if self.field == "title" else doc.pillar_stems
        return query_stem(self.word) in stems


def _group(text: str, nested: bool) -> str:
    return f"({text})" if nested else text


@dataclass(frozen=True)
class And(Expr):
    parts: tuple[Expr, ...]
    joiner: str = " "  # juxtaposition or " AND "

    def render(self, nested=False):
        return _group(self.joiner.join(p.render(True) for p in self.parts), nested)

    def matches(self, doc):
        return all(p.matches(doc) for p in self.parts)


@dataclass(frozen=True)
class Or(Expr):
    parts: tuple[Expr, ...]

    def render(self, nested=False):
        return _group(" OR ".join(p.render(True) for p in self.parts), nested)

    def matches(self, doc):
        return any(p.matches(doc) for p in self.parts)


def _negated(part: Expr) -> str:
    """What follows `-` or NOT: a negation in parentheses (`--x` is not a double `-`)."""
    text = part.render(True)
    return f"({text})" if isinstance(part, Not) else text


@dataclass(frozen=True)
class Not(Expr):
    part: Expr
    spelling: str = "-"  # "-" or "NOT "

    def render(self, nested=False):
        return self.spelling + _negated(self.part)

    def matches(self, doc):
        return not self.part.matches(doc)


@dataclass(frozen=True)
class Without(Expr):
    """A and not B, in each of the ways it can be written."""

    keep: Expr
    drop: Expr
    form: str  # "{a} -{b}", "-{b} {a}", "{a} NOT {b}", "{a} ANDNOT {b}"

    def render(self, nested=False):
        text = self.form.format(a=self.keep.render(True), b=_negated(self.drop))
        return _group(text, nested)

    def matches(self, doc):
        return self.keep.matches(doc) and not self.drop.matches(doc)


WITHOUT_FORMS = ("{a} -{b}", "-{b} {a}", "{a} NOT {b}", "{a} ANDNOT {b}")


def expressions(vocabulary: list[str], phrases: list[str], max_leaves: int = 6):
    """Query expressions over words that each analyse to exactly one searchable stem."""
    words = st.sampled_from(vocabulary)
    leaves = st.one_of(
        words.map(Word),
        words.map(Word),
        st.sampled_from(phrases).map(Phrase),
        words.filter(lambda w: w.isalnum() and len(w) >= 3)
        .flatmap(lambda w: st.integers(2, min(len(w), 5)).map(lambda n: w[:n]))
        .map(Prefix),
        st.builds(
            Fuzzy, words.filter(lambda w: w.isalnum() and len(w) >= 4), st.sampled_from([1, 2])
        ),
        st.builds(InField, st.sampled_from(["title", "pillar"]), words),
    )

    def extend(children):
        many = st.lists(children, min_size=2, max_size=3).map(tuple)
        return st.one_of(
            st.builds(And, many, st.sampled_from([" ", " AND "])),
            st.builds(Or, many),
            st.builds(Not, children, st.sampled_from(["-", "NOT "])),
            st.builds(Without, children, children, st.sampled_from(WITHOUT_FORMS)),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


def expected(expr: Expr, docs: list[Doc]) -> tuple[set[str], Counter[str]]:
    found = [doc.section for doc in docs if expr.matches(doc)]
    return {s.id for s in found}, Counter(s.pillar_id for s in found)


# -- a generated corpus ----------------------------------------------------------------
GENERATED_WORDS = (
    "robot robots robotic solar energy grid water farms green japan malaysia digital "
    "talent chips factory network cable harbour rice tea forest river data cloud "
    "setMaxListeners emitter.setMaxListeners Node.js node user_name ASN.1 parser "
    "HTMLParser terms use of the and a to in with"
).split()


def generated_briefing(sections: int = 300, seed: int = 8) -> str:
    """Markdown with `sections` sections under a dozen pillars, from a small vocabulary
    (so words, phrases and negations overlap often), stop words and compound words."""
    rng = random.Random(seed)
    lines = ["# Generated", ""]
    for number in range(sections):
        level = "##" if number % 25 == 0 else "###"
        title_words = rng.sample(GENERATED_WORDS[:24], rng.randint(1, 3))
        lines += [f"{level} {' '.join(title_words)} {number}", ""]
        body = [rng.choice(GENERATED_WORDS) for _ in range(rng.randint(3, 30))]
        if rng.random() < 0.1:
            body.insert(rng.randint(0, len(body)), "**Chris Dickinson**")
        lines += [" ".join(body) + ".", ""]
    return "\n".join(lines)

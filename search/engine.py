"""The one way the app and the CLI search: a corpus, its index and the queries over it."""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from partner_tui.search.corpus import Corpus, load_corpus
from partner_tui.search.highlight import NO_TERMS, MatchTerms, find_spans, make_snippet, match_terms
from partner_tui.search.index_store import OpenedIndex, open_index
from partner_tui.search.model import Briefing, Hit, Section, Span
from partner_tui.search.query import ParsedQuery, parse_query, typed_words
from partner_tui.search.schema import SEARCH_FIELDS, STEMMED
from partner_tui.search.tally import PillarTally
from whoosh import query as q

DEFAULT_LIMIT = 20
# Below this many hits a did-you-mean is worth offering ("finds nothing or little").
FEW_HITS = 3


class UnknownSection(LookupError):
    pass


class UnknownPillar(LookupError):
    pass


@dataclass(frozen=True)
class SearchOutcome:
    query: str
    total: int
    hits: tuple[Hit, ...]
    suggestion: str | None = None
    pillar_counts: dict[str, int] = field(default_factory=dict)
    fell_back: bool = False

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [hit.as_json() for hit in self.hits],
            "suggestion": self.suggestion,
            "pillar_counts": self.pillar_counts,
        }


class Engine:
    """Search over one corpus. Thread-safe: calls are serialised on one shared searcher."""

    def __init__(self, corpus: Corpus, opened: OpenedIndex) -> None:
        self.corpus = corpus
        self._opened = opened
        # The index of one corpus version never changes once renamed into place (a new
        # version gets a new directory), so one searcher serves the engine's whole life.
        self._searcher = opened.searcher
        self._lock = threading.Lock()
        self._by_id = {section.id: section for section in corpus.sections}
        self._pillar_of: list[str] | None = None

    @classmethod
    def open(
        cls,
        corpus_path: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        rebuild: bool = False,
    ) -> Engine:
        corpus = load_corpus(corpus_path)
        opened = open_index(corpus.sections, corpus.fingerprint, cache_dir, rebuild=rebuild)
        return cls(corpus, opened)

    # -- what is in the corpus --------------------------------------------------------
    @property
    def warnings(self) -> list[str]:
        return self.corpus.warnings + self._opened.warnings

    @property
    def index_location(self) -> Path | None:
        return self._opened.location

    @property
    def index_was_built(self) -> bool:
        return self._opened.built

    @property
    def briefings(self) -> list[Briefing]:
        return self.corpus.briefings

    def section(self, section_id: str) -> Section:
        try:
            return self._by_id[section_id]
        except KeyError:
            raise UnknownSection(section_id) from None

    def has_section(self, section_id: str) -> bool:
        return section_id in self._by_id

    def resolve_pillar(self, name: str) -> str:
        """A pillar id from its id, its slug or (part of) its title, case-insensitively."""
        wanted = name.strip().lower()
        pillars = [p for b in self.briefings for p in b.sections if p.depth == 1]
        for matches in (
            lambda p: p.id == name,
            lambda p: p.id.split("/")[-1] == wanted or p.title.lower() == wanted,
            lambda p: wanted in p.title.lower(),
        ):
            found = [p for p in pillars if matches(p)]
            if len(found) == 1:
                return found[0].id
            if len(found) > 1:
                names = ", ".join(p.title for p in found)
                raise UnknownPillar(f"pillar {name!r} is ambiguous: {names}")
        raise UnknownPillar(f"no pillar matches {name!r}")

    # -- searching ---------------------------------------------------------------------
    def search(
        self, text: str, pillar: str | None = None, limit: int = DEFAULT_LIMIT
    ) -> SearchOutcome:
        """Ranked hits (at most `limit`), with counts of matching sections per pillar.

        `pillar` narrows the hits and `total`; `pillar_counts` always covers every pillar,
        so a tree of pillars can show where else the query matches.
        """
        parsed = parse_query(text)
        pillar_id = self.resolve_pillar(pillar) if pillar else None
        if parsed.query is None:
            return SearchOutcome(parsed.text, 0, (), fell_back=parsed.fell_back)
        with self._lock:
            tally = PillarTally(max(limit, 1), self._pillars_by_docnum(), only=pillar_id)
            self._searcher.search_with_collector(parsed.query, tally)
            counts = tally.counts
            total = counts.get(pillar_id, 0) if pillar_id else sum(counts.values())
            hits: tuple[Hit, ...] = ()
            if total:
                terms = match_terms(parsed.query, self._searcher.reader())
                hits = tuple(self._hit(result, terms) for result in tally.results()[:limit])
            suggestion = self._suggest(parsed, total, pillar_id) if total < FEW_HITS else None
        return SearchOutcome(parsed.text, total, hits, suggestion, counts, parsed.fell_back)

    def spans(self, section_id: str, text: str) -> list[Span]:
        """Every match of the query in the section's full body, for the reading view."""
        body = self.section(section_id).body
        return find_spans(body, self.match_terms(text))

    def title_spans(self, section_id: str, text: str) -> list[Span]:
        return find_spans(self.section(section_id).title, self.match_terms(text))

    def match_terms(self, text: str) -> MatchTerms:
        parsed = parse_query(text)
        if parsed.query is None:
            return NO_TERMS
        with self._lock:
            return match_terms(parsed.query, self._searcher.reader())

    def pillar_counts(self, text: str) -> dict[str, int]:
        return self.search(text, limit=1).pillar_counts

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    # -- internals ---------------------------------------------------------------------
    def _pillars_by_docnum(self) -> list[str]:
        if self._pillar_of is None:
            # Read once: docnums are fixed in an index that never changes.
            self._pillar_of = [
                self._by_id[fields["id"]].pillar_id for fields in self._searcher.all_stored_fields()
            ]
        return self._pillar_of

    def _count_by_pillar(self, query: q.Query) -> dict[str, int]:
        """Matching sections per pillar id, without ranking."""
        pillar_of = self._pillars_by_docnum()
        counts: dict[str, int] = {}
        for docnum in self._searcher.docs_for_query(query):
            counts[pillar_of[docnum]] = counts.get(pillar_of[docnum], 0) + 1
        return counts

    def _hit(self, result, terms: MatchTerms) -> Hit:
        section = self._by_id[result["id"]]
        snippet, spans = make_snippet(section.body, find_spans(section.body, terms))
        return Hit(
            section_id=section.id,
            title=section.title,
            pillar=section.pillar,
            path=section.path,
            briefing_id=section.briefing_id,
            score=float(result.score or 0.0),
            snippet=snippet,
            spans=tuple(spans),
        )

    def _suggest(self, parsed: ParsedQuery, total: int, pillar_id: str | None) -> str | None:
        """A corrected query built from the index's own words, if it finds more."""
        reader = self._searcher.reader()
        corrected = parsed.text
        changed = False
        for word in dict.fromkeys(typed_words(parsed.text)):
            stems = [t.text for t in STEMMED(word)]
            if not stems or any(reader.doc_frequency(f, s) for f in SEARCH_FIELDS for s in stems):
                continue
            # Short words have many neighbours two edits away (`sus` → `is`): allow one.
            distance = 1 if len(word) <= 4 else 2
            candidates = self._searcher.suggest("words", word.lower(), limit=3, maxdist=distance)
            if not candidates:
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
            corrected = pattern.sub(lambda _m, c=candidates[0]: c, corrected)
            changed = True
        if not changed:
            return None
        better = parse_query(corrected)
        if better.query is None:
            return None
        counts = self._count_by_pillar(better.query)
        found = counts.get(pillar_id, 0) if pillar_id else sum(counts.values())
        return corrected if found > total else None

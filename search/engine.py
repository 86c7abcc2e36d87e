"""The one way the app and the CLI search: a corpus, its index and the queries over it.

Opening an engine reads the corpus only. The index (and Whoosh with it) is opened on first
need, or by `warm_up()`: the pillars tree, `show` and `pillars` never wait for it.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from partner_tui.search.corpus import Corpus, load_corpus
from partner_tui.search.model import Briefing, Section, Span
from partner_tui.search.outcome import SearchOutcome

if TYPE_CHECKING:
    from partner_tui.search.highlight import MatchTerms
    from partner_tui.search.index_searcher import IndexSearcher

DEFAULT_LIMIT = 20
# Queries whose highlight terms are kept: the spans in the open section and its title are
# asked for right after the search of the same text, and expanding terms takes the lock.
_REMEMBERED_QUERIES = 32


class UnknownSection(LookupError):
    pass


class UnknownPillar(LookupError):
    pass


class Engine:
    """Search over one corpus. Thread-safe: index work is serialised on one lock."""

    def __init__(
        self,
        corpus: Corpus,
        cache_dir: str | os.PathLike[str] | None = None,
        rebuild: bool = False,
    ) -> None:
        self.corpus = corpus
        self._cache_dir = cache_dir
        self._rebuild = rebuild
        self._index: IndexSearcher | None = None
        self._lock = threading.Lock()
        # A lock of its own, so the event loop reading remembered terms never waits for
        # a search that holds the index lock.
        self._terms_lock = threading.Lock()
        self._terms: OrderedDict[str, MatchTerms] = OrderedDict()
        self._by_id = {section.id: section for section in corpus.sections}

    @classmethod
    def open(
        cls,
        corpus_path: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        rebuild: bool = False,
    ) -> Engine:
        """Read the corpus; the index opens (or is built) on first need, see `warm_up`."""
        return cls(load_corpus(corpus_path), cache_dir, rebuild)

    def warm_up(self) -> None:
        """Open the index now (building it if need be). Safe from any thread; searches
        started meanwhile wait for it."""
        with self._lock:
            self._opened_index()

    @property
    def index(self) -> IndexSearcher:
        """The opened index, opening it if need be (for tools and benchmarks)."""
        with self._lock:
            return self._opened_index()

    # -- what is in the corpus --------------------------------------------------------
    @property
    def warnings(self) -> list[str]:
        """The corpus's warnings, and the index's once it is open (see `warm_up`)."""
        return self.corpus.warnings + self.index_warnings

    @property
    def index_warnings(self) -> list[str]:
        """What went wrong opening the index (empty until it is open)."""
        opened = self._index
        return list(opened.opened.warnings) if opened is not None else []

    @property
    def index_location(self) -> Path | None:
        return self.index.opened.location

    @property
    def index_was_built(self) -> bool:
        return self.index.opened.built

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
        from partner_tui.search.query import parse_query

        parsed = parse_query(text)
        pillar_id = self.resolve_pillar(pillar) if pillar else None
        if parsed.query is None:
            return SearchOutcome(
                parsed.text, 0, (), fell_back=parsed.fell_back, refused=parsed.refused
            )
        with self._lock:
            total, hits, suggestion, counts, terms = self._opened_index().search(
                parsed, pillar_id, limit
            )
        if terms is not None:
            self._remember(parsed.text, terms)
        return SearchOutcome(parsed.text, total, hits, suggestion, counts, parsed.fell_back)

    def spans(self, section_id: str, text: str) -> list[Span]:
        """Every match of the query in the section's full body, for the reading view."""
        return self._find(self.section(section_id).body, text, "body")

    def title_spans(self, section_id: str, text: str) -> list[Span]:
        return self._find(self.section(section_id).title, text, "title")

    def match_terms(self, text: str) -> MatchTerms:
        """What to highlight for a query; remembered, since the same text is asked for
        by the search, the open section and its title."""
        key = text.strip()
        with self._terms_lock:
            if key in self._terms:
                self._terms.move_to_end(key)
                return self._terms[key]
        from partner_tui.search.highlight import NO_TERMS
        from partner_tui.search.query import parse_query

        parsed = parse_query(key)
        if parsed.query is None:
            return NO_TERMS
        with self._lock:
            terms = self._opened_index().match_terms(parsed)
        self._remember(key, terms)
        return terms

    def pillar_counts(self, text: str) -> dict[str, int]:
        return self.search(text, limit=1).pillar_counts

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()

    # -- internals ---------------------------------------------------------------------
    def _opened_index(self) -> IndexSearcher:
        """The index, opened on first call. The caller holds `_lock`."""
        if self._index is None:
            from partner_tui.search.index_searcher import IndexSearcher

            self._index = IndexSearcher.open(
                self.corpus.sections, self.corpus.fingerprint, self._cache_dir, self._rebuild
            )
        return self._index

    def _find(self, text: str, query: str, shown: str) -> list[Span]:
        if not query.strip() or not text:  # nothing searched: no need for the index
            return []
        terms = self.match_terms(query)
        if not terms:
            return []
        from partner_tui.search.highlight import find_spans

        return find_spans(text, terms.body if shown == "body" else terms.title)

    def _remember(self, key: str, terms: MatchTerms) -> None:
        with self._terms_lock:
            self._terms[key] = terms
            self._terms.move_to_end(key)
            while len(self._terms) > _REMEMBERED_QUERIES:
                self._terms.popitem(last=False)

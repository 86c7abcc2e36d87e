"""The one way the app and the CLI search: a corpus, its index and the queries over it.

Opening an engine reads the corpus only. The index (and Whoosh with it) is opened on first
need, or by `warm_up()`: the pillars tree, `show` and `pillars` never wait for it.
`refresh()` reads the corpus again (only changed files are re-read) and brings the index
up to date by re-indexing those files; searches meanwhile are answered from the previous
version and move to the new one in a single step.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from partner_tui.search.corpus import Corpus, load_corpus
from partner_tui.search.model import Briefing, Section, Span
from partner_tui.search.outcome import SearchOutcome
from partner_tui.search.sections_by_id import SectionsById

if TYPE_CHECKING:
    from partner_tui.search.highlight import MatchTerms
    from partner_tui.search.index_searcher import IndexSearcher

Progress = Callable[[int, int], None]
"""Told (sections indexed, sections to index) while the index is built or updated."""

DEFAULT_LIMIT = 20
# Queries whose highlight terms are kept: the spans in the open section and its title are
# asked for right after the search of the same text, and expanding terms takes the lock.
_REMEMBERED_QUERIES = 32


def _place(section: Section) -> tuple:
    """What a tree of sections shows of one: its titles and where it sits."""
    return (section.path, section.briefing_title, section.order, section.is_overview)


class UnknownSection(LookupError):
    pass


class UnknownPillar(LookupError):
    pass


@dataclass(frozen=True)
class LibraryChange:
    """What a refresh changed, by section id."""

    added: frozenset[str]
    changed: frozenset[str]
    removed: frozenset[str]
    reshaped: bool = True
    """Whether the tree of briefings and sections changed (sections added, removed,
    renamed or moved); False when only texts changed, so a tree need not be rebuilt."""

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


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
        self._refresh_lock = threading.Lock()  # one refresh at a time
        # Writers take this lock; readers only `get` (atomic), so the event loop asking
        # for remembered terms never waits for anything.
        self._terms_lock = threading.Lock()
        self._terms: dict[str, MatchTerms] = {}
        self._by_id: Mapping[str, Section] = SectionsById(corpus.briefings)
        self.progress: Progress | None = None
        """Told how index building goes (set before `warm_up` or `refresh`)."""

    @classmethod
    def open(
        cls,
        corpus_path: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        rebuild: bool = False,
    ) -> Engine:
        """Read the corpus; the index opens (or is built) on first need, see `warm_up`."""
        return cls(load_corpus(corpus_path, cache_dir), cache_dir, rebuild)

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
    def index_was_updated(self) -> bool:
        """True when opening made a new version re-indexing only changed files."""
        return self.index.opened.updated

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
        self,
        text: str,
        pillar: str | None = None,
        limit: int = DEFAULT_LIMIT,
        count_pillars: bool = True,
        snippets: int | None = None,
    ) -> SearchOutcome:
        """Ranked hits (at most `limit`), with counts of matching sections per pillar.

        `pillar` narrows the hits and `total`; `pillar_counts` always covers every pillar,
        so a tree of pillars can show where else the query matches. `count_pillars=False`
        leaves `pillar_counts` empty, for callers that show only the total: counting
        means reading every section's pillar from the index, a cold search's largest
        cost after the corpus at 10k sections. `snippets`: how many of the hits get
        their snippet now (None: all); the others make theirs on first use, so a caller
        that shows a screenful first (the app) does not wait for the rest's.
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
                parsed, pillar_id, limit, count_pillars, snippets
            )
        if terms is not None:
            self._remember(parsed.text, terms)
        return SearchOutcome(parsed.text, total, hits, suggestion, counts, parsed.fell_back)

    def spans(self, section_id: str, text: str) -> list[Span]:
        """Every match of the query in the section's full body, for the reading view."""
        return self._find(self.section(section_id).body, text, "body")

    def title_spans(self, section_id: str, text: str) -> list[Span]:
        return self._find(self.section(section_id).title, text, "title")

    def ready_spans(self, section_id: str, text: str, title: bool = False) -> list[Span] | None:
        """The spans `spans` (or `title_spans`) would give, if the query's terms are at
        hand; None if finding them needs the index. Never waits: for the event loop."""
        section = self._by_id.get(section_id)
        if section is None:
            return []
        target = section.title if title else section.body
        if not text.strip() or not target:
            return []
        terms = self._terms.get(text.strip())
        if terms is None:
            return None
        if not terms:
            return []
        from partner_tui.search.highlight import find_spans

        return find_spans(target, terms.title if title else terms.body)

    def match_terms(self, text: str) -> MatchTerms:
        """What to highlight for a query; remembered, since the same text is asked for
        by the search, the open section and its title."""
        key = text.strip()
        remembered = self._terms.get(key)
        if remembered is not None:
            return remembered
        from partner_tui.search.highlight import NO_TERMS
        from partner_tui.search.query import parse_query

        parsed = parse_query(key)
        if parsed.query is None:
            return NO_TERMS
        with self._lock:
            terms = self._opened_index().match_terms(parsed)
        self._remember(key, terms)
        return terms

    def refresh(self) -> LibraryChange:
        """Read the corpus again and bring the index up to date with it (if it is open).

        Slow work happens before the swap: searches go on meanwhile, answered by the
        previous version. Raises CorpusError if the corpus is gone or holds nothing."""
        with self._refresh_lock:
            corpus = load_corpus(self.corpus.root, self._cache_dir, previous=self.corpus)
            if corpus.fingerprint == self.corpus.fingerprint:
                self.corpus.warnings = corpus.warnings
                return LibraryChange(frozenset(), frozenset(), frozenset())
            by_id = {section.id: section for section in corpus.sections}
            with self._lock:  # waits for a first opening under way, so it is not lost
                index_open = self._index is not None
            index = self._open_for(corpus, by_id, rebuild=False) if index_open else None
            old_ids = self._by_id
            with self._lock:
                previous = self._index
                self.corpus, self._by_id = corpus, by_id
                if index is not None:
                    self._index = index
            with self._terms_lock:
                self._terms = {}  # terms were expanded against the old words
            if previous is not None and index is not None:
                previous.close()
        common = old_ids.keys() & by_id.keys()
        added = frozenset(by_id.keys() - old_ids.keys())
        removed = frozenset(old_ids.keys() - by_id.keys())
        # Unchanged files' sections are the very same objects (their readings are
        # reused): comparing 10k bodies took a third of a second.
        changed = frozenset(
            i for i in common if old_ids[i] is not by_id[i] and old_ids[i] != by_id[i]
        )
        moved = any(_place(old_ids[i]) != _place(by_id[i]) for i in changed)
        return LibraryChange(added, changed, removed, reshaped=bool(added or removed or moved))

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()

    # -- internals ---------------------------------------------------------------------
    def _opened_index(self) -> IndexSearcher:
        """The index, opened on first call. The caller holds `_lock`."""
        if self._index is None:
            self._index = self._open_for(self.corpus, self._by_id, self._rebuild)
            self._rebuild = False
        return self._index

    def _open_for(
        self, corpus: Corpus, by_id: Mapping[str, Section], rebuild: bool
    ) -> IndexSearcher:
        from partner_tui.search.index_searcher import IndexSearcher

        files = {
            b.source: (corpus.signatures[b.source], _SectionsOf(b))
            for b in corpus.briefings
            if b.source in corpus.signatures
        }
        return IndexSearcher.open(
            files, corpus.root, by_id, self._cache_dir, rebuild, self.progress
        )

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
            # A new dict each time: a reader's `get` never sees one being resized.
            kept = {k: v for k, v in self._terms.items() if k != key}
            kept[key] = terms
            while len(kept) > _REMEMBERED_QUERIES:
                del kept[next(iter(kept))]
            self._terms = kept


class _SectionsOf(Sequence[Section]):
    """A briefing's sections, made only if the index needs them (to build or update):
    opening a current index needs only the files' signatures, and making every
    briefing's sections cost a cold 10k-section search ~30 ms."""

    def __init__(self, briefing: Briefing) -> None:
        self._briefing = briefing

    def __getitem__(self, index):
        return self._briefing.sections[index]

    def __len__(self) -> int:
        return len(self._briefing.sections)

    def __iter__(self) -> Iterator[Section]:
        return iter(self._briefing.sections)

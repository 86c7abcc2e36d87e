"""Everything about searching that needs Whoosh: the opened index and the queries over it.

The engine imports this module only when it first needs the index, so opening a corpus
(the pillars tree, `partner-tui show`, `partner-tui pillars`) never pays for importing
Whoosh or for opening the index. Not thread-safe on its own: the engine serialises calls.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from partner_tui.search.highlight import (
    FieldTerms,
    MatchTerms,
    find_spans,
    make_snippet,
    match_terms,
)
from partner_tui.search.index_store import FileDocs, OpenedIndex, Progress, open_index
from partner_tui.search.model import Hit, Section, Span
from partner_tui.search.query import ParsedQuery, parse_query, typed_words
from partner_tui.search.schema import SEARCH_FIELDS, STEMMED
from partner_tui.search.tally import PillarTally
from whoosh import query as q

# Below this many hits a did-you-mean is worth offering ("finds nothing or little").
FEW_HITS = 3
# Each unknown word costs a Levenshtein walk of the word list: a few are worth correcting.
MAX_CORRECTED_WORDS = 2


def _snippet(body: str, terms: FieldTerms) -> tuple[str, tuple[Span, ...]]:
    snippet, spans = make_snippet(body, find_spans(body, terms))
    return snippet, tuple(spans)


class IndexSearcher:
    """One corpus version's index with the searcher that serves it for the engine's life."""

    def __init__(self, opened: OpenedIndex, by_id: Mapping[str, Section]) -> None:
        self.opened = opened
        # A version of the index never changes once renamed into place (a newer one gets
        # a new directory and a new IndexSearcher), so one searcher serves this one.
        self._searcher = opened.searcher
        self._by_id = by_id
        self._pillar_of: list[str] | None = None
        self._longest_word: int | None = None

    @classmethod
    def open(
        cls,
        files: FileDocs,
        corpus_root: Path,
        by_id: Mapping[str, Section],
        cache_dir: str | os.PathLike[str] | None,
        rebuild: bool,
        progress: Progress | None = None,
    ) -> IndexSearcher:
        opened = open_index(files, corpus_root, cache_dir, rebuild=rebuild, progress=progress)
        return cls(opened, by_id)

    def search(
        self,
        parsed: ParsedQuery,
        pillar_id: str | None,
        limit: int,
        count_pillars: bool = True,
        snippets: int | None = None,
    ) -> tuple[int, tuple[Hit, ...], str | None, dict[str, int], MatchTerms | None]:
        """(total, hits, suggestion, counts per pillar or {} if not `count_pillars`, the
        terms to highlight or None). Only the first `snippets` hits (None: all) get their
        snippet now; the others make theirs on first use (`Hit.deferred`)."""
        if parsed.query is None:
            return 0, (), None, {}, None
        pillar_of = self._pillars_by_docnum() if count_pillars or pillar_id else None
        tally = PillarTally(max(limit, 1), pillar_of, only=pillar_id)
        self._searcher.search_with_collector(parsed.query, tally)
        counts = tally.counts if pillar_of is not None else {}
        if pillar_id:
            total = counts.get(pillar_id, 0)
        else:
            total = len(tally.matched)  # every document it saw matched (see PillarTally)
        hits: tuple[Hit, ...] = ()
        terms = None
        if total:
            terms = self.match_terms(parsed)
            now = limit if snippets is None else snippets
            hits = tuple(
                self._hit(result, terms, snippet_now=rank < now)
                for rank, result in enumerate(tally.results()[:limit])
            )
        suggestion = self._suggest(parsed, total, pillar_id) if total < FEW_HITS else None
        return total, hits, suggestion, counts, terms

    def match_terms(self, parsed: ParsedQuery) -> MatchTerms:
        return match_terms(parsed.query, self._searcher.reader())

    def close(self) -> None:
        self.opened.close()

    # -- internals ---------------------------------------------------------------------
    def _pillars_by_docnum(self) -> list[str]:
        if self._pillar_of is None:
            # Read once: docnums are fixed in a version that never changes. The column
            # has a value for every number, deleted documents' too (they never match).
            self._pillar_of = list(self._searcher.reader().column_reader("pillar_id"))
        return self._pillar_of

    def _count_by_pillar(self, query: q.Query) -> dict[str, int]:
        """Matching sections per pillar id, without ranking."""
        pillar_of = self._pillars_by_docnum()
        counts: dict[str, int] = {}
        for docnum in self._searcher.docs_for_query(query):
            counts[pillar_of[docnum]] = counts.get(pillar_of[docnum], 0) + 1
        return counts

    def _hit(self, result, terms: MatchTerms, snippet_now: bool = True) -> Hit:
        section = self._by_id[result["id"]]
        fields: dict[str, Any] = dict(
            section_id=section.id,
            title=section.title,
            pillar=section.pillar,
            path=section.path,
            briefing_id=section.briefing_id,
            score=float(result.score or 0.0),
            # Here, from the terms the snippet used: the app shows them for every result,
            # and asking per hit would parse and expand the query once per result.
            title_spans=tuple(find_spans(section.title, terms.title)),
        )
        # The body is read here, in the search's thread: a section from the reader cache
        # decodes its briefing on first use, which is no work for whoever shows the hit.
        make = partial(_snippet, section.body, terms.body)
        if snippet_now:
            snippet, spans = make()
            return Hit(snippet=snippet, spans=spans, **fields)
        return Hit.deferred(make, **fields)

    def _longest_indexed_word(self) -> int:
        """Length (in UTF-8 bytes, at least its characters) of the index's longest word."""
        if self._longest_word is None:
            self._longest_word = max(map(len, self._searcher.reader().lexicon("words")), default=0)
        return self._longest_word

    def _suggest(self, parsed: ParsedQuery, total: int, pillar_id: str | None) -> str | None:
        """A corrected query built from the index's own words, if it finds more."""
        reader = self._searcher.reader()
        corrected = parsed.text
        changed = False
        tried = 0
        for word in dict.fromkeys(typed_words(parsed.text)):
            # A word longer than any indexed word (plus the edits allowed) has no neighbour,
            # and Whoosh's Levenshtein automaton costs more the longer the word.
            if len(word) > self._longest_indexed_word() + 2:
                continue
            stems = [t.text for t in STEMMED(word)]
            if not stems or any(reader.doc_frequency(f, s) for f in SEARCH_FIELDS for s in stems):
                continue
            tried += 1
            if tried > MAX_CORRECTED_WORDS:
                break
            # Short words have many neighbours two edits away (`sus` → `is`): allow one.
            # Long words allow one too: the automaton for two edits costs ~10× more.
            distance = 2 if 4 < len(word) <= 10 else 1
            candidates = self._searcher.suggest("words", word.lower(), limit=3, maxdist=distance)
            if not candidates:
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
            # A plain replacement string: only a backslash is special in one.
            corrected = pattern.sub(candidates[0].replace("\\", "\\\\"), corrected)
            changed = True
        if not changed:
            return None
        better = parse_query(corrected)
        if better.query is None:
            return None
        counts = self._count_by_pillar(better.query)
        found = counts.get(pillar_id, 0) if pillar_id else sum(counts.values())
        return corrected if found > total else None

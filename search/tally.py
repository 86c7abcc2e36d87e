"""Rank the top hits and count every match per pillar in one pass over the postings.

Whoosh's `groupedby` facets collect and score every match a second way, and a separate
`docs_for_query` pass walks the postings again; either costs more than the search itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from whoosh import collectors


class PillarTally(collectors.TopCollector):
    """A TopCollector that also counts every matching document by its pillar id.

    Block-quality skipping and matcher replacement are off: both skip documents that
    cannot reach the top N, and every match must be counted. Documents outside `only`
    are counted but never ranked (the pillar filter).
    """

    def __init__(
        self, limit: int, pillar_of: Sequence[str] | None, only: str | None = None
    ) -> None:
        """`pillar_of`: each docnum's pillar id; None to count no pillars (then `only`
        must be None too)."""
        super().__init__(limit=limit, usequality=False, replace=0)
        self.pillar_of = pillar_of
        self.only = only
        self.matched: list[int] = []

    def collect_matches(self) -> None:
        # The hot loop of every search: kept free of per-document Python beyond the
        # append and Whoosh's own scoring; counting happens once, at C speed, afterwards.
        rank = self.collect
        offset = self.offset
        remember = self.matched.append
        if self.only is None:
            for sub_docnum in self.matches():
                remember(offset + sub_docnum)
                rank(sub_docnum)
            return
        pillar_of, only = self.pillar_of, self.only
        assert pillar_of is not None, "a pillar filter needs the pillars"
        for sub_docnum in self.matches():
            remember(offset + sub_docnum)
            if pillar_of[offset + sub_docnum] == only:
                rank(sub_docnum)

    @property
    def counts(self) -> dict[str, int]:
        assert self.pillar_of is not None, "no pillars were given to count by"
        return dict(Counter(map(self.pillar_of.__getitem__, self.matched)))

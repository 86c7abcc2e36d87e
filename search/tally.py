"""Rank the top hits and count every match per pillar in one pass over the postings.

Whoosh's `groupedby` facets collect and score every match a second way, and a separate
`docs_for_query` pass walks the postings again; either costs more than the search itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh import collectors


class PillarTally(collectors.TopCollector):
    """A TopCollector that also counts every matching document by its pillar id.

    Block-quality skipping and matcher replacement are off: both skip documents that
    cannot reach the top N, and every match must be counted. Documents outside `only`
    are counted but never ranked (the pillar filter).
    """

    def __init__(self, limit: int, pillar_of: Sequence[str], only: str | None = None) -> None:
        super().__init__(limit=limit, usequality=False, replace=0)
        self.pillar_of = pillar_of
        self.only = only
        self.counts: dict[str, int] = {}

    def collect(self, sub_docnum: int):
        pillar_id = self.pillar_of[self.offset + sub_docnum]
        self.counts[pillar_id] = self.counts.get(pillar_id, 0) + 1
        if self.only is not None and pillar_id != self.only:
            return 0
        return super().collect(sub_docnum)

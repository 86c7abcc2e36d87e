"""What one search found: the ranked hits, their count per pillar, and any suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field

from partner_tui.search.model import Hit


@dataclass(frozen=True)
class SearchOutcome:
    query: str
    total: int
    hits: tuple[Hit, ...]
    suggestion: str | None = None
    pillar_counts: dict[str, int] = field(default_factory=dict)
    # The query's operators did not parse and its plain words were searched instead.
    fell_back: bool = False
    # Why the query was not searched at all (too long, too many words), to show as is.
    refused: str | None = None

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [hit.as_json() for hit in self.hits],
            "suggestion": self.suggestion,
            "pillar_counts": self.pillar_counts,
            "read_literally": self.fell_back,
        }

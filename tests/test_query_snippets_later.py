"""Snippets made later: a search can make only the first hits' snippets now (the app shows
a screenful first), and every later snippet, made on first use, is the one the search
would have made at once: same text, same highlights, same JSON."""

from __future__ import annotations

import threading

import pytest
from partner_tui.search import highlight
from support_query_lab import open_lab

QUERIES = [
    "green",
    "green OR solar",
    '"drip irrigation"',
    "irrigat*",
    "irigation~",
    "green -energy",
    "title:farm",
    "low-carbon",
    "solar farm",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    yield from open_lab(tmp_path_factory)


@pytest.mark.parametrize("now", [0, 1, 2, 5])
def test_later_snippets_are_those_made_at_once(lab, now):
    for query in QUERIES:
        at_once = lab.search(query, limit=50)
        later = lab.search(query, limit=50, snippets=now)
        assert later.hits, query
        # Compared field by field and as the CLI's JSON: text, spans and title spans.
        assert later == at_once, query
        assert [hit.as_json() for hit in later.hits] == [hit.as_json() for hit in at_once.hits]
        assert [hit.title_spans for hit in later.hits] == [h.title_spans for h in at_once.hits]


def test_only_the_first_hits_snippets_are_made_by_the_search(lab, monkeypatch):
    made: list[str] = []
    original = highlight.make_snippet

    def counted(text, spans, *args):
        made.append(text)
        return original(text, spans, *args)

    monkeypatch.setattr("partner_tui.search.index_searcher.make_snippet", counted)
    outcome = lab.search("green OR solar", limit=50, snippets=1)
    assert len(outcome.hits) > 2
    assert len(made) == 1
    snippets = [hit.snippet for hit in outcome.hits]  # the others, now they are asked for
    assert len(made) == len(outcome.hits)
    assert [hit.snippet for hit in outcome.hits] == snippets  # made once, then kept
    assert len(made) == len(outcome.hits)


def test_a_later_snippet_asked_for_by_many_threads_at_once_is_the_same(lab):
    expected = [hit.as_json() for hit in lab.search("green OR solar", limit=50).hits]
    for _ in range(20):
        hits = lab.search("green OR solar", limit=50, snippets=0).hits
        seen: list[list[dict]] = []
        start = threading.Barrier(4)

        def read(hits=hits, seen=seen, start=start) -> None:
            start.wait()
            seen.append([hit.as_json() for hit in hits])

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen == [expected] * 4

"""One engine shared by threads (the app searches in a worker) answers each correctly."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from partner_tui.search.engine import UnknownSection
from support_query_lab import GREEN_ENERGY, IRRIGATION, ROBOTICS, open_lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    yield from open_lab(tmp_path_factory)


def test_concurrent_searches_and_spans_agree_with_serial_ones(lab):
    queries = ["robots", "drip irrigation", "green -parks", "irrigat*", "sustainabilty", "solar"]
    expected = {text: lab.search(text) for text in queries}
    work = queries * 40

    def one(text: str):
        return text, lab.search(text), lab.spans(GREEN_ENERGY, text)

    with ThreadPoolExecutor(max_workers=8) as pool:
        for text, outcome, spans in pool.map(one, work):
            assert outcome == expected[text]
            assert spans == lab.spans(GREEN_ENERGY, text)


def test_sections_by_id(lab):
    assert lab.has_section(ROBOTICS) and not lab.has_section("lab/nothing")
    assert lab.section(IRRIGATION).title == "Irrigation"
    with pytest.raises(UnknownSection):
        lab.section("lab/nothing")

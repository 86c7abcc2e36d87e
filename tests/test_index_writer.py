"""The fast index writer against Whoosh's own: the same tokens, the same postings.

IndexedText indexes with plain loops and MemorySegmentWriter writes postings a block at a
time; the oracle is Whoosh's analyzer chain and Whoosh's SegmentWriter over the same
documents. Every term's postings (documents, weights, encoded positions) and statistics
must be equal, or searches would silently differ.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from partner_tui.search.posting_writer import MemorySegmentWriter
from partner_tui.search.schema import build_schema
from support_cases import cases
from whoosh.fields import TEXT
from whoosh.filedb.filestore import RamStorage

_WORDS = st.sampled_from(
    [
        "robots",
        "Robotics",
        "HTMLParser",
        "node.js",
        "user_name",
        "ASN.1",
        "GNU",
        "mp3",
        "the",
        "a",
        "ÉCOLE",
        "ABC中",
        "setMaxListeners",
        "x" * 120,
        "2026",
        "e.g.",
        "naïve",
    ]
)
_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(_WORDS, max_size=40).map(" ".join),
    st.lists(st.one_of(_WORDS, st.text(max_size=12)), max_size=30).map("\n".join),
)


@settings(max_examples=cases(400), deadline=None)
@given(_TEXT)
def test_indexed_text_gives_the_analyzers_postings(text):
    for name, field in build_schema().items():
        if isinstance(field, TEXT):
            fast = sorted(field.index(text))
            oracle = sorted(TEXT.index(field, text))
            assert fast == oracle, name


def _index(documents: list[dict], fast: bool):
    ix = RamStorage().create_index(build_schema())
    writer = MemorySegmentWriter(ix) if fast else ix.writer()
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    return ix


def _everything(ix) -> dict:
    reader = ix.reader()
    found = {}
    for fieldname, term in reader.all_terms():
        info = reader.term_info(fieldname, term)
        matcher = reader.postings(fieldname, term)
        postings = []
        while matcher.is_active():
            postings.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
        found[(fieldname, term)] = (stats, info.max_weight(), postings)
    docs = range(reader.doc_count_all())
    lengths = {f: [reader.doc_field_length(d, f) for d in docs] for f in ix.schema.names()}
    stored = [reader.stored_fields(d) for d in docs]
    pillars = list(reader.column_reader("pillar_id"))
    return {"terms": found, "lengths": lengths, "stored": stored, "pillars": pillars}


_DOCUMENT = st.builds(
    lambda n, pillar, title, body: {
        "id": f"b{n}/s",
        "source": f"b{n}.md",
        "briefing": f"b{n}",
        "pillar_id": f"b{n}/{pillar[:5]}",
        "pillar": pillar,
        "title": title,
        "body": body,
        "words": f"{title}\n{body}",
        "title_words": title,
        "pillar_words": pillar,
    },
    st.integers(0, 9),
    st.lists(_WORDS, min_size=1, max_size=3).map(" ".join),
    st.lists(_WORDS, min_size=1, max_size=4).map(" ".join),
    _TEXT,
)


@settings(max_examples=cases(100), deadline=None)
@given(st.lists(_DOCUMENT, min_size=1, max_size=12))
def test_memory_writer_writes_what_whooshs_writer_writes(documents):
    assert _everything(_index(documents, fast=True)) == _everything(_index(documents, fast=False))


def test_many_postings_of_one_term_span_several_blocks():
    # 300 documents share `robots`: more than two blocks of 128 postings.
    documents = [
        {"id": f"d{n}", "title": "robots", "body": "robots " * (n % 7 + 1), "words": "robots"}
        for n in range(300)
    ]
    fast, oracle = _everything(_index(documents, True)), _everything(_index(documents, False))
    assert fast == oracle
    assert len(fast["terms"][("body", b"robot")][2]) == 300

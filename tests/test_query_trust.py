"""Issue 8's "done when", literally: exclusion on the bundled briefing, words as documents
write them, exact phrases, highlights only where a field matched, and the CLI's notices."""

from __future__ import annotations

import json

import pytest
from partner_tui.search.engine import Engine
from partner_tui.tui.cli.main import main
from support_engine import write_corpus
from support_oracle import Doc, query_stem

WORDS_MD = """\
# Words

## Events

Call emitter.setMaxListeners(n) to raise the limit. Written by **Chris Dickinson**.

## Runtimes

Node.js runs JavaScript. Set user_name first. Certificates use ASN.1 encoding.

## Legal

Read the terms of use before you start.

## Other legal

Read the terms and use them wisely.

## Events in titles

Nothing about setMaxListeners here, only about events.
"""


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    engine = Engine.open(cache_dir=tmp_path_factory.mktemp("cache"))
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def words(tmp_path_factory):
    root = tmp_path_factory.mktemp("words")
    write_corpus(root / "corpus", {"words.md": WORDS_MD})
    engine = Engine.open(root / "corpus", cache_dir=root / "cache")
    yield engine
    engine.close()


def found(engine: Engine, text: str) -> set[str]:
    return {hit.section_id for hit in engine.search(text, limit=1000).hits}


def containing(engine: Engine, word: str) -> set[str]:
    """Sections whose analysed title or body words include the word: the oracle."""
    stem = query_stem(word)
    return {s.id for s in engine.corpus.sections if stem in Doc(s).stems}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- exclusion on the bundled briefing ------------------------------------------------------
def test_robots_without_japan_finds_nothing_and_exits_1(seed, capsys):
    assert found(seed, "robots") and found(seed, "robots") <= containing(seed, "japan")
    assert found(seed, "robots -japan") == set()
    code, out, _ = run(capsys, "search", "--", "robots -japan")
    assert code == 1 and out.startswith("No sections match")


def test_lone_negation_is_every_section_without_the_word(seed):
    every = {section.id for section in seed.corpus.sections}
    without = every - containing(seed, "japan")
    assert without and found(seed, "-japan") == without
    assert seed.search("-japan").total == len(without)
    assert found(seed, "NOT japan") == without


def test_negation_inside_a_group(seed):
    expected = found(seed, "green") | (found(seed, "robots") - found(seed, "japan"))
    assert found(seed, "green")
    assert found(seed, "(robots -japan) OR green") == expected
    assert not seed.search("(robots -japan) OR green").fell_back


@pytest.mark.parametrize(
    "text",
    [
        "robots -japan",
        "-japan robots",
        "robots NOT japan",
        "robots ANDNOT japan",
        "(robots OR digital) -japan",
    ],
)
def test_counts_per_pillar_leave_out_the_excluded(seed, text):
    outcome = seed.search(text, limit=1000)
    assert sum(outcome.pillar_counts.values()) == outcome.total == len(outcome.hits)
    japan = containing(seed, "japan")
    assert not {hit.section_id for hit in outcome.hits} & japan


# -- words as documents write them --------------------------------------------------------
EVENTS, RUNTIMES = "words/events", "words/runtimes"


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("Dickinson", EVENTS),
        ("chris", EVENTS),
        ("setMaxListeners", EVENTS),
        ("setmaxlisteners", EVENTS),
        ("emitter.setMaxListeners", EVENTS),
        ("listeners", EVENTS),
        ("node.js", RUNTIMES),
        ("node", RUNTIMES),
        ("user_name", RUNTIMES),
        ("user", RUNTIMES),
        ("asn.1", RUNTIMES),
        ('"node js"', RUNTIMES),
    ],
)
def test_words_are_found_whole_and_by_their_parts(words, query, section):
    assert section in found(words, query)


def test_the_part_that_matched_is_highlighted(words):
    body = words.section(EVENTS).body

    def marked(query):
        return [body[a:b] for a, b in words.spans(EVENTS, query)]

    assert marked("Dickinson") == ["Dickinson"]
    assert marked("setMaxListeners") == ["setMaxListeners"]
    assert marked("listeners") == ["Listeners"]
    assert marked("emitter.setMaxListeners") == ["emitter.setMaxListeners"]


def test_no_suggestion_glued_to_markup(words):
    assert words.search("dickinsen").suggestion == "dickinson"


def test_an_exact_phrase_is_exact(words):
    assert found(words, '"terms of use"') == {"words/legal"}
    assert found(words, '"terms and use"') == {"words/other-legal"}
    body = words.section("words/legal").body
    assert [body[a:b] for a, b in words.spans("words/legal", '"terms of use"')] == ["terms of use"]


def test_title_and_pillar_terms_highlight_only_where_they_matched(words):
    section = "words/events-in-titles"
    assert words.spans(section, "title:events") == []
    title = words.section(section).title
    assert [title[a:b] for a, b in words.title_spans(section, "title:events")] == ["Events"]
    assert words.spans(section, "pillar:events") == []
    assert words.title_spans(section, "pillar:events") == []
    # Unfielded, the word is marked in both.
    assert words.spans(section, "events") and words.title_spans(section, "events")


# -- the CLI says when a query was read literally -------------------------------------------
def test_cli_says_when_a_query_was_read_literally(capsys):
    code, _, err = run(capsys, "search", '"digital (')
    assert code == 0
    assert "read" in err and "literally" in err
    code, out, err = run(capsys, "search", "--json", '"digital (')
    assert json.loads(out)["read_literally"] is True
    code, out, err = run(capsys, "search", "--json", "digital")
    assert json.loads(out)["read_literally"] is False and err == ""

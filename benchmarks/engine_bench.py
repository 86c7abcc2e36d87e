"""How fast is the engine? Run by hand: `python benchmarks/engine_bench.py [--runs N]`.

Builds synthetic Markdown corpora of 1k and 10k sections (~150 words each, a Zipf-like
vocabulary so some words are common), then prints:
- the index build time;
- the wall time of a cold `partner-tui search` process (index already built), on the
  bundled briefing and on the 10k corpus;
- median and p95 of `Engine.search` (ranking, per-pillar counts, snippets, spans) beside
  raw Whoosh (`searcher.search(parsed_query, limit=10)` and reading the stored fields) on
  the same index and queries, and their ratio.
Targets: engine p95 <= 1.25 x raw Whoosh p95 at 10k sections; cold search <= 0.25 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from partner_tui.search.engine import Engine
from partner_tui.search.query import parse_query

SECTIONS_PER_FILE = 10
WORDS_PER_SECTION = 150
VOCABULARY = 6000
SYLLABLES = "ka ri to ne mu sa lo vi de pa zu ho ge ly fa ti nor bel quan sten".split()


def _vocabulary(rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _zipf_weights(size: int) -> list[float]:
    return [1 / (rank**1.07) for rank in range(1, size + 1)]


def write_corpus(root: Path, sections: int, seed: int = 7) -> list[str]:
    """Markdown briefings under root; returns the vocabulary, most common word first."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    rng.shuffle(vocabulary)
    weights = _zipf_weights(len(vocabulary))
    for number in range(sections // SECTIONS_PER_FILE):
        parts = [f"# Briefing {number}\n"]
        for pillar in range(SECTIONS_PER_FILE):
            heading = " ".join(rng.choices(vocabulary[:2000], k=3)).capitalize()
            body_words = rng.choices(vocabulary, weights=weights, k=WORDS_PER_SECTION)
            sentences = [
                " ".join(body_words[i : i + 15]).capitalize() + "."
                for i in range(0, WORDS_PER_SECTION, 15)
            ]
            parts.append(f"## {heading} {pillar}\n\n{' '.join(sentences)}\n")
        (root / f"briefing-{number:05d}.md").write_text("\n".join(parts), encoding="utf-8")
    return vocabulary


def make_queries(vocabulary: list[str], count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    weights = _zipf_weights(len(vocabulary))
    return [
        " ".join(rng.choices(vocabulary, weights=weights, k=rng.randint(1, 3)))
        for _ in range(count)
    ]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _ms(values: list[float]) -> str:
    median, p95 = statistics.median(values) * 1000, _percentile(values, 0.95) * 1000
    return f"median {median:7.2f} ms  p95 {p95:7.2f} ms"


def time_queries(engine: Engine, queries: list[str]) -> tuple[list[float], list[float]]:
    raw_searcher = engine.index.opened.index.searcher()
    parsed = [parse_query(text).query for text in queries]
    for text in queries[:20]:  # warm caches the same way for both
        engine.search(text, limit=10)
    engine_times, raw_times = [], []
    for text, query in zip(queries, parsed, strict=True):
        start = time.perf_counter()
        engine.search(text, limit=10)
        engine_times.append(time.perf_counter() - start)
        if query is None:
            raw_times.append(0.0)
            continue
        start = time.perf_counter()
        results = raw_searcher.search(query, limit=10)
        [hit.fields() for hit in results]
        raw_times.append(time.perf_counter() - start)
    raw_searcher.close()
    return engine_times, raw_times


def cold_search(corpus: Path | None, cache: Path, word: str, runs: int) -> list[float]:
    command = [str(Path(sys.executable).with_name("partner-tui")), "search", word, "--limit", "10"]
    if corpus is not None:
        command += ["--corpus", str(corpus)]
    env = {**os.environ, "PARTNER_TUI_CACHE_DIR": str(cache)}
    subprocess.run(command, env=env, capture_output=True, check=False)  # builds the index
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def bench_corpus(sections: int, queries: int, runs: int, work: Path) -> None:
    root = work / f"corpus-{sections}"
    root.mkdir()
    vocabulary = write_corpus(root, sections)
    cache = work / f"cache-{sections}"
    start = time.perf_counter()
    engine = Engine.open(root, cache_dir=cache)
    engine.warm_up()  # the index opens (here: is built) on first need
    build = time.perf_counter() - start
    print(f"\n{sections} sections ({len(engine.corpus.sections)} indexed)")
    print(f"  read + index build      {build:7.2f} s")
    engine_times, raw_times = time_queries(engine, make_queries(vocabulary, queries))
    print(f"  engine search + snippets {_ms(engine_times)}")
    print(f"  raw Whoosh, no snippets  {_ms(raw_times)}")
    ratio = _percentile(engine_times, 0.95) / max(_percentile(raw_times, 0.95), 1e-9)
    print(f"  p95 ratio engine / raw   {ratio:7.2f}  (target <= 1.25)")
    if sections >= 10_000:
        cold = cold_search(root, cache, vocabulary[0], runs)
        print(f"  cold `partner-tui search` {_ms(cold)}")
    engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="cold-process runs per corpus")
    parser.add_argument("--queries", type=int, default=300, help="queries per corpus")
    parser.add_argument("--sizes", default="1000,10000", help="section counts to build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="partner-tui-bench-") as tmp:
        work = Path(tmp)
        cold = cold_search(None, work / "cache-bundled", "technology", args.runs)
        print(f"bundled briefing: cold `partner-tui search technology` {_ms(cold)}")
        print("  (target: median <= 250 ms)")
        for size in (int(s) for s in args.sizes.split(",")):
            bench_corpus(size, args.queries, args.runs, work)


if __name__ == "__main__":
    main()

"""Heading precision and recall of the plain-text reader on hand-labelled real documents.

    python benchmarks/heading_accuracy.py              # the reader in this checkout
    python benchmarks/heading_accuracy.py --rev REV    # the reader as it was at git REV
    python benchmarks/heading_accuracy.py --verbose    # also each document's misses

The labels (tests/fixtures/headings/labels.json) list each document's true headings.
A heading found is a section the reader opened (or the line it took as the title); it
counts as right when its text matches a label (case, spacing and a trailing `:`/`.`
ignored), each label matching once. Documents that are not on this machine are skipped.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "fixtures" / "headings" / "labels.json"


def _normal(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(":.")


def _load(entry: dict) -> str | None:
    path = LABELS.parent / entry["fixture"] if "fixture" in entry else Path(entry["system"])
    if not path.is_file():
        return None
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace")


def found_headings(text: str) -> list[str]:
    from partner_tui.search.readers import read_document
    from partner_tui.search.text_cleaning import clean_text

    parsed = read_document(".txt", clean_text(text))
    found = [s.path[-1] for s in parsed.sections if not getattr(s, "is_overview", False)]
    if getattr(parsed, "title_taken", False) and parsed.title:
        found.append(parsed.title)
    return found


def measure(verbose: bool) -> dict:
    documents = json.loads(LABELS.read_text(encoding="utf-8"))["documents"]
    rows, total = [], Counter()
    for entry in documents:
        text = _load(entry)
        name = entry.get("fixture") or Path(entry["system"]).name
        if text is None:
            continue
        truth = Counter(_normal(h) for h in entry["headings"])
        found = Counter(_normal(h) for h in found_headings(text))
        right = sum((truth & found).values())
        total.update(right=right, found=sum(found.values()), true=sum(truth.values()))
        rows.append(
            {
                "name": name,
                "right": right,
                "found": sum(found.values()),
                "true": sum(truth.values()),
                "missed": sorted((truth - found).elements()) if verbose else [],
                "wrong": sorted((found - truth).elements()) if verbose else [],
            }
        )
    return {"rows": rows, "total": dict(total)}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def report(result: dict, label: str) -> None:
    print(f"{label}")
    print(f"  {'document':28} {'found':>5} {'true':>5} {'right':>5}  precision  recall")
    for row in result["rows"]:
        p, r = _ratio(row["right"], row["found"]), _ratio(row["right"], row["true"])
        counts = f"{row['found']:5} {row['true']:5} {row['right']:5}"
        print(f"  {row['name']:28} {counts}  {p:9.2f}  {r:6.2f}")
        for miss in row["missed"]:
            print(f"      missed: {miss}")
        for wrong in row["wrong"]:
            print(f"      wrong:  {wrong}")
    t = result["total"]
    p, r = _ratio(t.get("right", 0), t.get("found", 0)), _ratio(t.get("right", 0), t.get("true", 0))
    print(
        f"  {'all (' + str(len(result['rows'])) + ' documents)':28} {t.get('found', 0):5} "
        f"{t.get('true', 0):5} {t.get('right', 0):5}  {p:9.2f}  {r:6.2f}"
    )


def _run_old(rev: str, verbose: bool) -> dict:
    """Measure the reader as it was at `rev`: its search package, unpacked on its own."""
    archive = subprocess.run(
        ["git", "archive", rev, "search"], cwd=REPO, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "partner_tui"
        target.mkdir()
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
        # -S: no site packages, so the old package is imported, not this checkout's.
        env = {**os.environ, "PYTHONPATH": folder}
        args = [sys.executable, "-S", __file__, "--json"]
        args += ["--verbose"] if verbose else []
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
        return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="measure the reader at this git revision instead")
    parser.add_argument("--verbose", action="store_true", help="list misses and wrong finds")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.verbose)))
        return
    if args.rev:
        report(_run_old(args.rev, args.verbose), f"reader at {args.rev}")
    else:
        report(measure(args.verbose), "reader in this checkout")


if __name__ == "__main__":
    main()

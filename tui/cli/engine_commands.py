"""`search`, `show`, `pillars` and `index`: the engine's answers, plain or --json."""

from __future__ import annotations

import argparse
import sys

from partner_tui.search.corpus import collector_paused
from partner_tui.search.engine import DEFAULT_LIMIT, Engine, UnknownPillar
from partner_tui.search.model import Briefing, Section
from partner_tui.tui.cli.engine_loading import open_engine, section_or_error
from partner_tui.tui.cli.terminal_output import Styler, print_json, use_colour
from partner_tui.tui.state.errors import EXIT_NO_HITS, CliError, warn


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "search":
        parser.add_argument(
            "query",
            nargs="+",
            help='words, "phrases", OR, NOT/-word, prefix*, word~, pillar:, title:',
        )
        parser.epilog = (
            "A query that starts with '-' needs '--' before it, after any options: "
            "partner-tui search --limit 5 -- -energy green"
        )
        parser.add_argument(
            "--pillar", metavar="NAME", help="only this pillar (id, slug or part of its title)"
        )
        parser.add_argument(
            "--limit",
            type=_positive,
            default=DEFAULT_LIMIT,
            metavar="N",
            help=f"at most N hits (default {DEFAULT_LIMIT})",
        )
        parser.add_argument("--json", action="store_true", help="machine-readable output")
    elif name == "show":
        parser.add_argument(
            "section_id", metavar="SECTION_ID", help="as printed by `pillars` or `search`"
        )
        parser.add_argument("--json", action="store_true", help="machine-readable output")
    elif name == "pillars":
        parser.add_argument("--json", action="store_true", help="machine-readable output")
    elif name == "index":
        parser.add_argument(
            "--rebuild", action="store_true", help="rebuild even if the index is current"
        )
        parser.add_argument(
            "--watch",
            action="store_true",
            help="then keep the index current as briefing files change (Ctrl-C stops)",
        )


def run(args: argparse.Namespace) -> int:
    handlers = {"search": _search, "show": _show, "pillars": _pillars, "index": _index}
    return handlers[args.command](args)


def _search(args: argparse.Namespace) -> int:
    text = " ".join(args.query).strip()
    if not text:
        raise CliError("the query is empty: give some words to search for")
    engine = open_engine(args, index=True)
    try:
        # Plain output shows only the total; --json gives the counts per pillar.
        outcome = engine.search(text, pillar=args.pillar, limit=args.limit, count_pillars=args.json)
    except UnknownPillar as error:
        raise CliError(str(error)) from None
    if outcome.refused:
        raise CliError(f"not searched: {outcome.refused}")
    if outcome.fell_back:
        warn(
            "read literally: the query's operators did not parse, so its plain words were searched"
        )
    if args.json:
        print_json(outcome.as_json())
        return 0 if outcome.total else EXIT_NO_HITS
    style = Styler(use_colour())
    if not outcome.total:
        print(f'No sections match "{text}".')
    else:
        shown = len(outcome.hits)
        more = f" (showing {shown})" if shown < outcome.total else ""
        print(f'{outcome.total} section{"s" if outcome.total != 1 else ""} match "{text}"{more}\n')
        for rank, hit in enumerate(outcome.hits, 1):
            print(f"{rank:>2}. {style.bold(' › '.join(hit.path))}")
            print(f"    {style.dim(hit.section_id)}")
            print(f"    {style.highlight(hit.snippet, hit.spans)}\n")
    if outcome.suggestion:
        print(f'Did you mean: "{outcome.suggestion}"?')
    return 0 if outcome.total else EXIT_NO_HITS


def _section_json(section: Section) -> dict:
    return {
        "id": section.id,
        "title": section.title,
        "pillar": section.pillar,
        "path": list(section.path),
        "briefing": section.briefing_id,
        "briefing_title": section.briefing_title,
        "body": section.body,
    }


def _show(args: argparse.Namespace) -> int:
    section = section_or_error(open_engine(args), args.section_id)
    if args.json:
        print_json(_section_json(section))
        return 0
    style = Styler(use_colour())
    print(style.bold(section.title))
    print(style.dim(" › ".join((section.briefing_title, *section.path))))
    print()
    print(section.body)
    return 0


def _tree_json(briefing: Briefing, section: Section) -> dict:
    return {
        "id": section.id,
        "title": section.title,
        "path": list(section.path),
        "overview": section.is_overview,
        "children": [_tree_json(briefing, child) for child in briefing.children(section)],
    }


def _pillars(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    # Many objects are made here (every section's place; all sections for --json): with
    # the collector paused, as while the corpus loads (it walked them ~40 times).
    with collector_paused():
        return _print_pillars(engine, args)


def _print_pillars(engine: Engine, args: argparse.Namespace) -> int:
    if args.json:
        print_json(
            {
                "briefings": [
                    {
                        "id": b.id,
                        "title": b.title,
                        "source": b.source,
                        "metadata": b.metadata,
                        "also_read": list(b.also_read),
                        "sections": [_tree_json(b, s) for s in b.sections if s.depth == 1],
                    }
                    for b in engine.briefings
                ]
            }
        )
        return 0
    style = Styler(use_colour())
    lines: list[str] = []  # written at once: a print per line cost a 10k-section corpus ~30 ms
    # The id's styling made once: one call per section was a tenth of the command.
    before_id, after_id = style.dim("\0").split("\0")
    add = lines.append
    for number, briefing in enumerate(engine.briefings):
        if number:
            add("")
        add(f"{style.bold(briefing.title)}  {style.dim(briefing.id)}")
        for section_id, path in briefing.places():  # no need to make the sections
            add(f"{'  ' * len(path)}{path[-1]}  {before_id}{section_id}{after_id}")
    lines.append("")
    sys.stdout.write("\n".join(lines))
    return 0


def _index(args: argparse.Namespace) -> int:
    engine: Engine = open_engine(args, rebuild=args.rebuild, index=True)
    sections = sum(len(b.sections) for b in engine.briefings)
    where = engine.index_location or "memory (cache dir not writable)"
    if engine.index_was_built:
        action = "Built"
    else:
        action = "Updated" if engine.index_was_updated else "Reused"
    print(
        f"{action} the index of {sections} sections "
        f"from {len(engine.briefings)} briefing(s) at {where}"
    )
    if not args.watch:
        for briefing in engine.briefings:
            print(f"  {briefing.id}: {len(briefing.sections)} sections ({briefing.source})")
        return 0
    from partner_tui.tui.cli.index_watch import watch

    return watch(engine)

"""`bookmarks list|add|remove|note|export|import`: one user's bookmarks from the shell.

Imported whenever the parser is built, so the store (and sqlite3) are imported inside
run(), never at the top.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from partner_tui.tui.cli.terminal_output import Styler, print_json, use_colour
from partner_tui.tui.state.errors import CliError, warn

EXIT_NOT_BOOKMARKED = 1
ACTIONS = {
    "list": "show the bookmarks (default), marking ones whose section changed or is missing",
    "add": "bookmark a section by its id (see `partner-tui pillars`)",
    "remove": "remove a bookmark",
    "note": "set a bookmark's note (an empty TEXT clears it)",
    "export": "write the bookmarks as a Markdown reading list or a JSON backup",
    "import": "merge bookmarks from a JSON export (safe to repeat: never duplicates)",
}


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    # The global options work after the action too: `bookmarks list --user alice`.
    from partner_tui.tui.cli.common_options import common_options

    common = common_options()
    actions = parser.add_subparsers(dest="bookmarks_action", metavar="ACTION")
    subs = {
        action: actions.add_parser(action, help=text, description=text, parents=[common])
        for action, text in ACTIONS.items()
    }
    subs["list"].add_argument("--json", action="store_true", help="machine-readable output")
    subs["list"].add_argument(
        "--filter", metavar="TEXT", help="only bookmarks whose title, pillar, note or tags match"
    )
    subs["list"].add_argument("--tag", metavar="TAG", help="only bookmarks with this tag")
    subs["add"].add_argument("section_id", metavar="SECTION_ID")
    subs["add"].add_argument("--note", metavar="TEXT", help="a note to keep with it")
    subs["add"].add_argument(
        "--tag", metavar="TAG", action="append", default=[], help="a tag (repeat for more)"
    )
    subs["remove"].add_argument("section_id", metavar="SECTION_ID")
    subs["note"].add_argument("section_id", metavar="SECTION_ID")
    subs["note"].add_argument("text", metavar="TEXT")
    subs["export"].add_argument(
        "--format",
        choices=("md", "json"),
        help="md: a reading list; json: a full backup `bookmarks import` reads "
        "(default: json for an --output ending in .json, else md)",
    )
    subs["export"].add_argument(
        "--output", metavar="FILE", help="write to FILE (replaced atomically) instead of stdout"
    )
    subs["import"].add_argument("file", metavar="FILE", help="a JSON export, or - for stdin")


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "bookmarks_action", None) or "list"
    handlers = {
        "list": _list,
        "add": _add,
        "remove": _remove,
        "note": _note,
        "export": _export,
        "import": _import,
    }
    store = _open_store(args)
    try:
        return handlers[action](args, store)
    finally:
        store.close()


def _open_store(args: argparse.Namespace):
    from partner_tui.tui.state.bookmark_store import BookmarkStore, BookmarkStoreError
    from partner_tui.tui.state.locations import IdentityError

    try:
        store = BookmarkStore.open(getattr(args, "user", None), getattr(args, "data_dir", None))
    except (IdentityError, BookmarkStoreError) as error:
        raise CliError(str(error)) from None
    for message in store.warnings:
        warn(message)
    return store


def _guarded(call):
    """Run a store call; a store that fails mid-command is a clear error, not a traceback."""
    from partner_tui.tui.state.bookmark_store import BookmarkStoreError

    try:
        return call()
    except BookmarkStoreError as error:
        raise CliError(str(error)) from None


def _engine_or_none(args: argparse.Namespace):
    """The engine, or None (with a warning) when the briefings cannot be read: listing and
    exporting bookmarks must still work then, just without checking them."""
    from partner_tui.tui.cli.engine_loading import open_engine

    try:
        return open_engine(args)
    except CliError as error:
        warn(f"{error}; bookmarks are shown without checking them against the briefings")
        return None


def _list(args: argparse.Namespace, store) -> int:
    from partner_tui.tui.state.bookmark_export import export_document
    from partner_tui.tui.state.bookmark_status import status_for

    text, tag = getattr(args, "filter", None), getattr(args, "tag", None)
    bookmarks = _guarded(lambda: store.list(filter_text=text, tag=tag))
    engine = _engine_or_none(args)
    status = {b.section_id: status_for(b, engine) if engine else None for b in bookmarks}
    if getattr(args, "json", False):
        entries = export_document(bookmarks, store.user, "")["bookmarks"]
        for entry in entries:
            found = status[entry["section_id"]]
            entry["status"] = str(found) if found else None
        print_json({"user": store.user, "bookmarks": entries})
        return 0
    style = Styler(use_colour())
    if not bookmarks:
        if text or tag:
            print(f"No bookmarks of {store.user} match.")
        else:
            print(
                f"No bookmarks yet for {store.user}. Add one with "
                "`partner-tui bookmarks add SECTION_ID`, or press b while reading."
            )
        return 0
    print(style.bold(f"Bookmarks of {store.user} ({len(bookmarks)})"))
    for number, bookmark in enumerate(bookmarks, 1):
        print()
        print(f"{number:>2}. {style.bold(_one_line(bookmark.title))}")
        print(f"    {style.dim(' › '.join(_one_line(p) for p in _where(bookmark)))}")
        print(f"    {style.dim(bookmark.section_id)}")
        if bookmark.tags:
            print(f"    tags: {', '.join(bookmark.tags)}")
        if bookmark.note:
            lines = bookmark.note.splitlines()
            print(f"    note: {lines[0]}")
            for line in lines[1:]:
                print(f"          {line}")
        label = _status_line(status[bookmark.section_id], bookmark)
        if label:
            print(f"    {style.bold(label)}")
    return 0


def _where(bookmark) -> tuple[str, ...]:
    return tuple(part for part in (bookmark.briefing_title, *bookmark.path) if part)


def _status_line(status, bookmark) -> str:
    if status is None:
        return ""
    if status == "missing":
        return (
            f"MISSING: no longer in the briefing (bookmarked {bookmark.created_at[:10]}; "
            "titles above are as they were then)"
        )
    if status == "changed":
        return "CHANGED: the section was edited since it was bookmarked"
    return ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _add(args: argparse.Namespace, store) -> int:
    from partner_tui.tui.cli.engine_loading import open_engine, section_or_error
    from partner_tui.tui.state.bookmark_model import snapshot_of

    section = section_or_error(open_engine(args), args.section_id)
    existed = _guarded(lambda: store.get(section.id)) is not None
    bookmark = _guarded(lambda: store.add(snapshot_of(section), note=args.note, tags=args.tag))
    verb = "Updated the bookmark on" if existed else "Bookmarked"
    print(f"{verb} “{_one_line(bookmark.title)}” ({bookmark.section_id})")
    return 0


def _remove(args: argparse.Namespace, store) -> int:
    removed = _guarded(lambda: store.remove(args.section_id))
    if removed is None:
        raise CliError(
            f"{args.section_id!r} is not bookmarked (see `partner-tui bookmarks list`)",
            exit_code=EXIT_NOT_BOOKMARKED,
        )
    print(f"Removed the bookmark on “{_one_line(removed.title)}” ({removed.section_id})")
    return 0


def _note(args: argparse.Namespace, store) -> int:
    updated = _guarded(lambda: store.set_note(args.section_id, args.text))
    if updated is None:
        raise CliError(
            f"{args.section_id!r} is not bookmarked (add it with `partner-tui bookmarks add`)",
            exit_code=EXIT_NOT_BOOKMARKED,
        )
    done = "Saved the note on" if updated.note else "Cleared the note on"
    print(f"{done} “{_one_line(updated.title)}”")
    return 0


def _export(args: argparse.Namespace, store) -> int:
    from partner_tui.tui.state.bookmark_export import export_document, reading_list
    from partner_tui.tui.state.bookmark_store import now_stamp

    output = getattr(args, "output", None)
    chosen = args.format or ("json" if output and output.lower().endswith(".json") else "md")
    bookmarks = _guarded(store.list)
    stamp = now_stamp()
    if chosen == "json":
        import json

        text = json.dumps(
            export_document(bookmarks, store.user, stamp), ensure_ascii=False, indent=2
        )
        text += "\n"
    else:
        when = f"{stamp[:10]} {stamp[11:16]} UTC"
        text = reading_list(bookmarks, _engine_or_none(args), store.user, when)
    if not output:
        sys.stdout.write(text)
        return 0
    _write_atomically(Path(output), text)
    count = len(bookmarks)
    print(f"Wrote {count} bookmark{'s' if count != 1 else ''} to {output}", file=sys.stderr)
    return 0


def _write_atomically(path: Path, text: str) -> None:
    """Temp file + rename: an interrupted export never leaves half a backup."""
    from partner_tui.tui.state.atomic_write import write_atomically

    try:
        write_atomically(path, text)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from None


def _import(args: argparse.Namespace, store) -> int:
    from partner_tui.tui.state.bookmark_export import BookmarkImportError, read_export

    source = args.file
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        raise CliError(f"cannot read {source}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CliError(f"{source} is not a bookmarks export: not UTF-8 text") from None
    try:
        bookmarks = read_export(text)
    except BookmarkImportError as error:
        raise CliError(f"{source}: {error} (nothing was imported)") from None
    report = _guarded(lambda: store.merge(bookmarks))
    print(
        f"Imported {len(bookmarks)} bookmark{'s' if len(bookmarks) != 1 else ''} "
        f"from {source}: {report.added} new, {report.merged} merged, "
        f"{report.unchanged} already there"
    )
    return 0

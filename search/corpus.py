"""A corpus is a folder of briefings (or a single file). Loading never stops at a bad file.

What the readers made of each file is cached (see reader_cache), so loading an unchanged
corpus only looks at each file's metadata; a changed file is read again on its own. Many
files to read (a first load) are shared with a second process (see reading_helper)."""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import importlib.util
import itertools
import os
import stat
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from partner_tui.search.cache_location import resolve_cache_dir
from partner_tui.search.corpus_files import (
    Candidate,
    candidate_files,
    display_name,
    sidecar_path,
)
from partner_tui.search.corpus_warnings import CorpusWarning, safe_name, summarise
from partner_tui.search.model import Briefing, Section
from partner_tui.search.reader_cache import FileEntry, ReaderCache, stat_key
from partner_tui.search.readers import (
    READER_VERSION,
    ParsedDocument,
    read_document,
)
from partner_tui.search.reading_helper import (
    HELPER_SHARE,
    READ_IN_HELPER,
    ReadingHelper,
    usable_cores,
)
from partner_tui.search.slugs import SlugAllocator
from partner_tui.search.text_cleaning import BinaryFileError, decode_text, one_line

CORPUS_ENV = "PARTNER_TUI_CORPUS"
MAX_METADATA = 1000


class CorpusError(Exception):
    """The corpus cannot be used at all (missing, or holds no readable briefing)."""


@dataclass
class Corpus:
    root: Path
    briefings: list[Briefing]
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""
    signatures: dict[str, str] = field(default_factory=dict)
    """Per briefing source: what its sections were made from (bytes, metadata, id and
    reader version). The index re-indexes exactly the sources whose signature changed."""
    readings: ReaderCache | None = field(default=None, repr=False, compare=False)
    """The reader cache this corpus was loaded with, for the next load of the same folder
    (`load_corpus(previous=…)`): a refresh need not read the cache file again."""

    @property
    def sections(self) -> list[Section]:
        return [section for briefing in self.briefings for section in briefing.sections]


def bundled_corpus_path() -> Path:
    # The seeds package's own folder. Not importlib.resources: its import (zipfile and
    # more) costs every cold start ~15 ms, and the corpus must be a real folder anyway.
    spec = importlib.util.find_spec("partner_tui.seeds")
    if spec is None or spec.origin is None:
        raise CorpusError("the bundled briefings are missing from this install")
    return Path(spec.origin).parent


def resolve_corpus_path(explicit: str | os.PathLike[str] | None) -> Path:
    """--corpus beats PARTNER_TUI_CORPUS beats the bundled briefing."""
    chosen = explicit or os.environ.get(CORPUS_ENV)
    return Path(chosen).expanduser() if chosen else bundled_corpus_path()


def _read_sidecar(path: Path, warnings: list[str], root: Path) -> dict[str, str]:
    sidecar = sidecar_path(path)
    if not sidecar.exists():
        return {}
    try:
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        detail = safe_name(str(error))
        warnings.append(
            CorpusWarning(
                f"ignored metadata {display_name(root, sidecar, root.is_dir())}: {detail}",
                "metadata",
            )
        )
        return {}
    # Values reach titles, the CLI and every SSH user's screen: printable and bounded.
    return {
        one_line(str(key), MAX_METADATA): one_line(str(value), MAX_METADATA)
        for key, value in data.items()
    }


class NotRegularFileError(OSError):
    """A FIFO, socket or device wearing a .txt name: reading it could block for ever."""


def _read_regular_file(path: Path) -> bytes:
    # Open without blocking (a FIFO would wait for a writer), then check what it is.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise NotRegularFileError(path)
        return handle.read()


def _title_from_name(path: Path) -> str:
    """The file's name as its author wrote it (case kept: `GPL-3`, `README`)."""
    return one_line(path.stem.replace("_", " ").strip() or path.name, 200)


def build_briefing(
    briefing_id: str, source: str, parsed: ParsedDocument, metadata: dict[str, str], path: Path
) -> Briefing:
    merged = {**parsed.metadata, **metadata}
    title = merged.get("title") or parsed.title or _title_from_name(path)
    merged.pop("title", None)
    # Slugs are unique among siblings: scopes are keyed by the parent's id, so two
    # same-named pillars get `x` and `x-2` while their children keep their plain slugs.
    scopes: dict[str, SlugAllocator] = {}
    latest_id: dict[tuple[str, ...], str] = {}  # heading path → id of its latest section
    sections: list[Section] = []
    for order, raw in enumerate(parsed.sections):
        body, runs = raw.finish()
        parent = raw.path[:-1]
        parent_id = latest_id.get(parent, briefing_id) if parent else briefing_id
        slug = scopes.setdefault(parent_id, SlugAllocator()).allocate(raw.path[-1])
        section_id = f"{parent_id}/{slug}"
        latest_id[raw.path] = section_id
        sections.append(
            Section(
                id=section_id,
                briefing_id=briefing_id,
                briefing_title=title,
                path=raw.path,
                body=body,
                order=order,
                is_overview=raw.is_overview,
                runs=runs,
            )
        )
    return Briefing(
        id=briefing_id,
        title=title,
        source=source,
        sections=tuple(sections),
        metadata=merged,
        also_read=tuple(parsed.also_read),
    )


def read_file(
    root: Path, path: Path, shown: str, briefing_id: str | None, ids: SlugAllocator
) -> FileEntry:
    """Read and parse one file. `briefing_id`: the id to give it (None: allocate one if it
    turns out to be a briefing). A file that could not be read has no key: never cached."""
    key, sidecar_key = stat_key(path), stat_key(sidecar_path(path))
    warnings: list[str] = []
    try:
        data = _read_regular_file(path)
        text, replaced = decode_text(data)
    except NotRegularFileError:
        warning = CorpusWarning(f"skipped {shown}: not a regular file", "not-regular")
        return FileEntry([], None, "", None, [warning])
    except OSError as error:
        reason = safe_name(str(error.strerror or error))
        warning = CorpusWarning(f"skipped {shown}: cannot read it ({reason})", "unreadable")
        return FileEntry([], None, "", None, [warning])
    except BinaryFileError:
        warning = CorpusWarning(f"skipped {shown}: binary file, not text", "binary")
        return FileEntry(key or [], sidecar_key, "", None, [warning])
    if replaced:
        warnings.append(
            CorpusWarning(f"{shown}: not valid UTF-8; undecodable bytes shown as �", "not-utf8")
        )
    metadata = _read_sidecar(path, warnings, root)
    parsed = read_document(path.suffix, text)
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(b"\0" + repr(sorted(metadata.items())).encode())
    if not parsed.sections:
        warnings.append(CorpusWarning(f"skipped {shown}: empty file", "empty"))
        return FileEntry(key or [], sidecar_key, digest.hexdigest(), None, warnings)
    chosen = briefing_id or ids.allocate(path.stem)
    briefing = build_briefing(chosen, shown, parsed, metadata, path)
    return FileEntry(key or [], sidecar_key, digest.hexdigest(), briefing, warnings)


def load_corpus(
    path: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    previous: Corpus | None = None,
) -> Corpus:
    """Read every briefing under the corpus path; bad files become warnings. Readings
    cached under `cache_dir` (default: the user cache dir) are reused while files are
    unchanged; `use_cache=False` reads everything and leaves the cache alone. `previous`:
    an earlier load of the same folder, whose readings are reused from memory (the
    cache file is still brought up to date)."""
    with collector_paused():
        return _load_corpus(path, cache_dir, use_cache, previous)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """While many long-lived objects are made (a big corpus is hundreds of thousands,
    none in a cycle worth finding): the cycle collector would walk them again and again
    while they are made (a third of the time of loading from the cache)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _load_corpus(
    path: str | os.PathLike[str] | None,
    cache_dir: str | os.PathLike[str] | None,
    use_cache: bool,
    previous: Corpus | None,
) -> Corpus:
    root = resolve_corpus_path(path)
    if not root.exists():
        raise CorpusError(f"corpus not found: {safe_name(str(root))}")
    warnings: list[str] = []
    try:
        candidates = candidate_files(root, warnings)
    except OSError as error:
        reason = safe_name(str(error.strerror or error))
        raise CorpusError(f"cannot read corpus {safe_name(str(root))}: {reason}") from error
    if previous is not None and previous.readings is not None and previous.root == root:
        cache = previous.readings
        cache.forget_recent()
    else:
        cache = ReaderCache.load(resolve_cache_dir(cache_dir) if use_cache else None, root)
    ids = SlugAllocator()
    briefings: list[Briefing] = []
    signatures: dict[str, str] = {}
    seen: set[str] = set()
    helper, helper_from = _start_reading_helper(root, candidates, cache)
    try:
        for number, (name, shown, has_sidecar, stem) in enumerate(candidates):
            if number == helper_from and helper is not None:
                for row in helper.readings():
                    cache.put_encoded(row)
                helper = None
            path = Path(name) if has_sidecar else None  # made only when needed: see Candidate
            sidecar_key = stat_key(sidecar_path(path)) if path is not None else None
            entry = cache.get(shown, stat_key(name), sidecar_key)
            if entry is not None and entry.briefing is not None:
                # Ids depend on the files before this one: a cached reading is used only
                # if it still gets the same id, else the file is read again under its id.
                allocated = ids.allocate(stem)
                if allocated != entry.briefing.id:
                    entry = read_file(root, Path(name), shown, allocated, ids)
                    cache.put(shown, entry)
            elif entry is None:
                entry = read_file(root, Path(name), shown, None, ids)
                if helper_from >= 0:
                    entry = cache.put_compact(shown, entry)
                else:
                    cache.put(shown, entry)
            seen.add(shown)
            warnings.extend(entry.warnings)
            if entry.briefing is not None:
                briefings.append(entry.briefing)
                signatures[shown] = _signature(entry)
    finally:
        if helper is not None:
            helper.stop()
    cache.keep_only(seen)
    cache.save()
    if not briefings:
        detail = "; ".join(summarise(warnings)) if warnings else "no .txt, .md or .rst files"
        raise CorpusError(f"no readable briefings in {safe_name(str(root))} ({detail})")
    digest = hashlib.blake2b(f"reader {READER_VERSION}".encode(), digest_size=16)
    for source, signature in signatures.items():
        digest.update(f"{source}\0{signature}\0".encode())
    return Corpus(
        root=root,
        briefings=briefings,
        warnings=warnings,
        fingerprint=digest.hexdigest(),
        signatures=signatures,
        readings=cache,
    )


def _start_reading_helper(
    root: Path, candidates: list[Candidate], cache: ReaderCache
) -> tuple[ReadingHelper | None, int]:
    """A process reading the second half of the files missing from the cache (see
    reading_helper), and the number of the first candidate it reads; (None, -1) when this
    process reads them all."""
    if len(candidates) - len(cache) < READ_IN_HELPER or usable_cores() < 2:
        return None, -1
    missing: list[tuple[int, int]] = []  # (candidate number, file size)
    allocator = SlugAllocator()
    predicted: list[str] = []  # each file's id if every file before it is a briefing
    for number, (name, shown, has_sidecar, stem) in enumerate(candidates):
        key = stat_key(name)
        sidecar_key = stat_key(sidecar_path(Path(name))) if has_sidecar else None
        entry = cache.get(shown, key, sidecar_key)
        if entry is None and key is not None:
            missing.append((number, key[0]))
        skipped = entry is not None and entry.briefing is None
        predicted.append("" if skipped else allocator.allocate(stem))
    if len(missing) < READ_IN_HELPER:
        return None, -1
    read = list(itertools.accumulate(size for _, size in missing))
    split = bisect.bisect_left(read, (1 - HELPER_SHARE) * read[-1])  # the last file it reads
    theirs = [n for n, _ in missing[split + 1 :]]
    if not theirs:
        return None, -1
    files = [(candidates[n].path, candidates[n].shown, predicted[n]) for n in theirs]
    helper = ReadingHelper.start(str(root), files)
    return (helper, theirs[0]) if helper is not None else (None, -1)


def _signature(entry: FileEntry) -> str:
    assert entry.briefing is not None
    text = f"{READER_VERSION}\0{entry.digest}\0{entry.briefing.id}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

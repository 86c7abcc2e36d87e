"""A corpus is a folder of briefings (or a single file). Loading never stops at a bad file.

What the readers made of each file is cached (see reader_cache), so loading an unchanged
corpus only looks at each file's metadata; a changed file is read again on its own."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.util
import os
import stat
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from partner_tui.search.cache_location import resolve_cache_dir
from partner_tui.search.corpus_warnings import CorpusWarning, safe_name, summarise
from partner_tui.search.model import Briefing, Section
from partner_tui.search.reader_cache import FileEntry, ReaderCache, stat_key
from partner_tui.search.readers import (
    BRIEFING_SUFFIXES,
    READER_VERSION,
    ParsedDocument,
    read_document,
)
from partner_tui.search.slugs import SlugAllocator
from partner_tui.search.text_cleaning import BinaryFileError, decode_text, one_line

CORPUS_ENV = "PARTNER_TUI_CORPUS"
SIDECAR_SUFFIX = ".meta.toml"
_IGNORED_NAMES = {"__init__.py", "__pycache__"}
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


class _Candidate(NamedTuple):
    path: str  # a string: 2,000 Path objects cost a cold search ~0.1 s
    shown: str  # its name as shown to people (see `_display`)
    sidecar: bool  # a metadata sidecar sits next to it
    stem: str  # its name without the suffix, as Path.stem gives it


def _suffix_at(name: str) -> int:
    """Where Path(name).suffix starts (len(name) if it has none)."""
    dot = name.rfind(".")
    return dot if 0 < dot < len(name) - 1 else len(name)


def _candidate_files(root: Path, warnings: list[str]) -> list[_Candidate]:
    if root.is_file():
        shown = _display(root, root, False)
        return [_Candidate(str(root), shown, _sidecar_path(root).exists(), root.stem)]
    found: list[_Candidate] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d not in _IGNORED_NAMES
        )
        names = set(filenames)
        folder = os.path.relpath(dirpath, root)
        # What os.path.join(folder or dirpath, name) gives, made once per folder: two
        # joins per file cost a cold start at 2,000 files a few milliseconds.
        inside = "" if folder == "." else os.path.join(folder, "")
        where = os.path.join(dirpath, "")
        for name in sorted(filenames):
            if name.startswith(".") or name in _IGNORED_NAMES or name.endswith(SIDECAR_SUFFIX):
                continue
            # As `str(path.relative_to(root))` would say it, bounded and printable.
            shown = safe_name(inside + name)
            at = _suffix_at(name)
            suffix = name[at:].lower()
            if suffix in BRIEFING_SUFFIXES:
                sidecar = name[:at] + SIDECAR_SUFFIX in names
                found.append(_Candidate(where + name, shown, sidecar, name[:at]))
            else:
                kind = safe_name(suffix or "no suffix")
                warnings.append(
                    CorpusWarning(
                        f"skipped {shown}: not a .txt, .md or .rst briefing", "skipped", kind
                    )
                )
    return found


def _display(root: Path, path: Path, in_folder: bool) -> str:
    """The file's name as shown to people: relative to the corpus, printable, bounded."""
    if not in_folder:
        return safe_name(path.name)
    try:
        return safe_name(str(path.relative_to(root)))
    except ValueError:
        return safe_name(str(path))


def _sidecar_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(path.suffix)] + SIDECAR_SUFFIX)


def _read_sidecar(path: Path, warnings: list[str], root: Path) -> dict[str, str]:
    sidecar = _sidecar_path(path)
    if not sidecar.exists():
        return {}
    try:
        data = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        detail = safe_name(str(error))
        warnings.append(
            CorpusWarning(
                f"ignored metadata {_display(root, sidecar, root.is_dir())}: {detail}", "metadata"
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


def _read_file(
    root: Path, path: Path, shown: str, briefing_id: str | None, ids: SlugAllocator
) -> FileEntry:
    """Read and parse one file. `briefing_id`: the id to give it (None: allocate one if it
    turns out to be a briefing). A file that could not be read has no key: never cached."""
    key, sidecar_key = stat_key(path), stat_key(_sidecar_path(path))
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
        candidates = _candidate_files(root, warnings)
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
    for name, shown, has_sidecar, stem in candidates:
        path = Path(name) if has_sidecar else None  # made only when needed: see _Candidate
        sidecar_key = stat_key(_sidecar_path(path)) if path is not None else None
        entry = cache.get(shown, stat_key(name), sidecar_key)
        if entry is not None and entry.briefing is not None:
            # Ids depend on the files before this one: a cached reading is used only if
            # it still gets the same id, else the file is read again under its new id.
            allocated = ids.allocate(stem)
            if allocated != entry.briefing.id:
                entry = _read_file(root, Path(name), shown, allocated, ids)
                cache.put(shown, entry)
        elif entry is None:
            entry = _read_file(root, Path(name), shown, None, ids)
            cache.put(shown, entry)
        seen.add(shown)
        warnings.extend(entry.warnings)
        if entry.briefing is not None:
            briefings.append(entry.briefing)
            signatures[shown] = _signature(entry)
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


def _signature(entry: FileEntry) -> str:
    assert entry.briefing is not None
    text = f"{READER_VERSION}\0{entry.digest}\0{entry.briefing.id}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

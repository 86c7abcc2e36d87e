"""Where the index lives: a line of versions per corpus, each complete and never changed.

A new version is made in a temporary directory and renamed into place, so a reader sees
either the old version or the new one, whole. When some files of the corpus changed, the
new version starts from hard links to the newest version's files (Whoosh never rewrites a
segment file; deletions live in the table of contents) and re-indexes only those files:
their documents are deleted by their `source` term and added again. Updates of one
corpus take turns on a lock; processes that only search take none. Anything odd about a
version (a digest that does not match, another schema, damage) means it is discarded
and rebuilt, never trusted. Versions nobody uses any more are removed (index_versions).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from partner_tui.search.briefing_codec import bodies
from partner_tui.search.cache_location import corpus_key, resolve_cache_dir
from partner_tui.search.index_versions import (
    IN_USE,
    UseMark,
    discard,
    prune,
    update_lock,
    version_name,
    versions,
)
from partner_tui.search.model import Section
from partner_tui.search.posting_writer import MemorySegmentWriter
from partner_tui.search.schema import (
    SCHEMA_VERSION,
    SEARCH_FIELDS,
    build_schema,
    schema_signature,
)
from partner_tui.search.segment_build import SEGMENT_POSTINGS, build_all
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage
from whoosh.searching import Searcher

MARKER = "partner-tui-index.json"
_ROUNDS = 6
# When more than this share of the documents changed, building afresh is as quick.
_FULL_BUILD_SHARE = 0.5
# Deleted documents still in the segments beyond this share are merged away.
_MERGE_DELETED_SHARE = 0.3
_PROGRESS_EVERY = 100
_DIGEST_ENDS = 1 << 18  # bytes read from each end of a large index file (see _files_digest)

Progress = Callable[[int, int], None]
"""Told (documents indexed, documents to index) while an index is built or updated."""

FileDocs = Mapping[str, tuple[str, Sequence[Section]]]
"""Per briefing source: (its signature, its sections)."""


@dataclass
class OpenedIndex:
    index: whoosh_index.Index
    searcher: Searcher  # opened while validating: its files stay open while it is used
    location: Path | None  # None: held in memory
    built: bool  # built from scratch by this process
    warnings: list[str] = field(default_factory=list)
    updated: bool = False  # made from the previous version, re-indexing changed files
    files: dict[str, str] = field(default_factory=dict)
    use_mark: UseMark | None = None

    def close(self) -> None:
        self.searcher.close()
        if self.use_mark is not None:
            self.use_mark.release()


def _documents(files: FileDocs, sources: Iterable[str]) -> Iterable[dict]:
    for source in sources:
        sections = files[source][1]
        for section, body in zip(sections, bodies(sections), strict=True):
            yield {
                "id": section.id,
                "source": source,
                "briefing": section.briefing_id,
                "pillar_id": section.pillar_id,
                "pillar": section.pillar,
                "title": section.title,
                "body": body,
                "words": f"{section.title}\n{body}",
                "title_words": section.title,
                "pillar_words": section.pillar,
            }


def _add(
    ix: whoosh_index.Index,
    writer: MemorySegmentWriter,
    files: FileDocs,
    sources: Sequence[str],
    progress: Progress | None,
) -> None:
    """Add the sources' sections and commit, a segment each time the pool is full."""
    total = sum(len(files[source][1]) for source in sources)
    for done, document in enumerate(_documents(files, sources), 1):
        writer.add_document(**document)
        if writer.pool.postings > SEGMENT_POSTINGS:
            writer.commit(merge=False)
            writer = MemorySegmentWriter(ix)
        if progress is not None and done % _PROGRESS_EVERY == 0:
            progress(done, total)
    writer.commit()
    if progress is not None:
        progress(total, total)


def build_in_memory(files: FileDocs) -> whoosh_index.Index:
    ix = RamStorage().create_index(build_schema())
    _add(ix, MemorySegmentWriter(ix), files, sorted(files), None)
    return ix


def _marker(docs: object, digest: str, files: object) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "fields": schema_signature(build_schema()),
        "docs": docs,
        "digest": digest,
        "files": files,
    }


def _files_digest(directory: Path) -> str:
    """A hash of every index file as written, so damage is seen before Whoosh unpickles
    or trusts a byte of it: each file's name, size and modification time, the whole of
    every small file (the table of contents, columns) and the head and tail of a large one
    (postings, terms). Reading every byte of a 10k-section index cost each cold search
    a third of a second; a file changed in place has a new modification time."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(directory.iterdir()):
        if path.name in (MARKER, IN_USE) or path.name.endswith("WRITELOCK"):
            continue
        info = path.stat()
        digest.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        with path.open("rb") as handle:
            if info.st_size <= 2 * _DIGEST_ENDS:
                digest.update(handle.read())
            else:
                digest.update(handle.read(_DIGEST_ENDS))
                handle.seek(-_DIGEST_ENDS, os.SEEK_END)
                digest.update(handle.read(_DIGEST_ENDS))
    return digest.hexdigest()


def _validate(directory: Path) -> OpenedIndex:
    """Open a version only if everything about it is as this code made it."""
    marker = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    if not isinstance(marker, dict) or not isinstance(marker.get("docs"), int):
        raise ValueError("index marker is not ours")
    expected_docs = marker["docs"]
    if marker != _marker(expected_docs, _files_digest(directory), marker.get("files")):
        raise ValueError("index marker does not match")
    if not isinstance(marker["files"], dict):
        raise ValueError("index marker lists no files")
    ix = whoosh_index.open_dir(str(directory))
    if schema_signature(ix.schema) != schema_signature(build_schema()):
        raise ValueError("index schema does not match")
    searcher = ix.searcher()
    try:
        # Damage often shows only when postings or stored fields are read: read some.
        if searcher.doc_count() != expected_docs:
            raise ValueError("index document count does not match")
        reader = searcher.reader()
        live = [n for n in (0, reader.doc_count_all() - 1) if n >= 0 and not reader.is_deleted(n)]
        for docnum in live:
            if "id" not in reader.stored_fields(docnum):
                raise ValueError("index stored fields are damaged")
        for fieldname in SEARCH_FIELDS:
            for term in itertools.islice(reader.lexicon(fieldname), 1):
                list(searcher.postings(fieldname, term).all_ids())
    except BaseException:
        searcher.close()
        raise
    files = {str(k): str(v) for k, v in marker["files"].items()}
    return OpenedIndex(ix, searcher, directory, built=False, files=files)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _link_or_copy(source: Path, target: Path) -> None:
    for path in source.iterdir():
        if path.name in (MARKER, IN_USE) or path.name.endswith("WRITELOCK"):
            continue
        try:
            os.link(path, target / path.name)
        except OSError:  # no hard links here (another file system): copy instead
            shutil.copy2(path, target / path.name)


def _make_version(
    final: Path,
    files: FileDocs,
    base: OpenedIndex | None,
    progress: Progress | None,
) -> None:
    """Make the version `final`: from `base` re-indexing what changed, or from scratch."""
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    try:
        if base is not None and base.location is not None:
            _link_or_copy(base.location, staging)
            ix = whoosh_index.open_dir(str(staging))
            writer = MemorySegmentWriter(ix)
            wanted = {source: signature for source, (signature, _) in files.items()}
            stale = [s for s, signature in base.files.items() if wanted.get(s) != signature]
            fresh = sorted(s for s, signature in wanted.items() if base.files.get(s) != signature)
            for source in stale:
                writer.delete_by_term("source", source)
            _add(ix, writer, files, fresh, progress)
            if ix.doc_count_all() - ix.doc_count() > _MERGE_DELETED_SHARE * ix.doc_count_all():
                MemorySegmentWriter(ix).commit(optimize=True)
        else:
            ix = whoosh_index.create_in(str(staging), build_schema())
            sources = [(source, len(files[source][1])) for source in sorted(files)]
            build_all(ix, sources, lambda chosen: _documents(files, chosen), progress)
        docs = ix.doc_count()
        ix.close()
        signatures = {source: signature for source, (signature, _) in files.items()}
        marker = _marker(docs, _files_digest(staging), signatures)
        (staging / MARKER).write_text(json.dumps(marker), encoding="utf-8")
        (staging / IN_USE).write_bytes(b"")
        staging.rename(final)  # fails if another process made this version first
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _worth_updating(base: OpenedIndex, files: FileDocs) -> bool:
    changed = sum(
        len(sections)
        for source, (signature, sections) in files.items()
        if base.files.get(source) != signature
    )
    total = sum(len(sections) for _, sections in files.values())
    return changed <= _FULL_BUILD_SHARE * max(total, 1)


def open_index(
    files: FileDocs,
    corpus_root: Path,
    cache_dir: str | os.PathLike[str] | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> OpenedIndex:
    """The newest version of this corpus's index, made current first if files changed."""
    root = resolve_cache_dir(cache_dir) / "indexes"
    key = corpus_key(corpus_root)
    wanted = {source: signature for source, (signature, _) in files.items()}
    warnings: list[str] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _in_memory(files, f"cache dir {root.parent} is not usable ({error})")
    built = updated = False
    from_scratch = rebuild
    # Other processes may update, replace or discard versions at the same moment; each
    # round either opens a current, sound version or makes one, so a few rounds suffice.
    for _ in range(_ROUNDS):
        found = versions(root, key)
        base: OpenedIndex | None = None
        if found and not from_scratch:
            try:
                base = _open_version(found[0][1], warnings)
            except OSError as error:
                return _in_memory(files, str(error), warnings)
            if base is None:
                continue  # discarded or changed under us: look again
            if base.files == wanted:
                base.built, base.updated, base.warnings = built, updated, warnings
                prune(root)
                return base
        try:
            with update_lock(root, key):
                if versions(root, key)[:1] != found[:1]:
                    continue  # another process made a newer version meanwhile
                generation = found[0][0] + 1 if found else 1
                if base is not None and not _worth_updating(base, files):
                    base.close()
                    base = None
                _make_version(root / version_name(key, generation), files, base, progress)
                updated, built = base is not None, base is None
                from_scratch = False
        except OSError as error:
            if versions(root, key)[:1] == found[:1]:  # not a race lost: a real failure
                reason = f"cannot write the index under {root} ({error})"
                return _in_memory(files, reason, warnings)
        finally:
            if base is not None:
                base.close()
    return _in_memory(files, f"the index under {root} kept changing", warnings)


def _open_version(directory: Path, warnings: list[str]) -> OpenedIndex | None:
    """The version, validated and marked in use; None if it was unusable (and discarded)
    or changed while being opened."""
    identity = _identity(directory)
    mark = UseMark(directory)
    try:
        opened = _validate(directory)
    except Exception as error:  # any damage at all means: do not trust it
        mark.release()
        if _identity(directory) == identity and identity is not None:
            reason = f"index at {directory} was unusable ({type(error).__name__})"
            if not discard(directory):
                raise OSError(f"{reason} and cannot be replaced") from error
            warnings.append(f"{reason}; rebuilt it")
        return None
    opened.use_mark = mark
    return opened


def _in_memory(files: FileDocs, reason: str, warnings: list[str] | None = None) -> OpenedIndex:
    notes = list(warnings or []) + [f"{reason}; using an in-memory index for this run"]
    ix = build_in_memory(files)
    return OpenedIndex(ix, ix.searcher(), None, built=True, warnings=notes)

"""Rebuilding after a change: what a build keeps for the next one, and what the next one
does with it.

With the extraction cache on, `build` leaves next to its output a folder
(`.graph.ttl.ctn-graph-build/` for `build/graph.ttl`) holding

* `resolver.pickle`: the resolver's summaries (`Resolver.save`);
* `build.pickle`: a `BuildState`: each file's cache key, where each graph's piece is in the
  graph file and the sha256 of its N-Quads (the store's manifest has the same), and what
  each document's graph used of the resolution (`Resolver.views`, the lead partners).

The next build of the same corpus to the same outputs reads every file and hashes it,
and for the files whose bytes, name or id changed (and those added or removed) takes the
records the last build had out of the resolver and the new ones in (`scan`), resolves
again (entities whose keys were not touched are taken over), makes again only the graphs
of the documents that changed or that name an entity whose IRI, class or country changed
(`graphs_to_remake`), copies every other graph's piece from the old graph file and
updates the store in place. The result is the same, byte for byte, as a build from
nothing (tests/test_incremental.py checks it).

Anything that does not match (another version of ctn-graph, other options or output
format, a graph file or store changed since, a cache entry gone, more than a fifth of
the files changed) makes the build start from nothing, as without the cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..common.paths import shown
from ..common.resources import PACKAGE_DIR, data_path, hash_files
from ..ir import DocRecord
from ..rdf.export import GraphFormat, GraphPiece
from .ingest import IngestError, read_file_bytes

if TYPE_CHECKING:
    from .cache import RecordCache
    from .options import BuildOptions
    from .resolve import Resolver

STATE_FORMAT = 1
MAX_CHANGED_SHARE = 0.2  # more changed files than this share: a build from nothing costs about as much


@dataclass(frozen=True, slots=True)
class DocEntry:
    """One file of a build: its id, path, cache key ("" when it could not be read) and
    what is wrong with it (None: nothing)."""

    doc_id: str
    path: str
    key: str
    error: str | None = None


@dataclass(slots=True)
class BuildState:
    """What a build leaves for the next one (see the module's documentation)."""

    fingerprint: str
    output: str | None
    output_stat: tuple[int, int, int] | None  # (size, mtime_ns, inode) of the graph file written
    store: str | None
    store_inode: int | None
    docs: list[DocEntry]
    pieces: dict[str, GraphPiece]  # graph ("" default) -> its piece of the graph file, its N-Quads
    views: dict[str, Any]  # Resolver.views()
    leads: set[tuple[str, str]]


def state_folder(output: Path | None, store_dir: Path | None) -> Path | None:
    """Where a build to `output` (or, without one, to `store_dir`) keeps its state."""
    target = output if output is not None else store_dir
    if target is None:
        return None
    target = target.resolve()
    return target.parent / f".{target.name}.ctn-graph-build"


def fingerprint(options: BuildOptions, fmt: GraphFormat | None) -> str:
    """Everything a build's result depends on besides the documents: the code, the data
    files (gazetteer, lexicon, ontology), the options and the output format."""
    from ..common.resources import __version__

    h = hashlib.sha256(
        f"{STATE_FORMAT}|{__version__}|{options.actors}|{options.default_country}|{options.max_bytes}|"
        f"{fmt.value if fmt else ''}".encode()
    )
    root = PACKAGE_DIR
    hash_files(h, root.rglob("*.py"), root)
    for kind in ("gazetteer", "lexicon", "ontology"):
        hash_files(h, data_path(kind).rglob("*"))
    return h.hexdigest()


@dataclass(slots=True)
class Earlier:
    """A previous build whose outputs are still as it left them; its graph file open
    (and checked through the open file: another build may replace the path meanwhile)."""

    state: BuildState
    resolver_file: IO[bytes]
    graph_file: IO[bytes] | None

    def close(self) -> None:
        self.resolver_file.close()
        if self.graph_file is not None:
            self.graph_file.close()


def read_earlier(folder: Path, stamp: str, output: Path | None, store_dir: Path | None) -> Earlier | None:
    """The state of the last build to the same outputs, if it can be built on: same
    fingerprint (`stamp`, which covers the output format), and the graph file and store
    exactly as it wrote them. None otherwise."""
    from ..rdf.manifest import read_manifest

    try:
        with (folder / "build.pickle").open("rb") as f:
            state = pickle.load(f)
    except Exception:  # noqa: BLE001 - missing, damaged or from another version: build from nothing
        return None
    if not isinstance(state, BuildState) or state.fingerprint != stamp:
        return None
    if (str(output.resolve()) if output else None) != state.output:
        return None
    if store_dir is not None:
        manifest = read_manifest(store_dir)
        if str(store_dir.resolve()) != state.store or manifest is None or manifest[0] != state.store_inode:
            return None
        if manifest[1] != {g: p.sha256 for g, p in state.pieces.items()}:
            return None
    try:
        resolver_file = (folder / "resolver.pickle").open("rb")
    except OSError:
        return None
    graph_file = None
    if output is not None:
        try:
            graph_file = output.open("rb")
        except OSError:
            resolver_file.close()
            return None
        st = os.fstat(graph_file.fileno())
        if (st.st_size, st.st_mtime_ns, st.st_ino) != state.output_stat:
            resolver_file.close()
            graph_file.close()
            return None
    return Earlier(state, resolver_file, graph_file)


def write_state(folder: Path, state: BuildState, resolver_file: Path) -> None:
    """Put a build's state in place (whole, or not at all: the old one is removed first,
    so a half-written state is never read as the last build's)."""
    from ..rdf.store import replacing_dir

    shutil.rmtree(folder, ignore_errors=True)
    with replacing_dir(folder) as tmp:
        os.replace(resolver_file, tmp / "resolver.pickle")
        with (tmp / "build.pickle").open("wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)


@dataclass(slots=True)
class Scan:
    """The files of a rebuild against the last build's."""

    entries: list[DocEntry]
    changed: int = 0  # files added, changed or removed
    new_records: dict[str, DocRecord] = field(default_factory=dict)  # doc id -> record, changed or new documents
    old_records: list[DocRecord] = field(default_factory=list)  # the last build's records of those, and of removed ones


def _load(data: bytes, path: str) -> DocRecord:
    rec: DocRecord = pickle.loads(data)
    return rec.at(path)


def scan(
    files: list[Path], ids: list[str], options: BuildOptions, cache: RecordCache, state: BuildState
) -> Scan | None:
    """Read and hash every file; extract those that changed (or take them from the cache)
    and take the last build's records of the changed and removed ones from the cache.
    None when that cannot be done (an old record is no longer in the cache) or does not
    pay (too many changed)."""
    from .extraction import record_from_bytes

    before = {e.doc_id: e for e in state.docs}
    entries: list[DocEntry] = []
    out = Scan(entries)
    changed: set[str] = set()
    limit = MAX_CHANGED_SHARE * max(len(files), len(before))
    for path, doc_id in zip(files, ids, strict=True):
        prev = before.get(doc_id)
        try:
            raw = read_file_bytes(path, options.max_bytes)
        except IngestError as err:
            entry = DocEntry(doc_id, shown(path), "", str(err))
            if prev == entry:  # unreadable as before
                entries.append(entry)
                continue
        else:
            entry = DocEntry(doc_id, shown(path), cache.key(raw, path, doc_id))
            # the same bytes under the same file name: the same graph (it names the file, not
            # its folder), however the corpus was given (relative or absolute, moved)
            if prev is not None and prev.key == entry.key and _name(prev) == _name(entry):
                if prev.error is None:
                    entries.append(entry)
                    continue
                if prev.path == entry.path:  # not a document, as before
                    entries.append(prev)
                    continue
            data = record_from_bytes(raw, Path(entry.path), doc_id, options, cache, entry.key)
            if isinstance(data, str):
                entry = replace(entry, error=data)
            else:
                out.new_records[doc_id] = _load(data, entry.path)
        entries.append(entry)
        changed.add(doc_id)
        if len(changed) > limit:
            return None
    current = {e.doc_id for e in entries}
    for doc_id, prev in before.items():
        if doc_id in changed or doc_id not in current:
            if prev.error is None and not _take_old(prev, cache, out):
                return None
            changed.add(doc_id)
    out.changed = len(changed)
    return out if len(changed) <= limit else None


def _name(entry: DocEntry) -> str:
    return entry.path.rsplit("/", 1)[-1]  # as the graph's ctn:fileName has it (mapping.document_quads)


def _take_old(prev: DocEntry, cache: RecordCache, out: Scan) -> bool:
    data = cache.get(prev.key)
    if data is None:
        return False
    out.old_records.append(_load(data, prev.path))
    return True


def graphs_to_remake(state: BuildState, resolver: Resolver, views: dict[str, Any], changed: set[str]) -> set[str]:
    """The documents whose graphs may differ from the last build's (after `finish`, before
    `release`): those that changed, those naming a key whose entity's IRI, class or country
    changed, and those stating a partnership whose lead partner changed."""
    remake = set(changed)
    old = state.views
    for key in views.keys() | old.keys():
        if views.get(key) != old.get(key):
            remake |= resolver.docs_naming(key)
    lead_changes = resolver.leads ^ state.leads
    if lead_changes:
        keys_of: dict[str, list[str]] = defaultdict(list)
        for key, view in views.items():
            if view is not None:
                keys_of[view[0]].append(key)

        def naming(path: str) -> set[str]:
            return set().union(*(resolver.docs_naming(k) for k in keys_of.get(path, ())))

        for s, o in lead_changes:
            remake |= naming(s) & naming(o)
    return remake

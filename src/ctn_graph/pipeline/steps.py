"""The steps of a build, each a function; build.py tells them in order.

What the steps share: a `Plan` (what the build is asked to read and write, decided before
anything is written), a `Work` (its work folder, and the last build if one can be built
on) and a `Resolution` (the documents' entries, the resolver while it lives, and which
graphs are to be made).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..common.leftovers import WORK_PREFIX, remove_stale, remove_stale_prefixed
from ..common.paths import Input, build_outputs, check_outputs, mark, naming, shown, walk_skip
from ..common.resources import data_path
from ..ir import DocRecord
from ..rdf import manifest
from ..rdf import store as stores
from ..rdf.export import PIECEWISE, GraphFile, GraphFormat, NQuadsParts, atomic_output, write_quads_to
from .cache import RecordCache
from .collector import collector_paused, freeze_more
from .extract.gazetteer import Gazetteer
from .extraction import Spill, _extractor, spill_records
from .ingest import IngestError, iter_paths, unique_ids
from .mapping import RELATION_IRIS, doc_node, entity_graph_quads, ontology_quads, record_graph, relation_triples
from .options import BuildOptions, BuildSummary, Progress
from .rebuild import BuildState, DocEntry, Earlier, Scan, fingerprint, read_earlier, scan, state_folder, write_state
from .resolve import Resolver

QUADS_PER_LOAD = 500_000
"""Quads bulk-loaded into the store at once: the loader holds about 1 GB per million."""

QUADS_PER_PART = 100_000
"""Quads of the first part of a new store that is loaded while the graphs are made
(StoreLoader), and what each next part adds, up to QUADS_PER_LOAD (`_load_part`).
pyoxigraph's bulk loader does most of its work once a load's input has ended, so the
store is loaded a part at a time, each while the next is made. At 10 MB of real pages
(570,000 quads) one part of 500,000 left the whole load to the end (5 s after the last
graph); parts that grow keep the number of loads (each costs a little) of a large corpus
as it was."""


def default_corpus() -> Path:
    return data_path("corpus", "seeds")


@dataclass(slots=True)
class Plan:
    """What a build reads and writes; every output checked to replace no input."""

    given: Sequence[Path]  # the paths as the caller gave them
    inputs: list[Path]  # the same, or the bundled corpus
    files: list[Path]
    ids: list[str]
    not_read: list[str]  # the files of a format not read, told with the unreadable ones
    output: Path | None
    store_dir: Path | None
    fmt: GraphFormat | None
    state_dir: Path | None  # where the state for the next build is kept (None: none is)
    options: BuildOptions
    gaz: Gazetteer | None = None
    cache: RecordCache | None = None

    @property
    def target(self) -> Path | None:
        return self.output if self.output is not None else self.store_dir


@dataclass(slots=True)
class Work:
    tmp: Path  # the work folder (records, N-Quads parts), removed at the end
    stamp: str  # the fingerprint of the code, data and options ("" when no state is kept)
    earlier: Earlier | None  # the last build, when it can be built on


@dataclass(slots=True)
class Resolution:
    entries: list[DocEntry]
    resolver: Resolver | None  # None once the graphs are made (what remains needs the files only)
    spill: Spill | None = None  # a build from nothing: the records on disk
    changes: Scan | None = None  # a rebuild: what changed since the last build
    earlier: Earlier | None = None  # a rebuild: the last build
    views: dict[str, Any] | None = None  # what the graphs used of the resolution (kept for the next build)
    remake: set[str] | None = None  # a rebuild: the documents whose graphs are made again (None: all)
    leads: set[tuple[str, str]] = field(default_factory=set)


@dataclass(slots=True)
class Outputs:
    """The outputs of the write step, open."""

    graph_file: IO[bytes] | None
    manifest: Any  # the store this command built before (None: none, or not readable)
    loader: stores.StoreLoader | None  # a new store, loaded while the graphs are made
    parts: NQuadsParts
    writer: GraphFile


def plan_build(paths: Sequence[Path], output: Path | None, store_dir: Path | None, options: BuildOptions) -> Plan:
    """The files to read and the outputs to write; nothing is written before every output
    is known to replace no input and no other output."""
    fmt = GraphFormat.from_path(output) if output else None
    caching = options.cache_dir is not None
    state_dir = state_folder(output, store_dir) if caching and (fmt is None or fmt in PIECEWISE) else None
    note = stores.STATE_DIR / stores.NOTE if (store_dir or output) is not None else None
    outputs = build_outputs(output, store_dir, state_dir, options.cache_dir, note)
    inputs = list(paths or [default_corpus()])
    not_read: list[str] = []
    files = list(iter_paths(inputs, skip=walk_skip(outputs), include=options.include, on_skip=not_read.append))
    check_outputs(outputs, [Input(p) for p in inputs], files)
    return Plan(paths, inputs, files, unique_ids(files), not_read, output, store_dir, fmt, state_dir, options)


def tell_skipped(summary: BuildSummary, messages: Iterable[str], on_error: Callable[[str], None] | None) -> None:
    for message in messages:
        summary.skipped.append(message)
        if on_error:
            on_error(message)


def prepare(plan: Plan) -> Path | None:
    """The gazetteer, the cache and the folder of the work files (records, N-Quads parts:
    several GB for 100,000 documents): next to the output, not in /tmp, which is often a
    RAM disk. What killed builds left there is removed."""
    options = plan.options
    plan.gaz = _extractor(options.actors, options.default_country).gaz
    plan.cache = RecordCache(options.cache_dir, options) if options.cache_dir else None
    target = plan.target
    work_dir = target.resolve().parent if target is not None else None
    if work_dir is not None:
        with naming(work_dir):
            work_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_prefixed(work_dir, WORK_PREFIX)  # the work folders and files of killed builds
        for o in (plan.output, plan.store_dir, plan.state_dir):
            if o is not None:
                remove_stale(o.resolve() if o is not plan.output else o)
    return work_dir


@contextlib.contextmanager
def workspace(plan: Plan, work_dir: Path | None) -> Iterator[Work]:
    """The work folder, and the last build to the same outputs if it can be built on (its
    files stay open to the end: another build may replace them meanwhile)."""
    with (
        contextlib.ExitStack() as held,
        tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-", dir=work_dir) as tmp,
        naming(plan.target),
    ):
        mark(Path(tmp))
        stamp, earlier = "", None
        if plan.state_dir is not None:
            stamp = fingerprint(plan.options, plan.fmt)
            earlier = read_earlier(plan.state_dir, stamp, plan.output, plan.store_dir)
        if earlier is not None:
            held.callback(earlier.close)
        yield Work(Path(tmp), stamp, earlier)


def changes_since(plan: Plan, work: Work) -> Scan | None:
    """The files changed since the last build, those changed extracted (None: build from nothing)."""
    if work.earlier is None or not plan.cache:
        return None
    return scan(plan.files, plan.ids, plan.options, plan.cache, work.earlier.state)


def extract(plan: Plan, work: Work, progress: Progress | None) -> Resolution:
    """Read and extract every file into record files, resolving the records as they come
    (this process is otherwise idle while the workers extract)."""
    assert plan.gaz is not None
    records_dir = work.tmp / "records"
    records_dir.mkdir()
    resolver = Resolver(plan.gaz)
    options = plan.options
    spill = spill_records(
        plan.files, plan.ids, options, records_dir, progress, stop_at_error=options.strict, each_record=resolver.add
    )
    entries = [
        DocEntry(doc_id, shown(f), key, error)
        for f, doc_id, (key, error) in zip(plan.files, plan.ids, spill.outcomes(), strict=True)
    ]
    return Resolution(entries, resolver, spill=spill)


def update(plan: Plan, work: Work, changes: Scan, progress: Progress | None) -> Resolution:
    """The resolver as the last build left it, brought up to date with the changed records."""
    assert work.earlier is not None and plan.gaz is not None
    resolver = Resolver.load(work.earlier.resolver_file, plan.gaz)
    for rec in changes.old_records:
        resolver.remove(rec)
    for rec in changes.new_records.values():
        resolver.add(rec)
    if progress is not None:
        progress(len(plan.files), len(plan.files))
    return Resolution(changes.entries, resolver, changes=changes, earlier=work.earlier)


def count_documents(
    plan: Plan, entries: list[DocEntry], summary: BuildSummary, on_error: Callable[[str], None] | None
) -> None:
    """The documents read, and those that could not be (the first stops a strict build)."""
    for e in entries:
        if e.error is not None:
            if plan.options.strict:
                raise IngestError(e.error)
            tell_skipped(summary, [e.error], on_error)
        else:
            summary.documents += 1
    if not summary.documents:
        raise IngestError(
            f"{', '.join(map(shown, plan.given))}: no document could be read"
            + (f" ({len(summary.skipped)} skipped)" if summary.skipped else "")
        )


def resolve(plan: Plan, work: Work, res: Resolution) -> None:
    """Resolve the names to entities; with a state to keep, the resolver is saved and what
    the graphs use of it noted."""
    assert res.resolver is not None
    freeze_more()  # the per-name summaries live to the end of the build
    with collector_paused():
        res.resolver.finish()
    if plan.state_dir is not None:
        res.resolver.save(work.tmp / "resolver.pickle")
        res.views = res.resolver.views()


def release(res: Resolution) -> None:
    assert res.resolver is not None
    res.resolver.release()
    freeze_more()


def records(plan: Plan, res: Resolution) -> Iterator[tuple[DocEntry, DocRecord | None]]:
    """Each readable document, with its record if its graph is to be made (None: it is
    copied from the last build's graph file)."""
    readable = (e for e in res.entries if e.error is None)
    if res.spill is not None:
        yield from zip(readable, res.spill.records(), strict=True)
        return
    assert res.changes is not None and res.remake is not None and plan.cache is not None
    for e in readable:
        if e.doc_id not in res.remake:
            yield e, None
        elif e.doc_id in res.changes.new_records:
            yield e, res.changes.new_records[e.doc_id]
        else:
            data = plan.cache.get(e.key)
            if data is None:
                raise IngestError(f"{e.path}: its cache entry went during the build; build again")
            yield e, pickle.loads(data).at(e.path)


def _load_part(loader: Any, parts: Any, path: Path) -> None:
    """A complete part to the store's loader; the next part a little larger (QUADS_PER_PART)."""
    loader.submit(path)
    parts.per_part = min(QUADS_PER_LOAD, parts.per_part + QUADS_PER_PART)


def open_outputs(plan: Plan, work: Work, stack: contextlib.ExitStack, res: Resolution) -> Outputs:
    """The graph file (under a temporary name, locked), and the N-Quads parts the store is
    loaded from: a new store with nothing to compare with is loaded while they are written."""
    graph_file = None
    if plan.output is not None:
        stack.enter_context(stores.output_lock(plan.output))
        graph_file = stack.enter_context(atomic_output(plan.output))
    old = manifest.read_manifest(plan.store_dir) if plan.store_dir is not None else None
    loader = None
    if plan.store_dir is not None and res.remake is None and old is None:
        loader = stack.enter_context(stores.StoreLoader(stack.enter_context(stores.replacing_dir(plan.store_dir))))
    if loader is not None:
        parts = NQuadsParts(work.tmp, QUADS_PER_PART, None)
        parts.on_part = functools.partial(_load_part, loader, parts)
    else:
        parts = NQuadsParts(work.tmp, QUADS_PER_LOAD)
    writer = GraphFile(graph_file, plan.fmt, parts, repeated=RELATION_IRIS)
    return Outputs(graph_file, old, loader, parts, writer)


def write_graphs(plan: Plan, out: Outputs, res: Resolution) -> None:
    """The whole dataset, once, graph by graph (with where a document's ctn:mentionedIn
    links are: `record_graph`), into the graph file and the N-Quads parts; the graphs of
    a rebuild's unchanged documents are copied as they come."""
    resolver, earlier, writer = res.resolver, res.earlier, out.writer
    assert resolver is not None
    old_file = earlier.graph_file if earlier is not None and res.remake is not None else None

    def graphs() -> Iterator[tuple[str, Iterable[Any], tuple[int, int] | None]]:
        yield "", itertools.chain(ontology_quads(), entity_graph_quads(resolver)), None
        for e, made in records(plan, res):
            name = doc_node(e.doc_id).value
            if made is None:
                assert earlier is not None
                writer.copy(name, old_file, earlier.state.pieces[name])
            else:
                yield name, *record_graph(made, resolver)

    if out.graph_file is not None and plan.fmt is not None and plan.fmt not in PIECEWISE:
        named = ((name, quads) for name, quads, _ in graphs())
        write_quads_to(writer.tee(named), out.graph_file, plan.fmt, repeated=RELATION_IRIS)
    else:
        for name, quads, links in graphs():
            writer.graph(name, quads, links)
        writer.close(relation_triples(resolver))
    out.parts.close()
    if res.spill is not None:
        shutil.rmtree(res.spill.folder)


def count_graph(out: Outputs, res: Resolution, summary: BuildSummary) -> tuple[int, int, int] | None:
    """The graph's counts to the summary; the resolver let go (what remains needs the
    files only). Returns the graph file's (size, mtime, inode) as this build leaves it:
    the next one checks it is still so."""
    written = None
    if out.graph_file is not None:
        out.graph_file.flush()
        st = os.fstat(out.graph_file.fileno())
        written = (st.st_size, st.st_mtime_ns, st.st_ino)
    summary.triples = sum(p.quads for p in out.writer.pieces.values())
    assert res.resolver is not None
    for ent in res.resolver.entities.values():
        if ent.docs:
            summary.entities[ent.cls.value] += 1
    summary.relations.update(res.resolver.relations)
    res.leads = res.resolver.leads
    res.resolver = None
    return written


def write_store(
    plan: Plan, out: Outputs, stack: contextlib.ExitStack, res: Resolution, record: Any
) -> tuple[str, int, int]:
    """The store, under a temporary name: finished loading; or a copy (hard links) of the
    one this command built before with only the graphs that differ written again; or
    written whole. Returns the step's name, the graphs written and the folder's inode
    (kept when it is moved into place)."""
    assert plan.store_dir is not None
    pieces = out.writer.pieces
    if out.loader is not None:
        out.loader.finish()
        folder = out.loader.folder
        written, phase = len(pieces), "finish store"  # the rest of the loading that overlapped the graphs
    else:
        folder = stack.enter_context(stores.replacing_dir(plan.store_dir))
        partial = res.remake is not None
        update = stores.changed_graphs(pieces, out.manifest, in_place=partial)
        if update is not None and stores.update_store_copy(plan.store_dir, folder, out.parts, update):
            written, phase = len(update.changed) + len(update.removed), "update store"
        elif partial:
            raise IngestError(f"{plan.store_dir}: the store changed during the build; build again")
        else:
            with stores.StoreLoader(folder) as whole:
                for part in out.parts.paths:
                    whole.submit(part)
                whole.finish()
            written, phase = len(pieces), "write store"
    manifest.write_manifest(folder, {g: p.sha256 for g, p in pieces.items()}, record)
    return phase, written, folder.stat().st_ino


def keep_state(
    plan: Plan, work: Work, res: Resolution, out: Outputs, written: tuple[int, int, int] | None, store_inode: int | None
) -> None:
    """What the next build needs to redo only what a change touches (rebuild.py)."""
    assert plan.state_dir is not None and res.views is not None
    state = BuildState(
        fingerprint=work.stamp,
        output=str(plan.output.resolve()) if plan.output is not None else None,
        output_stat=written,
        store=str(plan.store_dir.resolve()) if plan.store_dir is not None else None,
        store_inode=store_inode if plan.store_dir is not None else None,
        docs=res.entries,
        pieces=out.writer.pieces,
        views=res.views,
        leads=res.leads,
    )
    with naming(plan.state_dir):
        write_state(plan.state_dir, state, work.tmp / "resolver.pickle")


def build_record(inputs: Sequence[Path], output: Path | None, store_dir: Path | None) -> Any:
    """What a build read and wrote, and when (store.BuildRecord): kept in the store's
    manifest and in the note of the last build, so a query names what answers it."""
    from datetime import datetime, timezone

    return manifest.BuildRecord(
        built=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        corpus=tuple(shown(os.path.abspath(p)) for p in inputs),
        output=shown(os.path.abspath(output)) if output is not None else None,
        store=shown(os.path.abspath(store_dir)) if store_dir is not None else None,
    )

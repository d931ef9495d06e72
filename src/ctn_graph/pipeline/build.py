"""The library the command line is a thin layer over.

>>> from ctn_graph.pipeline.build import build_resolved
>>> from ctn_graph.pipeline.ingest import parse_document
>>> doc = parse_document("Projekta vadošais partneris: Valsts policija.", "d1")
>>> r = build_resolved([doc])
>>> sorted(e.pref_label_lv for e in r.entities if e.docs)
['Valsts policija']
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from ..common.children import die_with_parent
from ..common.paths import shown
from ..common.resources import PACKAGE_DIR, data_path, hash_files
from ..ir import DocRecord, Document, Extraction, Relation, Resolved
from .extract.gazetteer import Gazetteer
from .ingest import IngestError, document_from_bytes, iter_paths, read_document, read_file_bytes, unique_ids


@dataclass(frozen=True, slots=True)
class BuildOptions:
    actors: bool = True  # use the gazetteer of known actors (countries are always used)
    default_country: str = "LV"
    strict: bool = False  # stop at the first bad document instead of skipping it
    max_bytes: int = 20 * 1024 * 1024  # larger files are reported and skipped
    jobs: int = 1  # worker processes for extraction (0: one per core, `cores()`; the CLI's default)
    cache_dir: Path | None = None  # where extractions are cached between builds (None: no cache)
    include: tuple[str, ...] = ()  # glob patterns: of a folder's files, only those matching one are read


@dataclass(slots=True)
class BuildSummary:
    output: Path | None
    documents: int
    skipped: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step of the build
    store_graphs_written: int = 0  # graphs written to the store (fewer than all: updated in place)
    # a rebuild (incremental.py): documents added, changed or removed since the last build,
    # and the document graphs made again (None: a build from nothing, every graph made)
    documents_changed: int = 0
    graphs_remade: int | None = None


def cores() -> int:
    """The CPU cores this process may run on (its affinity mask, as `taskset` or a
    container's cpuset set it; else all the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def worker_count(jobs: int) -> int:
    """The worker processes `jobs` asks for: 0 means one per core."""
    return jobs if jobs > 0 else cores()


PARALLEL_BYTES = 128 * 1024
"""Below this many bytes of input, files are extracted in the build's own process whatever
the jobs: on 128 kB (about 0.1 s of extraction) a second core saves less than the pool
costs (its start, 30-40 ms, and each worker's word caches filled again from nothing)."""


def _warm_for_fork() -> None:
    """Load, before the workers fork, what an extraction otherwise loads at its first
    word: the lemmatiser's Latvian dictionary (about 0.2 s, and some MB that each worker
    would read again and keep a copy of). The library is called directly: the extractor's
    own state (its word caches) is left as it is."""
    import simplemma

    simplemma.lemmatize("policija", lang="lv")


@lru_cache(maxsize=2)
def _extractor(actors: bool, default_country: str):
    from .extract.document import DocumentExtractor
    from .extract.lexicon import load_lexicon

    return DocumentExtractor(Gazetteer.default(actors=actors), load_lexicon(), default_country)


Progress = Callable[[int, int], None]  # (documents done, documents in all)
_F = TypeVar("_F", bound=Callable[..., Any])
_batch_depth = 0
_batch_froze = False  # whether the outermost _batch_gc call froze objects (and will unfreeze them)


def _batch_gc(func: _F) -> _F:
    """Run `func` with the garbage collector set for batch work, as it was afterwards.

    Extraction makes and drops millions of small objects; at Python's default threshold
    (a collection every 700 allocations) the collector takes 15-20% of the time, most of
    it walking the gazetteer, the lexicon and the resolver again and again. So: what
    exists now is frozen (never walked; forked workers also keep sharing its memory
    pages instead of copying them) and young objects are collected every 10,000
    allocations. Nothing that is garbage is kept: cycles are still collected."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        global _batch_depth, _batch_froze
        if _batch_depth:
            return func(*args, **kwargs)
        thresholds = gc.get_threshold()
        freeze = gc.get_freeze_count() == 0  # a program that froze objects itself keeps them so
        _batch_depth += 1
        _batch_froze = freeze
        if freeze:
            gc.freeze()
        gc.set_threshold(10_000, 10, 10)
        try:
            return func(*args, **kwargs)
        finally:
            gc.set_threshold(*thresholds)
            if freeze:
                gc.unfreeze()
            _batch_froze = False
            _batch_depth -= 1

    return wrapper  # type: ignore[return-value]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Inside `_batch_gc`, when it froze: no collection while the block runs. Resolution
    makes the entities (about 700 MB of objects at 100,000 documents, which live to the end
    of the build) and hardly any garbage with cycles, so walking the growing heap meanwhile
    is wasted. At 100,000 documents (-j 1, no store) the collector took 8.0 s in 5 full
    collections before, 4.5 s in 3 after, none of them during resolution."""
    if not _batch_froze or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _freeze_more() -> None:
    """Inside `_batch_gc`, when it froze: freeze what exists now too (the resolver, which
    lives to the end of the build), so that the collections while the graph is written do
    not walk it again and again. `_batch_gc` unfreezes everything at the end."""
    if _batch_froze:
        gc.freeze()


@_batch_gc
def extract_documents(
    docs: Iterable[Document], options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> list[Extraction]:
    """Extract documents already read (in worker processes when options.jobs > 1), in
    their order. `build` reads and extracts files with `spill_records` instead."""
    docs = list(docs)
    out: list[Extraction] = []
    jobs = worker_count(options.jobs)
    if jobs > 1 and len(docs) > 1 and sum(len(d.text) for d in docs) >= PARALLEL_BYTES:
        from concurrent.futures import ProcessPoolExecutor

        _extractor(options.actors, options.default_country)  # loaded once, before the workers fork
        _warm_for_fork()
        chunk = max(1, min(64, len(docs) // (jobs * 4) or 1))
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(docs)), initializer=die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            for x in pool.map(_extract_one, ((d, options) for d in docs), chunksize=chunk):
                out.append(x)
                if progress is not None:
                    progress(len(out), len(docs))
    else:
        ex = _extractor(options.actors, options.default_country)
        for d in docs:
            out.append(ex.extract(d))
            if progress is not None:
                progress(len(out), len(docs))
    return out


def _extract_one(args: tuple[Document, BuildOptions]) -> Extraction:
    doc, options = args
    return _extractor(options.actors, options.default_country).extract(doc)


def _record_bytes(path: Path, doc_id: str, options: BuildOptions, cache: RecordCache | None) -> tuple[str, bytes | str]:
    """One file's cache key ("" without a cache or when it cannot be read) and its record,
    pickled (from the cache when its bytes were extracted before), or what is wrong with
    the file. The file is read once: its bytes give the cache key and, on a miss, the
    document."""
    try:
        raw = read_file_bytes(path, options.max_bytes)
    except IngestError as e:
        return "", str(e)
    key = cache.key(raw, path, doc_id) if cache is not None else ""
    return key, record_from_bytes(raw, Path(shown(path)), doc_id, options, cache, key)


def record_from_bytes(
    raw: bytes, path: Path, doc_id: str, options: BuildOptions, cache: RecordCache | None, key: str
) -> bytes | str:
    """The pickled record of a file's bytes (from the cache under `key` when there), or
    what is wrong with them."""
    import pickle

    if cache is not None and (data := cache.get(key)) is not None:
        return data
    try:
        doc = document_from_bytes(raw, path, doc_id, max_bytes=options.max_bytes)
    except IngestError as e:
        return str(e)
    data = pickle.dumps(
        DocRecord.of(_extractor(options.actors, options.default_country).extract(doc)), protocol=pickle.HIGHEST_PROTOCOL
    )
    if cache is not None:
        cache.put(key, data)
    return data


ChunkTask = tuple[str, list[tuple[str, str]], BuildOptions, "RecordCache | None"]  # (spill file, (path, id)s, ...)
Outcome = tuple[str, str | None]  # a file's cache key, and None (its record is in the spill file) or what is wrong


def _extract_chunk(task: ChunkTask) -> list[Outcome]:
    """Extract a run of files into one spill file (in a worker process): per file its
    cache key and None (its record is the next one in the file) or what is wrong with it."""
    out_path, items, options, cache = task
    outcomes: list[Outcome] = []
    with open(out_path, "wb") as out:
        for path, doc_id in items:
            key, data = _record_bytes(Path(path), doc_id, options, cache)
            if isinstance(data, str):
                outcomes.append((key, data))
            else:
                out.write(data)  # pickles follow one another in a file; each load reads one
                outcomes.append((key, None))
    return outcomes


@dataclass(slots=True)
class Spill:
    """The records of a corpus on disk, as `spill_records` wrote them: chunk files of
    pickled DocRecords, read back in file order as often as needed (resolution reads them
    twice) without holding them in memory."""

    folder: Path
    paths: list[str]  # the files as given (a cached record keeps the path it was read from)
    chunks: list[tuple[int, list[Outcome]]] = field(default_factory=list)  # (first file, outcomes)

    def results(self) -> Iterator[DocRecord | IngestError]:
        """Each file's record, or the IngestError that says why it could not be read."""
        for n in range(len(self.chunks)):
            yield from self.chunk_results(n)

    def chunk_results(self, n: int) -> Iterator[DocRecord | IngestError]:
        """`results` of the n-th run of files."""
        import pickle

        start, outcomes = self.chunks[n]
        with self.chunk_path(n).open("rb") as f:
            for k, (_key, error) in enumerate(outcomes):
                if error is not None:
                    yield IngestError(error)
                    continue
                rec: DocRecord = pickle.load(f)
                yield rec.at(self.paths[start + k])

    def records(self) -> Iterator[DocRecord]:
        return (r for r in self.results() if isinstance(r, DocRecord))

    def outcomes(self) -> Iterator[Outcome]:
        """Each file's cache key and what is wrong with it (None: nothing)."""
        for _start, outcomes in self.chunks:
            yield from outcomes

    def chunk_path(self, n: int) -> Path:
        """The file of the n-th run of files' records."""
        return self.folder / f"records-{n:06d}.pickle"


@_batch_gc
def spill_records(
    files: Sequence[Path],
    ids: Sequence[str],
    options: BuildOptions,
    folder: Path,
    progress: Progress | None = None,
    stop_at_error: bool = False,
    each_record: Callable[[DocRecord], None] | None = None,
) -> Spill:
    """Read and extract files into record files in `folder`: the extraction step of
    `build`.

    Runs of consecutive files go to worker processes (options.jobs > 1, or 0: one per
    core), which read, extract and write their records themselves and send back only one
    outcome per file, so the parent process does no extraction work and N workers use N
    cores; fewer than two files, or less than PARALLEL_BYTES of them, are extracted here
    (a pool costs more than it gives). With
    options.cache_dir set, a file whose bytes were extracted before (same id, same bytes,
    same extractor) is not extracted again. stop_at_error: raise the first IngestError,
    in file order. each_record: called with each record, in file order, as soon as its
    run of files is done, while the workers extract the next runs (`build` resolves as
    the records come: its process is otherwise idle meanwhile)."""
    cache = RecordCache(options.cache_dir, options) if options.cache_dir else None
    items = [(str(f), i) for f, i in zip(files, ids, strict=True)]
    jobs = worker_count(options.jobs)
    parallel = jobs > 1 and len(items) > 1 and _input_bytes(files) >= PARALLEL_BYTES
    size = max(1, min(32, len(items) // (jobs * 8))) if parallel else 256
    starts = range(0, len(items), size)
    spill = Spill(folder, [shown(p) for p, _ in items])
    tasks = [(str(spill.chunk_path(n)), items[i : i + size], options, cache) for n, i in enumerate(starts)]
    pool = None
    if parallel:
        from concurrent.futures import ProcessPoolExecutor

        _extractor(options.actors, options.default_country)  # loaded once, before the workers fork
        _warm_for_fork()
        # the workers end with this process, even when it is killed (children.py)
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)), initializer=die_with_parent, initargs=(os.getpid(),)
        )
        outcomes = pool.map(_extract_chunk, tasks)
    else:
        outcomes = map(_extract_chunk, tasks)
    try:
        done = 0
        for start, result in zip(starts, outcomes, strict=True):
            spill.chunks.append((start, result))
            if stop_at_error and (error := next((e for _k, e in result if e is not None), None)):
                raise IngestError(error)
            if each_record is not None:
                for rec in spill.chunk_results(len(spill.chunks) - 1):
                    if isinstance(rec, DocRecord):
                        each_record(rec)
            done += len(result)
            if progress is not None:
                progress(done, len(items))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return spill


def _input_bytes(files: Sequence[Path], enough: int = PARALLEL_BYTES) -> int:
    """The size of the files, counted until `enough` (a file that cannot be read counts
    nothing: reading it says what is wrong)."""
    total = 0
    for f in files:
        try:
            total += os.stat(f).st_size
        except OSError:
            continue
        if total >= enough:
            break
    return total


def _code_fingerprint() -> bytes:
    """The source of the modules an extraction depends on: a changed extractor never
    reuses the extractions of an older one."""
    import hashlib

    root = Path(__file__).parent  # ctn_graph/pipeline
    h = hashlib.sha256()
    files = [*root.glob("extract/*.py"), *root.glob("lv/*.py"), root / "ingest.py", root / "text.py"]
    files += [PACKAGE_DIR / "ir.py", root / "formats.py", root / "htmltext.py"]  # how a file's bytes become text
    files.append(PACKAGE_DIR / "common" / "chars.py")
    hash_files(h, files)
    return h.digest()


class RecordCache:
    """Document records on disk, pickled, one file per document, keyed by the document's
    id and the sha256 of its bytes and by a fingerprint of the extractor (its code and
    data files), so a rebuild extracts again only the documents that changed. Worker
    processes read and write it at the same time (each entry is written under a
    temporary name and renamed)."""

    def __init__(self, folder: Path, options: BuildOptions):
        import hashlib

        from ..common.paths import MARKER, mark
        from ..common.resources import __version__

        h = hashlib.sha256(f"{__version__}|{options.actors}|{options.default_country}|{options.max_bytes}".encode())
        h.update(_code_fingerprint())
        for kind in ("gazetteer", "lexicon"):
            hash_files(h, data_path(kind).glob("*.*"))
        self.folder = folder / h.hexdigest()[:16]
        self.folder.mkdir(parents=True, exist_ok=True)
        if not (folder / MARKER).exists():
            mark(folder)  # never read as documents

    @staticmethod
    def key(raw: bytes, path: Path, doc_id: str) -> str:
        """The cache key of a file's bytes."""
        import hashlib

        return hashlib.sha256(f"{doc_id}|{path.suffix.lower()}|".encode("utf-8", "surrogateescape") + raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> bytes | None:
        """The pickled record under `key`; None when there is none, or it is damaged."""
        import hashlib

        try:
            entry = self._path(key).read_bytes()
        except OSError:
            return None
        data, digest = entry[:-32], entry[-32:]
        return data if len(entry) > 32 and hashlib.sha256(data).digest() == digest else None

    def put(self, key: str, data: bytes) -> None:
        """Keep a pickled record, followed by its sha256, by which `get` knows it whole."""
        import hashlib
        import tempfile

        p = self._path(key)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.write(hashlib.sha256(data).digest())
        os.replace(tmp, p)


def build_resolved(
    docs: Sequence[Document], options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> Resolved:
    """Extract and resolve documents already read."""
    from .resolve import resolve

    ex = _extractor(options.actors, options.default_country)
    return resolve(extract_documents(docs, options, progress), ex.gaz)


def read_documents(
    paths: Sequence[Path], options: BuildOptions = BuildOptions(), on_error: Callable[[str], None] | None = None
) -> tuple[list[Document], list[str]]:
    skipped: list[str] = []

    def not_read(message: str) -> None:  # a file of a format not read
        skipped.append(message)
        if on_error:
            on_error(message)

    files = list(iter_paths(paths, include=options.include, on_skip=not_read))
    ids = unique_ids(files)
    docs: list[Document] = []
    for f, doc_id in zip(files, ids, strict=True):
        try:
            docs.append(read_document(f, doc_id, options.max_bytes))
        except IngestError as e:
            if options.strict:
                raise
            skipped.append(str(e))
            if on_error:
                on_error(str(e))
    return docs, skipped


def to_store(resolved: Resolved, *, with_ontology: bool = True):
    """An in-memory pyoxigraph Store holding the graph (and the ontology)."""
    import pyoxigraph as ox

    from .mapping import to_quads

    store = ox.Store()
    if with_ontology:
        store.bulk_extend(ontology_quads())
    store.bulk_extend(to_quads(resolved))
    return store


def ontology_quads() -> list:  # noqa: ANN201
    """The ontology's triples, its blank nodes named in reading order, so that a build
    writes the same bytes every time."""
    import pyoxigraph as ox

    names: dict[str, ox.BlankNode] = {}

    def fix(t):  # noqa: ANN001, ANN202
        if isinstance(t, ox.BlankNode):
            if t.value not in names:
                names[t.value] = ox.BlankNode(f"ctn{len(names)}")
            return names[t.value]
        return t

    return [
        ox.Quad(fix(q.subject), q.predicate, fix(q.object), ox.DefaultGraph())
        for q in ox.parse(path=str(data_path("ontology", "ctn.ttl")), format=ox.RdfFormat.TURTLE)
    ]


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


def _load_part(loader: Any, parts: Any, path: Path) -> None:
    """A complete part to the store's loader; the next part a little larger (QUADS_PER_PART)."""
    loader.submit(path)
    parts.per_part = min(QUADS_PER_LOAD, parts.per_part + QUADS_PER_PART)


RELATION_IRIS = frozenset(f"https://w3id.org/ctn/ontology#{r.value}" for r in Relation)
"""The relation predicates: their triples are in the default graph, once each (mapping.py),
and a Turtle or N-Triples file writes them last (export.GraphFile)."""


def default_corpus() -> Path:
    return data_path("corpus", "seeds")


@_batch_gc
def build(
    paths: Sequence[Path],
    output: Path | None,
    options: BuildOptions = BuildOptions(),
    on_error: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    store_dir: Path | None = None,
) -> BuildSummary:
    """Read documents, extract, resolve and write the graph to `output` (format from the
    extension) and the store to `store_dir`. Nothing is written if anything fails.

    Memory stays small however large the corpus: documents are read and extracted one at
    a time (or by worker processes), their records written to temporary files; resolution
    reads them back and keeps a summary per name; the quads are made once, one graph at a
    time, serialised into the graph file and into N-Quads files, from which the store is
    bulk-loaded.

    With the cache on (options.cache_dir), a build also leaves what the next one needs to
    redo only what a change touches (incremental.py): the next build extracts only the
    changed files, resolves from the summaries, makes only the graphs that differ, copies
    the rest from the old graph file and updates the store in place."""
    import contextlib
    import itertools
    import shutil
    import tempfile

    import pyoxigraph as ox

    from ..common.leftovers import WORK_PREFIX, remove_stale, remove_stale_prefixed
    from ..common.paths import Input, build_outputs, check_outputs, mark, naming, walk_skip
    from ..rdf.export import PIECEWISE, GraphFile, GraphFormat, NQuadsParts, atomic_output, write_quads_to
    from ..rdf.store import (
        NOTE,
        STATE_DIR,
        StoreLoader,
        changed_graphs,
        output_lock,
        read_manifest,
        remember_build,
        replacing_dir,
        update_store_copy,
        write_manifest,
    )
    from .mapping import doc_node, entity_graph_quads, record_graph, relation_triples
    from .rebuild import (
        BuildState,
        DocEntry,
        fingerprint,
        graphs_to_remake,
        read_earlier,
        scan,
        state_folder,
        write_state,
    )
    from .resolve import Resolver

    t0 = time.perf_counter()
    fmt = GraphFormat.from_path(output) if output else None
    caching = options.cache_dir is not None
    state_dir = state_folder(output, store_dir) if caching and (fmt is None or fmt in PIECEWISE) else None
    # nothing is written before every output is known to replace no input and no other output
    outputs = build_outputs(
        output, store_dir, state_dir, options.cache_dir, STATE_DIR / NOTE if (store_dir or output) is not None else None
    )
    inputs = list(paths or [default_corpus()])
    not_read: list[str] = []  # the files of a format not read, told with the unreadable ones
    files = list(iter_paths(inputs, skip=walk_skip(outputs), include=options.include, on_skip=not_read.append))
    check_outputs(outputs, [Input(p) for p in inputs], files)
    ids = unique_ids(files)
    summary = BuildSummary(output=output, documents=0)
    for message in not_read:
        summary.skipped.append(message)
        if on_error:
            on_error(message)
    gaz = _extractor(options.actors, options.default_country).gaz
    cache = RecordCache(options.cache_dir, options) if options.cache_dir else None
    # the work files (records, N-Quads parts: several GB for 100,000 documents) go next to
    # the output, not to /tmp, which is often a RAM disk
    target = output if output is not None else store_dir
    work_dir = target.resolve().parent if target is not None else None
    if work_dir is not None:
        with naming(work_dir):
            work_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_prefixed(work_dir, WORK_PREFIX)  # the work folders and files of killed builds
        for o in (output, store_dir, state_dir):
            if o is not None:
                remove_stale(o.resolve() if o is not output else o)
    with (
        contextlib.ExitStack() as held,
        tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-", dir=work_dir) as tmp,
        naming(target),
    ):
        mark(Path(tmp))
        stamp = fingerprint(options, fmt) if state_dir is not None else ""
        earlier = read_earlier(state_dir, stamp, output, store_dir) if state_dir is not None else None
        if earlier is not None:
            held.callback(earlier.close)  # its files stay open: another build may replace them meanwhile
        changes = scan(files, ids, options, cache, earlier.state) if earlier is not None and cache else None
        spill = None
        if earlier is not None and changes is not None:
            # a rebuild: the resolver as the last build left it, brought up to date
            entries = changes.entries
            resolver = Resolver.load(earlier.resolver_file, gaz)
            for rec in changes.old_records:
                resolver.remove(rec)
            for rec in changes.new_records.values():
                resolver.add(rec)
            if progress is not None:
                progress(len(files), len(files))
        else:
            earlier = changes = None
            records_dir = Path(tmp) / "records"
            records_dir.mkdir()
            resolver = Resolver(gaz)
            spill = spill_records(
                files, ids, options, records_dir, progress, stop_at_error=options.strict, each_record=resolver.add
            )
            entries = [
                DocEntry(doc_id, shown(f), key, error)
                for f, doc_id, (key, error) in zip(files, ids, spill.outcomes(), strict=True)
            ]
        t1 = time.perf_counter()
        summary.phases["read and extract"] = t1 - t0
        for e in entries:
            if e.error is not None:
                if options.strict:
                    raise IngestError(e.error)
                summary.skipped.append(e.error)
                if on_error:
                    on_error(e.error)
            else:
                summary.documents += 1
        if not summary.documents:
            raise IngestError(
                f"{', '.join(map(shown, paths))}: no document could be read"
                + (f" ({len(summary.skipped)} skipped)" if summary.skipped else "")
            )
        _freeze_more()  # the per-name summaries live to the end of the build
        with _collector_paused():
            resolver.finish()
        resolver_file = Path(tmp) / "resolver.pickle"
        views = None
        if state_dir is not None:
            resolver.save(resolver_file)
            views = resolver.views()
        remake: set[str] | None = None  # the documents whose graphs are made again (None: all)
        if earlier is not None and changes is not None and views is not None:
            remake = graphs_to_remake(earlier.state, resolver, views, set(changes.new_records))
            summary.graphs_remade = len(remake & {e.doc_id for e in entries if e.error is None})
            summary.documents_changed = changes.changed
        resolver.release()
        _freeze_more()
        summary.phases["resolve"] = time.perf_counter() - t1

        def records() -> Iterator[tuple[DocEntry, DocRecord | None]]:
            """Each readable document, with its record if its graph is to be made."""
            import pickle

            if spill is not None:
                yield from zip((e for e in entries if e.error is None), spill.records(), strict=True)
                return
            assert changes is not None and remake is not None and cache is not None
            for e in entries:
                if e.error is not None:
                    continue
                if e.doc_id not in remake:
                    yield e, None
                elif e.doc_id in changes.new_records:
                    yield e, changes.new_records[e.doc_id]
                else:
                    data = cache.get(e.key)
                    if data is None:
                        raise IngestError(f"{e.path}: its cache entry went during the build; build again")
                    yield e, pickle.loads(data).at(e.path)

        record = build_record(inputs, output, store_dir)
        # the graph file and the store are made under temporary names and put in place
        # together at the end (the store first), so that an interrupted build leaves both
        # as they were
        with contextlib.ExitStack() as stack:
            # the whole dataset, once, graph by graph: written as N-Quads files of a bounded
            # size, from which the store is loaded, and into the graph file
            graph_file = None
            if output is not None:
                stack.enter_context(output_lock(output))
                graph_file = stack.enter_context(atomic_output(output))
            # the graphs of the store this command built before (None: none, or not readable)
            manifest = read_manifest(store_dir) if store_dir is not None else None
            loader = None  # a new store with nothing to compare with is filled while the parts are written
            if store_dir is not None and remake is None and manifest is None:
                loader = stack.enter_context(StoreLoader(stack.enter_context(replacing_dir(store_dir))))
            if loader is not None:
                parts = NQuadsParts(Path(tmp), QUADS_PER_PART, None)
                parts.on_part = functools.partial(_load_part, loader, parts)
            else:
                parts = NQuadsParts(Path(tmp), QUADS_PER_LOAD)
            old_file = earlier.graph_file if earlier is not None and remake is not None else None
            writer = GraphFile(graph_file, fmt, parts, repeated=RELATION_IRIS)

            def graphs(resolver: Resolver) -> Iterator[tuple[str, Iterable[ox.Quad], tuple[int, int] | None]]:
                """The graphs to make (with where a document's ctn:mentionedIn links are:
                `record_graph`); those of a rebuild's unchanged documents are copied as
                they come."""
                yield "", itertools.chain(ontology_quads(), entity_graph_quads(resolver)), None
                for e, made in records():
                    name = doc_node(e.doc_id).value
                    if made is None:
                        assert earlier is not None
                        writer.copy(name, old_file, earlier.state.pieces[name])
                    else:
                        yield name, *record_graph(made, resolver)

            if graph_file is not None and fmt is not None and fmt not in PIECEWISE:
                named = ((name, quads) for name, quads, _ in graphs(resolver))
                write_quads_to(writer.tee(named), graph_file, fmt, repeated=RELATION_IRIS)
            else:
                for name, quads, links in graphs(resolver):
                    writer.graph(name, quads, links)
                writer.close(relation_triples(resolver))
            parts.close()
            if spill is not None:
                shutil.rmtree(spill.folder)
            written = None  # the graph file as this build leaves it: the next one checks it is still so
            if graph_file is not None:
                graph_file.flush()
                st = os.fstat(graph_file.fileno())
                written = (st.st_size, st.st_mtime_ns, st.st_ino)
            t1 = time.perf_counter()
            summary.phases["map to RDF, write graph file" if output is not None else "map to RDF"] = (
                t1 - t0 - sum(summary.phases.values())
            )
            summary.triples = sum(p.quads for p in writer.pieces.values())
            for ent in resolver.entities.values():
                if ent.docs:
                    summary.entities[ent.cls.value] += 1
            summary.relations.update(resolver.relations)
            leads = resolver.leads
            del resolver  # what remains to do needs the files only
            if store_dir is not None:
                if loader is not None:
                    loader.finish()
                    folder = loader.folder
                    summary.store_graphs_written = len(writer.pieces)
                    phase = "finish store"  # the rest of the loading that overlapped the step before
                else:
                    folder = stack.enter_context(replacing_dir(store_dir))
                    # a store this command built before is copied (hard links) and only the
                    # graphs that differ are written again; otherwise it is written whole
                    partial = remake is not None
                    update = changed_graphs(writer.pieces, manifest, in_place=partial)
                    if update is not None and update_store_copy(store_dir, folder, parts, update):
                        summary.store_graphs_written = len(update.changed) + len(update.removed)
                        phase = "update store"
                    elif partial:
                        raise IngestError(f"{store_dir}: the store changed during the build; build again")
                    else:
                        with StoreLoader(folder) as whole:
                            for part in parts.paths:
                                whole.submit(part)
                            whole.finish()
                        summary.store_graphs_written = len(writer.pieces)
                        phase = "write store"
                write_manifest(folder, {g: p.sha256 for g, p in writer.pieces.items()}, record)
                store_inode = folder.stat().st_ino  # kept when the folder is moved into place
                summary.phases[phase] = time.perf_counter() - t1
        if store_dir is not None or output is not None:
            remember_build(record)
        if state_dir is not None and views is not None:
            t1 = time.perf_counter()
            state = BuildState(
                fingerprint=stamp,
                output=str(output.resolve()) if output is not None else None,
                output_stat=written,
                store=str(store_dir.resolve()) if store_dir is not None else None,
                store_inode=store_inode if store_dir is not None else None,
                docs=entries,
                pieces=writer.pieces,
                views=views,
                leads=leads,
            )
            with naming(state_dir):
                write_state(state_dir, state, resolver_file)
            summary.phases["keep state"] = time.perf_counter() - t1
    summary.seconds = time.perf_counter() - t0
    return summary


def build_record(inputs: Sequence[Path], output: Path | None, store_dir: Path | None) -> Any:
    """What a build read and wrote, and when (store.BuildRecord): kept in the store's
    manifest and in the note of the last build, so a query names what answers it."""
    from datetime import datetime, timezone

    from ..rdf.store import BuildRecord

    return BuildRecord(
        built=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        corpus=tuple(shown(os.path.abspath(p)) for p in inputs),
        output=shown(os.path.abspath(output)) if output is not None else None,
        store=shown(os.path.abspath(store_dir)) if store_dir is not None else None,
    )


def query_engine(
    graph: Path | None = None,
    endpoint: str | None = None,
    *,
    user: str | None = None,
    password: str | None = None,
    digest: bool = False,
    timeout: float = 60.0,
    allow_federation: bool = False,
):
    """The engine a query runs on: a remote endpoint, a store directory or graph file,
    or (with neither) the store of the last build. A local engine refuses SERVICE unless
    `allow_federation` (a remote endpoint decides for itself)."""
    if endpoint:
        from ..sparql.endpoint import Auth, EndpointEngine

        return EndpointEngine(endpoint, Auth(user, password, digest), timeout)
    from ..rdf.store import open_graph
    from ..sparql.query import OxigraphEngine

    return OxigraphEngine(open_graph(graph), allow_federation=allow_federation)


def push(graph: Path | None, endpoint: str, named_graph: str | None = None, **kwargs):
    """Load a built graph (store directory or file) into a remote store's named graph,
    replacing that graph whole."""
    import pyoxigraph as ox

    from ..rdf.store import open_graph, reading
    from ..sparql.endpoint import DEFAULT_GRAPH_IRI, push_ntriples
    from ..sparql.transport import check_url

    for url in (endpoint, kwargs.get("gsp_url"), kwargs.get("update_url")):
        if url is not None:
            check_url(url)  # before the graph is read
    seen = set()
    lines = []
    with reading(graph):
        for q in open_graph(graph):
            t = ox.Triple(_skolem(q.subject), q.predicate, _skolem(q.object))
            if t not in seen:
                seen.add(t)
                lines.append(t)
    data = ox.serialize(lines, format=ox.RdfFormat.N_TRIPLES) or b""
    return push_ntriples(data, len(lines), endpoint, named_graph or DEFAULT_GRAPH_IRI, **kwargs)


def _skolem(term):
    """Blank nodes become IRIs, so a graph sent in several requests stays one graph."""
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(f"https://w3id.org/ctn/id/.well-known/genid/{term.value}")
    return term


def run_query_to(spec_query, graph: Path | None, params: dict[str, str], fmt, out, timeout: float | None = None,  # noqa: ANN001
                 allow_federation: bool = False) -> int:  # fmt: skip
    """Run a query on the embedded store and write its result to `out` (a text stream).

    With a timeout the query runs in a child process that is stopped when the time is
    up (Oxigraph cannot interrupt a query in the middle), and the result is streamed
    from a temporary file once it is complete. The child ends with this process, even
    when it is killed (children.py); a folder a killed run left is removed by the next.
    Returns the number of rows written.
    """
    from ..rdf.store import open_graph, reading
    from ..sparql.query import OxigraphEngine, QueryError, run_query
    from ..sparql.results import write_result

    if timeout is None:
        with reading(graph):
            engine = OxigraphEngine(open_graph(graph), allow_federation=allow_federation)
            return write_result(run_query(spec_query, engine, params), fmt, out)
    import multiprocessing
    import shutil
    import tempfile

    from ..common.leftovers import QUERY_PREFIX, remove_stale_queries

    remove_stale_queries()
    with tempfile.TemporaryDirectory(prefix=f"{QUERY_PREFIX}{os.getpid()}-") as tmp:
        result_file = Path(tmp) / "result"
        error_file = Path(tmp) / "error"
        ctx = multiprocessing.get_context("fork")
        proc = ctx.Process(
            target=_query_child,
            args=(spec_query, graph, params, fmt, result_file, error_file, os.getpid(), allow_federation),
            daemon=True,
        )
        proc.start()
        proc.join(timeout)
        if proc.is_alive():
            proc.kill()
            proc.join()
            raise QueryError(f"{spec_query.name}: stopped after {timeout:g} s (--timeout)")
        if error_file.exists():
            raise QueryError(error_file.read_text(encoding="utf-8"))
        if proc.exitcode != 0:
            raise QueryError(f"{spec_query.name}: the query process failed (exit {proc.exitcode})")
        with result_file.open(encoding="utf-8") as f:
            shutil.copyfileobj(f, out)
        return int((Path(tmp) / "rows").read_text() or 0) if (Path(tmp) / "rows").exists() else 0


def _query_child(  # noqa: ANN001
    spec_query, graph, params, fmt, result_file: Path, error_file: Path, parent: int, allow_federation: bool = False
) -> None:
    import shutil

    from ..common.paths import os_error_text
    from ..rdf.store import StoreError, open_graph, reading
    from ..sparql.query import OxigraphEngine, QueryError, run_query
    from ..sparql.results import write_result

    die_with_parent(parent, lambda: shutil.rmtree(result_file.parent, ignore_errors=True))
    try:
        with reading(graph):
            engine = OxigraphEngine(open_graph(graph), allow_federation=allow_federation)
            with result_file.open("w", encoding="utf-8") as f:
                n = write_result(run_query(spec_query, engine, params), fmt, f)
        (result_file.parent / "rows").write_text(str(n))
    except (QueryError, StoreError) as e:
        error_file.write_text(str(e), encoding="utf-8")
    except OSError as e:  # the temporary folder's disk is full ...
        error_file.write_text(os_error_text(e, result_file.parent), encoding="utf-8")
    except Exception as e:  # noqa: BLE001 - told as one line by the parent, not as a traceback
        error_file.write_text(f"{spec_query.name}: the query failed ({type(e).__name__}: {e})", encoding="utf-8")

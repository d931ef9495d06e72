"""The library the command line is a thin layer over.

>>> from ctn_graph.api import build_resolved
>>> from ctn_graph.ingest import parse_document
>>> doc = parse_document("Projekta vadošais partneris: Valsts policija.", "d1")
>>> r = build_resolved([doc])
>>> sorted(e.pref_label_lv for e in r.entities if e.docs)
['Valsts policija']
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .extract.gazetteer import Gazetteer
from .ingest import IngestError, iter_paths, read_document, unique_ids
from .ir import DocRecord, Document, Extraction, Relation, Resolved
from .resources import data_path


@dataclass(frozen=True, slots=True)
class BuildOptions:
    actors: bool = True  # use the gazetteer of known actors (countries are always used)
    default_country: str = "LV"
    strict: bool = False  # stop at the first bad document instead of skipping it
    max_bytes: int = 20 * 1024 * 1024  # larger files are reported and skipped
    jobs: int = 1  # worker processes for extraction
    cache_dir: Path | None = None  # where extractions are cached between builds (None: no cache)


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


@lru_cache(maxsize=2)
def _extractor(actors: bool, default_country: str):
    from .extract.document import DocumentExtractor
    from .extract.lexicon import load_lexicon

    return DocumentExtractor(Gazetteer.default(actors=actors), load_lexicon(), default_country)


Progress = Callable[[int, int], None]  # (documents done, documents in all)


def extract_documents(
    docs: Iterable[Document], options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> list[Extraction]:
    """Extract documents already read (in worker processes when options.jobs > 1), in
    their order. `build` reads and extracts files with `extract_records` instead."""
    docs = list(docs)
    out: list[Extraction] = []
    if options.jobs > 1 and len(docs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        _extractor(options.actors, options.default_country)  # loaded once, before the workers fork
        chunk = max(1, min(64, len(docs) // (options.jobs * 4) or 1))
        with ProcessPoolExecutor(max_workers=options.jobs) as pool:
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


Task = tuple[str, str, BuildOptions]  # (path, document id, options)


def _extract_file(task: Task) -> DocRecord | str:
    """Read and extract one file (in a worker process): its record, or what is wrong with it."""
    path, doc_id, options = task
    try:
        doc = read_document(Path(path), doc_id, options.max_bytes)
    except IngestError as e:
        return str(e)
    return DocRecord.of(_extractor(options.actors, options.default_country).extract(doc))


def extract_records(
    files: Sequence[Path],
    ids: Sequence[str],
    options: BuildOptions = BuildOptions(),
    progress: Progress | None = None,
) -> Iterator[DocRecord | IngestError]:
    """Read and extract files, yielding in file order each document's record or the
    IngestError that says why it could not be read.

    Workers (options.jobs > 1) read the files themselves and send back only the small
    records, in chunks. With options.cache_dir set, a file whose bytes were extracted
    before (same id, same bytes, same extractor) is not read again."""
    cache = RecordCache(options.cache_dir, options) if options.cache_dir else None
    keys = [cache.key(f, doc_id) if cache is not None else None for f, doc_id in zip(files, ids, strict=True)]
    hit = [cache is not None and k is not None and cache.has(k) for k in keys]
    misses = [i for i in range(len(files)) if not hit[i]]
    results: Iterator[DocRecord | str]
    pool = None
    if options.jobs > 1 and len(misses) > 1:
        from concurrent.futures import ProcessPoolExecutor

        _extractor(options.actors, options.default_country)  # loaded once, before the workers fork
        pool = ProcessPoolExecutor(max_workers=options.jobs)
        chunk = max(1, min(32, len(misses) // (options.jobs * 8) or 1))
        results = pool.map(_extract_file, ((str(files[i]), ids[i], options) for i in misses), chunksize=chunk)
    else:
        results = (_extract_file((str(files[i]), ids[i], options)) for i in misses)
    try:
        for i, f in enumerate(files):
            result: DocRecord | str | None = None
            if hit[i]:
                assert cache is not None and keys[i] is not None
                result = cache.get(keys[i], str(f))  # type: ignore[arg-type]
                if result is None:  # gone or damaged since: extract it here
                    result = _extract_file((str(f), ids[i], options))
            else:
                result = next(results)
                key = keys[i]
                if cache is not None and key is not None and isinstance(result, DocRecord):
                    cache.put(key, result)
            if progress is not None:
                progress(i + 1, len(files))
            yield IngestError(result) if isinstance(result, str) else result
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _code_fingerprint() -> bytes:
    """The source of the modules an extraction depends on: a changed extractor never
    reuses the extractions of an older one."""
    import hashlib

    root = Path(__file__).parent
    h = hashlib.sha256()
    files = [*root.glob("extract/*.py"), *root.glob("lv/*.py"), root / "ingest.py", root / "text.py", root / "ir.py"]
    for f in sorted(files):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.digest()


class RecordCache:
    """Document records on disk, one file per document, keyed by the document's id and the
    sha256 of its bytes and by a fingerprint of the extractor (its code and data files),
    so a rebuild reads again only the documents that changed."""

    def __init__(self, folder: Path, options: BuildOptions):
        import hashlib

        from . import __version__

        h = hashlib.sha256(f"{__version__}|{options.actors}|{options.default_country}|{options.max_bytes}".encode())
        h.update(_code_fingerprint())
        for kind in ("gazetteer", "lexicon"):
            for f in sorted(data_path(kind).glob("*.*")):
                if f.is_file():
                    h.update(f.name.encode())
                    h.update(f.read_bytes())
        self.folder = folder / h.hexdigest()[:16]
        self.folder.mkdir(parents=True, exist_ok=True)

    def key(self, path: Path, doc_id: str) -> str | None:
        """The cache key of a file as it is now (None: unreadable, so not cached)."""
        import hashlib

        try:
            raw = path.read_bytes()
        except OSError:
            return None
        return hashlib.sha256(f"{doc_id}|{path.suffix.lower()}|".encode() + raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def get(self, key: str, path: str) -> DocRecord | None:
        import pickle
        from dataclasses import replace

        try:
            with self._path(key).open("rb") as f:
                rec = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            return None
        if not isinstance(rec, DocRecord):
            return None
        if rec.document.path != path:
            rec = replace(rec, document=replace(rec.document, path=path))  # the path as given now
        return rec

    def put(self, key: str, rec: DocRecord) -> None:
        import os
        import pickle
        import tempfile

        p = self._path(key)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(rec, f, protocol=pickle.HIGHEST_PROTOCOL)
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
    files = list(iter_paths(paths))
    ids = unique_ids(files)
    docs: list[Document] = []
    skipped: list[str] = []
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

RELATION_IRIS = frozenset(f"https://w3id.org/ctn/ontology#{r.value}" for r in Relation)
"""The only predicates whose triples a build states in several documents' graphs."""


def _remove_stale_work_dirs(folder: Path) -> None:
    """Remove the work folders of builds that were killed (their process is gone)."""
    import shutil

    for d in folder.glob(".ctn-graph-build-*-*"):
        try:
            pid = int(d.name.split("-")[3])
            os.kill(pid, 0)
        except (ValueError, IndexError):
            continue
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except PermissionError:
            continue  # another user's running build


def default_corpus() -> Path:
    return data_path("corpus", "seeds")


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
    a time (or by worker processes), their records spilled to a temporary file; resolution
    keeps a summary per name; the quads go straight into the on-disk store, one document
    at a time, and the graph file is written from the store."""
    import contextlib
    import itertools
    import pickle
    import tempfile

    import pyoxigraph as ox

    from .export import GraphFormat, atomic_output, write_nquads_to
    from .mapping import entity_graph_quads, record_quads
    from .resolve import Resolver
    from .store import output_lock, remember_store, replacing_dir

    t0 = time.perf_counter()
    fmt = GraphFormat.from_path(output) if output else None
    files = list(iter_paths(paths or [default_corpus()]))
    ids = unique_ids(files)
    summary = BuildSummary(output=output, documents=0)
    resolver = Resolver(_extractor(options.actors, options.default_country).gaz)
    # the work files (records, N-Quads parts: several GB for 100,000 documents) go next to
    # the output, not to /tmp, which is often a RAM disk
    target = output if output is not None else store_dir
    work_dir = target.resolve().parent if target is not None else None
    if work_dir is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
        _remove_stale_work_dirs(work_dir)
    with tempfile.TemporaryDirectory(prefix=f".ctn-graph-build-{os.getpid()}-", dir=work_dir) as tmp:
        spill_path = Path(tmp) / "records.pickle"
        with spill_path.open("wb") as spill:
            for rec in extract_records(files, ids, options, progress):
                if isinstance(rec, IngestError):
                    if options.strict:
                        raise rec
                    summary.skipped.append(str(rec))
                    if on_error:
                        on_error(str(rec))
                    continue
                resolver.add(rec)
                pickle.dump(rec, spill, protocol=pickle.HIGHEST_PROTOCOL)
                summary.documents += 1
        if not summary.documents:
            raise IngestError(
                f"{', '.join(map(str, paths))}: no document could be read"
                + (f" ({len(summary.skipped)} skipped)" if summary.skipped else "")
            )
        t1 = time.perf_counter()
        summary.phases["read and extract"] = t1 - t0
        resolver.finish()
        summary.phases["resolve"] = time.perf_counter() - t1

        def records() -> Iterator[DocRecord]:
            with spill_path.open("rb") as f:
                while True:
                    try:
                        yield pickle.load(f)
                    except EOFError:
                        return

        count = 0

        def quads(resolver: Resolver) -> Iterator[ox.Quad]:
            nonlocal count
            every = itertools.chain(
                ontology_quads(),
                entity_graph_quads(resolver),
                itertools.chain.from_iterable(record_quads(rec, resolver) for rec in records()),
            )
            for count, q in enumerate(every, 1):  # noqa: B007 - the count is read after the loop
                yield q

        # the whole dataset, once, as N-Quads files of a bounded size: the store is
        # bulk-loaded from them one at a time (the loader's memory grows with what it is
        # given at once) and the graph file is written from them
        parts: list[Path] = []
        stream = quads(resolver)
        while True:
            part = Path(tmp) / f"graph-{len(parts):05d}.nq"
            with part.open("wb") as f:
                ox.serialize(itertools.islice(stream, QUADS_PER_LOAD), f, ox.RdfFormat.N_QUADS)
            if part.stat().st_size == 0:
                part.unlink()
                break
            parts.append(part)
        spill_path.unlink()
        t1 = time.perf_counter()
        summary.phases["map to RDF"] = t1 - t0 - sum(summary.phases.values())
        summary.triples = count  # every quad is made once (tests/test_build.py checks against the store)
        for e in resolver.entities.values():
            if e.docs:
                summary.entities[e.cls.value] += 1
        summary.relations.update(resolver.relations)
        del resolver, stream  # what remains to do needs the files only
        # the graph file and the store are made under temporary names and put in place
        # together at the end (the store first), so that an interrupted build leaves both
        # as they were
        with contextlib.ExitStack() as stack:
            if output is not None:
                assert fmt is not None
                stack.enter_context(output_lock(output))
                graph_file = stack.enter_context(atomic_output(output))
                write_nquads_to(parts, graph_file, fmt, repeated=RELATION_IRIS)
                summary.phases["write graph file"] = time.perf_counter() - t1
                t1 = time.perf_counter()
            if store_dir is not None:
                folder = stack.enter_context(replacing_dir(store_dir))
                store = ox.Store(str(folder))
                for part in parts:
                    store.bulk_load(path=str(part), format=ox.RdfFormat.N_QUADS)
                store.flush()
                store.optimize()
                del store  # closed before the folder is moved into place
                summary.phases["write store"] = time.perf_counter() - t1
        if store_dir is not None:
            remember_store(store_dir)
    summary.seconds = time.perf_counter() - t0
    return summary


def query_engine(
    graph: Path | None = None,
    endpoint: str | None = None,
    *,
    user: str | None = None,
    password: str | None = None,
    digest: bool = False,
    timeout: float = 60.0,
):
    """The engine a query runs on: a remote endpoint, a store directory or graph file,
    or (with neither) the store of the last build."""
    if endpoint:
        from .endpoint import Auth, EndpointEngine

        return EndpointEngine(endpoint, Auth(user, password, digest), timeout)
    from .query import OxigraphEngine
    from .store import open_graph

    return OxigraphEngine(open_graph(graph))


def push(graph: Path | None, endpoint: str, named_graph: str | None = None, **kwargs):
    """Load a built graph (store directory or file) into a remote store's named graph,
    replacing that graph whole."""
    import pyoxigraph as ox

    from .endpoint import DEFAULT_GRAPH_IRI, push_ntriples
    from .store import open_graph

    store = open_graph(graph)
    seen = set()
    lines = []
    for q in store:
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


def run_query_to(spec_query, graph: Path | None, params: dict[str, str], fmt, out, timeout: float | None = None) -> int:  # noqa: ANN001
    """Run a query on the embedded store and write its result to `out` (a text stream).

    With a timeout the query runs in a child process that is stopped when the time is
    up (Oxigraph cannot interrupt a query in the middle), and the result is streamed
    from a temporary file once it is complete. Returns the number of rows written.
    """
    from .query import OxigraphEngine, QueryError, run_query
    from .results import write_result
    from .store import open_graph

    if timeout is None:
        return write_result(run_query(spec_query, OxigraphEngine(open_graph(graph)), params), fmt, out)
    import multiprocessing
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ctn-query-") as tmp:
        result_file = Path(tmp) / "result"
        error_file = Path(tmp) / "error"
        ctx = multiprocessing.get_context("fork")
        proc = ctx.Process(
            target=_query_child, args=(spec_query, graph, params, fmt, result_file, error_file), daemon=True
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


def _query_child(spec_query, graph, params, fmt, result_file: Path, error_file: Path) -> None:  # noqa: ANN001
    from .query import OxigraphEngine, QueryError, run_query
    from .results import write_result
    from .store import StoreError, open_graph

    try:
        engine = OxigraphEngine(open_graph(graph))
        with result_file.open("w", encoding="utf-8") as f:
            n = write_result(run_query(spec_query, engine, params), fmt, f)
        (result_file.parent / "rows").write_text(str(n))
    except (QueryError, StoreError) as e:
        error_file.write_text(str(e), encoding="utf-8")

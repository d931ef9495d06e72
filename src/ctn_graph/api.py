"""The library the command line is a thin layer over.

>>> from ctn_graph.api import build_resolved
>>> from ctn_graph.ingest import parse_document
>>> doc = parse_document("Projekta vadošais partneris: Valsts policija.", "d1")
>>> r = build_resolved([doc])
>>> sorted(e.pref_label_lv for e in r.entities if e.docs)
['Valsts policija']
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .extract.gazetteer import Gazetteer
from .ingest import IngestError, iter_paths, read_document, unique_ids
from .ir import Document, Extraction, Resolved
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


@lru_cache(maxsize=2)
def _extractor(actors: bool, default_country: str):
    from .extract.document import DocumentExtractor
    from .extract.lexicon import load_lexicon

    return DocumentExtractor(Gazetteer.default(actors=actors), load_lexicon(), default_country)


Progress = Callable[[int, int], None]  # (documents done, documents in all)


def extract_documents(
    docs: Iterable[Document], options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> list[Extraction]:
    """Extract every document: in worker processes when options.jobs > 1, and from the
    cache (keyed by document id, content hash and the extractor's data) when one is set."""
    docs = list(docs)
    cache = ExtractionCache(options.cache_dir, options) if options.cache_dir else None
    out: list[Extraction | None] = [cache.get(d) if cache else None for d in docs]
    todo = [i for i, x in enumerate(out) if x is None]
    done = len(docs) - len(todo)
    if progress is not None and done:
        progress(done, len(docs))
    if options.jobs > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, min(64, len(todo) // (options.jobs * 4) or 1))
        with ProcessPoolExecutor(max_workers=options.jobs) as pool:
            results = pool.map(_extract_one, ((docs[i], options) for i in todo), chunksize=chunk)
            for i, result in zip(todo, results, strict=True):
                out[i] = result
                done += 1
                if progress is not None:
                    progress(done, len(docs))
    else:
        ex = _extractor(options.actors, options.default_country)
        for i in todo:
            out[i] = ex.extract(docs[i])
            done += 1
            if progress is not None:
                progress(done, len(docs))
    if cache is not None:
        for i in todo:
            x = out[i]
            assert x is not None
            cache.put(x)
    return [x for x in out if x is not None]


def _extract_one(args: tuple[Document, BuildOptions]) -> Extraction:
    doc, options = args
    return _extractor(options.actors, options.default_country).extract(doc)


class ExtractionCache:
    """Extractions on disk, one file per document, keyed by the document's id and content
    hash and by a fingerprint of the extractor (code version and data files), so a
    rebuild re-reads only the documents that changed."""

    def __init__(self, folder: Path, options: BuildOptions):
        import hashlib

        from . import __version__

        h = hashlib.sha256(f"{__version__}|{options.actors}|{options.default_country}".encode())
        for kind in ("gazetteer", "lexicon"):
            for f in sorted(data_path(kind).glob("*.*")):
                if f.is_file():
                    h.update(f.name.encode())
                    h.update(f.read_bytes())
        self.folder = folder / h.hexdigest()[:16]
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, doc: Document) -> Path:
        import hashlib

        key = hashlib.sha256(f"{doc.id}|{doc.content_hash}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, doc: Document) -> Extraction | None:
        import pickle

        p = self._path(doc)
        try:
            with p.open("rb") as f:
                x = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None
        if not isinstance(x, Extraction) or x.document.content_hash != doc.content_hash:
            return None
        return Extraction(doc, x.mentions, x.claims)  # the path as given now

    def put(self, x: Extraction) -> None:
        import os
        import pickle
        import tempfile

        p = self._path(x.document)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(x, f, protocol=pickle.HIGHEST_PROTOCOL)
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
    extension). Nothing is written if anything fails."""
    from .export import GraphFormat, write_store

    t0 = time.perf_counter()
    fmt = GraphFormat.from_path(output) if output else None
    docs, skipped = read_documents(paths or [default_corpus()], options, on_error)
    if not docs:
        raise IngestError(
            f"{', '.join(map(str, paths))}: no document could be read"
            + (f" ({len(skipped)} skipped)" if skipped else "")
        )
    resolved = build_resolved(docs, options, progress)
    store = to_store(resolved)
    import contextlib

    from .store import output_lock

    with output_lock(output) if output is not None else contextlib.nullcontext():
        if output is not None:
            write_store(store, output, fmt)
        if store_dir is not None:
            from .store import remember_store, write_store_dir

            write_store_dir(store, store_dir)
            remember_store(store_dir)
    summary = BuildSummary(output=output, documents=len(docs), skipped=skipped)
    for e in resolved.entities:
        if e.docs:
            summary.entities[e.cls.value] += 1
    for c in resolved.claims:
        summary.relations[c.relation.value] += 1
    summary.triples = len(store)
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

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
    ex = _extractor(options.actors, options.default_country)
    docs = list(docs)
    out = []
    for i, d in enumerate(docs, 1):
        out.append(ex.extract(d))
        if progress is not None:
            progress(i, len(docs))
    return out


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
        store.load(path=str(data_path("ontology", "ctn.ttl")), format=ox.RdfFormat.TURTLE)
    store.bulk_extend(to_quads(resolved))
    return store


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
    resolved = build_resolved(docs, options, progress)
    store = to_store(resolved)
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

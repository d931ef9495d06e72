"""ctn-graph: a knowledge graph of anti-trafficking cooperation read from Latvian documents.

The public API: build a graph, open it, query it, draw its networks, score it.

>>> import os, tempfile
>>> from pathlib import Path
>>> import ctn_graph
>>> here = os.getcwd(); work = Path(tempfile.mkdtemp()); os.chdir(work)  # a build notes itself in .ctn-graph/
>>> (work / "docs").mkdir()
>>> _ = (work / "docs" / "sadarbiba.txt").write_text(
...     "Projekta vadošais partneris ir Valsts policija, bet projektu finansē Eiropas Komisija.\\n",
...     encoding="utf-8",
... )
>>> summary = ctn_graph.build([work / "docs"], output=work / "graph.ttl", jobs=1)
>>> summary.documents, summary.output.name
(1, 'graph.ttl')
>>> with ctn_graph.open_graph(work / "graph.store") as graph:
...     rows = ctn_graph.query(graph, "SELECT ?name WHERE { ?o a ctn:Organisation ; skos:prefLabel ?name "
...                                   'FILTER(LANG(?name) = "lv") }')
...     view = ctn_graph.network(graph, view="full")
>>> sorted(r["name"] for r in rows)
['Eiropas Komisija', 'Valsts policija']
>>> [p.name for p in ctn_graph.write_view(view, work / "network.graphml")]
['network.graphml']
>>> os.chdir(here)

Everything is imported when first used, so `import ctn_graph` (and `ctn-graph --help`) stays
fast. Beside the six functions, the names below `__all__`'s first group are the option,
result and error types, and the pieces the command line (ctn_graph.cli) is made of.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common.resources import __version__ as __version__

if TYPE_CHECKING:  # what the lazy names below are, for type checkers (imported when first used)
    import networkx
    import pyoxigraph

    from .common.chars import TerminalWriter, escape_json_controls, terminal_safe
    from .common.paths import Input, Output, OutputError, check_outputs, os_error_text, shown
    from .common.resources import data_path
    from .evaluation import (
        EvalReport,
        coverage,
        coverage_warning,
        evaluate_store,
        format_report,
        load_gold,
        load_store,
        report_to_json,
    )
    from .networks.analyse import analyse, format_table, save_csv
    from .networks.kinds import View
    from .networks.model import NetworkError, build_network
    from .networks.netexport import NetFormat, csv_paths, write_network
    from .networks.viz import ColourBy, SizeBy, write_html
    from .pipeline.ingest import IngestError
    from .pipeline.memory import build_resolved, read_documents, to_store
    from .pipeline.options import BuildOptions, BuildSummary
    from .pipeline.steps import default_corpus
    from .rdf.export import atomic_output
    from .rdf.store import STATE_DIR, StoreError, default_graph, default_store_path, last_store, reading
    from .rdf.validate import GraphError, ValidationReport, validate_file
    from .sparql.endpoint import Auth, EndpointError
    from .sparql.push import push
    from .sparql.query import QueryError, ResultFormat, load_library, read_stdin_query, resolve_query, run_query
    from .sparql.results import WriteOptions, write_result
    from .sparql.run import query_engine, run_query_to
    from .sparql.serve import ServeError, ServeOptions, serve_store

_LAZY = {
    # the option, result and error types
    "BuildOptions": "pipeline.options", "BuildSummary": "pipeline.options", "IngestError": "pipeline.ingest",
    "StoreError": "rdf.store", "GraphError": "rdf.validate", "ValidationReport": "rdf.validate",
    "QueryError": "sparql.query", "ResultFormat": "sparql.query", "WriteOptions": "sparql.results",
    "EndpointError": "sparql.endpoint", "Auth": "sparql.endpoint", "ServeError": "sparql.serve",
    "ServeOptions": "sparql.serve", "NetworkError": "networks.model", "View": "networks.kinds",
    "NetFormat": "networks.netexport", "ColourBy": "networks.viz", "SizeBy": "networks.viz",
    "EvalReport": "evaluation",
    # building and reading graphs
    "default_corpus": "pipeline.steps", "read_documents": "pipeline.memory", "build_resolved": "pipeline.memory",
    "to_store": "pipeline.memory", "validate_file": "rdf.validate", "default_graph": "rdf.store",
    "default_store_path": "rdf.store", "last_store": "rdf.store", "reading": "rdf.store", "STATE_DIR": "rdf.store",
    # queries, endpoints, the server
    "load_library": "sparql.query", "resolve_query": "sparql.query", "read_stdin_query": "sparql.query",
    "run_query": "sparql.query", "write_result": "sparql.results", "query_engine": "sparql.run",
    "run_query_to": "sparql.run", "push": "sparql.push", "serve_store": "sparql.serve",
    # network views
    "build_network": "networks.model", "write_html": "networks.viz", "write_network": "networks.netexport",
    "csv_paths": "networks.netexport", "analyse": "networks.analyse", "format_table": "networks.analyse",
    "save_csv": "networks.analyse",
    # scoring
    "load_gold": "evaluation", "load_store": "evaluation", "evaluate_store": "evaluation",
    "format_report": "evaluation", "report_to_json": "evaluation", "coverage": "evaluation",
    "coverage_warning": "evaluation",
    # files, paths and text shown to people
    "atomic_output": "rdf.export", "data_path": "common.resources", "shown": "common.paths",
    "os_error_text": "common.paths", "Input": "common.paths", "Output": "common.paths",
    "OutputError": "common.paths", "check_outputs": "common.paths", "terminal_safe": "common.chars",
    "escape_json_controls": "common.chars", "TerminalWriter": "common.chars",
}  # fmt: skip

__all__ = [  # the API's functions, then the option, result and error types and the pieces the CLI uses
    "build", "open_graph", "query", "network", "write_view", "evaluate", "validate", "__version__",
    "BuildOptions", "BuildSummary", "IngestError", "StoreError", "GraphError", "ValidationReport", "QueryError",
    "ResultFormat", "WriteOptions", "EndpointError", "Auth", "ServeError", "ServeOptions", "NetworkError", "View",
    "NetFormat", "ColourBy", "SizeBy", "EvalReport", "default_corpus", "read_documents", "build_resolved",
    "to_store", "validate_file", "default_graph", "default_store_path", "last_store", "reading", "STATE_DIR",
    "load_library", "resolve_query", "read_stdin_query", "run_query", "write_result", "query_engine",
    "run_query_to", "push", "serve_store", "build_network", "write_html", "write_network", "csv_paths", "analyse",
    "format_table", "save_csv", "load_gold", "load_store", "evaluate_store", "format_report", "report_to_json",
    "coverage", "coverage_warning", "atomic_output", "data_path", "shown", "os_error_text", "Input", "Output",
    "OutputError", "check_outputs", "terminal_safe", "escape_json_controls", "TerminalWriter",
]


def __getattr__(name: str) -> Any:
    """The names of `_LAZY`, imported from their modules when first asked for."""
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'ctn_graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


PathLike = str | Path


def build(
    paths: Iterable[PathLike] = (),
    output: PathLike | None = None,
    *,
    store: PathLike | bool = True,
    on_error: Callable[[str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    **options: Any,
) -> BuildSummary:
    """Read documents (files or folders; none: the bundled corpus), extract, resolve and
    write the graph to `output` (the format follows the extension: .ttl .trig .nt .nq
    .jsonld .rdf) and an embedded store for queries: `store` True puts it next to the
    output (`graph.ttl` -> `graph.store`), a path there, False writes none. Nothing is
    written if anything fails.

    `options` are those of `BuildOptions`: actors (False: countries and naming patterns
    only), strict, max_bytes, jobs (0: one worker per core; the default 1: none),
    cache_dir, include (glob patterns), default_country. `on_error` is told each file
    skipped; `progress` (done, total) as documents are extracted.

    >>> build([], output="x.ttl", colour="red")
    Traceback (most recent call last):
    ...
    TypeError: build() has no option 'colour' (options: actors, cache_dir, default_country, ...)
    """
    from dataclasses import fields

    from .pipeline.build import build as run_build
    from .pipeline.options import BuildOptions
    from .rdf.store import default_store_path

    known = sorted(f.name for f in fields(BuildOptions))
    for name in options:
        if name not in known:
            raise TypeError(f"build() has no option {name!r} (options: {', '.join(known)})")
    if "include" in options:
        options["include"] = tuple(options["include"])
    out = Path(output) if output is not None else None
    if store is True:
        store_dir = default_store_path(out) if out is not None else None
    else:
        store_dir = Path(store) if store is not False else None
    return run_build([Path(p) for p in paths], out, BuildOptions(**options), on_error, progress, store_dir)


@contextlib.contextmanager
def open_graph(path_or_store: PathLike | pyoxigraph.Store | None = None) -> Iterator[pyoxigraph.Store]:
    """A built graph, open for reading: a store directory (read-only), a graph file in any
    RDF format (read into memory), a pyoxigraph Store as it is, or (None) the store of the
    last build. A store that is damaged, or a file that does not parse, is a StoreError
    that names it.

    >>> with open_graph("no/such/graph.ttl") as g:
    ...     pass
    Traceback (most recent call last):
    ...
    ctn_graph.rdf.store.StoreError: no/such/graph.ttl: no such graph file or store directory
    """
    import pyoxigraph as ox

    from .rdf.store import open_graph as open_store
    from .rdf.store import reading

    if isinstance(path_or_store, ox.Store):
        yield path_or_store
        return
    path = Path(path_or_store) if path_or_store is not None else None
    with reading(path):
        yield open_store(path)


def query(graph: pyoxigraph.Store, name_or_text: str, /, **params: Any) -> Any:
    """Run a query on an open graph (`open_graph`): a library query by name (`ctn-graph
    queries` lists them), a .rq file, or the text of a query (the project's prefixes
    predeclared). Parameters are bound as RDF terms, never pasted into the text.

    Plain Python values come back: for SELECT a list of one dict per row (each variable
    -> str, int, float, bool, or None when unbound; IRIs as str), for ASK a bool, for
    CONSTRUCT and DESCRIBE a list of (subject, predicate, object) tuples.

    >>> import pyoxigraph as ox
    >>> g = ox.Store()
    >>> label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    >>> g.add(ox.Quad(ox.NamedNode("https://w3id.org/ctn/id/o1"), label, ox.Literal("Valsts policija", language="lv")))
    >>> query(g, "SELECT ?o ?name (STRLEN(?name) AS ?n) WHERE { ?o skos:prefLabel ?name }")
    [{'o': 'https://w3id.org/ctn/id/o1', 'name': 'Valsts policija', 'n': 15}]
    >>> query(g, "ASK { ?o skos:prefLabel ?name }")
    True
    """
    from .sparql.query import OxigraphEngine, parse_query_text, predeclare_prefixes, resolve_query, run_query

    text = name_or_text.strip()
    if any(c.isspace() for c in text) and not text.lower().endswith((".rq", ".sparql")):
        spec = predeclare_prefixes(parse_query_text(name_or_text, "query"))
    else:
        spec = resolve_query(name_or_text)
    result = run_query(spec, OxigraphEngine(graph), {k: str(v) for k, v in params.items()})
    if result.form == "ASK":
        return bool(result.boolean)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return [tuple(_plain(t) for t in triple) for triple in result.triples]
    return [{v: _plain(row.get(v)) for v in result.variables} for row in result.rows]


_NUMBERS: dict[str, type] = {
    **dict.fromkeys(
        ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "unsignedInt"), int
    ),
    **dict.fromkeys(("decimal", "double", "float"), float),
}


def _plain(term: Any) -> Any:
    """A result's term as a plain Python value."""
    if term is None:
        return None
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.kind != "literal" or not term.datatype or not term.datatype.startswith("http://www.w3.org/2001/XMLSchema#"):
        return term.value
    local = term.datatype.rsplit("#", 1)[1]
    if local == "boolean":
        return term.value in ("true", "1")
    kind = _NUMBERS.get(local)
    try:
        return kind(term.value) if kind is not None else term.value
    except ValueError:
        return term.value


def network(
    graph: pyoxigraph.Store, view: str = "full", *, focus: str | None = None, depth: int = 1, year: int | None = None
) -> networkx.Graph:
    """A network view of an open graph, as a networkx graph: view 'full', 'copartnership',
    'funding' or 'ego' (the full view around `focus`, `depth` steps out); `year` keeps
    the relations read from documents of that year. NetworkError when the view is empty
    or the focus names no actor.

    >>> import pyoxigraph as ox
    >>> network(ox.Store(), view="ego")
    Traceback (most recent call last):
    ...
    ctn_graph.networks.model.NetworkError: the ego view needs --focus NAME
    """
    from .networks.model import View, build_network

    return build_network(graph, View(view), focus=focus, depth=depth, year=year)


def write_view(
    view: networkx.Graph, path: PathLike, *, title: str | None = None, size_by: str = "degree", colour_by: str = "class"
) -> list[Path]:
    """Write a network view; the format follows the extension: .html a page to explore it
    in a browser (`title`, node size by degree/betweenness/eigenvector, colour by
    class/community), .graphml, .gexf (Gephi), or .csv (a nodes and an edges file).
    Written whole or not at all. Returns the files written."""
    target = Path(path)
    if target.suffix.lower() in (".html", ".htm"):
        from .networks.viz import ColourBy, SizeBy, write_html

        write_html(view, target, title, SizeBy(size_by), ColourBy(colour_by))
        return [target]
    from .networks.netexport import write_network

    return write_network(view, target)


def evaluate(graph: pyoxigraph.Store, gold: PathLike | None = None, *, split: str | None = None) -> EvalReport:
    """Score an open graph against a gold file (default: the bundled corpus's,
    data/gold/seeds.json): precision, recall and F1 per class and relation (`format_report`
    writes it as tables). `split` 'even' or 'odd' scores that half of the documents."""
    from .common.resources import data_path
    from .evaluation import evaluate_store, load_gold

    return evaluate_store(graph, load_gold(Path(gold) if gold is not None else data_path("gold", "seeds.json")), split)


def validate(path: PathLike, progress: Callable[[str], None] | None = None) -> ValidationReport:
    """Check a graph file or store directory against the SHACL shapes (ontology/shapes.ttl).
    GraphError when it cannot be read."""
    from .rdf.validate import validate_file

    return validate_file(Path(path), progress=progress)

"""SPARQL over the graph: the query library (library.py), safe parameters (terms.py) and
three engines (here and endpoint.py).

* `OxigraphEngine`: a pyoxigraph Store (on disk or in memory), the default and the fast
  one; parameters are substituted as RDF terms (SEP-0007), never pasted into the text.
* `RdflibEngine`: an rdflib Graph or Dataset a user hands us; parameters go in as
  `initBindings`.
* `EndpointEngine` (ctn_graph.sparql.endpoint): a remote SPARQL 1.1 endpoint; parameters go in
  as a VALUES block of escaped RDF terms at the start of the query's WHERE clause, so a
  value can never change the query's shape.

Every engine runs only queries, and the local ones refuse SERVICE unless federation is
allowed (ctn_graph.sparql.guard).

A library query is a `.rq` file in `queries/` whose header comment documents it:

    # title: Partners of an organisation across projects
    # description: ...
    # param: org = "Iekšlietu ministrija"@lv -- the organisation's Latvian name

Every parameter has a default, so every query runs as it is. A SELECT query projects
its parameters (`SELECT ?org ...`): Oxigraph substitutes only variables in scope.

>>> q = parse_query_text("# title: T\\n# param: n = \\"X\\"@lv -- a name\\nSELECT ?s WHERE { ?s ?p ?n }", "t")
>>> q.title, [p.name for p in q.params], q.params[0].default
('T', ['n'], '"X"@lv')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import QueryError
from .library import (
    LibraryQuery,
    Param,
    ResultFormat,
    bind_param,
    bindings_for,
    load_library,
    load_query_file,
    parse_query_text,
    predeclare_prefixes,
    read_stdin_query,
    resolve_query,
    syntax_error_text,
)
from .terms import (
    RDF_LANG_STRING,
    XSD,
    XSD_STRING,
    BoundedMemo,
    Term,
    TermCache,
    _from_rdflib,
    _rows_from_ox,
    _to_ox,
    _to_rdflib,
    escape_literal,
    inject_values,
)

__all__ = [  # the query side's names, from here or the modules they live in (library.py, terms.py)
    "BoundedMemo",
    "LibraryQuery",
    "OxigraphEngine",
    "Param",
    "QueryError",
    "QueryResult",
    "RDF_LANG_STRING",
    "RdflibEngine",
    "ResultFormat",
    "Term",
    "TermCache",
    "XSD",
    "XSD_STRING",
    "bind_param",
    "bindings_for",
    "escape_literal",
    "inject_values",
    "load_library",
    "load_query_file",
    "parse_query_text",
    "predeclare_prefixes",
    "read_stdin_query",
    "resolve_query",
    "rows_as_tuples",
    "run_query",
    "syntax_error_text",
]



# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class QueryResult:
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: Iterable[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: Iterable[tuple[Term, Term, Term]] = field(default_factory=list)
    # the same rows as the engine gives them (pyoxigraph QuerySolutions: terms in the order
    # of `variables`, None where unbound), for writers that read them directly; one stream
    # with `rows`: a consumer reads one or the other
    solutions: Iterable[Any] | None = None

    def materialise(self) -> QueryResult:
        self.rows = list(self.rows)
        self.triples = list(self.triples)
        self.solutions = None
        return self


# --------------------------------------------------------------------------- engines


class OxigraphEngine:
    """Queries a pyoxigraph Store; the default graph is the union of all graphs.

    Only queries run (an update is refused), and a query that calls SERVICE only with
    `allow_federation` (pyoxigraph would fetch the URL it names: ctn_graph.sparql.guard)."""

    name = "oxigraph"

    def __init__(self, store: Any, *, allow_federation: bool = False):
        self.store = store
        self.allow_federation = allow_federation

    def run(self, query: LibraryQuery, bindings: Mapping[str, Term]) -> QueryResult:
        import pyoxigraph as ox

        from .guard import check_query

        check_query(query.text, str(query.path or query.name), federation=self.allow_federation)
        subs = {ox.Variable(k): _to_ox(v) for k, v in bindings.items()}
        try:
            res = self.store.query(query.text, use_default_graph_as_union=True, substitutions=subs)
        except SyntaxError as e:
            raise QueryError(syntax_error_text(query, e)) from None
        except (OSError, RuntimeError) as e:
            raise QueryError(f"{query.path or query.name}: {e}") from None
        if isinstance(res, (bool, ox.QueryBoolean)):
            return QueryResult("ASK", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            return QueryResult(query.form, variables, _rows_from_ox(res, variables), solutions=res)
        conv = TermCache()
        return QueryResult(query.form, triples=((conv(t.subject), conv(t.predicate), conv(t.object)) for t in res))


class RdflibEngine:
    """Queries an rdflib Graph, ConjunctiveGraph or Dataset (with rdflib's own engine, which
    also carries SERVICE out: refused unless `allow_federation`, as for Oxigraph)."""

    name = "rdflib"

    def __init__(self, graph: Any, *, allow_federation: bool = False):
        self.graph = graph
        self.allow_federation = allow_federation

    def run(self, query: LibraryQuery, bindings: Mapping[str, Term]) -> QueryResult:
        import rdflib

        from .guard import check_query

        check_query(query.text, str(query.path or query.name), federation=self.allow_federation)

        init = {rdflib.Variable(k): _to_rdflib(v) for k, v in bindings.items()}
        try:
            res = self.graph.query(query.text, initBindings=init)
        except Exception as e:  # rdflib raises pyparsing errors and others
            raise QueryError(f"{query.path or query.name}: {e}") from None
        if res.type == "ASK":
            return QueryResult("ASK", boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            variables = [str(v) for v in res.vars]
            return QueryResult(
                "SELECT",
                variables,
                ({v: _from_rdflib(row[i]) for i, v in enumerate(variables) if row[i] is not None} for row in res),
            )
        return QueryResult(query.form, triples=((_from_rdflib(s), _from_rdflib(p), _from_rdflib(o)) for s, p, o in res))


# --------------------------------------------------------------------------- text injection (remote)


def run_query(query: LibraryQuery, engine: Any, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run a query (library or file) with parameters on an engine."""
    return engine.run(query, bindings_for(query, params))


def rows_as_tuples(result: QueryResult, variables: Iterable[str] | None = None) -> list[tuple[str | None, ...]]:
    """Rows as tuples of plain values (for tests and quick checks)."""
    variables = list(variables or result.variables)
    return [tuple(r[v].value if v in r else None for v in variables) for r in result.rows]

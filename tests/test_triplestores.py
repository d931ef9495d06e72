"""The graph in real triplestores, over the SPARQL 1.1 protocols.

* Oxigraph server (`oxigraph serve`, a pip dependency): always.
* OpenLink Virtuoso (Debian's virtuoso-opensource; `.ci/run` installs it): skipped, with
  the reason, only where `virtuoso-t` is not installed (set CTN_GRAPH_REQUIRE_VIRTUOSO=1
  to make its absence a failure instead, as CI does once it has installed it).

Each store gets the seed graph through `ctn_graph.pipeline.build.push`, then runs every query of the
library (and a few probe queries that pin down how stores differ) through `EndpointEngine`;
the rows must equal those of the embedded `OxigraphEngine` on the seed store. The only
normalisations are the harmless representation differences written down in
docs/triplestores.md; anything else is a failure, or a strict xfail naming the product
fix it waits for. Every server listens on 127.0.0.1 only, and every wait is bounded.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

import ctn_graph.sparql.endpoint as endpoint_module
from ctn_graph.rdf.store import write_store_dir
from ctn_graph.sparql.endpoint import DEFAULT_GRAPH_IRI, Auth, EndpointEngine, EndpointError, PushResult
from ctn_graph.sparql.push import push
from ctn_graph.sparql.query import (
    RDF_LANG_STRING,
    XSD,
    XSD_STRING,
    LibraryQuery,
    OxigraphEngine,
    QueryResult,
    Term,
    bindings_for,
    load_library,
    parse_query_text,
    rows_as_tuples,
    run_query,
)

from .servers import (
    HOST,
    VIRTUOSO_DBA,
    Server,
    ServerError,
    cmdline,
    free_port,
    start_ctn_serve,
    start_oxigraph,
    start_virtuoso,
    virtuoso_exe,
)

GRAPH = DEFAULT_GRAPH_IRI
GENID = "https://w3id.org/ctn/id/.well-known/genid/"  # where push puts the seed graph's blank nodes
LIBRARY = load_library()

# Every character that could end a term or a query if a value were pasted into the text.
HOSTILE = "x\" > } \n # ' ?s ?p ?o . y"
LABEL_QUERY = parse_query_text(
    '# title: by label\n# param: name = "Valsts policija"@lv -- a Latvian label\n'
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?name ?s WHERE { ?s skos:prefLabel ?name }",
    "by-label",
)
TINY_TTL = (
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    '<https://w3id.org/ctn/id/test/a> skos:prefLabel "A"@lv , "A"@en .\n'
)


# --------------------------------------------------------------------------- probes
# Small queries beside the library: each pins down one way a store may answer
# differently, so the differences (and the normalisations) in docs/triplestores.md stay true
# even while the library has no query that meets them. `xfail` maps a store to the reason.

PREFIXES = (
    "PREFIX ctn: <https://w3id.org/ctn/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
)
FLATTENED = (
    "push sends each triple once, into one named graph. The embedded store's union default graph returns "
    "a triple once per graph that holds it: a build states each triple in one graph only (issue 16), so "
    "the two agree; a store built by an older ctn-graph repeated a relation once per document stating it."
)
PROBES: dict[str, tuple[str, dict[str, str]]] = {
    "count-distinct-per-class": (
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
        {},
    ),
    "count-all-quads": ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}),  # equal since issue 16 (FLATTENED)
    "labels-and-language-tags": (
        "SELECT ?s ?l (LANG(?l) AS ?lang) WHERE { ?s skos:prefLabel|skos:altLabel ?l }",
        {},
    ),
    "language-tag-case": ('SELECT ?l (LANG(?l) AS ?lang) WHERE { VALUES ?l { "Rīga"@lv-LV "Riga"@EN } }', {}),
    "datatype-of-a-language-string": (
        "SELECT DISTINCT (DATATYPE(?l) AS ?dt) WHERE { ?s skos:prefLabel ?l }",
        {
            "virtuoso": 'Virtuoso leaves DATATYPE("x"@lv) unbound (SPARQL 1.0 behaviour) where SPARQL 1.1 '
            'says rdf:langString; a real difference: library queries should test LANG(?x) != "" instead'
        },
    ),
    "numbers": (
        "SELECT (AVG(?x) AS ?avg) (SUM(?x) AS ?sum) (MAX(?x) AS ?max) (1.5 AS ?dec) (1e3 AS ?dbl) "
        "WHERE { VALUES ?x { 1 2 4 } }",
        {},
    ),
    "booleans": (
        'SELECT (true AS ?t) (STRSTARTS("abc", "a") AS ?b) WHERE {}',
        {
            "virtuoso": 'Virtuoso has no boolean results: true comes back as "1"^^xsd:integer; a real '
            "difference (a CSV or JSON consumer sees 1, not true): library queries should not project booleans"
        },
    ),
    "ontology-lists-through-blank-nodes": (
        "SELECT ?p ?c WHERE { ?p rdfs:domain/owl:unionOf/rdf:rest*/rdf:first ?c }",
        {},
    ),
    "blank-nodes-as-values": ("SELECT ?p ?d WHERE { ?p rdfs:domain ?d FILTER (?p = ctn:memberOf) }", {}),
    "construct-latvian-labels": (
        'CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s skos:prefLabel ?l FILTER (LANG(?l) = "lv") }',
        {},
    ),
    "ask": ("ASK { ?s a ctn:Project }", {}),
}


def probe(name: str) -> LibraryQuery:
    return parse_query_text(f"# title: probe {name}\n" + PREFIXES + PROBES[name][0], f"probe-{name}")


# Library queries known to answer differently on a store: {query name: {store: reason}}, for
# strict xfails naming the fix; a name the library no longer has is ignored. (Empty now:
# organisations-by-country and persons-and-affiliations repeated rows on the embedded store,
# 36 against 25 and 20, until they got SELECT DISTINCT; describe_difference explains such a case.)
LIBRARY_XFAILS: dict[str, dict[str, str]] = {}


def parity_params(store: str) -> list:
    params = []
    for n in sorted(LIBRARY):
        reason = LIBRARY_XFAILS.get(n, {}).get(store)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(LIBRARY[n], id=n, marks=marks))
    for name, (_, xfails) in PROBES.items():
        marks = [pytest.mark.xfail(strict=True, reason=xfails[store])] if store in xfails else []
        params.append(pytest.param(probe(name), id=f"probe-{name}", marks=marks))
    return params


def hostile_params() -> list:
    """(query, parameter) for every library parameter that takes a literal."""
    out = []
    for name in sorted(LIBRARY):
        for p in LIBRARY[name].params:
            if p.kind == "string" or p.kind.startswith(("lang:", "datatype:")):
                out.append(pytest.param(LIBRARY[name], p.name, id=f"{name}-{p.name}"))
    return out


# --------------------------------------------------------------------------- comparing results

Cell = tuple[str, str, str, str]  # kind, value, language tag, datatype ("" where none)
Normalise = Callable[[Cell], Cell]


def _cell(t: Term | None, data_bnodes: frozenset[str]) -> Cell:
    if t is None:
        return ("unbound", "", "", "")
    if t.kind == "bnode":
        if t.value in data_bnodes:  # push skolemises the graph's blank nodes with their own ids
            return ("uri", GENID + t.value, "", "")
        return ("bnode", "", "", "")  # made by the query: its label means nothing
    if t.kind != "literal":
        return (t.kind, t.value, "", "")
    return ("literal", t.value, t.lang or "", t.datatype or (RDF_LANG_STRING if t.lang else XSD_STRING))


def as_is(c: Cell) -> Cell:
    return c


_GROUP_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?"  # the expression (one level of parentheses)
    r"""(?:;\s*SEPARATOR\s*=\s*(?P<sep>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))?\s*\)"""
    r"\s*AS\s*\?(?P<var>\w+)",
    re.IGNORECASE,
)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda e: {"n": "\n", "t": "\t", "r": "\r"}.get(e.group(1), e.group(1)), text)


def group_concat_separators(query: LibraryQuery) -> dict[str, str]:
    """{variable: separator} for each `(GROUP_CONCAT(... ; SEPARATOR="s") AS ?variable)`."""
    out = {}
    for m in _GROUP_CONCAT.finditer(query.text):
        sep = m.group("sep")
        out[m.group("var")] = _unescape(sep[1:-1]) if sep else " "
    return out


def canonical(
    result: QueryResult,
    query: LibraryQuery,
    normalise: Normalise = as_is,
    data_bnodes: frozenset[str] = frozenset(),
) -> tuple[object, ...]:
    """A result as comparable data: SELECT rows as a sorted list (a bag: duplicates count),
    CONSTRUCT/DESCRIBE as a set of triples, ASK as its boolean. SPARQL leaves the order of
    the members of a GROUP_CONCAT open, and stores differ on whether the result keeps the
    members' common language tag: GROUP_CONCAT values are compared as sorted members
    without a tag (docs/triplestores.md)."""
    if result.form == "ASK":
        return ("ASK", result.boolean)
    if result.form == "SELECT":
        variables = list(result.variables)
        concat = group_concat_separators(query)

        def cell(v: str, t: Term | None) -> Cell:
            c = normalise(_cell(t, data_bnodes))
            if v in concat and c[0] == "literal":  # members sorted, the common language tag dropped
                sep = concat[v]
                c = ("literal", sep.join(sorted(c[1].split(sep))) if sep else c[1], "", XSD_STRING)
            return c

        rows = sorted(tuple(cell(v, r.get(v)) for v in variables) for r in result.rows)
        return ("SELECT", tuple(variables), rows)
    triples = {tuple(normalise(_cell(t, data_bnodes)) for t in triple) for triple in result.triples}
    return (result.form, sorted(triples))


def describe_difference(expected: tuple[object, ...], got: tuple[object, ...]) -> str:
    if expected[:2] != got[:2]:
        return f"form/variables differ: embedded {expected[:2]}, store {got[:2]}"
    a, b = list(expected[-1]), list(got[-1])
    only_a = [x for x in a if x not in b]
    only_b = [x for x in b if x not in a]
    if not only_a and not only_b:
        return (
            f"the same rows, repeated differently: embedded {len(a)} rows, the store {len(b)} "
            f"({len(set(a))} distinct). " + FLATTENED
        )
    return (
        f"embedded {len(a)} rows, store {len(b)} rows\n"
        f"only embedded (first 5): {only_a[:5]}\nonly in the store (first 5): {only_b[:5]}"
    )


# Virtuoso writes numbers its own way; the value is the same (docs/triplestores.md):
# * xsd:decimal: 15 significant digits where Oxigraph gives 18 (AVG(1, 2, 4): 2.333333333333333
#   against 2.333333333333333333), probe "numbers";
# * xsd:double: another lexical form of the same value (1e3: "1000.0" against "1000"), probe "numbers".
_APPROXIMATE = {XSD + "decimal", XSD + "double", XSD + "float"}


def virtuoso_normalise(c: Cell) -> Cell:
    kind, value, lang, datatype = c
    if kind == "literal" and datatype in _APPROXIMATE:
        try:
            return (kind, f"{float(value):.12g}", lang, datatype)
        except ValueError:
            return c
    return c


def assert_same_as_embedded(query: LibraryQuery, engine: EndpointEngine, seed_store, normalise: Normalise, bnodes):
    bindings = bindings_for(query)
    expected = canonical(OxigraphEngine(seed_store).run(query, bindings).materialise(), query, normalise, bnodes)
    got = canonical(engine.run(query, bindings).materialise(), query, normalise)
    assert got == expected, f"{query.name} on {engine.url}: " + describe_difference(expected, got)


# --------------------------------------------------------------------------- shared fixtures


@pytest.fixture(scope="module")
def seed_store_dir(tmp_path_factory, seed_store) -> Path:
    """The seed graph as the on-disk store `build` writes: it keeps blank node labels,
    so rows holding them can be matched with the skolem IRIs push sends."""
    path = tmp_path_factory.mktemp("seed-store") / "graph.store"
    write_store_dir(seed_store, path)
    return path


@pytest.fixture(scope="module")
def data_bnodes(seed_store) -> frozenset[str]:
    out = set()
    for q in seed_store:
        for t in (q.subject, q.object):
            if isinstance(t, ox.BlankNode):
                out.add(t.value)
    return frozenset(out)


@pytest.fixture
def tiny_ttl(tmp_path) -> Path:
    path = tmp_path / "tiny.ttl"
    path.write_text(TINY_TTL, encoding="utf-8")
    return path


@pytest.fixture
def no_sleep(monkeypatch) -> list[float]:
    """push retries with backoff: record the pauses instead of taking them."""
    pauses: list[float] = []
    monkeypatch.setattr(endpoint_module.time, "sleep", pauses.append)
    return pauses


def count_in_graph(engine: EndpointEngine, graph: str) -> int:
    q = parse_query_text(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "count")
    [(n,)] = rows_as_tuples(engine.run(q, {}).materialise())
    return int(n or 0)


def graphs_like(engine: EndpointEngine, fragment: str) -> list[str]:
    q = parse_query_text("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "graphs")
    return sorted(str(g) for (g,) in rows_as_tuples(engine.run(q, {}).materialise()) if fragment in str(g))


def _stopped(server: Server) -> Iterator[Server]:
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- Oxigraph server


@pytest.fixture
def oxigraph(tmp_path) -> Iterator[Server]:
    """An empty Oxigraph server of one's own (it starts in a fraction of a second)."""
    yield from _stopped(start_oxigraph(tmp_path / "oxigraph"))


@pytest.fixture(scope="module")
def oxigraph_seeded(tmp_path_factory, seed_store_dir) -> Iterator[tuple[Server, PushResult]]:
    """One Oxigraph server holding the seed graph, pushed with the Graph Store Protocol."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-seeded") / "db")
    try:
        result = push(seed_store_dir, server.base + "/query")
        yield server, result
    finally:
        server.stop()


def test_oxigraph_push_uses_the_graph_store_and_replaces_the_graph(oxigraph, seed_ttl, tiny_ttl):
    url = oxigraph.base + "/query"
    engine = EndpointEngine(url)
    first = push(seed_ttl, url)
    assert (first.method, first.url, first.graph) == ("graph-store", oxigraph.base + "/store", GRAPH)
    assert first.triples > 1000
    assert count_in_graph(engine, GRAPH) == first.triples
    again = push(seed_ttl, url)
    assert count_in_graph(engine, GRAPH) == again.triples == first.triples  # replaced, not doubled
    push(tiny_ttl, url)  # a different graph: nothing of the old one may stay
    assert count_in_graph(engine, GRAPH) == 2
    push(seed_ttl, url)
    assert count_in_graph(engine, GRAPH) == first.triples


def test_oxigraph_push_with_sparql_update_replaces_the_graph(oxigraph, seed_ttl, tiny_ttl):
    url = oxigraph.base + "/query"
    engine = EndpointEngine(url)
    first = push(seed_ttl, url, method="update")
    assert (first.method, first.url) == ("update", oxigraph.base + "/update")
    assert count_in_graph(engine, GRAPH) == first.triples
    push(seed_ttl, url, method="update")
    assert count_in_graph(engine, GRAPH) == first.triples
    push(tiny_ttl, url, method="update")
    assert count_in_graph(engine, GRAPH) == 2
    assert graphs_like(engine, "-upload-") == []  # the temporary graph was moved, not left behind


def test_oxigraph_push_into_another_named_graph_leaves_the_first(oxigraph, seed_ttl, tiny_ttl):
    url = oxigraph.base + "/query"
    engine = EndpointEngine(url)
    seed = push(seed_ttl, url)
    other = "https://w3id.org/ctn/id/graph/other"
    push(tiny_ttl, url, other)
    assert (count_in_graph(engine, GRAPH), count_in_graph(engine, other)) == (seed.triples, 2)


@pytest.mark.parametrize("query", parity_params("oxigraph"))
def test_oxigraph_server_answers_like_the_embedded_store(query, oxigraph_seeded, seed_store, data_bnodes):
    server, _ = oxigraph_seeded
    assert_same_as_embedded(query, EndpointEngine(server.base + "/query"), seed_store, as_is, data_bnodes)


def test_oxigraph_server_answers_ask(oxigraph_seeded, seed_store):
    server, _ = oxigraph_seeded
    engine = EndpointEngine(server.base + "/query")
    for text in ("ASK { ?s a ctn:Project }", "ASK { ?s a ctn:NoSuchClass }"):
        q = parse_query_text(PREFIXES + text, "ask")
        truth = bool(seed_store.query(q.text, use_default_graph_as_union=True))
        res = engine.run(q, {})
        assert (res.form, res.boolean) == ("ASK", truth), text


def test_a_hostile_value_is_only_data_on_the_oxigraph_server(oxigraph_seeded):
    server, _ = oxigraph_seeded
    engine = EndpointEngine(server.base + "/query")
    assert rows_as_tuples(run_query(LABEL_QUERY, engine), ["s"]) == [("https://w3id.org/ctn/id/org/lv-vp",)]
    assert list(run_query(LABEL_QUERY, engine, {"name": HOSTILE}).rows) == []


@pytest.mark.parametrize("query,param", hostile_params())
def test_hostile_library_parameters_on_the_oxigraph_server(query, param, oxigraph_seeded, seed_store, data_bnodes):
    server, _ = oxigraph_seeded
    bindings = bindings_for(query, {param: HOSTILE})
    expected = canonical(OxigraphEngine(seed_store).run(query, bindings).materialise(), query, as_is, data_bnodes)
    got = canonical(EndpointEngine(server.base + "/query").run(query, bindings).materialise(), query)
    assert got == expected


# --------------------------------------------------------------------------- ctn-graph serve


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    """`ctn-graph build -o tmp/graph.ttl` writes tmp/graph.store beside it."""
    work = tmp_path_factory.mktemp("serve")
    done = subprocess.run(
        [sys.executable, "-m", "ctn_graph.cli", "build", "-o", str(work / "graph.ttl"), "-q"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    store = work / "graph.store"
    assert store.is_dir()
    return store


@pytest.fixture(scope="module")
def served(built_store) -> Iterator[Server]:
    yield from _stopped(start_ctn_serve(built_store, built_store.parent))


def test_serve_answers_queries(served):
    res = run_query(LABEL_QUERY, EndpointEngine(served.base + "/query"))
    assert rows_as_tuples(res, ["s"]) == [("https://w3id.org/ctn/id/org/lv-vp",)]


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the listening sockets from /proc (Linux)")
def test_serve_binds_to_localhost_by_default(served, built_store):
    """serve is ctn-graph's own server (Oxigraph's carries SERVICE out: issue 14): it listens
    on 127.0.0.1 only, and its default graph is the union of the graphs (LABEL_QUERY has no
    GRAPH clause, the labels are in the documents' graphs: test_serve_answers_queries)."""
    args = cmdline(served.proc.pid)
    assert args[1:4] == ["-m", "ctn_graph.cli", "serve"] and args[args.index("--graph") + 1] == str(built_store)
    listening = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    bound = [f[1] for f in listening if f[3] == "0A" and int(f[1].split(":")[1], 16) == served.port]
    assert bound == [f"0100007F:{served.port:04X}"]  # 127.0.0.1, and no other address


def test_serve_is_read_only(served, tiny_ttl, no_sleep):
    engine = EndpointEngine(served.base + "/query")
    before = count_in_graph(engine, "https://w3id.org/ctn/id/test/g")
    update = b'INSERT DATA { GRAPH <https://w3id.org/ctn/id/test/g> { <urn:a> <urn:b> "c" } }'
    req = urllib.request.Request(
        served.base + "/update", data=update, method="POST", headers={"Content-Type": "application/sparql-update"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(req, timeout=10)
    assert 400 <= refused.value.code < 500
    with pytest.raises(EndpointError, match=f"127.0.0.1:{served.port}"):
        push(tiny_ttl, served.base + "/query", "https://w3id.org/ctn/id/test/g")
    assert count_in_graph(engine, "https://w3id.org/ctn/id/test/g") == before == 0


# --------------------------------------------------------------------------- errors


def test_push_where_nothing_listens_names_the_url(seed_ttl, no_sleep):
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    t0 = time.monotonic()
    with pytest.raises(EndpointError) as e:
        push(seed_ttl, url)
    assert f"http://{HOST}:{port}/" in str(e.value)
    assert "cannot reach the store" in str(e.value)
    assert 0 < len(no_sleep) <= 9 and time.monotonic() - t0 < 30  # retried a bounded number of times


def test_query_where_nothing_listens_names_the_url():
    url = f"http://{HOST}:{free_port()}/query"
    with pytest.raises(EndpointError, match=url.replace(".", r"\.")):
        run_query(LABEL_QUERY, EndpointEngine(url, timeout=5))


def test_a_wrong_endpoint_path_is_a_clear_error(oxigraph, seed_ttl, no_sleep):
    wrong = oxigraph.base + "/nothing-here"  # (Oxigraph 0.5 takes queries and updates at /sparql too)
    with pytest.raises(EndpointError) as pushed:
        push(seed_ttl, wrong)
    assert wrong in str(pushed.value) and "404" in str(pushed.value)
    with pytest.raises(EndpointError) as queried:
        run_query(LABEL_QUERY, EndpointEngine(oxigraph.base + "/nothing-here"))
    message = str(queried.value)  # the URL, and what a 404 means
    assert message.startswith(oxigraph.base + "/nothing-here: ") and "HTTP 404" in message


# --------------------------------------------------------------------------- Virtuoso

VIRTUOSO_AUTH = Auth(*VIRTUOSO_DBA, digest=True)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[Server]:
    exe = virtuoso_exe()
    if exe is None:
        reason = (
            "Virtuoso is not installed (no virtuoso-t on the PATH, in /usr/bin or /usr/lib/virtuoso-opensource-*/bin); "
            "`apt-get install virtuoso-opensource` runs these tests (.ci/run does)"
        )
        if os.environ.get("CTN_GRAPH_REQUIRE_VIRTUOSO") == "1":
            pytest.fail(reason + ", and CTN_GRAPH_REQUIRE_VIRTUOSO=1 asks for it")
        pytest.skip(reason)
    try:
        server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"), exe)
    except ServerError as e:
        pytest.fail(str(e))
    yield from _stopped(server)


@pytest.fixture(scope="module")
def virtuoso_seeded(virtuoso, seed_store_dir) -> tuple[Server, PushResult]:
    return virtuoso, push(seed_store_dir, virtuoso.base + "/sparql", auth=VIRTUOSO_AUTH)


def virtuoso_engine(server: Server) -> EndpointEngine:
    """Queries see the pushed graph only: Virtuoso's default graph is otherwise every graph
    it holds, its own system graph (virtrdf:, ~2500 triples) included."""
    return EndpointEngine(server.base + "/sparql?" + urllib.parse.urlencode({"default-graph-uri": GRAPH}))


def test_virtuoso_push_with_the_graph_store_and_digest_auth(virtuoso_seeded, virtuoso, tiny_ttl, seed_store_dir):
    _, result = virtuoso_seeded
    assert (result.method, result.url) == ("graph-store", virtuoso.base + "/sparql-graph-crud-auth")
    engine = EndpointEngine(virtuoso.base + "/sparql")
    assert count_in_graph(engine, GRAPH) == result.triples > 1000
    other = "https://w3id.org/ctn/id/graph/test-gsp"
    push(seed_store_dir, virtuoso.base + "/sparql", other, auth=VIRTUOSO_AUTH)
    assert count_in_graph(engine, other) == result.triples
    push(seed_store_dir, virtuoso.base + "/sparql", other, auth=VIRTUOSO_AUTH)
    assert count_in_graph(engine, other) == result.triples  # replaced, not doubled
    push(tiny_ttl, virtuoso.base + "/sparql", other, auth=VIRTUOSO_AUTH)
    assert count_in_graph(engine, other) == 2
    assert count_in_graph(engine, GRAPH) == result.triples


def test_virtuoso_refuses_an_anonymous_push_clearly(virtuoso, tiny_ttl, no_sleep):
    with pytest.raises(EndpointError) as e:
        push(tiny_ttl, virtuoso.base + "/sparql", "https://w3id.org/ctn/id/graph/test-anonymous")
    assert "sparql-graph-crud-auth" in str(e.value) and "not allowed" in str(e.value)
    assert (
        count_in_graph(EndpointEngine(virtuoso.base + "/sparql"), "https://w3id.org/ctn/id/graph/test-anonymous") == 0
    )


def test_virtuoso_push_with_sparql_update_on_the_authenticated_endpoint(virtuoso, tiny_ttl):
    graph = "https://w3id.org/ctn/id/graph/test-update"
    kwargs = {"method": "update", "update_url": virtuoso.base + "/sparql-auth", "auth": VIRTUOSO_AUTH}
    first = push(tiny_ttl, virtuoso.base + "/sparql", graph, **kwargs)
    assert first.method == "update"
    engine = EndpointEngine(virtuoso.base + "/sparql")
    push(tiny_ttl, virtuoso.base + "/sparql", graph, **kwargs)
    assert count_in_graph(engine, graph) == 2
    assert graphs_like(engine, "-upload-") == []


def test_virtuoso_push_of_the_seed_graph_with_sparql_update(virtuoso, seed_store_dir):
    graph = "https://w3id.org/ctn/id/graph/test-update-seed"
    res = push(
        seed_store_dir,
        virtuoso.base + "/sparql",
        graph,
        method="update",
        update_url=virtuoso.base + "/sparql-auth",
        auth=VIRTUOSO_AUTH,
    )
    assert count_in_graph(EndpointEngine(virtuoso.base + "/sparql"), graph) == res.triples


def test_virtuoso_push_with_sparql_update_finds_the_authenticated_endpoint(virtuoso, tiny_ttl, no_sleep):
    graph = "https://w3id.org/ctn/id/graph/test-update-guess"
    push(tiny_ttl, virtuoso.base + "/sparql", graph, method="update", auth=VIRTUOSO_AUTH)
    assert count_in_graph(EndpointEngine(virtuoso.base + "/sparql"), graph) == 2


@pytest.mark.parametrize("query", parity_params("virtuoso"))
def test_virtuoso_answers_like_the_embedded_store(query, virtuoso_seeded, seed_store, data_bnodes):
    server, _ = virtuoso_seeded
    assert_same_as_embedded(query, virtuoso_engine(server), seed_store, virtuoso_normalise, data_bnodes)


def test_virtuoso_answers_ask(virtuoso_seeded, seed_store):
    server, _ = virtuoso_seeded
    engine = virtuoso_engine(server)
    for text in ("ASK { ?s a ctn:Project }", "ASK { ?s a ctn:NoSuchClass }"):
        q = parse_query_text(PREFIXES + text, "ask")
        truth = bool(seed_store.query(q.text, use_default_graph_as_union=True))
        res = engine.run(q, {})
        assert (res.form, res.boolean) == ("ASK", truth), text


def test_virtuoso_default_graph_is_every_graph_it_holds(virtuoso_seeded):
    """Why virtuoso_engine() names the default graph: without it, Virtuoso's own system
    graph shows up in any query that does not name our vocabulary."""
    server, result = virtuoso_seeded
    q = parse_query_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "count")
    [(scoped,)] = rows_as_tuples(virtuoso_engine(server).run(q, {}).materialise())
    [(everything,)] = rows_as_tuples(EndpointEngine(server.base + "/sparql").run(q, {}).materialise())
    assert int(scoped or 0) == result.triples < int(everything or 0)


def test_a_hostile_value_is_only_data_on_virtuoso(virtuoso_seeded):
    server, _ = virtuoso_seeded
    engine = virtuoso_engine(server)
    assert rows_as_tuples(run_query(LABEL_QUERY, engine), ["s"]) == [("https://w3id.org/ctn/id/org/lv-vp",)]
    assert list(run_query(LABEL_QUERY, engine, {"name": HOSTILE}).rows) == []


@pytest.mark.parametrize("query,param", hostile_params())
def test_hostile_library_parameters_on_virtuoso(query, param, virtuoso_seeded, seed_store, data_bnodes):
    server, _ = virtuoso_seeded
    bindings = bindings_for(query, {param: HOSTILE})
    reference = OxigraphEngine(seed_store).run(query, bindings).materialise()
    expected = canonical(reference, query, virtuoso_normalise, data_bnodes)
    got = canonical(virtuoso_engine(server).run(query, bindings).materialise(), query, virtuoso_normalise)
    assert got == expected

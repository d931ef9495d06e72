"""One graph, one answer (issue 16): the same query gives the same answer on the store
`build` writes, on its TriG and Turtle files and on an Oxigraph server holding the TriG,
and the triple counts `build` prints are what the files hold.

Before issue 16 a relation stated by several documents was in each of their graphs: the
store's (and the TriG's) union default graph returned it once per document, the Turtle
file (a set of triples) once, so `SELECT (COUNT(*) AS ?n) {?s ctn:country ?o}` counted
59 on the store and 31 on the Turtle, DESCRIBE repeated values and `build` printed more
triples than the file held.

The seed corpus is built once for the module, as a user builds it: `ctn-graph build` to a
Turtle file (with its store) and to a TriG file, in a folder of its own.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from typer.testing import CliRunner

from ctn_graph.cli import app
from ctn_graph.endpoint import EndpointEngine
from ctn_graph.query import OxigraphEngine, QueryResult, load_library, parse_query_text, run_query
from ctn_graph.store import open_graph

from .conftest import SEEDS
from .servers import Server, oxigraph_exe, start_oxigraph

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LIBRARY = load_library()
CTN = "https://w3id.org/ctn/ontology#"
PREFIXES = (
    f"PREFIX ctn: <{CTN}>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
)
WROTE = re.compile(r"wrote (\S+) \((\d+) triples\)")


@dataclass
class Built:
    folder: Path
    ttl: Path
    trig: Path
    store: Path
    printed: dict[str, int]  # graph file name -> the triple count `build` printed for it


def _build(args: list[str]) -> str:
    result = CliRunner().invoke(app, ["build", str(SEEDS), "--no-cache", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[Built]:
    folder = tmp_path_factory.mktemp("one-answer")
    printed: dict[str, int] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)  # the note of the last build goes here, not into the repository
        for args in (["-o", "graph.ttl"], ["-o", "graph.trig", "--no-store"]):
            out = _build(args)
            for name, n in WROTE.findall(out):
                printed[Path(name).name] = int(n)
    yield Built(folder, folder / "graph.ttl", folder / "graph.trig", folder / "graph.store", printed)


@pytest.fixture(scope="module")
def server(built, tmp_path_factory) -> Iterator[Server]:
    """`oxigraph serve --union-default-graph` (docs/triplestores.md) on the TriG, loaded
    with `oxigraph load` as a user of the Oxigraph server would."""
    db = tmp_path_factory.mktemp("oxigraph-trig") / "db"
    subprocess.run(
        [oxigraph_exe(), "load", "--location", str(db), "--file", str(built.trig)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    s = start_oxigraph(db)
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def engines(built, server) -> dict[str, object]:
    return {
        "store": OxigraphEngine(open_graph(built.store)),
        "trig": OxigraphEngine(open_graph(built.trig)),
        "ttl": OxigraphEngine(open_graph(built.ttl)),
        "oxigraph server (trig)": EndpointEngine(server.base + "/query"),
    }


def size(res: QueryResult) -> int:
    """The rows of a SELECT, the triples of a CONSTRUCT or DESCRIBE, 1/0 for ASK."""
    res.materialise()
    if res.form == "ASK":
        return int(bool(res.boolean))
    if res.form in ("CONSTRUCT", "DESCRIBE"):
        return len(res.triples)
    return len(res.rows)


def adhoc(text: str):
    return parse_query_text(PREFIXES + text, "adhoc")


# --------------------------------------------------------------------------- every library query


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_library_query_counts_the_same_rows_everywhere(engines, name):
    q = LIBRARY[name]  # with its parameters' defaults, as `ctn-graph query NAME` runs it
    counts = {where: size(run_query(q, engine)) for where, engine in engines.items()}
    assert counts["store"] > 0, name
    assert len(set(counts.values())) == 1, f"{name}: {counts}"


# --------------------------------------------------------------------------- the facts


def test_the_country_links_count_the_same_on_the_store_the_trig_and_the_turtle(engines):
    q = adhoc("SELECT (COUNT(*) AS ?n) { ?s ctn:country ?o }")
    counts = {}
    for where, engine in engines.items():
        [row] = run_query(q, engine).materialise().rows
        counts[where] = int(row["n"].value)
    assert counts["store"] > 0
    assert len(set(counts.values())) == 1, counts


def test_a_country_link_is_one_row_however_many_documents_state_it(engines):
    # the links some documents state together: each is one row, its evidence one per document
    q = adhoc(
        "SELECT ?s ?o (COUNT(DISTINCT ?d) AS ?docs) {"
        " ?ev rdf:subject ?s ; rdf:predicate ctn:country ; rdf:object ?o ; prov:wasDerivedFrom ?d"
        "} GROUP BY ?s ?o HAVING (COUNT(DISTINCT ?d) > 1)"
    )
    rows = run_query(q, engines["store"]).materialise().rows
    assert rows  # the seed documents name the Latvian ministries again and again
    for r in rows:
        s, o = r["s"].value, r["o"].value
        one = adhoc(f"SELECT * {{ <{s}> ctn:country <{o}> }}")
        for where, engine in engines.items():
            assert size(run_query(one, engine)) == 1, (where, s, o, r["docs"].value)


def test_describe_of_an_organisation_repeats_no_value(engines):
    # the organisation with the most evidence records behind its relations: stated by
    # several documents, the case that repeated its values
    q = adhoc(
        "SELECT ?org (COUNT(DISTINCT ?d) AS ?docs) {"
        " ?org a ctn:Organisation . ?ev rdf:subject ?org ; prov:wasDerivedFrom ?d"
        "} GROUP BY ?org ORDER BY DESC(?docs) STR(?org) LIMIT 1"
    )
    [row] = run_query(q, engines["store"]).materialise().rows
    assert int(row["docs"].value) > 1
    org = row["org"].value
    describe = adhoc(f"DESCRIBE <{org}>")
    sizes = {}
    for where, engine in engines.items():
        res = run_query(describe, engine).materialise()
        triples = [tuple(t) for t in res.triples]
        assert triples, where
        repeated = {t for t in triples if triples.count(t) > 1}
        assert not repeated, (where, sorted(repeated)[:3])
        sizes[where] = len(triples)
    assert len(set(sizes.values())) == 1, sizes


def test_describe_on_the_command_line_writes_each_value_once(built):
    org_q = adhoc(
        "SELECT ?org { ?org a ctn:Organisation ; ctn:country ?c . ?ev rdf:subject ?org ; prov:wasDerivedFrom ?d }"
        " GROUP BY ?org HAVING (COUNT(DISTINCT ?d) > 1) ORDER BY STR(?org) LIMIT 1"
    )
    [row] = run_query(org_q, OxigraphEngine(open_graph(built.store))).materialise().rows
    org = row["org"].value
    result = CliRunner().invoke(
        app, ["query", "-", "--graph", str(built.store), "--format", "ttl"], input=f"DESCRIBE <{org}>\n"
    )
    assert result.exit_code == 0, result.output
    # every statement the Turtle writes, as it writes them (a parser into a set would hide a repeat)
    triples = [(t.subject, t.predicate, t.object) for t in ox.parse(result.stdout.encode(), ox.RdfFormat.TURTLE)]
    assert triples and all(ox.NamedNode(org) in (s, o) for s, _, o in triples)
    assert ox.NamedNode(CTN + "country") in {p for _, p, _ in triples}
    assert len(triples) == len(set(triples)), sorted({t for t in triples if triples.count(t) > 1}, key=str)[:3]


# --------------------------------------------------------------------------- printed counts


@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig"])
def test_build_prints_the_triple_count_the_file_holds(built, name):
    path = built.folder / name
    assert name in built.printed, built.printed
    fmt = ox.RdfFormat.from_extension(path.suffix[1:])
    assert fmt is not None
    held = sum(1 for _ in ox.parse(path=str(path), format=fmt))  # every statement the file writes
    store = ox.Store()
    store.bulk_load(path=str(path), format=fmt)
    assert built.printed[name] == held == len(store)  # and none is written twice


def test_the_turtle_count_is_what_rdflib_reads(built):
    g = rdflib.Graph()
    g.parse(built.ttl, format="turtle")
    assert built.printed["graph.ttl"] == len(g)


def test_the_store_holds_each_triple_of_the_turtle_once(built):
    store = open_graph(built.store)
    quads = list(store)
    assert len(quads) == len({q.triple for q in quads})
    turtle = ox.Store()
    turtle.bulk_load(path=str(built.ttl), format=ox.RdfFormat.TURTLE)
    assert len(quads) == len(turtle)

    def named(triples):  # blank nodes (the ontology's restrictions) are labelled anew by each parse
        return {t for t in triples if not any(isinstance(x, ox.BlankNode) for x in (t.subject, t.object))}

    assert named(q.triple for q in quads) == named(q.triple for q in turtle)

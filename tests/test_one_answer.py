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
from ctn_graph.rdf.store import open_graph
from ctn_graph.sparql.endpoint import EndpointEngine
from ctn_graph.sparql.query import OxigraphEngine, QueryResult, load_library, parse_query_text, run_query

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


@pytest.mark.parametrize("ext", ["nt", "nq", "jsonld", "rdf"])
def test_build_prints_the_triple_count_of_every_other_format(tmp_path, monkeypatch, ext):
    monkeypatch.chdir(tmp_path)
    out = _build(["-o", f"g.{ext}", "--no-store"])
    [(name, n)] = WROTE.findall(out)
    fmt = ox.RdfFormat.from_extension(ext)
    assert name == f"g.{ext}" and fmt is not None
    assert int(n) == sum(1 for _ in ox.parse(path=str(tmp_path / name), format=fmt))


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


# --------------------------------------------------------------------------- which graph answers

PROJECT_TEXT = (
    "Projekta vadošais partneris ir Lietuvas Republikas Iekšlietu ministrija. "
    "Projekta partneri ir Latvijas Republikas Iekšlietu ministrija un Moldovas Republikas Iekšlietu ministrija.\n"
)
OTHER_TEXT = "Valsts policija 2021. gadā kopā ar biedrību „Centrs MARTA” rīkoja mācības Rīgā.\n"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }\n"


def _corpus(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "raksts.txt").write_text(text, encoding="utf-8")
    return folder


def _run(args: list[str], input: str | None = None):
    return CliRunner().invoke(app, args, input=input)


def _count(result) -> int:
    assert result.exit_code == 0, result.output
    return int(re.findall(r"^\s*(\d+)\s*$", result.stdout, re.MULTILINE)[0])


def test_query_without_graph_names_the_store_of_the_last_build(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "projekts", PROJECT_TEXT)
    work = tmp_path / "darbs"
    work.mkdir()
    monkeypatch.chdir(work)
    assert _run(["build", str(corpus), "-o", "out/g.ttl", "--no-cache", "-q"]).exit_code == 0
    result = _run(["query", "-"], input=COUNT_ALL)
    assert result.exit_code == 0, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("answering from out/g.store (built ") and "from " + str(corpus) in line
    assert _count(result) == len(ox.Store.read_only(str(work / "out" / "g.store")))


def test_query_in_a_folder_below_finds_the_last_build_above_and_says_so(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "projekts", PROJECT_TEXT)
    monkeypatch.chdir(tmp_path)
    assert _run(["build", str(corpus), "-o", "g.ttl", "--no-cache", "-q"]).exit_code == 0
    below = tmp_path / "a" / "b"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    result = _run(["query", "-"], input=COUNT_ALL)
    assert result.exit_code == 0, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"answering from the last build in {tmp_path}: ") and "g.store" in line


def test_the_nearest_build_answers_and_its_corpus_is_named(tmp_path, monkeypatch):
    # a build of one corpus above, of another below: the folder below answers from its own
    first = _corpus(tmp_path / "projekts", PROJECT_TEXT)
    second = _corpus(tmp_path / "policija", OTHER_TEXT)
    monkeypatch.chdir(tmp_path)
    assert _run(["build", str(first), "-o", "first.ttl", "--no-cache", "-q"]).exit_code == 0
    below = tmp_path / "cits"
    below.mkdir()
    monkeypatch.chdir(below)
    assert _run(["build", str(second), "-o", "second.ttl", "--no-cache", "-q"]).exit_code == 0
    here = _run(["query", "-"], input=COUNT_ALL)
    assert "second.store" in here.stderr and f"from {second})" in here.stderr  # outside the folder: in full
    assert _count(here) == len(ox.Store.read_only(str(below / "second.store")))
    monkeypatch.chdir(tmp_path)
    above = _run(["query", "-"], input=COUNT_ALL)
    assert "first.store" in above.stderr and "from projekts)" in above.stderr  # inside it: relative
    assert _count(above) != _count(here)  # two corpora, two graphs: each named where it answers


def test_a_build_without_a_store_answers_from_its_graph_file_and_says_so(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "projekts", PROJECT_TEXT)
    monkeypatch.chdir(tmp_path)
    assert _run(["build", str(corpus), "-o", "g.trig", "--no-store", "--no-cache", "-q"]).exit_code == 0
    result = _run(["query", "-"], input=COUNT_ALL)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("answering from g.trig (built ") and "a graph file" in result.stderr
    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "g.trig"), format=ox.RdfFormat.TRIG)
    assert _count(result) == len(store)


def test_a_store_that_is_gone_is_an_error_naming_it(tmp_path, monkeypatch):
    import shutil

    corpus = _corpus(tmp_path / "projekts", PROJECT_TEXT)
    monkeypatch.chdir(tmp_path)
    assert _run(["build", str(corpus), "-o", "g.ttl", "--no-cache", "-q"]).exit_code == 0
    shutil.rmtree(tmp_path / "g.store")
    result = _run(["query", "-"], input=COUNT_ALL)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: g.store: the store of the last build (built ") and "is gone" in line
    assert result.stdout == ""


def test_a_store_of_the_old_layout_is_named_as_such(tmp_path, monkeypatch):
    import json

    corpus = _corpus(tmp_path / "projekts", PROJECT_TEXT)
    monkeypatch.chdir(tmp_path)
    assert _run(["build", str(corpus), "-o", "g.ttl", "--no-cache", "-q"]).exit_code == 0
    manifest = tmp_path / "g.store" / "ctn-graph-graphs.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({"format": 1, "graphs": data["graphs"]}), encoding="utf-8")  # as before issue 16
    result = _run(["query", "-"], input=COUNT_ALL)
    assert result.exit_code == 0, result.output
    assert "older ctn-graph" in result.stderr and "build again" in result.stderr


def test_with_no_build_anywhere_query_says_what_to_do(tmp_path, monkeypatch):
    from ctn_graph.rdf.store import find_last_build

    if find_last_build(tmp_path) is not None:
        pytest.skip("a folder above the test's temporary folder holds a note of a build")
    monkeypatch.chdir(tmp_path)
    result = _run(["query", "-"], input=COUNT_ALL)
    assert result.exit_code == 1
    assert "no graph given and no build found in" in result.stderr and "--graph" in result.stderr


def test_an_explicit_graph_is_not_announced(built):
    result = _run(["query", "-", "--graph", str(built.store)], input=COUNT_ALL)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


@pytest.mark.parametrize("command", [["analyse"], ["export-network", "-o", "net.graphml"]])
def test_network_commands_without_graph_name_the_store_they_read(tmp_path, monkeypatch, command):
    corpus = _corpus(tmp_path / "projekts", PROJECT_TEXT)
    monkeypatch.chdir(tmp_path)
    assert _run(["build", str(corpus), "-o", "out/g.ttl", "--no-cache", "-q"]).exit_code == 0
    result = _run(command)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0].startswith("answering from out/g.store (built ")

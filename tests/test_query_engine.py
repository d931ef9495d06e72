"""The query engines, parameter binding, result formats and the embedded store."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import rdflib

from ctn_graph.rdf.store import open_graph, write_store_dir
from ctn_graph.sparql.query import (
    OxigraphEngine,
    Param,
    QueryError,
    RdflibEngine,
    ResultFormat,
    Term,
    bind_param,
    inject_values,
    parse_query_text,
    rows_as_tuples,
    run_query,
)
from ctn_graph.sparql.results import write_result

DATA = """
@prefix ex: <http://example.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:a skos:prefLabel "Valsts policija"@lv ; ex:n 3 .
ex:b skos:prefLabel "=cmd|' /C calc'!A0"@lv ; ex:n -2 .
ex:c skos:prefLabel "x\\" } ; <y> \\n z"@lv .
"""
LABEL_QUERY = parse_query_text(
    '# title: by label\n# param: name = "Valsts policija"@lv -- a label\n'
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?name ?s WHERE { ?s skos:prefLabel ?name }",
    "by-label",
)
HOSTILE = ['x" } ; DROP ALL #', "a>b", "}", "line\nbreak", "'", "\\", 'Valsts policija" . ?s ?p ?o . #']


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    s.load(DATA.encode(), ox.RdfFormat.TURTLE)
    return s


@pytest.fixture(scope="module")
def rdf():
    return rdflib.Graph().parse(data=DATA, format="turtle")


def test_parameter_selects_rows_on_both_engines(store, rdf):
    for engine in (OxigraphEngine(store), RdflibEngine(rdf)):
        res = run_query(LABEL_QUERY, engine)
        assert rows_as_tuples(res, ["s"]) == [("http://example.org/a",)], engine.name
        res = run_query(LABEL_QUERY, engine, {"name": "=cmd|' /C calc'!A0"})
        assert rows_as_tuples(res, ["s"]) == [("http://example.org/b",)], engine.name


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_is_only_data(store, rdf, value):
    for engine in (OxigraphEngine(store), RdflibEngine(rdf)):
        assert rows_as_tuples(run_query(LABEL_QUERY, engine, {"name": value})) == [], engine.name


def test_a_value_with_quotes_and_braces_matches_itself(store):
    res = run_query(LABEL_QUERY, OxigraphEngine(store), {"name": 'x" } ; <y> \n z'})
    assert rows_as_tuples(res, ["s"]) == [("http://example.org/c",)]


@pytest.mark.parametrize("value", HOSTILE)
def test_injected_values_stay_one_term(store, value):
    """The text sent to a remote endpoint: the value is one escaped term, the query keeps its shape."""
    term = bind_param(Param("name", '"x"@lv'), value)
    text = inject_values(LABEL_QUERY.text, {"name": term})
    assert text.count("VALUES") == 1
    res = store.query(text)
    assert list(res) == []  # runs, parses, and matches nothing
    parsed = rdflib.Graph().query(text)  # rdflib parses it the same way
    assert len(list(parsed)) == 0


def test_injection_skips_construct_templates_and_strings():
    text = 'CONSTRUCT { ?s ?p "WHERE {" } WHERE { ?s ?p ?o }'
    out = inject_values(text, {"o": Term("literal", "v")})
    assert out == 'CONSTRUCT { ?s ?p "WHERE {" } WHERE { VALUES (?o) { ("v") } ?s ?p ?o }'


def test_param_types_follow_the_default():
    assert bind_param(Param("c", "<https://w3id.org/ctn/id/country/LV>"), "ctnid:country/MD").value == (
        "https://w3id.org/ctn/id/country/MD"
    )
    with pytest.raises(QueryError, match="not an IRI"):
        bind_param(Param("c", "<https://x/>"), "https://x/a> . ?s ?p ?o")
    with pytest.raises(QueryError, match="not an integer"):
        bind_param(Param("y", "2018"), "2018; DROP")
    assert bind_param(Param("y", "2018"), "2020").datatype.endswith("#integer")


def test_unknown_parameter_names_the_known_ones(store):
    with pytest.raises(QueryError, match="takes name"):
        run_query(LABEL_QUERY, OxigraphEngine(store), {"nme": "x"})


def test_syntax_error_has_line_and_column(store):
    bad = parse_query_text("SELECT ?s WHERE {\n ?s ?p \n}", "bad")
    with pytest.raises(QueryError, match=r"line \d+"):
        run_query(bad, OxigraphEngine(store))


def select_all(store):
    q = parse_query_text(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?s ?name ?n WHERE { ?s skos:prefLabel ?name OPTIONAL { ?s <http://example.org/n> ?n } } ORDER BY ?s",
        "all",
    )
    return run_query(q, OxigraphEngine(store))


def test_csv_escapes_formulas_and_follows_the_spec(store):
    out = io.StringIO()
    assert write_result(select_all(store), ResultFormat.CSV, out) == 3
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["s", "name", "n"]
    assert rows[1] == ["http://example.org/a", "Valsts policija", "3"]
    assert rows[2][1] == "'=cmd|' /C calc'!A0"  # a spreadsheet shows it, never runs it
    assert rows[2][2] == "-2"  # numbers are not formulas
    assert rows[3][2] == ""  # unbound
    assert out.getvalue().endswith("\r\n")


def test_tsv_and_json_results(store):
    out = io.StringIO()
    write_result(select_all(store), ResultFormat.TSV, out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "?s\t?name\t?n"
    assert lines[1] == '<http://example.org/a>\t"Valsts policija"@lv\t3'
    out = io.StringIO()
    write_result(select_all(store), ResultFormat.JSON, out)
    data = json.loads(out.getvalue())
    assert data["head"]["vars"] == ["s", "name", "n"]
    first = data["results"]["bindings"][0]
    assert first["name"] == {"type": "literal", "value": "Valsts policija", "xml:lang": "lv"}
    assert first["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert "n" not in data["results"]["bindings"][2]


def test_csv_and_tsv_from_the_engines_solutions_equal_those_from_the_rows(store):
    """Oxigraph's solutions are written straight to CSV and TSV; the same result read
    into rows first gives the same bytes."""
    from dataclasses import replace

    for fmt in (ResultFormat.CSV, ResultFormat.TSV):
        direct, via_rows = io.StringIO(), io.StringIO()
        result = select_all(store)
        assert result.solutions is not None
        write_result(result, fmt, direct)
        rows = select_all(store)
        write_result(replace(rows, solutions=None), fmt, via_rows)
        assert direct.getvalue() == via_rows.getvalue()


def test_construct_gives_turtle_and_select_refuses_it(store):
    q = parse_query_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "c")
    out = io.StringIO()
    assert write_result(run_query(q, OxigraphEngine(store)), ResultFormat.TTL, out) == 5
    assert len(list(ox.parse(out.getvalue().encode(), ox.RdfFormat.TURTLE))) == 5
    with pytest.raises(QueryError, match="format"):
        write_result(select_all(store), ResultFormat.TTL, io.StringIO())


def test_store_directory_round_trip_and_replacement(tmp_path, store):
    path = tmp_path / "g.store"
    write_store_dir(store, path)
    opened = open_graph(path)
    assert len(opened) == len(store)
    del opened
    small = ox.Store()
    small.add(ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"), ox.Literal("1")))
    write_store_dir(small, path)  # replaces the old store whole
    assert len(open_graph(path)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.store"]


def test_an_opened_store_is_reused_until_a_build_replaces_it(tmp_path, store):
    path = tmp_path / "g.store"
    write_store_dir(store, path)
    first = open_graph(path)
    assert open_graph(path) is first  # no second open, warm caches for the next query
    small = ox.Store()
    small.add(ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"), ox.Literal("1")))
    write_store_dir(small, path)
    again = open_graph(path)
    assert again is not first and len(again) == 1  # never the old store's answers


def test_the_term_caches_give_what_converting_each_term_gives(store):
    """Results convert and write each distinct term once; a full cache is emptied, and
    the answers stay those of converting every term."""
    from ctn_graph.sparql.results import _memo, _safe_cell
    from ctn_graph.sparql.terms import TermCache, _from_ox

    terms = [q.object for q in store] * 3
    small = TermCache(size=2)
    assert [small(t) for t in terms] == [_from_ox(t) for t in terms]
    assert len(small.cache) <= 2
    cell = _memo(_safe_cell, size=2)
    converted = [_from_ox(t) for t in terms]
    assert [cell(t) for t in converted] == [_safe_cell(t) for t in converted]
    assert cell(None) == ""


def test_open_graph_reports_file_and_position(tmp_path):
    from ctn_graph.rdf.store import StoreError

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b \n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"bad\.ttl.*line 3 column 1"):
        open_graph(bad)
    with pytest.raises(StoreError, match="no such"):
        open_graph(tmp_path / "missing.ttl")


def test_a_query_that_runs_too_long_stops_at_the_timeout(tmp_path, store):
    import time

    from ctn_graph.rdf.export import write_store
    from ctn_graph.sparql.run import run_query_to

    path = tmp_path / "g.ttl"
    big = ox.Store()
    big.bulk_extend(
        ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i)))
        for i in range(300)
    )
    write_store(big, path)
    slow = parse_query_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "slow")
    t0 = time.monotonic()
    with pytest.raises(QueryError, match="stopped after 1 s"):
        run_query_to(slow, path, {}, ResultFormat.CSV, io.StringIO(), timeout=1)
    assert time.monotonic() - t0 < 10
    out = io.StringIO()
    quick = parse_query_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c }", "quick")
    run_query_to(quick, path, {}, ResultFormat.CSV, out, timeout=30)
    assert out.getvalue().splitlines() == ["n", "300"]

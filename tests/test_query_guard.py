"""`query` runs only queries, and SERVICE only when federation was asked for (issue 14).

* An update given to `query` (a file, stdin, local or `--endpoint`) is refused before
  anything is sent, however it is written: after a PREFIX/BASE prologue, behind comments
  that say SELECT, in lower case, with \\u escapes, after a query and a `;`.
* A SERVICE clause makes the engine fetch the URL it names (SSRF): the embedded store
  (`query --graph`), rdflib's engine and `ctn-graph serve` refuse it unless federation is
  on, however it is written (Oxigraph reads `SERVICE:`, `1SERVICE` and a comparison
  `?a<?b)SERVICE#...>` as the keyword).
* `serve --cors --allow-federation` is refused unless `--allow-cors-federation` says so.

A recording HTTP server on 127.0.0.1 (tests/hostile.py) plays the URL a SERVICE names or
the endpoint an update would reach: it must see nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from ctn_graph.cli import app
from ctn_graph.rdf.store import write_store_dir
from ctn_graph.sparql.guard import read_shape
from ctn_graph.sparql.query import QueryError, RdflibEngine, parse_query_text, run_query

from .hostile import JSON_RESULTS, answer, hostile, reply, select_json
from .servers import free_port, start_ctn_serve

runner = CliRunner()
NT = (
    '<https://w3id.org/ctn/id/org/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "Valsts policija"@lv .\n'
    '<https://w3id.org/ctn/id/org/b> <http://www.w3.org/2004/02/skos/core#prefLabel> "Biedrība Patvērums"@lv .\n'
)


def cli(*args: object, input: str | None = None):  # noqa: A002 - click's name
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def graph(tmp_path) -> Path:
    path = tmp_path / "g.nt"
    path.write_text(NT, encoding="utf-8")
    return path


@pytest.fixture
def recorder():
    """The URL a SERVICE clause names, or the endpoint an update would reach; answers a row."""
    with hostile(reply(answer("200 OK", select_json(1, "s"), JSON_RESULTS))) as server:
        yield server


# --------------------------------------------------------------------------- 4. query runs only queries

UPDATES = {
    "plain": ("DROP ALL", "DROP"),
    "lower case": ("drop all", "DROP"),
    "after a prologue": ("PREFIX ctn: <https://w3id.org/ctn/ontology#>\nBASE <http://x/>\nCLEAR DEFAULT", "CLEAR"),
    "behind comments that say SELECT": ("# SELECT ?s WHERE { ?s ?p ?o }\n#ASK {}\nDELETE WHERE { ?s ?p ?o }",
                                        "DELETE"),
    "with a \\u escape": ("\\u0044ROP ALL", "DROP"),
    "no space after the keyword": ("INSERT{<urn:a> <urn:b> <urn:c>}WHERE{}", "INSERT"),
    "after a query and a semicolon": ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "DROP"),
    "WITH ... DELETE": ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    "LOAD": ("LOAD <http://127.0.0.1:9/evil.ttl> INTO GRAPH <urn:g>", "LOAD"),
    "a comment ended by a carriage return": ("# SELECT\rMOVE DEFAULT TO <urn:g>", "MOVE"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(UPDATES))
def test_an_update_sent_to_an_endpoint_through_query_is_refused_and_nothing_is_sent(case, recorder, tmp_path):
    text, keyword = UPDATES[case]
    (tmp_path / "drop.rq").write_text(text, encoding="utf-8")
    url = recorder.base + "/update"
    result = cli("query", "drop.rq", "--endpoint", url)
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (
        f"error: drop.rq: a SPARQL update ({keyword}), not a query: `ctn-graph query` runs only SELECT, ASK, "
        f"CONSTRUCT and DESCRIBE; a store is changed with `ctn-graph push` (nothing was sent to {url})"
    )
    assert recorder.requests == []


@pytest.mark.parametrize("case", ["plain", "after a prologue", "behind comments that say SELECT"])
def test_an_update_given_to_a_local_query_is_refused_pointing_to_push(case, graph):
    text, keyword = UPDATES[case]
    result = cli("query", "-", "--graph", graph, input=text)
    assert result.exit_code == 1
    assert result.output.startswith(f"error: stdin: a SPARQL update ({keyword}), not a query:")
    assert "`ctn-graph push`" in result.output and result.output.count("\n") == 1


def test_a_text_that_does_not_start_as_a_query_is_not_sent_to_an_endpoint(recorder, tmp_path):
    (tmp_path / "v.rq").write_text('DEFINE input:inference "x"\nSELECT * WHERE { ?s ?p ?o }', encoding="utf-8")
    result = cli("query", "v.rq", "--endpoint", recorder.base + "/sparql")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: v.rq: not a SPARQL query: after its PREFIX and BASE lines it must start with SELECT, ASK, CONSTRUCT "
        f"or DESCRIBE, not 'DEFINE' (nothing was sent to {recorder.base}/sparql)"
    )
    assert recorder.requests == []


@pytest.mark.parametrize(
    "text,form",
    [
        ("PREFIX ex: <http://e/> # DROP ALL\nSELECT ?drop WHERE { ?s ex:drop ?drop FILTER(?drop != 'DROP ALL') }",
         "SELECT"),
        ("BASE <http://e/> ASK { <insert> <delete> \"\"\"LOAD\nCLEAR\"\"\" }", "ASK"),
        ("construct { ?s ?p ?o } where { ?s ?p ?o } # ; drop all", "CONSTRUCT"),
        ("DESCRIBE <http://e/data>", "DESCRIBE"),
        ("SELECT (DATATYPE(?o) AS ?d) ?default WHERE { ?s ?p ?o ; ?q ?default }", "SELECT"),
    ],
)  # fmt: skip
def test_queries_that_mention_update_words_are_still_queries(text, form):
    shape = read_shape(text)
    assert (shape.form, shape.update) == (form, None)


def test_every_library_query_is_read_as_its_own_form():
    from ctn_graph.sparql.query import load_library

    for name, q in load_library().items():
        shape = read_shape(q.text)
        assert shape.form in ("SELECT", "CONSTRUCT") and shape.update is None and not shape.federated, name


# --------------------------------------------------------------------------- 5. SERVICE only with federation on


def service_texts(target: str) -> dict[str, str]:
    """A query that fetches `target`, written every way Oxigraph accepts (checked by
    test_each_way_of_writing_service_is_federation_to_oxigraph)."""
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "lower case, SILENT": f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        "in FILTER EXISTS": f"ASK {{ FILTER EXISTS {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }}",
        "after a prologue and a comment": (
            f"PREFIX e: <{target}>\n# no SERVICE here\nSELECT * {{ SERVICE e: {{ ?s ?p ?o }} }}"),
        "glued to a string": f'SELECT * {{ ?x ?y "x"SERVICE <{target}> {{ ?s ?p ?o }} }}',
        "glued to a number": f"SELECT * {{ ?x ?y 1SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "the keyword glued to a default prefix": f"PREFIX : <{target}> SELECT * {{ SERVICE:{{ ?s ?p ?o }} }}",
        "a comment ended by a carriage return": f"SELECT * {{ #\r SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "behind a comparison that looks like an IRI": (
            f"SELECT * {{ BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b)SERVICE#>\n<{target}>{{ ?s ?p ?o }} }}"),
        "... its parenthesis hidden after a U+2028 in a comment": (
            f"SELECT * {{ BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a #\u2028)\n<?b)SERVICE#>\n<{target}>{{ ?s ?p ?o }} }}"),
        "... its parenthesis hidden in an IRI with a \\u escape": (
            f"SELECT * {{ BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a = <http://e/\\u0041)> || ?a<?b)SERVICE#>\n"
            f"<{target}>{{ ?s ?p ?o }} }}"),
    }  # fmt: skip


def test_each_way_of_writing_service_is_federation_to_oxigraph(recorder):
    """The cases are real: with federation on, Oxigraph fetches the URL for each one."""
    store = ox.Store()
    for value in (ox.Literal("x"), ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))):
        store.add(ox.Quad(ox.NamedNode("urn:ctn:s"), ox.NamedNode("urn:ctn:p"), value))
    for case, text in service_texts(recorder.base + "/sparql").items():
        before = len(recorder.requests)
        res = store.query(text)
        if not isinstance(res, ox.QueryBoolean):
            list(res)
        assert len(recorder.requests) > before, case


@pytest.mark.parametrize("case", list(service_texts("http://x/")))
def test_a_local_query_calling_service_is_refused_and_fetches_nothing(case, graph, recorder, tmp_path):
    target = recorder.base + "/sparql"
    (tmp_path / "fed.rq").write_text(service_texts(target)[case], encoding="utf-8")
    result = cli("query", "fed.rq", "--graph", graph)
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert message.startswith("error: fed.rq: the query calls SERVICE") and message.count("\n") == 0, message
    assert message.endswith(
        "which would make this process fetch that URL; federation is off (pass --allow-federation to allow it)"
    )
    assert recorder.requests == []


def test_the_refusal_names_what_service_calls(graph, recorder, tmp_path):
    target = recorder.base + "/sparql"
    (tmp_path / "fed.rq").write_text(service_texts(target)["plain"], encoding="utf-8")
    for timeout in ([], ["--timeout", "5"]):  # in this process, and in the child that --timeout uses
        result = cli("query", "fed.rq", "--graph", graph, *timeout)
        assert result.output.strip() == (
            f"error: fed.rq: the query calls SERVICE <{target}>, which would make this process fetch that URL; "
            "federation is off (pass --allow-federation to allow it)"
        )
    assert recorder.requests == []


def test_allow_federation_lets_a_local_query_call_service(graph, recorder, tmp_path):
    (tmp_path / "fed.rq").write_text(service_texts(recorder.base + "/sparql")["plain"], encoding="utf-8")
    result = cli("query", "fed.rq", "--graph", graph, "--allow-federation", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "rinda 0" in result.output  # the row the SERVICE gave
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX ex: <http://e/service/> SELECT ?service WHERE { ?s ex:service ?service }",
        "PREFIX schema: <http://schema.org/> SELECT * WHERE { ?s a schema:Service ; schema:serviceType 'SERVICE' }",
        "SELECT * WHERE { ?s ?p <http://example.org/service> } # SERVICE <http://x/> {}",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o = <http://example.org/service>) }",
        "SELECT * WHERE { ?s ?p \"\"\"SERVICE <http://x/> { ?s ?p ?o }\"\"\" }",
    ],
)
def test_service_in_names_strings_iris_and_comments_is_not_federation(text, graph, tmp_path):
    assert not read_shape(text).federated
    (tmp_path / "ok.rq").write_text(text, encoding="utf-8")
    assert cli("query", "ok.rq", "--graph", graph).exit_code == 0


def test_rdflib_engine_refuses_service_too(recorder):
    import rdflib

    g = rdflib.Graph()
    q = parse_query_text(service_texts(recorder.base + "/sparql")["plain"], "fed")
    with pytest.raises(QueryError, match="the query calls SERVICE"):
        run_query(q, RdflibEngine(g))
    assert recorder.requests == []


def test_a_remote_query_may_call_service_the_remote_store_decides(recorder, tmp_path):
    (tmp_path / "fed.rq").write_text(service_texts("http://elsewhere.example/sparql")["plain"], encoding="utf-8")
    result = cli("query", "fed.rq", "--endpoint", recorder.base + "/query", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert len(recorder.requests) == 1  # sent: the endpoint, not this process, would fetch


# --------------------------------------------------------------------------- serve


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    store = ox.Store()
    label, doc = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.NamedNode("https://w3id.org/ctn/id/doc/d")
    for i in range(120):
        org = ox.NamedNode(f"https://w3id.org/ctn/id/org/o{i}")
        store.add(ox.Quad(org, label, ox.Literal(f"Organizācija {i}", language="lv"), doc))
    path = tmp_path_factory.mktemp("serve") / "small.store"
    write_store_dir(store, path)
    return path


def get(url: str, query: str, headers: dict[str, str] | None = None, timeout: float = 15) -> tuple[int, bytes]:
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}), headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture
def served(small_store, tmp_path):
    server = start_ctn_serve(small_store, tmp_path, extra=["--timeout", "2"])
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("case", list(service_texts("http://x/")))
def test_serve_refuses_service_and_fetches_nothing(case, served, recorder):
    status, body = get(served.base + "/query", service_texts(recorder.base + "/sparql")[case])
    assert status == 403, body
    assert body.decode().startswith("the query calls SERVICE")
    assert "which would make this server fetch that URL; federation is off (start ctn-graph serve with " \
           "--allow-federation to allow it)" in body.decode()  # fmt: skip
    assert recorder.requests == []


def test_serve_with_allow_federation_calls_service(small_store, tmp_path, recorder):
    server = start_ctn_serve(small_store, tmp_path, extra=["--allow-federation"])
    try:
        status, body = get(server.base + "/query", service_texts(recorder.base + "/sparql")["plain"],
                           {"Accept": "application/sparql-results+json"})  # fmt: skip
    finally:
        server.stop()
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"] == [{"s": {"type": "literal", "value": "rinda 0"}}]
    assert len(recorder.requests) == 1
    assert "federation is on" in server.log_tail()


def test_serve_refuses_cors_with_federation_unless_told_twice(small_store, tmp_path):
    port = free_port()
    args = [sys.executable, "-m", "ctn_graph.cli", "serve", "--graph", str(small_store), "--port", str(port)]
    done = subprocess.run([*args, "--cors", "--allow-federation"], capture_output=True, text=True, timeout=60,
                          check=False)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "error: --cors with --allow-federation lets any web page you open make this server fetch any URL it can "
        "reach and read the answer; add --allow-cors-federation if that is what you want"
    )
    server = start_ctn_serve(small_store, tmp_path, extra=["--cors", "--allow-federation", "--allow-cors-federation"])
    try:
        req = urllib.request.Request(server.base + "/query?query=ASK%7B%7D", headers={"Origin": "http://page.example"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        server.stop()


def test_serve_answers_queries_in_every_result_format_and_refuses_updates(served):
    url = served.base + "/query"
    text = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2"
    status, body = get(url, text, {"Accept": "text/csv"})
    assert (status, body.decode().splitlines()) == (200, ["s", "https://w3id.org/ctn/id/org/o0",
                                                          "https://w3id.org/ctn/id/org/o1"])  # fmt: skip
    status, body = get(url, text, {"Accept": "application/sparql-results+xml"})
    assert status == 200 and body.startswith(b"<?xml")
    status, body = get(url, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", {"Accept": "application/n-triples"})
    assert status == 200 and body.count(b"\n") == 1
    status, body = get(url, "ASK { ?s ?p ?o }")
    assert (status, json.loads(body)["boolean"]) == (200, True)
    assert get(url, "DROP ALL")[0] == 403
    req = urllib.request.Request(served.base + "/update", data=b"DROP ALL", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(req, timeout=10)
    assert refused.value.code == 403 and b"read-only" in refused.value.read()
    for method in ("PUT", "DELETE", "PATCH"):
        req = urllib.request.Request(served.base + "/store?default", data=b"<urn:a> <urn:b> <urn:c> .", method=method,
                                     headers={"Content-Type": "application/n-triples"})  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(req, timeout=10)
        assert refused.value.code == 403 and b"read-only" in refused.value.read(), method
    assert get(url, "SELECT * WHERE { ?s ?p ?o ")[0] == 400
    assert get(served.base + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0] == 200


def test_serve_stops_a_query_at_its_timeout_and_keeps_answering(served):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 120^4 rows
    t0 = time.monotonic()
    status, body = get(served.base + "/query", slow, timeout=20)
    assert (status, body.decode().strip()) == (503, "the query was stopped after 2 s (--timeout)")
    assert time.monotonic() - t0 < 6
    assert get(served.base + "/query", "ASK { ?s ?p ?o }")[0] == 200  # a new query process took over


def test_serve_keeps_answering_after_a_client_leaves_in_mid_answer(served):
    big = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1.7 million rows, streamed
    for _ in range(3):  # more than the workers of a small machine
        req = urllib.request.Request(served.base + "/query?" + urllib.parse.urlencode({"query": big}))
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 200 and len(resp.read(5000)) == 5000
    assert get(served.base + "/query", "ASK { ?s ?p ?o }") == (200, b'{"head":{},"boolean":true}')


def test_serve_answers_only_requests_for_localhost(served):
    """A page on another name that resolves to 127.0.0.1 (DNS rebinding) cannot read the graph."""
    status, body = get(served.base + "/query", "ASK {}", {"Host": f"attacker.example:{served.port}"})
    assert status == 403 and b"answers only requests for localhost" in body
    assert get(served.base + "/query", "ASK {}", {"Host": f"localhost:{served.port}"})[0] == 200

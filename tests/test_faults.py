"""Faults, bad input and hostile text, end to end through the command line (issue 7).

Every case ends in a clear message that names the file or the endpoint and the problem,
a non-zero exit, and nothing lost: no half-written output, no remote graph changed by a
failed push, no store broken by a second process. The cases already covered elsewhere
(tests/test_robustness.py, test_ingest.py, test_cli.py, test_triplestores.py,
test_query_engine.py, test_network.py, test_viz_browser.py) are not repeated here;
docs/robustness.md lists every case and the test that proves it.

Endpoints that fail are played by `FakeStore`: a tiny http.server on 127.0.0.1 in a
thread of this process, answering each request as the test says (a status, a hang, a
dropped connection, or forwarding to a real Oxigraph server started by tests/servers.py).
Every wait is bounded. Each test here asserts the behaviour its name states; the ones that
were strict xfails when they were written pass since their fixes landed.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import ctn_graph.sparql.endpoint as endpoint_module
from ctn_graph.cli import app
from ctn_graph.rdf.store import write_store_dir
from ctn_graph.sparql.push import push as api_push

from .conftest import SEEDS
from .servers import HOST, Server, free_port, sparql_get, start_ctn_serve, start_oxigraph

runner = CliRunner()


def cli(*args: str, input: str | None = None):  # noqa: A002 - click's name
    return runner.invoke(app, [str(a) for a in args], input=input)


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Commands remember their last store in ./.ctn-graph: keep that out of the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def pauses(monkeypatch) -> list[float]:
    """The pauses push takes between retries, recorded instead of taken (only endpoint.py's)."""
    taken: list[float] = []
    monkeypatch.setattr(endpoint_module, "time", SimpleNamespace(sleep=taken.append))
    return taken


TINY_NT = '<https://w3id.org/ctn/id/test/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "A"@lv .\n'


@pytest.fixture
def tiny_graph(tmp_path) -> Path:
    path = tmp_path / "tiny.nt"
    path.write_text(TINY_NT, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- a fake store

HANG = "hang"  # read the request, then answer nothing until released (bounded)
CLOSE = "close"  # read the request, then close the connection without an answer


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Forward:
    base: str  # http://127.0.0.1:PORT of a real store


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """PUT, QUERY, or the SPARQL Update operation: INSERT, MOVE, DROP ..."""
        if self.method != "POST" or not self.headers.get("Content-Type", "").startswith("application/sparql-update"):
            return "QUERY" if self.method == "POST" else self.method
        return self.body.split(None, 1)[0].decode("ascii", "replace").upper()


Answer = Callable[[Seen, list[Seen]], "Reply | Forward | str"]


class FakeStore:
    """An HTTP server on 127.0.0.1 (a free port) that answers as `answer(request, history)` says."""

    def __init__(self, answer: Answer, hang_s: float = 10.0):
        self.answer = answer
        self.requests: list[Seen] = []
        self.release = threading.Event()
        self.hang_s = hang_s
        lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 15  # a client that sends half a request cannot hold a thread for ever

            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, self.path, self.rfile.read(n) if n else b"", dict(self.headers.items()))
                with lock:
                    fake.requests.append(seen)
                    history = list(fake.requests)
                what = fake.answer(seen, history)
                if what == HANG:
                    fake.release.wait(fake.hang_s)
                    self.close_connection = True
                    return
                if what == CLOSE:
                    self.close_connection = True
                    return
                if isinstance(what, Forward):
                    what = _forward(what.base, seen)
                assert isinstance(what, Reply)
                try:
                    self.send_response(what.status)
                    for k, v in what.headers:
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(what.body)))
                    self.end_headers()
                    self.wfile.write(what.body)
                except OSError:  # the client gave up first
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.base = f"http://{HOST}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def kinds(self) -> list[str]:
        return [r.kind for r in self.requests]

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def _forward(base: str, seen: Seen) -> Reply:
    headers = {k: v for k, v in seen.headers.items() if k.lower() in ("content-type", "accept")}
    data = seen.body if seen.method in ("POST", "PUT") else None
    req = urllib.request.Request(base + seen.path, data=data, method=seen.method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Reply(resp.status, resp.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, e.read())


def always(reply: Reply | str) -> Answer:
    return lambda seen, history: reply


@pytest.fixture
def fake() -> Iterator[Callable[..., FakeStore]]:
    started: list[FakeStore] = []

    def start(answer: Answer, **kwargs: float) -> FakeStore:
        store = FakeStore(answer, **kwargs)
        started.append(store)
        return store

    yield start
    for s in started:
        s.stop()


UNAUTHORIZED = Reply(401, b"wrong user or password", (("WWW-Authenticate", 'Basic realm="store"'),))
DIGEST_UNAUTHORIZED = Reply(
    401, b"wrong user or password", (("WWW-Authenticate", 'Digest realm="store", nonce="n0nce", qop="auth"'),)
)


# --------------------------------------------------------------------------- 1. endpoints that fail


def test_a_wrong_password_on_push_is_not_allowed_and_not_retried(fake, pauses, tiny_graph):
    store = fake(always(UNAUTHORIZED))
    gsp = store.base + "/store"
    result = cli("push", "--endpoint", store.base + "/query", "--gsp", gsp, "--graph", tiny_graph,
                 "--user", "ctn", "--password", "wrong")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"{gsp}?graph=" in result.output and "HTTP 401: not allowed (check --user/--password)" in result.output
    assert store.kinds() == ["PUT"] and pauses == []  # asked once, no backoff


def test_a_wrong_password_with_guessed_services_tries_each_once_and_never_backs_off(fake, pauses, tiny_graph):
    store = fake(always(UNAUTHORIZED))
    result = cli("push", "--endpoint", store.base + "/query", "--graph", tiny_graph, "--user", "ctn", "--password", "x")
    assert result.exit_code == 1, result.output
    message = one_line(result.output)
    assert message.startswith(f"error: {store.base}/update: HTTP 401: not allowed"), message
    assert f"{store.base}/store?graph=" in message and f"{store.base}/data?graph=" in message
    assert pauses == []
    requests = [(r.method, r.path, r.body) for r in store.requests]
    assert len(requests) == len(set(requests))  # no request was repeated


def test_a_wrong_digest_password_is_answered_once(fake, pauses, tiny_graph):
    store = fake(always(DIGEST_UNAUTHORIZED))
    gsp = store.base + "/store"
    result = cli("push", "--endpoint", store.base + "/query", "--gsp", gsp, "--graph", tiny_graph,
                 "--user", "dba", "--password", "wrong", "--digest")  # fmt: skip
    assert result.exit_code == 1 and "not allowed" in result.output
    assert len(store.requests) <= 2, f"{len(store.requests)} uploads"  # the challenge, and one answer to it


def test_a_push_to_the_read_only_serve_says_the_endpoint_refused_the_update(tmp_path, tiny_graph, pauses):
    store_dir = tmp_path / "tiny.store"
    write_store_dir(_store_of(_quads("served", 1)), store_dir)
    server = start_ctn_serve(store_dir, tmp_path)
    try:
        result = cli("push", "--endpoint", server.base + "/query", "--graph", tiny_graph)
    finally:
        server.stop()
    assert result.exit_code == 1, result.output
    message = one_line(result.output)
    update = server.base + "/update"
    assert message.startswith(f"error: {update}: the endpoint refused the update (HTTP 403"), message
    assert "read-only" in message
    assert "password" not in message  # the store is read-only: no password would help
    assert "left in" not in message  # nothing was written, so nothing is left behind


@pytest.mark.parametrize("reply", [UNAUTHORIZED, Reply(403, b"The server is read-only")], ids=["401", "403"])
def test_a_refused_update_probe_stops_the_push_and_is_reported_once(fake, pauses, tiny_graph, reply):
    store = fake(always(reply))
    result = cli("push", "--endpoint", store.base + "/query", "--graph", tiny_graph, "--user", "ctn", "--password", "x")
    assert result.exit_code == 1, result.output
    # the two guessed Graph Store URLs, then the update probe; no INSERT DATA after it was refused
    assert store.kinds() == ["PUT", "PUT", "DROP"]
    message = one_line(result.output)
    update = store.base + "/update"
    assert message.startswith(f"error: {update}: "), message
    assert message.count(update) == 1 and message.count(f"HTTP {reply.status}") == 1, message
    assert "Graph Store:" not in message and "left in" not in message
    assert f"{store.base}/store?graph=" in message and f"{store.base}/data?graph=" in message  # named, once each


VIRTUOSO_403 = (
    b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html>\n  <head>\n    <title>SPARQL Graph Protocol '
    b"request failed</title>\n  </head>\n  <body>\n    <h1>HTTP/1.1 403 Forbidden</h1>\n    <h3>Error 42000</h3>\n"
    b"<xmp>SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD (user ID = 107)</xmp></body></html>\n"
)


def test_an_html_error_page_is_told_as_its_text(fake, pauses, tiny_graph):
    store = fake(always(Reply(403, VIRTUOSO_403, (("Content-Type", "text/html"),))))
    gsp = store.base + "/sparql-graph-crud"
    result = cli("push", "--endpoint", store.base + "/sparql", "--gsp", gsp, "--graph", tiny_graph)
    assert result.exit_code == 1
    message = one_line(result.output)
    assert message == (
        f"error: {gsp}?graph=https%3A%2F%2Fw3id.org%2Fctn%2Fid%2Fgraph%2Fctn: the endpoint refused the update "
        "(HTTP 403 Forbidden: HTTP/1.1 403 Forbidden Error 42000 SQ110:SECURITY: Permission denied for delete from "
        "DB.DBA.RDF_QUAD (user ID = 107)): is it read-only, or may this user not write to it?"
    )
    assert result.output.count("\n") == 1  # one line, no markup


def test_a_refused_update_probe_on_a_given_update_url_sends_nothing_more(fake, pauses, tiny_graph):
    store = fake(always(UNAUTHORIZED))
    update = store.base + "/update"
    result = cli("push", "--endpoint", store.base + "/query", "--method", "update", "--update", update,
                 "--graph", tiny_graph, "--user", "ctn", "--password", "x")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert one_line(result.output) == f"error: {update}: HTTP 401: not allowed (check --user/--password)"
    assert store.kinds() == ["DROP"]


def test_a_wrong_password_on_query_is_not_allowed(fake):
    store = fake(always(UNAUTHORIZED))
    url = store.base + "/query"
    result = cli("query", "countries-by-projects", "--endpoint", url, "--user", "ctn", "--password", "wrong")
    assert result.exit_code == 1
    assert one_line(result.output) == f"error: {url}: HTTP 401: not allowed (check --user/--password)"
    assert store.kinds() == ["QUERY"]


@pytest.mark.parametrize(
    "status,reason,method",
    [
        (500, "Internal Server Error", "graph-store"),
        (400, "Bad Request", "graph-store"),
        (500, "Internal Server Error", "update"),
        (400, "Bad Request", "update"),
    ],
)
def test_a_store_that_fails_the_upload_is_a_clear_error(fake, pauses, tiny_graph, tmp_path, status, reason, method):
    store = fake(always(Reply(status, b"the store's own words")))
    url = store.base + ("/store" if method == "graph-store" else "/update")
    option = "--gsp" if method == "graph-store" else "--update"
    result = cli("push", "--endpoint", store.base + "/query", option, url, "--method", method, "--graph", tiny_graph)
    assert result.exit_code == 1, result.output
    message = one_line(result.output)
    assert message.startswith(f"error: {url}"), message
    assert f"HTTP {status} {reason}: the store's own words" in message
    assert pauses == []  # 500 and 400 are answers, not a busy store: no retry
    if method == "graph-store":
        assert store.kinds() == ["PUT"]
    else:  # the probe, the upload into the temporary graph, the cleanup
        assert store.kinds() == ["DROP", "INSERT", "DROP"]
        assert b"-upload-" in store.requests[1].body and b"-upload-" in store.requests[2].body


def count_of(n: int) -> Reply:
    """A query endpoint's answer to push's check, `SELECT (COUNT(*) AS ?n) ...`."""
    body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {
        "type": "literal", "value": str(n), "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}})  # fmt: skip
    return Reply(200, body.encode(), (("Content-Type", "application/sparql-results+json"),))


def test_a_busy_store_is_retried_and_the_push_succeeds(fake, pauses, tiny_graph):
    store = fake(
        lambda seen, history: count_of(1) if seen.kind == "QUERY" else Reply(503, b"busy") if len(history) == 1
        else Reply(201)
    )  # fmt: skip
    gsp = store.base + "/store"
    result = cli(
        "push", "--endpoint", store.base + "/query", "--gsp", gsp, "--method", "graph-store", "--graph", tiny_graph
    )
    assert result.exit_code == 0, result.output
    assert f"pushed 1 triples to <https://w3id.org/ctn/id/graph/ctn> at {gsp} (graph-store)" in result.output
    assert pauses == [0.5]
    assert [r.body for r in store.requests if r.method == "PUT"] == [TINY_NT.encode()] * 2
    assert store.kinds() == ["PUT", "PUT", "QUERY"]  # then the check: the store holds the triple


@pytest.fixture(scope="module")
def push_to_a_silent_store(tmp_path_factory) -> Iterator[tuple[object, FakeStore, float, list[float]]]:
    """push --timeout 1 to a store that reads the request and never answers, run once."""
    graph = tmp_path_factory.mktemp("silent") / "tiny.nt"
    graph.write_text(TINY_NT, encoding="utf-8")
    store = FakeStore(always(HANG), hang_s=20)
    taken: list[float] = []
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(endpoint_module, "time", SimpleNamespace(sleep=taken.append))
            t0 = time.monotonic()
            result = cli("push", "--endpoint", store.base + "/query", "--gsp", store.base + "/store",
                         "--method", "graph-store", "--graph", graph, "--timeout", "1")  # fmt: skip
            elapsed = time.monotonic() - t0
        yield result, store, elapsed, taken
    finally:
        store.stop()


def test_a_store_that_never_answers_a_push_hits_the_timeout(push_to_a_silent_store):
    result, store, elapsed, _ = push_to_a_silent_store
    assert result.exit_code == 1
    message = one_line(result.output)
    assert message.startswith(f"error: {store.base}/store?graph=")
    assert "timed out" in message or "no answer within 1 s" in message
    assert elapsed < 15


def test_the_push_timeout_message_says_it_is_the_timeout(push_to_a_silent_store):
    result, *_ = push_to_a_silent_store
    assert "no answer within 1 s (--timeout)" in one_line(result.output)


def test_a_timed_out_push_is_not_sent_again(push_to_a_silent_store):
    result, store, elapsed, taken = push_to_a_silent_store
    assert result.exit_code == 1
    assert len(store.requests) == 1 and taken == [] and elapsed < 3


def test_a_push_whose_update_probe_times_out_sends_no_data(fake, pauses, tiny_graph):
    store = fake(always(HANG), hang_s=20)
    t0 = time.monotonic()
    result = cli("push", "--endpoint", store.base + "/query", "--graph", tiny_graph, "--timeout", "1")
    assert result.exit_code == 1
    assert store.kinds() == ["PUT", "PUT", "DROP"]  # the Graph Store guesses, the update probe; no INSERT DATA
    message = one_line(result.output)
    assert message.startswith(f"error: {store.base}/update: no answer within 1 s (--timeout)"), message
    assert "left in" not in message and time.monotonic() - t0 < 10


def test_a_store_that_never_answers_a_query_hits_the_timeout(fake, tmp_path):
    store = fake(always(HANG), hang_s=20)
    url = store.base + "/query"
    out = tmp_path / "out.csv"
    t0 = time.monotonic()
    result = cli("query", "countries-by-projects", "--endpoint", url, "--timeout", "1", "-f", "csv", "-o", out)
    assert time.monotonic() - t0 < 5
    assert result.exit_code == 1
    assert one_line(result.output) == f"error: {url}: no answer within 1 s (--timeout)"
    assert not out.exists()


def test_a_query_timeout_under_a_second_still_stops_the_query(fake):
    store = fake(always(HANG), hang_s=4)  # a bounded hang: released after 4 s
    t0 = time.monotonic()
    result = cli("query", "countries-by-projects", "--endpoint", store.base + "/query", "--timeout", "0.5")
    assert result.exit_code == 1
    assert time.monotonic() - t0 < 3, "the query waited for the store, not for --timeout"


def test_a_query_on_a_refused_port_names_the_url(tmp_path):
    url = f"http://{HOST}:{free_port()}/query"
    out = tmp_path / "out.csv"
    result = cli("query", "countries-by-projects", "--endpoint", url, "-o", out)
    assert result.exit_code == 1
    assert one_line(result.output) == f"error: {url}: [Errno 111] Connection refused"
    assert not out.exists()


# --------------------------------------------------------------------------- a push that fails half-way

TARGET = "https://w3id.org/ctn/id/graph/ctn"
OTHER = "https://w3id.org/ctn/id/graph/other"
OLD_NT = (
    '<https://w3id.org/ctn/id/test/old> <http://www.w3.org/2004/02/skos/core#prefLabel> "vecais grafs"@lv .\n'
    "<https://w3id.org/ctn/id/test/old> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://w3id.org/ctn/ontology#NGO> .\n"
)


@pytest.fixture(scope="module")
def seed_store_dir(tmp_path_factory, seed_store) -> Path:
    path = tmp_path_factory.mktemp("seed-store") / "graph.store"
    write_store_dir(seed_store, path)
    return path


@pytest.fixture
def oxigraph_with_old_graph(tmp_path) -> Iterator[Server]:
    """A real Oxigraph server holding an old version of the target graph and another graph."""
    server = start_oxigraph(tmp_path / "oxigraph")
    try:
        old = tmp_path / "old.nt"
        old.write_text(OLD_NT, encoding="utf-8")
        other = tmp_path / "other.nt"
        other.write_text(TINY_NT, encoding="utf-8")
        api_push(old, server.base + "/query", TARGET)
        api_push(other, server.base + "/query", OTHER)
        yield server
    finally:
        server.stop()


def graph_lines(server: Server, graph: str) -> list[str]:
    """The graph's triples as sorted N-Triples lines, read with the Graph Store Protocol."""
    url = server.base + "/store?" + urllib.parse.urlencode({"graph": graph})
    req = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return sorted(ln for ln in resp.read().decode("utf-8").splitlines() if ln.strip())
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return []
        raise


def graph_names(server: Server) -> list[str]:
    data = json.loads(sparql_get(server.base + "/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
    return sorted(b["g"]["value"] for b in data["results"]["bindings"])


def nth(kind: str, n: int, reply: Reply | str, *, and_after: bool = False) -> Callable[[str], Answer]:
    """Forward everything to the real store but the n-th request of a kind (and, with
    and_after, every later request), which gets `reply`."""

    def plan(upstream: str) -> Answer:
        def answer(seen: Seen, history: list[Seen]) -> Reply | Forward | str:
            count = sum(1 for r in history if r.kind == kind)
            failing = (seen.kind == kind and count == n) or (
                and_after and any(r.kind == kind for r in history[:-1]) and count >= n
            )
            return reply if failing else Forward(upstream)

        return answer

    return plan


HALF_WAY = {
    "the 2nd INSERT DATA fails (500)": nth("INSERT", 2, Reply(500, b"disk full")),
    "the MOVE fails (500)": nth("MOVE", 1, Reply(500, b"disk full")),
    "the store is busy at the MOVE (503 every time)": lambda up: (
        lambda seen, history: Reply(503, b"busy") if seen.kind == "MOVE" else Forward(up)
    ),
    "the connection drops from the 3rd INSERT DATA on": lambda up: (
        lambda seen, history: (
            CLOSE if seen.kind == "INSERT" and sum(r.kind == "INSERT" for r in history) >= 3 else Forward(up)
        )
    ),
}


@pytest.mark.parametrize("fault", list(HALF_WAY))
def test_a_push_that_fails_half_way_leaves_the_remote_graph_as_it_was(
    fault, oxigraph_with_old_graph, fake, pauses, seed_store_dir
):
    server = oxigraph_with_old_graph
    before = {g: graph_lines(server, g) for g in graph_names(server)}
    assert sorted(before) == [TARGET, OTHER] and len(before[TARGET]) == 2
    proxy = fake(HALF_WAY[fault](server.base))
    update = proxy.base + "/update"
    result = cli("push", "--endpoint", server.base + "/query", "--method", "update", "--update", update,
                 "--graph", seed_store_dir, "--named-graph", TARGET, "--timeout", "20")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert one_line(result.output).startswith(f"error: {update}: ")
    assert proxy.kinds().count("INSERT") >= 2  # it really was half-way: data had reached the store
    assert proxy.requests[-1].kind == "DROP"  # and the temporary graph was dropped
    after = {g: graph_lines(server, g) for g in graph_names(server)}
    assert after == before  # the target as it was, the other graph untouched, no temporary graph left


def test_when_the_cleanup_fails_too_the_target_graph_is_still_as_it_was(
    oxigraph_with_old_graph, fake, pauses, seed_store_dir
):
    server = oxigraph_with_old_graph
    before = graph_lines(server, TARGET)
    proxy = fake(nth("MOVE", 1, Reply(500, b"gone"), and_after=True)(server.base))
    result = cli("push", "--endpoint", server.base + "/query", "--method", "update", "--update",
                 proxy.base + "/update", "--graph", seed_store_dir, "--named-graph", TARGET)  # fmt: skip
    assert result.exit_code == 1
    assert graph_lines(server, TARGET) == before
    assert proxy.kinds()[-2:] == ["MOVE", "DROP"]
    left = [g for g in graph_names(server) if "-upload-" in g]
    assert len(left) == 1  # the partial upload stays behind: the store refused its removal


def test_when_the_cleanup_fails_the_message_names_the_graph_left_behind(
    oxigraph_with_old_graph, fake, pauses, seed_store_dir
):
    server = oxigraph_with_old_graph
    proxy = fake(nth("MOVE", 1, Reply(500, b"gone"), and_after=True)(server.base))
    result = cli("push", "--endpoint", server.base + "/query", "--method", "update", "--update",
                 proxy.base + "/update", "--graph", seed_store_dir, "--named-graph", TARGET)  # fmt: skip
    [left] = [g for g in graph_names(server) if "-upload-" in g]
    assert f"<{left}>" in one_line(result.output)


# --------------------------------------------------------------------------- 2. bad graphs

BAD_TTL = (
    "@prefix ex: <http://example.org/> .\n"
    "ex:a ex:b ex:c .\n"
    "ex:d ex:e ;; ex:f .\n"  # line 3, column 11: a second ';'
    "ex:x ex:y ex:z .\n"
)
BAD_TRIG = (
    "@prefix ex: <http://example.org/> .\n"
    "ex:g {\n"
    "  ex:a ex:b ex:c .\n"
    "  ex:d ex:e ex:f ex:h .\n"  # line 4: a fourth term
    "}\n"
)
BAD_RDFXML = (
    '<?xml version="1.0"?>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
    '  <rdf:Description rdf:about="http://example.org/a">\n'
    "    <ex:b>c</ex:b>\n"
    "</rdf:RDF>\n"  # line 5: closes the root while rdf:Description is still open
)
BAD_GRAPHS = {
    "broken.ttl": (BAD_TTL, "line 3 column 11"),
    "broken.trig": (BAD_TRIG, "line 4 between columns 18"),
    "broken.rdf": (BAD_RDFXML, "line 5 column 2: mismatched tag"),
}
COMMANDS: dict[str, Callable[[Path, Path, str], tuple[list[str], Path | None]]] = {
    "validate": lambda g, out, url: (["validate", str(g)], None),
    "evaluate": lambda g, out, url: (["evaluate", str(g)], None),
    "query": lambda g, out, url: (["query", "countries-by-projects", "--graph", str(g), "-o", str(out) + ".csv"], out),
    "query --timeout": lambda g, out, url: (
        ["query", "countries-by-projects", "--graph", str(g), "--timeout", "30", "-o", str(out) + ".csv"],
        out,
    ),  # -o takes its format from the extension: .csv
    "viz": lambda g, out, url: (["viz", str(g), "-o", str(out)], out),
    "analyse": lambda g, out, url: (["analyse", str(g), "-o", str(out)], out),
    "export-network": lambda g, out, url: (["export-network", str(g), "-o", str(out.with_suffix(".gexf"))], out),
    "push": lambda g, out, url: (["push", "--graph", str(g), "--endpoint", url], None),
}


def _malformed_cases() -> Iterator[object]:
    for command in COMMANDS:
        for name in BAD_GRAPHS:
            yield pytest.param(command, name, id=f"{command}-{name}")


@pytest.mark.parametrize("command,name", list(_malformed_cases()))
def test_a_malformed_graph_is_reported_with_file_line_and_column(command, name, tmp_path, fake):
    text, where = BAD_GRAPHS[name]
    graph = tmp_path / name
    graph.write_text(text, encoding="utf-8")
    store = fake(always(Reply(204)))
    args, out = COMMANDS[command](graph, tmp_path / "out.x", store.base + "/query")
    result = cli(*args)
    assert result.exit_code == 1, result.output
    message = one_line(result.output)
    assert message.startswith(f"error: {graph}: Parser error "), message
    assert where in message
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no output, no temporary file
    assert store.requests == []  # push sends nothing


def test_rdfxml_that_is_well_formed_but_not_rdf_names_the_file_and_the_parser_words(tmp_path):
    graph = tmp_path / "iri.rdf"
    graph.write_text(BAD_RDFXML.replace('a">', 'a b">').replace("</rdf:RDF>", "  </rdf:Description>\n</rdf:RDF>"))
    result = cli("validate", graph)
    assert result.exit_code == 1
    words = "error while parsing IRI 'http://example.org/a b': Invalid IRI code point ' '"
    assert one_line(result.output) == f"error: {graph}: Parser error: {words}"  # no place to give: file and words


# --------------------------------------------------------------------------- 3. SPARQL syntax errors

BAD_QUERY = "# title: broken\nPREFIX ctn: <https://w3id.org/ctn/ontology#>\nSELECT ?p WHERE {\n  ?p ctn:partner\n}\n"


@pytest.fixture(scope="module")
def seed_graph_file(tmp_path_factory, seed_store) -> Path:
    from ctn_graph.rdf.export import write_store

    path = tmp_path_factory.mktemp("seed-graph") / "graph.trig"
    write_store(seed_store, path)
    return path


@pytest.mark.parametrize("how", ["file", "file --timeout", "stdin"])
def test_a_sparql_syntax_error_reports_line_and_column(how, tmp_path, seed_store_dir):
    bad = tmp_path / "bad.rq"
    bad.write_text(BAD_QUERY, encoding="utf-8")
    out = tmp_path / "out.csv"
    spec = "-" if how == "stdin" else str(bad)
    extra = ["--timeout", "30"] if how == "file --timeout" else []
    result = cli("query", spec, "--graph", seed_store_dir, "-f", "csv", "-o", out, *extra,
                 input=BAD_QUERY if how == "stdin" else None)  # fmt: skip
    assert result.exit_code == 1
    name = "stdin" if how == "stdin" else str(bad)
    assert one_line(result.output).startswith(f"error: {name}: SPARQL syntax error at line 5, column 1: expected")
    assert not out.exists()


@pytest.fixture(scope="module")
def empty_oxigraph(tmp_path_factory) -> Iterator[Server]:
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-empty") / "db")
    try:
        yield server
    finally:
        server.stop()


def test_a_sparql_syntax_error_on_an_endpoint_names_the_endpoint_and_the_place(empty_oxigraph, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text(BAD_QUERY, encoding="utf-8")
    url = empty_oxigraph.base + "/query"
    out = tmp_path / "out.csv"
    result = cli("query", bad, "--endpoint", url, "-o", out)
    assert result.exit_code == 1
    message = one_line(result.output)
    assert url in message and re.search(r"at 5:1: expected|at line 5, column 1: expected", message), message
    assert not out.exists()


def test_a_sparql_syntax_error_on_an_endpoint_reads_like_a_local_one(empty_oxigraph, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text(BAD_QUERY, encoding="utf-8")
    result = cli("query", bad, "--endpoint", empty_oxigraph.base + "/query")
    message = one_line(result.output)
    assert message.startswith(f"error: {bad}: SPARQL syntax error at line 5, column 1")
    assert "b'" not in message


# --------------------------------------------------------------------------- 4. huge results stream

HUGE_ROWS = 300_000
MEASURE = r'''
"""Run phases in this process and print, per phase, the growth of its anonymous memory
(RssAnon, sampled every 5 ms: the file pages RocksDB maps are not counted)."""
import json, sys, threading, time
from pathlib import Path


def anon_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    raise RuntimeError("no RssAnon in /proc/self/status")


class Peak:
    def __enter__(self):
        self.base = self.peak = anon_kb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, anon_kb())

    def __exit__(self, *exc):
        self.peak = max(self.peak, anon_kb())
        self._stop.set()
        self._thread.join()


import pyoxigraph  # noqa: E402 - imported before measuring, as everything the phases use
import ctn_graph.pipeline.build, ctn_graph.cli, ctn_graph.sparql.endpoint  # noqa: E401,E402
import ctn_graph.rdf.export, ctn_graph.sparql.query  # noqa: E401,E402
import ctn_graph.sparql.results, ctn_graph.rdf.store  # noqa: E401,E402

out = {}
for name, kind, *args in json.loads(sys.argv[1]):
    t0 = time.monotonic()
    if kind == "cli":
        with Peak() as p:
            try:
                ctn_graph.cli.app(args, standalone_mode=False)
                code = 0
            except SystemExit as e:
                code = e.code
    else:  # "hold": what holding the whole result takes
        store, text = args
        q = ctn_graph.sparql.query.parse_query_text(text, "held")
        with Peak() as p:
            engine = ctn_graph.sparql.query.OxigraphEngine(ctn_graph.rdf.store.open_graph(Path(store)))
            held = ctn_graph.sparql.query.run_query(q, engine).materialise()
            code = len(held.rows)
        del held, engine
    growth = round((p.peak - p.base) / 1024, 1)
    out[name] = {"growth_mb": growth, "code": code, "seconds": round(time.monotonic() - t0, 2)}
print(json.dumps(out))
'''


def measure(tmp_path: Path, phases: list[list[str]]) -> dict[str, dict[str, float]]:
    script = tmp_path / "measure.py"
    script.write_text(MEASURE, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), json.dumps(phases)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def huge_store(tmp_path_factory) -> Path:
    """A store of 300,000 triples (100,000 organisations with 3 labels each), written directly."""
    path = tmp_path_factory.mktemp("huge") / "huge.store"
    lines = [
        f"<https://w3id.org/ctn/id/org/x{i // 3}> <https://w3id.org/ctn/ontology#p{i % 3}> "
        f'"Organizācija numur {i} ar garāku nosaukumu"@lv <https://w3id.org/ctn/id/doc/huge> .'
        for i in range(HUGE_ROWS)
    ]
    store = ox.Store(str(path))
    store.bulk_load("\n".join(lines).encode("utf-8"), ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return path


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RssAnon from /proc (Linux)")
def test_a_huge_result_streams_to_a_csv_file(huge_store, tmp_path):
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    (tmp_path / "all.rq").write_text(text, encoding="utf-8")
    out = tmp_path / "all.csv"
    got = measure(tmp_path, [
        ["stream", "cli", "query", "all.rq", "--graph", str(huge_store), "-f", "csv", "-o", str(out)],
        ["hold", "hold", str(huge_store), text + f" LIMIT {HUGE_ROWS // 3}"],  # a third of it, to save time
    ])  # fmt: skip
    assert got["stream"]["code"] == 0 and got["hold"]["code"] == HUGE_ROWS // 3
    with out.open(encoding="utf-8") as f:
        assert next(f) == "s,p,o\n" and sum(1 for _ in f) == HUGE_ROWS
    # Oxigraph's storage engine grows by about 160 bytes per row read (~50 MB here), our
    # part (the bounded caches of converted terms) by a few MB; holding the rows as Python
    # objects takes about 600 bytes each (~190 MB), a streaming that held them would show
    # both.
    holding_all = 3 * got["hold"]["growth_mb"]
    assert got["stream"]["growth_mb"] < holding_all / 2, got


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RssAnon from /proc (Linux)")
def test_a_huge_result_from_an_endpoint_streams_too(huge_store, tmp_path):
    server = start_ctn_serve(huge_store, tmp_path)
    try:
        text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 60000"
        (tmp_path / "some.rq").write_text(text, encoding="utf-8")
        got = measure(tmp_path, [
            ["stream", "cli", "query", "some.rq", "--endpoint", server.base + "/query", "-f", "csv", "-o", "some.csv"],
            ["hold", "hold", str(huge_store), text],
        ])  # fmt: skip
    finally:
        server.stop()
    assert got["stream"]["code"] == 0
    assert got["stream"]["growth_mb"] < got["hold"]["growth_mb"] / 3, got


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RssAnon from /proc (Linux)")
def test_a_huge_result_as_a_table_streams_too(huge_store, tmp_path):
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    (tmp_path / "all.rq").write_text(text, encoding="utf-8")
    out = tmp_path / "all.txt"
    got = measure(tmp_path, [
        ["stream", "cli", "query", "all.rq", "--graph", str(huge_store), "-f", "table", "-o", str(out)],
        ["hold", "hold", str(huge_store), text + f" LIMIT {HUGE_ROWS // 2}"],
    ])  # fmt: skip
    assert got["stream"]["code"] == 0 and got["hold"]["code"] == HUGE_ROWS // 2
    with out.open(encoding="utf-8") as f:
        lines = f.readlines()
    assert lines[0].split() == ["s", "p", "o"] and len(lines) == HUGE_ROWS + 3  # header, rule, rows, count
    assert lines[-1] == f"({HUGE_ROWS} rows)\n"
    # less than holding half of the rows; sizing the columns on every row held all of them
    # (180 MB here, of which about 50 MB is Oxigraph's storage engine reading them)
    assert got["stream"]["growth_mb"] < got["hold"]["growth_mb"], got


def _label_rows(labels: list[str]) -> Iterator[dict[str, object]]:
    from ctn_graph.sparql.query import Term

    for i, label in enumerate(labels):
        yield {"org": Term("uri", f"https://w3id.org/ctn/id/org/o{i}"), "label": Term("literal", label, "lv")}


def test_a_small_table_is_sized_on_every_row():
    from ctn_graph.sparql.query import QueryResult, ResultFormat
    from ctn_graph.sparql.results import write_result

    rows = list(_label_rows(["Valsts policija", "Biedrība  “Patvērums”\n Drošā māja", "x" * 70]))
    del rows[1]["org"]
    out = io.StringIO()
    assert write_result(QueryResult("SELECT", ["org", "label"], rows), ResultFormat.TABLE, out) == 3
    assert out.getvalue() == (
        "org           label\n"
        "------------  ------------------------------------------------------------\n"
        "ctnid:org/o0  Valsts policija\n"
        "              Biedrība “Patvērums” Drošā māja\n"
        "ctnid:org/o2  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\n"
        "(3 rows)\n"
    )


def test_a_large_table_starts_before_the_whole_result_is_read_and_keeps_its_columns():
    from ctn_graph.sparql.query import QueryResult, ResultFormat
    from ctn_graph.sparql.results import write_result

    read = [0]
    labels = ["Valsts policija"] * 5000
    labels[1200] = "Biedrība " + "ā" * 100  # longer than any of the rows the columns were sized on

    def rows() -> Iterator[dict[str, object]]:
        for row in _label_rows(labels):
            read[0] += 1
            yield row

    class Out(io.StringIO):
        read_at_first_write: int | None = None

        def write(self, text: str) -> int:
            if self.read_at_first_write is None:
                self.read_at_first_write = read[0]
            return super().write(text)

    out = Out()
    assert write_result(QueryResult("SELECT", ["label", "org"], rows()), ResultFormat.TABLE, out) == 5000
    assert out.read_at_first_write is not None and out.read_at_first_write <= 1001  # sized on the first 1,000
    lines = out.getvalue().splitlines()
    assert lines[-1] == "(5000 rows)" and len(lines) == 5003
    width = len(lines[1].split("  ")[0])  # the label column, as the rule under the header shows it
    assert width == len("Valsts policija")
    late = lines[2 + 1200]
    assert late == "Biedrība " + "ā" * (width - len("Biedrība ") - 1) + "…  ctnid:org/o1200", late
    assert all(row[width : width + 2] == "  " and row[width + 2] != " " for row in lines[2:-1])  # columns hold


# --------------------------------------------------------------------------- 5. hostile text end to end

FORMULA = "=cmd|' /C calc'!A0"
TERMINAL = "\x1b]0;pwned\x07\x1b[2J"  # set the terminal's title, clear the screen
SCRIPT_NAME = "Marta \"x\" 'y' </script><script>alert(3)</script>"
IMG_NAME = "Centrs<img src=x onerror=alert(2)>"
RTL_NAME = "Drošā\u202eāja\u200b māja"  # a right-to-left override and a zero-width space
FORMULA_NAME = f"Tilts {FORMULA}"
ESCAPE_NAME = f"Saule{TERMINAL} māja"
HTML_NAME = "Saule <script>alert(7)</script>"  # written &lt;script&gt; in an HTML page
HOSTILE_NAMES = {IMG_NAME, SCRIPT_NAME, RTL_NAME, FORMULA_NAME, ESCAPE_NAME, HTML_NAME}


def hostile_long_line() -> str:
    head = 'Projektu “Garais ceļš” finansē biedrība "Tālā Zeme" ' + " un ".join(["Valsts policija"] * 10)
    line = head + " " + "ā" * (10_000 - len(head) - 2) + "."
    assert len(line) == 10_000
    return line


def write_hostile_documents(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join([
        f"{FORMULA} <script>alert(1)</script> ziņa",
        "",
        "12.03.2019.",
        "",
        f'{FORMULA} Projekta “Drošs ceļš” vadošais partneris ir NVO "Astra <script>alert(1)</script>".',
        f'Projektu “Drošs ceļš” finansē biedrība "{IMG_NAME}".',
        f'Projekta “Drošs ceļš” partneri ir NVO "{SCRIPT_NAME}" un NVO "{RTL_NAME}".',
        f'+SUM(A1:A9) Projektu “Drošs ceļš” atbalsta NVO "{FORMULA_NAME}".',
        f'@SUM(1) Projektu “Drošs ceļš” finansē NVO "{ESCAPE_NAME}".',
        'NVO "Līnija',
        'lūzums" un Valsts policija.',
        hostile_long_line(),
    ])  # fmt: skip
    (folder / "hostile.txt").write_text(text, encoding="utf-8")
    page = (
        "<!doctype html><html><head><title>&lt;script&gt;alert(4)&lt;/script&gt;</title>"
        "<script>alert(5)</script></head><body><h1>Ziņa &lt;img src=x onerror=alert(6)&gt;</h1>"
        '<p>-2+3 Projektu “Otrs ceļš” finansē NVO "Saule &lt;script&gt;alert(7)&lt;/script&gt;".'
        "<p>Unclosed <b>bold <i>italic</div></body>"
    )
    (folder / "page.html").write_text(page, encoding="utf-8")


EVERY_TEXT = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ctn: <https://w3id.org/ctn/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?s ?text WHERE {
  { ?s skos:prefLabel|skos:altLabel|skos:hiddenLabel ?text
    FILTER (STRSTARTS(STR(?s), "https://w3id.org/ctn/id/org/")
            || STRSTARTS(STR(?s), "https://w3id.org/ctn/id/project/")) }
  UNION { ?s ctn:text ?text }
  UNION { ?s dcterms:title ?text }
}
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> SimpleNamespace:
    """`ctn-graph build` of the hostile documents, in a process of its own."""
    work = tmp_path_factory.mktemp("hostile")
    write_hostile_documents(work / "docs")
    done = subprocess.run([sys.executable, "-m", "ctn_graph.cli", "build", "docs", "-o", "graph.ttl", "--no-cache"],
                          cwd=work, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "documents: 2" in done.stdout, done.stdout
    (work / "every-text.rq").write_text(EVERY_TEXT, encoding="utf-8")
    return SimpleNamespace(work=work, ttl=work / "graph.ttl", store=work / "graph.store", query=work / "every-text.rq")


def visible(texts: set[str]) -> set[str]:
    """Texts with control characters as spaces: what they are once ingest drops them (see the tests below)."""
    return {re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", t) for t in texts}


def unescape_cell(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


def test_hostile_text_in_query_csv_cannot_become_a_formula(hostile, tmp_path):
    out = tmp_path / "texts.csv"
    result = cli("query", hostile.query, "--graph", hostile.store, "-f", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["s", "text"] and all(len(r) == 2 for r in rows)
    cells = [c for r in rows[1:] for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    texts = {unescape_cell(c) for c in cells}
    assert visible(HOSTILE_NAMES) <= visible(texts)  # every hostile name comes back whole
    assert f"'{FORMULA} <script>alert(1)</script> ziņa" in cells  # the title
    assert f'\'{FORMULA} Projekta “Drošs ceļš” vadošais partneris ir NVO "Astra <script>alert(1)</script>".' in cells
    assert any(c.startswith("'+SUM(A1:A9) ") for c in cells) and any(c.startswith("'-2+3 ") for c in cells)
    assert any(len(c) == 10_000 for c in cells)  # the long line, whole


def test_hostile_text_in_query_json_parses_and_keeps_every_character(hostile):
    result = cli("query", hostile.query, "--graph", hostile.store, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    values = {b["text"]["value"] for b in data["results"]["bindings"]}
    assert visible(HOSTILE_NAMES) <= visible(values)
    assert f"{FORMULA} <script>alert(1)</script> ziņa" in values


def test_hostile_names_as_parameters_find_themselves_and_nothing_else(hostile):
    for name in (SCRIPT_NAME, IMG_NAME, RTL_NAME, FORMULA_NAME):
        label = name if name != IMG_NAME else f'biedrība "{IMG_NAME}"'
        result = cli("query", "evidence-between-actors", "--graph", hostile.store,
                     "-p", "a=Drošs ceļš", "-p", f"b={label}", "-f", "json")  # fmt: skip
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)["results"]["bindings"]
        assert rows and {r["b"]["value"] for r in rows} == {label}, name
    nothing = cli("query", "evidence-between-actors", "--graph", hostile.store,
                  "-p", "a=Drošs ceļš", "-p", f"b={SCRIPT_NAME}\" }} UNION {{ ?s ?p ?o", "-f", "json")  # fmt: skip
    assert nothing.exit_code == 0 and json.loads(nothing.stdout)["results"]["bindings"] == []


def test_hostile_text_in_the_analyse_csv_is_safe(hostile, tmp_path):
    out = tmp_path / "measures.csv"
    result = cli("analyse", hostile.store, "-o", out)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    width = len(rows[0])
    assert all(len(r) == width and None not in r for r in rows)
    cells = [c for r in rows for k, c in r.items() if k not in ("rank", "degree", "strength", "betweenness",
             "eigenvector", "community", "participation", "bridges", "constraint", "component")]  # fmt: skip
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    labels = {unescape_cell(r["label"]) for r in rows}
    assert visible({SCRIPT_NAME, RTL_NAME, FORMULA_NAME, ESCAPE_NAME, HTML_NAME}) <= visible(labels)


def test_hostile_text_in_the_network_page_is_never_markup(hostile, tmp_path):
    out = tmp_path / "network.html"
    result = cli("viz", hostile.store, "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    opening = '<script type="application/json" id="ctn-data">'
    start = page.index(opening) + len(opening)
    end = page.index("</script>", start)
    block = page[start:end]
    # nothing from the documents can close the block or break the script that reads it
    assert "<" not in block and not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u2028\u2029]", block)
    for raw in ("<script>alert", "<img", "onerror=alert(2)>", "</script><script>alert(3)"):
        assert raw not in page
    outside = page[:start] + page[end:]
    assert not re.search(r"alert\([1-7]\)", outside)  # the documents' text is only in the data block
    data = json.loads(block)
    labels = {n["label"] for n in data["nodes"]}
    assert visible({SCRIPT_NAME, RTL_NAME, FORMULA_NAME, ESCAPE_NAME, HTML_NAME}) <= visible(labels)  # as text
    sentences = {ev[1] for e in data["edges"] for ev in e["ev"]}
    assert f'Projektu “Drošs ceļš” finansē biedrība "{IMG_NAME}".' in sentences


def test_hostile_text_keeps_xml_outputs_well_formed(hostile, tmp_path):
    import xml.dom.minidom

    rdf = tmp_path / "graph.rdf"
    built = cli("build", hostile.work / "docs", "-o", rdf, "--no-store", "--no-cache", "-q")
    assert built.exit_code == 0, built.output
    for ext in ("graphml", "gexf"):
        assert cli("export-network", hostile.store, "-o", tmp_path / f"network.{ext}").exit_code == 0
    for path in (rdf, tmp_path / "network.graphml", tmp_path / "network.gexf"):
        xml.dom.minidom.parse(str(path))  # raises ExpatError: not well-formed (invalid token)


def test_hostile_text_sends_no_control_characters_to_the_terminal(hostile):
    table = cli("query", hostile.query, "--graph", hostile.store)
    analysed = cli("analyse", hostile.store)
    assert table.exit_code == 0 and analysed.exit_code == 0
    for output in (table.stdout, analysed.stdout):
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", output), repr(output[:200])


# --------------------------------------------------------------------------- nothing lost: a build with nothing to read


@pytest.mark.parametrize("corpus", ["every file skipped", "an empty folder"])
def test_a_build_with_nothing_to_read_keeps_the_previous_graph(corpus, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Projekta vadošais partneris: Valsts policija.\n", encoding="utf-8")
    out = tmp_path / "graph.ttl"
    assert cli("build", good, "-o", out, "-q", "--no-cache").exit_code == 0
    before = out.read_bytes()
    store_count = len(ox.Store.read_only(str(tmp_path / "graph.store")))
    docs = tmp_path / "docs"
    docs.mkdir()
    if corpus == "every file skipped":
        (docs / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = cli("build", docs, "-o", out, "--no-cache")
    assert result.exit_code == 1, result.output
    assert str(docs) in result.output
    assert out.read_bytes() == before
    assert len(ox.Store.read_only(str(tmp_path / "graph.store"))) == store_count


def test_a_looping_link_among_the_documents_is_reported_and_the_others_build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Projektu finansē Eiropas Komisija.\n", encoding="utf-8")
    (docs / "self.txt").symlink_to(docs / "self.txt")
    result = cli("build", docs, "-o", tmp_path / "graph.ttl", "--no-cache")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0
    assert f"skipped: {docs / 'self.txt'}: cannot read" in result.output
    assert "documents: 1 (1 skipped)" in result.output


@pytest.fixture(scope="module")
def interrupted_build(tmp_path_factory) -> SimpleNamespace:
    """A build, then a larger one into the same output stopped with Ctrl-C (SIGINT) half-way."""
    work = tmp_path_factory.mktemp("interrupted")
    out = work / "graph.ttl"
    done = subprocess.run(build_cmd(SEEDS, out), cwd=work, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    before = out.read_bytes()
    store_before = len(ox.Store.read_only(str(work / "graph.store")))
    big = work / "big"
    big.mkdir()
    for i in range(150):  # far more than 2 s of work, however fast the build gets
        for p in SEEDS.glob("*.txt"):
            (big / f"{i:02d}-{p.name}").write_bytes(p.read_bytes())
    proc = subprocess.Popen(build_cmd(big, out), cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    running = proc.poll() is None
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    return SimpleNamespace(
        work=work,
        running=running,
        code=proc.returncode,
        stderr=stderr,
        before=before,
        after=out.read_bytes(),
        store_before=store_before,
        store_after=len(ox.Store.read_only(str(work / "graph.store"))),
    )


def test_ctrl_c_leaves_the_previous_graph_and_no_temporary_files(interrupted_build):
    b = interrupted_build
    assert b.running, "the build finished before it could be interrupted"
    assert b.code == 130
    assert b.after == b.before and b.store_after == b.store_before
    assert sorted(p.name for p in b.work.iterdir()) == [".ctn-graph", "big", "graph.store", "graph.ttl"]


def test_ctrl_c_says_interrupted(interrupted_build):
    assert interrupted_build.code == 130
    assert "interrupted" in interrupted_build.stderr


# --------------------------------------------------------------------------- 6. two processes


def build_cmd(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "ctn_graph.cli", "build", str(corpus), "-o", str(out), "-q", "--no-cache"]


def count_query(url: str) -> str:
    data = json.loads(sparql_get(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=10))
    return str(data["results"]["bindings"][0]["n"]["value"])


def test_a_build_replaces_the_store_under_a_running_serve(tmp_path):
    work = tmp_path
    out = work / "graph.ttl"
    first = subprocess.run(build_cmd(SEEDS, out), cwd=work, capture_output=True, text=True, timeout=120, check=False)
    assert first.returncode == 0, first.stderr
    old_count = len(ox.Store.read_only(str(work / "graph.store")))
    server = start_ctn_serve(work / "graph.store", work)
    url = server.base + "/query"
    outcomes: dict[str, int] = {}
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                key = "rows: " + count_query(url)
            except urllib.error.HTTPError as e:  # a clean failure: an HTTP answer with a reason
                key = f"HTTP {e.code}: {e.read()[:100]!r}"
            except Exception as e:  # noqa: BLE001 - anything else is not clean
                key = f"unclean: {e!r}"
            outcomes[key] = outcomes.get(key, 0) + 1

    asker = threading.Thread(target=ask, daemon=True)
    try:
        asker.start()
        more = work / "more"
        more.mkdir()
        for p in SEEDS.glob("*.txt"):
            (more / p.name).write_bytes(p.read_bytes())
        (more / "extra.txt").write_text("Projektu “Drošs ceļš” finansē Eiropas Komisija.\n", encoding="utf-8")
        second = subprocess.run(build_cmd(more, out), cwd=work, capture_output=True, text=True, timeout=120,
                                check=False)  # fmt: skip
        time.sleep(0.3)
        stop.set()
        asker.join(15)
        assert second.returncode == 0, second.stderr
        assert server.proc.poll() is None, server.log_tail()
        assert not [k for k in outcomes if k.startswith("unclean")], outcomes
        assert sum(outcomes.values()) >= 5, outcomes
        assert count_query(url)  # still answering after the swap
        new_count = len(ox.Store.read_only(str(work / "graph.store")))
        assert new_count > old_count  # the new store is whole and in place
        result = cli("query", "projects-by-funder", "--graph", work / "graph.store", "-f", "csv")
        assert result.exit_code == 0 and "Drošs ceļš" in result.stdout  # another process reads it meanwhile
        assert sorted(p.name for p in work.iterdir() if p.name.startswith(".graph")) == []  # no leftovers
    finally:
        stop.set()
        server.stop()


def test_two_builds_of_the_same_output_at_once_both_finish_and_the_last_one_wins(tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    (small / "small.txt").write_text("Projekta vadošais partneris: Valsts policija.\n", encoding="utf-8")
    large = tmp_path / "large"
    large.mkdir()
    for i in range(15):  # a few seconds of extraction, so the small build is done well before it
        for p in SEEDS.glob("*.txt"):
            (large / f"{i:02d}-{p.name}").write_bytes(p.read_bytes())
    out = tmp_path / "graph.ttl"
    slow = subprocess.Popen(build_cmd(large, out), cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    fast = subprocess.Popen(build_cmd(small, out), cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        assert fast.wait(120) == 0, fast.stderr.read() if fast.stderr else ""
        assert slow.poll() is None, "the large build finished first: the test proves nothing"
        assert slow.wait(120) == 0, slow.stderr.read() if slow.stderr else ""
    finally:
        for p in (slow, fast):
            if p.poll() is None:
                p.kill()
                p.wait()
    file_docs = docs_in(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    store_docs = docs_in(ox.Store.read_only(str(tmp_path / "graph.store")))
    assert file_docs == store_docs and len(file_docs) == 75  # both from the large build, the last to finish
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ctn-graph", "graph.store", "graph.ttl", "large", "small"]


def docs_in(quads) -> set[str]:  # noqa: ANN001
    doc = "https://w3id.org/ctn/id/doc/"
    return {
        q.subject.value
        for q in quads
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(doc) and "/s/" not in q.subject.value
    }


EX = "https://w3id.org/ctn/id/test/"


def _quads(tag: str, n: int) -> list[ox.Quad]:
    return [
        ox.Quad(
            ox.NamedNode(f"{EX}{tag}/{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(tag), ox.DefaultGraph()
        )
        for i in range(n)
    ]


def _swap_in_child(workdir: str, role: str, barrier, first_moved, second_done, results) -> None:  # noqa: ANN001
    """write_store_dir in a process of its own, its first rename held so that the two
    swaps overlap: both have seen the old store before either moves it aside."""
    import threading as th

    from ctn_graph.rdf import store as store_module

    os.chdir(workdir)
    real = os.replace
    first_call = [True]

    def replace(src, dst):  # noqa: ANN001, ANN202
        if not first_call[0]:
            return real(src, dst)
        first_call[0] = False
        try:
            barrier.wait(3)
        except th.BrokenBarrierError:  # the other process is not there: a lock keeps it out
            pass
        if role == "second":
            first_moved.wait(3)
            try:
                return real(src, dst)
            finally:
                second_done.set()
        real(src, dst)
        first_moved.set()
        second_done.wait(3)
        return None

    store_module.os.replace = replace  # in this child process only
    source = ox.Store()
    source.bulk_extend(_quads(role, 10 if role == "first" else 20))
    try:
        store_module.write_store_dir(source, Path(workdir) / "graph.store")
        results.put((role, "ok"))
    except Exception as e:  # noqa: BLE001
        results.put((role, f"{type(e).__name__}: {e}"))


def test_two_stores_swapped_in_at_the_same_moment_both_succeed(tmp_path):
    write_store_dir(_store_of(_quads("old", 5)), tmp_path / "graph.store")
    ctx = multiprocessing.get_context("spawn")  # RocksDB is not fork-safe once a store was opened
    barrier, first_moved, second_done, results = ctx.Barrier(2), ctx.Event(), ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_swap_in_child, args=(str(tmp_path), role, barrier, first_moved, second_done, results))
        for role in ("first", "second")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
        if p.is_alive():
            p.kill()
    outcome = dict(results.get(timeout=5) for _ in procs)
    count = len(ox.Store.read_only(str(tmp_path / "graph.store")))
    assert count in (10, 20)  # one whole store in place, never a broken one
    assert outcome == {"first": "ok", "second": "ok"}, outcome


def _store_of(quads: list[ox.Quad]) -> ox.Store:
    s = ox.Store()
    s.bulk_extend(quads)
    return s


def _build_in_child(workdir: str, role: str, first_wrote_file, second_wrote_store, results) -> None:  # noqa: ANN001
    """build (pipeline/build.py) in a process of its own, its writes ordered: first's graph file, second's
    graph file and store, then first's store."""
    os.chdir(workdir)
    from ctn_graph.pipeline import build as api
    from ctn_graph.rdf import export
    from ctn_graph.rdf import store as store_module

    real_file, real_store = export.write_store, store_module.write_store_dir

    def write_file(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if role == "second":
            first_wrote_file.wait(3)
        real_file(*args, **kwargs)
        if role == "first":
            first_wrote_file.set()
            second_wrote_store.wait(3)

    def write_store(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        real_store(*args, **kwargs)
        if role == "second":
            second_wrote_store.set()

    export.write_store, store_module.write_store_dir = write_file, write_store
    doc = Path(workdir) / role / f"{role}.txt"
    try:
        out = Path(workdir) / "graph.ttl"
        api.build([doc], out, store_dir=Path(workdir) / "graph.store")
        results.put((role, "ok"))
    except Exception as e:  # noqa: BLE001
        results.put((role, f"{type(e).__name__}: {e}"))


def test_two_overlapping_builds_leave_the_graph_file_and_the_store_of_the_same_build(tmp_path):
    for role, text in (("first", "Projekta vadošais partneris: Valsts policija."),
                       ("second", "Projektu finansē Eiropas Komisija.")):  # fmt: skip
        (tmp_path / role).mkdir()
        (tmp_path / role / f"{role}.txt").write_text(text + "\n", encoding="utf-8")
    ctx = multiprocessing.get_context("spawn")  # RocksDB is not fork-safe once a store was opened
    first_wrote_file, second_wrote_store, results = ctx.Event(), ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_build_in_child, args=(str(tmp_path), role, first_wrote_file, second_wrote_store, results))
        for role in ("first", "second")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        if p.is_alive():
            p.kill()
    assert dict(results.get(timeout=5) for _ in procs) == {"first": "ok", "second": "ok"}
    file_docs = docs_in(ox.parse(path=str(tmp_path / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    store_docs = docs_in(ox.Store.read_only(str(tmp_path / "graph.store")))
    assert len(file_docs) == 1 and len(store_docs) == 1
    assert file_docs == store_docs


# --------------------------------------------------------------------------- the list of cases


def test_every_test_docs_robustness_cites_exists():
    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "robustness.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"(tests/test_\w+\.py)::(test_\w+)", doc))
    assert len(cited) > 60
    missing = [
        f"{path}::{name}"
        for path, name in sorted(cited)
        if not re.search(rf"^def {name}\(", (root / path).read_text(encoding="utf-8"), re.M)
    ]
    assert not missing, missing
    mine = set(re.findall(r"^def (test_\w+)\(", Path(__file__).read_text(encoding="utf-8"), re.M))
    assert (
        not mine
        - {name for path, name in cited if path == "tests/test_faults.py"}
        - {"test_every_test_docs_robustness_cites_exists"}
    ), "a test of this file that docs/robustness.md does not list"

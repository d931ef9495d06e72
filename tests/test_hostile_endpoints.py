"""Endpoints that attack the client (issue 14): redirects on a write, credentials sent on
to another origin, answers trickled a byte at a time, answers that break HTTP or are not
SPARQL results, and N-Triples split at characters that are not line ends.

Each test runs `query` or `push` against `Hostile` (tests/hostile.py), raw bytes on a
socket on 127.0.0.1, or a `Hostile` in front of a real Oxigraph server; the commands that
could hang run in a child process with a hard timeout. docs/robustness.md quotes the
messages.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

import ctn_graph.sparql.endpoint as endpoint_module
from ctn_graph.cli import app
from ctn_graph.sparql.endpoint import _chunks, push_ntriples

from .hostile import JSON_RESULTS, Hostile, answer, count_json, hostile, reply, select_json, trickle
from .servers import start_oxigraph

runner = CliRunner()
TINY_NT = '<https://w3id.org/ctn/id/test/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "A"@lv .\n'
GRAPH = "https://w3id.org/ctn/id/graph/ctn"
QUERY = "SELECT ?x WHERE { ?x ?p ?o }"


def cli(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def one_line_error(result, starts: str) -> str:
    """The command failed with one line, `error: URL: problem`, and no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not an uncaught exception
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message, message
    assert message.startswith(starts), message
    return message


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def no_pauses(monkeypatch) -> list[float]:
    taken: list[float] = []
    monkeypatch.setattr(endpoint_module, "time", SimpleNamespace(sleep=taken.append))
    return taken


@pytest.fixture
def tiny_graph(tmp_path) -> Path:
    path = tmp_path / "tiny.nt"
    path.write_text(TINY_NT, encoding="utf-8")
    return path


@pytest.fixture
def query_file(tmp_path) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(QUERY, encoding="utf-8")
    return path


def run_cli(args: list[object], timeout: float, cwd: Path) -> tuple[subprocess.CompletedProcess[str] | None, float]:
    """`python -m ctn_graph.cli ARGS` in a child process, killed after `timeout` seconds
    (then None): the commands that used to hang."""
    t0 = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "ctn_graph.cli", *map(str, args)], cwd=cwd, capture_output=True,
                              text=True, timeout=timeout, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - t0
    return done, time.monotonic() - t0


# --------------------------------------------------------------------------- 3. a write is never redirected

REDIRECT_CODES = ["301 Moved Permanently", "302 Found", "303 See Other", "307 Temporary Redirect",
                  "308 Permanent Redirect"]  # fmt: skip


@pytest.mark.parametrize("status", REDIRECT_CODES, ids=lambda s: s.split()[0])
def test_a_push_answered_with_a_redirect_is_an_error_and_goes_nowhere_else(status, tiny_graph, no_pauses):
    with hostile(reply(answer("200 OK", count_json(1), JSON_RESULTS))) as elsewhere:
        moved = elsewhere.base + "/elsewhere"
        with hostile(reply(answer(status, b"", (("Location", moved),)))) as store:
            result = cli("push", "--endpoint", store.base + "/query", "--graph", tiny_graph)
    message = one_line_error(result, f"error: {store.base}/update: HTTP {status}, redirected to {moved}")
    assert "a write is never redirected" in message and "pushed" not in result.output
    assert f"{store.base}/store?graph=" in message and f"{store.base}/data?graph=" in message  # each guess named
    assert elsewhere.requests == []  # nothing followed the redirect
    assert [r.method for r in store.requests] == ["PUT", "PUT", "POST"]  # the guesses and the probe; no data


def test_a_push_to_a_given_url_that_redirects_names_the_url_and_the_location(tiny_graph, no_pauses):
    with hostile(reply(answer("302 Found", b"", (("Location", "/other"),)))) as store:
        gsp = store.base + "/store"
        result = cli("push", "--endpoint", store.base + "/query", "--gsp", gsp, "--method", "graph-store",
                     "--graph", tiny_graph)  # fmt: skip
    one_line_error(result, f"error: {gsp}?graph=https%3A%2F%2Fw3id.org%2Fctn%2Fid%2Fgraph%2Fctn: HTTP 302 Found, "
                           f"redirected to {store.base}/other: a write is never redirected")  # fmt: skip
    assert len(store.requests) == 1


def _store_that_keeps(n: int, method: str = "PUT"):
    """Answers every write with a success and the count query with `n`."""

    def script(server: Hostile, sock, request) -> None:
        body = urllib.parse.parse_qs(request.body.decode()).get("query", [""])[0]
        if request.method == "POST" and "COUNT" in body:
            sock.sendall(answer("200 OK", count_json(n), JSON_RESULTS))
        else:
            sock.sendall(answer("204 No Content"))

    return script


@pytest.mark.parametrize("method", ["graph-store", "update"])
def test_a_store_that_acknowledges_a_push_but_keeps_nothing_is_an_error(method, tiny_graph, no_pauses):
    with hostile(_store_that_keeps(0)) as store:
        result = cli("push", "--endpoint", store.base + "/query", "--method", method, "--graph", tiny_graph)
    url = store.base + ("/store" if method == "graph-store" else "/update")
    message = one_line_error(result, f"error: {url}: the store answered the push with a success, but ")
    assert f"<{GRAPH}> holds 0 triples, not the 1 sent (counted at {store.base}/query)" in message
    assert "pushed" not in result.output


def test_a_store_that_keeps_what_was_pushed_passes_the_check(tiny_graph, no_pauses):
    with hostile(_store_that_keeps(1)) as store:
        result = cli("push", "--endpoint", store.base + "/query", "--graph", tiny_graph)
    assert result.exit_code == 0, result.output
    assert f"pushed 1 triples to <{GRAPH}> at {store.base}/store (graph-store)" in result.output
    counted = [r for r in store.requests if r.method == "POST"]
    assert len(counted) == 1 and "COUNT" in urllib.parse.unquote_plus(counted[0].body.decode())


def test_a_push_whose_check_cannot_be_answered_is_an_error(tiny_graph, no_pauses):
    def script(server, sock, request) -> None:
        sock.sendall(answer("201 Created") if request.method == "PUT" else answer("404 Not Found", b"no such thing"))

    with hostile(script) as store:
        result = cli("push", "--endpoint", store.base + "/query", "--graph", tiny_graph)
    message = one_line_error(result, f"error: {store.base}/store: the store answered the push with a success, "
                                     f"but the graph could not be counted at {store.base}/query")  # fmt: skip
    assert "HTTP 404" in message


# --------------------------------------------------------------------------- 6. credentials only to the named origin


def _redirect_to(target: str, status: str = "307 Temporary Redirect"):
    return reply(answer(status, b"", (("Location", target),)))


@pytest.mark.parametrize("status", ["302 Found", "307 Temporary Redirect", "308 Permanent Redirect"],
                         ids=lambda s: s.split()[0])  # fmt: skip
def test_a_query_redirected_to_another_port_carries_no_password(status, query_file):
    with hostile(reply(answer("200 OK", select_json(2), JSON_RESULTS))) as other:
        with hostile(_redirect_to(other.base + "/query", status)) as named:
            result = cli("query", query_file, "--endpoint", named.base + "/query", "--user", "ctn",
                         "--password", "secret", "-f", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output  # the redirect is followed for a query ...
    assert result.output.splitlines() == ["x", "rinda 0", "rinda 1"]
    assert named.requests[0].header("Authorization") == "Basic " + base64.b64encode(b"ctn:secret").decode()
    assert [r.header("Authorization") for r in other.requests] == [None]  # ... without the credentials


def test_a_query_follows_no_redirect_loop_and_no_redirect_out_of_http(query_file):
    def loop(server, sock, request) -> None:
        sock.sendall(answer("307 Temporary Redirect", b"", (("Location", request.path),)))

    with hostile(loop) as store:
        url = store.base + "/query"
        looped = cli("query", query_file, "--endpoint", url)
    one_line_error(looped, f"error: {url}: more than 5 redirects (the last to {url})")
    assert len(store.requests) == 6
    elsewhere = [("file:///etc/passwd", "only http and https are followed"), ("http://[::1/x", "not a valid URL"),
                 ("http://127.0.0.1:99999/x", "not a valid URL")]  # fmt: skip
    for location, problem in elsewhere:
        with hostile(_redirect_to(location)) as store:
            url = store.base + "/query"
            result = cli("query", query_file, "--endpoint", url)
        message = one_line_error(result, f"error: {url}: HTTP 307 Temporary Redirect, redirected to ")
        assert problem in message and "root:" not in message, message


def test_a_digest_challenge_from_another_origin_is_not_answered(query_file):
    challenge = (("WWW-Authenticate", 'Digest realm="store", nonce="n0nce", qop="auth"'),)
    with hostile(reply(answer("401 Unauthorized", b"who are you", challenge))) as other:
        with hostile(_redirect_to(other.base + "/query")) as named:
            result = cli("query", query_file, "--endpoint", named.base + "/query", "--user", "dba",
                         "--password", "secret", "--digest")  # fmt: skip
    message = one_line_error(result, f"error: {other.base}/query: HTTP 401: not allowed (check --user/--password)")
    assert f"redirected from {named.base}/query; credentials are sent only to {named.base}/query" in message
    assert [r.header("Authorization") for r in other.requests] == [None]  # asked once, never answered


def test_a_digest_challenge_from_the_named_origin_is_answered_once(query_file):
    challenge = (("WWW-Authenticate", 'Digest realm="store", nonce="n0nce", qop="auth"'),)

    def script(server, sock, request) -> None:
        if request.header("Authorization"):
            sock.sendall(answer("200 OK", select_json(1), JSON_RESULTS))
        else:
            sock.sendall(answer("401 Unauthorized", b"", challenge))

    with hostile(script) as named:
        result = cli("query", query_file, "--endpoint", named.base + "/query", "--user", "dba", "--password", "pw",
                     "--digest", "-f", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    auth = [r.header("Authorization") or "" for r in named.requests]
    assert auth[0] == "" and auth[1].startswith('Digest username="dba", realm="store"') and len(auth) == 2


def test_a_push_with_a_password_is_never_redirected_to_another_port(tiny_graph, no_pauses):
    with hostile(reply(answer("200 OK", count_json(1), JSON_RESULTS))) as other:
        with hostile(_redirect_to(other.base + "/update", "302 Found")) as named:
            result = cli("push", "--endpoint", named.base + "/query", "--update", named.base + "/update",
                         "--method", "update", "--graph", tiny_graph,
                         "--user", "ctn", "--password", "secret")  # fmt: skip
    one_line_error(result, f"error: {named.base}/update: HTTP 302 Found, redirected to {other.base}/update")
    assert other.requests == []  # neither the credentials nor the data went there


# --------------------------------------------------------------------------- 8. the timeout bounds the whole request

HEAD_200 = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n\r\n"


@pytest.mark.parametrize(
    "what,script",
    [
        ("a body trickled a byte every 0.5 s", trickle(HEAD_200, select_json(500))),
        ("the status line and headers trickled", trickle(b"", HEAD_200 + select_json(5))),
        ("rows at once, then a byte every 0.5 s", trickle(HEAD_200 + select_json(2000)[:40000],
                                                          select_json(2000)[40000:])),
    ],
    ids=["body", "headers", "mid-answer"],
)
def test_a_trickling_store_cannot_hold_a_query_past_its_timeout(what, script, tmp_path):
    (tmp_path / "q.rq").write_text(QUERY, encoding="utf-8")
    with hostile(script, life_s=60) as store:
        url = store.base + "/query"
        done, elapsed = run_cli(["query", "q.rq", "--endpoint", url, "--timeout", "3", "-f", "csv", "-o", "out.csv"],
                                timeout=30, cwd=tmp_path)  # fmt: skip
    assert done is not None, f"{what}: still running after {elapsed:.0f} s (--timeout 3)"
    assert elapsed < 8, f"{what}: {elapsed:.1f} s"
    assert done.returncode == 1
    message = done.stderr.strip()
    assert message in (f"error: {url}: the answer was not complete within 3 s (--timeout)",
                       f"error: {url}: no answer within 3 s (--timeout)"), message  # fmt: skip
    assert not (tmp_path / "out.csv").exists()


def test_a_tls_handshake_trickled_cannot_hold_a_query_past_its_timeout(tmp_path):
    """https://: the handshake is part of the request (a TLS record header announcing 16 kB,
    then a byte every 0.5 s)."""
    (tmp_path / "q.rq").write_text(QUERY, encoding="utf-8")
    with hostile(trickle(b"\x16\x03\x03\x40\x00", b"\x02" * 200), life_s=60) as store:
        url = f"https://127.0.0.1:{store.port}/query"
        done, elapsed = run_cli(["query", "q.rq", "--endpoint", url, "--timeout", "2"], timeout=30, cwd=tmp_path)
    assert done is not None, f"still running after {elapsed:.0f} s (--timeout 2)"
    assert elapsed < 7 and done.returncode == 1, (elapsed, done.stderr)
    assert done.stderr.strip() == f"error: {url}: no answer within 2 s (--timeout)"


def test_a_proxy_trickling_its_tunnel_answer_cannot_hold_a_query_past_its_timeout(tmp_path):
    """https:// through https_proxy: the proxy's answer to CONNECT is part of the request too."""
    (tmp_path / "q.rq").write_text(QUERY, encoding="utf-8")
    with hostile(trickle(b"", b"HTTP/1.1 200 Connection established\r\n\r\n"), life_s=60) as proxy:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env["https_proxy"] = proxy.base
        url = "https://store.invalid/query"
        t0 = time.monotonic()
        try:
            done = subprocess.run([sys.executable, "-m", "ctn_graph.cli", "query", "q.rq", "--endpoint", url,
                                   "--timeout", "2"], cwd=tmp_path, env=env, capture_output=True, text=True,
                                  timeout=30, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running after {time.monotonic() - t0:.0f} s (--timeout 2)")
    assert time.monotonic() - t0 < 7 and done.returncode == 1, done.stderr
    assert done.stderr.strip() == f"error: {url}: no answer within 2 s (--timeout)"
    assert proxy.requests[0].method == "CONNECT" and proxy.requests[0].path == "store.invalid:443"


def test_a_trickling_store_cannot_hold_a_push_past_its_timeout(tmp_path):
    (tmp_path / "tiny.nt").write_text(TINY_NT, encoding="utf-8")
    with hostile(trickle(b"", b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"), life_s=60) as store:
        gsp = store.base + "/store"
        done, elapsed = run_cli(["push", "--endpoint", store.base + "/query", "--gsp", gsp, "--method", "graph-store",
                                 "--graph", "tiny.nt", "--timeout", "2"], timeout=30, cwd=tmp_path)  # fmt: skip
    assert done is not None, f"still running after {elapsed:.0f} s (--timeout 2)"
    assert elapsed < 7 and done.returncode == 1, (elapsed, done.stderr)
    assert done.stderr.strip() == f"error: {gsp}?graph=https%3A%2F%2Fw3id.org%2Fctn%2Fid%2Fgraph%2Fctn: " \
                                  "no answer within 2 s (--timeout)"  # fmt: skip
    assert len(store.requests) == 1  # not sent again


# --------------------------------------------------------------------------- 14. answers not HTTP or not SPARQL

HUNDRED_HEADERS = tuple((f"X-Header-{i}", "x") for i in range(150))
SIGN_IN = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>x</body></html>"
CASES = {
    "an HTML page": (answer("200 OK", SIGN_IN, (("Content-Type", "text/html"),)),
                     "the answer is an HTML page (Sign in), not SPARQL results: is this the URL of the SPARQL "
                     "endpoint?"),
    "an empty 200 answer": (answer("200 OK", b"", JSON_RESULTS),
                            "the answer is empty (HTTP 200 with no body), not SPARQL results"),
    "a body cut short": (answer("200 OK", select_json(50)[:300], JSON_RESULTS, length=5000),
                         "the answer was cut short (after 300 bytes, 4700 more were announced)"),
    "JSON that is not SPARQL results": (answer("200 OK", b'{"hello": "world"}', JSON_RESULTS),
                                        "the answer is not SPARQL results ("),
    "a malformed status line": (b"HTTP/1.1 two hundred OK\r\n\r\n", "not an HTTP answer (status line"),
    "not HTTP at all": (b"SSH-2.0-OpenSSH_9.2\r\n", "not an HTTP answer (status line"),
    "more than 100 headers": (answer("200 OK", select_json(1), HUNDRED_HEADERS),
                              "not an HTTP answer (more than 100 headers)"),
    "a connection closed without an answer": (b"", "Remote end closed connection without response"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_query_on_a_broken_answer_is_one_line_naming_the_url(case, query_file):
    data, problem = CASES[case]
    with hostile(reply(data)) as store:
        url = store.base + "/query"
        result = cli("query", query_file, "--endpoint", url, "-o", "out.csv", "-f", "csv")
    message = one_line_error(result, f"error: {url}: ")
    assert problem in message, message
    assert not Path("out.csv").exists()


@pytest.mark.parametrize("case", ["a malformed status line", "not HTTP at all", "more than 100 headers"])
def test_a_push_on_a_broken_answer_is_one_line_naming_the_url(case, tiny_graph, no_pauses):
    data, problem = CASES[case]
    with hostile(reply(data)) as store:
        gsp = store.base + "/store"
        result = cli("push", "--endpoint", store.base + "/query", "--gsp", gsp, "--method", "graph-store",
                     "--graph", tiny_graph)  # fmt: skip
    message = one_line_error(result, f"error: {gsp}?graph=")
    assert problem in message and no_pauses == [], message  # an answer that is not HTTP is not retried


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "/tmp/store", "http:///query",
                                 "http://127.0.0.1:port/query"])  # fmt: skip
def test_only_http_and_https_endpoints_are_accepted(url, query_file, tiny_graph):
    result = cli("query", query_file, "--endpoint", url)
    message = one_line_error(result, f"error: {url}: ")
    assert any(p in message for p in ("only http:// and https:// endpoints", "names no host", "not a valid URL"))
    assert "root:" not in result.output
    pushed = cli("push", "--endpoint", url, "--graph", tiny_graph)
    one_line_error(pushed, f"error: {url}: ")


# --------------------------------------------------------------------------- 15. N-Triples split only at \n

LINE_BREAKS = ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("ch", LINE_BREAKS, ids=lambda c: f"U+{ord(c):04X}")
def test_n_triples_are_cut_only_at_line_feeds(ch):
    line = f'<urn:a> <urn:b> "x{ch}y" .'.encode()
    assert _chunks(line + b"\n" + line + b"\n", 1000) == [line + b"\n" + line]
    assert _chunks((line + b"\n") * 3, 2) == [line + b"\n" + line, line]


@pytest.fixture
def oxigraph(tmp_path):
    server = start_oxigraph(tmp_path / "oxigraph")
    try:
        yield server
    finally:
        server.stop()


def _literals(server) -> list[str]:
    req = urllib.request.Request(
        server.base + "/query?" + urllib.parse.urlencode({"query": "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return sorted(b["o"]["value"] for b in json.loads(resp.read())["results"]["bindings"])


def test_a_push_by_update_keeps_literals_with_every_line_break_character(oxigraph, tmp_path, no_pauses):
    values = [f"Biedrība{ch}“Drošā māja”" for ch in LINE_BREAKS]
    # raw in the N-Triples (the push API takes bytes; pyoxigraph's own output escapes some of them)
    nt = "".join(f'<urn:ctn:s{i}> <urn:ctn:label> "{v}" .\n' for i, v in enumerate(values)).encode()
    result = push_ntriples(nt, len(values), oxigraph.base + "/query", GRAPH, method="update")
    assert result.method == "update" and result.triples == len(values)
    assert _literals(oxigraph) == sorted(values)


def test_push_method_update_of_a_graph_file_with_u2028_and_u0085(oxigraph, tmp_path, no_pauses):
    graph = tmp_path / "g.ttl"
    graph.write_text('<urn:ctn:a> <urn:ctn:label> "viena\u2028otra\u0085trešā\u2029" .\n', encoding="utf-8")
    result = cli("push", "--endpoint", oxigraph.base + "/query", "--graph", graph, "--method", "update")
    assert result.exit_code == 0, result.output
    assert _literals(oxigraph) == ["viena\u2028otra\u0085trešā\u2029"]


# --------------------------------------------------------------------------- the environment's proxy, as urllib used it


def test_queries_and_pushes_go_through_the_environments_http_proxy(monkeypatch, query_file, tiny_graph, no_pauses):
    def script(server, sock, request) -> None:
        query = urllib.parse.parse_qs(request.body.decode()).get("query", [""])[0]
        if request.method == "POST" and "COUNT" in query:
            sock.sendall(answer("200 OK", count_json(1), JSON_RESULTS))
        elif request.method == "POST":
            sock.sendall(answer("200 OK", select_json(1), JSON_RESULTS))
        else:
            sock.sendall(answer("204 No Content"))

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with hostile(script) as proxy:
        monkeypatch.setenv("http_proxy", f"http://ctn:pr%40xy@127.0.0.1:{proxy.port}")
        result = cli("query", query_file, "--endpoint", "http://store.invalid/query", "-f", "csv")
        pushed = cli("push", "--endpoint", "http://store.invalid/query", "--graph", tiny_graph)
    assert result.exit_code == 0 and result.output.splitlines() == ["x", "rinda 0"], result.output
    assert pushed.exit_code == 0, pushed.output
    assert [r.path for r in proxy.requests] == ["http://store.invalid/query", "http://store.invalid/store?graph="
                                                "https%3A%2F%2Fw3id.org%2Fctn%2Fid%2Fgraph%2Fctn",
                                                "http://store.invalid/query"]  # fmt: skip
    assert {r.header("Proxy-Authorization") for r in proxy.requests} == {
        "Basic " + base64.b64encode(b"ctn:pr@xy").decode()
    }

"""Endpoints and the client (issue 14): N-Triples split at characters that are not line ends.

Each test runs `query` or `push` against `Hostile` (tests/hostile.py), raw bytes on a
socket on 127.0.0.1, or a `Hostile` in front of a real Oxigraph server; the commands that
could hang run in a child process with a hard timeout. docs/robustness.md quotes the
messages.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

import ctn_graph.endpoint as endpoint_module
from ctn_graph.cli import app
from ctn_graph.endpoint import _chunks, push_ntriples

from .servers import start_oxigraph

runner = CliRunner()
TINY_NT = '<https://w3id.org/ctn/id/test/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "A"@lv .\n'
GRAPH = "https://w3id.org/ctn/id/graph/ctn"


def cli(*args: object):
    return runner.invoke(app, [str(a) for a in args])


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

"""The public API (`import ctn_graph`, README "From Python"): the six functions behave as
the command line does, and every name the package offers is there."""

from __future__ import annotations

from pathlib import Path

import pytest

import ctn_graph

from .conftest import ROOT

SEEDS = ROOT / "data" / "corpus" / "seeds"


def test_every_name_of_the_api_is_there():
    missing = [name for name in ctn_graph.__all__ if not hasattr(ctn_graph, name)]
    assert not missing, f"ctn_graph.__all__ names what it does not have: {missing}"
    assert set(ctn_graph.__all__) <= set(dir(ctn_graph))


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        ctn_graph.nothing_here  # noqa: B018


def test_build_writes_what_the_command_line_writes(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ctn_graph.cli import app

    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(app, ["build", str(SEEDS), "-o", "cli.trig", "--no-cache", "-q", "-j", "1"])
    assert done.exit_code == 0, done.output
    summary = ctn_graph.build([SEEDS], output="api.trig", jobs=1)
    assert (tmp_path / "api.trig").read_bytes() == (tmp_path / "cli.trig").read_bytes()
    assert summary.documents == len(list(SEEDS.iterdir())) and summary.triples > 0
    assert (tmp_path / "api.store").is_dir()  # next to the graph file, as the command line puts it
    summary = ctn_graph.build([SEEDS], output="alone.ttl", store=False, jobs=1)
    assert not (tmp_path / "alone.store").exists()


def test_a_build_that_fails_writes_nothing_and_says_why(tmp_path):
    with pytest.raises(ctn_graph.IngestError, match="no such file"):
        ctn_graph.build([tmp_path / "nav"], output=tmp_path / "g.ttl")
    assert list(tmp_path.iterdir()) == []


def test_query_binds_parameters_as_terms_and_gives_plain_values(seed_store):
    rows = ctn_graph.query(seed_store, "partners-of-organisation", org="Iekšlietu ministrija")
    assert rows and all(isinstance(v, (str, type(None))) for r in rows for v in r.values())
    # a value that would close the pattern if pasted into the text is only a name that is not there
    assert ctn_graph.query(seed_store, "partners-of-organisation", org='x"@lv } } ; DROP ALL #') == []
    with pytest.raises(ctn_graph.QueryError, match="unknown parameter"):
        ctn_graph.query(seed_store, "partners-of-organisation", organisation="Iekšlietu ministrija")
    (n,) = ctn_graph.query(seed_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s a ctn:Project }")
    assert isinstance(n["n"], int) and n["n"] > 0


def test_open_graph_reads_a_graph_file_and_a_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ctn_graph.build([SEEDS], output="g.ttl", jobs=1)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ctn:Organisation }"
    with ctn_graph.open_graph("g.ttl") as from_file, ctn_graph.open_graph(Path("g.store")) as from_store:
        assert ctn_graph.query(from_file, count) == ctn_graph.query(from_store, count)
    with ctn_graph.open_graph() as last:  # None: the store of the last build here
        assert ctn_graph.query(last, count) == ctn_graph.query(from_store, count)


def test_network_and_write_view(seed_store, tmp_path):
    view = ctn_graph.network(seed_store, view="copartnership")
    assert view.number_of_nodes() > 0
    written = ctn_graph.write_view(view, tmp_path / "net.csv")
    assert [p.name for p in written] == ["net-nodes.csv", "net-edges.csv"]
    page = ctn_graph.write_view(view, tmp_path / "net.html", title="<b>Partneri</b>")
    assert "&lt;b&gt;Partneri&lt;/b&gt;" in page[0].read_text(encoding="utf-8")
    with pytest.raises(ctn_graph.NetworkError, match="needs --focus"):
        ctn_graph.network(seed_store, view="ego")


def test_evaluate_scores_as_the_command_line_does(seed_store):
    import json

    from typer.testing import CliRunner

    from ctn_graph.cli import app

    done = CliRunner().invoke(app, ["evaluate", "--json"])  # the bundled corpus, built in memory
    assert done.exit_code == 0, done.output
    report = ctn_graph.evaluate(seed_store)  # the same corpus (tests/conftest.py)
    assert ctn_graph.report_to_json(report) == json.loads(done.stdout)
    assert 0.9 < report.main.f1 <= 1.0

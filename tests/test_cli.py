"""The command line: every command, its help, its errors and its outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from ctn_graph.cli import app

from .conftest import GOLD, SEEDS

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Commands remember their last store in ./.ctn-graph: keep that out of the checkout."""
    monkeypatch.chdir(tmp_path)


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("command", ["build", "validate", "evaluate"])
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example: ctn-graph " + command in " ".join(result.output.split())


def test_build_writes_turtle_and_prints_a_summary(tmp_path):
    out = tmp_path / "g.ttl"
    result = run("build", str(SEEDS), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "documents: 5" in result.output
    assert "entities:" in result.output and "Country 29" in result.output
    assert "relations:" in result.output and "leadPartner" in result.output
    triples = list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    assert len(triples) > 1000


def test_build_with_no_path_builds_the_bundled_corpus(tmp_path):
    out = tmp_path / "g.nt"
    result = run("build", "-o", str(out), "-q")
    assert result.exit_code == 0 and result.output == ""
    assert out.stat().st_size > 0


@pytest.mark.parametrize(
    "ext,fmt",
    [
        ("ttl", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("rdf", ox.RdfFormat.RDF_XML),
        ("trig", ox.RdfFormat.TRIG),
        ("nq", ox.RdfFormat.N_QUADS),
    ],
)
def test_every_format_round_trips_to_the_same_triples(tmp_path, ext, fmt, seed_ttl):
    out = tmp_path / f"g.{ext}"
    assert run("build", str(SEEDS), "-o", str(out), "-q").exit_code == 0
    from rdflib.compare import isomorphic

    from ctn_graph.rdf.validate import load_rdflib

    assert isomorphic(load_rdflib(out), load_rdflib(seed_ttl))


def test_trig_keeps_one_named_graph_per_document(tmp_path):
    out = tmp_path / "g.trig"
    assert run("build", str(SEEDS), "-o", str(out), "-q").exit_code == 0
    graphs = {
        q.graph_name.value
        for q in ox.parse(path=str(out), format=ox.RdfFormat.TRIG)
        if isinstance(q.graph_name, ox.NamedNode)
    }
    expected = {f"https://w3id.org/ctn/id/doc/{p.stem}" for p in SEEDS.glob("*.txt")}
    assert graphs == expected


def test_unknown_extension_is_an_error_and_writes_nothing(tmp_path):
    out = tmp_path / "g.xyz"
    result = run("build", str(SEEDS), "-o", str(out))
    assert result.exit_code == 1
    assert "unknown graph format" in result.output and "g.xyz" in result.output
    assert not out.exists()


def test_failed_build_leaves_the_previous_output_intact(tmp_path):
    out = tmp_path / "g.ttl"
    assert run("build", str(SEEDS), "-o", str(out), "-q").exit_code == 0
    before = out.read_bytes()
    result = run("build", str(tmp_path / "missing"), "-o", str(out))
    assert result.exit_code == 1 and "missing" in result.output
    assert out.read_bytes() == before
    # no temporary left; the state the next build starts from (incremental.py) is there
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ctn-graph", ".g.ttl.ctn-graph-build", "g.store", "g.ttl"]


def test_bad_document_is_reported_and_skipped_or_stops_with_strict(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("Projekta vadošais partneris: Valsts policija.", encoding="utf-8")
    (docs / "bad.txt").write_bytes("Iekšlietu ministrija".encode("cp1257"))
    out = tmp_path / "g.ttl"
    result = run("build", str(docs), "-o", str(out))
    assert result.exit_code == 0
    assert "skipped" in result.output and "bad.txt" in result.output and "UTF-8" in result.output
    assert "documents: 1 (1 skipped)" in result.output
    strict = run("build", str(docs), "-o", str(tmp_path / "s.ttl"), "--strict")
    assert strict.exit_code == 1 and "bad.txt" in strict.output
    assert not (tmp_path / "s.ttl").exists()


def test_validate_accepts_the_seed_graph(seed_ttl):
    result = run("validate", str(seed_ttl))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_reports_violations(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ctn: <https://w3id.org/ctn/ontology#> .\n"
        "<https://w3id.org/ctn/id/project/p> a ctn:Project ; ctn:partner <https://w3id.org/ctn/id/country/LV> .\n"
        "<https://w3id.org/ctn/id/country/LV> a ctn:Country .\n",
        encoding="utf-8",
    )
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "violation" in result.output


def test_validate_reports_syntax_errors_with_the_file_and_position(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "broken.ttl" in result.output and "line" in result.output.lower()


def test_evaluate_prints_scores(seed_ttl):
    result = run("evaluate", str(seed_ttl), "--gold", str(GOLD), "--no-details")
    assert result.exit_code == 0, result.output
    assert "main-class entity F1" in result.output and "relation F1" in result.output


def test_evaluate_json(seed_ttl):
    result = run("evaluate", str(seed_ttl), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["relations_all"]["f1"] > 0.5


def test_evaluate_scores_one_half_with_split(seed_ttl):
    halves = {}
    for half in ("even", "odd"):
        result = run("evaluate", str(seed_ttl), "--gold", str(GOLD), "--json", "--split", half)
        assert result.exit_code == 0, result.output
        halves[half] = json.loads(result.output)
    whole = json.loads(run("evaluate", str(seed_ttl), "--gold", str(GOLD), "--json").output)
    assert halves["even"]["corpus"].endswith("(even documents)")
    # each half holds fewer gold relations than the whole, and together at least as many
    totals = {k: v["relations_all"]["tp"] + v["relations_all"]["fn"] for k, v in halves.items()}
    whole_total = whole["relations_all"]["tp"] + whole["relations_all"]["fn"]
    assert 0 < totals["even"] < whole_total and 0 < totals["odd"] < whole_total
    assert totals["even"] + totals["odd"] >= whole_total
    bad = run("evaluate", str(seed_ttl), "--split", "first")
    assert bad.exit_code == 2 and "'first' is not one of 'even', 'odd'" in bad.output


def test_evaluate_without_a_graph_builds_the_bundled_corpus():
    result = run("evaluate", "--no-details")
    assert result.exit_code == 0
    assert "summary: main-class entity F1" in result.output


def test_missing_graph_is_a_clear_error(tmp_path):
    result = run("evaluate", str(tmp_path / "nope.ttl"))
    assert result.exit_code == 1
    assert "nope.ttl" in result.output


def test_help_is_fast_to_import():
    import subprocess
    import sys

    heavy = "('rdflib', 'pyoxigraph', 'pyshacl', 'networkx')"
    code = f"import sys, ctn_graph.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_console_script_is_installed():
    import shutil

    assert shutil.which("ctn-graph") or Path(__import__("sys").executable).with_name("ctn-graph").exists()


def test_builds_are_byte_identical_across_runs_jobs_and_cache(tmp_path):
    outs = []
    for i, extra in enumerate([["--no-cache"], ["-j", "2", "--no-cache"], []]):
        out = tmp_path / f"g{i}.ttl"
        assert run("build", str(SEEDS), "-o", str(out), "-q", "--no-store", *extra).exit_code == 0
        outs.append(out.read_bytes())
    again = tmp_path / "again.ttl"
    assert run("build", str(SEEDS), "-o", str(again), "-q", "--no-store").exit_code == 0  # from the cache
    assert outs[0] == outs[1] == outs[2] == again.read_bytes()


def test_incremental_rebuild_reads_only_changed_documents(tmp_path, monkeypatch):
    import shutil

    from ctn_graph.pipeline.extract.document import DocumentExtractor

    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    assert run("build", str(docs), "-o", str(tmp_path / "a.ttl"), "-q", "--no-store").exit_code == 0
    calls: list[str] = []
    original = DocumentExtractor.extract

    def counting(self, doc):
        calls.append(doc.id)
        return original(self, doc)

    monkeypatch.setattr(DocumentExtractor, "extract", counting)
    changed = docs / "002_f73d5b12cc8e0f2c.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nProjektu finansē Eiropas Komisija.\n", encoding="utf-8")
    assert run("build", str(docs), "-o", str(tmp_path / "b.ttl"), "-q", "--no-store").exit_code == 0
    assert calls == ["002_f73d5b12cc8e0f2c"]

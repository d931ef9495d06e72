"""Worker processes of `build` (issue 17): all cores by default (`-j 0`), one with `-j 1`,
the same bytes whatever the number, and no pool for an input too small to gain from one."""

from __future__ import annotations

import concurrent.futures
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import ctn_graph.pipeline.steps as steps
import ctn_graph.pipeline.workers as workers
from ctn_graph.cli import app
from ctn_graph.sparql.query import OxigraphEngine, load_library, run_query

from .conftest import SEEDS


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Builds remember their last store in ./.ctn-graph: keep that out of the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def pools(monkeypatch) -> list[int]:
    """The worker counts of the process pools the build starts (an empty list: none)."""
    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, max_workers=None, *args, **kwargs):  # noqa: ANN001
            started.append(max_workers)
            super().__init__(max_workers, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counting)
    return started


def build(*args: str) -> str:
    result = CliRunner().invoke(app, ["build", *args, "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    return result.output


def store_answers(store: Path) -> dict[str, object]:
    """Every quad of a store and the rows of every library query (with its parameters'
    defaults), sorted, blank nodes unnamed (a store names them anew at each load)."""
    engine = OxigraphEngine(ox.Store.read_only(str(store)))
    data = ox.serialize(list(engine.store), format=ox.RdfFormat.N_QUADS) or b""
    out: dict[str, object] = {"quads": sorted(re.sub(rb"_:[A-Za-z0-9]+", b"_:b", data).splitlines())}

    def plain(t: object) -> str:
        return "_:b" if isinstance(t, ox.BlankNode) else str(t)

    for name, q in load_library().items():
        res = run_query(q, engine).materialise()
        if res.form == "SELECT":
            out[name] = sorted(tuple(plain(r.get(v)) for v in res.variables) for r in res.rows)
        else:
            out[name] = sorted(tuple(map(plain, t)) for t in res.triples) if res.form != "ASK" else res.boolean
    return out


def test_the_default_build_uses_every_core(tmp_path, monkeypatch, pools):
    monkeypatch.setattr(workers, "cores", lambda: 3)
    monkeypatch.setattr(workers, "PARALLEL_BYTES", 0)  # the seeds are small: use the pool all the same
    build(str(SEEDS), "-o", str(tmp_path / "g.trig"), "--no-store")
    assert pools == [3]
    pools.clear()
    build(str(SEEDS), "-o", str(tmp_path / "h.trig"), "--no-store", "-j", "1")
    assert pools == []


def test_help_says_all_cores_is_the_default():
    result = CliRunner().invoke(app, ["build", "--help"], terminal_width=200)
    text = " ".join(result.output.replace("│", " ").split())
    assert "0 (the default) one per core" in text and "1 none" in text


def test_a_small_input_is_extracted_without_a_pool(tmp_path, pools):
    """A few small files: the workers' start costs more than a second core gives."""
    assert sum(f.stat().st_size for f in SEEDS.iterdir()) < workers.PARALLEL_BYTES
    build(str(SEEDS), "-o", str(tmp_path / "g.trig"), "--no-store", "-j", "2")
    assert pools == []


def test_one_and_two_processes_write_the_same_bytes_and_store(tmp_path, monkeypatch, pools):
    monkeypatch.setattr(workers, "PARALLEL_BYTES", 0)
    files: dict[str, dict[str, bytes]] = {}
    answers = {}
    for jobs in ("1", "2"):
        folder = tmp_path / f"j{jobs}"
        for ext in ("trig", "ttl", "nq"):
            store = folder / f"{ext}.store"
            build(str(SEEDS), "-o", str(folder / f"graph.{ext}"), "--store", str(store), "-j", jobs)
            answers[(jobs, ext)] = store_answers(store)
        files[jobs] = {p.name: p.read_bytes() for p in folder.glob("graph.*")}
    assert pools == [2, 2, 2]  # -j 2 did use two workers
    assert files["1"].keys() == {"graph.trig", "graph.ttl", "graph.nq"}
    for name, data in files["1"].items():
        assert data == files["2"][name], name
    for ext in ("trig", "ttl", "nq"):
        assert answers[("1", ext)] == answers[("2", ext)]
    assert answers[("1", "trig")]["quads"], "the store holds the graph"


def test_a_store_loaded_in_many_parts_is_the_same_store(tmp_path, monkeypatch):
    """A new store is loaded a part at a time while the graphs are made (issue 17): the
    parts' size changes when the loading happens, never what the store holds."""
    whole = tmp_path / "whole"
    build(str(SEEDS), "-o", str(whole / "g.trig"), "-j", "1")
    from ctn_graph.rdf.store import StoreLoader

    monkeypatch.setattr(steps, "QUADS_PER_PART", 300)  # the seeds' graph: about 5,000 quads
    loaded: list[Path] = []
    submit = StoreLoader.submit
    monkeypatch.setattr(StoreLoader, "submit", lambda self, part: (loaded.append(part), submit(self, part))[1])
    parts = tmp_path / "parts"
    build(str(SEEDS), "-o", str(parts / "g.trig"), "-j", "1")
    assert len(loaded) >= 4
    assert (whole / "g.trig").read_bytes() == (parts / "g.trig").read_bytes()
    assert store_answers(whole / "g.store") == store_answers(parts / "g.store")

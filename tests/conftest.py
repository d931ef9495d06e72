"""Shared fixtures: the seed corpus built once per test session, in memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The tests run the source in src/ (pyproject's pythonpath), and so do the commands they
# start: the venv's installed ctn-graph may be a compiled wheel (tools/install_app.py),
# which tests/test_compiled.py compares with the source.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
SEEDS = ROOT / "data" / "corpus" / "seeds"
GOLD = ROOT / "data" / "gold" / "seeds.json"


@pytest.fixture(scope="session")
def seed_resolved():
    from ctn_graph.pipeline.memory import build_resolved, read_documents

    docs, skipped = read_documents([SEEDS])
    assert not skipped
    return build_resolved(docs)


@pytest.fixture(scope="session")
def seed_store(seed_resolved):
    from ctn_graph.pipeline.memory import to_store

    return to_store(seed_resolved)


@pytest.fixture(scope="session")
def seed_ttl(tmp_path_factory, seed_store) -> Path:
    from ctn_graph.rdf.export import write_store

    path = tmp_path_factory.mktemp("seed") / "graph.ttl"
    write_store(seed_store, path)
    return path

"""The installed ctn-graph (`make run`'s: a wheel whose extractor mypyc compiled, when the
machine could; tools/install_app.py) writes the same graph, byte for byte, as the Python
source in src/ that every other test runs.

The tests import src/ (the Makefile sets PYTHONPATH); here the venv's `ctn-graph` runs
once with that path (the source) and once without it (the installed wheel), on the seed
corpus with both gazetteers and on the development corpus of ../shared when it is there.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "corpus" / "seeds"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
CLI = Path(sys.executable).with_name("ctn-graph")


def _install_app():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("install_app", ROOT / "tools" / "install_app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env(source: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if source:
        env["PYTHONPATH"] = str(ROOT / "src")
    return env


def _extractor_file(source: bool, cwd: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-c", "import ctn_graph.pipeline.extract.spans as m; print(m.__file__)"],
        env=_env(source),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What tools/install_app.py installed, checked: a compiled wheel built from these sources."""
    cwd = tmp_path_factory.mktemp("cwd")
    tool = _install_app()
    if not CLI.exists():
        pytest.skip(f"no {CLI}: run the tests from the Makefile's venv (make test)")
    if not tool.STAMP.exists():
        pytest.skip("ctn-graph was not installed by tools/install_app.py (make test installs it)")
    stamp = json.loads(tool.STAMP.read_text())
    if not stamp["compiled"]:
        pytest.skip(f"the installed ctn-graph runs its extractor as Python source: {stamp['why_not']}")
    if stamp["sources_sha256"] != tool.sources_digest():
        pytest.skip("the installed ctn-graph was built from other sources than these (make test rebuilds it)")
    path = _extractor_file(source=False, cwd=cwd)
    assert path.endswith(".so"), f"the stamp says compiled, but the installed extractor is {path}"
    assert _extractor_file(source=True, cwd=cwd).endswith(".py")
    return stamp


def _build(corpus: Path, out: Path, gazetteer: str, source: bool) -> bytes:
    subprocess.run(
        [str(CLI), "build", str(corpus), "-o", str(out), "--no-cache", "--no-store", "-q", "--gazetteer", gazetteer],
        env=_env(source),
        cwd=out.parent,
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


@pytest.mark.parametrize("gazetteer", ["all", "countries"])
def test_seed_graph_same_bytes_compiled_and_source(installed: dict, tmp_path: Path, gazetteer: str) -> None:
    compiled = _build(SEEDS, tmp_path / "compiled.trig", gazetteer, source=False)
    source = _build(SEEDS, tmp_path / "source.trig", gazetteer, source=True)
    assert compiled == source
    assert b"ctn:partner" in source  # a graph with relations, not two empty files


def test_dev_graph_same_bytes_compiled_and_source(installed: dict, tmp_path: Path) -> None:
    if not DEV.is_dir():
        pytest.skip(f"{DEV} is absent (the development corpus is in ../shared, not in the repository)")
    compiled = _build(DEV, tmp_path / "compiled.ttl", "all", source=False)
    source = _build(DEV, tmp_path / "source.ttl", "all", source=True)
    assert compiled == source

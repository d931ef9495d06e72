"""Faults lose nothing: an interrupted build leaves the previous output as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pyoxigraph as ox

from .conftest import SEEDS


def test_a_build_killed_half_way_leaves_the_old_graph_and_store_valid(tmp_path):
    env = dict(os.environ)
    out = tmp_path / "graph.ttl"
    cmd = [sys.executable, "-m", "ctn_graph.cli", "build", "-o", str(out), "-q", "--no-cache"]
    subprocess.run([*cmd, str(SEEDS)], check=True, cwd=tmp_path, env=env, timeout=120)
    before = out.read_bytes()
    store_files = sorted(p.name for p in (tmp_path / "graph.store").iterdir())
    # a corpus large enough that the build is still running when it is killed
    big = tmp_path / "big"
    big.mkdir()
    for i in range(150):
        for p in SEEDS.glob("*.txt"):
            shutil.copy(p, big / f"{i:03d}-{p.name}")
    proc = subprocess.Popen([*cmd, str(big)], cwd=tmp_path, env=env, start_new_session=True)
    time.sleep(2.0)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert out.read_bytes() == before
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))) > 1000
    assert sorted(p.name for p in (tmp_path / "graph.store").iterdir()) == store_files
    assert len(ox.Store.read_only(str(tmp_path / "graph.store"))) > 1000
    # the killed build's work folder (next to the output) is removed by the next build
    assert [p.name for p in tmp_path.glob(".ctn-graph-build-*")], "no work folder left by the killed build?"
    subprocess.run([*cmd, str(SEEDS)], check=True, cwd=tmp_path, env=env, timeout=120)
    assert list(tmp_path.glob(".ctn-graph-build-*")) == []
    assert out.read_bytes() == before


def test_pipes_and_sockets_named_like_documents_are_not_read(tmp_path):
    from ctn_graph.pipeline.ingest import IngestError, iter_paths

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Teksts.", encoding="utf-8")
    os.mkfifo(docs / "pipe.txt")
    assert [p.name for p in iter_paths([docs])] == ["a.txt"]
    import pytest

    with pytest.raises(IngestError, match="not a regular file"):
        list(iter_paths([docs / "pipe.txt"]))


def test_an_unreadable_file_is_reported_and_the_others_build(tmp_path, monkeypatch):
    from pathlib import Path

    from ctn_graph.pipeline.memory import read_documents

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Projekta vadošais partneris: Valsts policija.", encoding="utf-8")
    (docs / "b.txt").write_text("Teksts.", encoding="utf-8")
    real = Path.read_bytes

    def guarded(self):
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)  # root can read anything: simulate it
    got, skipped = read_documents([docs])
    assert [d.id for d in got] == ["a"]
    assert len(skipped) == 1 and "b.txt" in skipped[0] and "Permission denied" in skipped[0]


def test_a_folder_of_thousands_of_files_builds(tmp_path):
    from ctn_graph.pipeline.memory import build_resolved, read_documents

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(2000):
        (docs / f"{i:04d}.txt").write_text(f"Ziņa {i}. Projektu finansē Eiropas Komisija.", encoding="utf-8")
    got, skipped = read_documents([docs])
    assert len(got) == 2000 and not skipped
    r = build_resolved(got)
    assert any(e.pref_label_lv == "Eiropas Komisija" and len(e.docs) == 2000 for e in r.entities)

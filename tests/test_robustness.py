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

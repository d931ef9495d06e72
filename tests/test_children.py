"""Child processes end with their parent (issue 14, item 9).

`build -j 2` and `query --timeout` run work in child processes. Their parent killed with
SIGKILL, the children must end too (within seconds, not block or spin for ever), and the
query's temporary folder must not stay: the next `query --timeout` removes it. Every
wait is bounded; every process a test starts is killed by its pid at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ctn_graph.common.children import alive

from .conftest import SEEDS

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the children in /proc (Linux)")


def children_of(pid: int) -> set[int]:
    """The pids of the processes `pid` started (from /proc, every thread's list)."""
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def wait_for(condition, seconds: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def kill_all(pids: set[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_the_workers_of_a_killed_build_end_with_it(tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    for i in range(150):  # far more than the seconds the test waits
        for p in SEEDS.glob("*.txt"):
            shutil.copy(p, big / f"{i:03d}-{p.name}")
    cmd = [sys.executable, "-m", "ctn_graph.cli", "build", str(big), "-o", str(tmp_path / "g.ttl"), "-q", "-j", "2"]
    proc = subprocess.Popen([*cmd, "--no-cache"], cwd=tmp_path)
    workers: set[int] = set()
    try:
        assert wait_for(lambda: len(children_of(proc.pid)) >= 2, 60), "no workers started"
        workers = children_of(proc.pid)
        assert proc.poll() is None
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, as `kill -9 PID` does
        proc.wait(30)
        assert wait_for(lambda: not any(alive(w) for w in workers), 10), [w for w in workers if alive(w)]
    finally:
        kill_all(workers | ({proc.pid} if proc.poll() is None else set()))
        proc.wait(30)


@pytest.fixture
def slow_graph(tmp_path) -> Path:
    path = tmp_path / "g.nt"
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i)))
        for i in range(300)
    )
    store.dump(str(path), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return path


def test_the_child_of_a_killed_query_ends_and_its_folder_is_removed_by_the_next_query(tmp_path, slow_graph):
    slow = tmp_path / "slow.rq"
    slow.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n", encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp))
    cmd = [sys.executable, "-m", "ctn_graph.cli", "query", str(slow), "--graph", str(slow_graph), "--timeout", "600"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env)
    child: set[int] = set()
    try:
        assert wait_for(lambda: bool(children_of(proc.pid)), 60), "the query process did not start"
        child = children_of(proc.pid)
        assert wait_for(lambda: bool(list(tmp.glob("ctn-query-*/result"))), 30)  # the query is running
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        assert wait_for(lambda: not any(alive(c) for c in child), 10), "the query's child outlived it"
    finally:
        kill_all(child | ({proc.pid} if proc.poll() is None else set()))
        proc.wait(30)
    left = [p.name for p in tmp.glob("ctn-query-*")]
    if sys.platform.startswith("linux"):  # the kernel killed the child: its folder stays, named with its owner's pid
        assert len(left) == 1 and left[0].startswith(f"ctn-query-{proc.pid}-"), left
    quick = tmp_path / "quick.rq"
    quick.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c }\n", encoding="utf-8")
    done = subprocess.run(
        [*cmd[:4], str(quick), *cmd[5:]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert list(tmp.glob("ctn-query-*")) == []  # the killed run's folder went with the next run


def test_a_child_whose_parent_is_already_gone_ends_at_once():
    """The race: the parent dies before the child asks to die with it."""
    code = (
        "import os, sys, time\n"
        "from ctn_graph.common.children import die_with_parent\n"
        "die_with_parent(os.getppid() + 1_000_000)\n"  # a parent that is not this process's
        "time.sleep(30)\n"
    )
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], timeout=20, check=False)
    assert done.returncode == 1 and time.monotonic() - t0 < 15

"""Outputs never replace inputs (issue 14, items 1, 10 and 11).

* A command refuses, before it writes anything, an output that is or holds one of its
  inputs or another of its outputs, however the path is written (a link, `..`, a
  trailing slash); an output inside an input folder is allowed and never read back.
* What killed builds leave next to their outputs is removed by the next build, never
  what a running build is writing.
* A file whose name is not UTF-8 is read, under a name that keeps its bytes (%XX).
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
from typer.testing import CliRunner

from ctn_graph.cli import app

from .conftest import SEEDS

runner = CliRunner()


def cli(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under `root` (and `root` itself), with the bytes of each file."""
    out: dict[str, bytes | None] = {}
    for dirpath, _dirs, files in os.walk(root):
        out[os.path.relpath(dirpath, root)] = None
        for f in files:
            p = Path(dirpath) / f
            out[str(p.relative_to(root))] = p.read_bytes() if not p.is_symlink() else os.readlink(p).encode()
    return out


@pytest.fixture
def corpus(tmp_path) -> Path:
    inp = tmp_path / "inp"
    inp.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(p, inp / p.name)
    (inp / "sub").mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[3], inp / "sub" / "d.txt")
    return inp


def first_doc(corpus: Path) -> str:
    return str(sorted(corpus.glob("*.txt"))[0])


# each case: the arguments after `build`, and the message's characteristic words
REFUSED = {
    "store is the input folder": (["inp", "-o", "g.ttl", "--store", "inp"], "--store inp: that is an input"),
    "store is the working folder": (["inp", "-o", "g.ttl", "--store", "."], "--store .: that folder holds an input"),
    "store is the graph file": (["inp", "-o", "g.ttl", "--store", "g.ttl"], "that is the store too"),
    "store is an input file": (["{doc}", "-o", "g.ttl", "--store", "{doc}"], "that is an input of this build"),
    "store through ..": (["inp", "-o", "g.ttl", "--store", "inp/sub/.."], "that is an input of this build"),
    "store with a trailing slash": (["inp", "-o", "g.ttl", "--store", "inp/"], "that is an input of this build"),
    "store through a link": (["inp", "-o", "g.ttl", "--store", "link"], "that is an input of this build"),
    "store is a folder of documents inside the input": (
        ["inp", "-o", "g.ttl", "--store", "inp/sub"],
        "that folder holds a document of this build",
    ),
    "store holds the graph file": (["inp", "-o", "out/g.ttl", "--store", "out"], "that folder holds the graph file"),
    "store holds the cache": (["-o", "{elsewhere}", "--store", "."], "that folder holds the extraction cache"),
    "store holds the note of the last store": (
        ["-o", "{elsewhere}", "--store", ".", "--no-cache"],
        "that folder holds the note of the last store (.ctn-graph/last-store)",
    ),
    "graph file next to an input file": (["{doc}", "-o", "{doc}.ttl"], None),  # allowed: another file
    "graph file is a folder": (["inp", "-o", "papers.ttl"], "-o papers.ttl: that is a folder"),
    "graph file inside a store": (["inp", "-o", "old.store/g.ttl"], "a folder ctn-graph wrote"),
    "store onto a folder of other files": (["inp", "-o", "g.ttl", "--store", "papers"], "holds other files"),
    "store onto a file": (["inp", "-o", "g.ttl", "--store", "notes.md"], "that is a file, which the store"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_an_output_that_would_replace_an_input_or_an_output_is_refused_before_anything_is_written(
    case, tmp_path, corpus
):
    args, message = REFUSED[case]
    (tmp_path / "link").symlink_to(corpus)
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "draft.odt").write_bytes(b"years of work")
    (tmp_path / "papers.ttl").mkdir()
    (tmp_path / "papers.ttl" / "draft.ttl").write_bytes(b"years of work")
    (tmp_path / "notes.md").write_text("notes\n", encoding="utf-8")
    ox_store = ox.Store(str(tmp_path / "old.store"))  # a store `build` wrote before (it has the marker)
    del ox_store
    (tmp_path / "old.store" / ".ctn-graph-output").write_text("x", encoding="utf-8")
    doc = first_doc(corpus)
    before = snapshot(tmp_path)
    elsewhere = tmp_path.parent / f"{tmp_path.name}-g.ttl"  # outside the folder the store would replace
    result = cli("build", *(a.format(doc=doc, elsewhere=elsewhere) for a in args), "-q")
    if message is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(tmp_path) == before  # nothing written, nothing removed


def test_the_refusal_quotes_the_paths_as_given(tmp_path, corpus):
    result = cli("build", "inp", "-o", "g.ttl", "--store", "inp", "-q")
    assert result.stderr.strip() == (
        "error: --store inp: that is an input of this build (inp), which the store would replace; "
        "write the store elsewhere"
    )
    result = cli("build", "inp", "-o", "g.ttl", "--store", "g.ttl", "-q")
    assert result.stderr.strip() == (
        "error: -o g.ttl: that is the store too (--store g.ttl), which the graph file would replace; "
        "write the graph file elsewhere"
    )


def test_outputs_inside_the_input_folder_are_allowed_and_never_read_back(tmp_path, corpus):
    """Graph file, store (named like a document), rebuild state and, run from inside the
    folder, the cache and the work files: a build of the same folder reads the same
    documents and writes the same graph, again and again."""
    alone = cli("build", corpus, "-o", tmp_path / "alone.ttl", "--no-store", "--no-cache", "-q")
    assert alone.exit_code == 0, alone.output
    os.chdir(corpus)  # the cache (.ctn-graph/cache) goes into the input folder too
    for _ in range(2):
        result = cli("build", ".", "-o", "out/g.ttl", "--store", "notes.txt")
        assert result.exit_code == 0, result.output
        assert "documents: 4\n" in result.stdout
    assert (corpus / "notes.txt" / ".ctn-graph-output").is_file()  # a store named like a document
    assert (corpus / ".ctn-graph" / "cache" / ".ctn-graph-output").is_file()
    assert (corpus / "out" / ".g.ttl.ctn-graph-build" / ".ctn-graph-output").is_file()
    fresh = cli("build", ".", "-o", tmp_path / "again.ttl", "--no-store", "--no-cache", "-q")
    assert fresh.exit_code == 0, fresh.output
    assert (tmp_path / "again.ttl").read_bytes() == (tmp_path / "alone.ttl").read_bytes()
    assert (corpus / "out" / "g.ttl").read_bytes() == (tmp_path / "alone.ttl").read_bytes()


def test_a_store_of_an_older_build_inside_the_input_folder_is_not_read(tmp_path, corpus):
    """A store written before the marker existed is known by its manifest."""
    assert cli("build", corpus, "-o", corpus / "g.ttl", "--no-cache", "-q").exit_code == 0
    (corpus / "g.store" / ".ctn-graph-output").unlink()
    (corpus / "g.store" / "stray.txt").write_text("Projektu finansē Eiropas Komisija.\n", encoding="utf-8")
    result = cli("build", corpus, "-o", tmp_path / "g.ttl", "--no-cache")
    assert "documents: 4\n" in result.stdout, result.output


@pytest.mark.parametrize(
    "command",
    [
        ["viz", "{graph}", "-o", "{graph}"],
        ["analyse", "{graph}", "-o", "{graph}"],
        ["query", "projects-by-funder", "--graph", "{graph}", "-o", "{graph}"],
        ["query", "projects-by-funder", "--graph", "{store}", "-o", "{store}"],
        ["query", "projects-by-funder", "--graph", "{store}", "-o", "{store}/r.csv"],
        ["query", "{rq}", "--graph", "{graph}", "-o", "{rq}"],
        ["query", "projects-by-funder", "-o", "{store}"],  # the store of the last build
        ["viz", "-o", "{store}/../g.store"],
        ["export-network", "{store}", "-o", "{store}/n.graphml"],
    ],
)
def test_other_commands_never_replace_what_they_read(command, tmp_path, corpus):
    graph, store = tmp_path / "g.ttl", tmp_path / "g.store"
    assert cli("build", corpus, "-o", graph, "--no-cache", "-q").exit_code == 0
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = cli(*(a.format(graph=graph, store=store, rq=rq) for a in command))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: -o ") and "elsewhere" in result.stderr, result.stderr
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- 10. leftovers of killed builds


def dead_pid() -> int:
    """The pid of a process that has ended (and been waited for)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(30)
    return proc.pid


def test_the_leftovers_of_killed_builds_are_removed_and_those_of_running_ones_kept(tmp_path, corpus):
    out = tmp_path / "g.ttl"
    assert cli("build", corpus, "-o", out, "-q").exit_code == 0
    dead, running = dead_pid(), os.getpid()
    for pid in (dead, running):  # named as a build names them (leftovers.temp_prefix)
        (tmp_path / f".g.ttl.pid{pid}-abc123.tmp").write_bytes(b"half a graph")
        for name in (f".g.store.pid{pid}-x1y2", f".g.store.pid{pid}-old", f"..g.ttl.ctn-graph-build.pid{pid}-q"):
            (tmp_path / name).mkdir()
            (tmp_path / name / ".ctn-graph-output").write_text("x", encoding="utf-8")
            (tmp_path / name / "000009.sst").write_bytes(b"\0" * 1000)
        (tmp_path / f".ctn-graph-build-{pid}-zz").mkdir()
    foreign = tmp_path / f".g.store.pid{dead}-mine"  # not a folder ctn-graph wrote: left alone
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("x", encoding="utf-8")
    result = cli("build", corpus, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert left == sorted(
        [
            ".ctn-graph",
            ".g.ttl.ctn-graph-build",
            f".g.ttl.pid{running}-abc123.tmp",
            f".g.store.pid{running}-x1y2",
            f".g.store.pid{running}-old",
            f"..g.ttl.ctn-graph-build.pid{running}-q",
            f".ctn-graph-build-{running}-zz",
            foreign.name,
        ]
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="polls the output folder as a build writes")
def test_a_build_killed_while_writing_leaves_files_that_the_next_build_removes(tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    for i in range(60):
        for p in SEEDS.glob("*.txt"):
            shutil.copy(p, big / f"{i:02d}-{p.name}")
    out = tmp_path / "g.ttl"
    cmd = [sys.executable, "-m", "ctn_graph.cli", "build", "-o", str(out), "-q", "--no-cache"]
    proc = subprocess.Popen([*cmd, str(big)], cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".g.ttl.pid*.tmp")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, "the build finished before its graph file was seen being written"
        proc.send_signal(signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".g.", ".ctn-graph-build")))
    assert any(n.startswith(f".g.ttl.pid{proc.pid}-") for n in leftovers), leftovers
    small = tmp_path / "small"
    small.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], small)
    done = subprocess.run([*cmd, str(small)], cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ctn-graph", "big", "g.store", "g.ttl", "small"]


# --------------------------------------------------------------------------- 11. names that are not UTF-8


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names there are always Unicode")
def test_a_file_name_that_is_not_utf8_is_read_under_a_faithful_name(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Projekta vadošais partneris: Valsts policija.\n", encoding="utf-8")
    name = os.fsdecode(b"zi\xf2a 100%.txt")  # Latin-7 "ziņa", as an old Windows archive names it
    (docs / name).write_text("Projektu finansē Eiropas Komisija.\n", encoding="utf-8")
    (docs / os.fsdecode(b"\xfe.txt")).write_bytes(b"")  # and one that cannot be read
    out = tmp_path / "g.ttl"
    result = cli("build", docs, "-o", out, "--no-cache")
    assert result.exit_code == 0, result.output
    assert "documents: 2 (1 skipped)" in result.stdout
    assert f"skipped: {docs}/%FE.txt: empty file" in result.stderr
    names = {q.object.value for q in ox.parse(path=str(out)) if q.predicate.value.endswith("#fileName")}
    assert names == {"a.txt", "zi%F2a 100%25.txt"}
    again = cli("build", docs, "-o", out)  # the rebuild reads it the same way
    assert again.exit_code == 0 and "documents: 2 (1 skipped)" in again.stdout, again.output

"""No command prints a Python traceback (issue 14): every command of `ctn-graph --help`,
given bad arguments and bad files, says what is wrong on one line, `error: ...`, and
exits non-zero.

The table below has cases for every command (a test checks that no command is left
out); a property-based test throws arbitrary values at every numeric option. Commands
run in this process through typer's CliRunner, which keeps an exception that escapes a
command instead of printing it: `result.exception` must be the SystemExit of a clean
exit. The faults of the table (a damaged store, a full disk, a device that is full,
standard input that is not UTF-8) are made for real where that can be done without
harm, and simulated in this process where it cannot (a read-only folder as root).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from ctn_graph.cli import app

from .conftest import SEEDS

runner = CliRunner()


def run(*args: object, input: bytes | str | None = None):  # noqa: A002 - click's name
    return runner.invoke(app, [str(a) for a in args], input=input)


def assert_one_line_error(result, *, contains: str = "") -> str:
    """A clean failure: no exception escaped, a non-zero exit, one line `error: ...` on stderr."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert contains in lines[0], lines[0]
    return lines[0]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # commands remember their last store in ./.ctn-graph


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> SimpleNamespace:
    """A good graph and store, and bad files of every kind."""
    from ctn_graph.pipeline.build import build
    from ctn_graph.pipeline.options import BuildOptions

    d = tmp_path_factory.mktemp("bad-files")
    docs = d / "docs"
    docs.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(p, docs / p.name)
    build([docs], d / "g.ttl", BuildOptions(cache_dir=None), store_dir=d / "g.store")
    damaged = d / "damaged.store"
    shutil.copytree(d / "g.store", damaged)
    biggest = max(damaged.glob("*.sst"), key=lambda p: p.stat().st_size)
    os.truncate(biggest, 100)
    (d / "broken.ttl").write_text("<a> <b> ;\n", encoding="utf-8")
    (d / "binary.ttl").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (d / "latin.rq").write_bytes(b"# t\xe9st\nSELECT * WHERE { ?s ?p ?o }\n")
    (d / "gold.json").write_bytes(b"\xff\xfe not json")
    (d / "loop.ttl").symlink_to(d / "loop.ttl")
    (d / "loop.rq").symlink_to(d / "loop.rq")
    (d / "dangling.ttl").symlink_to(d / "nowhere.ttl")
    (d / "afolder.ttl").mkdir()
    return SimpleNamespace(dir=d, docs=docs, ttl=d / "g.ttl", store=d / "g.store", damaged=damaged)


# (command, arguments, a part of the message); {d} is the folder of the bad files
CASES: list[tuple[str, list[str], str]] = [
    ("build", ["{d}/nope"], "nope: no such file or folder"),
    ("build", ["{d}/loop.ttl"], "a symbolic link that loops"),
    ("build", ["{d}/dangling.ttl"], "a symbolic link to"),
    ("build", ["{d}/docs", "--max-mb", "nan"], "--max-mb"),
    ("build", ["{d}/docs", "--max-mb", "inf"], "--max-mb"),
    ("build", ["{d}/docs", "--max-mb", "0"], "--max-mb"),
    ("build", ["{d}/docs", "--max-mb", "-3"], "--max-mb"),
    ("build", ["{d}/docs", "--jobs", "-2"], "--jobs"),
    ("build", ["{d}/docs", "--jobs", "two"], "--jobs"),
    ("build", ["{d}/docs", "--nope"], "No such option"),
    ("build", ["{d}/docs", "-o", "g.xyz"], "unknown graph format"),
    ("build", ["{d}/docs", "-o", "{d}/afolder.ttl"], "that is a folder"),
    ("build", ["{d}/docs", "-o", "out.ttl", "--store", "{d}/docs"], "is an input of this build"),
    ("build", ["{d}/docs", "-o", "out.ttl", "--store", "{d}/broken.ttl"], "that is a file"),
    ("validate", [], "Missing argument"),
    ("validate", ["{d}/nope.ttl"], "no such file"),
    ("validate", ["{d}/loop.ttl"], "a symbolic link that loops"),
    ("validate", ["{d}/afolder.ttl"], "a folder, not a graph file"),
    ("validate", ["{d}/broken.ttl"], "broken.ttl: Parser error"),
    ("validate", ["{d}/binary.ttl"], "binary.ttl"),
    ("validate", ["{d}/g.ttl", "--max-results", "-1"], "--max-results"),
    ("evaluate", ["{d}/nope.ttl"], "no such file"),
    ("evaluate", ["{d}/loop.ttl"], "a symbolic link that loops"),
    ("evaluate", ["{d}/broken.ttl"], "Parser error"),
    ("evaluate", ["{d}/g.ttl", "--gold", "{d}/gold.json"], "gold.json"),
    ("evaluate", ["{d}/g.ttl", "--gold", "{d}/nope.json"], "nope.json"),
    ("query", [], "Missing argument"),
    ("query", ["no-such-query"], "no such query in the library"),
    ("query", ["{d}/nope.rq"], "no such query file"),
    ("query", ["{d}/loop.rq"], "a symbolic link that loops"),
    ("query", ["{d}/latin.rq"], "latin.rq: not UTF-8"),
    ("query", ["projects-by-funder", "--graph", "{d}/nope.ttl"], "no such graph file or store directory"),
    ("query", ["projects-by-funder", "--graph", "{d}/loop.ttl"], "a symbolic link that loops"),
    ("query", ["projects-by-funder", "--graph", "{d}/binary.ttl"], "binary.ttl"),
    ("query", ["projects-by-funder", "--graph", "{d}/damaged.store"], "the store is damaged"),
    ("query", ["projects-by-funder", "--graph", "{d}/damaged.store", "--timeout", "20"], "the store is damaged"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "--timeout", "nan"], "--timeout"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "--timeout", "1e309"], "--timeout"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "--timeout", "0"], "--timeout"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "--timeout", "-1"], "--timeout"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "-f", "yaml"], "--format"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "-o", "rows.yaml"], "names no result format"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "--max-width", "-3"], "--max-width"),
    ("queries", ["no-such-query"], "no such query in the library"),
    ("validate", ["{d}/damaged.store"], "the store is damaged"),
    ("serve", ["--graph", "{d}/g.store", "--port", "{port}"], "the port is taken"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "-p", "novalue"], "write name=value"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "-o", "{d}/g.store"], "the graph this query reads"),
    ("query", ["projects-by-funder", "--graph", "{d}/g.store", "-o", "/proc/x/r.csv"], "r.csv"),
    ("queries", ["partners-of-organisation", "extra"], "unexpected extra argument"),
    ("push", [], "Missing option"),
    ("push", ["--endpoint", "http://127.0.0.1:9/q", "--graph", "{d}/nope.ttl"], "no such graph file"),
    ("push", ["--endpoint", "http://127.0.0.1:9/q", "--graph", "{d}/damaged.store"], "the store is damaged"),
    ("push", ["--endpoint", "http://127.0.0.1:9/q", "--graph", "{d}/broken.ttl"], "Parser error"),
    ("push", ["--endpoint", "http://127.0.0.1:9/q", "--timeout", "nan"], "--timeout"),
    ("push", ["--endpoint", "http://127.0.0.1:9/q", "--timeout", "0"], "--timeout"),
    ("serve", ["--graph", "{d}/nope.store"], "a store directory is needed"),
    ("serve", ["--graph", "{d}/g.ttl"], "a store directory is needed"),
    ("serve", ["--port", "0"], "--port"),
    ("serve", ["--port", "70000"], "--port"),
    ("serve", ["--timeout", "0"], "--timeout"),
    ("version", ["extra"], "unexpected extra argument"),
    ("viz", ["{d}/nope.ttl"], "no such graph file"),
    ("viz", ["{d}/loop.ttl"], "a symbolic link that loops"),
    ("viz", ["{d}/damaged.store"], "the store is damaged"),
    ("viz", ["{d}/broken.ttl"], "Parser error"),
    ("viz", ["{d}/g.ttl", "-o", "{d}/g.ttl"], "the graph this command reads"),
    ("viz", ["{d}/g.store", "-o", "{d}/g.store/page.html"], "a folder ctn-graph wrote"),
    ("viz", ["{d}/g.ttl", "-o", "/proc/x/page.html"], "page.html"),
    ("viz", ["{d}/g.ttl", "--view", "nope"], "--view"),
    ("viz", ["{d}/g.ttl", "--depth", "-1"], "--depth"),
    ("analyse", ["{d}/damaged.store"], "the store is damaged"),
    ("analyse", ["{d}/g.ttl", "--top", "0"], "--top"),
    ("analyse", ["{d}/g.ttl", "--by", "nope"], "--by"),
    ("analyse", ["{d}/g.store", "-o", "{d}/g.store"], "the graph this command reads"),
    ("export-network", ["{d}/damaged.store"], "the store is damaged"),
    ("export-network", ["{d}/g.ttl", "-o", "x.nope"], "x.nope"),
    ("export-network", ["{d}/g.store", "-o", "{d}/g.store/net.gexf"], "a folder ctn-graph wrote"),
    ("export-network", ["{d}/nope.ttl"], "no such graph file"),
]


@pytest.mark.parametrize("command,args,message", CASES, ids=[f"{c} {' '.join(a)}" for c, a, _ in CASES])
def test_a_bad_argument_or_file_is_one_line_error(files, command, args, message):
    import socket

    with socket.socket() as taken:  # {port}: a port another program listens on
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(command, *(a.format(d=files.dir, port=port) for a in args))
    assert_one_line_error(result, contains=message)


def test_the_table_has_every_command():
    commands = set(get_command(app).commands)  # type: ignore[attr-defined]
    assert commands == {c for c, _, _ in CASES}, commands ^ {c for c, _, _ in CASES}


def test_standard_input_that_is_not_utf8_is_one_line_error(files):
    """printf '\\xff' | ctn-graph query -, in a real process."""
    proc = subprocess.run(
        [sys.executable, "-m", "ctn_graph.cli", "query", "-", "--graph", str(files.store)],
        input=b"\xff",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stderr
    assert proc.stderr.decode().strip() == "error: -: the query on standard input is not UTF-8 (byte 0)"


@pytest.fixture
def full_device(tmp_path) -> Path:
    """A device that is always full: a node of the kernel's /dev/full (char 1, 7) made in
    the test's folder, so that the real /dev/full is never at stake."""
    node = tmp_path / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        with open(node, "wb") as f:
            f.write(b"x")
            f.flush()
    except PermissionError:
        pytest.skip("making a device node needs root")
    except OSError as e:
        if e.errno != errno.ENOSPC:
            pytest.skip(f"no device nodes here ({e})")
    return node


def test_query_output_onto_a_full_device_names_it_and_keeps_the_device(files, full_device):
    result = run("query", "projects-by-funder", "--graph", files.store, "-f", "csv", "-o", full_device)
    assert_one_line_error(result, contains=f"{full_device}: No space left on device")
    assert stat.S_ISCHR(full_device.stat().st_mode)  # written to, never replaced by a file


def test_standard_output_on_a_full_device_is_named(files, full_device):
    with open(full_device, "wb") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "ctn_graph.cli", "query", "projects-by-funder", "--graph", str(files.store)],
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == "error: standard output: No space left on device"


def _fail_with(monkeypatch, module, name: str, err: int) -> None:
    real = getattr(module, name)

    def failing(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(module, name, failing)
    assert real is not failing


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS, errno.EACCES], ids=["full disk", "read-only", "denied"])
def test_query_output_that_cannot_be_written_names_the_file(files, tmp_path, monkeypatch, err):
    """A full disk (fsync fails, as on a real one), a read-only folder or one without
    write permission (the temporary file cannot be made: simulated, since root may write
    anywhere)."""
    import ctn_graph.rdf.files as export

    if err == errno.ENOSPC:
        _fail_with(monkeypatch, export.os, "fsync", err)
    else:
        _fail_with(monkeypatch, export.tempfile, "mkstemp", err)
    out = tmp_path / "out" / "r.csv"
    result = run("query", "projects-by-funder", "--graph", files.store, "-f", "csv", "-o", out)
    assert_one_line_error(result, contains=f"{out}: ")
    assert os.strerror(err) in result.stderr
    assert not out.exists() and [p.name for p in out.parent.iterdir()] == []


def test_a_build_onto_a_full_disk_names_the_output(files, tmp_path, monkeypatch):
    import ctn_graph.rdf.files as export

    _fail_with(monkeypatch, export.os, "fsync", errno.ENOSPC)
    result = run("build", files.docs, "-o", tmp_path / "g.ttl", "--no-cache")
    assert_one_line_error(result, contains=f"{tmp_path / 'g.ttl'}: No space left on device")


# --------------------------------------------------------------------------- any value of a numeric option

# each command with a numeric option, and arguments that fail *after* the option is read
# (a path that does not exist), so that every value, good or bad, ends in an error
NUMERIC = [
    ("build", "--max-mb", ["{d}/nope"]),
    ("build", "--jobs", ["{d}/nope"]),
    ("validate", "--max-results", ["{d}/nope.ttl"]),
    ("query", "--timeout", ["projects-by-funder", "--graph", "{d}/nope.ttl"]),
    ("push", "--timeout", ["--endpoint", "http://127.0.0.1:9/q", "--graph", "{d}/nope.ttl"]),
    ("serve", "--port", ["--graph", "{d}/nope.store"]),
    ("serve", "--timeout", ["--graph", "{d}/nope.store"]),
    ("viz", "--depth", ["{d}/nope.ttl"]),
    ("viz", "--year", ["{d}/nope.ttl"]),
    ("analyse", "--top", ["{d}/nope.ttl"]),
    ("export-network", "--depth", ["{d}/nope.ttl"]),
]

VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
    st.sampled_from(["nan", "-nan", "inf", "-inf", "1e309", "-0", "0x10", "1_000", "", " ", "١٢", "½"]),
    st.text(max_size=12),
)


@pytest.mark.parametrize("command,option,rest", NUMERIC, ids=[f"{c} {o}" for c, o, _ in NUMERIC])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=VALUES)
def test_any_value_of_a_numeric_option_is_a_clean_error(files, command, option, rest, value):
    result = run(command, *(a.format(d=files.dir) for a in rest), f"{option}={value}")
    assert_one_line_error(result)

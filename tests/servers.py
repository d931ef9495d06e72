"""Start and stop real triplestores for the tests: the Oxigraph server (a pip dependency)
and OpenLink Virtuoso (Debian's virtuoso-opensource, when installed).

Every server listens on 127.0.0.1 only, on a free port, keeps its data and its log in a
temporary folder, and every wait is bounded; a server that does not come up fails with
the end of its log.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """A server that would not start; the message holds its command line and log."""


def free_port() -> int:
    """A TCP port nothing listens on now (the OS picks it; a tiny race is possible)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    args: list[str]
    proc: subprocess.Popen[bytes]
    log: Path
    port: int
    base: str  # http://127.0.0.1:PORT
    started_s: float = 0.0  # seconds from the spawn until the first good answer
    extra: dict[str, object] = field(default_factory=dict)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 15.0) -> None:
        stop_process(self.proc, timeout)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """SIGTERM, a bounded wait, then SIGKILL; only this process (we started it)."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout)


def spawn(name: str, args: Sequence[str], log: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            list(args), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
        )


def sparql_get(url: str, query: str, timeout: float = 5.0, accept: str = "application/sparql-results+json") -> bytes:
    req = urllib.request.Request(
        url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return bytes(resp.read())


def wait_for_sparql(server: Server, url: str, timeout: float, t0: float) -> None:
    """Poll `url` with a tiny query until it answers 200, the process dies, or `timeout` passes."""
    deadline = t0 + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise ServerError(
                f"{server.name} exited with status {server.proc.returncode} before answering at {url}\n"
                f"command: {' '.join(server.args)}\n--- log ---\n{server.log_tail()}"
            )
        try:
            sparql_get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=2.0)
            server.started_s = time.monotonic() - t0
            return
        except urllib.error.HTTPError as e:
            last = f"HTTP {e.code}"
        except (urllib.error.URLError, OSError) as e:
            last = str(getattr(e, "reason", e))
        time.sleep(0.1)
    server.stop()
    raise ServerError(
        f"{server.name} did not answer at {url} within {timeout:g} s (last: {last})\n"
        f"command: {' '.join(server.args)}\n--- log ---\n{server.log_tail()}"
    )


# --------------------------------------------------------------------------- Oxigraph


def oxigraph_exe() -> str:
    exe = Path(sys.executable).with_name("oxigraph")
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not found:
        raise ServerError("the oxigraph server is not installed (pip install oxigraph)")
    return found


def start_oxigraph(location: Path, *, union_default_graph: bool = True, timeout: float = 30.0) -> Server:
    """`oxigraph serve` (read-write) on a free 127.0.0.1 port; query at BASE/query."""
    port = free_port()
    args = [oxigraph_exe(), "serve", "--location", str(location), "--bind", f"{HOST}:{port}"]
    if union_default_graph:
        args.append("--union-default-graph")
    log = location.parent / f"{location.name}.log"
    t0 = time.monotonic()
    server = Server("oxigraph", args, spawn("oxigraph", args, log), log, port, f"http://{HOST}:{port}")
    wait_for_sparql(server, server.base + "/query", timeout, t0)
    return server


def start_ctn_serve(store: Path, workdir: Path, timeout: float = 30.0, extra: Sequence[str] = ()) -> Server:
    """`python -m ctn_graph.cli serve --graph STORE --port P` (it execs Oxigraph's read-only server)."""
    port = free_port()
    args = [sys.executable, "-m", "ctn_graph.cli", "serve", "--graph", str(store), "--port", str(port), *extra]
    log = workdir / f"serve-{port}.log"
    t0 = time.monotonic()
    server = Server(
        "ctn-graph serve", args, spawn("ctn-graph serve", args, log, cwd=workdir), log, port, f"http://{HOST}:{port}"
    )
    wait_for_sparql(server, server.base + "/query", timeout, t0)
    return server


def cmdline(pid: int) -> list[str]:
    """The command line a process runs now (after an exec), from /proc."""
    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    return [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]


# --------------------------------------------------------------------------- Virtuoso

VIRTUOSO_DBA = ("dba", "dba")  # a fresh database's administrator; our own instance only

_VIRTUOSO_INI = """\
; A throw-away Virtuoso for the tests: everything in {dir}, listening on 127.0.0.1 only.
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = {host}:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 60
DirsAllowed        = ., {dir}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
ThreadsPerQuery    = 2

[HTTPServer]
ServerPort         = {host}:{http_port}
ServerRoot         = {dir}
ServerThreads      = 10
EnabledDavVSP      = 0
Charset            = UTF-8

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryExecutionTime      = 60
; a query is not refused for its cost estimate: the evidence query is estimated at 84 s
; and runs in well under one
MaxQueryCostEstimationTime = 100000
"""


def virtuoso_exe() -> str | None:
    """virtuoso-t on the PATH, in /usr/bin, or in a versioned install folder; None if absent."""
    found = shutil.which("virtuoso-t")
    if found:
        return found
    candidates = ["/usr/bin/virtuoso-t", *sorted(glob.glob("/usr/lib/virtuoso-opensource-*/bin/virtuoso-t"))]
    candidates += sorted(glob.glob("/opt/virtuoso*/bin/virtuoso-t"))
    return next((c for c in candidates if os.access(c, os.X_OK)), None)


def virtuoso_version(exe: str) -> str:
    try:
        out = subprocess.run([exe, "-?"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    for line in (out.stdout + out.stderr).decode("utf-8", "replace").splitlines():
        if "Version" in line:
            return line.strip()
    return "unknown"


def start_virtuoso(folder: Path, exe: str, timeout: float = 90.0) -> Server:
    """Our own Virtuoso (not the system service): `virtuoso-t -f -c folder/virtuoso.ini`,
    HTTP on a free port; SPARQL at BASE/sparql, the Graph Store at BASE/sparql-graph-crud-auth
    (HTTP digest as dba)."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, host=HOST, sql_port=sql_port, http_port=http_port), "utf-8")
    args = [exe, "-f", "-c", str(ini)]
    log = folder / "virtuoso.out"
    t0 = time.monotonic()
    server = Server(
        "virtuoso",
        args,
        spawn("virtuoso", args, log, cwd=folder),
        log,
        http_port,
        f"http://{HOST}:{http_port}",
        extra={"sql_port": sql_port, "ini": ini},
    )
    wait_for_sparql(server, server.base + "/sparql", timeout, t0)
    return server

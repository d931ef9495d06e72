"""The query processes of `ctn-graph serve` (ctn_graph.sparql.serve): each holds the store open
read-only and runs one query at a time, streaming the serialised result back to the server
through a pipe. A query that runs past the server's timeout is stopped by killing its
process, which a fresh one replaces: pyoxigraph cannot interrupt a query in the middle.
"""

from __future__ import annotations

import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast


def _die_with_parent() -> None:
    """Linux: this process gets SIGKILL when the server that started it dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _negotiate(accept: str, formats: list[Any], from_media_type: Callable[[str], Any]) -> Any:
    """The first of the client's Accept types (by q) that is one of `formats`; the first
    format for */*, no Accept, or nothing known; None for an Accept that allows nothing."""
    wanted: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            wanted.append((-q, i, media.lower()))
    if not wanted:
        return formats[0]
    for _, _, media in sorted(wanted):
        if media in ("*/*", "application/*", "text/*"):
            return formats[0]
        fmt = from_media_type(media)
        if fmt is not None and fmt in formats:
            return fmt
    return None


class _ToParent:
    """A binary file that sends what is written to the server in 64 KB messages; the
    first one says the media type."""

    def __init__(self, conn: Any, media: str) -> None:
        self.conn, self.media = conn, media
        self.buf = bytearray()
        self.started = False

    def write(self, data: bytes) -> int:
        self.buf += data
        if len(self.buf) >= 65536:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if not self.buf:
            return
        if not self.started:
            self.conn.send(("head", self.media))
            self.started = True
        self.conn.send(("data", bytes(self.buf)))
        self.buf.clear()


def _worker(store_path: str, conn: Any) -> None:
    """A query process: runs each query it is sent on the store (opened read-only once)
    and sends the serialised result back, streamed."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    import pyoxigraph as ox

    store = ox.Store.read_only(store_path)
    results = [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
               ox.QueryResultsFormat.TSV]  # fmt: skip
    graphs = [ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML, ox.RdfFormat.N3,
              ox.RdfFormat.JSON_LD, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG]  # fmt: skip
    while True:
        try:
            text, default_graphs, named_graphs, accept = conn.recv()
        except (EOFError, OSError):
            return
        out: _ToParent | None = None
        try:
            kwargs: dict[str, Any] = {}
            if default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            else:
                kwargs["use_default_graph_as_union"] = True
            if named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
            res = store.query(text, **kwargs)
            if isinstance(res, ox.QueryTriples):
                fmt = _negotiate(accept, graphs, ox.RdfFormat.from_media_type)
            else:
                fmt = _negotiate(accept, results, ox.QueryResultsFormat.from_media_type)
            if fmt is None:
                conn.send(("error", 406, f"no result format for Accept: {accept}"))
                continue
            out = _ToParent(conn, fmt.media_type)
            res.serialize(cast("IO[bytes]", out), fmt)
            out.flush()
            if not out.started:
                conn.send(("head", fmt.media_type))
            conn.send(("end",))
        except (BrokenPipeError, EOFError):
            return
        except SyntaxError as e:
            conn.send(("error", 400, f"SPARQL syntax {e}"))
        except Exception as e:  # an evaluation error, a bad IRI in default-graph-uri ...
            if out is not None and out.started:
                conn.send(("fail", str(e)))
            else:
                conn.send(("error", 400 if isinstance(e, ValueError) else 500, " ".join(str(e).split())[:500]))


class Worker:
    def __init__(self, ctx: Any, store: str) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(store, child), daemon=True, name="ctn-graph serve worker")
        self.proc.start()
        child.close()

    def recv(self, deadline: float) -> tuple[Any, ...] | None:
        """The worker's next message, None when the deadline passes first."""
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not self.conn.poll(remaining):
            return None
        try:
            msg: tuple[Any, ...] = self.conn.recv()
        except (EOFError, OSError):
            return ("error", 500, "the query process ended unexpectedly")
        return msg

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class Pool:
    """Worker processes, each used by one request at a time; a worker that had to be
    stopped (a query over the timeout, a client gone mid-answer) is replaced."""

    def __init__(self, store: Path, size: int) -> None:
        import multiprocessing

        self.ctx = multiprocessing.get_context("spawn")  # the server has threads: no fork
        self.store = str(store)
        self.size = size
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.workers: set[Worker] = set()
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        w = Worker(self.ctx, self.store)
        with self.lock:
            self.workers.add(w)
        self.idle.put(w)

    def acquire(self, timeout: float) -> Worker | None:
        try:
            return self.idle.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None

    def release(self, w: Worker) -> None:
        self.idle.put(w)

    def replace(self, w: Worker) -> None:
        w.kill()
        with self.lock:
            self.workers.discard(w)
        self._add()

    def close(self) -> None:
        with self.lock:
            workers = list(self.workers)
        for w in workers:
            w.kill()

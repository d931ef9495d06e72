"""`ctn-graph serve`: a built store, read-only, over the SPARQL 1.1 Protocol.

The server is ours (Python's http.server in front of pyoxigraph) rather than Oxigraph's
own, because Oxigraph's server carries out every SERVICE clause it is sent, with no way
to turn that off: anyone who can reach the port (any web page, with `--cors`) could make
it fetch any URL. Here:

* `GET /query?query=...`, `POST /query` (a form, or an `application/sparql-query` body),
  also at `/sparql`; `default-graph-uri` and `named-graph-uri`; the default graph is the
  union of all graphs. Results as SPARQL JSON (the default), XML, CSV or TSV, graphs as
  Turtle (the default), N-Triples, RDF/XML, JSON-LD ..., by the Accept header.
* Only queries: an update, at `/update` or anywhere, and every PUT, DELETE or PATCH get
  `403 The server is read-only`.
* SERVICE is refused (403) unless the server was started with `allow_federation`; with
  `cors` as well only if `cors_federation` says so (see `check_options`).
* Queries run in a few worker processes, each with the store open read-only; a query
  that runs longer than `timeout` is stopped by killing its worker (a new one starts),
  and the client gets `503`. The results stream (chunked), so a huge result never fills
  the server's memory.
* Bound to a loopback address (the default), it answers only requests whose Host is
  localhost or a loopback address, so a web page cannot read it through DNS rebinding.
* `GET /` is a query page: YASGUI (the files in ctn_graph/yasgui/, served from here)
  set to this endpoint, with the project's prefixes in its first query. Its
  Content-Security-Policy lets it load and reach nothing but this server.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .guard import check_query, read_shape
from .query import QueryError
from .serve_pool import Pool, Worker

MAX_REQUEST_BYTES = 10_000_000
YASGUI_DIR = Path(__file__).with_name("yasgui")
PAGE_PREFIXES = ("ctn", "ctnid", "ctnorg", "ctnproj", "ctnperson", "skos", "rdfs", "dcterms", "prov")
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
READ_ONLY = "The server is read-only: ctn-graph serve answers SPARQL queries only (ctn-graph push changes a store)"
FEDERATION_HINT = "start ctn-graph serve with --allow-federation to allow it"


class ServeError(Exception):
    """Options that cannot be served, or a store that cannot be opened; the message says which."""


@dataclass(frozen=True, slots=True)
class ServeOptions:
    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    cors: bool = False
    timeout: float = 60.0
    allow_federation: bool = False
    cors_federation: bool = False  # the user's word that --cors with federation is wanted
    workers: int = 0  # 0: one per core, at most 4


def check_options(options: ServeOptions) -> None:
    """Refuse what would expose more than the user asked for: federation with CORS lets
    any web page the user opens make this server fetch any URL and read the answer."""
    if options.cors and options.allow_federation and not options.cors_federation:
        raise ServeError(
            "--cors with --allow-federation lets any web page you open make this server fetch any URL it can "
            "reach and read the answer; add --allow-cors-federation if that is what you want"
        )
    if not (options.timeout > 0 and options.timeout < 1e9):
        raise ServeError(f"--timeout must be a positive number of seconds, not {options.timeout!r}")


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------- HTTP


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    options: ServeOptions
    pool: Pool


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "ctn-graph-serve"
    protocol_version = "HTTP/1.1"
    timeout = 30  # a client that sends half a request cannot hold a thread for ever

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    # ---- answers

    def _headers(self, status: int, media: str, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        if self.server.options.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()

    def _plain(self, status: int, text: str, extra: dict[str, str] | None = None) -> None:
        body = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if self.server.options.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _page_file(self, path: str) -> None:
        """The query page and the files it runs (YASGUI), none of them from a document."""
        media, body = _page_file(path)
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", PAGE_CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        if self.server.options.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    # ---- requests

    def _host_allowed(self) -> bool:
        if not _is_loopback(self.server.options.host):
            return True
        host = self.headers.get("Host")
        if host is None:
            return True
        name = urllib.parse.urlsplit("//" + host).hostname or ""
        return _is_loopback(name)

    def _route(self) -> str | None:
        if not self._host_allowed():
            self._plain(403, f"this server answers only requests for localhost (Host: {self.headers.get('Host')})")
            return None
        return urllib.parse.urlsplit(self.path).path.rstrip("/") or "/"

    def do_GET(self) -> None:  # noqa: N802 - http.server's names
        path = self._route()
        if path is None:
            return
        if path in ("/query", "/sparql"):
            params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
            if "query" not in params:
                self._plain(400, "a SPARQL query is expected in the query parameter")
                return
            self._query(params)
        elif path in _PAGE_FILES:
            self._page_file(path)
        elif path == "/update":
            self._plain(403, READ_ONLY)
        else:
            self._plain(404, f"GET {path} is not supported by this server (queries go to /query)")

    def do_POST(self) -> None:  # noqa: N802
        path = self._route()
        if path is None:
            return
        body = self._body()
        if body is None:
            return
        if path not in ("/query", "/sparql"):
            self._plain(403 if path in ("/update", "/store", "/data") else 404,
                        READ_ONLY if path in ("/update", "/store", "/data")
                        else f"POST {path} is not supported by this server (queries go to /query)")  # fmt: skip
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if ctype == "application/x-www-form-urlencoded":
            try:
                form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                self._plain(400, "the form is not UTF-8")
                return
            if "update" in form:
                self._plain(403, READ_ONLY)
                return
            params.update(form)
        elif ctype == "application/sparql-query":
            try:
                params["query"] = [body.decode("utf-8")]
            except UnicodeDecodeError:
                self._plain(400, "the query is not UTF-8")
                return
        elif ctype == "application/sparql-update":
            self._plain(403, READ_ONLY)
            return
        else:
            self._plain(415, "send a query as application/sparql-query or application/x-www-form-urlencoded")
            return
        if "query" not in params:
            self._plain(400, "a SPARQL query is expected in the query parameter")
            return
        self._query(params)

    def _refuse_write(self) -> None:
        self.close_connection = True  # its body is not read
        if self._route() is not None:
            self._plain(403, READ_ONLY)

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def do_OPTIONS(self) -> None:  # noqa: N802 - a CORS preflight
        if self._route() is None:
            return
        self.send_response(204)
        self.send_header("Allow", "GET, POST, OPTIONS")
        if self.server.options.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Access-Control-Max-Age", "600")
        self.end_headers()

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST_BYTES:
            self.close_connection = True
            self._plain(413 if length > 0 else 400, f"a request body of at most {MAX_REQUEST_BYTES} bytes is expected")
            return None
        return self.rfile.read(length) if length else b""

    def _query(self, params: dict[str, list[str]]) -> None:
        options = self.server.options
        if len(params["query"]) != 1:
            self._plain(400, "one query parameter is expected")
            return
        text = params["query"][0]
        shape = read_shape(text)
        try:
            check_query(text, "", federation=options.allow_federation, federation_hint=FEDERATION_HINT,
                        who="this server")  # fmt: skip
        except QueryError as e:
            self._plain(403, READ_ONLY if shape.update else str(e))
            return
        task = (text, params.get("default-graph-uri", []), params.get("named-graph-uri", []),
                self.headers.get("Accept") or "")  # fmt: skip
        deadline = time.monotonic() + options.timeout
        pool = self.server.pool
        worker = pool.acquire(deadline - time.monotonic())
        if worker is None:
            self._plain(503, f"every query process was busy for {options.timeout:g} s")
            return
        reusable = False  # whether the worker finished its query and can take another
        try:
            reusable = self._relay(worker, task, deadline)
        except OSError:  # the client went away (the worker may be blocked writing), or the worker did
            self.close_connection = True
        finally:
            if reusable:
                pool.release(worker)
            else:
                pool.replace(worker)

    def _relay(self, worker: Worker, task: tuple[Any, ...], deadline: float) -> bool:
        """Run the query on the worker and stream its answer; True when the worker is done
        with it and can be used again."""
        options = self.server.options
        try:
            worker.conn.send(task)
        except OSError:
            self._plain(500, "the query process ended unexpectedly")
            return False
        msg = worker.recv(deadline)
        if msg is None:
            self._plain(503, f"the query was stopped after {options.timeout:g} s (--timeout)")
            return False
        if msg[0] == "error":
            reusable = "ended unexpectedly" not in msg[2]
            try:
                self._plain(msg[1], msg[2])
            except OSError:
                self.close_connection = True
            return reusable
        self._headers(200, msg[1])
        for msg in _rest(worker, deadline):
            if msg[0] == "data":
                self._chunk(msg[1])
            elif msg[0] == "end":
                try:
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    self.close_connection = True
                return True
            else:  # stopped, failed or ended half-way: the answer ends without its last chunk
                break
        self.close_connection = True
        return False


def _rest(worker: Worker, deadline: float) -> Iterator[tuple[Any, ...]]:
    while True:
        msg = worker.recv(deadline)
        if msg is None:
            yield ("stopped",)
            return
        yield msg
        if msg[0] in ("end", "fail", "error"):
            return


_PAGE_FILES = {
    "/": "text/html; charset=utf-8",
    "/index.html": "text/html; charset=utf-8",
    "/yasgui.min.js": "text/javascript; charset=utf-8",
    "/yasgui.min.css": "text/css; charset=utf-8",
    "/ctn-graph-yasgui.js": "text/javascript; charset=utf-8",
}
_PAGE_CACHE: dict[str, bytes] = {}

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ctn-graph: SPARQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="yasgui.min.css">
</head>
<body>
<p id="ctn-graph-endpoint">ctn-graph serve: a read-only SPARQL endpoint at <code>/query</code></p>
<div id="yasgui"></div>
<script src="yasgui.min.js"></script>
<script src="ctn-graph-yasgui.js"></script>
</body>
</html>
"""

_SETTINGS = """// YASGUI set to this server's endpoint (written by ctn_graph/serve.py)
(function () {
  "use strict";
  var endpoint = window.location.origin + "/query";
  var prefixes = %s;
  var head = Object.keys(prefixes).map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; });
  // only the autocompleter that looks at the query itself: the others ask prefix.cc and LOV
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  Yasgui.Yasqe.defaults.value = head.join("\\n") + "\\n\\nSELECT ?organisation ?name WHERE {\\n" +
    "  ?organisation a ctn:Organisation ; skos:prefLabel ?name .\\n}\\nORDER BY ?name\\nLIMIT 20\\n";
  var note = document.getElementById("ctn-graph-endpoint");
  note.textContent = "ctn-graph serve: a read-only SPARQL endpoint at " + endpoint;
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] }
  });
})();
"""


def _page_file(path: str) -> tuple[str, bytes]:
    """The media type and bytes of one of the query page's files (read once)."""
    body = _PAGE_CACHE.get(path)
    if body is None:
        if path in ("/", "/index.html"):
            body = _PAGE.encode("utf-8")
        elif path == "/ctn-graph-yasgui.js":
            import json

            from ..rdf.vocab import FILE_PREFIXES

            body = (_SETTINGS % json.dumps({p: FILE_PREFIXES[p] for p in PAGE_PREFIXES}, indent=None)).encode()
        else:
            body = (YASGUI_DIR / path.lstrip("/")).read_bytes()
        _PAGE_CACHE[path] = body
    return _PAGE_FILES[path], body


def listen_error(host: str, port: int, error: OSError) -> str:
    """Why the server cannot listen, on one line, with what to do about it."""
    import errno
    import socket

    where = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    if error.errno == errno.EADDRINUSE:
        return f"{where}: the port is taken (another program listens there); stop it or choose another with --port"
    if error.errno == errno.EACCES:
        return f"{where}: not allowed to listen there (ports below 1024 need root); choose another with --port"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{where}: not an address of this machine; give another with --host (127.0.0.1 keeps it here)"
    if isinstance(error, socket.gaierror):
        return f"{where}: no such host ({error.strerror or error}); give an address with --host"
    return f"{where}: cannot listen ({error.strerror or error})"


def announcement(options: ServeOptions, port: int) -> list[str]:
    """What `ctn-graph serve` tells when it starts: where the endpoint is, where its
    YASGUI page is, and (with --cors) that pages from elsewhere may query it."""
    host = f"[{options.host}]" if ":" in options.host else options.host
    if options.host in ("0.0.0.0", "::"):  # every address: a client on this machine uses the loopback one
        host = "127.0.0.1" if options.host == "0.0.0.0" else "[::1]"
    base = f"http://{host}:{port}"
    lines = [
        f"serving {options.store} read-only (Ctrl-C stops)",
        f"SPARQL endpoint: {base}/query  (GET ?query=... or POST; also at /sparql)",
        f"YASGUI: {base}/  (a query page served from here; open it in your browser)",
    ]
    if options.cors:
        lines.append(f"CORS is on: a YASGUI or any web page elsewhere may query {base}/query too")
    return lines


class _Stop(Exception):
    pass


def serve_store(options: ServeOptions, announce: Callable[[str], None] = print) -> None:
    """Serve `options.store` until interrupted (SIGINT) or terminated (SIGTERM)."""
    import pyoxigraph as ox

    check_options(options)
    if not options.store.is_dir():
        raise ServeError(f"{options.store}: a store directory is needed (run `ctn-graph build` first)")
    try:
        ox.Store.read_only(str(options.store))
    except OSError as e:
        raise ServeError(f"{options.store}: cannot open the store ({e})") from None
    try:
        server = _Server((options.host, options.port), _Handler)
    except OSError as e:
        raise ServeError(listen_error(options.host, options.port, e)) from None
    server.options = options
    size = options.workers or max(1, min(4, os.cpu_count() or 1))
    server.pool = Pool(options.store, size)

    def stop(signum: int, frame: Any) -> None:
        raise _Stop

    previous = signal.signal(signal.SIGTERM, stop)
    for line in announcement(options, server.server_address[1]):
        announce(line)
    if options.allow_federation:
        announce("federation is on: whoever can reach this port can make it fetch any URL it can reach")
    try:
        server.serve_forever(poll_interval=0.2)
    except _Stop:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.pool.close()

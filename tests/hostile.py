"""A hostile HTTP server for the endpoint tests: raw bytes on a socket on 127.0.0.1.

`FakeStore` (tests/test_faults.py) answers with well-formed HTTP; `Hostile` answers with
whatever its script writes on the socket: a malformed status line, a hundred headers, a
body cut short, an answer trickled a byte at a time, a redirect to another server. Every
request is recorded (method, path, headers, body). Every wait is bounded: a script gets
its own deadline (`slept` stops early when the server stops) and the server's threads are
daemons that end with `stop()`.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


Script = Callable[["Hostile", socket.socket, Request], None]


class Hostile:
    """Accepts connections on a free port; for each request, runs `script(server, sock, request)`."""

    def __init__(self, script: Script, life_s: float = 60.0) -> None:
        self.script = script
        self.requests: list[Request] = []
        self.stopped = threading.Event()
        self.life_s = life_s
        self.sock = socket.create_server((HOST, 0))
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.base = f"http://{HOST}:{self.port}"
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        end = time.monotonic() + self.life_s
        while not self.stopped.is_set() and time.monotonic() < end:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            with conn:
                while not self.stopped.is_set():
                    request = _read_request(conn)
                    if request is None:
                        return
                    self.requests.append(request)
                    self.script(self, conn, request)
                    return  # one request per connection: every answer ends with the connection
        except OSError:
            pass

    def slept(self, seconds: float) -> bool:
        """Wait, unless the server stops first; True when it stopped."""
        return self.stopped.wait(seconds)

    def stop(self) -> None:
        self.stopped.set()
        self.sock.close()
        self.thread.join(5)


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1_000_000:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip()] = v.strip()
    length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0") or 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Request(method, path, headers, rest[:length])


@contextmanager
def hostile(script: Script, life_s: float = 60.0) -> Iterator[Hostile]:
    server = Hostile(script, life_s)
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- answers


def answer(
    status: str, body: bytes = b"", headers: tuple[tuple[str, str], ...] = (), length: int | None = None
) -> bytes:
    """An HTTP/1.1 answer as bytes: `status` like "200 OK"; Content-Length is len(body)
    unless `length` says otherwise (a body cut short)."""
    head = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers)]
    head.append(f"Content-Length: {len(body) if length is None else length}")
    head.append("Connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def reply(data: bytes) -> Script:
    """A script that writes `data` and closes."""

    def script(server: Hostile, sock: socket.socket, request: Request) -> None:
        sock.sendall(data)

    return script


def trickle(head: bytes, body: bytes, every_s: float = 0.5) -> Script:
    """Writes `head` at once, then `body` one byte every `every_s` seconds."""

    def script(server: Hostile, sock: socket.socket, request: Request) -> None:
        sock.sendall(head)
        for b in body:
            if server.slept(every_s):
                return
            sock.sendall(bytes([b]))

    return script


def select_json(rows: int, var: str = "x") -> bytes:
    bindings = [{var: {"type": "literal", "value": f"rinda {i}"}} for i in range(rows)]
    return json.dumps({"head": {"vars": [var]}, "results": {"bindings": bindings}}).encode()


def count_json(n: int) -> bytes:
    value = {"type": "literal", "value": str(n), "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    return json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": value}]}}).encode()


JSON_RESULTS = (("Content-Type", "application/sparql-results+json"),)

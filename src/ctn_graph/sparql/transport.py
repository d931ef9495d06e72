"""HTTP for the endpoint commands (`query --endpoint`, `push`): one request at a time,
bounded as a whole and never redirected blindly.

* **One deadline for the whole exchange**: connecting, sending, the status line and the
  headers, and every byte of the answer (also while a caller streams it). A watchdog shuts
  the socket when the time is up, so a store that trickles its answer a byte at a time
  cannot hold the command past `--timeout`.
* **Only http:// and https://** URLs, checked before anything is sent.
* **Redirects**: a write (`follow=False`: PUT, DELETE, a POST of an update) is never
  redirected: a 3xx answer is an error naming the URL and the Location. A read (a query)
  follows up to five redirects, to http(s) URLs only.
* **Credentials go only to the origin (scheme, host, port) the user named**: neither the
  Basic header nor a Digest answer is sent to another origin, whatever redirects say.
* The environment's proxy (http_proxy, https_proxy, no_proxy) is used as urllib would.
* An answer that breaks HTTP (a malformed status line, more than 100 headers, a body cut
  short, a connection dropped) is an `EndpointError` naming the URL, never a traceback.
"""

from __future__ import annotations

import base64
import http.client
import math
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)


class EndpointError(Exception):
    """A remote store that refused, failed or could not be reached; the message names the URL.

    `url` and `problem` are the two halves of the message; `status` is the HTTP status the
    store answered with (None if it gave no answer); `sent` is False when the request
    certainly never reached the store (the connection was refused); `timed_out` is True
    when the store gave no (whole) answer within the timeout; `retry` is True when the
    connection failed before an answer came (refused, reset, closed), which a store that
    is restarting gives too."""

    def __init__(self, message: str, *, url: str = "", problem: str = "", status: int | None = None,
                 sent: bool = True, timed_out: bool = False, retry: bool = False) -> None:  # fmt: skip
        super().__init__(message)
        self.url = url
        self.problem = problem or message
        self.status = status
        self.sent = sent
        self.timed_out = timed_out
        self.retry = retry


def failed(url: str, problem: str, *, status: int | None = None, sent: bool = True, timed_out: bool = False,
           retry: bool = False) -> EndpointError:  # fmt: skip
    return EndpointError(
        f"{url}: {problem}", url=url, problem=problem, status=status, sent=sent, timed_out=timed_out, retry=retry
    )


@dataclass(frozen=True, slots=True)
class Auth:
    user: str | None = None
    password: str | None = None
    digest: bool = False


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, the port made explicit."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def check_url(url: str) -> None:
    """Refuse anything but an http:// or https:// URL with a host (file://, ftp://, a path)."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as e:
        raise failed(url, f"not a valid URL ({e})", sent=False) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise failed(url, "only http:// and https:// endpoints are supported", sent=False)
    if not parts.hostname:
        raise failed(url, "the URL names no host", sent=False)


def check_timeout(url: str, timeout: float) -> None:
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise failed(url, f"--timeout must be a positive number of seconds, not {timeout!r}", sent=False)


class _Watchdog:
    """Shuts a socket down once `seconds` have passed since it was made (unless cancelled)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.001, self.deadline - time.monotonic())

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            if not self.expired:
                return
        self._shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            socks = list(self._socks)
        for s in socks:
            self._shut(s)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


class Answer:
    """An HTTP answer being read: a binary file-like object (for pyoxigraph's parsers) that
    keeps the request's deadline and turns every way of failing into an EndpointError."""

    def __init__(self, url: str, conn: http.client.HTTPConnection, resp: http.client.HTTPResponse,
                 watchdog: _Watchdog) -> None:  # fmt: skip
        self.url = url
        self.status = resp.status
        self.reason = resp.reason
        self.headers: Message = resp.headers
        self._conn, self._resp, self._watchdog = conn, resp, watchdog
        self._closed = False
        self._got = 0

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()

    def _timed_out(self) -> EndpointError:
        self.close()
        return failed(self.url, f"the answer was not complete within {self._watchdog.seconds:g} s (--timeout)",
                      status=self.status, timed_out=True)  # fmt: skip

    def _cut_short(self, announced: int | None) -> EndpointError:
        self.close()
        more = f", {announced} more were announced" if announced else ""
        return failed(self.url, f"the answer was cut short (after {self._got} bytes{more})", status=self.status)

    def read(self, n: int | None = -1) -> bytes:
        """Up to n bytes as soon as some have come (all of it for n < 0), b"" at the end."""
        if self._closed:
            return b""
        try:
            if n is None or n < 0:
                data = self._resp.read()
            else:
                data = self._resp.read1(n) if n else b""
        except http.client.IncompleteRead as e:
            if self._watchdog.expired:
                raise self._timed_out() from None
            self._got += len(e.partial)
            raise self._cut_short(e.expected) from None
        except (OSError, http.client.HTTPException, ValueError) as e:
            if self._watchdog.expired:
                raise self._timed_out() from None
            self.close()
            raise failed(self.url, f"the answer could not be read ({_reason(e)})", status=self.status) from None
        if self._watchdog.expired:  # a shut socket reads as the end of a close-delimited answer
            raise self._timed_out()
        self._got += len(data)
        if not data and n != 0:
            if self._resp.length:  # read1 reports a short body as its end
                raise self._cut_short(self._resp.length)
            self.close()
        return data

    def read1(self, n: int = -1) -> bytes:
        return self.read(n if n >= 0 else 65536)

    def readinto(self, b: bytearray | memoryview) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True

    def read_at_most(self, limit: int) -> bytes:
        """The whole answer, refused past `limit` bytes (for answers that are read whole)."""
        chunks, size = [], 0
        while chunk := self.read(65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                self.close()
                raise failed(self.url, f"the answer is larger than {limit // 1_000_000} MB", status=self.status)
        return b"".join(chunks)

    def text(self, limit: int = 20_000) -> str:
        """The start of the answer as text, for messages; never raises. Closes the answer."""
        try:
            return self._resp.read(limit).decode("utf-8", "replace")
        except Exception:
            return ""
        finally:
            self.close()

    def discard(self) -> None:
        """Drop a redirect's or a challenge's answer; the request's deadline keeps running."""
        try:
            self._resp.read(2000)
        except Exception:
            pass
        self._closed = True
        self._conn.close()

    def close(self) -> None:
        """Stop reading; the watchdog stops too."""
        if not self._closed:
            self._closed = True
            try:
                self._conn.close()
            except Exception:
                pass
        self._watchdog.cancel()

    def __enter__(self) -> Answer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reason(e: BaseException) -> str:
    """An HTTP client exception in a few words (never a Python repr of the exception)."""
    if isinstance(e, http.client.RemoteDisconnected):
        return str(e) or "the store closed the connection without an answer"
    if isinstance(e, http.client.BadStatusLine):
        line = " ".join(str(e.args[0] if e.args else "").split())[:80]
        return f"not an HTTP answer (status line {line})" if line not in ("", "''", '""') else "not an HTTP answer"
    if isinstance(e, http.client.LineTooLong):
        return f"not an HTTP answer ({e})"
    if isinstance(e, http.client.HTTPException) and "headers" in str(e):
        return "not an HTTP answer (more than 100 headers)"
    if isinstance(e, ssl.SSLError):
        return f"TLS: {e.reason or e}"
    return str(e) or type(e).__name__


def _basic(auth: Auth) -> str:
    token = base64.b64encode(f"{auth.user}:{auth.password or ''}".encode()).decode()
    return f"Basic {token}"


def _digest(auth: Auth, url: str, method: str, body: bytes | None, challenge: str) -> str | None:
    """The Authorization header answering a Digest challenge (the standard library's computation)."""
    scheme, _, rest = challenge.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    mgr.add_password(None, url, auth.user or "", auth.password or "")
    handler = urllib.request.HTTPDigestAuthHandler(mgr)
    chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
    try:
        value = handler.get_authorization(urllib.request.Request(url, data=body, method=method), chal)
    except Exception:  # a challenge the standard library cannot answer (qop=auth-int, bad fields)
        return None
    return f"Digest {value}" if value else None


def send(
    url: str,
    method: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    auth: Auth = Auth(),
    timeout: float = 60.0,
    follow: bool = False,
) -> Answer:
    """Send one request and return the answer, whatever its status, once it is not a
    redirect to follow (see the module's rules). The deadline covers the reading of the
    answer too: close it, or read it to the end, to stop the watchdog."""
    check_url(url)
    check_timeout(url, timeout)
    watchdog = _Watchdog(timeout)
    home = origin(url)
    current, verb, data, head = url, method, body, dict(headers or {})
    digest_answer: str | None = None
    hops = 0
    try:
        while True:
            same_origin = origin(current) == home
            sent = dict(head)
            if auth.user is not None and same_origin:
                if digest_answer:
                    sent["Authorization"] = digest_answer
                elif not auth.digest:
                    sent["Authorization"] = _basic(auth)
            answer = _exchange(current, verb, data, sent, watchdog)
            if answer.status == 401 and auth.digest and auth.user is not None and same_origin and not digest_answer:
                digest_answer = _digest(auth, current, verb, data, answer.headers.get("WWW-Authenticate") or "")
                if digest_answer:  # the challenge is answered once
                    answer.discard()
                    continue
            if not 300 <= answer.status < 400 or (follow and answer.status not in REDIRECTS):
                return answer
            location = (answer.headers.get("Location") or "").strip()
            status = f"HTTP {answer.status} {answer.reason}".rstrip()
            answer.discard()
            if not location:
                raise failed(current, f"{status} with no Location", status=answer.status)
            try:
                target = urllib.parse.urljoin(current, location)
                scheme = urllib.parse.urlsplit(target).scheme.lower()
            except ValueError as e:
                raise failed(current, f"{status}, redirected to {location}: not a valid URL ({e})",
                             status=answer.status) from None  # fmt: skip
            if not follow:
                raise failed(current, f"{status}, redirected to {target}: a write is never redirected "
                             "(if that is the store, give its URL instead)", status=answer.status)  # fmt: skip
            hops += 1
            if hops > MAX_REDIRECTS:
                raise failed(url, f"more than {MAX_REDIRECTS} redirects (the last to {target})", status=answer.status)
            if scheme not in ("http", "https"):
                raise failed(current, f"{status}, redirected to {target}: only http and https are followed",
                             status=answer.status)  # fmt: skip
            try:
                check_url(target)
            except EndpointError as e:
                raise failed(current, f"{status}, redirected to {target}: {e.problem}", status=answer.status) from None
            digest_answer = None  # a Digest answer is for one URL; credentials only ever for `home`
            if answer.status in (301, 302, 303) and verb == "POST":
                # the SPARQL protocol's GET: a form-encoded query moves into the URL
                if data and _is_form(head):
                    target += ("&" if urllib.parse.urlsplit(target).query else "?") + data.decode("ascii")
                verb, data = "GET", None
                head = {k: v for k, v in head.items() if k.lower() != "content-type"}
            current = target
    except BaseException:
        watchdog.cancel()
        raise


def _is_form(headers: dict[str, str]) -> bool:
    ct = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return ct.startswith("application/x-www-form-urlencoded")


class _Watched(http.client.HTTPConnection):
    """A connection whose socket the watchdog can shut from the moment it exists: while a
    proxy tunnel is set up, and during the TLS handshake, as well as after."""

    watchdog: _Watchdog

    def _open(self, address: tuple[str, int], timeout: float, source: tuple[str, int] | None = None) -> socket.socket:
        sock = socket.create_connection(address, timeout, source)
        self.watchdog.watch(sock)
        return sock

    def connect(self) -> None:
        self._create_connection = self._open
        super().connect()


class _WatchedTLS(_Watched, http.client.HTTPSConnection):
    def connect(self) -> None:
        _Watched.connect(self)  # TCP, and the proxy's tunnel if any
        context: ssl.SSLContext = self._context  # type: ignore[attr-defined]
        tls = context.wrap_socket(self.sock, server_hostname=getattr(self, "_tunnel_host", None) or self.host,
                                  do_handshake_on_connect=False)  # fmt: skip
        self.watchdog.watch(tls)  # the raw socket is detached now: the handshake is watched here
        self.sock = tls
        tls.do_handshake()


def _proxy(parts: urllib.parse.SplitResult) -> urllib.parse.SplitResult | None:
    """The proxy the environment names for this URL (http_proxy, https_proxy, no_proxy), as
    urllib would use it."""
    proxy = urllib.request.getproxies().get(parts.scheme.lower())
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.parse.urlsplit(proxy if "://" in proxy else "http://" + proxy)


def _connection(parts: urllib.parse.SplitResult, watchdog: _Watchdog) -> tuple[_Watched, str, dict[str, str]]:
    """A connection for the URL (through the environment's proxy, if any), the request
    target to send on it, and the headers the proxy wants."""
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    https = parts.scheme.lower() == "https"
    proxy = _proxy(parts)
    timeout = watchdog.remaining()
    if proxy is None:
        kind = _WatchedTLS if https else _Watched
        return kind(parts.hostname or "", parts.port, timeout=timeout), path, {}
    auth = {}
    if proxy.username is not None:
        who = f"{urllib.parse.unquote(proxy.username)}:{urllib.parse.unquote(proxy.password or '')}"
        auth["Proxy-Authorization"] = "Basic " + base64.b64encode(who.encode()).decode()
    if https:  # a tunnel through the proxy; TLS with the store itself
        tunnel = _WatchedTLS(proxy.hostname or "", proxy.port or 8080, timeout=timeout)
        tunnel.set_tunnel(parts.hostname or "", parts.port or 443, headers=auth)
        return tunnel, path, {}
    conn = _Watched(proxy.hostname or "", proxy.port or 8080, timeout=timeout)
    return conn, urllib.parse.urlunsplit(parts._replace(fragment="")), auth


def _exchange(url: str, method: str, body: bytes | None, headers: dict[str, str], watchdog: _Watchdog) -> Answer:
    check_url(url)
    conn, target, for_proxy = _connection(urllib.parse.urlsplit(url), watchdog)
    conn.watchdog = watchdog
    connected = False
    try:
        conn.connect()
        connected = True
        conn.request(method, target, body=body, headers={**headers, **for_proxy})
        resp = conn.getresponse()
    except Exception as e:
        conn.close()
        if watchdog.expired or isinstance(e, TimeoutError):
            raise failed(url, f"no answer within {watchdog.seconds:g} s (--timeout)", timed_out=True) from None
        if not isinstance(e, (OSError, http.client.HTTPException, ValueError)):
            raise
        # a connection refused, reset or closed before an answer came: worth another try (an
        # answer that is not HTTP, or a URL http.client refuses, is not)
        lost = isinstance(e, OSError) and not isinstance(e, ssl.SSLError)
        raise failed(url, _reason(e), sent=connected, retry=lost) from None
    return Answer(url, conn, resp, watchdog)

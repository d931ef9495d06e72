"""Remote triplestores over the standard SPARQL 1.1 protocols.

* queries through SPARQLWrapper (`EndpointEngine`), with basic or digest auth and a
  timeout;
* `push`: load the graph into a named graph of a store, replacing it whole, with the
  Graph Store HTTP Protocol (one PUT) where the store offers it, else with SPARQL Update
  (the data goes to a temporary graph first and is moved over the target in one
  operation, so a failed upload leaves the target as it was).

Stores differ in where they put these services; `push` takes them as options and
guesses the usual places (Oxigraph: /query, /update, /store; Virtuoso: /sparql,
/sparql-graph-crud[-auth]; Fuseki: /ds/query, /ds/update, /ds/data; GraphDB:
/repositories/x, /repositories/x/statements, /repositories/x/rdf-graphs/service).
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .query import LibraryQuery, QueryError, QueryResult, Term, inject_values

DEFAULT_GRAPH_IRI = "https://w3id.org/ctn/id/graph/ctn"


class EndpointError(Exception):
    """A remote store that refused, failed or could not be reached; the message names the URL.

    `url` and `problem` are the two halves of the message; `status` is the HTTP status the
    store answered with (None if it gave no answer); `sent` is False when the request
    certainly never reached the store (the connection was refused); `timed_out` is True
    when the store gave no answer within the timeout."""

    def __init__(self, message: str, *, url: str = "", problem: str = "", status: int | None = None,
                 sent: bool = True, timed_out: bool = False) -> None:  # fmt: skip
        super().__init__(message)
        self.url = url
        self.problem = problem or message
        self.status = status
        self.sent = sent
        self.timed_out = timed_out


def _failed(url: str, problem: str, *, status: int | None = None, sent: bool = True) -> EndpointError:
    timed_out = problem.startswith("no answer within")
    return EndpointError(f"{url}: {problem}", url=url, problem=problem, status=status, sent=sent, timed_out=timed_out)


@dataclass(frozen=True, slots=True)
class Auth:
    user: str | None = None
    password: str | None = None
    digest: bool = False


class EndpointEngine:
    """Runs queries on a SPARQL 1.1 endpoint through SPARQLWrapper."""

    name = "endpoint"

    def __init__(self, url: str, auth: Auth = Auth(), timeout: float = 60.0):
        self.url = url
        self.auth = auth
        self.timeout = timeout

    def _wrapper(self, text: str) -> Any:
        from SPARQLWrapper import DIGEST, POST, SPARQLWrapper

        sw = SPARQLWrapper(self.url)
        sw.setQuery(text)
        sw.setMethod(POST)
        sw.setTimeout(1)
        sw.timeout = self.timeout  # type: ignore[assignment]  # setTimeout takes whole seconds; 0.5 = none
        if self.auth.user is not None:
            if self.auth.digest:
                sw.setHTTPAuth(DIGEST)
            sw.setCredentials(self.auth.user, self.auth.password or "")
        return sw

    def run(self, query: LibraryQuery, bindings: Mapping[str, Term]) -> QueryResult:
        from SPARQLWrapper import JSON, TURTLE
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        text = inject_values(query.text, bindings)
        form = query.form
        sw = self._wrapper(text)
        try:
            if form == "SELECT":
                import pyoxigraph as ox

                from .query import _rows_from_ox

                sw.setReturnFormat(JSON)
                solutions = ox.parse_query_results(sw.query().response, ox.QueryResultsFormat.JSON)
                if isinstance(solutions, ox.QuerySolutions):
                    variables = [v.value for v in solutions.variables]
                    return QueryResult("SELECT", variables, _rows_from_ox(solutions, variables))
                return QueryResult("ASK", boolean=bool(solutions))
            if form in ("SELECT", "ASK"):
                sw.setReturnFormat(JSON)
                raw = sw.query().response.read()
                data = json.loads(raw)
                if "boolean" in data:
                    return QueryResult("ASK", boolean=bool(data["boolean"]))
                answers: list[dict[str, dict[str, str]]] = data.get("results", {}).get("bindings", [])
                if form == "ASK":
                    # Virtuoso answers ASK as a SELECT of ?__ASK_RETVAL: one row of 1, or none
                    return QueryResult(
                        "ASK", boolean=any(v.get("value") in ("1", "true") for b in answers for v in b.values())
                    )
                variables = list(data["head"].get("vars", []))
                rows = [{k: _term_from_json(v) for k, v in b.items()} for b in answers]
                return QueryResult("SELECT", variables, rows)
            sw.setReturnFormat(TURTLE)
            raw = sw.query().response.read()
        except SPARQLWrapperException as e:
            name = type(e).__name__
            if name == "EndPointNotFound":
                raise EndpointError(f"{self.url}: HTTP 404: no SPARQL endpoint at this URL") from None
            if name == "QueryBadFormed":
                import re

                body = str(e).split("Response:", 1)[-1].strip()
                if body.startswith("b'") or body.startswith('b"'):
                    import ast

                    body = ast.literal_eval(body).decode("utf-8", "replace")
                body = re.sub(r"\bat (\d+):(\d+)", r"at line \1, column \2", body)
                body = re.sub(r"^error ", "", body)
                raise QueryError(f"{query.path or query.name}: SPARQL syntax error {body} (from {self.url})") from None
            if name == "Unauthorized":
                raise EndpointError(f"{self.url}: HTTP 401: not allowed (check --user/--password)") from None
            raise EndpointError(f"{self.url}: {' '.join(str(e).split())[:500]}") from None
        except urllib.error.HTTPError as e:
            raise EndpointError(f"{self.url}: {_http_problem(e)}") from None
        except (urllib.error.URLError, OSError, TimeoutError) as e:
            raise EndpointError(f"{self.url}: {getattr(e, 'reason', e)}") from None
        except ValueError as e:
            raise EndpointError(f"{self.url}: the answer is not SPARQL JSON results ({e})") from None
        import pyoxigraph as ox

        from .query import TermCache

        conv = TermCache()
        try:
            parsed = ox.parse(raw, format=ox.RdfFormat.TURTLE)
            triples = [(conv(t.subject), conv(t.predicate), conv(t.object)) for t in parsed]
        except SyntaxError as e:
            raise QueryError(f"{self.url}: the answer is not Turtle ({e})") from None
        return QueryResult(form, triples=triples)


def _term_from_json(v: Mapping[str, str]) -> Term:
    kind = v["type"]
    if kind == "uri":
        return Term("uri", v["value"])
    if kind == "bnode":
        return Term("bnode", v["value"])
    lang = v.get("xml:lang")
    dt = v.get("datatype")
    if lang:
        return Term("literal", v["value"], lang, "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
    return Term("literal", v["value"], None, dt or "http://www.w3.org/2001/XMLSchema#string")


def _body(e: urllib.error.HTTPError) -> str:
    """The store's own words about an error, on one line: an HTML error page (Virtuoso
    sends them) as its text, without the markup."""
    import re

    try:
        text = e.read(20_000).decode("utf-8", "replace")
    except Exception:
        return ""
    if re.match(r"\s*<(!doctype html|html)", text, re.IGNORECASE):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1\s*>", " ", text)
        text = re.sub(r"<[^>]*>", " ", text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())[:300]


def _http_problem(e: urllib.error.HTTPError) -> str:
    said = _body(e)
    return f"HTTP {e.code} {e.reason}" + (f": {said}" if said else "")


# --------------------------------------------------------------------------- push


@dataclass(frozen=True, slots=True)
class PushResult:
    method: str  # "graph-store" or "update"
    graph: str
    triples: int
    url: str


class _OnceDigest(urllib.request.HTTPDigestAuthHandler):
    def http_error_401(self, req, fp, code, msg, hdrs):  # noqa: ANN001, ANN201
        if req.get_header("Authorization"):
            return None
        return super().http_error_401(req, fp, code, msg, hdrs)


def _request(
    url: str, method: str, body: bytes | None, content_type: str | None, auth: Auth, timeout: float, retries: int = 3
) -> int:
    """An HTTP request with basic/digest auth, retried with backoff on connection
    errors and 5xx answers; returns the status, raises EndpointError otherwise."""
    handlers: list[Any] = []
    if auth.user is not None and auth.digest:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, auth.user, auth.password or "")
        handlers.append(_OnceDigest(mgr))
    opener = urllib.request.build_opener(*handlers)
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if auth.user is not None and not auth.digest:
        token = base64.b64encode(f"{auth.user}:{auth.password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    delay = 0.5
    for attempt in range(retries + 1):
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with opener.open(req, timeout=timeout) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as e:
            if e.code in (502, 503, 504) and attempt < retries:  # a store busy or restarting
                time.sleep(delay)
                delay *= 2
                continue
            if e.code == 401:
                raise _failed(url, "HTTP 401: not allowed (check --user/--password)", status=401) from None
            if e.code == 403:  # e.g. the read-only `ctn-graph serve`: a password would not help
                problem = f"the endpoint refused the update ({_http_problem(e)}): "
                problem += "is it read-only, or may this user not write to it?"
                raise _failed(url, problem, status=403) from None
            raise _failed(url, _http_problem(e), status=e.code) from None
        except TimeoutError:
            raise _failed(url, f"no answer within {timeout:g} s (--timeout)") from None
        except (urllib.error.URLError, ConnectionError, OSError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, TimeoutError):
                raise _failed(url, f"no answer within {timeout:g} s (--timeout)") from None
            if attempt < retries:
                time.sleep(delay)
                delay *= 2
                continue
            refused = isinstance(reason, ConnectionRefusedError)
            raise _failed(url, f"cannot reach the store ({reason})", sent=not refused) from None
    raise _failed(url, "no answer")  # pragma: no cover


def guess_services(endpoint: str) -> tuple[list[str], str]:
    """Likely Graph Store and SPARQL Update URLs for a query endpoint URL."""
    u = endpoint.rstrip("/")
    gsp: list[str] = []
    update = u
    if u.endswith("/query"):  # Oxigraph, Fuseki
        base = u[: -len("/query")]
        gsp = [base + "/store", base + "/data"]
        update = base + "/update"
    elif u.endswith("/sparql"):  # Virtuoso, Fuseki's /ds/sparql
        base = u[: -len("/sparql")]
        gsp = [base + "/sparql-graph-crud-auth", base + "/sparql-graph-crud", base + "/data"]
        update = u
    elif "/repositories/" in u:  # GraphDB, RDF4J
        gsp = [u + "/rdf-graphs/service"]
        update = u + "/statements"
    return gsp, update


def push_ntriples(
    ntriples: bytes,
    triples: int,
    endpoint: str,
    graph: str = DEFAULT_GRAPH_IRI,
    *,
    gsp_url: str | None = None,
    update_url: str | None = None,
    auth: Auth = Auth(),
    timeout: float = 300.0,
    method: str = "auto",
) -> PushResult:
    """Replace `graph` in a remote store with the given N-Triples."""
    guessed_gsp, guessed_update = guess_services(endpoint)
    tried: list[EndpointError] = []  # what failed before the SPARQL Update that decides the outcome
    if method in ("auto", "graph-store"):
        for url in [gsp_url] if gsp_url else guessed_gsp:
            target = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"graph": graph})
            try:
                _request(target, "PUT", ntriples, "application/n-triples", auth, timeout)
                return PushResult("graph-store", graph, triples, url)
            except EndpointError as e:
                tried.append(e)
                if e.status in (401, 403) and gsp_url:
                    raise
        if method == "graph-store":
            if not tried:
                raise _failed(endpoint, "no Graph Store endpoint")
            raise _with_tried(tried[-1], tried[:-1])
    urls = [update_url] if update_url else _update_candidates(guessed_update, auth)
    final: list[EndpointError] = []  # answers the upload would get too
    answered: str | None = None
    for candidate in urls:
        try:  # find the update service that answers (Virtuoso: /sparql-auth with credentials)
            _request(
                candidate, "POST", b"DROP SILENT GRAPH <urn:ctn:probe>", "application/sparql-update", auth, timeout, 0
            )
            answered = candidate
            break
        except EndpointError as e:
            if e.status in (401, 403) or e.timed_out:  # a wrong password, a read-only store, no answer
                final.append(e)
    if answered is None and final:  # sending the data would only get the same answer, or leave it half-written
        raise _with_tried(final[-1], tried + final[:-1])
    url = answered or urls[0]  # no answer, or not the one expected: the upload itself says what is wrong
    tmp = f"{graph}-upload-{uuid.uuid4().hex}"
    stored = 0  # INSERT DATA requests the store acknowledged
    try:
        for chunk in _chunks(ntriples, 1000):  # Virtuoso's parser gives up near 5,000 triples
            body = b"INSERT DATA { GRAPH <" + tmp.encode() + b"> {\n" + chunk + b"\n} }"
            _request(url, "POST", body, "application/sparql-update", auth, timeout)
            stored += 1
        move = f"MOVE SILENT GRAPH <{tmp}> TO GRAPH <{graph}>".encode()
        _request(url, "POST", move, "application/sparql-update", auth, timeout)
    except EndpointError as e:
        left = ""
        try:
            _request(url, "POST", f"DROP SILENT GRAPH <{tmp}>".encode(), "application/sparql-update", auth, timeout, 0)
        except EndpointError:
            # a store that answered the failed INSERT with an error, or was never reached,
            # wrote nothing: only an acknowledged (or unanswered) upload can be left behind
            unanswered = e.sent and e.status is None
            if stored or unanswered:
                how = "is" if stored else "may be"
                left = f"; the partial upload {how} left in <{tmp}>: remove it with DROP GRAPH <{tmp}>"
        failed = _with_tried(e, tried)
        raise EndpointError(
            f"{failed}{left}", url=e.url, problem=e.problem, status=e.status, sent=e.sent, timed_out=e.timed_out
        ) from None
    return PushResult("update", graph, triples, url)


def _with_tried(error: EndpointError, tried: list[EndpointError]) -> EndpointError:
    """The error that decided the outcome, then the URLs tried before it: each URL once, and
    a problem already told only as "the same"."""
    if not tried:
        return error
    told = "; ".join(f"{t.url}: {'the same' if t.problem == error.problem else t.problem}" for t in tried)
    return EndpointError(
        f"{error} (tried before: {told})",
        url=error.url,
        problem=error.problem,
        status=error.status,
        sent=error.sent,
        timed_out=error.timed_out,
    )


def _update_candidates(url: str, auth: Auth) -> list[str]:
    if auth.user is not None and url.rstrip("/").endswith("/sparql"):
        return [url.rstrip("/") + "-auth", url]
    return [url]


def _chunks(ntriples: bytes, size: int) -> list[bytes]:
    """N-Triples in groups of `size` lines. Only \\n ends a line: a literal may hold U+2028,
    U+0085 and other characters that str.splitlines would break it at."""
    lines = [ln for ln in ntriples.split(b"\n") if ln.strip()]
    return [b"\n".join(lines[i : i + size]) for i in range(0, len(lines), size)] or [b""]

"""Remote triplestores over the standard SPARQL 1.1 protocols.

* queries (`EndpointEngine`): the protocol's form POST through ctn_graph.sparql.transport, with
  basic or digest auth and one deadline for the whole request and answer; only queries
  are sent (ctn_graph.sparql.guard);
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

import re
import time
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, cast

from .guard import check_query
from .query import LibraryQuery, QueryError, QueryResult
from .terms import Term, TermCache, _rows_from_ox, inject_values
from .transport import Answer, Auth, EndpointError, check_timeout, check_url, failed, origin, send

__all__ = ["Auth", "EndpointEngine", "EndpointError", "PushResult", "guess_services", "push_ntriples"]

DEFAULT_GRAPH_IRI = "https://w3id.org/ctn/id/graph/ctn"
NO_AUTH = Auth()
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
GRAPH_ACCEPT = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5"
ASK_LIMIT = 10_000_000  # bytes: an ASK answer is read whole
GRAPH_LIMIT = 1_000_000_000  # bytes: so is a CONSTRUCT or DESCRIBE answer


class EndpointEngine:
    """Runs queries on a SPARQL 1.1 endpoint (the protocol's POST of a form), through
    ctn_graph.sparql.transport: one deadline for the whole request and answer, credentials only
    for the endpoint's origin, and only queries: an update is refused before anything is
    sent."""

    name = "endpoint"

    def __init__(self, url: str, auth: Auth = NO_AUTH, timeout: float = 60.0):
        check_url(url)
        check_timeout(url, timeout)
        self.url = url
        self.auth = auth
        self.timeout = timeout

    def run(self, query: LibraryQuery, bindings: Mapping[str, Term]) -> QueryResult:
        import pyoxigraph as ox

        text = inject_values(query.text, bindings)
        label = str(query.path or query.name)
        form = check_query(text, label, federation=True, remote=self.url).form or "SELECT"
        body = urllib.parse.urlencode({"query": text}).encode("ascii")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": RESULTS_ACCEPT if form in ("SELECT", "ASK") else GRAPH_ACCEPT,
        }
        answer = send(self.url, "POST", body, headers, auth=self.auth, timeout=self.timeout, follow=True)
        if not 200 <= answer.status < 300:
            raise self._refused(answer, label)
        try:
            start = _first_bytes(answer, form in ("SELECT", "ASK"))
            if form in ("SELECT", "ASK"):
                fmt = _results_format(answer, start)
                if form == "ASK":
                    whole = start + answer.read_at_most(ASK_LIMIT)
                    return QueryResult("ASK", boolean=_boolean(ox.parse_query_results(whole, fmt)))
                solutions = ox.parse_query_results(cast("IO[bytes]", _Joined(start, answer)), fmt)
                if isinstance(solutions, ox.QuerySolutions):
                    variables = [v.value for v in solutions.variables]
                    return QueryResult("SELECT", variables, _guarded(_rows_from_ox(solutions, variables), answer))
                answer.close()
                return QueryResult("ASK", boolean=bool(solutions))
            rdf = _graph_format(answer, start)
            conv = TermCache()
            triples = [
                (conv(t.subject), conv(t.predicate), conv(t.object))
                for t in ox.parse(start + answer.read_at_most(GRAPH_LIMIT), format=rdf)
            ]
            return QueryResult(form, triples=triples)
        except SyntaxError as e:
            answer.close()
            what = "SPARQL results" if form in ("SELECT", "ASK") else "RDF"
            raise failed(answer.url, f"the answer is not {what} ({_one_line(str(e))[:200]})") from None
        except BaseException:
            answer.close()
            raise

    def _refused(self, answer: Answer, label: str) -> Exception:
        said = _said(answer)
        where = answer.url
        moved = f" (redirected from {self.url})" if where != self.url else ""
        if answer.status == 401:
            if origin(where) != origin(self.url):
                moved = f" (redirected from {self.url}; credentials are sent only to {self.url})"
            return failed(where, f"HTTP 401: not allowed (check --user/--password){moved}", status=401)
        if answer.status == 404:
            return failed(where, f"HTTP 404: no SPARQL endpoint at this URL{moved}", status=404)
        if answer.status == 400:
            body = re.sub(r"\bat (\d+):(\d+)", r"at line \1, column \2", said)
            body = re.sub(r"^error ", "", body)
            return QueryError(f"{label}: SPARQL syntax error {body} (from {where})")
        problem = f"HTTP {answer.status} {answer.reason}".rstrip() + (f": {said}" if said else "")
        return failed(where, problem + moved, status=answer.status)


class _Joined:
    """The bytes read to look at an answer, then the rest of it (a file-like object)."""

    def __init__(self, start: bytes, answer: Answer) -> None:
        self.start, self.answer = start, answer

    def read(self, n: int = -1) -> bytes:
        if self.start:
            if n is None or n < 0:
                data, self.start = self.start + self.answer.read(), b""
                return data
            data, self.start = self.start[:n], self.start[n:]
            return data
        return self.answer.read(n)

    def close(self) -> None:
        self.answer.close()


def _first_bytes(answer: Answer, results: bool, want: int = 512) -> bytes:
    """The start of a 200 answer, to tell SPARQL results from an error page; an empty one
    is an error where `results` are expected (an empty graph is an empty document)."""
    start = b""
    while len(start) < want and (chunk := answer.read(want - len(start))):
        start += chunk
    if not start.strip() and results:
        raise failed(answer.url, f"the answer is empty (HTTP {answer.status} with no body), not SPARQL results",
                     status=answer.status)  # fmt: skip
    if answer.content_type in ("text/html", "application/xhtml+xml") or re.match(
        rb"\s*<(!doctype\s+html|html)\b", start, re.IGNORECASE
    ):
        title = re.search(rb"<title[^>]*>(.*?)</title", start + answer.read(4096), re.IGNORECASE | re.DOTALL)
        named = f" ({_one_line(title.group(1).decode('utf-8', 'replace'))[:80]})" if title else ""
        answer.close()
        raise failed(answer.url, f"the answer is an HTML page{named}, not SPARQL results: "
                     "is this the URL of the SPARQL endpoint?", status=answer.status)  # fmt: skip
    return start


def _results_format(answer: Answer, start: bytes) -> Any:
    import pyoxigraph as ox

    ct = answer.content_type
    fmt = ox.QueryResultsFormat.from_media_type(ct) if ct else None
    if fmt is not None:
        return fmt
    if ct in ("", "application/octet-stream", "text/plain") or ct.endswith("json"):
        return ox.QueryResultsFormat.JSON if start.lstrip()[:1] == b"{" else ox.QueryResultsFormat.XML
    answer.close()
    raise failed(answer.url, f"the answer is {ct}, not SPARQL results", status=answer.status)


def _graph_format(answer: Answer, start: bytes) -> Any:
    import pyoxigraph as ox

    ct = answer.content_type
    fmt = ox.RdfFormat.from_media_type(ct) if ct else None
    if fmt is not None:
        return fmt
    if ct in ("", "application/octet-stream", "text/plain"):
        return ox.RdfFormat.TURTLE
    answer.close()
    raise failed(answer.url, f"the answer is {ct}, not RDF", status=answer.status)


def _boolean(parsed: Any) -> bool:
    """An ASK's answer; Virtuoso answers ASK as a SELECT of ?__ASK_RETVAL: one row of 1, or none."""
    import pyoxigraph as ox

    if isinstance(parsed, ox.QuerySolutions):
        return any(t is not None and t.value in ("1", "true") for row in parsed for t in row)
    return bool(parsed)


def _guarded(rows: Iterator[dict[str, Term]], answer: Answer) -> Iterator[dict[str, Term]]:
    """The rows of a streamed answer; an answer that breaks off half-way is an EndpointError."""
    try:
        yield from rows
    except SyntaxError as e:
        raise failed(answer.url, f"the answer is not SPARQL results ({_one_line(str(e))[:200]})") from None
    finally:
        answer.close()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _said(answer: Answer) -> str:
    """The store's own words about an error, on one line: an HTML error page (Virtuoso
    sends them) as its text, without the markup."""
    text = answer.text(20_000)
    if re.match(r"\s*<(!doctype html|html)", text, re.IGNORECASE):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1\s*>", " ", text)
        text = re.sub(r"<[^>]*>", " ", text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return _one_line(text)[:300]


# --------------------------------------------------------------------------- push


@dataclass(frozen=True, slots=True)
class PushResult:
    method: str  # "graph-store" or "update"
    graph: str
    triples: int
    url: str


def _request(
    url: str, method: str, body: bytes | None, content_type: str | None, auth: Auth, timeout: float, retries: int = 3
) -> int:
    """A write to the store (never redirected), retried with backoff when the connection
    fails or the store is busy (502, 503, 504); returns the 2xx status, raises
    EndpointError otherwise."""
    headers = {"Content-Type": content_type} if content_type else {}
    delay = 0.5
    for attempt in range(retries + 1):
        try:
            answer = send(url, method, body, headers, auth=auth, timeout=timeout, follow=False)
        except EndpointError as e:
            if e.retry and attempt < retries:
                time.sleep(delay)
                delay *= 2
                continue
            if e.retry:
                raise failed(url, f"cannot reach the store ({e.problem})", sent=e.sent, timed_out=e.timed_out) from None
            raise
        code = answer.status
        if 200 <= code < 300:
            answer.close()
            return code
        if code in (502, 503, 504) and attempt < retries:  # a store busy or restarting
            answer.close()
            time.sleep(delay)
            delay *= 2
            continue
        if code == 401:
            answer.close()
            raise failed(url, "HTTP 401: not allowed (check --user/--password)", status=401)
        problem = f"HTTP {code} {answer.reason}".rstrip()
        said = _said(answer)
        problem += f": {said}" if said else ""
        if code == 403:  # e.g. the read-only `ctn-graph serve`: a password would not help
            problem = f"the endpoint refused the update ({problem}): is it read-only, or may this user not write to it?"
        raise failed(url, problem, status=code)
    raise failed(url, "no answer")  # pragma: no cover


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
    auth: Auth = NO_AUTH,
    timeout: float = 300.0,
    method: str = "auto",
    verify: bool = True,
) -> PushResult:
    """Replace `graph` in a remote store with the given N-Triples, then (with `verify`)
    count the graph's triples through `endpoint` and fail unless the store holds them all.

    No write is ever redirected, and credentials go only to the URLs given."""
    for given in (endpoint, gsp_url, update_url):
        if given is not None:
            check_url(given)
    check_timeout(endpoint, timeout)
    result = _push(ntriples, triples, endpoint, graph, gsp_url, update_url, auth, timeout, method)
    if verify:
        _verify(result, endpoint, auth, timeout)
    return result


def _push(ntriples: bytes, triples: int, endpoint: str, graph: str, gsp_url: str | None, update_url: str | None,
          auth: Auth, timeout: float, method: str) -> PushResult:  # fmt: skip
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
                if gsp_url and (e.status in (401, 403) or _redirected(e)):
                    raise
        if method == "graph-store":
            if not tried:
                raise failed(endpoint, "no Graph Store endpoint")
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
            # a wrong password, a read-only store, no answer, an answer elsewhere
            if e.status in (401, 403) or e.timed_out or _redirected(e):
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
        told = _with_tried(e, tried)
        raise EndpointError(
            f"{told}{left}", url=e.url, problem=e.problem, status=e.status, sent=e.sent, timed_out=e.timed_out
        ) from None
    return PushResult("update", graph, triples, url)


def _redirected(e: EndpointError) -> bool:
    return e.status is not None and 300 <= e.status < 400


COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }"


def _verify(result: PushResult, endpoint: str, auth: Auth, timeout: float) -> None:
    """Count the pushed graph's triples through the query endpoint: a store that answered
    the upload with a success but kept nothing (or part of it) is an error."""
    engine = EndpointEngine(endpoint, auth, timeout)
    try:
        rows = list(engine.run(LibraryQuery("count", COUNT_QUERY % result.graph), {}).rows)
        held = int(rows[0]["n"].value) if rows and "n" in rows[0] else None
    except (EndpointError, QueryError, ValueError) as e:
        raise failed(
            result.url,
            f"the store answered the push with a success, but the graph could not be counted at {endpoint} "
            f"to check it ({getattr(e, 'problem', None) or e})",
        ) from None
    if held != result.triples:
        raise failed(
            result.url,
            f"the store answered the push with a success, but <{result.graph}> holds {held} triples, "
            f"not the {result.triples} sent (counted at {endpoint})",
        )


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

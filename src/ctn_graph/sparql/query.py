"""SPARQL over the graph: the query library, safe parameters and three engines.

* `OxigraphEngine`: a pyoxigraph Store (on disk or in memory), the default and the fast
  one; parameters are substituted as RDF terms (SEP-0007), never pasted into the text.
* `RdflibEngine`: an rdflib Graph or Dataset a user hands us; parameters go in as
  `initBindings`.
* `EndpointEngine` (ctn_graph.sparql.endpoint): a remote SPARQL 1.1 endpoint; parameters go in
  as a VALUES block of escaped RDF terms at the start of the query's WHERE clause, so a
  value can never change the query's shape.

Every engine runs only queries, and the local ones refuse SERVICE unless federation is
allowed (ctn_graph.sparql.guard).

A library query is a `.rq` file in `queries/` whose header comment documents it:

    # title: Partners of an organisation across projects
    # description: ...
    # param: org = "Iekšlietu ministrija"@lv -- the organisation's Latvian name

Every parameter has a default, so every query runs as it is. A SELECT query projects
its parameters (`SELECT ?org ...`): Oxigraph substitutes only variables in scope.

>>> q = parse_query_text("# title: T\\n# param: n = \\"X\\"@lv -- a name\\nSELECT ?s WHERE { ?s ?p ?n }", "t")
>>> q.title, [p.name for p in q.params], q.params[0].default
('T', ['n'], '"X"@lv')
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..common.chars import BIDI_CONTROLS
from ..common.resources import resource_dir


class QueryError(Exception):
    """A query that cannot be read, parsed or run; the message says where and why."""


class ResultFormat(str, enum.Enum):
    """How `ctn-graph query` writes a result (ctn_graph.sparql.results): a table, SPARQL 1.1 CSV,
    TSV, JSON or XML results for SELECT and ASK, an RDF format for CONSTRUCT and DESCRIBE
    (where json is JSON-LD and xml RDF/XML)."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    TTL = "ttl"
    NT = "nt"
    NQ = "nq"
    TRIG = "trig"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"

    @classmethod
    def from_extension(cls, path: Path) -> ResultFormat | None:
        """The format a file name asks for (`-o rows.json`), None for an extension no format has."""
        return _FORMAT_OF_EXTENSION.get(path.suffix.lower())


_FORMAT_OF_EXTENSION = {
    ".txt": ResultFormat.TABLE,
    ".csv": ResultFormat.CSV,
    ".tsv": ResultFormat.TSV,
    ".json": ResultFormat.JSON,
    ".srj": ResultFormat.JSON,
    ".xml": ResultFormat.XML,
    ".srx": ResultFormat.XML,
    ".ttl": ResultFormat.TTL,
    ".nt": ResultFormat.NT,
    ".nq": ResultFormat.NQ,
    ".trig": ResultFormat.TRIG,
    ".jsonld": ResultFormat.JSONLD,
    ".rdf": ResultFormat.RDFXML,
    ".owl": ResultFormat.RDFXML,
}


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    default: str  # an RDF term in SPARQL syntax: "text"@lv, <iri>, 2018, "x"
    description: str = ""

    @property
    def kind(self) -> str:
        d = self.default.strip()
        if d.startswith("<"):
            return "iri"
        if re.fullmatch(r"-?\d+", d):
            return "integer"
        m = re.fullmatch(r'"(?:[^"\\]|\\.)*"(@[A-Za-z-]+|\^\^<[^>]+>)?', d)
        if m:
            suffix = m.group(1) or ""
            if suffix.startswith("@"):
                return "lang:" + suffix[1:]
            if suffix.startswith("^^"):
                return "datatype:" + suffix[3:-1]
            return "string"
        raise QueryError(f"parameter {self.name}: default {d!r} is not an RDF term")


@dataclass(frozen=True, slots=True)
class LibraryQuery:
    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    path: Path | None = None
    prelude: int = 0  # characters of predeclared prefixes before the text as written (line 1)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue
        (ctn_graph.sparql.guard reads it); SELECT for a text that does not start as a query."""
        from .guard import read_shape

        return read_shape(self.text).form or "SELECT"


_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<default>.+?)(?:\s+--\s+(?P<desc>.*))?$")


def parse_query_text(text: str, name: str, path: Path | None = None) -> LibraryQuery:
    title = ""
    desc: list[str] = []
    params: list[Param] = []
    for line in text.split("\n"):  # SPARQL's lines end at \n (or \r\n), never at U+2028 and the like
        s = line.strip()
        if not s.startswith("#"):
            if s:
                break
            continue
        m = _HEADER.match(s)
        if m is None:
            if desc and s.lstrip("#").strip():
                desc.append(s.lstrip("#").strip())
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            desc.append(value)
        else:
            pm = _PARAM.match(value)
            if pm is None:
                raise QueryError(f"{path or name}: bad parameter line {line!r} (want: name = default -- text)")
            params.append(Param(pm.group("name"), pm.group("default").strip(), (pm.group("desc") or "").strip()))
    q = LibraryQuery(name, text, title or name, " ".join(desc), tuple(params), path)
    for p in q.params:
        p.kind  # noqa: B018 - validates the default
    return q


def load_query_file(path: Path) -> LibraryQuery:
    from ..common.paths import shown

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise QueryError(f"{shown(path)}: not UTF-8 (byte {e.start})") from None
    except OSError as e:
        raise QueryError(f"{shown(path)}: cannot read ({e.strerror or e})") from None
    return parse_query_text(text, path.stem, path)


def read_stdin_query() -> str:
    """The query text on standard input (`query -`), which must be UTF-8."""
    import sys

    raw = (
        sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8", "surrogateescape")
    )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise QueryError(f"-: the query on standard input is not UTF-8 (byte {e.start})") from None


def load_library(folder: Path | None = None) -> dict[str, LibraryQuery]:
    """The library: every `queries/*.rq`, by file name without the extension."""
    folder = folder or resource_dir("queries")
    return {p.stem: load_query_file(p) for p in sorted(folder.glob("*.rq"))}


def predeclare_prefixes(query: LibraryQuery) -> LibraryQuery:
    """An ad-hoc query with the project's prefixes (ctn:, ctnid:, skos:, rdfs:, prov:,
    dcterms: ... and the graph files' ctnorg:, ctnproj: ...: vocab.FILE_PREFIXES)
    declared, those its text declares itself left out.

    The declarations go before the text on its first line, so the lines of the text keep
    their numbers (a syntax error's column on line 1 is told without them: `prelude`).

    >>> q = predeclare_prefixes(parse_query_text("PREFIX ctn: <x:>\\nASK { ?s ctn:p ?o }", "t"))
    >>> "PREFIX ctn: <https" in q.text, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in q.text
    (False, True)
    """
    from dataclasses import replace

    from ..rdf.vocab import FILE_PREFIXES

    declared = {m.group(1).lower() for m in _DECLARED.finditer(_strip_comments_and_strings(query.text))}
    head = "".join(f"PREFIX {p}: <{ns}> " for p, ns in FILE_PREFIXES.items() if p.lower() not in declared)
    if not head:
        return query
    return replace(query, text=head + query.text, prelude=query.prelude + len(head))


_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)\s*:", re.IGNORECASE)


def syntax_error_text(query: LibraryQuery, error: SyntaxError) -> str:
    """A SPARQL syntax error on one line: the query, the line and column (of the text as
    written), and what was expected there: the parser's reason when it gives one (an
    unknown prefix is named), else the tokens it expected, not its character ranges.

    >>> bad = parse_query_text("SELECT ?s WHERE {\\n  ?s ex:p ?o }", "q")
    >>> syntax_error_text(bad, SyntaxError("error at 2:10: expected one of Prefix not found, ['%'], [':'], ['_']"))
    'q: SPARQL syntax error at line 2, column 10: unknown prefix ex: (declare it: PREFIX ex: <...>)'
    """
    where = query.path or query.name
    raw = str(error)
    m = re.match(r"\s*error at (\d+):(\d+)(?:-\d+:\d+)?:\s*(.*)", raw, re.DOTALL)
    if m is None:
        return f"{where}: SPARQL syntax error: {' '.join(raw.split())}"
    line, column = int(m.group(1)), int(m.group(2))
    lines = query.text.split("\n")
    before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    if line == 1:
        column = max(1, column - query.prelude)
    detail = " ".join(m.group(3).split())
    items = _expected_items(detail)
    reasons = [i for i in items if " " in i and not i.startswith(("[", '"', "'"))]
    tokens = [i for i in items if not i.startswith("[") and i not in reasons]
    if "Prefix not found" in reasons:
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
        prefix = (name.group(1) or "") if name else ""
        what = f"unknown prefix {prefix}: (declare it: PREFIX {prefix}: <...>)"
    elif reasons:
        what = "; ".join(dict.fromkeys(r[0].lower() + r[1:] for r in reasons))
    elif tokens:
        shown = ", ".join(tokens[:12]) + (", ..." if len(tokens) > 12 else "")
        what = f"expected {'one of ' if len(tokens) > 1 else ''}{shown}"
    elif items:
        what = "unexpected character"
    else:
        what = detail or "syntax error"
    return f"{where}: SPARQL syntax error at line {line}, column {column}: {what}"


def _expected_items(detail: str) -> list[str]:
    """The items of the parser's `expected one of A, B, [...]`, split at the commas that
    are outside brackets and quotes."""
    text = re.sub(r"^expected( one of)?\s*", "", detail)
    items, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(text):
        if quote:
            if c == quote and text[i - 1] != "\\":
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth = max(0, depth - 1)
        elif c == "," and depth == 0:
            items.append(text[start:i].strip())
            start = i + 1
    items.append(text[start:].strip())
    return [i for i in items if i]


def resolve_query(spec: str, stdin_text: str | None = None) -> LibraryQuery:
    """A library query by name, a .rq file by path, or '-' for standard input; the ad-hoc
    ones (a file, standard input) with the project's prefixes predeclared."""
    if spec == "-":
        return predeclare_prefixes(parse_query_text(stdin_text or "", "stdin"))
    path = Path(spec)
    if path.suffix.lower() in (".rq", ".sparql") or path.exists() or path.is_symlink():
        if not path.is_file():
            from ..common.paths import shown, why_missing

            why = "a folder, not a query file" if path.is_dir() else why_missing(path)
            raise QueryError(f"{shown(spec)}: {'no such query file' if why == 'no such file or folder' else why}")
        return predeclare_prefixes(load_query_file(path))
    lib = load_library()
    if spec not in lib:
        near = ", ".join(sorted(n for n in lib if spec.split("-")[0] in n)[:5]) or ", ".join(sorted(lib)[:8])
        raise QueryError(f"{spec}: no such query in the library (see `ctn-graph queries`; e.g. {near})")
    return lib[spec]


# --------------------------------------------------------------------------- terms


class Term(NamedTuple):
    """An RDF term of a result, engine-independent (a named tuple: results make
    hundreds of thousands of them)."""

    kind: str  # uri | literal | bnode | triple
    value: str
    lang: str | None = None
    datatype: str | None = None

    def n3(self) -> str:
        if self.kind == "uri":
            return "<" + _UNSAFE_IN_IRI.sub(lambda m: f"\\u{ord(m.group()):04X}", self.value) + ">"
        if self.kind == "bnode":
            return f"_:{self.value}"
        lit = '"' + escape_literal(self.value) + '"'
        if self.lang:
            return f"{lit}@{self.lang}"
        if self.datatype and self.datatype != XSD_STRING:
            return f"{lit}^^<{self.datatype}>"
        return lit


XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


_UNSAFE_FORMAT = "\u2028\u2029" + BIDI_CONTROLS  # escaped in terms: IRIs may hold them too
_UNSAFE_IN_IRI = re.compile(f"[{_UNSAFE_FORMAT}]")


def escape_literal(value: str) -> str:
    """Escape a string for a SPARQL/N-Triples literal between double quotes."""
    out = []
    for c in value:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in _UNSAFE_FORMAT:
            out.append(f"\\u{ord(c):04X}")  # the same string, nothing a terminal acts on
        else:
            out.append(c)
    return "".join(out)


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def bind_param(param: Param, value: str | None) -> Term:
    """The RDF term a parameter value stands for, typed like the parameter's default.

    A value is always data: quotes, '>', '}' or newlines in it stay inside the term.

    >>> bind_param(Param("org", '"X"@lv'), 'a" } ; DROP ALL #').n3()
    '"a\\\\" } ; DROP ALL #"@lv'
    """
    kind = param.kind
    if value is None:
        return _parse_default(param)
    if kind == "iri":
        iri = value.strip()
        if iri.startswith("<") and iri.endswith(">"):
            iri = iri[1:-1]
        if iri.startswith("ctnid:"):
            iri = "https://w3id.org/ctn/id/" + iri[len("ctnid:") :]
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) or _IRI_FORBIDDEN.search(iri):
            raise QueryError(f"parameter {param.name}: {value!r} is not an IRI")
        return Term("uri", iri)
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value.strip()):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return Term("literal", value.strip(), datatype=XSD + "integer")
    if kind.startswith("lang:"):
        return Term("literal", value, lang=kind[5:], datatype=RDF_LANG_STRING)
    if kind.startswith("datatype:"):
        return Term("literal", value, datatype=kind[9:])
    return Term("literal", value, datatype=XSD_STRING)


def _parse_default(param: Param) -> Term:
    d = param.default.strip()
    kind = param.kind
    if kind == "iri":
        return Term("uri", d[1:-1])
    if kind == "integer":
        return Term("literal", d, datatype=XSD + "integer")
    m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"(.*)', d)
    assert m is not None
    raw = re.sub(r"\\(.)", lambda x: {"n": "\n", "t": "\t", "r": "\r"}.get(x.group(1), x.group(1)), m.group(1))
    if kind.startswith("lang:"):
        return Term("literal", raw, lang=kind[5:], datatype=RDF_LANG_STRING)
    if kind.startswith("datatype:"):
        return Term("literal", raw, datatype=kind[9:])
    return Term("literal", raw, datatype=XSD_STRING)


def bindings_for(query: LibraryQuery, values: Mapping[str, str] | None = None) -> dict[str, Term]:
    values = dict(values or {})
    known = {p.name for p in query.params}
    unknown = sorted(set(values) - known)
    if unknown:
        raise QueryError(
            f"{query.name}: unknown parameter(s) {', '.join(unknown)}"
            + (f"; it takes {', '.join(sorted(known))}" if known else "; it takes none")
        )
    return {p.name: bind_param(p, values.get(p.name)) for p in query.params}


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class QueryResult:
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: Iterable[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: Iterable[tuple[Term, Term, Term]] = field(default_factory=list)
    # the same rows as the engine gives them (pyoxigraph QuerySolutions: terms in the order
    # of `variables`, None where unbound), for writers that read them directly; one stream
    # with `rows`: a consumer reads one or the other
    solutions: Iterable[Any] | None = None

    def materialise(self) -> QueryResult:
        self.rows = list(self.rows)
        self.triples = list(self.triples)
        self.solutions = None
        return self


# --------------------------------------------------------------------------- engines


class OxigraphEngine:
    """Queries a pyoxigraph Store; the default graph is the union of all graphs.

    Only queries run (an update is refused), and a query that calls SERVICE only with
    `allow_federation` (pyoxigraph would fetch the URL it names: ctn_graph.sparql.guard)."""

    name = "oxigraph"

    def __init__(self, store: Any, *, allow_federation: bool = False):
        self.store = store
        self.allow_federation = allow_federation

    def run(self, query: LibraryQuery, bindings: Mapping[str, Term]) -> QueryResult:
        import pyoxigraph as ox

        from .guard import check_query

        check_query(query.text, str(query.path or query.name), federation=self.allow_federation)
        subs = {ox.Variable(k): _to_ox(v) for k, v in bindings.items()}
        try:
            res = self.store.query(query.text, use_default_graph_as_union=True, substitutions=subs)
        except SyntaxError as e:
            raise QueryError(syntax_error_text(query, e)) from None
        except (OSError, RuntimeError) as e:
            raise QueryError(f"{query.path or query.name}: {e}") from None
        if isinstance(res, (bool, ox.QueryBoolean)):
            return QueryResult("ASK", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            return QueryResult(query.form, variables, _rows_from_ox(res, variables), solutions=res)
        conv = TermCache()
        return QueryResult(query.form, triples=((conv(t.subject), conv(t.predicate), conv(t.object)) for t in res))


class RdflibEngine:
    """Queries an rdflib Graph, ConjunctiveGraph or Dataset (with rdflib's own engine, which
    also carries SERVICE out: refused unless `allow_federation`, as for Oxigraph)."""

    name = "rdflib"

    def __init__(self, graph: Any, *, allow_federation: bool = False):
        self.graph = graph
        self.allow_federation = allow_federation

    def run(self, query: LibraryQuery, bindings: Mapping[str, Term]) -> QueryResult:
        import rdflib

        from .guard import check_query

        check_query(query.text, str(query.path or query.name), federation=self.allow_federation)

        init = {rdflib.Variable(k): _to_rdflib(v) for k, v in bindings.items()}
        try:
            res = self.graph.query(query.text, initBindings=init)
        except Exception as e:  # rdflib raises pyparsing errors and others
            raise QueryError(f"{query.path or query.name}: {e}") from None
        if res.type == "ASK":
            return QueryResult("ASK", boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            variables = [str(v) for v in res.vars]
            return QueryResult(
                "SELECT",
                variables,
                ({v: _from_rdflib(row[i]) for i, v in enumerate(variables) if row[i] is not None} for row in res),
            )
        return QueryResult(query.form, triples=((_from_rdflib(s), _from_rdflib(p), _from_rdflib(o)) for s, p, o in res))


def _to_ox(t: Term) -> Any:
    import pyoxigraph as ox

    if t.kind == "uri":
        return ox.NamedNode(t.value)
    if t.kind == "bnode":
        return ox.BlankNode(t.value)
    if t.lang:
        return ox.Literal(t.value, language=t.lang)
    return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype or XSD_STRING))


_OX_TYPES: dict[type, str] = {}


def _ox_types() -> dict[type, str]:
    if not _OX_TYPES:
        import pyoxigraph as ox

        _OX_TYPES.update({ox.NamedNode: "uri", ox.BlankNode: "bnode", ox.Literal: "literal"})
    return _OX_TYPES


def _from_ox(t: Any) -> Term:
    kind = _ox_types().get(type(t), "triple")
    if kind == "literal":
        dt = t.datatype
        return Term("literal", t.value, t.language, dt.value if dt is not None else None)
    if kind == "triple":
        return Term("triple", str(t))
    return Term(kind, t.value)


class BoundedMemo:
    """`convert` remembered per argument: the terms of a result repeat (the same
    organisation, label or year on thousands of rows), and looking one up costs a fifth
    of converting it. Bounded: emptied past `size` entries. None (an unbound variable)
    gives `none`."""

    __slots__ = ("cache", "convert", "none", "size")

    def __init__(self, convert: Callable[[Any], Any], size: int = 10_000, none: Any = None):
        self.convert, self.size, self.none = convert, size, none
        self.cache: dict[Any, Any] = {}

    def __call__(self, x: Any) -> Any:
        if x is None:
            return self.none
        v = self.cache.get(x)
        if v is None:
            if len(self.cache) >= self.size:
                self.cache.clear()
            v = self.cache[x] = self.convert(x)
        return v


class TermCache(BoundedMemo):
    """_from_ox remembered per pyoxigraph term."""

    __slots__ = ()

    def __init__(self, size: int = 10_000):
        super().__init__(_from_ox, size)


def _rows_from_ox(solutions: Iterable[Any], variables: list[str]) -> Iterator[dict[str, Term]]:
    """The rows of pyoxigraph QuerySolutions as {variable: Term}, unbound variables left out."""
    conv = TermCache()
    for solution in solutions:
        yield {v: conv(t) for v, t in zip(variables, solution, strict=True) if t is not None}


def _to_rdflib(t: Term) -> Any:
    import rdflib

    if t.kind == "uri":
        return rdflib.URIRef(t.value)
    if t.kind == "bnode":
        return rdflib.BNode(t.value)
    if t.lang:
        return rdflib.Literal(t.value, lang=t.lang)
    if t.datatype and t.datatype != XSD_STRING:
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype))
    return rdflib.Literal(t.value, datatype=rdflib.XSD.string)


def _from_rdflib(t: Any) -> Term:
    import rdflib

    if isinstance(t, rdflib.URIRef):
        return Term("uri", str(t))
    if isinstance(t, rdflib.BNode):
        return Term("bnode", str(t))
    if isinstance(t, rdflib.Literal):
        if t.language:
            return Term("literal", str(t), t.language, RDF_LANG_STRING)
        return Term("literal", str(t), None, str(t.datatype) if t.datatype else XSD_STRING)
    return Term("literal", str(t))


# --------------------------------------------------------------------------- text injection (remote)


def _strip_comments_and_strings(text: str) -> str:
    """The query text with comments, strings and IRIs blanked (same length)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            q3 = text[i : i + 3]
            if q3 in ('"""', "'''"):
                j = text.find(q3, i + 3)
                j = n if j < 0 else j + 3
            else:
                j = i + 1
                while j < n and text[j] != c:
                    j += 2 if text[j] == "\\" else 1
                j = min(n, j + 1)
            out.append(" " * (j - i))
            i = j
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            m = re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:])
            assert m is not None
            out.append(" " * len(m.group()))
            i += len(m.group())
        else:
            out.append(c)
            i += 1
    return "".join(out)


def inject_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with `VALUES (?a ?b) { (t1 t2) }` as the first element of its WHERE
    group: the values are escaped RDF terms, so they are data whatever they hold.

    >>> inject_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Term("literal", "x\\" }", lang="lv")})
    'SELECT ?s WHERE { VALUES (?o) { ("x\\\\" }"@lv) } ?s ?p ?o }'
    """
    if not bindings:
        return text
    blank = _strip_comments_and_strings(text)
    m = re.search(r"\bWHERE\s*\{", blank, re.IGNORECASE)
    if m is None:
        form = re.search(r"\b(SELECT|ASK|DESCRIBE)\b", blank, re.IGNORECASE)
        brace = blank.find("{", form.end()) if form else -1
        if brace < 0:
            raise QueryError("cannot bind parameters: the query has no WHERE clause")
        pos = brace + 1
    else:
        pos = m.end()
    names = sorted(bindings)
    block = " VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(bindings[n].n3() for n in names) + ") }"
    return text[:pos] + block + text[pos:]


def run_query(query: LibraryQuery, engine: Any, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run a query (library or file) with parameters on an engine."""
    return engine.run(query, bindings_for(query, params))


def rows_as_tuples(result: QueryResult, variables: Iterable[str] | None = None) -> list[tuple[str | None, ...]]:
    """Rows as tuples of plain values (for tests and quick checks)."""
    variables = list(variables or result.variables)
    return [tuple(r[v].value if v in r else None for v in variables) for r in result.rows]

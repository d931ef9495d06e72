"""The query library: `.rq` files whose header documents them (title, description,
parameters with defaults), how a query is named on the command line, and its syntax errors
told with the place.

>>> q = parse_query_text("# title: T\\n# param: n = \\"X\\"@lv -- a name\\nSELECT ?s WHERE { ?s ?p ?n }", "t")
>>> q.title, [p.name for p in q.params], q.params[0].default
('T', ['n'], '"X"@lv')
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..common.resources import resource_dir
from .errors import QueryError
from .terms import _IRI_FORBIDDEN, RDF_LANG_STRING, XSD, XSD_STRING, Term, _strip_comments_and_strings


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

"""Writing query results: a table for people, SPARQL 1.1 CSV, TSV, JSON and XML results
for spreadsheets and programs; CONSTRUCT and DESCRIBE in any RDF format pyoxigraph
writes (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML).

Rows are written as they come, so a large result streams instead of filling memory (a
table once its first 1,000 rows, on which its columns are sized, are read).
Text for people (the table) shows control and bidirectional formatting characters as
escapes; JSON and TSV escape them as JSON and N-Triples do (\\u...), which changes no
value; XML writes them as they are, but for the few characters XML 1.0 cannot hold at
all (C0 controls other than tab, line feed and carriage return; U+FFFE, U+FFFF; lone
surrogates), which become U+FFFD so that the file stays well-formed; CSV keeps every
value as it is (`ctn-graph query` escapes it on a terminal).
CSV cells that a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage
return at the start of a value that is not a number) get a leading apostrophe, so a
name taken from a document can never become `=cmd|...` in someone's spreadsheet, while
`-5` stays `-5`; `WriteOptions(formula_guard=False)` (`--no-formula-guard`) keeps every
cell as it is.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from ..common.chars import escape_json_controls, terminal_safe
from .query import QueryError, QueryResult, ResultFormat
from .terms import XSD, XSD_STRING, BoundedMemo, Term, _from_ox

PREFIXES = {
    "ctnid:": "https://w3id.org/ctn/id/",
    "ctn:": "https://w3id.org/ctn/ontology#",
    "skos:": "http://www.w3.org/2004/02/skos/core#",
    "wd:": "http://www.wikidata.org/entity/",
}
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "boolean")}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
if TYPE_CHECKING:
    from ..rdf.export import GraphFormat

TABLE_SIZING_ROWS = 1000  # a table's columns are sized on this many rows; the rest stream
TABLE_FORMATS = "table, csv, tsv, json or xml"
GRAPH_FORMATS = "ttl, nt, nq, trig, jsonld or rdfxml"


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """A format and how to write it: the widest table cell (0: no limit) and whether CSV
    cells that would start a formula are guarded."""

    format: ResultFormat
    max_width: int = 60
    formula_guard: bool = True


def _graph_format(fmt: ResultFormat) -> GraphFormat | None:
    """The graph file format a graph result is written in; json is JSON-LD, xml RDF/XML,
    and a table Turtle (people read it well)."""
    from ..rdf.export import GraphFormat

    return {
        ResultFormat.TABLE: GraphFormat.TURTLE,
        ResultFormat.TTL: GraphFormat.TURTLE,
        ResultFormat.NT: GraphFormat.NTRIPLES,
        ResultFormat.NQ: GraphFormat.NQUADS,
        ResultFormat.TRIG: GraphFormat.TRIG,
        ResultFormat.JSONLD: GraphFormat.JSONLD,
        ResultFormat.JSON: GraphFormat.JSONLD,
        ResultFormat.RDFXML: GraphFormat.RDFXML,
        ResultFormat.XML: GraphFormat.RDFXML,
    }.get(fmt)


def write_result(
    result: QueryResult, fmt: ResultFormat | WriteOptions, out: IO[str], *, max_width: int | None = None
) -> int:
    """Write a result; returns the number of rows (or triples) written."""
    options = fmt if isinstance(fmt, WriteOptions) else WriteOptions(fmt)
    if max_width is not None:
        options = WriteOptions(options.format, max_width, options.formula_guard)
    fmt = options.format
    if result.form == "ASK":
        return _write_boolean(bool(result.boolean), fmt, out)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        graph_format = _graph_format(fmt)
        if graph_format is None:
            raise QueryError(f"a {result.form} query gives a graph: use --format {GRAPH_FORMATS}")
        return _write_graph(result.triples, graph_format, out)
    if fmt not in (ResultFormat.TABLE, ResultFormat.CSV, ResultFormat.TSV, ResultFormat.JSON, ResultFormat.XML):
        raise QueryError(f"a SELECT query gives a table: use --format {TABLE_FORMATS}")
    writer = {
        ResultFormat.TABLE: lambda: _write_table(result, out, options.max_width),
        ResultFormat.CSV: lambda: _write_csv(result, out, options.formula_guard),
        ResultFormat.TSV: lambda: _write_tsv(result, out),
        ResultFormat.JSON: lambda: _write_json(result, out),
        ResultFormat.XML: lambda: _write_xml(result, out),
    }[fmt]
    return writer()


def compact(term: Term) -> str:
    """A short form for people: prefixed IRIs, literal values without quotes."""
    if term.kind == "uri":
        for p, ns in PREFIXES.items():
            if term.value.startswith(ns):
                return p + term.value[len(ns) :]
        return term.value
    if term.kind == "bnode":
        return "_:" + term.value
    return term.value


def _plain_cell(term: Term) -> str:
    return term.value if term.kind != "bnode" else "_:" + term.value


def _safe_cell(term: Term) -> str:
    """A CSV cell a spreadsheet will not run: a value that starts like a formula and is not
    a number gets a leading apostrophe (`=1+2` -> `'=1+2`; `-5` stays `-5`)."""
    v = _plain_cell(term)
    if term.kind == "literal" and v.startswith(_FORMULA_START) and not _NUMBER.fullmatch(v):
        return "'" + v
    return v


def _memo(convert: Callable[[Term], str], size: int = 10_000) -> Callable[[Term | None], str]:
    """`convert` remembered per term (query.BoundedMemo), "" for an unbound variable."""
    return BoundedMemo(convert, size, none="")


def _cells(result: QueryResult, convert: Callable[[Term], str]) -> Iterator[list[str]]:
    """Each row's cells, each distinct term converted once. Straight from the engine's
    solutions when the result has them (pyoxigraph terms: one look-up per cell, no row
    dict), else from the rows."""
    if result.solutions is not None:
        raw = _memo(lambda t: convert(_from_ox(t)))
        return ([raw(t) for t in solution] for solution in result.solutions)
    cell, variables = _memo(convert), result.variables
    return ([cell(row.get(v)) for v in variables] for row in result.rows)


def _write_csv(result: QueryResult, out: IO[str], formula_guard: bool = True) -> int:
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(result.variables)
    n = 0
    for cells in _cells(result, _safe_cell if formula_guard else _plain_cell):
        w.writerow(cells)
        n += 1
    return n


def _tsv_term(t: Term) -> str:
    if t.kind == "literal" and t.datatype in _NUMERIC and not t.lang:
        return t.value
    return t.n3()


def _write_tsv(result: QueryResult, out: IO[str]) -> int:
    out.write("\t".join("?" + v for v in result.variables) + "\n")
    n = 0
    for cells in _cells(result, _tsv_term):
        out.write("\t".join(cells) + "\n")
        n += 1
    return n


def _json_term(t: Term) -> dict[str, str]:
    if t.kind == "uri":
        return {"type": "uri", "value": t.value}
    if t.kind == "bnode":
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.lang:
        d["xml:lang"] = t.lang
    elif t.datatype and t.datatype != XSD_STRING:
        d["datatype"] = t.datatype
    return d


def _write_json(result: QueryResult, out: IO[str]) -> int:
    out.write('{"head": {"vars": ' + json.dumps(result.variables) + '}, "results": {"bindings": [')
    n = 0
    for row in result.rows:
        text = json.dumps({k: _json_term(v) for k, v in row.items()}, ensure_ascii=False)
        out.write(("," if n else "") + "\n  " + escape_json_controls(text))  # the same JSON, no raw C1 or bidi
        n += 1
    out.write("\n]}}\n")
    return n


# characters XML 1.0 cannot hold, even as references
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_XML_ATTR = {**_XML_TEXT, '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_XML_TEXT_RE = re.compile("[&<>\r]")
_XML_ATTR_RE = re.compile('[&<>\r"\n\t]')


def xml_text(value: str, attribute: bool = False) -> str:
    """`value` as XML character data (or an attribute value between double quotes): the
    markup characters escaped, carriage returns (and in attributes line feeds and tabs) as
    references so that a reader gets them back, and what XML 1.0 cannot hold as U+FFFD.

    >>> xml_text('a<b & "c"\\x00', attribute=True)
    'a&lt;b &amp; &quot;c&quot;\ufffd'
    """
    value = _NOT_XML.sub("\ufffd", value)
    if attribute:
        return _XML_ATTR_RE.sub(lambda m: _XML_ATTR[m.group()], value)
    return _XML_TEXT_RE.sub(lambda m: _XML_TEXT[m.group()], value)


def _xml_term(t: Term) -> str:
    if t.kind == "uri":
        return f"<uri>{xml_text(t.value)}</uri>"
    if t.kind == "bnode":
        return f"<bnode>{xml_text(t.value)}</bnode>"
    if t.lang:
        return f'<literal xml:lang="{xml_text(t.lang, True)}">{xml_text(t.value)}</literal>'
    if t.datatype and t.datatype != XSD_STRING and t.kind == "literal":
        return f'<literal datatype="{xml_text(t.datatype, True)}">{xml_text(t.value)}</literal>'
    return f"<literal>{xml_text(t.value)}</literal>"


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def _write_xml(result: QueryResult, out: IO[str]) -> int:
    """SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/)."""
    out.write(_XML_HEAD + "  <head>\n")
    for v in result.variables:
        out.write(f'    <variable name="{xml_text(v, True)}"/>\n')
    out.write("  </head>\n  <results>\n")
    names = [xml_text(v, True) for v in result.variables]
    term = _memo(_xml_term)
    n = 0
    for row in result.rows:
        out.write("    <result>\n")
        for v, name in zip(result.variables, names, strict=True):
            if v in row:
                out.write(f'      <binding name="{name}">{term(row[v])}</binding>\n')
        out.write("    </result>\n")
        n += 1
    out.write("  </results>\n</sparql>\n")
    return n


def _write_table(result: QueryResult, out: IO[str], max_width: int) -> int:
    """An aligned table. The columns are sized on the first TABLE_SIZING_ROWS rows; later
    rows stream, their cells cut to those widths (the last column to max_width), so a
    large result never fills memory. Use csv, tsv or json for the values whole."""
    headers = result.variables
    rows = iter(result.rows)

    def cells(r: dict[str, Term]) -> list[str]:
        return [_clip(compact(r[v]), max_width) if v in r else "" for v in headers]

    first = [cells(r) for r in itertools.islice(rows, TABLE_SIZING_ROWS)]
    widths = [max([len(h)] + [len(r[i]) for r in first]) for i, h in enumerate(headers)]

    def line(cs: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cs, widths, strict=True)).rstrip() + "\n"

    out.write(line(headers))
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in first:
        out.write(line(r))
    n = len(first)
    last = len(headers) - 1
    for row in rows:
        out.write(line([c if i == last else _clip(c, widths[i]) for i, c in enumerate(cells(row))]))
        n += 1
    out.write(f"({n} row{'s' if n != 1 else ''})\n")
    return n


def _clip(s: str, width: int) -> str:
    """A cell on one line, its control and bidirectional formatting characters shown as
    escapes (chars.terminal_safe: the graph may come from another tool), cut to width."""
    s = terminal_safe(" ".join(s.split()), cell=True)
    return s if width <= 0 or len(s) <= width else s[: max(1, width - 1)] + "…"


def _write_boolean(value: bool, fmt: ResultFormat, out: IO[str]) -> int:
    if fmt is ResultFormat.JSON:
        out.write(json.dumps({"head": {}, "boolean": value}) + "\n")
    elif fmt is ResultFormat.XML:
        out.write(_XML_HEAD + f"  <head/>\n  <boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n")
    elif fmt in (ResultFormat.CSV, ResultFormat.TSV, ResultFormat.TABLE):
        out.write(("true" if value else "false") + "\n")
    else:
        raise QueryError(f"an ASK query gives true or false: use --format {TABLE_FORMATS}")
    return 1


def _write_graph(triples: Iterable[tuple[Term, Term, Term]], fmt: GraphFormat, out: IO[str]) -> int:
    """The triples of a CONSTRUCT or DESCRIBE (N-Quads and TriG: in the default graph),
    written as `build` writes its graph files (export.py): Turtle and TriG with the
    graph files' prefixes (`ctnorg:`, `ctnproj:` ...), one block per subject and no
    backslash escapes in names; JSON-LD compacted with an inline @context; RDF/XML
    well-formed whatever the literals hold."""
    import pyoxigraph as ox

    from ..rdf.export import GraphFile, GraphFormat, write_quads_to
    from .terms import _to_ox

    default = ox.DefaultGraph()
    by_subject: dict[ox.NamedNode | ox.BlankNode | ox.Triple, list[ox.Quad]] = {}
    n = 0
    for s, p, o in triples:  # each subject's triples together, subjects in the order they come
        q = ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), default)
        by_subject.setdefault(q.subject, []).append(q)
        n += 1
    quads = [q for run in by_subject.values() for q in run]
    buf = io.BytesIO()
    if fmt in (GraphFormat.TURTLE, GraphFormat.TRIG):
        writer = GraphFile(buf, fmt, None, repeated=frozenset())
        writer.graph("", quads)
        writer.close(())
    else:
        write_quads_to(quads, buf, fmt, repeated=frozenset())
    text = buf.getvalue().decode("utf-8")
    if fmt is GraphFormat.RDFXML:  # a raw carriage return would be read as a line end: keep it
        text = text.replace("\r", "&#13;")
    text = text.rstrip("\n") + "\n" if text.strip() else text
    out.write(text)
    return n

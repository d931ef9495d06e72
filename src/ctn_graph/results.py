"""Writing query results: a table for people, SPARQL 1.1 CSV, TSV and JSON results for
spreadsheets and programs, Turtle for CONSTRUCT and DESCRIBE.

Rows are written as they come, so a large result streams instead of filling memory (a
table once its first 1,000 rows, on which its columns are sized, are read).
Text for people (the table) shows control and bidirectional formatting characters as
escapes; JSON and TSV escape them as JSON and N-Triples do (\\u...), which changes no
value; CSV keeps every value as it is (`ctn-graph query` escapes it on a terminal).
CSV cells that a spreadsheet would run as a formula (=, +, -, @ at the start of a
text value) get a leading apostrophe, so a name taken from a document can never
become `=cmd|...` in someone's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from .chars import escape_json_controls, terminal_safe
from .query import XSD, XSD_STRING, BoundedMemo, QueryError, QueryResult, ResultFormat, Term, _from_ox

PREFIXES = {
    "ctnid:": "https://w3id.org/ctn/id/",
    "ctn:": "https://w3id.org/ctn/ontology#",
    "skos:": "http://www.w3.org/2004/02/skos/core#",
    "wd:": "http://www.wikidata.org/entity/",
}
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "boolean")}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TABLE_SIZING_ROWS = 1000  # a table's columns are sized on this many rows; the rest stream


def write_result(result: QueryResult, fmt: ResultFormat, out: IO[str], *, max_width: int = 60) -> int:
    """Write a result; returns the number of rows (or triples) written."""
    if result.form == "ASK":
        return _write_boolean(bool(result.boolean), fmt, out)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in (ResultFormat.TTL, ResultFormat.TABLE):
            raise QueryError(f"a {result.form} query gives a graph: use --format ttl")
        return _write_turtle(result.triples, out)
    if fmt is ResultFormat.TTL:
        raise QueryError("a SELECT query gives a table: use --format table, csv, tsv or json")
    writer = {
        ResultFormat.TABLE: lambda: _write_table(result, out, max_width),
        ResultFormat.CSV: lambda: _write_csv(result, out),
        ResultFormat.TSV: lambda: _write_tsv(result, out),
        ResultFormat.JSON: lambda: _write_json(result, out),
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


def _safe_cell(term: Term) -> str:
    v = term.value if term.kind != "bnode" else "_:" + term.value
    if term.kind == "literal" and v.startswith(_FORMULA_START) and term.datatype not in _NUMERIC:
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


def _write_csv(result: QueryResult, out: IO[str]) -> int:
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(result.variables)
    n = 0
    for cells in _cells(result, _safe_cell):
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
    return s if len(s) <= width else s[: width - 1] + "…"


def _write_boolean(value: bool, fmt: ResultFormat, out: IO[str]) -> int:
    if fmt is ResultFormat.JSON:
        out.write(json.dumps({"head": {}, "boolean": value}) + "\n")
    elif fmt in (ResultFormat.CSV, ResultFormat.TSV, ResultFormat.TABLE):
        out.write(("true" if value else "false") + "\n")
    else:
        raise QueryError("an ASK query gives true or false: use --format table, csv, tsv or json")
    return 1


def _write_turtle(triples: Iterable[tuple[Term, Term, Term]], out: IO[str]) -> int:
    import pyoxigraph as ox

    from .query import _to_ox
    from .vocab import PREFIXES as NS

    ts = [ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in triples]
    buf = io.BytesIO()
    ox.serialize(ts, buf, ox.RdfFormat.TURTLE, prefixes=NS)
    out.write(buf.getvalue().decode("utf-8"))
    return len(ts)

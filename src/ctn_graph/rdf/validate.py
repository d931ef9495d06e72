"""SHACL validation of a built graph (a graph file or a store directory) against
ontology/shapes.ttl (with pyshacl)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..common.resources import data_path
from .syntax import graph_syntax_error, xml_well_formedness


class GraphError(Exception):
    """A graph file that cannot be read; the message names the file and the place."""


@dataclass(frozen=True, slots=True)
class ValidationReport:
    conforms: bool
    violations: tuple[str, ...]
    triples: int


def is_store_dir(path: Path) -> bool:
    """Whether `path` is a store directory (an Oxigraph/RocksDB one: it has CURRENT)."""
    return path.is_dir() and (path / "CURRENT").is_file()


def load_rdflib(path: Path):
    """Parse a graph file (any format pyoxigraph reads) into an rdflib Graph, via
    pyoxigraph's fast parser; errors name the file, line and column. A store directory
    is read (read-only) as the union of its graphs, each triple once."""
    import pyoxigraph as ox
    import rdflib

    from .export import GraphFormat

    if is_store_dir(path):
        return _store_to_rdflib(path)

    if path.is_dir():
        from ..common.paths import shown

        raise GraphError(f"{shown(path)}: a folder, not a graph file nor a store directory")
    try:
        fmt = GraphFormat.from_path(path)
    except ValueError as e:
        raise GraphError(str(e)) from None
    if not path.is_file():
        from ..common.paths import shown, why_missing

        why = why_missing(path)
        raise GraphError(f"{shown(path)}: {'no such file' if why.startswith('no such') else why}")
    try:
        quads = list(ox.parse(path=str(path), format=fmt.rdf_format))
    except SyntaxError as e:
        raise GraphError(graph_syntax_error(path, e)) from None
    except OSError as e:
        from ..common.paths import os_error_text

        raise GraphError(os_error_text(e, path)) from None
    if fmt is GraphFormat.RDFXML and (problem := xml_well_formedness(path)):
        raise GraphError(problem)
    g = rdflib.Graph()
    for q in quads:
        g.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return g


def _store_to_rdflib(path: Path):
    import rdflib

    from .store import StoreError, open_graph, reading

    g = rdflib.Graph()
    try:
        with reading(path):
            store = open_graph(path)
            for q in store.quads_for_pattern(None, None, None, None):
                g.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    except StoreError as e:
        raise GraphError(str(e)) from None
    return g


def _term(t):
    import pyoxigraph as ox
    import rdflib

    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return rdflib.BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
    raise GraphError(f"unsupported RDF term {t!r}")


def validate_graph(graph, progress: Callable[[str], None] | None = None) -> ValidationReport:
    import pyshacl
    import rdflib

    shapes = rdflib.Graph().parse(data_path("ontology", "shapes.ttl"), format="turtle")
    if progress is not None:
        progress(f"checking {len(graph)} triples against the SHACL shapes")
    conforms, results, _text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for r in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        msg = results.value(r, SH.resultMessage)
        path = results.value(r, SH.resultPath)
        out.append(f"{focus}: {msg}" + (f" ({path})" if path else ""))
    return ValidationReport(bool(conforms), tuple(sorted(out)), len(graph))


def validate_file(path: Path, progress: Callable[[str], None] | None = None) -> ValidationReport:
    """Validate a graph file or a store directory; `progress` (if given) is told each step."""
    if progress is not None:
        progress(f"reading {path}")
    return validate_graph(load_rdflib(path), progress)

"""SHACL validation of a built graph against ontology/shapes.ttl (with pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .resources import data_path


class GraphError(Exception):
    """A graph file that cannot be read; the message names the file and the place."""


@dataclass(frozen=True, slots=True)
class ValidationReport:
    conforms: bool
    violations: tuple[str, ...]
    triples: int


def load_rdflib(path: Path):
    """Parse a graph file (any format pyoxigraph reads) into an rdflib Dataset, via
    pyoxigraph's fast parser; errors name the file, line and column."""
    import pyoxigraph as ox
    import rdflib

    from .export import GraphFormat

    try:
        fmt = GraphFormat.from_path(path)
    except ValueError as e:
        raise GraphError(str(e)) from None
    if not path.is_file():
        raise GraphError(f"{path}: no such file")
    try:
        quads = list(ox.parse(path=str(path), format=fmt.rdf_format))
    except SyntaxError as e:
        raise GraphError(f"{path}: {e}") from None
    g = rdflib.Graph()
    for q in quads:
        g.add((_term(q.subject), _term(q.predicate), _term(q.object)))
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


def validate_graph(graph) -> ValidationReport:
    import pyshacl
    import rdflib

    shapes = rdflib.Graph().parse(data_path("ontology", "shapes.ttl"), format="turtle")
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


def validate_file(path: Path) -> ValidationReport:
    return validate_graph(load_rdflib(path))

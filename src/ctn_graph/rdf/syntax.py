"""What is wrong with a graph file that does not parse, said with its line and column:
the words of the store's and the validator's errors (store.py, validate.py)."""

from __future__ import annotations

from pathlib import Path


def graph_syntax_error(path: Path, error: SyntaxError) -> str:
    """The message for a graph file that does not parse: the file, then the line and column.

    pyoxigraph gives them for Turtle, TriG, N-Triples and N-Quads. Its RDF/XML parser
    gives none, so the file is read again with Python's XML parser (expat, with
    namespaces), which stops at the first ill-formed place: its line and column and its
    reason come first, the RDF/XML parser's words after them. RDF that is well-formed
    XML but not valid RDF (a bad IRI or language tag) has no position to give: the
    message then has the file and the parser's words."""
    from .export import GraphFormat

    words = " ".join(str(error).split())
    try:
        rdfxml = GraphFormat.from_path(path) is GraphFormat.RDFXML
    except ValueError:
        rdfxml = False
    if not rdfxml or error.lineno is not None:
        return f"{path}: {error}"
    where = _xml_error_position(path)
    if where is None:
        return f"{path}: Parser error: {words}"
    line, column, reason = where
    return f"{path}: Parser error at line {line} column {column}: {reason} (the RDF/XML parser: {words})"


def xml_well_formedness(path: Path) -> str | None:
    """The message for an RDF/XML file that pyoxigraph's parser read but that is not
    well-formed XML (it lets through characters XML 1.0 forbids, such as U+FFFE or a C0
    control): the line, column and reason of Python's XML parser. None if it is well-formed."""
    where = _xml_error_position(path)
    if where is None:
        return None
    line, column, reason = where
    return f"{path}: Parser error at line {line} column {column}: {reason}"


def _xml_error_position(path: Path) -> tuple[int, int, str] | None:
    """Where expat finds `path` ill-formed: line (from 1), column (from 0, as pyoxigraph
    counts them) and reason; None if it is well-formed XML or cannot be read."""
    import xml.parsers.expat as expat

    parser = expat.ParserCreate(namespace_separator=" ")  # an unbound prefix is an error too
    try:
        with path.open("rb") as f:
            parser.ParseFile(f)
    except expat.ExpatError as e:
        return int(e.lineno), int(e.offset), expat.ErrorString(e.code) or "ill-formed"
    except (OSError, ValueError):
        return None
    return None

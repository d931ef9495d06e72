"""RDF terms as the query side holds them (`Term`), and how parameters become terms:
escaped, checked, bound by the engines or written into a VALUES block, never pasted into
a query's text (SEP-0007)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from ..common.chars import BIDI_CONTROLS
from .errors import QueryError


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


def _to_ox(t: Term) -> Any:
    import pyoxigraph as ox

    if t.kind == "uri":
        return ox.NamedNode(t.value)
    if t.kind == "bnode":
        return ox.BlankNode(t.value)
    if t.lang:
        return ox.Literal(t.value, language=t.lang)
    return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype or XSD_STRING))


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


_OX_TYPES: dict[type, str] = {}

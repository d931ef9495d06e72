"""The bytes of the graph files: the prefixes, readable local names and JSON-LD context a
file is written with, and the triples of the union graph that the triple formats hold."""

from __future__ import annotations

import itertools
import json
import operator
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pyoxigraph as ox

from ..common.chars import has_xml_illegal, xml_safe
from .files import GraphFormat
from .vocab import CTN_NS, FILE_PREFIXES, ID_NS


def xml_safe_triples(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    """The triples, each literal holding a character XML 1.0 cannot hold (C0 controls,
    U+FFFE, U+FFFF; chars.py) with U+FFFD there: RDF/XML of any graph is well-formed.
    (IRIs and blank nodes cannot hold them: pyoxigraph checks them.)"""
    literal = ox.Literal
    for t in triples:
        o = t.object
        if type(o) is literal and has_xml_illegal(o.value):
            value = xml_safe(o.value)
            o = literal(value, language=o.language) if o.language else literal(value, datatype=o.datatype)
            t = ox.Triple(t.subject, t.predicate, o)
        yield t


def _union(quads: Iterable[ox.Quad], repeated: frozenset[str]) -> Iterator[ox.Triple]:
    """Every triple of every graph, the `repeated` predicates' triples once."""
    nodes = {ox.NamedNode(p) for p in repeated}
    seen: set[ox.Triple] = set()
    for q in quads:
        t = q.triple
        if q.predicate in nodes:
            if t in seen:
                continue
            seen.add(t)
        yield t


def _prefixes(fmt: GraphFormat) -> dict[str, str] | None:
    return FILE_PREFIXES if fmt in (GraphFormat.TURTLE, GraphFormat.TRIG, GraphFormat.RDFXML) else None


def prefix_header(prefixes: dict[str, str]) -> bytes:
    """The `@prefix` lines of a Turtle or TriG file, in the order given, then a blank line."""
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in prefixes.items()).encode() + b"\n"


def _batches(quads: Iterator[Any], size: int, whole_subjects: bool) -> Iterator[list[Any]]:
    """The quads (or triples) in lists of about `size`; with `whole_subjects`, a list
    ends where a subject does (a subject's run of quads is never split)."""
    carry: list[Any] = []
    while True:
        batch = carry + list(itertools.islice(quads, size - len(carry)))
        carry = []
        if not batch:
            return
        if whole_subjects and len(batch) >= size:
            last = batch[-1].subject
            for q in quads:
                if q.subject != last:
                    carry = [q]
                    break
                batch.append(q)
        yield batch


def _by_subject(quads: Iterable[ox.Quad], group: int) -> Iterator[ox.Quad]:
    """The quads with each subject's together (in the order subjects first come), `group`
    quads at a time: a graph of fewer quads has one run per subject."""
    it = iter(quads)
    while chunk := list(itertools.islice(it, group)):
        subjects = [q.subject for q in chunk]
        if 1 + sum(map(operator.ne, subjects, itertools.islice(subjects, 1, None))) == len(set(subjects)):
            yield from chunk  # each subject's quads together already (as a document's graph comes)
            continue
        runs: dict[Any, list[ox.Quad]] = {}
        for q in chunk:
            s = q.subject
            run = runs.get(s)
            if run is None:
                runs[s] = [q]
            else:
                run.append(q)
        for run in runs.values():
            yield from run


_DOC_IRI = ID_NS + "doc/"


_PIECE_PREFIXES = {name: ns for name, ns in FILE_PREFIXES.items() if name not in ("ctndoc", "ctnid")}


_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_\-](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")  # a local name with no escape


_NAMES = b"|".join(re.escape(n.encode()) for n in sorted(FILE_PREFIXES, key=len, reverse=True))


# pyoxigraph writes a node whose local name holds a reserved character with backslash
# escapes (`ctndoc:d\/s\/3`); a literal cannot hold such an escape (its backslashes come
# in pairs, `\\`, `\"`, `\n`), so these patterns meet prefixed names only
_SENTENCE = re.compile(rb"ctndoc:([A-Za-z0-9_\-][A-Za-z0-9_.\-]*)\\/s\\/([0-9]+)")


_DOC_NS = b"<" + (ID_NS + "doc/").encode()


def _sentence_iri(m: re.Match[bytes]) -> bytes:  # a function: re's template expansion costs more
    return _DOC_NS + m[1] + b"/s/" + m[2] + b">"


_LOCAL_ESCAPE = rb"\\[_~.\-!$&'()*+,;=/?#@%]"


_ANY_ESCAPE = re.compile(_LOCAL_ESCAPE)


_ESCAPED_NAME = re.compile(rb"(?<![^\s])(" + _NAMES + rb"):((?:[^\s\\]|" + _LOCAL_ESCAPE + rb")+)")


_UNESCAPE = re.compile(rb"\\(.)")


_NS = {name.encode(): ns.encode() for name, ns in FILE_PREFIXES.items()}


def _full_iri(m: re.Match[bytes]) -> bytes:
    if b"\\" not in m.group(2):
        return m.group(0)
    return b"<" + _NS[m.group(1)] + _UNESCAPE.sub(rb"\1", m.group(2)) + b">"


def _readable(data: bytes) -> bytes:
    """A piece of Turtle or TriG from pyoxigraph made readable: no backslash escapes in
    prefixed names (such a node is written as a full IRI: sentences by one pattern, any
    other by a slower one where an escape is left), a blank line after each subject's block."""
    if _ANY_ESCAPE.search(data):  # (most pieces have none: the merged Turtle's entities, a TriG's default graph)
        data = _SENTENCE.sub(_sentence_iri, data)
        if _ANY_ESCAPE.search(data):
            data = _ESCAPED_NAME.sub(_full_iri, data)
    return data.replace(b" .\n", b" .\n\n")


def jsonld_context() -> dict[str, Any]:
    """The inline @context of the JSON-LD files: the ctn ontology's terms as plain names
    (`@vocab`), every other namespace by its prefix (no remote context: nothing fetched)."""
    return {"@vocab": CTN_NS, **FILE_PREFIXES}


# keys (predicates: after `{` or `,`), `@id` values and the datatypes (`@type` values)
# of pyoxigraph's expanded JSON-LD; strings inside a value cannot match (their quotes
# are escaped)
_JSON_IRI = re.compile(rb'(?<=[{,])"([a-z][a-z0-9+.\-]*:[^"\\]*)":|"(@id|@type)":"([a-z][a-z0-9+.\-]*:[^"\\]*)"')


_JSON_NS = sorted(((ns, name) for name, ns in FILE_PREFIXES.items()), key=lambda p: -len(p[0]))


class _JsonLdContext:
    """A binary file wrapper that turns pyoxigraph's expanded JSON-LD (an array of graphs
    and nodes, full IRIs) into a compacted document: `{"@context": {...}, "@graph": [...]}`,
    the IRIs of known namespaces written with their prefix or as ctn terms. The same
    quads: the context is inline, so rdflib and pyld read it without a network."""

    def __init__(self, f: IO[bytes]):
        self.f = f
        self._buf = b""
        self._cache: dict[bytes, bytes] = {}
        context = json.dumps({"@context": jsonld_context()}, ensure_ascii=False, indent=1)
        self.f.write(context[:-2].encode() + b',\n "@graph": ')

    def _compact(self, iri: str, key: bool) -> str:
        if key and iri.startswith(CTN_NS) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", iri[len(CTN_NS) :]):
            return iri[len(CTN_NS) :]
        for ns, name in _JSON_NS:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
                return f"{name}:{iri[len(ns) :]}"
        return iri

    def _sub(self, m: re.Match[bytes]) -> bytes:
        whole = m.group(0)
        done = self._cache.get(whole)
        if done is None:
            if m.group(1) is not None:
                done = b'"' + self._compact(m.group(1).decode(), True).encode() + b'":'
            else:
                done = b'"' + m.group(2) + b'":"' + self._compact(m.group(3).decode(), False).encode() + b'"'
            if len(self._cache) < 100_000:
                self._cache[whole] = done
        return done

    def write(self, data: bytes) -> int:
        buf = self._buf + bytes(data)
        # `{"` and `,"` are the JSON's own (an IRI holds no `"`, a string's are escaped) and
        # no match holds one: the text before the last is done
        cut = max(buf.rfind(b'{"'), buf.rfind(b',"'))
        if cut >= 2 and buf[cut - 2 : cut] == b"},":  # a node's start: kept with its `},`
            cut -= 2
        if cut <= 0:
            self._buf = buf
        else:
            self.f.write(self._done(buf[:cut]))
            self._buf = buf[cut:]
        return len(data)

    def _done(self, text: bytes) -> bytes:
        """The text compacted, each node (`{"@id":` after `},`) on a line of its own."""
        return _JSON_IRI.sub(self._sub, text).replace(b'},{"@id":', b'},\n{"@id":')

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """End the document (the wrapped file stays open)."""
        self.f.write(self._done(self._buf) + b"}\n")
        self._buf = b""

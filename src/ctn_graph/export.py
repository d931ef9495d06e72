"""Writing graphs: formats by file extension, written whole or not at all."""

from __future__ import annotations

import enum
import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .chars import has_xml_illegal, xml_safe
from .vocab import PREFIXES


class GraphFormat(str, enum.Enum):
    TURTLE = "ttl"
    TRIG = "trig"
    NTRIPLES = "nt"
    NQUADS = "nq"
    JSONLD = "jsonld"
    RDFXML = "rdf"

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return {
            GraphFormat.TURTLE: ox.RdfFormat.TURTLE,
            GraphFormat.TRIG: ox.RdfFormat.TRIG,
            GraphFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
            GraphFormat.NQUADS: ox.RdfFormat.N_QUADS,
            GraphFormat.JSONLD: ox.RdfFormat.JSON_LD,
            GraphFormat.RDFXML: ox.RdfFormat.RDF_XML,
        }[self]

    @property
    def has_datasets(self) -> bool:
        return self in (GraphFormat.TRIG, GraphFormat.NQUADS, GraphFormat.JSONLD)

    @classmethod
    def from_path(cls, path: Path) -> GraphFormat:
        ext = path.suffix.lower().lstrip(".")
        aliases = {"turtle": "ttl", "json": "jsonld", "xml": "rdf", "owl": "rdf", "ntriples": "nt"}
        ext = aliases.get(ext, ext)
        try:
            return cls(ext)
        except ValueError:
            known = ", ".join("." + f.value for f in cls)
            raise ValueError(f"{path}: unknown graph format {path.suffix!r} (use one of {known})") from None


@contextmanager
def atomic_output(path: Path, mode: str = "wb") -> Iterator[IO]:
    """A file object whose content replaces `path` only if the block finishes. A device
    or a pipe (/dev/stdout, /dev/null) cannot be replaced: it is written to as it is.
    The temporary file is named with this process's pid; those of killed runs are
    removed first (leftovers.py)."""
    from .leftovers import remove_stale, temp_prefix

    if _device_or_pipe(path):
        with open(path, mode) as f:
            yield f
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(path)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
    except OSError as e:  # named as the output, not as the temporary file
        raise OSError(e.errno, f"cannot write ({e.strerror or e})", str(path)) from None
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())  # as an ordinary file would be, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _device_or_pipe(path: Path) -> bool:
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_store(store: ox.Store, path: Path, fmt: GraphFormat | None = None) -> None:
    """Serialise a store: datasets keep one named graph per document; triple formats
    get the union of all graphs, each triple once (the store's own union, a SPARQL
    CONSTRUCT, removes the repeats). `build` writes its graph file with
    `write_quads_to` instead, from the stream it makes."""
    fmt = fmt or GraphFormat.from_path(path)
    with atomic_output(path) as f:
        if fmt.has_datasets:
            store.dump(f, fmt.rdf_format, prefixes=_prefixes(fmt))
        elif fmt is GraphFormat.RDFXML:
            union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            assert isinstance(union, ox.QueryTriples)
            ox.serialize(xml_safe_triples(union), f, fmt.rdf_format, prefixes=_prefixes(fmt))
        elif next(iter(store.named_graphs()), None) is None:
            store.dump(f, fmt.rdf_format, from_graph=ox.DefaultGraph(), prefixes=_prefixes(fmt))
        else:
            union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            assert isinstance(union, ox.QueryTriples)
            ox.serialize(union, f, fmt.rdf_format, prefixes=_prefixes(fmt))


def write_quads_to(quads: Iterable[ox.Quad], f: IO[bytes], fmt: GraphFormat, *, repeated: frozenset[str]) -> None:
    """Write a dataset to a binary file in any format, with pyoxigraph's serialiser:
    datasets whole, triple formats as the union of the graphs, the triples of the
    `repeated` predicates (the only ones that may be in more than one graph) once.
    `build` writes the formats it can assemble from pieces with `GraphFile` instead."""
    if fmt.has_datasets:
        ox.serialize(quads, f, fmt.rdf_format, prefixes=_prefixes(fmt))
    else:
        triples = _union(quads, repeated)
        ox.serialize(xml_safe_triples(triples) if fmt is GraphFormat.RDFXML else triples, f, fmt.rdf_format,
                     prefixes=_prefixes(fmt))  # fmt: skip


PIECEWISE = frozenset({GraphFormat.TURTLE, GraphFormat.TRIG, GraphFormat.NTRIPLES, GraphFormat.NQUADS})
"""The formats `GraphFile` writes graph by graph (JSON-LD and RDF/XML are one structure)."""


@dataclass(frozen=True, slots=True)
class GraphPiece:
    """Where one graph is in a build's outputs: its piece of the graph file (offset,
    length; -1 when the file is not written piecewise) and its N-Quads (sha256, bytes;
    of no N-Quads when none are written) and its number of quads."""

    offset: int
    length: int
    sha256: str
    nquads_bytes: int
    quads: int


class GraphFile:
    """A dataset written graph by graph, as `build` makes it: each graph serialised, in
    batches, into N-Quads parts for the store (`NQuadsParts`, if given) and, for the
    PIECEWISE formats, into its own piece of the graph file (`f`, if given), so that a
    later build can copy the pieces of the graphs that did not change instead of making
    them again (`copy`).

    The pieces follow the prefixes (Turtle, TriG); in Turtle and N-Triples a document's
    piece leaves out the relation triples, which several documents may state: they are
    written once, at the end (`close`). A graph's piece depends on nothing but its quads."""

    BATCH = 500  # quads serialised at a time: few enough to stay in the CPU's caches

    def __init__(
        self, f: IO[bytes] | None, fmt: GraphFormat | None, parts: NQuadsParts | None, *, repeated: frozenset[str]
    ):
        self.f = f if fmt in PIECEWISE else None
        self.fmt = fmt
        self.parts = parts
        self.pieces: dict[str, GraphPiece] = {}
        self._skip = {ox.NamedNode(p) for p in repeated} if fmt in (GraphFormat.TURTLE, GraphFormat.NTRIPLES) else None
        self._prefixes = _prefixes(fmt) if fmt is not None else None
        self._header = b""
        self.offset = 0
        if self.f is not None and self._prefixes:
            probe = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))
            text = ox.serialize([probe], None, fmt.rdf_format, prefixes=self._prefixes)  # type: ignore[union-attr]
            assert text is not None
            self._header = b"".join(line for line in text.splitlines(keepends=True) if line.startswith(b"@prefix"))
            self._write(self._header)

    def _write(self, data: bytes) -> None:
        assert self.f is not None
        self.f.write(data)
        self.offset += len(data)

    def graph(self, name: str, quads: Iterable[ox.Quad]) -> GraphPiece:
        """Write one graph ("" for the default graph), whole."""
        for _ in self._graph(name, quads, False):
            pass
        return self.pieces[name]

    def tee(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> Iterator[ox.Quad]:
        """The quads of the graphs, each graph written as by `graph` as they pass: for a
        serialiser of the whole dataset (JSON-LD, RDF/XML: `write_quads_to`)."""
        for name, quads in graphs:
            yield from self._graph(name, quads, True)

    def _graph(self, name: str, quads: Iterable[ox.Quad], passing: bool) -> Iterator[ox.Quad]:
        import hashlib

        start = self.offset
        digest, count, size = hashlib.sha256(), 0, 0
        if self.parts is not None:
            self.parts.begin(name)
        it = iter(quads)
        nquads = self.parts is not None or self.fmt is GraphFormat.NQUADS  # else no N-Quads are needed
        data = b""
        while batch := list(itertools.islice(it, self.BATCH)):
            count += len(batch)
            if nquads:
                data = ox.serialize(batch, None, ox.RdfFormat.N_QUADS) or b""
                digest.update(data)
                size += len(data)
            if self.parts is not None:
                self.parts.write(data, len(batch))
            if self.f is not None:
                self._write(self._piece(batch, data))
            if passing:
                yield from batch
        length = self.offset - start if self.f is not None else -1
        self.pieces[name] = GraphPiece(start, length, digest.hexdigest(), size, count)

    def _piece(self, batch: list[ox.Quad], nquads: bytes) -> bytes:
        assert self.fmt is not None
        if self.fmt is GraphFormat.NQUADS:
            return nquads
        if self._skip is not None:
            return self._serialise([q.triple for q in batch if q.predicate not in self._skip])
        return self._serialise(batch)

    def _serialise(self, items: list[Any]) -> bytes:
        """Quads or triples in the file's format, without the prefixes (written once, first)."""
        assert self.fmt is not None
        data = ox.serialize(items, None, self.fmt.rdf_format, prefixes=self._prefixes) or b""
        if data and self._header:
            assert data.startswith(self._header)
            data = data[len(self._header) :]
        return data

    def copy(self, name: str, source: IO[bytes] | None, piece: GraphPiece) -> None:
        """Take over a graph that did not change: its piece read from the `source` file
        (the graph file of the build that made it), its N-Quads not written again."""
        start = self.offset
        if self.f is not None:
            assert source is not None and piece.length >= 0
            source.seek(piece.offset)
            data = source.read(piece.length)
            if len(data) != piece.length:
                raise OSError(f"{getattr(source, 'name', 'graph file')}: shorter than the last build left it")
            self._write(data)
        self.pieces[name] = GraphPiece(start, piece.length, piece.sha256, piece.nquads_bytes, piece.quads)

    def close(self, relations: Iterable[ox.Triple]) -> None:
        """End the file: in Turtle and N-Triples, the relation triples, each once."""
        if self.f is not None and self._skip is not None:
            triples = list(relations)
            for i in range(0, len(triples), self.BATCH):
                self._write(self._serialise(triples[i : i + self.BATCH]))


class NQuadsParts:
    """The dataset as N-Quads files of about `per_part` quads each, written graph by graph
    (`begin`, `write`; GraphFile does it): `build` bulk-loads its store from them
    one at a time (the loader's memory grows with what it is given at once). For each
    graph it keeps where its N-Quads are in the files, so that a build can load only the
    graphs that differ from the store's (`build`, store.py). `close` before reading.

    `on_part`, if given, is called with each part once it is complete (the last one at
    `close`): `build` loads it into the store while the next ones are written."""

    def __init__(self, folder: Path, per_part: int, on_part: Callable[[Path], None] | None = None):
        self.folder, self.per_part, self.on_part = folder, per_part, on_part
        self.paths: list[Path] = []
        self.count = 0  # quads written
        self.graphs: dict[str, list[tuple[int, int, int]]] = {}  # graph ("" default) -> [(part, start, end)]
        self._out: IO[bytes] | None = None
        self._in_part = 0
        self._offset = 0
        self._ranges: list[tuple[int, int, int]] = []

    def begin(self, name: str) -> None:
        self._ranges = self.graphs[name] = []

    def write(self, data: bytes, quads: int) -> None:
        """Write a graph's next N-Quads, starting a new part when the current one is full."""
        if self._out is None or self._in_part >= self.per_part:
            self.close()
            self.paths.append(self.folder / f"graph-{len(self.paths):05d}.nq")
            self._out = self.paths[-1].open("wb")
            self._in_part = self._offset = 0
        self._out.write(data)
        part, start, end = len(self.paths) - 1, self._offset, self._offset + len(data)
        ranges = self._ranges
        if ranges and ranges[-1][0] == part and ranges[-1][2] == start:
            ranges[-1] = (part, ranges[-1][1], end)
        else:
            ranges.append((part, start, end))
        self._offset = end
        self._in_part += quads
        self.count += quads

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
            if self.on_part is not None:
                self.on_part(self.paths[-1])

    def read(self, name: str) -> Iterator[bytes]:
        """The N-Quads of one graph, as written."""
        for part, start, end in self.graphs[name]:
            with self.paths[part].open("rb") as f:
                f.seek(start)
                yield f.read(end - start)


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
    return PREFIXES if fmt in (GraphFormat.TURTLE, GraphFormat.TRIG, GraphFormat.RDFXML) else None

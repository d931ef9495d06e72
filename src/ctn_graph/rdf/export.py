"""Writing graphs: a store or quads to a graph file in any format (`write_store`,
`write_quads_to`), and the graph file a build writes graph by graph (`GraphFile`), whose
pieces a rebuild copies (the formats and atomic output: files.py; the bytes: serialise.py)."""

from __future__ import annotations

import dataclasses
import itertools
import operator
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from .files import GraphFormat, atomic_output
from .parts import NQuadsParts
from .serialise import (
    _ANY_ESCAPE,
    _DOC_IRI,
    _ESCAPED_NAME,
    _PIECE_PREFIXES,
    _PLAIN_LOCAL,
    _batches,
    _by_subject,
    _full_iri,
    _JsonLdContext,
    _prefixes,
    _readable,
    _union,
    prefix_header,
    xml_safe_triples,
)


def write_store(store: ox.Store, path: Path, fmt: GraphFormat | None = None) -> None:
    """Serialise a store: datasets keep one named graph per document; triple formats
    get the union of all graphs, each triple once (the store's own union, a SPARQL
    CONSTRUCT, removes the repeats). Turtle and TriG are written as `build` writes
    them (`GraphFile`: one block per subject, the graphs in the order of their names);
    `build` writes its graph file with `GraphFile` and `write_quads_to`, from the
    stream it makes."""
    fmt = fmt or GraphFormat.from_path(path)
    with atomic_output(path) as f:
        if fmt is GraphFormat.TRIG:
            writer = GraphFile(f, fmt, None, repeated=frozenset())
            names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
            writer.graph("", store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            for name in names:
                writer.graph(name, store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
            for other in store.named_graphs():  # graphs named by blank nodes
                if not isinstance(other, ox.NamedNode):
                    writer.graph("_:" + other.value, store.quads_for_pattern(None, None, None, other))
        elif fmt.has_datasets:
            out = _JsonLdContext(f) if fmt is GraphFormat.JSONLD else f
            store.dump(cast(IO[bytes], out), fmt.rdf_format, prefixes=_prefixes(fmt))
            if isinstance(out, _JsonLdContext):
                out.close()
        elif fmt is GraphFormat.RDFXML:
            union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            assert isinstance(union, ox.QueryTriples)
            ox.serialize(xml_safe_triples(union), f, fmt.rdf_format, prefixes=_prefixes(fmt))
        else:
            source = store
            if next(iter(store.named_graphs()), None) is not None:
                union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
                assert isinstance(union, ox.QueryTriples)
                source = ox.Store()  # in the store's order: each subject's triples together
                source.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in union)
            if fmt is GraphFormat.TURTLE:
                writer = GraphFile(f, fmt, None, repeated=frozenset())
                try:
                    writer.graph("", source.quads_for_pattern(None, None, None, ox.DefaultGraph()))
                    writer.close(())
                finally:
                    writer.discard()
            else:
                source.dump(f, fmt.rdf_format, from_graph=ox.DefaultGraph(), prefixes=_prefixes(fmt))


def write_quads_to(quads: Iterable[ox.Quad], f: IO[bytes], fmt: GraphFormat, *, repeated: frozenset[str]) -> None:
    """Write a dataset to a binary file in any format, with pyoxigraph's serialiser:
    datasets whole, triple formats as the union of the graphs, the triples of the
    `repeated` predicates (the only ones that may be in more than one graph) once.
    `build` writes the formats it can assemble from pieces with `GraphFile` instead."""
    if fmt is GraphFormat.JSONLD:
        out = _JsonLdContext(f)
        ox.serialize(quads, cast(IO[bytes], out), fmt.rdf_format)
        out.close()
    elif fmt.has_datasets:
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
    held: bytes = b""  # Turtle: the graph's triples written in other subjects' blocks (N-Triples, zlib)


class GraphFile:
    """A dataset written graph by graph, as `build` makes it: each graph serialised, in
    batches, into N-Quads parts for the store (`NQuadsParts`, if given) and, for the
    PIECEWISE formats, into its own piece of the graph file (`f`, if given), so that a
    later build can copy the pieces of the graphs that did not change instead of making
    them again (`copy`).

    The pieces follow the prefixes (Turtle, TriG); in Turtle and N-Triples a document's
    piece leaves out the relation triples, which several documents may state: they are
    written once, at the end (`close`). A graph's piece depends on nothing but its quads.

    Turtle is the union of the graphs, so a subject has one block in the whole file: the
    default graph (the ontology, the entities) is written at the end (`close`), each
    subject's block holding its triples of the default graph, those the documents' graphs
    state about it (ctn:mentionedIn: left out of their pieces, kept in `GraphPiece.held`
    for a rebuild that copies a piece) and the relation triples, the subjects in the
    order of their IRIs (`_SubjectMerge`, on disk beyond a bound).

    Turtle and TriG are written to be read: within a graph's piece one block per
    subject (a batch ends where a subject does; in TriG a graph's quads are grouped by
    subject first, GROUP at a time), a blank line after each block, TriG one `name { }`
    per graph, and a node the prefixes cannot name without a backslash escape (a
    sentence, `ctndoc:d\\/s\\/3`) written as a full IRI (`_readable`)."""

    BATCH = 500  # quads serialised at a time: few enough to stay in the CPU's caches
    GROUP = 20_000  # quads of one graph grouped by subject at a time (TriG)
    MERGED_BATCH = 2_000  # Turtle's blocks of the default graph: lines serialised at a time

    def __init__(
        self, f: IO[bytes] | None, fmt: GraphFormat | None, parts: NQuadsParts | None, *, repeated: frozenset[str]
    ):
        self.f = f if fmt in PIECEWISE else None
        self.fmt = fmt
        self.parts = parts
        self.pieces: dict[str, GraphPiece] = {}
        self._skip = {ox.NamedNode(p) for p in repeated} if fmt in (GraphFormat.TURTLE, GraphFormat.NTRIPLES) else None
        self._prefixes = _prefixes(fmt) if fmt is not None else None
        self._merge: _SubjectMerge | None = None  # Turtle: the blocks written at the end
        if self.f is not None and fmt is GraphFormat.TURTLE:
            self._merge = _SubjectMerge(parts.folder if parts is not None else None)
        self._shared: set[Any] = set()  # Turtle: the default graph's subjects
        self._held: list[bytes] = []  # Turtle: the N-Triples the graph being written holds back
        self._to_compress: list[tuple[str, bytes]] = []  # (graph, its held N-Triples)
        self._compressing: list[Any] = []  # futures of [(graph, zlib of its held N-Triples)]
        self._pool: Any = None
        self._named_probe = b""  # the prefixes pyoxigraph writes before a named graph's TriG (`_named`)
        self._probe = b""  # the prefixes as pyoxigraph writes them before each piece: cut off
        self._header = b""
        self.offset = 0
        if self.f is not None and self._prefixes:
            probe = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))
            text = ox.serialize([probe], None, fmt.rdf_format, prefixes=self._prefixes)  # type: ignore[union-attr]
            assert text is not None
            self._probe = b"".join(line for line in text.splitlines(keepends=True) if line.startswith(b"@prefix"))
            self._header = prefix_header(self._prefixes)
            self._write(self._header)

    def _write(self, data: bytes) -> None:
        assert self.f is not None
        self.f.write(data)
        self.offset += len(data)

    def graph(self, name: str, quads: Iterable[ox.Quad], links: tuple[int, int] | None = None) -> GraphPiece:
        """Write one graph ("" for the default graph), whole. `links`: where the caller
        knows them, the positions (first, after last) among `quads` of the graph's
        statements about the default graph's nodes (a document's ctn:mentionedIn links,
        `mapping.record_graph`), so that Turtle need not look at every quad's subject to
        find them; the same bytes either way."""
        for _ in self._graph(name, quads, False, links):
            pass
        return self.pieces[name]

    def tee(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> Iterator[ox.Quad]:
        """The quads of the graphs, each graph written as by `graph` as they pass: for a
        serialiser of the whole dataset (JSON-LD, RDF/XML: `write_quads_to`)."""
        for name, quads in graphs:
            yield from self._graph(name, quads, True)

    def _graph(
        self, name: str, quads: Iterable[ox.Quad], passing: bool, links: tuple[int, int] | None = None
    ) -> Iterator[ox.Quad]:
        import hashlib

        start = self.offset
        digest, count, size = hashlib.sha256(), 0, 0
        if self.parts is not None:
            self.parts.begin(name)
        trig = self.f is not None and self.fmt is GraphFormat.TRIG
        it = _by_subject(quads, self.GROUP) if trig else iter(quads)
        readable = self.f is not None and self.fmt in (GraphFormat.TURTLE, GraphFormat.TRIG)
        nquads = self.parts is not None or self.fmt is GraphFormat.NQUADS  # else no N-Quads are needed
        data = b""
        opened = False  # TriG: the graph's `name {` written
        merge = self._merge  # Turtle: the default graph is written at `close`
        self._held = []
        for batch in _batches(it, self.BATCH, readable):
            first = count
            count += len(batch)
            if nquads:
                data = ox.serialize(batch, None, ox.RdfFormat.N_QUADS) or b""
                digest.update(data)
                size += len(data)
            if self.parts is not None:
                self.parts.write(data, len(batch))
            if merge is not None and isinstance(batch[0].graph_name, ox.DefaultGraph):
                self._shared.update(q.subject for q in batch)
                merge.add([q for q in batch if q.predicate not in self._skip] if self._skip else batch)
            elif self.f is not None:
                here = None  # the links' positions within the batch
                if links is not None:
                    here = (min(max(links[0] - first, 0), len(batch)), min(max(links[1] - first, 0), len(batch)))
                piece = self._piece(batch, data, here)
                if trig and not isinstance(batch[0].graph_name, ox.DefaultGraph):
                    # pyoxigraph wraps each batch of a named graph in `name {`, `}`: once per graph here
                    head, _, piece = piece.partition(b"\n")
                    piece = piece[: -len(b"}\n")] if piece.endswith(b"}\n") else piece
                    if not opened:
                        piece = head + b"\n" + piece
                        opened = True
                self._write(piece)
            if passing:
                yield from batch
        if opened:
            self._write(b"}\n\n")
        length = self.offset - start if self.f is not None else -1
        if self._held:  # compressed on another thread (zlib lets go of the GIL), in `close` at the latest
            self._to_compress.append((name, b"".join(self._held)))
            self._held = []
            if len(self._to_compress) >= 256:
                self._compress()
        self.pieces[name] = GraphPiece(start, length, digest.hexdigest(), size, count)

    def _piece(self, batch: list[ox.Quad], nquads: bytes, links: tuple[int, int] | None = None) -> bytes:
        assert self.fmt is not None
        if self.fmt is GraphFormat.NQUADS:
            return nquads
        if self._merge is not None and self._shared and not isinstance(batch[0].graph_name, ox.DefaultGraph):
            # a document's graph: the triples about the default graph's subjects (its
            # ctn:mentionedIn; its relation triples, written from `close`'s list) go to
            # their blocks; the others, about its own nodes, are its piece
            kept = batch
            skip = self._skip or ()
            held: list[ox.Triple] = []
            if links is not None:  # where they are, the caller says (`graph`)
                lo, hi = links
                if hi > lo:
                    kept = batch[:lo] + batch[hi:]
                    held = [q.triple for q in batch[lo:hi] if q.predicate not in skip]
            else:
                shared = self._shared
                about_shared = [q.subject in shared for q in batch]
                if any(about_shared):
                    kept = list(itertools.compress(batch, map(operator.not_, about_shared)))
                    held = [q.triple for q in itertools.compress(batch, about_shared) if q.predicate not in skip]
            if held:
                self._held.append(ox.serialize(held, None, ox.RdfFormat.N_TRIPLES) or b"")
                self._merge.add(held)
            if not kept:
                return b""
            body = self._named(kept)
            # after `name {`, before `}`: a block's first line one tab in, the others two. The
            # first lines are moved out (and a blank line put before them); the others, and
            # the default graph's at `close`, stay two tabs in. (A literal's line ends are
            # escapes: each line end is a statement's.)
            body = body[body.index(b"{\n") + 3 : -2]
            return body.replace(b" .\n\t", b" .\n\n") + b"\n"
        if self.fmt is GraphFormat.TRIG and not isinstance(batch[0].graph_name, ox.DefaultGraph):
            return self._named(batch).replace(b" .\n", b" .\n\n")
        if self._skip is not None:
            return self._serialise([q.triple for q in batch if q.predicate not in self._skip])
        return self._serialise(batch)

    def _named(self, quads: list[ox.Quad]) -> bytes:
        """Quads of one named graph (a document's) as TriG, `name {` to `}`, the prefixes
        left out. Serialised without `ctndoc:` (and `ctnid:`), so that a sentence node is
        written in full (`<.../doc/d/s/3>`, not `ctndoc:d\\/s\\/3`) at no cost; the
        document's own node is then given its prefix by one replacement."""
        if not self._named_probe:
            probe = ox.Quad(
                ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"), ox.NamedNode("urn:x:g")
            )
            text = ox.serialize([probe], None, ox.RdfFormat.TRIG, prefixes=_PIECE_PREFIXES) or b""
            self._named_probe = b"".join(ln for ln in text.splitlines(keepends=True) if ln.startswith(b"@prefix"))
        data = ox.serialize(quads, None, ox.RdfFormat.TRIG, prefixes=_PIECE_PREFIXES) or b""
        assert data.startswith(self._named_probe) and data.endswith(b"\n}\n")
        data = data[len(self._named_probe) :]
        graph = quads[0].graph_name
        doc = graph.value if isinstance(graph, ox.NamedNode) else ""
        if doc.startswith(_DOC_IRI) and _PLAIN_LOCAL.fullmatch(doc, len(_DOC_IRI)):
            data = data.replace(b"<" + doc.encode() + b">", b"ctndoc:" + doc[len(_DOC_IRI) :].encode())
        if _ANY_ESCAPE.search(data):  # a node another prefix names only with an escape: in full
            data = _ESCAPED_NAME.sub(_full_iri, data)
        return data

    def _serialise(self, items: Iterable[Any]) -> bytes:
        """Quads or triples in the file's format, without the prefixes (written once, first)."""
        assert self.fmt is not None
        data = ox.serialize(items, None, self.fmt.rdf_format, prefixes=self._prefixes) or b""
        if data and self._probe:
            assert data.startswith(self._probe)
            data = data[len(self._probe) :]
        if self.fmt in (GraphFormat.TURTLE, GraphFormat.TRIG):
            data = _readable(data)
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
        if self._merge is not None and piece.held:
            self._merge.add(list(ox.parse(zlib.decompress(piece.held), format=ox.RdfFormat.N_TRIPLES, lenient=True)))
        self.pieces[name] = GraphPiece(start, piece.length, piece.sha256, piece.nquads_bytes, piece.quads, piece.held)

    def close(self, relations: Iterable[ox.Triple]) -> None:
        """End the file: in Turtle and N-Triples, the relation triples, each once; in
        Turtle with the default graph and the triples the documents held back, one block
        per subject."""
        if self.f is None or self._skip is None:
            return
        if self._merge is None:
            for batch in _batches(iter(relations), self.BATCH, True):
                self._write(self._serialise(batch))
            return
        merge, self._merge = self._merge, None
        try:
            self._compress()
            merge.add(list(relations))
            start = self.offset
            for batch in merge.blocks(self.MERGED_BATCH):  # triples, and quads of the default graph
                self._write(self._serialise(batch).replace(b";\n\t", b";\n\t\t"))  # indented as the pieces
            default = self.pieces.get("")
            if default is not None:
                self.pieces[""] = dataclasses.replace(default, offset=start, length=self.offset - start)
            for done in self._compressing:
                for name, held in done.result():
                    self.pieces[name] = dataclasses.replace(self.pieces[name], held=held)
            self._compressing = []
        finally:
            merge.discard()
            self._stop_pool()

    def _compress(self) -> None:
        if self._to_compress:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(1, thread_name_prefix="ctn-graph-held")
            self._compressing.append(self._pool.submit(_compressed, self._to_compress))
            self._to_compress = []

    def _stop_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def discard(self) -> None:
        """Remove the work files of a file that will not be finished."""
        if self._merge is not None:
            self._merge.discard()
        self._stop_pool()


def _compressed(items: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    return [(name, zlib.compress(data, 1)) for name, data in items]


class _SubjectMerge:
    """Triples (or quads of the default graph) put in order of their subjects' IRIs (or
    blank node labels: an IRI has a colon, a label none), those of one subject in the
    order they came: kept in memory, RUN at a time; beyond that each run is sorted and
    written to a file of N-Triples in `folder` (a temporary one if None), and the runs
    are merged at the end. So the Turtle blocks of a corpus of any size are made in
    bounded memory, and in the same order either way."""

    RUN = 200_000

    def __init__(self, folder: Path | None):
        self._folder = folder
        self._own: Path | None = None
        self._items: list[Any] = []
        self._runs: list[Path] = []

    def add(self, items: list[Any]) -> None:
        self._items.extend(items)
        if len(self._items) >= self.RUN:
            self._spill()

    def _sorted(self) -> list[Any]:
        items, self._items = self._items, []
        items.sort(key=_SUBJECT_VALUE)  # stable: as they came
        return items

    def _spill(self) -> None:
        if self._folder is None:
            self._own = self._folder = Path(tempfile.mkdtemp(prefix="ctn-graph-turtle-"))
        path = self._folder / f"turtle-run-{id(self):x}-{len(self._runs):05d}.nt"
        items = self._sorted()
        with path.open("wb") as f:
            for batch in _batches(iter(items), 10_000, False):
                f.write(ox.serialize(batch, None, ox.RdfFormat.N_TRIPLES) or b"")
        self._runs.append(path)

    def blocks(self, size: int) -> Iterator[list[Any]]:
        """The triples in order, about `size` at a time, a subject's never split."""
        if not self._runs:
            items = self._sorted()
            i = 0
            while i < len(items):
                end = min(i + size, len(items))
                if end < len(items):  # on to the end of the subject
                    last = items[end - 1].subject
                    while end < len(items) and items[end].subject == last:
                        end += 1
                yield items[i:end]
                i = end
            return
        import heapq

        if self._items:
            self._spill()
        files = [path.open("rb") for path in self._runs]
        try:
            batch: list[bytes] = []
            last = b""
            for line in heapq.merge(*files, key=_subject_key):
                if len(batch) >= size:
                    key = _subject_key(line)
                    if key != last:
                        yield list(ox.parse(b"".join(batch), format=ox.RdfFormat.N_TRIPLES, lenient=True))
                        batch = []
                    last = key
                batch.append(line)
                if len(batch) == size:
                    last = _subject_key(line)
            if batch:
                yield list(ox.parse(b"".join(batch), format=ox.RdfFormat.N_TRIPLES, lenient=True))
        finally:
            for f in files:
                f.close()

    def discard(self) -> None:
        for path in self._runs:
            path.unlink(missing_ok=True)
        self._runs = []
        self._items = []
        if self._own is not None:
            shutil.rmtree(self._own, ignore_errors=True)
            self._own = None


_SUBJECT_VALUE = operator.attrgetter("subject.value")


def _subject_key(line: bytes) -> bytes:
    """The subject of a line of pyoxigraph's N-Triples as `_SubjectMerge` orders it: an IRI
    without its brackets (UTF-8: in the order of its characters, as a str), a blank node's
    label (lenient parsing after: these are pyoxigraph's own lines, their IRIs checked)."""
    if line[0] == 60:  # "<"
        return line[1 : line.index(b"> ")]
    return line[2 : line.index(b" ")]



"""Writing graphs: formats by file extension, written whole or not at all."""

from __future__ import annotations

import enum
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

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
    """A file object whose content replaces `path` only if the block finishes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
        elif next(iter(store.named_graphs()), None) is None:
            store.dump(f, fmt.rdf_format, from_graph=ox.DefaultGraph(), prefixes=_prefixes(fmt))
        else:
            union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            assert isinstance(union, ox.QueryTriples)
            ox.serialize(union, f, fmt.rdf_format, prefixes=_prefixes(fmt))


def copy_files(sources: Sequence[Path], f: IO[bytes]) -> None:
    """Append the files `sources` to a binary file: `build`'s N-Quads output is its N-Quads
    parts, copied."""
    import shutil

    for source in sources:
        with source.open("rb") as src:
            shutil.copyfileobj(src, f, 1 << 20)


def write_quads_to(quads: Iterable[ox.Quad], f: IO[bytes], fmt: GraphFormat, *, repeated: frozenset[str]) -> None:
    """Write a dataset, as `build` streams it (the default graph first, then each
    document's graph in one block), to a binary file in any format, with pyoxigraph's
    serialiser. The graphs stay together, so datasets keep one block per graph and triple
    formats keep a subject's triples together within a graph; triples of the `repeated`
    predicates (the only ones that may be in more than one graph) are written once."""
    if fmt.has_datasets:
        ox.serialize(quads, f, fmt.rdf_format, prefixes=_prefixes(fmt))
    else:
        ox.serialize(_union(quads, repeated), f, fmt.rdf_format, prefixes=_prefixes(fmt))


class NQuadsParts:
    """The dataset as N-Quads files of about `per_part` quads each, written from a stream
    of graphs as it passes (`tee`): `build` bulk-loads its store from them one at a time
    (the loader's memory grows with what it is given at once). For each graph it keeps
    the sha256 of its N-Quads and where they are in the files, so that a build can tell
    which graphs differ from the store's and load only those (`build`, store.py)."""

    BATCH = 500  # quads serialised at a time: few enough to stay in the CPU's caches

    def __init__(self, folder: Path, per_part: int):
        self.folder, self.per_part = folder, per_part
        self.paths: list[Path] = []
        self.count = 0  # quads written
        # graph ("" for the default graph) -> (sha256 of its N-Quads, [(part, start, end)])
        self.graphs: dict[str, tuple[str, list[tuple[int, int, int]]]] = {}
        self._in_part = 0
        self._offset = 0

    def tee(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> Iterator[ox.Quad]:
        """The quads of the graphs (name, quads), each also written to the parts (all of
        them once the stream ends). A graph comes once, whole."""
        import hashlib

        out: IO[bytes] | None = None
        try:
            for name, quads in graphs:
                digest, ranges = hashlib.sha256(), list[tuple[int, int, int]]()
                batch: list[ox.Quad] = []
                for q in quads:
                    batch.append(q)
                    yield q
                    if len(batch) == self.BATCH:
                        out = self._write(batch, out, digest, ranges)
                        batch = []
                out = self._write(batch, out, digest, ranges)
                self.graphs[name] = (digest.hexdigest(), ranges)
        finally:
            if out is not None:
                out.close()

    def drain(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> None:
        """Write the graphs to the parts (no graph file is made from them)."""
        for _ in self.tee(graphs):
            pass

    def _write(
        self, batch: list[ox.Quad], out: IO[bytes] | None, digest: Any, ranges: list[tuple[int, int, int]]
    ) -> IO[bytes] | None:
        """Write a batch, starting a new part when the current one is full; the file now open."""
        if not batch:
            return out
        if out is None or self._in_part >= self.per_part:
            if out is not None:
                out.close()
            self.paths.append(self.folder / f"graph-{len(self.paths):05d}.nq")
            out = self.paths[-1].open("wb")
            self._in_part = self._offset = 0
        data = ox.serialize(batch, None, ox.RdfFormat.N_QUADS)
        assert data is not None  # bytes, with no output given
        out.write(data)
        digest.update(data)
        part, start, end = len(self.paths) - 1, self._offset, self._offset + len(data)
        if ranges and ranges[-1][0] == part and ranges[-1][2] == start:
            ranges[-1] = (part, ranges[-1][1], end)
        else:
            ranges.append((part, start, end))
        self._offset = end
        self._in_part += len(batch)
        self.count += len(batch)
        return out

    def read(self, name: str) -> Iterator[bytes]:
        """The N-Quads of one graph, as written."""
        for part, start, end in self.graphs[name][1]:
            with self.paths[part].open("rb") as f:
                f.seek(start)
                yield f.read(end - start)


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

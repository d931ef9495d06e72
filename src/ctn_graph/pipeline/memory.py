"""A graph made in memory from documents already read: what tests, the evaluation and
small scripts use (a build of files to disk is build.py's).

>>> from ctn_graph.pipeline.memory import build_resolved
>>> from ctn_graph.pipeline.ingest import parse_document
>>> doc = parse_document("Projekta vadošais partneris: Valsts policija.", "d1")
>>> r = build_resolved([doc])
>>> sorted(e.pref_label_lv for e in r.entities if e.docs)
['Valsts policija']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..ir import Document, Resolved
from .extraction import _extractor, extract_documents
from .ingest import IngestError, iter_paths, read_document, unique_ids
from .mapping import ontology_quads
from .options import BuildOptions, Progress


def build_resolved(
    docs: Sequence[Document], options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> Resolved:
    """Extract and resolve documents already read."""
    from .resolve import resolve

    ex = _extractor(options.actors, options.default_country)
    return resolve(extract_documents(docs, options, progress), ex.gaz)


def read_documents(
    paths: Sequence[Path], options: BuildOptions = BuildOptions(), on_error: Callable[[str], None] | None = None
) -> tuple[list[Document], list[str]]:
    skipped: list[str] = []

    def not_read(message: str) -> None:  # a file of a format not read
        skipped.append(message)
        if on_error:
            on_error(message)

    files = list(iter_paths(paths, include=options.include, on_skip=not_read))
    ids = unique_ids(files)
    docs: list[Document] = []
    for f, doc_id in zip(files, ids, strict=True):
        try:
            docs.append(read_document(f, doc_id, options.max_bytes))
        except IngestError as e:
            if options.strict:
                raise
            skipped.append(str(e))
            if on_error:
                on_error(str(e))
    return docs, skipped


def to_store(resolved: Resolved, *, with_ontology: bool = True):
    """An in-memory pyoxigraph Store holding the graph (and the ontology)."""
    import pyoxigraph as ox

    from .mapping import to_quads

    store = ox.Store()
    if with_ontology:
        store.bulk_extend(ontology_quads())
    store.bulk_extend(to_quads(resolved))
    return store

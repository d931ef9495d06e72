"""The merged Turtle file moves a document's statements about the default graph's nodes
(its ctn:mentionedIn links) into those nodes' blocks. `build` tells the writer where they
are among a document's quads (`mapping.record_graph`), so that it need not test every
quad's subject (export.GraphFile.graph's `links`); the file must be the same either way,
and the positions must be exactly those statements."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ctn_graph.pipeline.build import build
from ctn_graph.pipeline.options import BuildOptions
from ctn_graph.rdf import export
from ctn_graph.rdf.vocab import CTN

SEEDS = Path(__file__).resolve().parent.parent / "data" / "corpus" / "seeds"
MENTIONED_IN = ox.NamedNode(CTN.mentionedIn)


def _build(out: Path, monkeypatch: pytest.MonkeyPatch, told: bool) -> tuple[bytes, int]:
    documents = 0
    real = export.GraphFile.graph

    def graph(self, name, quads, links=None):  # noqa: ANN001, ANN202
        nonlocal documents
        quads = list(quads)
        if name:  # a document's graph: the build says where its links are
            assert links is not None, f"{name}: no links' positions"
            about_entities = [i for i, q in enumerate(quads) if q.predicate == MENTIONED_IN]
            assert about_entities == list(range(*links)), name
            documents += 1
        return real(self, name, quads, links if told else None)

    with monkeypatch.context() as m:
        m.setattr(export.GraphFile, "graph", graph)
        build([SEEDS], out, BuildOptions())
    return out.read_bytes(), documents


def test_the_turtle_file_is_the_same_with_the_links_positions_and_without(tmp_path, monkeypatch) -> None:
    told, documents = _build(tmp_path / "told.ttl", monkeypatch, told=True)
    found, _ = _build(tmp_path / "found.ttl", monkeypatch, told=False)
    assert documents == len(list(SEEDS.glob("*.txt")))
    assert told == found
    assert b"ctn:mentionedIn" in told

"""`ctn-graph push`: a built graph loaded into a remote store's named graph (the protocols:
endpoint.py)."""

from __future__ import annotations

from pathlib import Path


def push(graph: Path | None, endpoint: str, named_graph: str | None = None, **kwargs):
    """Load a built graph (store directory or file) into a remote store's named graph,
    replacing that graph whole."""
    import pyoxigraph as ox

    from ..rdf.store import open_graph, reading
    from ..sparql.endpoint import DEFAULT_GRAPH_IRI, push_ntriples
    from ..sparql.transport import check_url

    for url in (endpoint, kwargs.get("gsp_url"), kwargs.get("update_url")):
        if url is not None:
            check_url(url)  # before the graph is read
    seen = set()
    lines = []
    with reading(graph):
        for q in open_graph(graph):
            t = ox.Triple(_skolem(q.subject), q.predicate, _skolem(q.object))
            if t not in seen:
                seen.add(t)
                lines.append(t)
    data = ox.serialize(lines, format=ox.RdfFormat.N_TRIPLES) or b""
    return push_ntriples(data, len(lines), endpoint, named_graph or DEFAULT_GRAPH_IRI, **kwargs)


def _skolem(term):
    """Blank nodes become IRIs, so a graph sent in several requests stays one graph."""
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(f"https://w3id.org/ctn/id/.well-known/genid/{term.value}")
    return term

"""Benchmark: writing the ~1M-triple graph in every format, the project's way and
pyoxigraph's own, in the same run.

The graph is the ~1M-triple store of bench/bench_queries.py (built here if missing),
loaded into an in-memory pyoxigraph Store as `ctn-graph build` holds it (one named
graph per document, the ontology in the default graph).

* project: what writing the graph file adds to `ctn-graph build -o`. The build makes its
  quads once, graph by graph (the default graph first, then each document's), and writes
  them to N-Quads files for its store whatever the output. Turtle, TriG, N-Triples and
  N-Quads files are written graph by graph as they pass (`ctn_graph.rdf.export.GraphFile`:
  each graph its own piece, which a rebuild can copy; in the triple formats the relation
  triples, which several documents may state, once at the end); JSON-LD and RDF/XML are
  serialised whole from the graphs as they pass (`GraphFile.tee`, `write_quads_to`). Here the graphs
  are the same quads, made before the clock starts (parsed from the store's N-Quads
  dump), as is the list of relation triples (the build takes it from the resolver);
  written into a temporary file that is fsync'ed and renamed, as `build` does.
* pyoxigraph: `Store.dump(file, format, prefixes=...)` of the same store for datasets;
  for triple formats `Store.dump(file, format, from_graph=DefaultGraph(), ...)` of a store
  already holding the union in its default graph (made before the clock starts): the
  serialiser alone. Same prefixes, same disk, fsync'ed too.

Each side runs --repeat times, the order alternating (median kept). The union copy is also
timed alone, so the share of the triple formats' ratio it explains can be read off.

    .venv/bin/python bench/bench_export.py
    .venv/bin/python bench/bench_export.py --triples 100000 --repeat 1
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

from bench_queries import graph_of
from generate import WORK, write_json

from ctn_graph.pipeline.mapping import RELATION_IRIS
from ctn_graph.rdf.export import PIECEWISE, GraphFile, GraphFormat, atomic_output, write_quads_to
from ctn_graph.rdf.serialise import _prefixes


def raw_dump(store, path: Path, fmt: GraphFormat) -> None:  # noqa: ANN001
    import pyoxigraph as ox

    with path.open("wb") as f:
        if fmt.has_datasets:
            store.dump(f, fmt.rdf_format, prefixes=_prefixes(fmt))
        else:
            store.dump(f, fmt.rdf_format, from_graph=ox.DefaultGraph(), prefixes=_prefixes(fmt))
        f.flush()
        os.fsync(f.fileno())


def main(argv: list[str] | None = None) -> dict:
    import pyoxigraph as ox

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the graph (about)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--formats", nargs="+", default=[f.value for f in GraphFormat])
    ap.add_argument("--out", type=Path, help="JSON results (default bench/results/export.json)")
    args = ap.parse_args(argv)

    g = graph_of(args.triples)
    t = time.perf_counter()
    disk = ox.Store.read_only(str(g["store"]))
    store = ox.Store()
    store.bulk_extend(disk)
    del disk
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    union = ox.Store()
    union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in store)
    union_s = time.perf_counter() - t
    nquads = WORK / "export" / "source.nq"
    nquads.parent.mkdir(parents=True, exist_ok=True)
    store.dump(str(nquads), ox.RdfFormat.N_QUADS)
    stream = list(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))  # the build's quads, in its order
    graphs = [
        ("" if isinstance(g, ox.DefaultGraph) else g.value, list(qs))
        for g, qs in itertools.groupby(stream, key=lambda q: q.graph_name)
    ]
    graphs.sort(key=lambda graph: graph[0] != "")  # the default graph first, as `build` writes it
    # a document's statements about the default graph's nodes (its ctn:mentionedIn links)
    # in one run, whose place the build knows (mapping.record_graph): here first
    shared = {q.subject for name, qs in graphs if name == "" for q in qs}
    placed: list[tuple[str, list, tuple[int, int] | None]] = []
    for name, qs in graphs:
        if name == "":
            placed.append((name, qs, None))
            continue
        links = [q for q in qs if q.subject in shared]
        placed.append((name, links + [q for q in qs if q.subject not in shared], (0, len(links))))
    relation_nodes = {ox.NamedNode(p) for p in RELATION_IRIS}
    relations = sorted({q.triple for q in stream if q.predicate in relation_nodes}, key=str)
    print(f"graph: {g['documents']} documents, {len(store):,} quads ({len(union):,} distinct triples); "
          f"loaded in {load_s:.1f} s; union copy {union_s:.2f} s")  # fmt: skip

    out_dir = WORK / "export"
    out_dir.mkdir(parents=True, exist_ok=True)
    # the collector as `build` sets it while it writes (pipeline/collector.py: batch_gc, freeze_more): what
    # lives to the end frozen (here the quads made before the clock, which the build makes
    # as it writes and drops), young objects collected every 10,000 allocations
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    rows = []
    print(f"{'format':<8} {'project s':>10} {'pyoxigraph s':>13} {'ratio':>7} {'MB':>9} {'MB (ox)':>9}")
    for name in args.formats:
        fmt = GraphFormat(name)
        proj_t, raw_t = [], []
        p_path, r_path = out_dir / f"graph.{name}", out_dir / f"raw.{name}"
        for k in range(args.repeat):
            for side in ("project", "raw") if k % 2 == 0 else ("raw", "project"):  # alternate the order
                t = time.perf_counter()
                if side == "project":
                    with atomic_output(p_path) as f:
                        if fmt in PIECEWISE:
                            writer = GraphFile(f, fmt, None, repeated=RELATION_IRIS)
                            for graph_name, quads, links in placed:
                                writer.graph(graph_name, quads, links)
                            writer.close(relations)
                        else:
                            writer = GraphFile(None, fmt, None, repeated=RELATION_IRIS)
                            write_quads_to(writer.tee(graphs), f, fmt, repeated=RELATION_IRIS)
                    proj_t.append(time.perf_counter() - t)
                else:
                    raw_dump(store if fmt.has_datasets else union, r_path, fmt)
                    raw_t.append(time.perf_counter() - t)
        p, r = statistics.median(proj_t), statistics.median(raw_t)
        row = {
            "format": name,
            "project_s": round(p, 3),
            "pyoxigraph_s": round(r, 3),
            "ratio": round(p / r, 2),
            "project_mb": round(p_path.stat().st_size / 1e6, 2),
            "pyoxigraph_mb": round(r_path.stat().st_size / 1e6, 2),
            "same_bytes": p_path.read_bytes() == r_path.read_bytes(),
            "runs_project_s": [round(x, 3) for x in proj_t],
            "runs_pyoxigraph_s": [round(x, 3) for x in raw_t],
        }
        rows.append(row)
        print(f"{name:<8} {p:>10.2f} {r:>13.2f} {p / r:>6.2f}x {row['project_mb']:>9.1f} {row['pyoxigraph_mb']:>9.1f}"
              f"{'  (same bytes)' if row['same_bytes'] else ''}", flush=True)  # fmt: skip
        p_path.unlink()
        r_path.unlink()
    data = {"graph": g, "quads": len(store), "union_triples": len(union), "load_s": round(load_s, 2),
            "union_copy_s": round(union_s, 3),
            "formats": rows}  # fmt: skip
    write_json("export", data, args.out)
    return data


if __name__ == "__main__":
    main()
    sys.exit(0)

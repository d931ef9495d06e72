"""Benchmark: every query of the library on graphs of about 10k, 100k and 1M triples,
through the project's path and directly on pyoxigraph, in the same run.

The graphs are real builds of the synthetic corpus (bench/generate.py), not copies of the
seed graph: the first N documents of the 10,000-document corpus, N chosen so that the
graph has about the wanted number of triples (a first guess from the seed-free rate of
about 330 triples per document, corrected if it misses by more than 15%). Each graph
is extracted (2 processes; the cache WORK/cache, which bench_build.py fills), resolved and written as an on-disk
store with `ctn_graph.rdf.store.write_store_dir`, as `ctn-graph build` writes it.

Per query, with the parameters' defaults:

* project: `ctn_graph.pipeline.build.run_query_to(query, STORE_DIR, {}, ResultFormat.CSV, io.StringIO())`,
  the path of `ctn-graph query NAME -f csv` from a program (it binds the parameters and
  writes SPARQL CSV; `ctn_graph.rdf.store.open_graph` opens the store read-only once, before
  the first query, and keeps it open for the next calls while its directory is unchanged);
* raw: the same store opened read-only once (and, in a third column, opened again for
  every run, which is what a separate `ctn-graph query` process pays); `store.query(text,
  use_default_graph_as_union=True, substitutions=...)` and every value of every row read
  (`tuple(solution)`), or every triple of a CONSTRUCT.

A first run goes through run_query_to with timeout=--cap (the path of `ctn-graph query
--timeout`: the query in a child process): a query stopped there is reported as stopped
(its raw time, also capped, measured in a child process) and not run on larger graphs.
That first run is a warm-up (it opens a store nobody has read yet). Then the sides
alternate: a query whose first run took more than --budget seconds runs once per side
(and the raw+open column is left out), after one untimed run on each side if its first
run took less than 3 s (each side's store handle has its own block cache, which the
first run in a child process did not fill); the others run until each side has
--min-repeat runs and about --budget seconds are spent. Medians are kept. Ratio =
project / raw.

    .venv/bin/python bench/bench_queries.py                      # 10k, 100k, 1M triples
    .venv/bin/python bench/bench_queries.py --triples 100000
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from generate import WORK, ensure_corpus, write_json

from ctn_graph.pipeline.options import BuildOptions

from ctn_graph.pipeline.memory import build_resolved, read_documents, to_store

from ctn_graph.sparql.run import run_query_to
from ctn_graph.rdf.store import open_graph
from ctn_graph.sparql.query import ResultFormat, bindings_for, load_library
from ctn_graph.sparql.terms import _to_ox

TRIPLES_PER_DOC = 330  # first guess, measured on the synthetic corpus
WARM_UP_UNDER = 3.0  # seconds: a query timed once is first run untimed on each side when its probe took less


def graph_of(target: int, corpus_size: int = 10000, jobs: int = 2) -> dict[str, object]:
    """An on-disk store of about `target` triples built from the first N synthetic documents."""
    from ctn_graph.rdf.store import write_store_dir

    corpus = ensure_corpus(corpus_size)
    files = sorted(corpus.glob("*.txt"))
    opts = BuildOptions(jobs=jobs, cache_dir=WORK / "cache")
    n = max(1, min(len(files), round(target / TRIPLES_PER_DOC)))
    for _attempt in range(3):
        store_dir = WORK / "queries" / f"{n}-docs.store"
        marker = store_dir / ".triples"
        if marker.exists():
            triples = int(marker.read_text())
            seconds = 0.0
        else:
            t = time.perf_counter()
            docs, _ = read_documents(files[:n])
            store = to_store(build_resolved(docs, opts))
            triples = len(store)
            write_store_dir(store, store_dir)
            del store
            marker.write_text(str(triples))
            seconds = time.perf_counter() - t
        if abs(triples - target) / target <= 0.15 or n == len(files):
            break
        n = max(1, min(len(files), round(n * target / triples)))
    return {"target": target, "documents": n, "triples": triples, "store": str(store_dir), "build_s": round(seconds, 1)}


def raw_run(store, text: str, subs: dict) -> int:  # noqa: ANN001
    import pyoxigraph as ox

    res = store.query(text, use_default_graph_as_union=True, substitutions=subs)
    if isinstance(res, (bool, ox.QueryBoolean)):
        return 1
    n = 0
    if isinstance(res, ox.QuerySolutions):
        for sol in res:
            tuple(sol)
            n += 1
    else:
        for t in res:
            _ = (t.subject, t.predicate, t.object)
            n += 1
    return n


def project_run(q, store_dir: Path) -> int:  # noqa: ANN001
    fmt = ResultFormat.TTL if q.form in ("CONSTRUCT", "DESCRIBE") else ResultFormat.CSV
    return run_query_to(q, store_dir, {}, fmt, io.StringIO())


def _raw_child(store_dir: str, text: str, subs_n3: dict, conn) -> None:  # noqa: ANN001
    import pyoxigraph as ox

    subs = {ox.Variable(k): ox.parse(f"<x:s> <x:p> {v} .", format=ox.RdfFormat.N_TRIPLES).__next__().object
            for k, v in subs_n3.items()}  # fmt: skip
    t = time.perf_counter()
    n = raw_run(ox.Store.read_only(store_dir), text, subs)
    conn.send((n, time.perf_counter() - t))


def raw_probe(store_dir: Path, q, cap: float) -> tuple[int, float] | None:  # noqa: ANN001
    """The raw query in a child process, stopped after `cap` seconds (None then)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    subs_n3 = {k: v.n3() for k, v in bindings_for(q).items()}
    p = ctx.Process(target=_raw_child, args=(str(store_dir), q.text, subs_n3, send), daemon=True)
    p.start()
    p.join(cap)
    if p.is_alive():
        p.kill()
        p.join()
        return None
    return recv.recv() if recv.poll() else None


def bench_graph(
    g: dict, min_repeat: int, budget: float, cap: float, only: list[str] | None, skip: dict[str, str]
) -> list[dict[str, object]]:
    import pyoxigraph as ox

    from ctn_graph.sparql.query import QueryError

    store_dir = Path(str(g["store"]))
    opens = []
    for _ in range(5):
        t = time.perf_counter()
        s = ox.Store.read_only(str(store_dir))
        opens.append(time.perf_counter() - t)
        del s
    g["open_ms"] = round(statistics.median(opens) * 1000, 2)
    raw_store = ox.Store.read_only(str(store_dir))
    open_graph(store_dir)  # the project's handle, kept open by ctn_graph.rdf.store like the raw one here
    rows_out = []
    for name, q in load_library().items():
        if only and name not in only:
            continue
        if name in skip:
            rows_out.append({"query": name, "form": q.form, "stopped": True, "not_run": skip[name], "runs": 0,
                             "project_ms": None, "raw_ms": None, "ratio": None})  # fmt: skip
            print(f"  {name:<36} not run: {skip[name]}", flush=True)
            continue
        subs = {ox.Variable(k): _to_ox(v) for k, v in bindings_for(q).items()}
        # a first run of the project's path with its own --timeout machinery (the query in
        # a child process): one that does not finish in `cap` seconds is reported as such
        fmt = ResultFormat.TTL if q.form in ("CONSTRUCT", "DESCRIBE") else ResultFormat.CSV
        t = time.perf_counter()
        try:
            run_query_to(q, store_dir, {}, fmt, io.StringIO(), timeout=cap)
            probe = time.perf_counter() - t
        except QueryError:
            probe = None
        if probe is None:
            raw = raw_probe(store_dir, q, cap)
            row = {"query": name, "form": q.form, "stopped": True, "cap_s": cap, "project_ms": None,
                   "raw_ms": round(raw[1] * 1000, 1) if raw else None, "rows_raw": raw[0] if raw else None,
                   "ratio": None, "runs": 0}  # fmt: skip
            rows_out.append(row)
            print(
                f"  {name:<36} project: stopped after {cap:g} s; raw: "
                + (f"{raw[1]:.1f} s ({raw[0]} rows)" if raw else f"stopped after {cap:g} s too"),
                flush=True,
            )
            skip[name] = f"stopped after {cap:g} s on the {g['triples']:,}-triple graph"
            continue
        proj_t: list[float] = []
        raw_t: list[float] = []
        raw_open_t: list[float] = []
        n_proj = n_raw = 0
        slow = probe > budget  # the probe ran cold (store just opened): it is only a warm-up
        if slow and probe < WARM_UP_UNDER:
            # the probe ran in a child process: each side's own store handle (and its block
            # cache) has not seen this query yet; one untimed run each, so that the one
            # timed run compares warm with warm
            project_run(q, store_dir)
            raw_run(raw_store, q.text, subs)
        spent = 0.0
        while len(proj_t) < (1 if slow else min_repeat) or (spent < budget and len(proj_t) < 50):
            t = time.perf_counter()
            n_proj = project_run(q, store_dir)
            proj_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            n_raw = raw_run(raw_store, q.text, subs)
            raw_t.append(time.perf_counter() - t)
            spent += proj_t[-1] + raw_t[-1]
            if not slow:
                t = time.perf_counter()
                raw_run(ox.Store.read_only(str(store_dir)), q.text, subs)
                raw_open_t.append(time.perf_counter() - t)
                spent += raw_open_t[-1]
        p, r = statistics.median(proj_t), statistics.median(raw_t)
        ro = statistics.median(raw_open_t) if raw_open_t else None
        row = {
            "query": name,
            "form": q.form,
            "stopped": False,
            "rows_project": n_proj,
            "rows_raw": n_raw,
            "runs": len(proj_t),
            "probe_ms": round(probe * 1000, 1),
            "project_ms": round(p * 1000, 2),
            "raw_ms": round(r * 1000, 2),
            "raw_with_open_ms": round(ro * 1000, 2) if ro else None,
            "ratio": round(p / r, 2) if r > 0 else None,
            "ratio_vs_raw_with_open": round(p / ro, 2) if ro else None,
        }
        rows_out.append(row)
        print(f"  {name:<36} {row['rows_raw']:>8} {row['project_ms']:>11.1f} {row['raw_ms']:>11.1f} "
              + (f"{ro * 1000:>11.1f}" if ro else f"{'-':>11}")
              + f" {row['ratio']:>7.2f}x "
              + (f"{row['ratio_vs_raw_with_open']:>7.2f}x" if ro else f"{'-':>8}")
              + f"  ({row['runs']} run{'s' if row['runs'] > 1 else ''})",
              flush=True)  # fmt: skip
    del raw_store
    return rows_out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--min-repeat", type=int, default=3, help="runs per query and side at least")
    ap.add_argument("--budget", type=float, default=0.5, help="seconds per query (both sides) before stopping")
    ap.add_argument("--cap", type=float, default=40.0, help="seconds after which a query is stopped and reported")
    ap.add_argument("--query", nargs="+", help="only these library queries")
    ap.add_argument("--out", type=Path, help="JSON results (default bench/results/queries.json)")
    args = ap.parse_args(argv)

    graphs = []
    for target in sorted(args.triples, reverse=True):  # the largest first fills the extraction cache
        g = graph_of(target)
        print(f"graph ~{target:,} triples: {g['documents']} documents, {g['triples']:,} triples "
              f"({'built in ' + str(g['build_s']) + ' s' if g['build_s'] else 'built before'})",
              flush=True)  # fmt: skip
        graphs.append(g)
    graphs.sort(key=lambda g: g["triples"])
    skip: dict[str, str] = {}  # queries stopped on a smaller graph are not run on larger ones
    for g in graphs:
        print(f"\n{g['triples']:,} triples ({g['documents']} documents); times in ms, medians")
        print(f"  {'query':<36} {'rows':>8} {'project':>11} {'raw':>11} {'raw+open':>11} {'ratio':>8} {'vs+open':>8}")
        g["queries"] = bench_graph(g, args.min_repeat, args.budget, args.cap, args.query, skip)
        ratios = [q["ratio"] for q in g["queries"] if q["ratio"]]
        g["timed_out"] = [q["query"] for q in g["queries"] if q["stopped"]]
        g["max_ratio"] = max(ratios) if ratios else None
        g["median_ratio"] = round(statistics.median(ratios), 2) if ratios else None
        done = [q for q in g["queries"] if q["runs"]]
        g["total_project_s"] = round(sum(q["project_ms"] for q in done) / 1000, 3)
        g["total_raw_s"] = round(sum(q["raw_ms"] for q in done) / 1000, 3)
        print(
            f"  store open (read-only): {g['open_ms']:.1f} ms; ratio median {g['median_ratio']}, "
            f"max {g['max_ratio']}; the {len(done)} finished queries {g['total_project_s']:.2f} s "
            f"vs {g['total_raw_s']:.2f} s raw; stopped after {args.cap:g} s: {', '.join(g['timed_out']) or 'none'}"
        )
    write_json("queries", {"graphs": graphs}, args.out)
    return {"graphs": graphs}


if __name__ == "__main__":
    main()
    sys.exit(0)

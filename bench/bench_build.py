"""Benchmark: `ctn-graph build` end to end, as a user runs it.

For each corpus size (1,000 and 10,000 synthetic documents; 100,000 with --full) and for
`-j 1` and `-j 2`, runs

    ctn-graph build CORPUS -o WORK/build/<n>-j<J>/graph.ttl --no-cache -j J -q

in a fresh working folder and records the wall time, the peak resident memory (the
largest single process, from wait4's rusage, and the whole process tree, sampled every
0.1 s with psutil: with -j 2 the workers add theirs), the size of the .ttl and of the
store directory, and the triples. Then, on a copy of the 10,000 documents with the cache
on: a previous build (graph file, store, and the cache filled; -j 2, --warm-jobs),
optionally a build that changes nothing (--unchanged), and a build after a change to one
document (-j 1): the incremental rebuild, given as a % of the full `-j 1 --no-cache`
build.

A build whose process tree grows past --max-rss-gb (default 85% of the memory) is
stopped and reported as such, so a --full run cannot take the machine down.

    .venv/bin/python bench/bench_build.py              # 1k and 10k
    .venv/bin/python bench/bench_build.py --full       # and 100k (long)
    .venv/bin/python bench/bench_build.py --sizes 1000 --no-incremental
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from generate import WORK, ensure_corpus, write_json

CLI = (
    str(Path(sys.executable).with_name("ctn-graph"))
    if Path(sys.executable).with_name("ctn-graph").exists()
    else (shutil.which("ctn-graph") or "ctn-graph")
)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def total_memory() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def run_measured(cmd: list[str], cwd: Path, max_rss: int) -> dict[str, object]:
    """Run a command; wall time, peak RSS (single process and tree), exit status, output.
    Without psutil the tree is not sampled (and no memory limit is enforced)."""
    try:
        import psutil
    except ImportError:
        psutil = None

    out_path = cwd / "stdout.txt"
    with out_path.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        peak_tree = 0
        killed = False
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak_tree, killed
            try:
                root = psutil.Process(proc.pid)
            except psutil.NoSuchProcess:
                return
            while not stop.is_set():
                try:
                    procs = [root, *root.children(recursive=True)]
                    rss = 0
                    for p in procs:
                        try:
                            rss += p.memory_info().rss
                        except psutil.NoSuchProcess:
                            pass
                except psutil.NoSuchProcess:
                    return
                peak_tree = max(peak_tree, rss)
                if rss > max_rss and not killed:
                    killed = True
                    os.killpg(proc.pid, signal.SIGKILL)
                stop.wait(0.1)

        th = threading.Thread(target=sample, daemon=True)
        if psutil is not None:
            th.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        stop.set()
        if th.is_alive():
            th.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    output = out_path.read_text(encoding="utf-8", errors="replace")
    return {
        "seconds": round(wall, 2),
        "exit": proc.returncode,
        "killed_over_memory": killed,
        "peak_rss_mb": round(ru.ru_maxrss / 1024, 1),  # Linux: KiB
        "peak_tree_rss_mb": round(peak_tree / 2**20, 1) if psutil is not None else None,
        "user_s": round(ru.ru_utime, 2),
        "sys_s": round(ru.ru_stime, 2),
        "output": output[-2000:],
    }


def build(corpus: Path, work: Path, jobs: int, cache: bool, max_rss: int, fresh: bool = True) -> dict[str, object]:
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    graph = work / "graph.ttl"
    cmd = [CLI, "build", str(corpus), "-o", str(graph), "-j", str(jobs), "--cache" if cache else "--no-cache"]
    r = run_measured(cmd, work, max_rss)
    m = re.search(r"\((\d+) triples\) in ([\d.]+) s", str(r["output"]))
    r.update(
        {
            "jobs": jobs,
            "cache": cache,
            "triples": int(m.group(1)) if m else None,
            "build_reported_s": float(m.group(2)) if m else None,
            "ttl_mb": round(graph.stat().st_size / 1e6, 2) if graph.exists() else None,
            "store_mb": round(dir_size(work / "graph.store") / 1e6, 1),
        }
    )
    if r["exit"] != 0:
        print(f"  build failed (exit {r['exit']}):\n{r['output']}", file=sys.stderr)
    return r


def show(label: str, r: dict) -> None:
    print(
        f"{label:<28} {r['seconds']:>8.1f} s  peak RSS {r['peak_rss_mb']:>7.0f} MB "
        f"(tree {r['peak_tree_rss_mb'] or 0:>7.0f} MB)"
        f"  ttl {r['ttl_mb'] or 0:>7.1f} MB  store {r['store_mb']:>7.1f} MB  {r['triples'] or 0:>10,} triples"
        + ("  KILLED (memory)" if r["killed_over_memory"] else "")
        + (f"  EXIT {r['exit']}" if r["exit"] else ""),
        flush=True,
    )


def cache_entries(cache: Path) -> int:
    return sum(1 for _ in cache.rglob("*.pickle")) if cache.exists() else 0


def incremental(n: int, max_rss: int, warm_jobs: int, unchanged: bool) -> dict[str, object]:
    """Cache on: a previous build (graph file, store and extraction cache), (a rebuild with
    nothing changed,) one document changed, a rebuild with -j 1: what a user who edits or
    adds a document and builds again waits for.

    The cache is WORK/cache (shared with bench_queries.py), linked in as the working
    folder's .ctn-graph/cache, where `ctn-graph build` keeps it; the previous build runs
    with --warm-jobs processes. The changed document gets a new sentence with a time
    stamp, so it is never in the cache."""
    src = ensure_corpus(n)
    work = WORK / "build" / f"incremental-{n}"
    if work.exists():
        shutil.rmtree(work)
    corpus = work / "corpus"
    shutil.copytree(src, corpus)
    cache = WORK / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    (work / ".ctn-graph").mkdir()
    (work / ".ctn-graph" / "cache").symlink_to(cache, target_is_directory=True)
    previous = build(corpus, work, warm_jobs, True, max_rss, fresh=False)
    show(f"{n:,} previous build -j {warm_jobs}", previous)
    same = None
    if unchanged:
        same = build(corpus, work, 1, True, max_rss, fresh=False)
        show(f"{n:,} cache on, no change", same)
    victim = sorted(corpus.glob("*.txt"))[n // 2]
    with victim.open("a", encoding="utf-8") as f:
        f.write(f'\nProjekta partneri: Valsts policija un biedrība "Centrs MARTA" ({time.time_ns()}).\n')
    before = cache_entries(cache)
    changed = build(corpus, work, 1, True, max_rss, fresh=False)
    changed["re_extracted"] = cache_entries(cache) - before
    show(f"{n:,} cache on, 1 doc changed", changed)
    print(f"  documents extracted again: {changed['re_extracted']} (new cache entries)")
    for line in changed["output"].strip().splitlines():  # graphs made again, and written to the store
        if line.startswith(("rebuilt:", "store:")):
            print(f"  {line}")
    return {"documents": n, "changed_file": victim.name, "previous": previous, "unchanged": same,
            "one_changed": changed}  # fmt: skip


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", help="corpus sizes (default 1000 10000; --full adds 100000)")
    ap.add_argument("--full", action="store_true", help="also build 100,000 documents")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="-j values to measure")
    ap.add_argument("--no-incremental", action="store_true", help="skip the incremental rebuild")
    ap.add_argument("--incremental-size", type=int, default=10000)
    ap.add_argument("--warm-jobs", type=int, default=2, help="processes of the previous build, which fills the cache")
    ap.add_argument("--unchanged", action="store_true", help="also time a rebuild with nothing changed")
    ap.add_argument("--max-rss-gb", type=float, default=round(total_memory() * 0.85 / 2**30, 1))
    ap.add_argument("--out", type=Path, help="JSON results (default bench/results/build.json)")
    args = ap.parse_args(argv)
    sizes = args.sizes or ([1000, 10000, 100000] if args.full else [1000, 10000])
    max_rss = int(args.max_rss_gb * 2**30)

    runs = []
    for n in sizes:
        corpus = ensure_corpus(n)
        for j in args.jobs:
            r = build(corpus, WORK / "build" / f"{n}-j{j}", j, False, max_rss)
            r["documents"] = n
            r["corpus_mb"] = round(dir_size(corpus) / 1e6, 1)
            show(f"{n:,} docs -j {j} --no-cache", r)
            runs.append(r)

    def secs(n: int, j: int) -> float | None:
        for r in runs:
            if r["documents"] == n and r["jobs"] == j and r["exit"] == 0:
                return float(r["seconds"])  # type: ignore[arg-type]
        return None

    summary: dict[str, object] = {}
    for a, b in ((1000, 10000), (10000, 100000)):
        for j in args.jobs:
            ta, tb = secs(a, j), secs(b, j)
            if ta and tb:
                summary[f"ratio_{b // 1000}k_over_{a // 1000}k_j{j}"] = round(tb / ta, 2)
                print(f"{b:,} / {a:,} documents, -j {j}: {tb / ta:.2f}x the time for {b // a}x the documents")
    inc = None
    if not args.no_incremental:
        inc = incremental(args.incremental_size, max_rss, args.warm_jobs, args.unchanged)
        full = secs(args.incremental_size, 1)
        if full:
            pct = 100 * float(inc["one_changed"]["seconds"]) / full  # type: ignore[index]
            summary["incremental_pct_of_full"] = round(pct, 1)
            if inc["unchanged"]:
                summary["unchanged_pct_of_full"] = round(100 * float(inc["unchanged"]["seconds"]) / full, 1)  # type: ignore[index]
            print(f"incremental rebuild (1 of {args.incremental_size:,} documents changed): "
                  f"{inc['one_changed']['seconds']:.1f} s = {pct:.1f}% of the full -j 1 build ({full:.1f} s)")  # type: ignore[index]  # fmt: skip
    for n in sizes:
        for j in args.jobs:
            r = next((r for r in runs if r["documents"] == n and r["jobs"] == j), None)
            if r:
                summary[f"peak_tree_rss_mb_{n // 1000}k_j{j}"] = r["peak_tree_rss_mb"]
                summary[f"seconds_{n // 1000}k_j{j}"] = r["seconds"]
    write_json("build", {"work": str(WORK / "build"), "runs": runs, "incremental": inc, "summary": summary}, args.out)
    return summary


if __name__ == "__main__":
    main()
    sys.exit(0)

"""Run the benchmark suite and check the performance targets of issue 6.

    .venv/bin/python bench/run.py            # quick: 1k and 10k documents, ~10k/100k/1M triples
    .venv/bin/python bench/run.py --full     # and the 100k-document builds (long; needs memory)
    .venv/bin/python bench/run.py --only extract queries      # some steps; the others' JSON is reused
    .venv/bin/python bench/run.py --summary  # no run: the table from the JSON in bench/results/
    .venv/bin/python bench/run.py --viz      # also run bench/viz_bench.py (headless Chromium)

Each step is its own process (bench/bench_*.py), writes bench/results/<step>.json, and
prints its figures; at the end a table gives each target with the measured value and
PASS or FAIL (n/a where the step or mode that measures it did not run), and the table
goes to bench/results/summary.json. The network page targets are read from
bench/results/viz.json, written by bench/viz_bench.py, when it is there.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from generate import RESULTS, ROOT, WORK, machine_info, write_json

STEPS = ("generate", "extract", "build", "queries", "export")


def step_commands(full: bool) -> dict[str, list[str]]:
    py = sys.executable
    b = str(ROOT / "bench")
    return {
        "generate": [py, f"{b}/generate.py", "100", "1000", "10000", *(["100000"] if full else [])],
        "extract": [py, f"{b}/bench_extract.py", "--profile"],
        "build": [py, f"{b}/bench_build.py", *(["--full"] if full else [])],
        "queries": [py, f"{b}/bench_queries.py"],
        "export": [py, f"{b}/bench_export.py"],
        "viz": [py, f"{b}/viz_bench.py"],
    }


def load(name: str) -> dict | None:
    try:
        return json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _fmt(v: float | None, unit: str = "", nd: int = 2) -> str:
    return "-" if v is None else f"{v:,.{nd}f}{unit}"


def targets(full_run: bool) -> list[dict[str, object]]:
    """Each target of the issue with its measured value and PASS/FAIL/n/a."""
    rows: list[dict[str, object]] = []

    def add(target: str, value: str, ok: bool | None, note: str = "") -> None:
        rows.append({"target": target, "measured": value, "result": "n/a" if ok is None else ("PASS" if ok else "FAIL"),
                     "note": note})  # fmt: skip

    ex = load("extract")
    if ex:
        s = ex["summary"]
        add("extraction >= 2 MB/s on 1 core", f"{s['mb_per_s_1core']:.2f} MB/s ({s['docs_per_s_1core']:.0f} docs/s)",
            s["mb_per_s_1core"] >= 2.0, f"regex baseline {s['regex_mb_per_s']:.1f} MB/s")  # fmt: skip
        add("extraction on 2 cores >= 1.7x 1 core", f"{s['speedup_2proc']:.2f}x ({s['mb_per_s_2proc']:.2f} MB/s)",
            s["speedup_2proc"] >= 1.7)  # fmt: skip
    else:
        add("extraction >= 2 MB/s on 1 core", "-", None, "no extract.json")
        add("extraction on 2 cores >= 1.7x 1 core", "-", None, "no extract.json")
    long = ex.get("long_line") if ex else None
    if long:
        big, small = long["rows"][-1], long["rows"][0]
        add(f"a {big['mb']:g} MB one-line document read in linear time (issue 14)",
            f"{big['seconds']:.2f} s ({big['mb_per_s']:.2f} MB/s)", long["cpu_ratio"] <= 1.5 * long["size_ratio"],
            f"CPU {long['cpu_ratio']:.1f}x that of {small['mb']:g} MB, {long['size_ratio']:g}x the size")  # fmt: skip
    else:
        add("a 20 MB one-line document read in linear time (issue 14)", "-", None, "no long_line in extract.json")

    bu = load("build")
    runs = bu["runs"] if bu else []

    def run_of(n: int, j: int) -> dict | None:
        return next((r for r in runs if r["documents"] == n and r["jobs"] == j), None)

    r100 = [r for r in (run_of(100000, 1), run_of(100000, 2)) if r]
    if r100:
        peak = max(float(r["peak_tree_rss_mb"] or r["peak_rss_mb"]) for r in r100)
        killed = any(r["killed_over_memory"] for r in r100)
        add("100k-document build < 2 GB peak RSS", f"{peak / 1024:.2f} GB" + (" (stopped: memory)" if killed else ""),
            peak < 2048 and not killed, "process tree, max of -j 1 and -j 2")  # fmt: skip
    else:
        r10 = run_of(10000, 1)
        note = (
            f"not run (--full); 10k documents: {(r10['peak_tree_rss_mb'] or r10['peak_rss_mb']) / 1024:.2f} GB"
            if r10
            else "not run (--full)"
        )
        add("100k-document build < 2 GB peak RSS", "-", None, note)
    a, b = run_of(10000, 1), run_of(100000, 1)
    if a and b and b["exit"] == 0:
        ratio = float(b["seconds"]) / float(a["seconds"])
        add("100k build within 12x the 10k build", f"{ratio:.1f}x (-j 1)", ratio <= 12)
    else:
        small = run_of(1000, 1)
        note = "not run (--full)" if not b else "the 100k build did not finish"
        if a and small:
            note += f"; 10k/1k: {float(a['seconds']) / float(small['seconds']):.1f}x (-j 1)"
        add("100k build within 12x the 10k build", "-", None, note)
    inc = bu.get("summary", {}).get("incremental_pct_of_full") if bu else None
    if inc is not None:
        i = bu["incremental"]  # type: ignore[index]
        add("incremental rebuild < 10% of a full build (10k)", f"{inc:.1f}%", inc < 10,
            f"{i['one_changed']['seconds']:.1f} s vs {a['seconds']:.1f} s" if a else "")  # fmt: skip
    else:
        add("incremental rebuild < 10% of a full build (10k)", "-", None, "no build.json")

    qu = load("queries")
    if qu:
        g = max(qu["graphs"], key=lambda g: g["triples"])
        done = [q for q in g["queries"] if q.get("ratio") is not None]
        stopped = [q["query"] for q in g["queries"] if q.get("stopped")]
        worst = max(done, key=lambda q: q["ratio"]) if done else None
        over = [q["query"] for q in done if q["ratio"] > 1.5]
        value = f"max {worst['ratio']:.2f}x ({worst['query']})" if worst else "-"
        if stopped:
            value += f"; {len(stopped)} stopped"
        note = f"{g['triples']:,} triples; {len(done)} of {len(g['queries'])} measured"
        if over:
            note += f"; over 1.5x: {', '.join(over)}"
        if stopped:
            cap = next((q["cap_s"] for q in g["queries"] if q.get("cap_s")), None)
            note += f"; stopped (after {cap:g} s, raw pyoxigraph too): " if cap else "; stopped: "
            note += ", ".join(stopped)
        add("every library query at 1M triples within 1.5x of pyoxigraph", value, not over and not stopped, note)
    else:
        add("every library query at 1M triples within 1.5x of pyoxigraph", "-", None, "no queries.json")

    exp = load("export")
    for fmt, label in (("ttl", "Turtle"), ("trig", "TriG")):
        row = next((r for r in exp["formats"] if r["format"] == fmt), None) if exp else None
        if row:
            add(f"{label} export within 1.5x of pyoxigraph", f"{row['ratio']:.2f}x",
                row["ratio"] <= 1.5, f"{row['project_s']:.2f} s vs {row['pyoxigraph_s']:.2f} s, {exp['quads']:,} quads")  # type: ignore[index]  # fmt: skip
        else:
            add(f"{label} export within 1.5x of pyoxigraph", "-", None, "no export.json")

    viz = load("viz")
    for want, limit in ((5000, 3.0), (20000, 10.0)):
        label = f"network page: {want:,} nodes drawn < {limit:g} s"
        rs = viz.get("results", []) if viz else []
        row = min(rs, key=lambda r: abs(r["nodes"] - want)) if rs else None
        if row and abs(row["nodes"] - want) / want < 0.3:
            secs = row["draw_ms_median"] / 1000
            when = viz.get("date") or "an unrecorded date"  # type: ignore[union-attr]  # a clone's file time is its checkout
            add(label, f"{secs:.2f} s", secs < limit, f"{row['nodes']:,} nodes; bench/results/viz.json of {when}")
        else:
            add(label, "-", None, "no bench/results/viz.json (python bench/viz_bench.py)")
    return rows


def _cpu_busy_s() -> float:
    """CPU seconds the whole machine has been busy (all processes, from /proc/stat)."""
    try:
        f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    idle = f[3] + (f[4] if len(f) > 4 else 0)
    return (sum(f[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    s = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime + s.ru_utime + s.ru_stime


def print_table(rows: list[dict[str, object]]) -> None:
    w = max(len(str(r["target"])) for r in rows)
    m = max(len(str(r["measured"])) for r in rows)
    print(f"\n{'target':<{w}}  {'measured':<{m}}  result  note")
    print("-" * (w + m + 20))
    for r in rows:
        print(f"{r['target']:<{w}}  {r['measured']:<{m}}  {r['result']:<6}  {r['note']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", action="store_true", help="add the 100k-document corpus and builds")
    ap.add_argument("--only", nargs="+", choices=STEPS, help="run only these steps")
    ap.add_argument("--viz", action="store_true", help="also run bench/viz_bench.py")
    ap.add_argument("--summary", action="store_true", help="run nothing, print the table from the results")
    ap.add_argument("--keep-work", action="store_true", help=f"keep {WORK} (stores, extraction cache) of a run before")
    args = ap.parse_args(argv)

    cmds = step_commands(args.full)
    steps = [] if args.summary else list(args.only or STEPS)
    if args.viz and not args.summary:
        if (ROOT / "bench" / "viz_bench.py").exists():
            steps.append("viz")
        else:
            print("bench/viz_bench.py is not there: skipping the network page benchmark")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    timings: dict[str, float] = {}
    others: dict[str, float] = {}
    failed: list[str] = []
    t_all = time.perf_counter()
    if steps:
        m = machine_info()
        print(f"machine: {m['cpus']} x {m['cpu_model']}, {m['memory_gb']} GB; Python {m['python']}, "
              f"pyoxigraph {m['pyoxigraph']}; load average {m['loadavg_1_5_15']}", flush=True)  # fmt: skip
    if steps and not args.keep_work and WORK.exists():
        import shutil

        shutil.rmtree(WORK)  # graphs and caches of an earlier run may come from older code
    for step in steps:
        print(f"\n===== {step}: {' '.join(Path(c).name if i < 2 else c for i, c in enumerate(cmds[step]))}", flush=True)
        t, busy0, own0 = time.perf_counter(), _cpu_busy_s(), _own_cpu_s()
        rc = subprocess.call(cmds[step], cwd=ROOT, env=env)
        timings[step] = round(time.perf_counter() - t, 1)
        # CPU the rest of the machine used meanwhile, in cores: other work skews the figures
        others[step] = round(max(0.0, (_cpu_busy_s() - busy0) - (_own_cpu_s() - own0)) / timings[step], 2)
        print(f"===== {step}: {timings[step]:.0f} s; other processes used {others[step]:.2f} cores meanwhile"
              + (f" (exit {rc})" if rc else ""), flush=True)  # fmt: skip
        if rc:
            failed.append(step)
    total = round(time.perf_counter() - t_all, 1)
    rows = targets(args.full)
    print_table(rows)
    if not steps and (RESULTS / "summary.json").exists():  # --summary: refresh the table of the last run
        data = json.loads((RESULTS / "summary.json").read_text(encoding="utf-8"))
        data["targets"] = rows
        data["targets_recomputed"] = time.strftime("%Y-%m-%d %H:%M:%S")
        (RESULTS / "summary.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if steps:
        print(f"\nsuite: {total / 60:.1f} min ({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())})")
        write_json("summary", {"mode": "full" if args.full else "quick", "steps_s": timings, "total_s": total,
                               "other_cores_busy": others, "failed_steps": failed, "targets": rows})  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

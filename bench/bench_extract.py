"""Benchmark: extraction throughput (MB of text and documents per second).

Measures `ctn_graph.pipeline.build.extract_documents` on the synthetic corpus (bench/generate.py):

* 1 core: `extract_documents(docs, BuildOptions(jobs=1))` on documents already read: the
  extractor's own speed (the per-core target);
* reading and extracting the files as `ctn-graph build` does (`spill_records`, its
  extraction step), on 1 core and with `jobs=2` (the build's process pool: fork, pool
  start-up included; workers read and extract runs of files and write the records to
  files themselves, and send back one outcome per file): the 2-core speed-up is the
  ratio of these two, like for like;
* a baseline: a handful of regular expressions (capitalised words before an
  institution's head noun, quoted titles, acronyms in parentheses, dates, two
  capitalised words), 1 core, on the same text in the same run.

The extractor is built and warmed up first (on the seed corpus and documents from the end
of the synthetic corpus), then measured on fresh text: two disjoint sets A and B of the
same size, in the order 1 core on A, 2 processes on B, 2 processes on A, 1 core on B, so
neither mode gets the warmer word caches or the easier set; --rounds times (3), and the
median round is reported, which keeps a burst of other work on the machine out. Reading the files and
splitting sentences (ingest) happen before and are timed apart. The extraction cache is
off. MB = 10^6 bytes of UTF-8 text.

The sets hold 2,000 documents each (7.5 MB; --docs): a worker process has a fixed cost
(start-up, and the copy-on-write faults of the extractor's memory it touches: about 0.1 s
each, 40 MB of faults measured), which is 15-30% of a 500-document run on 2 processes
(0.6 s) and little of a corpus anyone would extract in parallel.

    .venv/bin/python bench/bench_extract.py                 # 2 x 2,000 documents
    .venv/bin/python bench/bench_extract.py --profile       # and cProfile on 500 of each set
    .venv/bin/python bench/bench_extract.py --long-line-only  # only the one-line documents

A one-line document (issue 14) is read as `build` reads a file (`read_document`:
decode, clean, HTML if any, title, dates, sentences) at 2 MB and at --long-line MB (20):
the corpus's paragraphs joined by spaces into a single line. Reading is linear in it when
the larger takes about ten times as long. (Extraction of such a document is not timed
here: the extractor compares all the names of a document with each other.)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from generate import RESULTS, ROOT, WORK, ensure_corpus, write_json

from ctn_graph.ir import Document
from ctn_graph.pipeline.options import BuildOptions
from ctn_graph.pipeline.extraction import _extractor, extract_documents, spill_records
from ctn_graph.pipeline.memory import read_documents
from ctn_graph.pipeline.ingest import read_document

# --------------------------------------------------------------------------- baseline

_UP = "A-ZĀČĒĢĪĶĻŅŠŪŽ"
_LO = "a-zāčēģīķļņšūž"
_BASELINE = {
    "org": re.compile(
        rf"(?:[{_UP}][{_LO}]+\s+(?:[{_LO}]+\s+){{0,3}}){{1,3}}"
        rf"(?:ministrij|dienest|policij|robežsardz|pārvald|biroj|inspekcij|inspektorāt|centr|aģentūr|"
        rf"organizācij|komisij|padom|fond|prokuratūr|biedrīb)[{_LO}]*"
    ),
    "quoted": re.compile(r"[“„\"«]([^”“\"»\n]{3,200})[”\"»]"),
    "acronym": re.compile(rf"\(([{_UP}][{_UP}A-Za-z-]{{1,12}}(?: [IV]+)?)\)"),
    "date": re.compile(rf"\b\d{{1,2}}\.\d{{1,2}}\.\d{{4}}\.?|\b\d{{4}}\.\s*gada\s+\d{{1,2}}\.\s*[{_LO}]+"),
    "person": re.compile(rf"\b[{_UP}][{_LO}]{{2,}}\s+[{_UP}][{_LO}]+(?:š|s|a|e)\b"),
}


def baseline_extract(doc: Document) -> list[tuple[str, int, int]]:
    """The simple regex extractor: (kind, start, end) of every match."""
    return [(kind, m.start(), m.end()) for kind, rx in _BASELINE.items() for m in rx.finditer(doc.text)]


# --------------------------------------------------------------------------- measuring


def mb(docs: list[Document]) -> float:
    return sum(len(d.text.encode("utf-8")) for d in docs) / 1e6


def timed_extract(docs: list[Document], jobs: int, files: bool = False) -> dict[str, float]:
    """Extract documents already read (files=False), or read and extract their files the
    way `build` does (files=True: `spill_records`, workers read and extract runs of files
    and write the records to files themselves; reading the records back is the first step
    of resolution, in either mode, and is not timed)."""
    t = time.perf_counter()
    if files:
        WORK.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="extract-", dir=WORK) as tmp:
            paths, ids = [Path(d.path) for d in docs], [d.id for d in docs]
            spill = spill_records(paths, ids, BuildOptions(jobs=jobs), Path(tmp))
            s = time.perf_counter() - t
            xs: list = list(spill.records())  # read back after the clock: resolution does it either way
    else:
        xs = extract_documents(docs, BuildOptions(jobs=jobs))
        s = time.perf_counter() - t
    size = mb(docs)
    return {
        "jobs": jobs,
        "documents": len(docs),
        "mb": round(size, 3),
        "seconds": round(s, 3),
        "mb_per_s": round(size / s, 4),
        "docs_per_s": round(len(docs) / s, 1),
        "mentions": sum(len(x.mentions) for x in xs),
        "claims": sum(len(x.claims) for x in xs),
    }


def timed_baseline(docs: list[Document]) -> dict[str, float]:
    t = time.perf_counter()
    found = [baseline_extract(d) for d in docs]
    s = time.perf_counter() - t
    size = mb(docs)
    return {
        "documents": len(docs),
        "mb": round(size, 3),
        "seconds": round(s, 4),
        "mb_per_s": round(size / s, 3),
        "docs_per_s": round(len(docs) / s, 1),
        "matches": sum(len(f) for f in found),
    }


def profile(docs: list[Document], out: Path, top: int = 25) -> dict[str, list[dict[str, object]]]:
    """cProfile of extract_documents(jobs=1): the top functions by cumulative and own time."""
    prof = cProfile.Profile()
    prof.enable()
    extract_documents(docs, BuildOptions(jobs=1))
    prof.disable()
    report: dict[str, list[dict[str, object]]] = {}
    text = io.StringIO()
    for key in ("cumulative", "tottime"):
        st = pstats.Stats(prof, stream=text).sort_stats(key)
        text.write(f"\n==== extract_documents, {len(docs)} documents, {mb(docs):.2f} MB, sorted by {key}\n")
        st.print_stats(top)
        rows = []
        for func in st.fcn_list[:top]:  # type: ignore[attr-defined]
            cc, nc, tt, ct, _ = st.stats[func]  # type: ignore[attr-defined]
            file, line, name = func
            rows.append({"function": f"{_short(file)}:{line}({name})", "calls": nc,
                         "tottime_s": round(tt, 3), "cumtime_s": round(ct, 3)})  # fmt: skip
        report[key] = rows
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text.getvalue(), encoding="utf-8")
    return report


def _short(file: str) -> str:
    for marker in ("/src/ctn_graph/", "/lib/python"):
        if marker in file:
            return ("ctn_graph/" if "ctn_graph" in marker else "") + file.split(marker, 1)[1]
    return file


def one_line_document(files: list[Path], size_mb: float, folder: Path) -> Path:
    """A document of size_mb MB (10^6 bytes of UTF-8) on one line: the corpus's
    paragraphs, in order and again from the first, joined by spaces."""
    lines = (ln.strip() for f in files for ln in f.read_text(encoding="utf-8").splitlines())
    paragraphs = [ln for ln in lines if len(ln) > 40]
    parts: list[str] = []
    size = 0
    while size < size_mb * 1e6:
        p = paragraphs[len(parts) % len(paragraphs)]
        parts.append(p)
        size += len(p.encode("utf-8")) + 1
    path = folder / f"one-line-{size_mb:g}mb.txt"
    path.write_text(" ".join(parts) + "\n", encoding="utf-8")
    return path


def timed_long_lines(files: list[Path], sizes: tuple[float, ...]) -> dict[str, object]:
    """read_document of one-line documents of each size: seconds, MB/s; the time ratio of
    the largest to the smallest (linear: about their size ratio)."""
    rows = []
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="long-line-", dir=WORK) as tmp:
        for size_mb in sizes:
            path = one_line_document(files, size_mb, Path(tmp))
            size = path.stat().st_size
            t, cpu = time.perf_counter(), time.process_time()
            doc = read_document(path, max_bytes=size + 1)
            s, cpu = time.perf_counter() - t, time.process_time() - cpu
            rows.append({"mb": round(size / 1e6, 3), "seconds": round(s, 3), "mb_per_s": round(size / 1e6 / s, 3),
                         "cpu_seconds": round(cpu, 3), "sentences": len(doc.sentences)})  # fmt: skip
            path.unlink()
    first, last = rows[0], rows[-1]
    ratio = float(last["seconds"]) / max(float(first["seconds"]), 1e-9)
    cpu_ratio = float(last["cpu_seconds"]) / max(float(first["cpu_seconds"]), 1e-9)
    return {"rows": rows, "time_ratio": round(ratio, 2), "cpu_ratio": round(cpu_ratio, 2),
            "size_ratio": round(float(last["mb"]) / float(first["mb"]), 2)}  # fmt: skip


def print_long_lines(long: dict) -> None:
    for r in long["rows"]:
        print(f"one-line document {r['mb']:6.2f} MB: read in {r['seconds']:.2f} s ({r['mb_per_s']:.2f} MB/s; "
              f"{r['cpu_seconds']:.2f} s of CPU), {r['sentences']} sentences")  # fmt: skip
    print(f"one-line documents: {long['size_ratio']:g}x the size took {long['time_ratio']:.1f}x the time "
          f"({long['cpu_ratio']:.1f}x the CPU time)")  # fmt: skip


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000, help="documents per measured set (two sets)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the four runs; medians are reported")
    ap.add_argument("--corpus", type=int, default=10000, help="synthetic corpus the sets are taken from")
    ap.add_argument("--profile", action="store_true", help="also profile the extractor (cProfile) on both sets")
    ap.add_argument("--out", type=Path, help="JSON results (default bench/results/extract.json)")
    ap.add_argument("--long-line", type=float, default=20.0, help="MB of the larger one-line document (0: none)")
    ap.add_argument("--long-line-only", action="store_true", help="only the one-line documents: printed, no JSON written")
    args = ap.parse_args(argv)
    if args.long_line_only:
        long = timed_long_lines(sorted(ensure_corpus(1000).glob("*.txt")), (2.0, args.long_line))
        print_long_lines(long)
        return {"long_line": long}
    if 2 * args.docs + 50 > args.corpus:
        ap.error("--corpus must hold two sets and 50 warm-up documents")

    corpus = ensure_corpus(args.corpus)
    files = sorted(corpus.glob("*.txt"))
    t = time.perf_counter()
    set_a, _ = read_documents(files[: args.docs])
    set_b, _ = read_documents(files[args.docs : 2 * args.docs])
    ingest_s = time.perf_counter() - t
    warm, _ = read_documents([ROOT / "data" / "corpus" / "seeds", *files[-50:]])

    t = time.perf_counter()
    _extractor(True, "LV")
    load_s = time.perf_counter() - t
    extract_documents(warm, BuildOptions(jobs=1))  # warm-up: code paths, word caches

    rounds = []
    for _ in range(args.rounds):
        rounds.append(
            {
                "j1_A": timed_extract(set_a, 1),
                "files_j1_B": timed_extract(set_b, 1, files=True),
                "files_j2_A": timed_extract(set_a, 2, files=True),
                "files_j2_B": timed_extract(set_b, 2, files=True),
                "files_j1_A": timed_extract(set_a, 1, files=True),
                "j1_B": timed_extract(set_b, 1),
                "regex_A": timed_baseline(set_a),
                "regex_B": timed_baseline(set_b),
            }
        )

    def rate(runs: dict, keys: list[str]) -> tuple[float, float]:
        size = sum(runs[k]["mb"] for k in keys)
        secs = sum(runs[k]["seconds"] for k in keys)
        docs = sum(runs[k]["documents"] for k in keys)
        return size / secs, docs / secs

    def med(keys: list[str]) -> tuple[float, float]:
        """The median over the rounds of (MB/s, docs/s) on both sets."""
        rates = sorted((rate(r, keys) for r in rounds), key=lambda x: x[0])
        return rates[len(rates) // 2]

    j1, j1_docs = med(["j1_A", "j1_B"])
    f1, _f1_docs = med(["files_j1_A", "files_j1_B"])
    j2, j2_docs = med(["files_j2_A", "files_j2_B"])
    rx, rx_docs = med(["regex_A", "regex_B"])
    speedups = [rate(r, ["files_j2_A", "files_j2_B"])[0] / rate(r, ["files_j1_A", "files_j1_B"])[0] for r in rounds]
    summary = {
        "mb_per_s_1core": round(j1, 4),
        "docs_per_s_1core": round(j1_docs, 1),
        "mb_per_s_2proc": round(j2, 4),
        "docs_per_s_2proc": round(j2_docs, 1),
        "mb_per_s_files_1core": round(f1, 4),
        "speedup_2proc": round(statistics.median(speedups), 3),
        "speedup_2proc_per_round": [round(x, 3) for x in speedups],
        "regex_mb_per_s": round(rx, 3),
        "regex_docs_per_s": round(rx_docs, 1),
        "extractor_vs_regex_slowdown": round(rx / j1, 1),
        "ingest_mb_per_s": round((mb(set_a) + mb(set_b)) / ingest_s, 3),
        "extractor_load_s": round(load_s, 3),
    }
    print(f"corpus {corpus} - two sets of {args.docs} documents ({mb(set_a):.2f} MB and {mb(set_b):.2f} MB), "
          f"{args.rounds} rounds")  # fmt: skip
    print(f"{'round':<6} {'run':<8} {'docs':>6} {'MB':>7} {'seconds':>8} {'MB/s':>8} {'docs/s':>8}")
    for k, runs in enumerate(rounds, 1):
        for name, r in runs.items():
            print(f"{k:<6} {name:<8} {r['documents']:>6} {r['mb']:>7.2f} {r['seconds']:>8.3f} {r['mb_per_s']:>8.3f} "
                  f"{r['docs_per_s']:>8.1f}")  # fmt: skip
    print("medians over the rounds:")
    print(f"extractor, 1 core:      {j1:.3f} MB/s  {j1_docs:.1f} docs/s")
    print(f"read + extract files, 1 core: {f1:.3f} MB/s; 2 processes: {j2:.3f} MB/s  {j2_docs:.1f} docs/s  "
          f"({summary['speedup_2proc']:.2f}x, median of the rounds)")  # fmt: skip
    print(f"regex baseline, 1 core: {rx:.2f} MB/s  {rx_docs:.0f} docs/s  (the extractor is {rx / j1:.0f}x slower)")
    print(f"ingest (read + sentences): {summary['ingest_mb_per_s']:.2f} MB/s; "
          f"extractor load (gazetteer, lexicon): {load_s:.2f} s")  # fmt: skip
    data: dict = {"corpus": str(corpus), "docs_per_set": args.docs, "rounds": rounds, "summary": summary}
    if args.long_line:
        data["long_line"] = timed_long_lines(files[:1000], (2.0, args.long_line))
        print_long_lines(data["long_line"])
    if args.profile:
        prof_out = RESULTS / "extract_profile.txt"
        both = set_a[:500] + set_b[:500]
        data["profile"] = profile(both, prof_out)
        data["profile_documents"] = len(both)
        print(f"profile ({len(both)} documents, 1 core, sets A and B) - top by own time:")
        for row in data["profile"]["tottime"][:12]:
            print(
                f"  {row['tottime_s']:>7.2f} s own {row['cumtime_s']:>7.2f} s cum  {row['calls']:>9}  {row['function']}"
            )
        print(f"full profile: {prof_out.relative_to(ROOT)}")
    write_json("extract", data, args.out)
    return data


if __name__ == "__main__":
    main()
    sys.exit(0)

"""Benchmark: extraction and the whole build on real pages (issues 15 and 17).

The synthetic corpus of bench/generate.py is easy text; real pages are denser in names,
lists and dates. This script measures on the development corpus (../shared/corpus/dev:
39 real Latvian pages of many sites and years, about 150 kB) repeated to --mb MB (10),
each copy made unique: copy k of a page gets its own URL line (`...?copy=k`), its own
document id and a last line "Dokumenta kopija Nr. k.", so that no copy is the same file,
the same text or the same extraction-cache key as another. The sentences of the page
themselves repeat, as the words of real pages of one field do; nothing in the extractor
keeps results per sentence (only per word), so this repetition gives it no shortcut
beyond its word caches, which a real corpus warms as well.

* **extraction, 1 core**: `extract_documents(docs, BuildOptions(jobs=1))` on the copies
  already read, after a warm-up on one copy of each page (word caches, the lemmatiser's
  dictionary): the per-core figure of issue 15 (target >= 2 MB/s). --rounds times (3), the
  median reported.
* **build** (--build): `ctn-graph build DIR -o WORK/real/build-*/graph.trig --no-cache`
  with the default jobs (all cores), and with `-j 1`, on the copies written as files: wall
  time, MB/s, its own stage times, the load average before it; the 2-core speed-up (the
  -j 1 wall time over the default's). The command runs as `python -m ctn_graph.cli` with
  the ctn_graph this script imported first on PYTHONPATH, so it measures the same code
  (a worktree's `src`, or an installed wheel). Then pyoxigraph alone on the quads of that
  build: the bulk load of the TriG file into an on-disk store, and the serialisation of
  the same quads (held in memory) as TriG, the build's format, and of their union as
  Turtle; the ratio of the steps after extraction and resolution (the build's stages
  "map to RDF, write graph file" and "finish store") to the bulk load plus the TriG
  serialisation (issue 17: target within 1.5x).

Without ../shared the script says so and exits 0 (there is nothing to measure).

    .venv/bin/python bench/bench_real.py              # extraction on 10 MB
    .venv/bin/python bench/bench_real.py --mb 2       # quicker
    .venv/bin/python bench/bench_real.py --build      # and the whole build

The extractor may be installed as Python source (an editable install, or PYTHONPATH=src)
or compiled (a wheel built with the mypyc hook, see README): the first line says which.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from generate import ROOT, WORK, write_json

from ctn_graph.ir import Document
from ctn_graph.pipeline.options import BuildOptions
from ctn_graph.pipeline.extraction import _extractor, extract_documents
from ctn_graph.pipeline.ingest import parse_document

DEV = ROOT.parent / "shared" / "corpus" / "dev"
AFTER_EXTRACTION = ("map to RDF, write graph file", "finish store")  # the build's stages after resolution


def pages() -> list[tuple[str, str]]:
    """(stem, text) of the development corpus's pages, in order."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(DEV.glob("*.txt"))]


def unique_copies(texts: list[tuple[str, str]], mb: float) -> list[tuple[str, str]]:
    """(name, text) of copies of the pages, in rounds, until mb MB (10^6 bytes of UTF-8)."""
    out: list[tuple[str, str]] = []
    size = 0
    k = 0
    while size < mb * 1e6:
        for stem, text in texts:
            url, _, rest = text.partition("\n")
            copy = f"{url}?copy={k}\n{rest.rstrip()}\n\nDokumenta kopija Nr. {k}.\n"
            out.append((f"{stem}-{k:04d}", copy))
            size += len(copy.encode("utf-8"))
        k += 1
    return out


def as_documents(copies: list[tuple[str, str]]) -> list[Document]:
    return [parse_document(text, name, f"{name}.txt", is_html=False) for name, text in copies]


def extractor_build() -> str:
    """Whether the extractor runs compiled (a wheel built with the mypyc hook: pyproject.toml)
    or as Python source: the two give the same output at different speeds."""
    import ctn_graph.pipeline.extract.spans as spans

    return "compiled (mypyc)" if not spans.__file__.endswith(".py") else "interpreted"


def timed_extraction(docs: list[Document], warm: list[Document], rounds: int) -> dict[str, object]:
    options = BuildOptions(jobs=1)
    _extractor(options.actors, options.default_country)
    extract_documents(warm, options)
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    runs = []
    for _ in range(rounds):
        t, cpu = time.perf_counter(), time.process_time()
        extract_documents(docs, options)
        runs.append((time.perf_counter() - t, time.process_time() - cpu))
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    return {
        "build": extractor_build(),
        "mb": size / 1e6,
        "documents": len(docs),
        "wall_s": [round(w, 3) for w, _ in runs],
        "cpu_s": [round(c, 3) for _, c in runs],
        "mb_per_s": size / 1e6 / wall,
        "mb_per_cpu_s": size / 1e6 / cpu,
    }


_STAGES = re.compile(r"^time:\s+(.*)$", re.M)
_STAGE = re.compile(r"\s*(.+?) ([0-9.]+) s(?:,|$)")  # a stage's name may hold a comma


def cli_command() -> tuple[list[str], dict[str, str]]:
    """`python -m ctn_graph.cli`, and an environment whose PYTHONPATH puts first the
    ctn_graph this script imported: the build measured is this code, not another install."""
    import ctn_graph

    here = str(Path(ctn_graph.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([here, *filter(None, [env.get("PYTHONPATH")])])
    return [sys.executable, "-m", "ctn_graph.cli"], env


def stages(line: str | None) -> dict[str, float]:
    """`read and extract 7.53 s, resolve 0.12 s, ...` as {stage: seconds}."""
    return {m.group(1).strip(): float(m.group(2)) for m in _STAGE.finditer(line or "")}


def timed_build(folder: Path, out: Path, jobs: str | None) -> dict[str, object]:
    if out.parent.exists():
        shutil.rmtree(out.parent)
    out.parent.mkdir(parents=True)
    cli, env = cli_command()
    cmd = [*cli, "build", str(folder), "-o", str(out), "--no-cache"]
    if jobs is not None:
        cmd += ["-j", jobs]
    load = os.getloadavg()[0]
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    wall = time.perf_counter() - t
    found = _STAGES.search(done.stdout + done.stderr)
    line = found.group(1) if found else None
    return {
        "command": "ctn-graph " + " ".join(cmd[len(cli) :]),
        "load_before": load,
        "wall_s": wall,
        "stages": line,
        "stage_s": stages(line),
    }


def pyoxigraph_alone(trig: Path, work: Path) -> dict[str, float]:
    """pyoxigraph's own bulk load of a TriG file into an on-disk store, and its
    serialisation of the same quads (parsed into memory first, not timed) as TriG and of
    their union as Turtle: what the library needs for the quads of a build."""
    import pyoxigraph as ox

    store_dir = work / "ox-store"
    if store_dir.exists():
        shutil.rmtree(store_dir)
    t = time.perf_counter()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    store.flush()
    load = time.perf_counter() - t
    quads = len(store)
    del store
    shutil.rmtree(store_dir)
    held = list(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
    t = time.perf_counter()
    with open(work / "ox.trig", "wb") as f:
        ox.serialize(held, f, format=ox.RdfFormat.TRIG)
    trig_s = time.perf_counter() - t
    triples = list({q.triple for q in held})
    t = time.perf_counter()
    with open(work / "ox.ttl", "wb") as f:
        ox.serialize(triples, f, format=ox.RdfFormat.TURTLE)
    turtle_s = time.perf_counter() - t
    return {"quads": quads, "bulk_load_s": load, "trig_s": trig_s, "turtle_s": turtle_s}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=10.0, help="MB of unique copies (default 10)")
    ap.add_argument("--rounds", type=int, default=3, help="extraction rounds; the median is reported (3)")
    ap.add_argument("--build", action="store_true", help="also time ctn-graph build (default jobs and -j 1)")
    args = ap.parse_args(argv)
    if not DEV.is_dir():
        print(f"bench_real: no development corpus at {DEV} (../shared is absent): nothing to measure")
        return {}
    texts = pages()
    copies = unique_copies(texts, args.mb)
    docs = as_documents(copies)
    warm = as_documents([(f"warm-{stem}", text) for stem, text in texts])
    ex = timed_extraction(docs, warm, args.rounds)
    print(
        f"extraction ({ex['build']}), 1 core, {ex['mb']:.2f} MB of real pages ({ex['documents']} documents): "
        f"{ex['mb_per_s']:.2f} MB/s (wall), {ex['mb_per_cpu_s']:.2f} MB per CPU second; "
        f"rounds {ex['wall_s']} s (target >= 2 MB/s)"
    )
    data: dict[str, object] = {"extraction": ex}
    if args.build:
        work = WORK / "real"
        corpus = work / "corpus"
        if corpus.exists():
            shutil.rmtree(corpus)
        corpus.mkdir(parents=True)
        for name, text in copies:
            (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
        builds = {}
        for label, jobs in (("default", None), ("j1", "1")):
            b = timed_build(corpus, work / f"build-{label}" / "graph.trig", jobs)
            b["mb_per_s"] = ex["mb"] / b["wall_s"]  # type: ignore[operator]
            builds[label] = b
            print(
                f"build ({b['command']}; load {b['load_before']:.2f}): {b['wall_s']:.2f} s, "
                f"{b['mb_per_s']:.2f} MB/s end to end; {b['stages']}"
            )
        speedup = builds["j1"]["wall_s"] / builds["default"]["wall_s"]  # type: ignore[operator]
        print(f"speed-up of the default build over -j 1 ({os.cpu_count()} cores): {speedup:.2f}x (target >= 1.7x)")
        ox_alone = pyoxigraph_alone(work / "build-default" / "graph.trig", work)
        library = ox_alone["bulk_load_s"] + ox_alone["trig_s"]
        print(
            f"pyoxigraph alone on the same {ox_alone['quads']} quads: bulk load {ox_alone['bulk_load_s']:.2f} s, "
            f"TriG {ox_alone['trig_s']:.2f} s (Turtle of the union {ox_alone['turtle_s']:.2f} s)"
        )
        for label, b in builds.items():
            st = b["stage_s"]
            after = sum(st.get(k, 0.0) for k in AFTER_EXTRACTION)  # type: ignore[union-attr]
            b["after_extraction_s"] = after
            b["after_extraction_ratio"] = after / library
            print(
                f"after extraction ({label}): {after:.2f} s = {after / library:.2f}x pyoxigraph's bulk load + TriG "
                f"{library:.2f} s (target within 1.5x)"
            )
        data["build"] = builds
        data["speedup"] = speedup
        data["pyoxigraph"] = ox_alone
    write_json("real", data)
    return data


if __name__ == "__main__":
    main()

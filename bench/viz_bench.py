"""Benchmark: how long the network page takes to draw a large graph in headless Chromium.

Generates synthetic cooperation networks in the shape of ours (projects with lead
partners, partners, funders and participant countries; organisations of every class
with their country; persons with affiliations; units part of ministries), writes the
page with ctn_graph.networks.viz, opens it offline in headless Chromium (selenium) and reads the
moment vis-network first draws it (the page's `afterDrawing` flag, `performance.now()`
from the start of navigation). Also timed: building the page in Python (layout,
Louvain, JSON), a class filter and a focus in the page. Prints a table, writes JSON.

    .venv/bin/python bench/viz_bench.py                       # 5,000 and 20,000 nodes, 3 runs each
    .venv/bin/python bench/viz_bench.py --sizes 1000 --repeat 1
    .venv/bin/python bench/viz_bench.py --seed-screenshot docs/img/seed-network.png

Needs Debian's chromium and chromium-driver, and selenium (pip install selenium).
A benchmark, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from ctn_graph.networks.viz import PHYSICS_MAX_NODES, render_html

ROOT = Path(__file__).resolve().parent.parent

CLASS_SHARES = [
    ("Project", 0.12),
    ("Ministry", 0.04),
    ("PublicBody", 0.20),
    ("NGO", 0.16),
    ("InternationalOrganisation", 0.07),
    ("Company", 0.05),
    ("Person", 0.24),
    ("Event", 0.04),
    ("Country", 0.04),
]
ORG_CLASSES = ("Ministry", "PublicBody", "NGO", "InternationalOrganisation", "Company")
LABELS = {"leadPartner": "lead partner", "partner": "partner", "fundedBy": "funded by", "supportedBy": "supported by",
          "participantCountry": "participant country", "country": "country", "partOf": "part of",
          "memberOf": "member of", "affiliation": "affiliation", "aboutProject": "about project"}  # fmt: skip


def synthetic_network(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A random network of about `n` nodes with our classes, relations and attributes."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph(view="full", title=f"Synthetic network, {n:,} nodes")
    by_class: dict[str, list[str]] = {}
    counts = {cls: max(2, int(n * share)) for cls, share in CLASS_SHARES}
    counts["Country"] = min(200, counts["Country"])  # there are not more countries than that
    counts["PublicBody"] += n - sum(counts.values())  # exactly n nodes
    for cls, count in counts.items():
        for i in range(count):
            node = f"https://example.org/{cls.lower()}/{i}"
            year = rng.randint(2010, 2023)
            g.add_node(node, iri=node, label=f"{cls} {i} biedrība “Drošā māja” un partneri", label_en=f"{cls} {i}",
                       country="" if cls in ("Project", "Person", "Event", "InternationalOrganisation")
                       else f"C{rng.randint(0, 40):02d}", alt=[f"X{i}"], docs=[f"doc{i % 500}"],
                       first_year=year, last_year=min(2023, year + rng.randint(0, 5)),
                       funder=False, **{"class": cls})  # fmt: skip
            by_class.setdefault(cls, []).append(node)
    orgs = [o for c in ORG_CLASSES for o in by_class[c]]
    popular = list(orgs)  # preferential attachment: an organisation picked once is likelier picked again
    funders = by_class["InternationalOrganisation"] + by_class["Ministry"]

    def link(s: str, o: str, rel: str) -> None:
        year = rng.randint(2010, 2023)
        sentence = f"Teikums par {g.nodes[s]['label']} un {g.nodes[o]['label']} ({LABELS[rel]}) <b>{year}</b>."
        g.add_edge(s, o, key=rel, relation=rel, label=LABELS[rel], weight=1, years=[year],
                   evidence=[{"doc": f"doc{rng.randint(0, 499)}", "sentence": sentence}])  # fmt: skip

    for p in by_class["Project"]:
        partners = sorted({rng.choice(popular) for _ in range(rng.randint(2, 6))})  # sorted: no hash order
        lead = partners.pop()
        link(p, lead, "leadPartner")
        for o in partners:
            link(p, o, "partner")
        popular.extend([lead, *partners])
        for c in rng.sample(by_class["Country"], rng.randint(1, 4)):
            link(p, c, "participantCountry")
        if rng.random() < 0.35:
            f = rng.choice(funders)
            link(p, f, "fundedBy")
            g.nodes[f]["funder"] = True
        if rng.random() < 0.15:
            link(p, rng.choice(orgs), "supportedBy")
    for o in orgs:
        if g.nodes[o]["class"] != "InternationalOrganisation" and rng.random() < 0.9:
            link(o, rng.choice(by_class["Country"]), "country")
    for o in by_class["PublicBody"]:
        if rng.random() < 0.15:
            link(o, rng.choice(by_class["Ministry"]), "partOf")
    for c in by_class["Country"]:
        if rng.random() < 0.3:
            link(c, rng.choice(by_class["InternationalOrganisation"]), "memberOf")
    for person in by_class["Person"]:
        link(person, rng.choice(popular), "affiliation")
    for event in by_class["Event"]:
        link(event, rng.choice(by_class["Project"]), "aboutProject")
    for v in [v for v in g if g.degree(v) == 0]:  # no actor alone: an organisation or country no project chose
        link(rng.choice(by_class["Project"]), v, "participantCountry" if v in by_class["Country"] else "partner")
    for v in g:
        g.nodes[v]["degree"] = len(set(nx.all_neighbors(g, v)))
    return g


def start_browser(profile: Path, width: int = 1400, height: int = 900) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                 f"--window-size={width},{height}", f"--user-data-dir={profile}",
                 "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(600)
    driver.set_page_load_timeout(600)
    return driver


def wait_drawn(driver: Any, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while not driver.execute_script("return !!(window.ctn && window.ctn.drawn && window.ctn.stable)"):
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not draw in time")
        time.sleep(0.02)


def timed_until_drawn(driver: Any, action: str) -> float:
    """Milliseconds from an action in the page until vis-network has drawn its result."""
    return float(
        driver.execute_async_script(
            """var done = arguments[arguments.length - 1], t0 = performance.now();
            ctnNetwork.once("afterDrawing", function () { done(performance.now() - t0); });
            """
            + action
            + "; ctnNetwork.redraw();"
        )
    )


def measure_page(driver: Any, path: Path) -> dict[str, float]:
    driver.get("about:blank")
    t0 = time.perf_counter()
    driver.get(path.as_uri())
    wait_drawn(driver)
    wall = time.perf_counter() - t0
    drawn_ms = driver.execute_script("return window.ctn.drawnAt")
    filter_ms = timed_until_drawn(driver, "document.getElementById('cls-Person').click()")
    unfilter_ms = timed_until_drawn(driver, "document.getElementById('cls-Person').click()")
    focus_ms = timed_until_drawn(driver, "ctn.focusNode(0, false)")
    unfocus_ms = timed_until_drawn(driver, "ctn.unfocus()")
    shown = driver.execute_script("return ctnNetwork.body.nodeIndices.length")
    return {
        "draw_ms": drawn_ms,
        "load_wall_s": wall,
        "filter_ms": filter_ms,
        "unfilter_ms": unfilter_ms,
        "focus_ms": focus_ms,
        "unfocus_ms": unfocus_ms,
        "shown": shown,
    }


def chromium_version() -> str:
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip()
    except OSError:
        return "unknown"


def bench(sizes: list[int], repeat: int, keep: Path | None) -> dict[str, Any]:
    results = []
    work = Path(tempfile.mkdtemp(prefix="viz-bench-"))
    driver = start_browser(work / "profile")
    try:
        for n in sizes:
            t = time.perf_counter()
            g = synthetic_network(n)
            gen_s = time.perf_counter() - t
            t = time.perf_counter()
            page = render_html(g)
            render_s = time.perf_counter() - t
            path = (keep or work) / f"synthetic-{n}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page, encoding="utf-8")
            runs = [measure_page(driver, path) for _ in range(repeat)]
            row = {
                "nodes": g.number_of_nodes(),
                "edges": g.number_of_edges(),
                "physics": g.number_of_nodes() <= PHYSICS_MAX_NODES,
                "generate_s": round(gen_s, 2),
                "page_python_s": round(render_s, 2),
                "html_mb": round(len(page.encode("utf-8")) / 1e6, 2),
                "draw_ms_median": round(statistics.median(r["draw_ms"] for r in runs)),
                "draw_ms_runs": [round(r["draw_ms"]) for r in runs],
                "load_wall_s_median": round(statistics.median(r["load_wall_s"] for r in runs), 2),
                "filter_ms_median": round(statistics.median(r["filter_ms"] for r in runs)),
                "unfilter_ms_median": round(statistics.median(r["unfilter_ms"] for r in runs)),
                "focus_ms_median": round(statistics.median(r["focus_ms"] for r in runs)),
                "unfocus_ms_median": round(statistics.median(r["unfocus_ms"] for r in runs)),
                "nodes_drawn": runs[-1]["shown"],
            }
            results.append(row)
            print(
                f"{row['nodes']:>6} nodes {row['edges']:>6} edges  page {row['page_python_s']:>5.1f} s "
                f"({row['html_mb']:.1f} MB)  drawn after {row['draw_ms_median']:>5} ms "
                f"(load {row['load_wall_s_median']:.1f} s)  filter {row['filter_ms_median']}/"
                f"{row['unfilter_ms_median']} ms  focus {row['focus_ms_median']}/{row['unfocus_ms_median']} ms",
                flush=True,
            )
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    return {
        "benchmark": "viz: time until vis-network first draws the page (afterDrawing), headless Chromium",
        "command": " ".join(["python bench/viz_bench.py", *sys.argv[1:]]),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "chromium": chromium_version(),
        },
        "repeat": repeat,
        "results": results,
    }


def seed_screenshot(out: Path) -> None:
    """A screenshot of the seed corpus's full network, for the README."""
    from ctn_graph.networks.model import View, build_network
    from ctn_graph.pipeline.memory import build_resolved, read_documents, to_store

    docs, _ = read_documents([ROOT / "data" / "corpus" / "seeds"])
    g = build_network(to_store(build_resolved(docs)), View.FULL)
    work = Path(tempfile.mkdtemp(prefix="viz-shot-"))
    driver = start_browser(work / "profile", 1500, 1000)
    try:
        path = work / "seed.html"
        path.write_text(render_html(g), encoding="utf-8")
        driver.get(path.as_uri())
        wait_drawn(driver)
        time.sleep(0.5)
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000], help="node counts")
    ap.add_argument("--repeat", type=int, default=3, help="page loads per size (the median is reported)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "viz.json", help="JSON results")
    ap.add_argument("--keep", type=Path, help="keep the generated pages in this folder")
    ap.add_argument("--seed-screenshot", type=Path, help="only take a screenshot of the seed network to this PNG")
    args = ap.parse_args()
    if args.seed_screenshot:
        seed_screenshot(args.seed_screenshot)
        return
    report = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), **bench(args.sizes, args.repeat, args.keep)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

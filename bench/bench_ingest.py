"""Benchmark: reading documents as people have them, in MB/s: web pages saved with their
site chrome (trafilatura's main text), PDF reports (pdfminer.six) and DOCX reports
(python-docx), next to the same texts as plain text files.

The texts are the synthetic documents of generate.py (seed 42, the first --docs of them).
Each is made, before the clock starts, into:

* a saved web page: the text's paragraphs in an <article>, inside the chrome a portal
  page has: a cookie banner, a header with a menu of 30 links, a list of 12 related
  articles, a footer with contacts (about 5 KB of markup around the text);
* a PDF of pages of 50 lines of 90 characters (Helvetica, the Latvian letters by glyph
  name: tests/pdfmake.py, written by hand, no network), a word broken at a line end
  now and then, uncompressed content streams;
* a DOCX of the paragraphs (python-docx), with a heading.

Timed: `ingest.document_from_bytes` of each file's bytes (in memory: the reading, not the
disk), as `build` calls it for each file, --repeat times (median). MB/s are of the files'
bytes, and of the text read from them (UTF-8), on one core.

    .venv/bin/python bench/bench_ingest.py
    .venv/bin/python bench/bench_ingest.py --docs 50 --repeat 1
"""

from __future__ import annotations

import argparse
import html
import io
import statistics
import sys
import textwrap
import time
from pathlib import Path

from generate import ROOT, DocumentWriter, Vocabulary, write_json

from ctn_graph.pipeline.ingest import document_from_bytes

sys.path.insert(0, str(ROOT))
from tests.pdfmake import _GLYPHS, pdf_bytes  # noqa: E402 - the tests' hand-written PDF maker

MENU = [
    "Sākums", "Par mums", "Aktualitātes", "Tieslietu ministrija", "Valsts robežsardze", "Kontakti",
    "Aizsardzības ministrija", "Kultūras ministrija", "Iepirkumi", "Vakances", "Projekti", "Publikācijas",
]  # fmt: skip


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def page(text: str, i: int) -> bytes:
    """A saved portal page: the text in an <article>, with a portal's chrome around it."""
    e = html.escape
    menu = "".join(f'<li><a href="/m/{k}">{e(MENU[k % len(MENU)])} {k // len(MENU) or ""}</a></li>' for k in range(30))
    related = "".join(
        f'<li><a href="/raksti/{i}-{k}">{e(MENU[(i + k) % len(MENU)])} paraksta sadarbības līgumu ({k})</a></li>'
        for k in range(12)
    )
    ps = paragraphs(text)
    body = "".join(f"<p>{e(p)}</p>\n" for p in ps[1:])
    return f"""<!DOCTYPE html>
<html lang="lv"><head><meta charset="utf-8"><title>{e(ps[0])} | Portāls</title>
<link rel="canonical" href="https://example.lv/jaunumi/{i}">
<meta property="article:published_time" content="2019-03-14T10:00:00+02:00">
<link rel="stylesheet" href="/s.css"><script>window.dataLayer = [];</script></head><body>
<div id="cookie-banner" class="cookie-consent"><p>Šī vietne izmanto sīkdatnes, lai uzlabotu lietošanas
pieredzi un apkopotu statistiku.</p><button>Piekrītu</button><button>Atteikties</button></div>
<header><a class="logo" href="/">Portāls</a><nav class="menu"><ul>{menu}</ul></nav>
<form class="search"><input name="q" placeholder="Meklēt"></form></header>
<main><article><h1>{e(ps[0])}</h1>
{body}</article>
<aside class="related"><h2>Saistītie raksti</h2><ul>{related}</ul></aside></main>
<footer><p>© 2019 Portāls. Visas tiesības aizsargātas.</p><p>Adrese: Brīvības iela 1, Rīga, LV-1010;
tālrunis 67000000</p><ul><li><a href="/privatums">Privātuma politika</a></li>
<li><a href="/k">Kontakti</a></li></ul></footer>
</body></html>
""".encode()


def _printable(line: str) -> str:
    return "".join(ch if " " <= ch <= "~" or ch in _GLYPHS else "?" for ch in line)


def pdf(text: str) -> bytes:
    """Pages of 50 lines of at most 90 characters, a gap between paragraphs, every
    seventh line ending in a word broken with a hyphen."""
    lines: list[str] = []
    for p in paragraphs(text):
        wrapped = textwrap.wrap(_printable(p), 90)
        for k in range(len(wrapped) - 1):
            words = wrapped[k + 1].split(" ", 1)
            if k % 7 == 3 and len(words[0]) > 6 and words[0].isalpha():
                half = len(words[0]) // 2  # "tirdz-" / "niecība"
                wrapped[k] += " " + words[0][:half] + "-"
                wrapped[k + 1] = words[0][half:] + (" " + words[1] if len(words) > 1 else "")
        lines += [*wrapped, ""]
    return pdf_bytes([lines[k : k + 50] for k in range(0, len(lines), 50)])


def docx(text: str) -> bytes:
    import docx as python_docx

    d = python_docx.Document()
    ps = paragraphs(text)
    d.add_heading(ps[0], level=1)
    for p in ps[1:]:
        d.add_paragraph(p)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


MAKERS = {"txt": lambda text, i: text.encode("utf-8"), "html": page, "pdf": lambda text, i: pdf(text),
          "docx": lambda text, i: docx(text)}  # fmt: skip
LABELS = {"txt": "plain text", "html": "HTML page with chrome", "pdf": "PDF", "docx": "DOCX"}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=200, help="synthetic documents per format")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--formats", nargs="+", default=list(MAKERS), choices=list(MAKERS))
    ap.add_argument("--out", type=Path, help="JSON results (default bench/results/ingest.json)")
    args = ap.parse_args(argv)

    writer = DocumentWriter(Vocabulary(), 42)
    texts = [writer.document(i) for i in range(args.docs)]
    print(f"{args.docs} synthetic documents, {sum(len(t.encode()) for t in texts) / 1e6:.2f} MB of text")
    print(f"{'format':<24} {'files MB':>9} {'text MB':>8} {'s':>7} {'files MB/s':>11} {'text MB/s':>10} {'docs/s':>8}")
    rows = []
    for name in args.formats:
        files = [MAKERS[name](t, i) for i, t in enumerate(texts)]
        paths = [Path(f"doc_{i:06d}.{name}") for i in range(len(files))]
        times, cpu, text_bytes = [], [], 0
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            docs = [document_from_bytes(raw, p) for raw, p in zip(files, paths, strict=True)]
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            text_bytes = sum(len(d.text.encode("utf-8")) for d in docs)
        s = statistics.median(times)
        size = sum(map(len, files))
        row = {
            "format": name,
            "label": LABELS[name],
            "documents": len(files),
            "files_mb": round(size / 1e6, 3),
            "text_mb": round(text_bytes / 1e6, 3),
            "seconds": round(s, 3),
            "cpu_seconds": round(statistics.median(cpu), 3),
            "files_mb_per_s": round(size / 1e6 / s, 2),
            "text_mb_per_s": round(text_bytes / 1e6 / s, 2),
            "docs_per_s": round(len(files) / s, 1),
            "runs_s": [round(x, 3) for x in times],
        }
        rows.append(row)
        rates = f"{row['files_mb_per_s']:>11.2f} {row['text_mb_per_s']:>10.2f} {row['docs_per_s']:>8.1f}"
        print(f"{LABELS[name]:<24} {row['files_mb']:>9.2f} {row['text_mb']:>8.2f} {s:>7.2f} {rates}", flush=True)
    data = {"docs": args.docs, "repeat": args.repeat, "formats": rows}
    write_json("ingest", data, args.out)
    return data


if __name__ == "__main__":
    main()
    sys.exit(0)

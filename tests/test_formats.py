"""Documents as people have them: a web page saved with its site chrome, a PDF and a DOCX
report. Each holds the same Latvian text (written for these tests) as a plain-text file,
and must give the same entities and relations; the evidence of a PDF's relation names
its page; what cannot be read is told on one line naming the file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from ctn_graph.cli import app
from ctn_graph.ir import Resolved
from ctn_graph.pipeline.build import build
from ctn_graph.pipeline.ingest import IngestError, iter_paths, parse_document, read_document
from ctn_graph.pipeline.memory import build_resolved
from ctn_graph.pipeline.options import BuildOptions

from .pdfmake import pdf_bytes

TITLE = "Sadarbība cilvēku tirdzniecības novēršanā"
DATE = "2019. gada 14. martā"
P1 = (
    "Iekšlietu ministrija kopā ar biedrību „Centrs MARTA” uzsāk projektu „Drošs ceļš”. Projekta vadošais "
    "partneris ir Iekšlietu ministrija, bet partneri ir Valsts policija un Labklājības ministrija."
)
P2 = (
    "Projektu finansē Eiropas Komisija. Projekts palīdzēs cilvēku tirdzniecībā cietušajām personām Latvijā "
    "un Lietuvā, un tajā piedalās arī Starptautiskā Migrācijas organizācija."
)
P3 = "Darbā iesaistīsies ģimenes, čakli brīvprātīgie un žurnālisti, kas ņems vērā ķēdes posmus un jūras ceļus."
PLAIN = f"{TITLE}\n\n{DATE}\n\n{P1}\n\n{P2}\n\n{P3}\n"

# the page's chrome names bodies the article never mentions
CHROME_BODIES = ["Tieslietu ministrija", "Valsts robežsardze", "Aizsardzības ministrija", "Kultūras ministrija"]
PAGE = f"""<!DOCTYPE html>
<html lang="lv"><head><meta charset="utf-8">
<title>{TITLE} | Portāls</title>
<link rel="canonical" href="https://example.lv/jaunumi/sadarbiba-2019">
<meta property="og:url" content="https://example.lv/og/sadarbiba">
<meta property="article:published_time" content="2019-03-14T10:00:00+02:00">
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>Šī vietne izmanto sīkdatnes. Tieslietu ministrija un Valsts
robežsardze lūdz jūs piekrist sīkdatņu izmantošanai.</p><button>Piekrītu</button></div>
<header><nav class="menu"><ul><li><a href="/">Sākums</a></li><li><a href="/tm">Tieslietu ministrija</a></li>
<li><a href="/vrs">Valsts robežsardze</a></li><li><a href="/am">Aizsardzības ministrija</a></li></ul></nav></header>
<main><article>
<h1>{TITLE}</h1>
<p class="date">{DATE}</p>
<p>{P1}</p>
<p>{P2}</p>
<p>{P3}</p>
</article>
<aside class="related"><h2>Saistītie raksti</h2><ul>
<li><a href="/a1">Tieslietu ministrija un biedrība „Resursu centrs” paraksta sadarbības līgumu</a></li>
<li><a href="/a2">Valsts robežsardze sāk projektu kopā ar Aizsardzības ministriju</a></li></ul></aside>
</main>
<footer><p>© 2019 Kultūras ministrija. Visas tiesības aizsargātas.</p><ul><li><a href="/k">Kontakti</a></li></ul>
</footer>
</body></html>
"""


def _lines(paragraph: str, width: int = 60) -> list[str]:
    """A paragraph wrapped as a PDF sets it; "tirdzniecībā" broken with a hyphen."""
    words = paragraph.replace("tirdzniecībā", "tirdz-\x00niecībā").split(" ")
    lines, line = [], ""
    for w in words:
        if "\x00" in w:  # the break: the first half ends this line
            head, tail = w.split("\x00")
            lines.append(f"{line} {head}".strip())
            line = tail
            continue
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return [*lines, line]


def pdf_report() -> bytes:
    """Page 1: title, date, first paragraph; page 2: the funding paragraph and the last."""
    page1 = [TITLE, "", DATE, "", *_lines(P1)]
    page2 = [*_lines(P2), "", *_lines(P3)]
    return pdf_bytes([page1, page2])


def docx_report() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=1)
    d.add_paragraph(DATE)
    for p in (P1, P2, P3):
        d.add_paragraph(p)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lapa.html").write_text(PAGE, encoding="utf-8")
    (folder / "zinojums.pdf").write_bytes(pdf_report())
    (folder / "atskaite.docx").write_bytes(docx_report())
    return folder


def facts(r: Resolved) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """The entities named (class, label) and the relations (labels), as a reader sees them."""
    label = {e.iri_path: e.pref_label_lv for e in r.entities}
    entities = {(e.cls.value, e.pref_label_lv) for e in r.entities if e.docs}
    relations = {(label[c.subject], c.relation.value, label[c.object]) for c in r.claims}
    return entities, relations


@pytest.fixture(scope="module")
def plain_facts() -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    got = facts(build_resolved([parse_document(PLAIN, "teksts")]))
    assert len(got[0]) >= 6 and len(got[1]) >= 4  # the text names what the comparison is about
    return got


@pytest.mark.parametrize("name", ["lapa.html", "zinojums.pdf", "atskaite.docx"])
def test_each_format_gives_the_entities_and_relations_of_the_plain_text(tmp_path, plain_facts, name):
    doc = read_document(corpus(tmp_path) / name)
    assert facts(build_resolved([doc])) == plain_facts
    labels = {e for _cls, e in facts(build_resolved([doc]))[0]}
    assert not labels & set(CHROME_BODIES)  # nothing from menus, banners, related lists or footers


def test_the_saved_page_keeps_its_title_canonical_url_and_date_without_its_chrome(tmp_path):
    doc = read_document(corpus(tmp_path) / "lapa.html")
    assert doc.title == TITLE
    assert doc.url == "https://example.lv/jaunumi/sadarbiba-2019"  # the canonical link before og:url
    assert doc.dates == ("2019-03-14",)
    for body in CHROME_BODIES + ["Saistītie raksti", "sīkdatnes", "Kontakti"]:
        assert body not in doc.text
    undated = PAGE.replace(f'<p class="date">{DATE}</p>', "")
    assert parse_document(undated, "x", is_html=True).dates == ("2019-03-14",)  # from the metadata


def test_pdf_text_keeps_latvian_letters_paragraphs_and_pages_and_joins_broken_words(tmp_path):
    doc = read_document(corpus(tmp_path) / "zinojums.pdf")
    assert doc.title == TITLE and doc.dates == ("2019-03-14",)
    assert P1 in doc.text and P2 in doc.text and P3 in doc.text  # ā č ē ģ ī ķ ļ ņ š ū ž; "tirdz-" joined
    assert "tirdz-" not in doc.text
    pages = {s.text: s.page for s in doc.sentences}
    assert pages[TITLE] == 1 and pages["Projektu finansē Eiropas Komisija."] == 2
    docx_doc = read_document(tmp_path / "atskaite.docx")
    assert [s.text for s in docx_doc.sentences] == [s.text for s in parse_document(PLAIN, "t").sentences]
    assert {s.page for s in docx_doc.sentences} == {None}  # a DOCX has no fixed pages


def test_the_built_folder_names_the_pdf_page_of_the_evidence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = corpus(tmp_path / "docs")
    (folder / "piezimes.odt").write_bytes(b"PK\x03\x04")
    told: list[str] = []
    for attempt in range(2):  # the second build takes the records from the cache
        summary = build([folder], tmp_path / "g.ttl", BuildOptions(cache_dir=tmp_path / "cache"), on_error=told.append)
        assert summary.documents == 3, attempt
        store = ox.Store()
        store.load(path=str(tmp_path / "g.ttl"), format=ox.RdfFormat.TURTLE)
        rows = list(
            store.query(
                """PREFIX ctn: <https://w3id.org/ctn/ontology#>
                SELECT ?page ?text WHERE {
                    ?ev a ctn:Evidence ; ctn:sentence ?s ; rdf:predicate ctn:fundedBy .
                    ?s ctn:pageNumber ?page ; ctn:text ?text ; ctn:inDocument ?doc .
                    ?doc ctn:fileName "zinojums.pdf" .
                }""",
                prefixes={"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
            )
        )
        assert [(r["page"].value, r["text"].value) for r in rows] == [("2", "Projektu finansē Eiropas Komisija.")]
        pages_elsewhere = store.query(
            """PREFIX ctn: <https://w3id.org/ctn/ontology#>
            ASK { ?s ctn:pageNumber ?p ; ctn:inDocument ?doc . ?doc ctn:fileName ?f FILTER (?f != "zinojums.pdf") }"""
        )
        assert not bool(pages_elsewhere)
    assert any("piezimes.odt: .odt files are not read" in m for m in told)


def scanned_pdf() -> bytes:
    return pdf_bytes([[], []])  # pages with no text on them, as a scanner writes (images only)


def test_a_scanned_pdf_is_reported_as_needing_ocr_not_read_as_an_empty_document(tmp_path):
    p = tmp_path / "skenets.pdf"
    p.write_bytes(scanned_pdf())
    with pytest.raises(IngestError, match=r"skenets\.pdf: no text layer \(2 pages of images\); OCR it first"):
        read_document(p)
    with pytest.raises(IngestError, match="no document could be read"):
        build([tmp_path], tmp_path / "out" / "g.ttl", BuildOptions())
    assert not (tmp_path / "out" / "g.ttl").exists()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_report())))
    writer.encrypt(user_password="slepens", owner_password="slepens", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD = {
    "sifrets.pdf": (encrypted_pdf, "encrypted PDF that needs a password"),
    "bojats.pdf": (lambda: pdf_report()[:300], "not a readable PDF"),
    "nav.pdf": (lambda: b"%PDF-1.4\nnekas\n", "not a readable PDF"),
    "bojats.docx": (lambda: b"PK\x03\x04 nav zip arhivs", "not a readable DOCX"),
    "sifrets.docx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "an encrypted DOCX or an old Word"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_an_encrypted_or_damaged_file_is_one_line_naming_it(tmp_path, name):
    make, reason = BAD[name]
    p = tmp_path / name
    p.write_bytes(make())
    with pytest.raises(IngestError) as e:
        read_document(p)
    message = str(e.value)
    assert message.startswith(f"{p}: {reason}") and "\n" not in message


def test_the_cli_reports_what_it_skips_and_reads_only_what_include_asks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = corpus(tmp_path / "docs")
    (folder / "sifrets.pdf").write_bytes(encrypted_pdf())
    (folder / "LASIMANI").write_text("Teksts.", encoding="utf-8")
    (folder / "teksts.txt").write_text(PLAIN, encoding="utf-8")
    (folder / "piezimes.md").write_text("# Piezīmes\n\nValsts policija sadarbojas ar Tieslietu ministriju.\n", "utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["build", "docs", "-o", "g.ttl", "--no-store", "--no-cache"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Traceback" not in out
    assert "skipped: docs/sifrets.pdf: encrypted PDF that needs a password" in out
    assert "skipped: docs/LASIMANI: a file with no extension is not read" in out
    assert "skipped: docs/piezimes.md: .md files are not read (ctn-graph reads .docx .htm .html .pdf" in out
    assert "documents: 4 (3 skipped)" in out
    graph = ox.Dataset(ox.parse(path=str(tmp_path / "g.ttl"), format=ox.RdfFormat.TURTLE))
    assert not any("Tieslietu" in q.object.value for q in graph if isinstance(q.object, ox.Literal))
    result = runner.invoke(
        app, ["build", "docs", "-o", "p.ttl", "--no-store", "--no-cache", "--include", "*.pdf", "--include", "*.txt"]
    )
    assert result.exit_code == 0, result.output
    assert "documents: 2 (1 skipped)" in result.output  # zinojums.pdf and teksts.txt; sifrets.pdf told
    assert "LASIMANI" not in result.output
    names = {p.name for p in iter_paths([folder], include=("*.docx",))}
    assert names == {"atskaite.docx"}


# ---------------------------------------------------------------- hostile PDF and DOCX files
# A file is refused by its size (--max-mb) before it is read; a PDF or DOCX can hold far
# more than its size, so what it unpacks to and the text read from it are bounded too.

MB = 1024 * 1024
SENTENCE = "Valsts policija un biedrība „Patvērums” sadarbojas cilvēku tirdzniecības novēršanā. "


def docx_with_body(padding: int = 0, paragraphs: int = 1) -> bytes:
    """The report as DOCX, its document.xml padded with `padding` bytes of spaces in XML
    comments (a zip bomb: it compresses to almost nothing), or `paragraphs` copies of a
    paragraph of SENTENCE."""
    import zipfile

    d = __import__("docx").Document()
    for _ in range(paragraphs):
        d.add_paragraph(SENTENCE * 20)
    src = io.BytesIO()
    d.save(src)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml" and padding:
                comments = b"<!--" + b" " * 993 + b"-->"  # 1000 bytes: a comment lxml takes
                data = data.replace(b"<w:body>", comments * (padding // 1000) + b"<w:body>", 1)
            zout.writestr(info.filename, data)
    return out.getvalue()


def pdf_with_stream(content: bytes, filters: int) -> bytes:
    """A one-page PDF whose content stream is `content` compressed `filters` times
    (/Filter [/FlateDecode ...])."""
    import zlib

    data = content
    for _ in range(filters):
        data = zlib.compress(data, 9)
    names = b" ".join([b"/FlateDecode"] * filters)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(data), names) + data + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def compressed_pdf(pages: list[list[str]]) -> bytes:
    """pdf_bytes with its content streams compressed, as PDF writers do (pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages))))
    for page in writer.pages:
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def peak_while(f):
    """What f() returns or raises, and the peak of the memory Python allocated meanwhile."""
    import tracemalloc

    tracemalloc.start()
    try:
        try:
            got: object = f()
        except IngestError as e:
            got = e
        return got, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    p = tmp_path / "bumba.docx"
    p.write_bytes(docx_with_body(padding=12 * MB))
    assert p.stat().st_size < 100_000  # far below the limit: the file's size lets it in
    got, peak = peak_while(lambda: read_document(p, max_bytes=MB))
    assert isinstance(got, IngestError), got
    assert re.fullmatch(
        re.escape(f"{p}: a DOCX that unpacks to ")
        + r"12\.\d MB "
        + re.escape(
            "('word/document.xml' 12 MB), more than 10 times the 1 MB limit for one document "
            "(split it, or raise --max-mb)"
        ),
        str(got),
    ), got
    assert peak < 2 * MB  # the sizes the package declares were read, not its parts
    doc = read_document(p, max_bytes=2 * MB)  # a higher limit reads it (a comment is no text)
    assert SENTENCE.strip() in doc.text


def test_a_docx_or_pdf_whose_text_is_larger_than_the_limit_is_refused(tmp_path):
    docx_path = tmp_path / "gars.docx"
    docx_path.write_bytes(docx_with_body(paragraphs=700))  # 1.2 MB of text in a file of some kilobytes
    assert docx_path.stat().st_size < 100_000
    with pytest.raises(IngestError) as e:
        read_document(docx_path, max_bytes=MB)
    assert str(e.value) == (
        f"{docx_path}: its text is larger than the 1 MB limit for one document (split it, or raise --max-mb)"
    )
    assert len(read_document(docx_path, max_bytes=2 * MB).text) > MB

    pdf_path = tmp_path / "gars.pdf"
    line = "Valsts policija un biedrība Patvērums sadarbojas novēršanā, ziņo ministrija un partneri."
    pdf_path.write_bytes(compressed_pdf([[line] * 50 for _ in range(10)]))  # 45 KB of text
    assert pdf_path.stat().st_size < 30_000
    limit = 30_000
    with pytest.raises(IngestError) as e:
        read_document(pdf_path, max_bytes=limit)
    assert str(e.value) == (
        f"{pdf_path}: its text (to page 7) is larger than the 0.0286 MB limit for one document "
        "(split it, or raise --max-mb)"
    )
    assert read_document(pdf_path, max_bytes=4 * limit).sentences[-1].page == 10


def test_a_pdf_with_more_pages_than_the_limit_allows_is_refused_as_it_is_read(tmp_path):
    p = tmp_path / "lapas.pdf"
    p.write_bytes(pdf_bytes([[f"Lapa {i}."] for i in range(40)]))
    assert p.stat().st_size < 20 * 1024
    with pytest.raises(IngestError) as e:
        read_document(p, max_bytes=20 * 1024)
    assert str(e.value) == (
        f"{p}: more than 20 pages (the 0.0195 MB limit for one document allows a page per 1 KB; "
        "split it, or raise --max-mb)"
    )
    assert read_document(p, max_bytes=40 * 1024).sentences[-1].page == 40


@pytest.mark.parametrize("filters", [1, 2])
def test_a_pdf_compression_bomb_is_refused_before_pdfminer_unpacks_it(tmp_path, filters):
    p = tmp_path / "bumba.pdf"
    content = b"BT /F1 11 Tf 50 800 Td (Valsts policija sadarbojas ar biedribu.) Tj ET" + b" " * (12 * MB)
    p.write_bytes(pdf_with_stream(content, filters))
    assert p.stat().st_size < 100_000
    got, peak = peak_while(lambda: read_document(p, max_bytes=MB))
    assert isinstance(got, IngestError), got
    assert str(got) == (
        f"{p}: its compressed streams unpack to more than 10 MB, 10 times the 1 MB limit for one document "
        "(split it, or raise --max-mb)"
    )
    assert peak < 4 * MB  # unpacked a megabyte at a time, never whole
    small = tmp_path / "maza.pdf"
    small.write_bytes(pdf_with_stream(content[: 2 * MB], filters))
    assert "Valsts policija sadarbojas" in read_document(small, max_bytes=MB).text


def test_build_bounds_pdf_and_docx_by_max_mb_and_goes_on_with_the_rest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bumba.docx").write_bytes(docx_with_body(padding=12 * MB))
    (folder / "bumba.pdf").write_bytes(pdf_with_stream(b"BT ET" + b" " * (12 * MB), 1))
    (folder / "teksts.txt").write_text(PLAIN, encoding="utf-8")
    runner = CliRunner()
    args = ["build", "docs", "-o", "g.ttl", "--no-store", "--max-mb", "1"]
    for attempt in ([], ["-j", "2"], ["--no-cache"]):
        result = runner.invoke(app, [*args, *attempt])
        assert result.exit_code == 0, result.output
        assert "skipped: docs/bumba.docx: a DOCX that unpacks to 12.8 MB" in result.output, attempt
        assert "skipped: docs/bumba.pdf: its compressed streams unpack to more than 10 MB" in result.output
        assert "documents: 1 (2 skipped)" in result.output
    result = runner.invoke(app, [*args, "--strict", "-o", "s.ttl"])
    assert result.exit_code == 1
    assert "error: docs/bumba.docx: a DOCX that unpacks to 12.8 MB" in result.output
    assert not (tmp_path / "s.ttl").exists()

"""Tests for ctn_graph.pipeline.ingest: reading .txt and .html files into Document records."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctn_graph.common.resources import data_path
from ctn_graph.ir import Document
from ctn_graph.pipeline.dates import find_dates, publication_dates, publication_offsets, read_dates
from ctn_graph.pipeline.ingest import (
    IngestError,
    iter_paths,
    parse_document,
    read_document,
    unique_ids,
)

SEEDS = data_path("corpus", "seeds")

NEWS = """\
Notikumu kalendārs - Septembris, 2023

Iekšlietu ministrija piedalās konferencē Briselē

18.10.2018.

Šā gada 15.oktobrī Valsts policija organizēja sanāksmi. Projektu finansē ICMPD.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check_offsets(doc: Document) -> None:
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text


# ---------------------------------------------------------------- text documents


def test_text_document_id_title_date_and_sentences(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "iem_2018-konference.txt", NEWS))
    assert doc.id == "iem_2018-konference"
    assert doc.path == str(tmp_path / "iem_2018-konference.txt")
    # the calendar boilerplate line is not the title
    assert doc.title == "Iekšlietu ministrija piedalās konferencē Briselē"
    assert doc.dates == ("2018-10-18",)
    assert [s.text for s in doc.sentences][-2:] == [
        "Šā gada 15.oktobrī Valsts policija organizēja sanāksmi.",
        "Projektu finansē ICMPD.",
    ]
    check_offsets(doc)


def test_id_comes_from_the_file_name_not_the_folder_or_content(tmp_path: Path) -> None:
    a = read_document(write(tmp_path / "one" / "zinas.txt", NEWS))
    b = read_document(write(tmp_path / "two" / "zinas.txt", "Cits teksts."))
    again = read_document(tmp_path / "one" / "zinas.txt")
    assert a.id == b.id == again.id == "zinas"
    assert a == again  # reading the same file twice gives the same record


def test_id_is_safe_for_an_iri(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "Ziņas par projektu (2018).txt", NEWS))
    assert doc.id
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in doc.id)


def test_title_skips_date_lines_and_publication_lines(tmp_path: Path) -> None:
    text = "\n\n18.10.2018.\nPublicēts: 16.01.2020.\n\nCilvēktirdzniecības novēršana\n\nTeksts."
    doc = read_document(write(tmp_path / "d.txt", text))
    assert doc.title == "Cilvēktirdzniecības novēršana"


def test_publication_dates_from_date_lines() -> None:
    text = (
        "Virsraksts\n"
        "18.10.2018.\n"
        "Publicēts: 16.01.2020.\n"
        "  25.09.2018\n"
        "Sanāksme notika 12.12.2012. Rīgā, un tas ir teikums, nevis datums.\n"
        "18.10.2018.\n"
    )
    assert publication_dates(text) == ("2018-10-18", "2020-01-16", "2018-09-25")


def test_publication_dates_skip_impossible_dates() -> None:
    assert publication_dates("31.02.2018.\n") == ()
    assert publication_dates("29.02.2020.\n") == ("2020-02-29",)


def test_seed_document_publication_dates() -> None:
    assert read_document(SEEDS / "002_f73d5b12cc8e0f2c.txt").dates == ("2010-10-15",)
    doc = read_document(SEEDS / "004_121ec49d9cea9291.txt")
    assert doc.dates[0] == "2020-01-16"
    assert doc.title == "Cilvēktirdzniecības novēršana"


def test_find_dates_reads_word_and_numeric_dates_with_offsets() -> None:
    text = "Sanāksme notika 2018.gada 23.martā, nākamā 2019. gada 5. septembrī un 01.10.2020."
    got = find_dates(text)
    assert [iso for _, _, iso in got] == ["2018-03-23", "2019-09-05", "2020-10-01"]
    assert text[got[0][0] : got[0][1]] == "2018.gada 23.martā"
    assert text[got[1][0] : got[1][1]] == "2019. gada 5. septembrī"
    assert text[got[2][0] : got[2][1]].startswith("01.10.2020")


@pytest.mark.parametrize(
    ("text", "written", "read"),
    [
        ("Sanāksme notika 2019.gada 14.martā Rīgā.", "2019.gada 14.martā", (2019, 3, 14, None)),
        ("Tā notiks 2019. g. 5. maijā.", "2019. g. 5. maijā", (2019, 5, 5, None)),
        ("Mācības 2017. gada 2.–6. oktobrī.", "2017. gada 2.–6. oktobrī", (2017, 10, 2, None)),
        ("Forums no 11. līdz 13. jūnijam.", "no 11. līdz 13. jūnijam", (None, 6, 11, None)),
        ("Kursi 3-5. novembrī.", "3-5. novembrī", (None, 11, 3, None)),
        ("Tikšanās 7. un 8.decembrī.", "7. un 8.decembrī", (None, 12, 7, None)),
        ("Šā gada 9. janvārī.", "Šā gada 9. janvārī", (None, 1, 9, 0)),
        ("Š.g. 9. janvārī.", "Š.g. 9. janvārī", (None, 1, 9, 0)),
        ("Pagājušā gada 30. augustā.", "Pagājušā gada 30. augustā", (None, 8, 30, -1)),
        ("Kopš 2016. gada februāra.", "2016. gada februāra", (2016, 2, None, None)),
        ("Sēde 1.-2.07.2021. Rīgā.", "1.-2.07.2021.", (2021, 7, 1, None)),
        ("Tas notika 2015. gadā.", "2015. gadā", (2015, None, None, None)),
    ],
)
def test_read_dates_reads_the_ways_latvian_writes_a_start(text: str, written: str, read: tuple) -> None:
    (m,) = read_dates(text)
    assert text[m.start : m.end] == written
    assert (m.year, m.month, m.day, m.relative) == read


def test_read_dates_genitive_dates_modify_the_noun_after_them() -> None:
    first, second, _ = read_dates("ar 2010.gada 3.marta rīkojumu; no 2018. gada 1. marta līdz 2019. gada 2. maijam")
    assert first.genitive and (first.year, first.month, first.day) == (2010, 3, 3)
    assert not second.genitive  # "no ... līdz": a range, not a modifier


def test_read_dates_of_a_long_text_reads_each_date_as_alone() -> None:
    """A text of thousands of dates (a long report, a file on one line) is read for dates in
    one pass: each date is read as it is when it stands alone, "no" before it or not (a
    name ending in -no is no "no")."""
    piece = (
        "ar 2010.gada 3.marta rīkojumu, Reino 2011. gada 4. aprīļa vēstuli "
        "un no 2018. gada 1. marta līdz 2019. gada 2. maijam; "
    )
    marks = read_dates(piece * 2000)
    assert len(marks) == 4 * 2000
    alone = [(m.year, m.month, m.day, m.genitive) for m in read_dates(piece)]
    assert alone == [(2010, 3, 3, True), (2011, 4, 4, True), (2018, 3, 1, False), (2019, 5, 2, False)]
    assert [(m.year, m.month, m.day, m.genitive) for m in marks] == alone * 2000


def test_a_date_without_its_year_takes_the_publication_year() -> None:
    (m,) = read_dates("15. oktobrī")
    assert m.iso() is None
    assert m.iso("2018-10-18") == "2018-10-15"
    # a day more than half a year after the publication is last year's: "15. decembrī" in January
    assert read_dates("15. decembrī")[0].iso("2019-01-10") == "2018-12-15"
    (last,) = read_dates("pagājušā gada 15. oktobrī")
    assert last.iso("2018-10-18") == "2017-10-15"
    (month,) = read_dates("2018. gada oktobrī")
    assert month.iso() == "2018-10" and month.precision == 2
    assert read_dates("2018. gada 31. februārī") == [] and read_dates("29. februārī")[0].iso("2021-03-01") is None


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2019-04-02", "2019-04-02"),
        ("Publicēts: 2019-04-02 14:05", "2019-04-02"),
        ("Ievietots: 02.04.2019", "2019-04-02"),
        ("2019. gada 2. aprīlis", "2019-04-02"),
        ("Valmiera, 2019. gada 2. aprīlis. – Šodien pašvaldība paziņoja ...", "2019-04-02"),
    ],
)
def test_publication_dates_from_iso_lines_word_dates_and_datelines(line: str, iso: str) -> None:
    assert publication_dates(f"Virsraksts\n\n{line}\n\nTeksts.\n") == (iso,)


def test_a_date_inside_a_sentence_is_no_publication_date() -> None:
    assert publication_dates("Sanāksme notika 2019. gada 2. aprīlī Rīgā, un tajā piedalījās ...\n") == ()


def test_publication_offsets_give_each_news_item_its_date_line() -> None:
    text = "Virsraksts\n\n18.10.2018.\n\nTeksts.\n\n03.05.2018.\n\nCits teksts.\n"
    got = publication_offsets(text)
    assert [iso for _, iso in got] == ["2018-10-18", "2018-05-03"]
    assert text[got[1][0] :].startswith("03.05.2018.")


@pytest.mark.parametrize(
    "text",
    ["31.02.2018", "2018.gada 31.februārī", "32.01.2018.", "15.13.2018."],
)
def test_find_dates_rejects_impossible_dates(text: str) -> None:
    assert find_dates(f"Notika {text} Rīgā.") == []


def test_url_written_in_a_text_document_is_found(tmp_path: Path) -> None:
    text = "Virsraksts\n\nVairāk: https://www.iem.gov.lv/lv/jaunums/123.\n"
    assert read_document(write(tmp_path / "a.txt", text)).url == ("https://www.iem.gov.lv/lv/jaunums/123")
    text = "Virsraksts\n\nSk. (https://www.vp.gov.lv/lv/zinas) un citur.\n"
    assert read_document(write(tmp_path / "b.txt", text)).url == "https://www.vp.gov.lv/lv/zinas"
    assert read_document(write(tmp_path / "c.txt", "Bez saites.")).url is None


def test_seed_document_url() -> None:
    doc = read_document(SEEDS / "004_121ec49d9cea9291.txt")
    assert doc.url == "https://www.iem.gov.lv/lv/cilvektirdzniecibas-noversana"


def test_windows_line_ends_and_bom_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeffVirsraksts\r\n\r\n18.10.2018.\r\nPirmais. Otrais.\r\n".encode())
    doc = read_document(path)
    assert "\r" not in doc.text and not doc.text.startswith("\ufeff")
    assert doc.title == "Virsraksts"
    assert doc.dates == ("2018-10-18",)
    assert [s.text for s in doc.sentences] == ["Virsraksts", "18.10.2018.", "Pirmais.", "Otrais."]
    check_offsets(doc)


# ---------------------------------------------------------------- HTML documents

PAGE = """\
<!DOCTYPE html>
<html lang="lv">
<head>
<title>Lapas virsraksts | IeM</title>
<link rel="canonical" href="https://www.iem.gov.lv/lv/jaunums/projekts">
<style>body { color: red } .slepens { display: none }</style>
<script>var x = "SKRIPTA TEKSTS";</script>
</head>
<body>
<h1>Valsts policija sadarbojas ar biedrību</h1>
<p>Projektu &quot;Drošība&quot; finansē ICMPD.</p>
<script>console.log("VĒL SKRIPTS")</script>
<noscript>Ieslēdziet JavaScript</noscript>
<p>Otrā&nbsp;rindkopa &amp; teksts.</p>
</body>
</html>
"""


def test_html_yields_visible_text_only(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "lapa.html", PAGE))
    assert 'Projektu "Drošība" finansē ICMPD.' in doc.text
    assert "Otrā rindkopa & teksts." in doc.text
    for hidden in ("SKRIPTA", "VĒL SKRIPTS", "color", "display", "JavaScript", "<p>", "&amp;"):
        assert hidden not in doc.text
    assert doc.id == "lapa"
    check_offsets(doc)


def test_html_block_elements_are_separate_sentences(tmp_path: Path) -> None:
    html = "<html><body><p>Pirmā rindkopa bez punkta</p><div>Otrā rindkopa</div></body></html>"
    doc = read_document(write(tmp_path / "b.html", html))
    assert [s.text for s in doc.sentences] == ["Pirmā rindkopa bez punkta", "Otrā rindkopa"]


def test_html_title_prefers_h1_then_title(tmp_path: Path) -> None:
    assert read_document(write(tmp_path / "a.html", PAGE)).title == ("Valsts policija sadarbojas ar biedrību")
    no_h1 = PAGE.replace("<h1>", "<p>").replace("</h1>", "</p>")
    assert read_document(write(tmp_path / "b.html", no_h1)).title == "Lapas virsraksts | IeM"


def test_html_canonical_url_then_og_url(tmp_path: Path) -> None:
    assert read_document(write(tmp_path / "a.html", PAGE)).url == ("https://www.iem.gov.lv/lv/jaunums/projekts")
    og = (
        "<html><head><title>T</title>"
        '<meta property="og:url" content="https://www.vp.gov.lv/lv/zina">'
        "</head><body><p>Teksts ar https://cits.lv/saite saiti.</p></body></html>"
    )
    assert read_document(write(tmp_path / "b.htm", og)).url == "https://www.vp.gov.lv/lv/zina"


def test_html_markup_in_a_txt_file_is_read_as_html(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "lapa.txt", PAGE))
    assert "SKRIPTA" not in doc.text and "<p>" not in doc.text
    assert doc.url == "https://www.iem.gov.lv/lv/jaunums/projekts"


def test_svg_title_in_body_does_not_change_the_page_title() -> None:
    html = (
        "<html><head><title>Lapa</title></head><body>"
        "<svg><title>Meklēt</title><path d=''/></svg><p>Teksts.</p></body></html>"
    )
    assert parse_document(html, "x", is_html=True).title == "Lapa"


def test_h1_with_inline_markup_is_the_whole_title() -> None:
    html = "<html><body><h1>Valsts policija <em>aicina</em> ziņot</h1><p>Teksts.</p></body></html>"
    assert parse_document(html, "x", is_html=True).title == "Valsts policija aicina ziņot"


def test_body_text_is_kept_when_head_is_not_closed() -> None:
    html = "<html><head><title>Lapa</title><body><p>Teksts par policiju.</p></body></html>"
    assert "Teksts par policiju." in parse_document(html, "x", is_html=True).text


def test_character_references_are_decoded_once() -> None:
    html = "<html><body><p>Saite: https://x.lv/?a=1&amp;notice=2 un &amp;lt;b&amp;gt;</p></body></html>"
    doc = parse_document(html, "x", is_html=True)
    assert "https://x.lv/?a=1&notice=2 un &lt;b&gt;" in doc.text
    assert doc.url == "https://x.lv/?a=1&notice=2"


# ---------------------------------------------------------------- ids


def test_unique_ids_disambiguate_equal_stems_and_are_stable() -> None:
    paths = [Path("a/zinas.txt"), Path("b/zinas.txt"), Path("a/cits.txt")]
    ids = unique_ids(paths)
    assert len(set(ids)) == 3
    assert ids[2] == "cits"
    assert all(i.startswith("zinas") for i in ids[:2])
    assert unique_ids(paths) == ids
    assert unique_ids(list(reversed(paths))) == list(reversed(ids))


def test_unique_ids_keep_the_plain_stem_when_there_is_no_clash() -> None:
    assert unique_ids([Path("a/viens.txt"), Path("b/divi.html")]) == ["viens", "divi"]


def test_unique_ids_disambiguate_names_that_become_equal_when_made_safe() -> None:
    ids = unique_ids([Path("ziņa.txt"), Path("ziša.txt")])
    assert len(set(ids)) == 2


# ---------------------------------------------------------------- bad files


def test_empty_and_blank_files_are_reported_not_read(tmp_path: Path) -> None:
    for name, content in [("tukss.txt", ""), ("atstarpes.txt", "\n  \n\t\n"), ("tukss.html", "")]:
        with pytest.raises(IngestError, match=f"{name}: empty file"):
            read_document(write(tmp_path / name, content))
    doc = parse_document("", "x")
    assert doc.sentences == () and doc.dates == () and doc.title is None and doc.url is None


def test_a_file_over_the_size_limit_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "liels.txt", "Valsts policija. " * 1000)
    with pytest.raises(IngestError, match="liels.txt: .*limit"):
        read_document(path, max_bytes=1000)


def test_symlink_loops_do_not_trap_the_walk(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    write(docs / "a" / "x.txt", "Teksts.")
    (docs / "a" / "loop").symlink_to(docs, target_is_directory=True)
    (docs / "self.txt").symlink_to(docs / "self.txt")
    found = [p.name for p in iter_paths([docs])]
    assert found == ["x.txt", "self.txt"] or sorted(found) == ["self.txt", "x.txt"]


def test_binary_file_is_an_ingest_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "attels.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(IngestError, match="attels.txt"):
        read_document(path)


def test_windows_1257_file_is_an_ingest_error_saying_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes("Iekšlietu ministrija ņēma vērā.".encode("cp1257"))
    with pytest.raises(IngestError) as info:
        read_document(path)
    assert "windows.txt" in str(info.value)
    assert "not UTF-8" in str(info.value)


def test_unreadable_path_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="nav.txt"):
        read_document(tmp_path / "nav.txt")
    with pytest.raises(IngestError):
        read_document(tmp_path)  # a folder


# ---------------------------------------------------------------- iter_paths


def test_iter_paths_walks_folders_sorted_and_reports_other_files(tmp_path: Path) -> None:
    root = tmp_path / "korpuss"
    for rel in ["b.txt", "a.html", "c.md", "sub/d.htm", "sub/e.text", "x.pdf", "y.docx", "README", "z.odt"]:
        write(root / rel, "Teksts.")
    told: list[str] = []
    got = [p.relative_to(root).as_posix() for p in iter_paths([root], on_skip=told.append)]
    assert got == ["a.html", "b.txt", "sub/d.htm", "sub/e.text", "x.pdf", "y.docx"]
    assert len(told) == 3
    readme, md, odt = sorted(told)
    assert readme.startswith(f"{root / 'README'}: a file with no extension is not read")
    assert md == f"{root / 'c.md'}: .md files are not read (ctn-graph reads .docx .htm .html .pdf .text .txt .xhtml)"
    assert odt.startswith(f"{root / 'z.odt'}: .odt files are not read; save it as .docx or .pdf")


def test_iter_paths_accepts_upper_case_suffixes(tmp_path: Path) -> None:
    write(tmp_path / "ZINAS.TXT", "Teksts.")
    write(tmp_path / "LAPA.HTML", "<p>Teksts.</p>")
    assert sorted(p.name for p in iter_paths([tmp_path])) == ["LAPA.HTML", "ZINAS.TXT"]


def test_iter_paths_yields_each_file_once(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "A.")
    write(tmp_path / "b.txt", "B.")
    got = list(iter_paths([tmp_path, a, tmp_path]))
    assert sorted(p.name for p in got) == ["a.txt", "b.txt"]
    assert len(got) == 2


def test_iter_paths_keeps_a_file_given_by_name(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "A.")
    assert list(iter_paths([f])) == [f]


def test_iter_paths_same_order_on_every_call(tmp_path: Path) -> None:
    for name in ["z.txt", "m.txt", "a.txt", "k/b.txt", "k/a.html"]:
        write(tmp_path / name, "Teksts.")
    first = list(iter_paths([tmp_path]))
    assert first == list(iter_paths([tmp_path]))
    got = [p.relative_to(tmp_path).as_posix() for p in first]
    assert got == ["a.txt", "k/a.html", "k/b.txt", "m.txt", "z.txt"]


def test_missing_path_is_an_ingest_error(tmp_path: Path) -> None:
    missing = tmp_path / "nav-tadas-mapes"
    with pytest.raises(IngestError, match="nav-tadas-mapes"):
        list(iter_paths([missing]))

"""Characters that are not text: in documents, in XML outputs, on the terminal, and
files in UTF-16 or UTF-32 (issue 14, items 12, 13 and 16).

Documents are untrusted, and so is a graph made by another tool: ingest drops or
replaces what is not text (chars.clean_text), every XML writer replaces what XML 1.0
cannot hold on its own (chars.xml_safe), and everything printed for a person shows
control and bidirectional formatting characters as escapes (chars.terminal_safe).
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import xml.parsers.expat
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from ctn_graph.cli import app
from ctn_graph.common.chars import clean_text, terminal_safe, xml_safe
from ctn_graph.networks.model import SAMPLE
from ctn_graph.networks.netexport import write_network
from ctn_graph.pipeline.ingest import IngestError, parse_document, read_document
from ctn_graph.rdf.export import GraphFormat, write_quads_to, write_store

runner = CliRunner()

XML_ILLEGAL = "\x01\x08\x0b\x0c\x1f\ufffe\uffff"  # XML 1.0 cannot hold these, not even as &#...;
NONCHARACTERS = "\ufdd0\ufdef\U0001fffe\U0010ffff"
C1 = "\x80\x9b\x9c\x9d\x9f"  # CSI, ST, OSC: the 8-bit forms of ESC [, ESC \, ESC ]
TERMINAL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # commands remember their last store in ./.ctn-graph


def cli(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def well_formed(path: Path) -> None:
    parser = xml.parsers.expat.ParserCreate()
    with path.open("rb") as f:
        parser.ParseFile(f)  # raises ExpatError: not well-formed (invalid token)


# --------------------------------------------------------------------------- ingest


def test_ingest_drops_every_character_that_is_not_text() -> None:
    text = f"Saule{XML_ILLEGAL[:5]}māja {C1}Biedrība\ufffe\uffff{NONCHARACTERS} un\x7fcits\x85Jauna rinda \ud800."
    doc = parse_document(text, "x")
    assert doc.text == "Saule     māja      Biedrība un cits\nJauna rinda \ufffd."
    assert [s.text for s in doc.sentences] == ["Saule     māja      Biedrība un cits", "Jauna rinda \ufffd."]
    assert xml_safe(doc.text) == doc.text


def test_ingest_keeps_tabs_line_breaks_and_the_bidirectional_marks() -> None:
    text = "Nosaukums\tDrošā\u202eāja\u200fmāja\u200b\n"
    assert clean_text(text) == text  # U+202E is text (a right-to-left name may need it): shown escaped on a terminal


def test_html_character_references_to_what_is_not_text_are_dropped_too() -> None:
    page = "<title>Lapa&#x1b;]0;x&#7;</title><p>Saule&#xFFFE;&#xFFFF;&#x9D;māja &#xFDD0;&#xD800; &#1;beigas.</p>"
    doc = parse_document(page, "x", is_html=True)
    assert doc.title == "Lapa ]0;x "
    assert not re.search(f"[{XML_ILLEGAL}{NONCHARACTERS}\x80-\x9f]", doc.text), repr(doc.text)


# --------------------------------------------------------------------------- XML outputs


def hostile_docs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "d.txt").write_text(
        "Ziņa\n\n"
        f'Projekta “Drošs{XML_ILLEGAL} ceļš” vadošais partneris ir NVO "Saule\ufffe\uffff{C1}{NONCHARACTERS} māja".\n'
        'Projektu “Drošs ceļš” finansē biedrība "Tālā\x01 Zeme".\n',
        encoding="utf-8",
    )
    return folder


def test_a_build_of_names_holding_what_xml_cannot_hold_writes_well_formed_xml(tmp_path: Path) -> None:
    docs = hostile_docs(tmp_path / "docs")
    assert cli("build", docs, "-o", "g.ttl", "--no-cache", "-q").exit_code == 0
    assert cli("build", docs, "-o", "g.rdf", "--no-cache", "--no-store", "-q").exit_code == 0
    for ext in ("graphml", "gexf"):
        done = cli("export-network", "g.store", "-o", f"net.{ext}")
        assert done.exit_code == 0, done.output
    for name in ("g.rdf", "net.graphml", "net.gexf"):
        well_formed(tmp_path / name)
    assert {d["label"] for _, d in nx.read_graphml(tmp_path / "net.graphml").nodes(data=True)} >= {
        "Saule" + " " * 6 + "māja"
    }
    assert nx.read_gexf(tmp_path / "net.gexf").number_of_nodes() >= 2
    validated = cli("validate", "g.rdf")
    assert validated.exit_code == 0, validated.output


HOSTILE_LITERALS = ["Saule\x01māja", "a\ufffeb\uffffc", "x\x1b]0;pwned\x07y", "rinda\x0bcita"]


def hostile_store() -> ox.Store:
    """A graph made by another tool: literals with characters XML 1.0 cannot hold."""
    store = ox.Store()
    for i, text in enumerate(HOSTILE_LITERALS):
        s = ox.NamedNode(f"https://w3id.org/ctn/id/org/o{i}")
        store.add(
            ox.Quad(s, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.Literal(text, language="lv"))
        )
        store.add(ox.Quad(s, ox.NamedNode("https://w3id.org/ctn/ontology#text"), ox.Literal(text)))
    return store


def test_the_rdfxml_writers_are_safe_on_their_own(tmp_path: Path) -> None:
    store = hostile_store()
    write_store(store, tmp_path / "a.rdf")
    with (tmp_path / "b.rdf").open("wb") as f:
        write_quads_to(store.quads_for_pattern(None, None, None), f, GraphFormat.RDFXML, repeated=frozenset())
    for name in ("a.rdf", "b.rdf"):
        well_formed(tmp_path / name)
        values = {q.object.value for q in ox.parse(path=str(tmp_path / name), format=ox.RdfFormat.RDF_XML)}
        assert values == {xml_safe(t) for t in HOSTILE_LITERALS}
        assert "a\ufffdb\ufffdc" in values and "Saule\ufffdmāja" in values
    write_store(store, tmp_path / "c.ttl")  # Turtle holds them all: nothing replaced
    assert {q.object.value for q in ox.parse(path=str(tmp_path / "c.ttl"), format=ox.RdfFormat.TURTLE)} == set(
        HOSTILE_LITERALS
    )


def test_the_network_writers_are_safe_on_their_own(tmp_path: Path) -> None:
    g = nx.MultiDiGraph(title="Skats\x01")
    g.add_node("org/a\ufffe", label="Saule\x01\ufffe\uffffmāja", alt=["x\x02"], degree=1)
    g.add_node("org/b", label="Biedrība", degree=1)
    g.add_edge("org/a\ufffe", "org/b", key="k\x03", relation="partner", evidence=[{"doc": "d", "sentence": "a\x1bb"}])
    for ext, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        write_network(g, tmp_path / f"n.{ext}")
        back = read(tmp_path / f"n.{ext}")  # networkx reads its own file again
        assert {d["label"] for _, d in back.nodes(data=True)} == {"Saule\ufffd\ufffd\ufffdmāja", "Biedrība"}


def test_validate_of_an_ill_formed_rdfxml_file_fails_with_the_parsers_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rdf"
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    quad = ox.Quad(ox.NamedNode("https://w3id.org/ctn/id/org/x"), label, ox.Literal("Saule\ufffemāja", language="lv"))
    bad.write_bytes(ox.serialize([quad], None, ox.RdfFormat.RDF_XML) or b"")  # pyoxigraph's own writer, before issue 14
    list(ox.parse(path=str(bad), format=ox.RdfFormat.RDF_XML))  # its reader takes it
    expected = f"error: {bad}: Parser error at line 4 column 77: not well-formed (invalid token)"
    for command in (["validate", bad], ["query", "-", "--graph", bad], ["analyse", bad], ["evaluate", bad]):
        result = runner.invoke(app, [str(c) for c in command], input="SELECT * { ?s ?p ?o }")
        assert result.exit_code == 1, (command, result.output)
        assert result.output.strip().splitlines()[-1] == expected, (command, result.output)


# --------------------------------------------------------------------------- the terminal

ESCAPES = "x\x1b]0;pwned\x07 \x9b2J \x9d0;x\x9c \u202eājam\u202c \rBeigas"
SHOWN = "x\\x1b]0;pwned\\x07 \\x9b2J \\x9d0;x\\x9c \\u202eājam\\u202c \\x0dBeigas"


@pytest.fixture
def graph_from_elsewhere(tmp_path: Path) -> Path:
    """The network sample, its ministry named with terminal escapes: a graph no ingest cleaned."""
    name = ESCAPES.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    ttl = tmp_path / "elsewhere.ttl"
    ttl.write_text(SAMPLE.replace('"Iekšlietu ministrija"', f'"{name}"'), encoding="utf-8")
    assert ESCAPES in {q.object.value for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)}
    return ttl


LABELS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?n ?l { ?n skos:prefLabel ?l } ORDER BY ?l"


def test_ingest_drops_c1_controls_so_none_reaches_the_terminal() -> None:
    doc = parse_document(f"NVO Saule{C1}[2J māja.", "x")
    assert doc.text == "NVO Saule     [2J māja."


def test_query_table_and_analyse_show_control_characters_as_escapes(graph_from_elsewhere: Path) -> None:
    table = runner.invoke(app, ["query", "-", "--graph", str(graph_from_elsewhere)], input=LABELS)
    analysed = cli("analyse", graph_from_elsewhere)
    for result in (table, analysed):
        assert result.exit_code == 0, result.output
        assert not TERMINAL_RE.search(result.stdout), repr(result.stdout)
    assert SHOWN.replace(" \\x0d", " ") in table.stdout  # a cell is one line: CR and the space before it, one space
    assert terminal_safe(" ".join(ESCAPES.split()), cell=True)[:43] in analysed.stdout  # cut to the column


def test_json_and_tsv_escape_them_and_keep_every_value(graph_from_elsewhere: Path) -> None:
    as_json = runner.invoke(app, ["query", "-", "--graph", str(graph_from_elsewhere), "-f", "json"], input=LABELS)
    assert as_json.exit_code == 0 and not TERMINAL_RE.search(as_json.stdout)
    assert ESCAPES in {b["l"]["value"] for b in json.loads(as_json.stdout)["results"]["bindings"]}
    as_tsv = runner.invoke(app, ["query", "-", "--graph", str(graph_from_elsewhere), "-f", "tsv"], input=LABELS)
    assert as_tsv.exit_code == 0 and not TERMINAL_RE.search(as_tsv.stdout)
    cell = next(
        row.split("\t")[1] for row in as_tsv.stdout.split("\n") if row.startswith("<https://w3id.org/ctn/id/org")
    )
    assert next(iter(ox.parse(f"<urn:s> <urn:p> {cell} .", ox.RdfFormat.N_TRIPLES))).object.value == ESCAPES


def run_in_a_terminal(args: list[str]) -> str:
    """The command's output as a terminal gets it (a pseudo-terminal), bounded in time."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ctn_graph.cli", *args], stdout=child, stderr=child, stdin=subprocess.DEVNULL
    )
    os.close(child)
    out = b""
    try:
        while select.select([main], [], [], 60)[0]:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        proc.kill() if proc.poll() is None else None
        proc.wait(10)
        os.close(main)
    return out.decode("utf-8")


def test_csv_on_a_terminal_shows_escapes_and_in_a_file_keeps_the_value(graph_from_elsewhere: Path, tmp_path) -> None:
    (tmp_path / "labels.rq").write_text(LABELS, encoding="utf-8")
    args = ["query", str(tmp_path / "labels.rq"), "--graph", str(graph_from_elsewhere), "-f", "csv"]
    shown = run_in_a_terminal(args)
    assert not TERMINAL_RE.search(shown.replace("\r\n", "\n")), repr(shown)
    assert SHOWN in shown
    assert not TERMINAL_RE.search(run_in_a_terminal([*args[:-1], "table"]).replace("\r\n", "\n"))
    (tmp_path / "graph.rq").write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", encoding="utf-8")
    turtle = run_in_a_terminal(["query", str(tmp_path / "graph.rq"), "--graph", str(graph_from_elsewhere), "-f", "ttl"])
    assert "\\x9b2J" in turtle and not TERMINAL_RE.search(turtle.replace("\r\n", "\n")), repr(turtle)
    piped = subprocess.run([sys.executable, "-m", "ctn_graph.cli", *args], capture_output=True, timeout=60)
    assert piped.returncode == 0 and ESCAPES in piped.stdout.decode("utf-8")  # exact, for programs


def test_error_messages_show_control_characters_as_escapes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/\u001b[2J\u202e> <http://x/p> <http://x/o> .\n", encoding="utf-8")
    result = cli("validate", bad)
    assert result.exit_code == 1
    assert "\\x1b" in result.output and not TERMINAL_RE.search(result.output), repr(result.output)


# --------------------------------------------------------------------------- UTF-16 and UTF-32

TEXT = "Iekšlietu ministrija\n\nProjektu finansē ICMPD. Ā ž ļ 😀.\n"


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00"),
     ("utf-32-be", b"\x00\x00\xfe\xff"), ("utf-8", b"\xef\xbb\xbf")],
)  # fmt: skip
def test_a_file_with_a_byte_order_mark_is_read_in_its_encoding(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "zinas.txt"
    path.write_bytes(bom + TEXT.encode(encoding))
    doc = read_document(path)
    assert doc.text == TEXT and doc.title == "Iekšlietu ministrija"
    assert [s.text for s in doc.sentences] == ["Iekšlietu ministrija", "Projektu finansē ICMPD.", "Ā ž ļ 😀."]


def test_an_html_page_in_utf16_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "lapa.html"
    path.write_bytes(
        b"\xff\xfe" + "<meta charset=utf-16><title>Lapa</title><p>Projektu finansē ICMPD.".encode("utf-16-le")
    )
    doc = read_document(path)
    assert (doc.title, doc.text) == ("Lapa", "Projektu finansē ICMPD.\n")


NO_BOM = "UTF-16 without a byte order mark, it seems; convert it, e.g. `iconv -f UTF-16{} -t UTF-8`"


@pytest.mark.parametrize(
    "raw, message",
    [
        (TEXT.encode("utf-16-le"), NO_BOM.format("LE")),
        (TEXT.encode("utf-16-be"), NO_BOM.format("BE")),
        (b"\xff\xfe" + "Teksts".encode("utf-16-le") + b"\x00\xd8",
         "not UTF-16 (byte 14), though it begins with UTF-16's byte order mark"),
        (b"\xff\xfe" + " \n".encode("utf-16-le"), "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not a text or HTML document"),
    ],
    ids=["utf16le-no-bom", "utf16be-no-bom", "bad-utf16", "blank-utf16", "png"],
)  # fmt: skip
def test_what_cannot_be_read_is_named(tmp_path: Path, raw: bytes, message: str) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(raw)
    with pytest.raises(IngestError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: {message}"

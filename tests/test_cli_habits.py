"""The command line's usual habits (issue 16, item 5): --version, shell completion,
choices in the help, examples, the result format from -o's extension, SPARQL XML
results, CONSTRUCT in any RDF format, predeclared prefixes, one-line syntax errors,
`queries NAME`, --max-width, the CSV formula guard, `validate` on a store with progress,
and what `serve` tells."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from ctn_graph import __version__
from ctn_graph.cli import app

runner = CliRunner()

CTN = "https://w3id.org/ctn/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
LONG_NAME = "Biedrība " + "ļoti garš nosaukums " * 6  # 129 characters

# a small graph of our own: names a spreadsheet or an XML reader could trip on
GRAPH = f"""\
@prefix ctn: <{CTN}> .
@prefix skos: <{SKOS}> .

<https://w3id.org/ctn/id/org/a> a ctn:Organisation ; skos:prefLabel "-5"@lv .
<https://w3id.org/ctn/id/org/b> a ctn:Organisation ; skos:prefLabel "=1+2"@lv .
<https://w3id.org/ctn/id/org/c> a ctn:Organisation ; skos:prefLabel "+3.5"@lv .
<https://w3id.org/ctn/id/org/d> a ctn:Organisation ; skos:prefLabel "@SUM(A1:A2)"@lv .
<https://w3id.org/ctn/id/org/e> a ctn:Organisation ; skos:prefLabel "-2+3"@lv .
<https://w3id.org/ctn/id/org/f> a ctn:Organisation ; skos:prefLabel "Biedrība <\\"Drošā\\" & māja> ]]>\\r\\nRīga"@lv .
<https://w3id.org/ctn/id/org/g> a ctn:Organisation ; skos:prefLabel "{LONG_NAME}"@lv .
<https://w3id.org/ctn/id/project/p> a ctn:Project ; skos:prefLabel "Projekts"@lv ;
    ctn:leadPartner <https://w3id.org/ctn/id/org/a> ; ctn:year 2019 .
"""
LABELS = "SELECT ?o ?name WHERE { ?o a ctn:Organisation ; skos:prefLabel ?name } ORDER BY ?o\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # commands remember their last store in ./.ctn-graph


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("habits") / "g.ttl"
    path.write_text(GRAPH, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, seed_store) -> Path:
    """The seed graph as a store directory, one named graph per document, as `build` writes it."""
    path = tmp_path_factory.mktemp("habits-store") / "g.store"
    store = ox.Store(str(path))
    store.bulk_extend(seed_store.quads_for_pattern(None, None, None, None))
    store.flush()
    del store
    return path


def run(*args: object, input: str | None = None, env: dict[str, str] | None = None):  # noqa: A002 - click's name
    return runner.invoke(app, [str(a) for a in args], input=input, env=env)


def flat(text: str) -> str:
    """Help text without its box drawing and line breaks."""
    return re.sub(r"[\s│╭╮╰╯─]+", "", text)


# --------------------------------------------------------------------------- version, completion, help


def test_version_option_prints_the_version():
    for option in ("--version", "-V"):
        result = run(option)
        assert result.exit_code == 0, result.output
        assert result.output.strip() == f"ctn-graph {__version__}"


def test_show_completion_gives_a_script_for_the_shell():
    result = run("--show-completion", "bash")
    assert result.exit_code == 0, result.output
    assert "_CTN_GRAPH_COMPLETE" in result.output and "complete" in result.output


def _env(**extra: str) -> dict[str, str]:
    """The environment for a child process that imports this ctn_graph (the tests run elsewhere)."""
    import ctn_graph

    src = str(Path(ctn_graph.__file__).resolve().parents[1])
    return dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]), **extra)


def _complete(words: str) -> list[str]:
    """What the shell's completion gets for the command line `words` (bash's protocol)."""
    env = _env(_CTN_GRAPH_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(len(words.split(" ")) - 1))
    script = str(Path(sys.executable).with_name("ctn-graph"))  # completion goes by the program's name
    proc = subprocess.run([script], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_completion_completes_commands_choices_and_query_names():
    assert {"query", "queries"} <= set(_complete("ctn-graph que"))
    assert {"xml", "jsonld", "rdfxml", "csv"} <= set(_complete("ctn-graph query x -f "))
    assert _complete("ctn-graph queries partners-of") == ["partners-of-organisation"]
    assert _complete("ctn-graph query partners-of") == ["partners-of-organisation"]  # query SPEC too
    assert set(_complete("ctn-graph build --gazetteer ")) == {"all", "countries"}
    assert _complete("ctn-graph viz --view co") == ["copartnership"]


@pytest.mark.parametrize(
    "command,choices",
    [
        ("query", "table|csv|tsv|json|xml|ttl|nt|nq|trig|jsonld|rdfxml"),
        ("build", "all|countries"),
        ("evaluate", "even|odd"),
        ("push", "auto|graph-store|update"),
        ("viz", "full|copartnership|funding|ego"),
        ("viz", "degree|betweenness|eigenvector"),
        ("viz", "class|community"),
        ("analyse", "degree|betweenness|eigenvector|participation|constraint"),
        ("export-network", "full|copartnership|funding|ego"),
    ],
)
def test_help_lists_the_choices(command, choices):
    result = run(command, "--help", env={"COLUMNS": "300"})
    assert result.exit_code == 0
    assert choices in flat(result.output)


MY_COMMANDS = [
    "build", "validate", "evaluate", "query", "queries", "push", "serve", "version", "viz", "analyse", "export-network",
]  # fmt: skip


def test_every_command_has_more_than_one_example():
    commands = get_command(app).commands  # type: ignore[attr-defined]
    assert set(MY_COMMANDS) <= set(commands)
    for name in commands:  # every command, those added later too
        result = run(name, "--help")
        assert result.exit_code == 0
        assert " ".join(result.output.split()).count("Example: ctn-graph ") >= 2, name


# --------------------------------------------------------------------------- query output


def test_output_format_follows_the_extension_and_tells_the_rows(graph, tmp_path):
    expected = 7  # the organisations of GRAPH
    for ext in ("json", "csv", "xml", "tsv"):
        out = tmp_path / f"rows.{ext}"
        result = run("query", "-", "--graph", graph, "-o", out, input=LABELS)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert result.stderr.strip() == f"wrote {expected} rows to {out}"
        text = out.read_text(encoding="utf-8")
        if ext == "json":
            assert len(json.loads(text)["results"]["bindings"]) == expected
        elif ext == "csv":
            assert len(list(csv.reader(io.StringIO(text)))) == expected + 1
        elif ext == "xml":
            assert len(ET.fromstring(text).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == expected
        else:
            assert text.startswith("?o\t?name\n")
    # -f wins over the extension
    out = tmp_path / "rows.txt"
    assert run("query", "-", "--graph", graph, "-o", out, "-f", "csv", input=LABELS).exit_code == 0
    assert out.read_bytes().startswith(b"o,name\r\n")


def test_an_extension_with_no_format_is_a_one_line_error(graph, tmp_path):
    out = tmp_path / "rows.yaml"
    result = run("query", "-", "--graph", graph, "-o", out, input=LABELS)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {out}: the extension .yaml names no result format")
    assert not out.exists()


def test_xml_results_are_well_formed_and_escaped(graph):
    result = run("query", "-", "--graph", graph, "-f", "xml", input=LABELS)
    assert result.exit_code == 0, result.output
    ns = "{http://www.w3.org/2005/sparql-results#}"
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert [v.get("name") for v in root.iter(ns + "variable")] == ["o", "name"]
    names = {}
    for r in root.iter(ns + "result"):
        cells = {b.get("name"): b[0] for b in r}
        assert cells["o"].tag == ns + "uri"
        assert cells["name"].get("{http://www.w3.org/XML/1998/namespace}lang") == "lv"
        names[cells["o"].text] = cells["name"].text
    assert names["https://w3id.org/ctn/id/org/f"] == 'Biedrība <"Drošā" & māja> ]]>\r\nRīga'  # \r kept too
    assert names["https://w3id.org/ctn/id/org/b"] == "=1+2"  # no formula guard outside CSV
    ask = run("query", "-", "--graph", graph, "-f", "xml", input="ASK { ?p ctn:leadPartner ?o }")
    assert ET.fromstring(ask.stdout.encode()).find(ns + "boolean").text == "true"  # type: ignore[union-attr]


GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
CONSTRUCT = "CONSTRUCT { ?o skos:prefLabel ?name } WHERE { ?o a ctn:Organisation ; skos:prefLabel ?name }"


def _triples(data: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(data, format=fmt)}


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
def test_construct_writes_any_rdf_format(graph, tmp_path, fmt):
    everything = _triples(graph.read_bytes(), ox.RdfFormat.TURTLE)
    orgs = {t[0] for t in everything if t[2] == f"<{CTN}Organisation>"}
    expected = {t for t in everything if t[1] == f"<{SKOS}prefLabel>" and t[0] in orgs}
    result = run("query", "-", "--graph", graph, "-f", fmt, input=CONSTRUCT)
    assert result.exit_code == 0, result.output
    assert _triples(result.stdout.encode("utf-8"), GRAPH_FORMATS[fmt]) == expected
    ext = {"rdfxml": "rdf"}.get(fmt, fmt)
    out = tmp_path / f"labels.{ext}"
    result = run("query", "-", "--graph", graph, "-o", out, input=CONSTRUCT)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"wrote {len(expected)} triples to {out}"
    assert _triples(out.read_bytes(), GRAPH_FORMATS[fmt]) == expected


def test_construct_output_reads_like_the_graph_files(graph):
    """Turtle as `build` writes it: the node prefixes, no `\\/` escapes, one block per
    subject with a blank line after it; JSON-LD compacted with its @context."""
    interleaved = (
        "CONSTRUCT { ?o skos:prefLabel ?name . ?p ctn:leadPartner ?o . ?o skos:altLabel ?name } "
        "WHERE { ?o a ctn:Organisation ; skos:prefLabel ?name OPTIONAL { ?p ctn:leadPartner ?o } }"
    )
    ttl = run("query", "-", "--graph", graph, "-f", "ttl", input=interleaved).stdout
    assert "\\/" not in ttl and "@prefix ctnorg: <https://w3id.org/ctn/id/org/> ." in ttl
    body = ttl.split("\n\n", 1)[1]
    blocks = [b for b in body.split("\n\n") if b.strip()]
    subjects = [b.split(" ", 1)[0] for b in blocks]
    assert sorted(subjects) == sorted({*(f"ctnorg:{c}" for c in "abcdefg"), "ctnproj:p"}), subjects
    a = blocks[subjects.index("ctnorg:a")]
    assert "skos:prefLabel" in a and "skos:altLabel" in a
    doc = json.loads(run("query", "-", "--graph", graph, "-f", "jsonld", input=interleaved).stdout)
    assert doc["@context"]["ctnorg"] == "https://w3id.org/ctn/id/org/"
    assert "ctnorg:a" in {node["@id"] for node in doc["@graph"]}


def test_a_select_in_a_graph_format_is_a_one_line_error(graph):
    result = run("query", "-", "--graph", graph, "-f", "nt", input=LABELS)
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: a SELECT query gives a table: use --format table, csv, tsv, json or xml"


# --------------------------------------------------------------------------- ad-hoc queries


def test_an_adhoc_query_may_leave_the_usual_prefixes_undeclared(graph, tmp_path):
    text = (
        "SELECT ?name WHERE { ?p a ctn:Project ; skos:prefLabel ?name ; ctn:leadPartner ?lead "
        "FILTER (STRSTARTS(STR(?lead), STR(ctnid:))) }"
    )
    assert "PREFIX" not in text
    result = run("query", "-", "--graph", graph, "-f", "csv", input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout == "name\nProjekts\n"  # CliRunner's output has \r\n as \n
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?s dcterms:title|rdfs:label|prov:wasDerivedFrom ?o }", encoding="utf-8")
    assert run("query", rq, "--graph", graph).stdout.strip() == "false"
    # the node prefixes of the graph files too: a name copied from the Turtle works as it is
    lead = run("query", "-", "--graph", graph, "-f", "csv", input="SELECT ?p { ?p ctn:leadPartner ctnorg:a }")
    assert lead.stdout == "p\nhttps://w3id.org/ctn/id/project/p\n", lead.output
    # a prefix the text declares itself is its own
    own = "PREFIX skos: <http://example.org/not-skos#>\nSELECT ?name WHERE { ?o skos:prefLabel ?name }"
    result = run("query", "-", "--graph", graph, "-f", "csv", input=own)
    assert result.exit_code == 0, result.output
    assert result.stdout == "name\n"


def test_a_syntax_error_is_one_line_with_line_and_column(graph):
    result = run("query", "-", "--graph", graph, input="SELECT ?s WHERE {\n  ?s ex:name ?o .\n}\n")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: stdin: SPARQL syntax error at line 2, column 13: unknown prefix ex: (declare it: PREFIX ex: <...>)\n"
    )
    # the columns of line 1 are those of the text as written, whatever was predeclared
    result = run("query", "-", "--graph", graph, input="SELECT ?s WHERE { ?s ?p ?o ")
    message = result.stderr.strip()
    assert message.startswith("error: stdin: SPARQL syntax error at line 1, column 28: expected one of ")
    assert "\n" not in message and "..=" not in message and "[" not in message, message


def test_queries_name_prints_the_text_and_the_parameters():
    from ctn_graph.sparql.query import load_library

    q = load_library()["partners-of-organisation"]
    result = run("queries", "partners-of-organisation")
    assert result.exit_code == 0, result.output
    assert q.text.rstrip("\n") in result.stdout
    assert f"  org = {q.params[0].default}  -- {q.params[0].description}" in result.stdout
    assert result.stdout.startswith(f"partners-of-organisation: {q.title}\n")


# --------------------------------------------------------------------------- table width, CSV guard


def _name_cells(output: str) -> dict[str, str]:
    rows = output.splitlines()[2:-1]  # no header, rule, row count
    return {r.split("  ", 1)[0]: r.split("  ", 1)[1].strip() for r in rows}


def test_max_width_cuts_table_cells(graph):
    cells = _name_cells(run("query", "-", "--graph", graph, "--max-width", "20", input=LABELS).stdout)
    long = cells["ctnid:org/g"]
    assert len(long) == 20 and long.endswith("…") and LONG_NAME.startswith(long[:-1])
    whole = _name_cells(run("query", "-", "--graph", graph, "--max-width", "0", input=LABELS).stdout)
    assert whole["ctnid:org/g"] == " ".join(LONG_NAME.split())
    default = _name_cells(run("query", "-", "--graph", graph, input=LABELS).stdout)
    assert len(default["ctnid:org/g"]) == 60
    bad = run("query", "-", "--graph", graph, "--max-width", "-1", input=LABELS)
    assert bad.exit_code == 2 and bad.stderr.startswith("error: ") and "--max-width" in bad.stderr


def _csv_names(output: str) -> dict[str, str]:
    return {row["o"].rsplit("/", 1)[1]: row["name"] for row in csv.DictReader(io.StringIO(output))}


def test_the_csv_formula_guard_spares_numbers_and_can_be_turned_off(graph):
    guarded = _csv_names(run("query", "-", "--graph", graph, "-f", "csv", input=LABELS).stdout)
    assert guarded["a"] == "-5" and guarded["c"] == "+3.5"  # numbers stay numbers
    assert guarded["b"] == "'=1+2" and guarded["d"] == "'@SUM(A1:A2)" and guarded["e"] == "'-2+3"
    plain = _csv_names(run("query", "-", "--graph", graph, "-f", "csv", "--no-formula-guard", input=LABELS).stdout)
    assert plain["b"] == "=1+2" and plain["d"] == "@SUM(A1:A2)" and plain["e"] == "-2+3" and plain["a"] == "-5"


# --------------------------------------------------------------------------- validate


def test_validate_accepts_a_store_and_is_quiet_off_a_terminal(store_dir, seed_ttl):
    result = run("validate", store_dir)
    assert result.exit_code == 0, result.output
    pattern = rf"{re.escape(str(store_dir))}: conforms to the SHACL shapes \((\d+) triples\)\n"
    triples = re.fullmatch(pattern, result.stdout)
    assert triples is not None, result.stdout
    assert result.stderr == ""
    from_file = run("validate", seed_ttl)  # the same graph as a file: the same triples
    assert from_file.stdout == f"{seed_ttl}: conforms to the SHACL shapes ({triples.group(1)} triples)\n"


def test_validate_shows_progress_on_a_terminal(store_dir):
    import pty

    leader, follower = pty.openpty()
    env = _env(TERM="xterm", COLUMNS="100")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ctn_graph.cli", "validate", str(store_dir)],
        stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    text = seen.decode("utf-8", "replace")
    assert re.search(r"checking \d+ triples against the SHACL shapes", text), text
    assert "conforms to the SHACL shapes" in text


# --------------------------------------------------------------------------- serve


def test_serve_tells_a_taken_port_on_one_line(store_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--graph", store_dir, "--port", port)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: 127.0.0.1:{port}: the port is taken (another program listens there); "
        "stop it or choose another with --port\n"
    )


def test_serve_says_where_its_endpoint_and_its_yasgui_page_are(store_dir, monkeypatch):
    import ctn_graph.sparql.serve as serve

    monkeypatch.setattr(serve._Server, "serve_forever", lambda self, poll_interval=0.5: None)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    result = run("serve", "--graph", store_dir, "--port", port)
    assert result.exit_code == 0, result.output
    base = f"http://127.0.0.1:{port}"
    assert f"SPARQL endpoint: {base}/query" in result.stderr
    assert f"YASGUI: {base}/  (a query page served from here; open it in your browser)" in result.stderr
    assert "CORS" not in result.stderr
    cors = run("serve", "--graph", store_dir, "--port", port, "--cors")
    assert f"CORS is on: a YASGUI or any web page elsewhere may query {base}/query too" in cors.stderr
    everywhere = run("serve", "--graph", store_dir, "--port", port, "--host", "0.0.0.0")
    assert "YASGUI: http://127.0.0.1:" in everywhere.stderr  # a browser here uses the loopback address

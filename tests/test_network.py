"""The network views, measures, exports and page: what the documents say, in networkx form.

No browser here (tests/test_viz_browser.py opens the page); the seed graph is built once
per session in memory (tests/conftest.py).
"""

from __future__ import annotations

import csv
import json
import re

import networkx as nx
import pytest
import typer
from typer.testing import CliRunner

from ctn_graph.cli.network import register
from ctn_graph.networks.analyse import analyse, save_csv
from ctn_graph.networks.model import NetworkError, View, build_network, load_model
from ctn_graph.networks.netexport import csv_paths, safe_cell, write_network
from ctn_graph.networks.viz import PHYSICS_MAX_NODES, page_data, render_html

from .conftest import SEEDS

LT_IEM = "Lietuvas Republikas Iekšlietu ministrija"
LV_IEM = "Iekšlietu ministrija"
MOLDOVA = "Uzlabojot Moldovas spējas cilvēku tirdzniecības apkarošanā"
ICMPD = "Starptautiskais Migrācijas politikas attīstības centrs"
XSS_LABEL = "<img src=x onerror=alert(1)>"
XSS_SENTENCE = "</script><script>alert(2)</script> & \u2028"


@pytest.fixture(scope="module")
def model(seed_store):
    return load_model(seed_store)


@pytest.fixture(scope="module")
def full(seed_store, model):
    return build_network(seed_store, View.FULL, model=model)


@pytest.fixture(scope="module")
def document_texts():
    return {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}


def node(g: nx.Graph, label: str) -> str:
    found = [n for n, d in g.nodes(data=True) if d["label"] == label]
    assert len(found) == 1, f"{label!r}: {found}"
    return found[0]


def test_copartnership_links_the_lithuanian_and_latvian_ministries_through_the_moldova_project(seed_store, model):
    g = build_network(seed_store, View.COPARTNERSHIP, model=model)
    lt, lv = node(g, LT_IEM), node(g, LV_IEM)
    assert g.has_edge(lt, lv)
    edge = g.edges[lt, lv]
    assert MOLDOVA in edge["projects"] and edge["weight"] == len(edge["projects"])
    assert edge["relation"] == "coPartner" and 2018 in edge["years"]
    assert any(ev["project"] == MOLDOVA for ev in edge["evidence"])
    assert any("Latvijas Republikas Iekšlietu ministrij" in ev["sentence"] for ev in edge["evidence"])
    assert all(
        d["class"] in {"Ministry", "PublicBody", "NGO", "InternationalOrganisation", "Company"}
        for _, d in g.nodes(data=True)
    )


# Written for these tests: project A is led by org 1 (stated only as lead partner), with org 2
# as a partner and its supporter too, and org 3 as its funder; project B has orgs 1 and 2 as
# partners; project C has org 4 alone; a person works for org 1.
COPARTNERS_TTL = """
@prefix ctn: <https://w3id.org/ctn/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix x: <https://w3id.org/ctn/id/test/> .
x:pa a ctn:Project ; skos:prefLabel "Projekts A"@lv ;
    ctn:leadPartner x:o1 ; ctn:partner x:o2 ; ctn:supportedBy x:o2 ; ctn:fundedBy x:o3 .
x:pb a ctn:Project ; skos:prefLabel "Projekts B"@lv ; ctn:partner x:o1, x:o2 .
x:pc a ctn:Project ; skos:prefLabel "Projekts C"@lv ; ctn:partner x:o4 .
x:o1 a ctn:NGO, ctn:Organisation ; skos:prefLabel "Biedrība Pirmā"@lv .
x:o2 a ctn:PublicBody, ctn:Organisation ; skos:prefLabel "Otrā iestāde"@lv .
x:o3 a ctn:InternationalOrganisation, ctn:Organisation ; skos:prefLabel "Trešais fonds"@lv .
x:o4 a ctn:NGO, ctn:Organisation ; skos:prefLabel "Ceturtā biedrība"@lv .
x:p1 a ctn:Person ; skos:prefLabel "Anna Ozola"@lv ; ctn:affiliation x:o1 .
"""


def copartner_pairs(store) -> tuple[dict[frozenset[str], int], dict[frozenset[str], int]]:
    """The pairs and shared projects of the library query, and of the view, on one store."""
    from ctn_graph.sparql.query import load_library

    text = load_library()["co-partnership-network"].text
    query = {
        frozenset({r["a"].value, r["b"].value}): int(r["sharedProjects"].value)
        for r in store.query(text, use_default_graph_as_union=True)
    }
    g = build_network(store, View.COPARTNERSHIP)
    view = {frozenset({u, v}): w for u, v, w in g.edges(data="weight")}
    return query, view


def test_copartnership_view_and_query_agree(seed_store):
    query, view = copartner_pairs(seed_store)
    assert query == view and len(view) > 7
    # ICMPD funds the Moldova project and MPF supports it: they count as co-partners of its ministries
    labels = {n: d["label"] for n, d in build_network(seed_store, View.COPARTNERSHIP).nodes(data=True)}
    named = {frozenset(labels[x] for x in pair) for pair in view}
    assert frozenset({ICMPD, LV_IEM}) in named


def test_copartnership_counts_every_project_role_once_per_pair():
    import pyoxigraph as ox

    store = ox.Store()
    store.load(COPARTNERS_TTL, format=ox.RdfFormat.TURTLE)
    query, view = copartner_pairs(store)
    x = "https://w3id.org/ctn/id/test/"
    expected = {
        frozenset({x + "o1", x + "o2"}): 2,  # projects A and B, whatever the roles
        frozenset({x + "o1", x + "o3"}): 1,  # the funder of A
        frozenset({x + "o2", x + "o3"}): 1,
    }
    assert query == expected
    assert view == expected


def test_funding_view_links_the_moldova_project_to_icmpd_with_the_sentence(seed_store, model):
    g = build_network(seed_store, View.FUNDING, model=model)
    project, icmpd = node(g, MOLDOVA), node(g, ICMPD)
    edge = g.edges[project, icmpd, "fundedBy"]
    assert edge["label"] == "funded by"
    assert any(
        "finansē Starptautiskais Migrācijas politikas attīstības centrs" in e["sentence"] for e in edge["evidence"]
    )
    assert g.nodes[icmpd]["funder"] is True
    assert g.has_edge(project, node(g, LT_IEM), "leadPartner")  # the funder's money reaches the lead partner


def test_every_edge_carries_evidence_sentences_taken_verbatim_from_its_documents(full, document_texts):
    assert full.number_of_edges() > 100
    for _, _, d in full.edges(data=True):
        assert d["evidence"], d
        for ev in d["evidence"]:
            assert ev["sentence"] in document_texts[ev["doc"]]
        assert d["years"] == sorted(d["years"])


def test_a_lead_partner_is_one_edge_not_two(full):
    project, lt = node(full, MOLDOVA), node(full, LT_IEM)
    assert set(full[project][lt]) == {"leadPartner"}


def test_node_attributes(full):
    lv = full.nodes[node(full, LV_IEM)]
    assert lv["class"] == "Ministry" and lv["country"] == "LV"
    assert lv["iri"].startswith("https://w3id.org/ctn/id/org/")
    assert lv["label_en"] and "IeM" in lv["alt"]
    assert lv["first_year"] <= lv["last_year"] and lv["docs"]
    assert lv["degree"] == len(set(nx.all_neighbors(full, lv["iri"])))
    assert full.nodes[node(full, "Latvija")]["class"] == "Country"


def test_ego_view_of_the_state_police_holds_its_anti_trafficking_unit(seed_store, model):
    g = build_network(seed_store, View.EGO, focus="Valsts policija", depth=1, model=model)
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert "Valsts policijas Cilvēku tirdzniecības apkarošanas nodaļa" in labels
    assert g.graph["title"] == "Ego network of Valsts policija, depth 1"
    deeper = build_network(seed_store, View.EGO, focus="Valsts policija", depth=2, model=model)
    assert deeper.number_of_nodes() > g.number_of_nodes()


@pytest.mark.parametrize(
    "name,label",
    [
        ("icmpd", ICMPD),
        ("https://w3id.org/ctn/id/org/icmpd", ICMPD),
        ("International Centre for Migration Policy Development", ICMPD),
        ("Valsts policijas", "Valsts policija"),  # a form seen in the text (hiddenLabel)
        ("Latvijas Republikas Iekšlietu ministrijas", LV_IEM),
    ],
)
def test_focus_by_acronym_iri_english_or_inflected_name(seed_store, model, full, name, label):
    g = build_network(seed_store, View.EGO, focus=name, model=model)
    assert g.graph["focus"] == node(full, label)


def test_unknown_and_ambiguous_focus_are_clear_errors(seed_store, model):
    with pytest.raises(NetworkError, match="no actor named"):
        build_network(seed_store, View.EGO, focus="Nav tāda", model=model)
    with pytest.raises(NetworkError, match="names .* actors"):
        build_network(seed_store, View.EGO, focus="ministrij", model=model)
    with pytest.raises(NetworkError, match="needs --focus"):
        build_network(seed_store, View.EGO, model=model)


def test_year_slice_keeps_relations_of_that_year_with_that_years_evidence(seed_store, model, full):
    years = sorted({y for _, _, ys in full.edges(data="years") for y in ys})
    assert len(years) > 1
    g = build_network(seed_store, View.FULL, year=years[0], model=model)
    assert 0 < g.number_of_edges() < full.number_of_edges()
    assert all(ys == [years[0]] for _, _, ys in g.edges(data="years"))
    assert all(years[0] in model.doc_years[ev["doc"]] for _, _, evs in g.edges(data="evidence") for ev in evs)
    assert g.graph["title"] == f"Full network, {years[0]}"
    with pytest.raises(NetworkError, match="years: " + ", ".join(map(str, years))):
        build_network(seed_store, View.FULL, year=1999, model=model)


def test_louvain_communities_are_deterministic(seed_store, full):
    first = analyse(full, with_countries=True)
    again = analyse(build_network(seed_store, View.FULL), with_countries=True)
    assert first.communities == again.communities and len(first.communities) > 1
    assert first.modularity == pytest.approx(again.modularity)
    top = first.top("degree", 1)[0]
    assert top.degree == max(len(set(nx.all_neighbors(full, n))) for n in full)
    assert top.label == "Latvija"  # most of the documents' organisations and projects are Latvian
    broker = first.top("betweenness", 3)
    assert MOLDOVA in {m.label for m in broker}
    assert all(0.0 <= m.participation <= 1.0 for m in first.measures)
    assert len(first.components) >= 1 and sum(map(len, first.components)) == first.nodes


def test_country_links_are_left_out_of_the_measures_unless_asked(full):
    latvija = node(full, "Latvija")
    country_links = [e for e in full.edges(data="relation") if e[2] == "country"]
    assert len(country_links) > 10
    kept = analyse(full, with_countries=True)
    assert kept.top("betweenness", 1)[0].label == "Latvija" and kept.left_out == 0
    default = analyse(full)
    assert default.left_out == len(country_links)
    assert default.view_nodes == full.number_of_nodes() and default.view_links == full.number_of_edges()
    assert default.links == full.number_of_edges() - len(country_links)
    assert default.top("betweenness", 1)[0].label != "Latvija"
    measured = {m.node: m for m in default.measures}
    # Latvija stays (it is a participant country of projects) with its other links only
    others = {v for u, v, r in full.edges(latvija, data="relation") if r != "country"}
    others |= {u for u, v, r in full.in_edges(latvija, data="relation") if r != "country"}
    assert measured[latvija].degree == len(others) < kept.top("degree", 1)[0].degree
    # a country linked only by ctn:country is not measured as an isolated actor
    assert all(m.degree > 0 for m in default.measures)


def test_measures_csv_is_whole_and_safe_for_spreadsheets(tmp_path):
    g = nx.Graph()
    g.add_node("a", label="=HYPERLINK(1)", **{"class": "NGO"})
    g.add_node("b", label="+b", **{"class": "NGO"})
    g.add_node("c", label="@c", **{"class": "NGO"})
    g.add_edges_from([("a", "b"), ("b", "c")])
    out = tmp_path / "m.csv"
    save_csv(analyse(g), out, by="betweenness")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["label"] for r in rows] == ["'+b", "'=HYPERLINK(1)", "'@c"]
    assert rows[0]["rank"] == "1" and float(rows[0]["betweenness"]) == 1.0
    assert safe_cell("-x") == "'-x" and safe_cell("x-") == "x-"


@pytest.mark.parametrize("ext,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_round_trip(tmp_path, full, ext, reader):
    path = tmp_path / f"net.{ext}"
    write_network(full, path)
    back = reader(path)
    assert back.number_of_nodes() == full.number_of_nodes()
    assert back.number_of_edges() == full.number_of_edges()
    lv = node(full, LV_IEM)
    assert back.nodes[lv]["label"] == LV_IEM
    evidence = [json.loads(d["evidence"]) for _, _, d in back.edges(data=True)]
    assert all(ev and ev[0]["sentence"] for ev in evidence)


def test_csv_export_writes_a_node_list_and_an_edge_list(tmp_path, seed_store, model):
    g = build_network(seed_store, View.COPARTNERSHIP, model=model)
    paths = write_network(g, tmp_path / "cop.csv")
    assert paths == list(csv_paths(tmp_path / "cop.csv")) == [tmp_path / "cop-nodes.csv", tmp_path / "cop-edges.csv"]
    nodes = list(csv.DictReader(paths[0].open(encoding="utf-8")))
    edges = list(csv.DictReader(paths[1].open(encoding="utf-8")))
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    moldova = [e for e in edges if e["projects"] == MOLDOVA]
    assert len(moldova) >= 3 and all(e["sentences"].startswith("[000_") for e in moldova)


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("x", iri="x", label=XSS_LABEL, label_en="", country="LV", **{"class": "NGO"}, alt=[], docs=[])
    g.add_node("p", iri="p", label="Projekts", label_en="", country="", **{"class": "Project"}, alt=[], docs=[])
    ev = [{"doc": "d<1>", "sentence": XSS_SENTENCE}]
    g.add_edge("p", "x", key="partner", relation="partner", label="partner", evidence=ev, years=[2018], weight=1)
    g.graph["title"] = "<b>view</b>"
    return g


def data_block(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="ctn-data">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


def test_the_page_needs_no_network(full):
    page = render_html(full)
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for value in re.findall(rf"<{tag}\b[^>]*\b{attr}\s*=\s*[\"']?([^\"' >]+)", page, re.I):
            assert not value.startswith(("http:", "https:", "//")), f"<{tag} {attr}={value}>"
    assert "<link" not in page
    assert "vis-network" in page and len(page) > 400_000  # vis-network is inlined
    assert "default-src 'none'" in page  # the CSP forbids fetching anything


def test_document_text_in_the_page_is_escaped(tmp_path):
    page = render_html(hostile_graph())
    assert XSS_LABEL not in page and "<img" not in page
    assert "<script>alert(2)" not in page and "</script><script>" not in page
    assert "\u2028" not in page
    assert "<title>ctn-graph: &lt;b&gt;view&lt;/b&gt;</title>" in page
    assert '<h1 id="title">&lt;b&gt;view&lt;/b&gt;</h1>' in page
    data = data_block(page)
    assert {n["label"] for n in data["nodes"]} == {XSS_LABEL, "Projekts"}
    assert data["edges"][0]["ev"] == [["d<1>", XSS_SENTENCE, ""]]
    assert ".innerHTML" not in page.split('id="ctn-data"')[1].split("</script>", 2)[2]  # our own script


def test_large_pages_have_positions_and_no_physics():
    g = nx.gnm_random_graph(PHYSICS_MAX_NODES + 100, 900, seed=1)
    nx.set_node_attributes(g, {n: f"org {n}" for n in g}, "label")
    nx.set_node_attributes(g, "NGO", "class")
    data = page_data(g, "big")
    assert data["options"]["physics"] == {"enabled": False}
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == g.number_of_nodes()
    small = page_data(hostile_graph(), "small")
    assert small["options"]["physics"]["enabled"] is True and "x" not in small["nodes"][0]


# ---- the commands ------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """ctn-graph (test app)"""

    register(app)
    return app


@pytest.mark.parametrize("command", ["viz", "analyse", "export-network"])
def test_every_network_command_has_help_with_an_example(app, command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: ctn-graph " + command in " ".join(result.output.split())


def test_viz_command_writes_the_page(app, seed_store, seed_ttl, tmp_path):
    funding = build_network(seed_store, View.FUNDING)
    out = tmp_path / "net.html"
    result = runner.invoke(app, ["viz", str(seed_ttl), "-o", str(out), "--view", "funding", "--size", "betweenness"])
    assert result.exit_code == 0, result.output
    assert f"Funding network, {funding.number_of_nodes()} actors" in result.output
    data = data_block(out.read_text(encoding="utf-8"))
    assert data["sizeBy"] == "betweenness" and len(data["nodes"]) == funding.number_of_nodes()
    result = runner.invoke(app, ["viz", str(seed_ttl), "-o", str(out), "--focus", "ICMPD", "--colour", "community"])
    assert result.exit_code == 0, result.output
    assert "Ego network of Starptautiskais" in result.output
    assert data_block(out.read_text(encoding="utf-8"))["communities"]


def test_viz_year_slice(app, seed_ttl, tmp_path):
    out = tmp_path / "y.html"
    result = runner.invoke(app, ["viz", str(seed_ttl), "-o", str(out), "--year", "2018"])
    assert result.exit_code == 0, result.output
    assert data_block(out.read_text(encoding="utf-8"))["years"] == [2018]


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["viz", "--focus", "Nav tāda"], 1, "no actor named 'Nav tāda'"),
        (["viz", "--view", "ego"], 1, "needs --focus"),
        (["viz", "--view", "sideways"], 2, "--view 'sideways'"),
        (["viz", "--size", "height"], 2, "--size 'height'"),
        (["viz", "--year", "1999"], 1, "no relation in this view is read from a document of 1999"),
        (["analyse", "--by", "luck"], 2, "--by 'luck'"),
        (["export-network", "-o", "net.png"], 2, "unknown network format '.png'"),
    ],
)
def test_command_errors_are_clear(app, seed_ttl, tmp_path, args, code, message):
    result = runner.invoke(
        app, [args[0], str(seed_ttl), *args[1:]] + (["-o", str(tmp_path / "x.html")] if args[0] == "viz" else [])
    )
    assert result.exit_code == code, result.output
    assert message in result.output


def test_missing_graph_is_a_clear_error(app, tmp_path):
    result = runner.invoke(app, ["analyse", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 1 and "no such graph file" in result.output


def test_analyse_command_prints_a_ranked_table_and_writes_csv(app, seed_store, full, seed_ttl, tmp_path):
    out = tmp_path / "measures.csv"
    result = runner.invoke(app, ["analyse", str(seed_ttl), "--top", "5", "-o", str(out), "--by", "betweenness"])
    assert result.exit_code == 0, result.output
    assert "Louvain communities" in result.output and "Latvija" in result.output
    table = [line for line in result.output.splitlines() if re.match(r"\s+\d+  ", line)]
    assert len(table) == 5 and table[0].split()[0] == "1"
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    measured = analyse(full)
    assert len(rows) == measured.nodes < full.number_of_nodes() and rows[0]["label"] != "Latvija"
    assert "ctn:country links left out of the measures; --with-countries keeps them" in result.output
    result = runner.invoke(app, ["analyse", str(seed_ttl), "-o", str(out), "--with-countries", "--by", "betweenness"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == full.number_of_nodes() and rows[0]["label"] == "Latvija"
    assert "left out" not in result.output


@pytest.mark.parametrize("view", ["full", "copartnership", "funding"])
@pytest.mark.parametrize("corpus", ["seeds", "small"])
def test_analyse_reports_the_links_viz_and_export_report(app, seed_ttl, tmp_path, view, corpus):
    graph = seed_ttl
    if corpus == "small":  # project A has org 2 as partner and as supporter: two links, one pair
        graph = tmp_path / "small.ttl"
        graph.write_text(COPARTNERS_TTL, encoding="utf-8")
    counts = re.compile(r"(\d+) actors, (\d+) links")
    shown = runner.invoke(app, ["viz", str(graph), "--view", view, "-o", str(tmp_path / "v.html")])
    exported = runner.invoke(app, ["export-network", str(graph), "--view", view, "-o", str(tmp_path / "v.gexf")])
    measured = runner.invoke(app, ["analyse", str(graph), "--view", view])
    assert shown.exit_code == exported.exit_code == measured.exit_code == 0, measured.output
    found = [counts.search(r.output) for r in (shown, exported, measured)]
    assert all(found)
    assert found[0].groups() == found[1].groups() == found[2].groups()


def test_export_network_command(app, seed_store, seed_ttl, tmp_path):
    out = tmp_path / "cop.gexf"
    result = runner.invoke(app, ["export-network", str(seed_ttl), "-o", str(out), "--view", "copartnership"])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(out).number_of_nodes() == build_network(seed_store, View.COPARTNERSHIP).number_of_nodes()
    result = runner.invoke(app, ["export-network", str(seed_ttl), "-o", str(tmp_path / "n.csv")])
    assert result.exit_code == 0 and "n-nodes.csv" in result.output and "n-edges.csv" in result.output

"""GraphML and GEXF files that Gephi (and yEd, Cytoscape, igraph) read as they are meant:
XML Schema booleans, GEXF metadata, typed attribute columns and time spells from the
years of the documents, so that Gephi's timeline plays the network year by year.

The files are parsed as XML and checked against the rules of the formats that can be
checked without their schema files (attribute types, values of each type, spell dates),
and read back with networkx.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from ctn_graph.networks import netexport
from ctn_graph.networks.model import View, build_network
from ctn_graph.networks.netexport import write_network

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
GEXF_NS = "{http://gexf.net/1.3}"
GRAPHML_TYPES = {"boolean", "int", "long", "float", "double", "string"}
GEXF_TYPES = {"integer", "long", "double", "float", "boolean", "string", "liststring", "anyURI", "short", "byte"}
GEXF_TIMEFORMATS = {"integer", "double", "date", "dateTime"}


def check_value(kind: str, value: str) -> None:
    """A value as the declared GraphML or GEXF type wants it written."""
    if kind == "boolean":
        assert value in {"true", "false"}, value
    elif kind in {"int", "long", "integer", "short", "byte"}:
        assert re.fullmatch(r"-?\d+", value), value
    elif kind in {"float", "double"}:
        float(value)


@pytest.fixture(scope="module")
def views(seed_store):
    return {v: build_network(seed_store, v) for v in (View.FULL, View.COPARTNERSHIP)}


@pytest.fixture(scope="module")
def files(views, tmp_path_factory):
    folder = tmp_path_factory.mktemp("gephi")
    out = {}
    for view, g in views.items():
        for ext in ("graphml", "gexf"):
            path = folder / f"{view.value}.{ext}"
            write_network(g, path)
            out[(view, ext)] = path
    return out


# --------------------------------------------------------------------------- GraphML


def test_graphml_booleans_are_true_or_false_and_every_value_fits_its_type(files, views):
    root = ET.parse(files[(View.FULL, "graphml")]).getroot()
    keys = {k.get("id"): k for k in root.iter(f"{GRAPHML_NS}key")}
    assert {k.get("attr.type") for k in keys.values()} <= GRAPHML_TYPES
    booleans = {i for i, k in keys.items() if k.get("attr.type") == "boolean"}
    assert {keys[i].get("attr.name") for i in booleans} == {"funder"}
    values: set[str] = set()
    for data in root.iter(f"{GRAPHML_NS}data"):
        check_value(keys[data.get("key")].get("attr.type"), data.text or "")
        if data.get("key") in booleans:
            values.add(data.text or "")
    assert values == {"true", "false"}  # ICMPD funds a project; most actors do not
    back = nx.read_graphml(files[(View.FULL, "graphml")])
    funders = {d["label"] for _, d in back.nodes(data=True) if d["funder"] is True}
    assert funders == {d["label"] for _, d in views[View.FULL].nodes(data=True) if d["funder"]}
    assert funders


# --------------------------------------------------------------------------- GEXF


def gexf(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{GEXF_NS}gexf" and root.get("version") == "1.3"
    return root


def test_gexf_has_metadata(files, views):
    root = gexf(files[(View.FULL, "gexf")])
    meta = root.find(f"{GEXF_NS}meta")
    assert meta is not None
    dt.date.fromisoformat(meta.get("lastmodifieddate", ""))
    assert (meta.findtext(f"{GEXF_NS}creator") or "").startswith("ctn-graph ")
    g = views[View.FULL]
    description = meta.findtext(f"{GEXF_NS}description") or ""
    assert f"Full network: {g.number_of_nodes()} actors, {g.number_of_edges()} links" in description


def test_gexf_attributes_are_typed_and_every_value_fits_its_type(files):
    root = gexf(files[(View.FULL, "gexf")])
    graph = root.find(f"{GEXF_NS}graph")
    columns = {}
    for attributes in graph.findall(f"{GEXF_NS}attributes"):
        for a in attributes.findall(f"{GEXF_NS}attribute"):
            assert a.get("type") in GEXF_TYPES
            columns[(attributes.get("class"), a.get("id"))] = (a.get("title"), a.get("type"))
    types = {(cls, title): kind for (cls, _), (title, kind) in columns.items()}
    assert types[("node", "funder")] == "boolean"
    assert types[("node", "degree")] == types[("node", "first_year")] == types[("node", "last_year")] == "integer"
    assert types[("node", "class")] == types[("edge", "relation")] == "string"
    seen = set()
    for cls in ("node", "edge"):
        for item in graph.iter(f"{GEXF_NS}{cls}"):
            for v in item.iter(f"{GEXF_NS}attvalue"):
                title, kind = columns[(cls, v.get("for"))]
                check_value(kind, v.get("value", ""))
                seen.add((cls, title, v.get("value")))
    assert ("node", "funder", "true") in seen and ("node", "funder", "false") in seen
    for edge in graph.iter(f"{GEXF_NS}edge"):
        float(edge.get("weight", "1"))


def spells(item: ET.Element) -> list[tuple[str, str]]:
    return [(s.get("start", ""), s.get("end", "")) for s in item.iter(f"{GEXF_NS}spell")]


def years_of(spell_list: list[tuple[str, str]]) -> set[int]:
    out = set()
    for start, end in spell_list:
        a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        assert a <= b and (a.month, a.day) == (1, 1) and (b.month, b.day) == (12, 31)
        out |= set(range(a.year, b.year + 1))
    return out


@pytest.mark.parametrize("view", [View.FULL, View.COPARTNERSHIP])
def test_gexf_is_dynamic_with_the_years_of_the_evidence(files, views, view):
    g = views[view]
    graph = gexf(files[(view, "gexf")]).find(f"{GEXF_NS}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") in GEXF_TIMEFORMATS
    assert graph.get("timeformat") == "date"
    assert graph.get("defaultedgetype") == ("directed" if g.is_directed() else "undirected")
    edges = graph.findall(f"{GEXF_NS}edges/{GEXF_NS}edge")
    assert len(edges) == g.number_of_edges()
    links = g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True)
    expected = [set(d["years"]) for *_, d in links]
    assert sorted(map(sorted, (years_of(spells(e)) for e in edges))) == sorted(map(sorted, expected))
    assert any(years for years in expected)
    node_years = {n.get("id"): years_of(spells(n)) for n in graph.iter(f"{GEXF_NS}node")}
    for e in edges:  # a node is there whenever one of its dated links is
        ys = years_of(spells(e))
        for end in (e.get("source"), e.get("target")):
            assert ys <= node_years[end] or not node_years[end]
    if not g.is_multigraph():  # the co-partnership weight is the number of shared projects
        assert sorted(float(e.get("weight", "")) for e in edges) == sorted(float(w) for *_, w in g.edges(data="weight"))


def test_networkx_reads_the_gexf_back_with_its_spells(files, views):
    back = nx.read_gexf(files[(View.COPARTNERSHIP, "gexf")])
    g = views[View.COPARTNERSHIP]
    assert back.graph["mode"] == "dynamic"
    assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
    assert all(d["spells"] for *_, d in back.edges(data=True))
    assert {type(d["funder"]) for _, d in back.nodes(data=True)} == {bool}
    assert {type(d["degree"]) for _, d in back.nodes(data=True)} == {int}


def test_gexf_spells_join_consecutive_years_and_undated_links_are_always_there(tmp_path):
    g = nx.MultiDiGraph(title="Tests")
    g.add_node("p", label="Projekts", degree=3, funder=False)
    g.add_node("a", label="Biedrība A", degree=1, funder=True)
    g.add_node("b", label="Iestāde B", degree=1, funder=False)
    g.add_edge("p", "a", key="partner", relation="partner", years=[2016, 2017, 2019], weight=1)
    g.add_edge("p", "a", key="fundedBy", relation="fundedBy", years=[2017], weight=1)
    g.add_edge("p", "b", key="partner", relation="partner", years=[], weight=1)
    path = tmp_path / "t.gexf"
    write_network(g, path)
    graph = gexf(path).find(f"{GEXF_NS}graph")
    edges = {e.get("kind"): e for e in graph.iter(f"{GEXF_NS}edge") if e.get("target") == "a"}
    assert set(edges) == {"partner", "fundedBy"}  # parallel links of two relations stay two links
    assert spells(edges["partner"]) == [("2016-01-01", "2017-12-31"), ("2019-01-01", "2019-12-31")]
    assert spells(edges["fundedBy"]) == [("2017-01-01", "2017-12-31")]
    nodes = {n.get("id"): n for n in graph.iter(f"{GEXF_NS}node")}
    assert years_of(spells(nodes["a"])) == {2016, 2017, 2019}
    undated = next(e for e in graph.iter(f"{GEXF_NS}edge") if e.get("target") == "b")
    assert spells(undated) == [] and spells(nodes["b"]) == [] and spells(nodes["p"]) == []


def test_a_graph_with_no_dates_is_static(tmp_path):
    g = nx.Graph()
    g.add_edge("a", "b", weight=2)
    write_network(g, tmp_path / "s.gexf")
    graph = gexf(tmp_path / "s.gexf").find(f"{GEXF_NS}graph")
    assert graph.get("mode") == "static" and graph.get("timeformat") is None
    assert nx.read_gexf(tmp_path / "s.gexf").number_of_edges() == 1


def test_gexf_is_the_same_file_for_the_same_graph_and_date(files, views, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")  # 2020-01-01
    write_network(views[View.FULL], tmp_path / "a.gexf")
    write_network(views[View.FULL], tmp_path / "b.gexf")
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()
    meta = gexf(tmp_path / "a.gexf").find(f"{GEXF_NS}meta")
    assert meta.get("lastmodifieddate") == "2020-01-01"


def test_characters_xml_cannot_hold_are_replaced_in_both_files(tmp_path):
    g = nx.MultiDiGraph(title="Skats\ufffe")
    g.add_node("org/a\uffff", label="Saule\x01\ufffemāja", degree=1, funder=True)
    g.add_node("org/b", label="Biedrība", degree=1, funder=False)
    g.add_edge("org/a\uffff", "org/b", key="partner\x02", relation="partner", years=[2018], weight=1)
    for ext, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"h.{ext}"
        write_network(g, path)
        ET.parse(path)  # well-formed
        labels = {d["label"] for _, d in read(path).nodes(data=True)}
        assert labels == {"Saule\ufffd\ufffdmāja", "Biedrība"}


def test_a_failed_gexf_write_leaves_the_old_file(tmp_path, views, monkeypatch):
    path = tmp_path / "old.gexf"
    path.write_bytes(b"old")

    def broken(self, f, *args, **kwargs):
        f.write(b"<gexf")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ET.ElementTree, "write", broken)
    with pytest.raises(OSError):
        netexport.write_gexf(views[View.FULL], path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["old.gexf"]

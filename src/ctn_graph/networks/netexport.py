"""Network views as files for other tools: GraphML, GEXF (Gephi) and CSV node/edge lists.

The format follows the extension. `.csv` writes two files beside each other:
`NAME-nodes.csv` and `NAME-edges.csv`. Lists (evidence, years, names) become text:
years and names joined with "; ", evidence as JSON in GraphML/GEXF and as documents and
sentences columns in CSV. Every file is written whole or not at all.

GraphML booleans are `true`/`false` (XML Schema's, as `attr.type="boolean"` asks).
GEXF is written here (GEXF 1.3, what Gephi 0.9.3 and later read and write): graph
metadata (`<meta lastmodifieddate>`, creator, description), typed attribute columns
(`integer`, `double`, `boolean`, `string`), colours by class and sizes by degree, and,
when any link is dated, a dynamic graph (`mode="dynamic"`, `timeformat="date"`) whose
edges carry `<spells>` from the years of the documents they are read from (a year is
`YYYY-01-01` to `YYYY-12-31`, consecutive years one spell) and whose nodes carry the
years of their links, so Gephi's timeline plays the network year by year. An undated
link, and a node with one, is there at all times.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("a", label="=SUM(A1)", years=[2018, 2020])
>>> flat = flatten(g)
>>> flat.nodes["a"]
{'label': '=SUM(A1)', 'years': '2018; 2020'}
>>> safe_cell("=SUM(A1)"), safe_cell("-1"), safe_cell("Valsts policija")
("'=SUM(A1)", "'-1", 'Valsts policija')
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter

from ..common.chars import xml_safe
from ..rdf.export import atomic_output

_RISKY = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet shows and never runs: a leading = + - @ (or tab, CR) gets an apostrophe."""
    return "'" + text if text.startswith(_RISKY) else text


class NetFormat(str, enum.Enum):
    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"

    @classmethod
    def from_path(cls, path: Path) -> NetFormat:
        ext = path.suffix.lower().lstrip(".")
        try:
            return cls(ext)
        except ValueError:
            raise ValueError(f"{path}: unknown network format {path.suffix!r} (use .graphml, .gexf or .csv)") from None


def _text(value: Any, key: str) -> Any:
    if key == "evidence":
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value


def _xml(value: Any) -> Any:
    return xml_safe(value) if isinstance(value, str) else value


def _scalar_attrs(d: dict[str, Any]) -> dict[str, Any]:
    return {k: _xml(_text(v, k)) for k, v in d.items() if v is not None and not isinstance(v, dict)}


def flatten(g: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all str, int, float or bool (what GraphML and GEXF hold),
    with no character XML 1.0 cannot hold (U+FFFD instead; chars.xml_safe), in the
    attributes and the node ids alike: the graph may come from another tool."""
    out = g.__class__()
    out.graph.update(_scalar_attrs(dict(g.graph)))
    for n, d in g.nodes(data=True):
        out.add_node(_xml(n), **_scalar_attrs(d))
    if g.is_multigraph():
        for u, v, k, d in g.edges(keys=True, data=True):
            out.add_edge(_xml(u), _xml(v), key=_xml(k), **_scalar_attrs(d))
    else:
        for u, v, d in g.edges(data=True):
            out.add_edge(_xml(u), _xml(v), **_scalar_attrs(d))
    return out


class _GraphMLWriter(GraphMLWriter):
    """networkx's writer, with booleans as XML Schema writes them (it writes `True`)."""

    def add_data(self, name: str, element_type: Any, value: Any, scope: str = "all", default: Any = None) -> Any:
        element = super().add_data(name, element_type, value, scope, default)
        if element_type is bool:
            element.text = "true" if value in (True, "True", "true") else "false"
        return element


def write_graphml(g: nx.Graph, path: Path) -> None:
    writer = _GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(flatten(g))
    with atomic_output(path) as f:
        writer.dump(f)


GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ_NS = "http://gexf.net/1.3/viz"
GEXF_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
GEXF_SCHEMA = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
_ELEMENT_KEYS = {"node": ("label",), "edge": ("label", "weight")}  # written on the element itself


def _gexf_type(values: Iterable[Any]) -> str:
    kinds = {type(v) for v in values}
    if kinds == {bool}:
        return "boolean"
    if kinds and kinds <= {int}:
        return "integer"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _gexf_value(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


def _years_of(value: Any) -> set[int]:
    """The years of an edge's `years` (a graph from another tool may hold anything there)."""
    if not isinstance(value, (list, tuple, set)):
        value = [value] if value is not None else []
    out = set()
    for y in value:
        if isinstance(y, int) and not isinstance(y, bool) and 1 <= y <= 9999:
            out.add(y)
        elif isinstance(y, str) and y.strip().isascii() and y.strip().isdigit() and 1 <= int(y) <= 9999:
            out.add(int(y))
    return out


def _spells(years: Iterable[int]) -> list[tuple[str, str]]:
    """Years as date spells, consecutive years joined: [2016, 2017, 2019] -> 2016-01-01..2017-12-31, 2019."""
    ys = sorted(set(years))
    out: list[list[int]] = []
    for y in ys:
        if out and y == out[-1][1] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return [(f"{a:04d}-01-01", f"{b:04d}-12-31") for a, b in out]


def _modified_date() -> str:
    """Today (UTC), or the day of SOURCE_DATE_EPOCH when it is set, for files that build reproducibly."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def _description(g: nx.Graph, years: list[int]) -> str:
    title = str(g.graph.get("title") or g.graph.get("view") or "Network")
    text = f"{title}: {g.number_of_nodes()} actors, {g.number_of_edges()} links"
    if years:
        span = str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
        text += f", read from documents of {span} (spells: the years of the documents behind each link)"
    return text + ". Written by ctn-graph from the knowledge graph's evidence."


def _attributes(graph_el: ET.Element, cls: str, rows: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """The typed columns of nodes or edges: {name: (id, type)}."""
    names = sorted({k for d in rows for k in d if k not in _ELEMENT_KEYS[cls]})
    if not names:
        return {}
    el = ET.SubElement(graph_el, "attributes", {"class": cls, "mode": "static"})
    columns = {}
    for i, name in enumerate(names):
        kind = _gexf_type(d[name] for d in rows if name in d)
        ident = f"{cls[0]}{i}"
        ET.SubElement(el, "attribute", {"id": ident, "title": name, "type": kind})
        columns[name] = (ident, kind)
    return columns


def _attvalues(parent: ET.Element, d: dict[str, Any], columns: dict[str, tuple[str, str]]) -> None:
    items = sorted((columns[k], v) for k, v in d.items() if k in columns)
    if items:
        el = ET.SubElement(parent, "attvalues")
        for (ident, kind), v in items:
            ET.SubElement(el, "attvalue", {"for": ident, "value": _gexf_value(v, kind)})


def _add_spells(parent: ET.Element, spells: list[tuple[str, str]]) -> None:
    if spells:
        el = ET.SubElement(parent, "spells")
        for start, end in spells:
            ET.SubElement(el, "spell", {"start": start, "end": end})


def _colour(cls: Any) -> dict[str, str]:
    from .styles import CLASS_STYLES

    colour = CLASS_STYLES.get(str(cls or ""), CLASS_STYLES["Organisation"])["color"].lstrip("#")
    r, g, b = (str(int(colour[i : i + 2], 16)) for i in (0, 2, 4))
    return {"r": r, "g": g, "b": b, "a": "1.0"}


def _edge_list(g: nx.Graph) -> list[tuple[Any, Any, Any, dict[str, Any]]]:
    if g.is_multigraph():
        return list(g.edges(keys=True, data=True))
    return [(u, v, None, d) for u, v, d in g.edges(data=True)]


def gexf_tree(g: nx.Graph) -> ET.ElementTree:
    """The GEXF 1.3 document of a network view (see the module's notes)."""
    flat = flatten(g)
    edge_years = [_years_of(d.get("years")) for *_, d in _edge_list(g)]
    node_years: dict[Any, set[int] | None] = {n: set() for n in g}  # None: at all times
    for (u, v, _, _), ys in zip(_edge_list(g), edge_years, strict=True):
        for n in (u, v):
            have = node_years[n]
            node_years[n] = None if have is None or not ys else have | ys
    all_years = sorted({y for ys in edge_years for y in ys})

    from ..common.resources import __version__

    root = ET.Element(
        "gexf",
        {
            "xmlns": GEXF_NS,
            "xmlns:viz": GEXF_VIZ_NS,
            "xmlns:xsi": GEXF_XSI_NS,
            "xsi:schemaLocation": GEXF_SCHEMA,
            "version": "1.3",
        },
    )
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": _modified_date()})
    ET.SubElement(meta, "creator").text = f"ctn-graph {__version__}"
    ET.SubElement(meta, "description").text = xml_safe(_description(g, all_years))
    graph_attrs = {"defaultedgetype": "directed" if g.is_directed() else "undirected", "mode": "static"}
    if all_years:
        graph_attrs.update(mode="dynamic", timeformat="date", timerepresentation="interval")
    graph_el = ET.SubElement(root, "graph", graph_attrs)
    flat_edges = _edge_list(flat)
    node_cols = _attributes(graph_el, "node", [d for _, d in flat.nodes(data=True)])
    edge_cols = _attributes(graph_el, "edge", [d for *_, d in flat_edges])
    nodes_el = ET.SubElement(graph_el, "nodes")
    for (n, d), orig in zip(flat.nodes(data=True), g, strict=True):
        el = ET.SubElement(nodes_el, "node", {"id": str(n), "label": str(d.get("label", n))})
        _attvalues(el, d, node_cols)
        _add_spells(el, _spells(node_years[orig] or ()))
        ET.SubElement(el, "viz:color", _colour(d.get("class")))  # the prefix is declared on <gexf>
        size = 5.0 + 2.0 * float(d.get("degree", 1) or 0)
        ET.SubElement(el, "viz:size", {"value": repr(size)})
    edges_el = ET.SubElement(graph_el, "edges")
    for i, ((u, v, k, d), ys) in enumerate(zip(flat_edges, edge_years, strict=True)):
        attrs = {"id": str(i), "source": str(u), "target": str(v)}
        if "label" in d:
            attrs["label"] = str(d["label"])
        if k is not None:
            attrs["kind"] = str(k)  # parallel links of different relations stay apart in Gephi
        weight = d.get("weight")
        if isinstance(weight, (int, float)) and not isinstance(weight, bool):
            attrs["weight"] = repr(float(weight))
        el = ET.SubElement(edges_el, "edge", attrs)
        _attvalues(el, d, edge_cols)
        _add_spells(el, _spells(ys))
    ET.indent(root)
    return ET.ElementTree(root)


def write_gexf(g: nx.Graph, path: Path) -> None:
    tree = gexf_tree(g)
    with atomic_output(path) as f:
        tree.write(f, encoding="utf-8", xml_declaration=True)


NODE_COLUMNS = ["id", "label", "label_en", "class", "country", "first_year", "last_year", "degree", "funder"]
EDGE_COLUMNS = ["source", "target", "source_label", "target_label", "relation", "label", "weight", "years"]


def csv_paths(path: Path) -> tuple[Path, Path]:
    """net.csv -> (net-nodes.csv, net-edges.csv)."""
    stem = path.with_suffix("")
    return stem.with_name(stem.name + "-nodes.csv"), stem.with_name(stem.name + "-edges.csv")


def _row(values: Iterable[Any]) -> list[Any]:
    out = []
    for v in values:
        if v is None:
            out.append("")
        elif isinstance(v, str):
            out.append(safe_cell(v))
        else:
            out.append(v)
    return out


def write_csv_pair(g: nx.Graph, path: Path) -> tuple[Path, Path]:
    """The node list and the edge list; with documents and sentences (one per line) for each edge."""
    nodes_path, edges_path = csv_paths(path)
    extra_nodes = ["projects"] if any("projects" in d for _, d in g.nodes(data=True)) else []
    with atomic_output(nodes_path, "w") as fn, atomic_output(edges_path, "w") as fe:
        wn = csv.writer(fn, lineterminator="\n")
        wn.writerow([*NODE_COLUMNS, *extra_nodes, "alt", "docs"])
        for n, d in g.nodes(data=True):
            wn.writerow(
                _row(
                    [
                        n,
                        *(d.get(c) for c in NODE_COLUMNS[1:]),
                        *(d.get(c) for c in extra_nodes),
                        "; ".join(d.get("alt", ())),
                        "; ".join(d.get("docs", ())),
                    ]
                )
            )
        we = csv.writer(fe, lineterminator="\n")
        we.writerow([*EDGE_COLUMNS, "projects", "documents", "sentences"])
        for u, v, d in g.edges(data=True):
            evidence = d.get("evidence", [])
            we.writerow(
                _row(
                    [
                        u,
                        v,
                        g.nodes[u].get("label", ""),
                        g.nodes[v].get("label", ""),
                        d.get("relation"),
                        d.get("label"),
                        d.get("weight", 1),
                        "; ".join(map(str, d.get("years", ()))),
                        "; ".join(d.get("projects", ())),
                        "; ".join(sorted({e["doc"] for e in evidence})),
                        "\n".join(f"[{e['doc']}] {e['sentence']}" for e in evidence),
                    ]
                )
            )
    return nodes_path, edges_path


def write_network(g: nx.Graph, path: Path, fmt: NetFormat | None = None) -> list[Path]:
    """Write a network view; the format follows the extension. Returns the files written."""
    fmt = fmt or NetFormat.from_path(path)
    if fmt is NetFormat.GRAPHML:
        write_graphml(g, path)
    elif fmt is NetFormat.GEXF:
        write_gexf(g, path)
    else:
        return list(write_csv_pair(g, path))
    return [path]

"""Network views as files for other tools: GraphML, GEXF (Gephi) and CSV node/edge lists.

The format follows the extension. `.csv` writes two files beside each other:
`NAME-nodes.csv` and `NAME-edges.csv`. Lists (evidence, years, names) become text:
years and names joined with "; ", evidence as JSON in GraphML/GEXF and as documents and
sentences columns in CSV. Every file is written whole or not at all.

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
import enum
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from .chars import xml_safe
from .export import atomic_output

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


def _with_gephi_look(g: nx.Graph) -> nx.Graph:
    """Colours by class and sizes by degree, in GEXF's viz namespace, so Gephi opens it styled."""
    from .viz import CLASS_STYLES

    for _, d in g.nodes(data=True):
        colour = CLASS_STYLES.get(d.get("class", ""), CLASS_STYLES["Organisation"])["color"].lstrip("#")
        r, gr, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
        d["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}, "size": 5.0 + 2.0 * float(d.get("degree", 1))}
    return g


def write_graphml(g: nx.Graph, path: Path) -> None:
    with atomic_output(path) as f:
        nx.write_graphml(flatten(g), f, encoding="utf-8", prettyprint=True)


def write_gexf(g: nx.Graph, path: Path) -> None:
    flat = _with_gephi_look(flatten(g))
    with atomic_output(path) as f:
        nx.write_gexf(flat, f, encoding="utf-8", prettyprint=True)


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

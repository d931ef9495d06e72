"""The network page: one self-contained HTML file (vis-network inlined, no network access).

The page is written from our own template (`templates/network.html`), not pyvis's:
pyvis's template links a CDN for its menus and puts HTML strings into tooltips. pyvis
gives us vis-network's files and its physics settings. The nodes and edges go into the
page as JSON inside a `<script type="application/json">` block, escaped so that no text
from the documents can close the block; the page's own script builds every label,
tooltip and panel with `textContent`, so document text is never read as HTML.

Past `PHYSICS_MAX_NODES` nodes the positions are computed here (Louvain communities
laid out as discs, hubs in the middle) and physics is off, so large graphs draw at once.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("x", label="<img src=x onerror=alert(1)>", **{"class": "NGO"})
>>> page = render_html(g, title="A </title> test")
>>> "<img src=x" in page, "\\\\u003cimg src=x" in page, "A &lt;/title&gt; test" in page
(False, True, True)
"""

from __future__ import annotations

import enum
import html
import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from .styles import CLASS_STYLES, COMMUNITY_PALETTE, OTHER_COMMUNITY, RELATION_STYLES

PHYSICS_MAX_NODES = 400
EDGE_LABELS_MAX_EDGES = 60
ARROWS_MAX_EDGES = 2000  # arrowheads are most of vis-network's drawing time on large graphs
VIS_VERSION = "9.1.2"


class SizeBy(str, enum.Enum):
    DEGREE = "degree"
    BETWEENNESS = "betweenness"
    EIGENVECTOR = "eigenvector"


class ColourBy(str, enum.Enum):
    CLASS = "class"
    COMMUNITY = "community"


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, from the copy pyvis ships."""
    import pyvis

    base = Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"
    js = (base / "vis-network.min.js").read_text(encoding="utf-8")
    css = (base / "vis-network.css").read_text(encoding="utf-8")
    # Inlined, a "</script" or "</style" would end the element early; neither file has one,
    # and this keeps it so if pyvis ever ships one that does.
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.I), re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no <, >, & or line separators as such."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def physics_options(n_nodes: int) -> dict[str, Any]:
    """vis-network physics: pyvis's ForceAtlas2 settings while the graph is small, off past that."""
    if n_nodes > PHYSICS_MAX_NODES:
        return {"enabled": False}
    from pyvis.physics import Physics

    physics = Physics()
    physics.use_force_atlas_2based(
        {
            "gravity": -70,
            "central_gravity": 0.012,
            "spring_length": 130,
            "spring_strength": 0.05,
            "damping": 0.5,
            "overlap": 0.7,
        }
    )
    physics.stabilization.iterations = 600
    physics.stabilization.updateInterval = 50
    options: dict[str, Any] = json.loads(physics.to_json())
    options["minVelocity"] = 1.0
    return options


def vis_options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    big = n_nodes > PHYSICS_MAX_NODES
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
        "physics": physics_options(n_nodes),
        "interaction": {
            "hover": True,
            "tooltipDelay": 3_600_000,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 13, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": 5}},
        },
        "edges": {
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "font": {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3},
            "selectionWidth": 1.5,
            "hoverWidth": 1.5,
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}},
        },
    }


def community_layout(g: nx.Graph, parts: list[set[str]], spacing: float = 26.0) -> dict[str, tuple[float, float]]:
    """Each community a disc of nodes (hubs in the middle), the discs on a sunflower spiral,
    largest in the centre. Linear in the size of the graph."""
    golden = math.pi * (3.0 - math.sqrt(5.0))
    degree = dict(g.degree())
    pos: dict[str, tuple[float, float]] = {}
    placed_area = 0.0
    for k, part in enumerate(parts):
        n = len(part)
        disc = spacing * math.sqrt(n) * 0.6
        if k == 0:
            cx = cy = 0.0
        else:
            r = math.sqrt(placed_area / math.pi) + disc + spacing
            cx, cy = r * math.cos(k * golden), r * math.sin(k * golden)
        placed_area += math.pi * (disc + spacing * 0.8) ** 2
        members = sorted(part, key=lambda m: (-degree.get(m, 0), str(m)))
        for i, m in enumerate(members):
            rr = spacing * 0.6 * math.sqrt(i + 0.5) if n > 1 else 0.0
            pos[m] = (cx + rr * math.cos(i * golden), cy + rr * math.sin(i * golden))
    return pos


def _sizes(values: dict[str, float], lo: float = 10.0, hi: float = 34.0) -> dict[str, float]:
    top = max(values.values(), default=0.0)
    if top <= 0:
        return dict.fromkeys(values, lo)
    return {n: round(lo + (hi - lo) * math.sqrt(max(v, 0.0) / top), 2) for n, v in values.items()}


def page_data(
    g: nx.Graph,
    title: str,
    size_by: SizeBy = SizeBy.DEGREE,
    colour_by: ColourBy = ColourBy.CLASS,
) -> dict[str, Any]:
    """What the page's script reads: nodes, edges, legend entries and vis options."""
    from .analyse import centrality, communities, community_index, to_simple

    simple = to_simple(g)
    n_nodes = g.number_of_nodes()
    parts: list[set[str]] = []
    if colour_by is ColourBy.COMMUNITY or n_nodes > PHYSICS_MAX_NODES:
        parts = communities(simple)
    comm = community_index(parts)
    measure = centrality(simple, size_by.value)
    sizes = _sizes(measure)
    pos = community_layout(simple, parts) if n_nodes > PHYSICS_MAX_NODES else {}
    index = {n: i for i, n in enumerate(g)}
    nodes = []
    class_counts: dict[str, int] = {}
    for n, d in g.nodes(data=True):
        cls = d.get("class") or "Organisation"
        cls = cls if cls in CLASS_STYLES else "Organisation"
        class_counts[cls] = class_counts.get(cls, 0) + 1
        item: dict[str, Any] = {
            "id": index[n],
            "iri": str(d.get("iri", n)),
            "label": str(d.get("label", n)),
            "en": d.get("label_en") or "",
            "cls": cls,
            "cc": d.get("country") or "",
            "fy": d.get("first_year"),
            "ly": d.get("last_year"),
            "deg": d.get("degree", simple.degree(n)),
            "m": round(measure.get(n, 0.0), 4),
            "size": sizes.get(n, 10.0),
            "comm": comm.get(n, -1),
            "alt": list(d.get("alt", ())),
            "docs": list(d.get("docs", ())),
        }
        if "projects" in d:
            item["projects"] = d["projects"]
        if n in pos:
            item["x"], item["y"] = round(pos[n][0], 1), round(pos[n][1], 1)
        nodes.append(item)
    edges = []
    rel_counts: dict[str, int] = {}
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        rel = d.get("relation", "")
        rel = rel if rel in RELATION_STYLES else "coPartner"
        rel_counts[rel] = rel_counts.get(rel, 0) + 1
        edge: dict[str, Any] = {
            "id": i,
            "from": index[u],
            "to": index[v],
            "rel": rel,
            "label": d.get("label") or RELATION_STYLES[rel]["title"],
            "w": d.get("weight", 1),
            "yrs": list(d.get("years", ())),
            "ev": [[e.get("doc", ""), e.get("sentence", ""), e.get("project", "")] for e in d.get("evidence", ())],
        }
        if d.get("projects"):
            edge["proj"] = list(d["projects"])
        edges.append(edge)
    years = sorted({y for e in edges for y in e["yrs"]})
    countries = sorted({nd["cc"] for nd in nodes if nd["cc"]})
    return {
        "title": title,
        "view": g.graph.get("view", ""),
        "directed": g.is_directed(),
        "arrows": g.is_directed() and len(edges) <= ARROWS_MAX_EDGES,
        "sizeBy": size_by.value,
        "colourBy": colour_by.value,
        "classes": [{"id": c, "count": class_counts[c], **s} for c, s in CLASS_STYLES.items() if c in class_counts],
        "relations": [{"id": r, "count": rel_counts[r], **s} for r, s in RELATION_STYLES.items() if r in rel_counts],
        "communities": [
            {"id": i, "count": len(p), "color": COMMUNITY_PALETTE[i] if i < len(COMMUNITY_PALETTE) else OTHER_COMMUNITY}
            for i, p in enumerate(parts)
        ],
        "countries": countries,
        "years": years,
        "edgeLabels": len(edges) <= EDGE_LABELS_MAX_EDGES,
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(n_nodes, len(edges)),
    }


_PLACEHOLDER = re.compile(r"/\*%(\w+)%\*/")


def _template() -> str:
    return resources.files("ctn_graph.networks").joinpath("templates", "network.html").read_text(encoding="utf-8")


def render_html(
    g: nx.Graph,
    title: str | None = None,
    size_by: SizeBy = SizeBy.DEGREE,
    colour_by: ColourBy = ColourBy.CLASS,
) -> str:
    """The page for a network view, as one string (no external resources)."""
    title = title or g.graph.get("title") or "Network"
    js, css = vis_assets()
    values = {
        "TITLE": html.escape(title),
        "VIS_CSS": css,
        "VIS_JS": js,
        "DATA": script_json(page_data(g, title, size_by, colour_by)),
    }
    # One pass, so nothing substituted is scanned again for placeholders.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _template())


def write_html(
    g: nx.Graph,
    path: Path,
    title: str | None = None,
    size_by: SizeBy = SizeBy.DEGREE,
    colour_by: ColourBy = ColourBy.CLASS,
) -> None:
    from ..rdf.export import atomic_output

    page = render_html(g, title, size_by, colour_by)
    with atomic_output(path, "w") as f:
        f.write(page)

"""Network measures: who is central, who brokers between groups, which groups there are.

Every measure runs on the undirected simple graph of a view (`to_simple`): parallel
relations between two actors become one link whose weight is their summed weight (the
number of shared projects in the co-partnership view).

`ctn:country` links (an organisation and its country) are left out by default
(`with_countries=False`): nearly every Latvian actor is linked to Latvija, which would
otherwise be the main broker of Latvian cooperation. A node left with no link by that is
left out too; `Analysis` keeps the view's own counts (`view_nodes`, `view_links`: what
`viz` and `export-network` print) beside those measured.

- degree: the number of distinct neighbours;
- betweenness: the share of shortest paths between other pairs that pass through a
  node (unweighted, normalised; estimated from 500 sampled sources past 2,000 nodes);
- eigenvector: a node is central when its neighbours are (weighted);
- community: Louvain communities (weighted, fixed seed), numbered by size;
- participation: 1 - sum over communities c of (w_ic / w_i)^2, where w_ic is the weight
  of a node's links into community c: 0 when all its links stay in one community, near
  1 when they spread over many (Guimera and Amaral);
- bridges: the number of other communities among its neighbours;
- constraint: Burt's constraint, low for brokers whose contacts are not tied to each
  other (computed up to 5,000 nodes);
- component: connected components, numbered by size.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")])
>>> a = analyse(g)
>>> a.top("betweenness", 2)[0].node in {"c", "d"}
True
>>> len(a.communities), len(a.components)
(2, 1)
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import IO, Any

import networkx as nx

from ..common.chars import terminal_safe
from .netexport import safe_cell

COUNTRY_RELATION = "country"  # network.Relation.COUNTRY: an actor and its country
MEASURES = ("degree", "betweenness", "eigenvector", "participation", "constraint")
EXACT_BETWEENNESS_MAX = 2000
CONSTRAINT_MAX = 5000
SEED = 42


@dataclass(frozen=True, slots=True)
class NodeMeasures:
    node: str
    label: str
    label_en: str
    cls: str
    country: str
    degree: int
    strength: float
    betweenness: float
    eigenvector: float
    community: int
    participation: float
    bridges: int
    constraint: float | None
    component: int


@dataclass(frozen=True, slots=True)
class Analysis:
    nodes: int  # the nodes measured
    edges: int  # the pairs of nodes linked (links between the same two merged)
    measures: tuple[NodeMeasures, ...]
    communities: tuple[tuple[str, ...], ...]
    components: tuple[tuple[str, ...], ...]
    modularity: float
    links: int = 0  # the view's links measured (parallel relations each counted)
    view_nodes: int = 0  # the view's own nodes and links, as viz and export-network count them
    view_links: int = 0
    left_out: int = 0  # ctn:country links left out of the measures

    def top(self, by: str = "degree", n: int | None = None) -> list[NodeMeasures]:
        """Nodes ranked by a measure (constraint: lowest first), ties by label."""
        if by not in MEASURES:
            raise ValueError(f"unknown measure {by!r} (use one of {', '.join(MEASURES)})")
        if by == "constraint":
            ranked = sorted(self.measures, key=lambda m: (m.constraint is None, m.constraint or 0.0, m.label))
        else:
            ranked = sorted(self.measures, key=lambda m: (-float(getattr(m, by)), m.label))
        return ranked if n is None else ranked[:n]


def to_simple(g: nx.Graph) -> nx.Graph:
    """The undirected simple graph of a view, weights summed over parallel relations."""
    s = nx.Graph()
    s.add_nodes_from(sorted(g.nodes(data=True), key=lambda nd: str(nd[0])))
    for u, v, w in g.edges(data="weight", default=1):
        if u == v:
            continue
        if s.has_edge(u, v):
            s.edges[u, v]["weight"] += w or 1
        else:
            s.add_edge(u, v, weight=w or 1)
    return s


def without_country_links(g: nx.Graph) -> tuple[nx.Graph, int]:
    """The view without its `ctn:country` links, and without the nodes that had no other
    link; and how many links were left out."""
    if g.is_multigraph():
        drop: list[tuple[Any, ...]] = [
            (u, v, k) for u, v, k, r in g.edges(keys=True, data="relation") if r == COUNTRY_RELATION
        ]
    else:
        drop = [(u, v) for u, v, r in g.edges(data="relation") if r == COUNTRY_RELATION]
    if not drop:
        return g, 0
    out = g.copy()
    out.remove_edges_from(drop)
    touched = {x for e in drop for x in e[:2]}
    out.remove_nodes_from([n for n in touched if out.degree(n) == 0])
    return out, len(drop)


def communities(g: nx.Graph, seed: int = SEED) -> list[set[str]]:
    """Louvain communities (weighted), largest first, ties by their first member."""
    s = g if not g.is_directed() and not g.is_multigraph() else to_simple(g)
    if s.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(s, weight="weight", seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(map(str, c))))


def community_index(parts: Sequence[set[str]]) -> dict[str, int]:
    return {n: i for i, part in enumerate(parts) for n in part}


def centrality(g: nx.Graph, measure: str, seed: int = SEED) -> dict[str, float]:
    """degree (distinct neighbours), betweenness or eigenvector centrality of every node."""
    s = g if not g.is_directed() and not g.is_multigraph() else to_simple(g)
    if s.number_of_nodes() == 0:
        return {}
    if measure == "degree":
        return {n: float(len(s[n])) for n in s}
    if measure == "betweenness":
        k = None if s.number_of_nodes() <= EXACT_BETWEENNESS_MAX else 500
        return dict(nx.betweenness_centrality(s, k=k, seed=seed))
    if measure == "eigenvector":
        if s.number_of_edges() == 0:
            return dict.fromkeys(s, 0.0)
        try:
            return dict(nx.eigenvector_centrality(s, max_iter=2000, tol=1e-8, weight="weight"))
        except nx.PowerIterationFailedConvergence:
            return dict(nx.eigenvector_centrality(s, max_iter=20000, tol=1e-5, weight="weight"))
    raise ValueError(f"unknown centrality {measure!r} (use degree, betweenness or eigenvector)")


def _participation(s: nx.Graph, comm: dict[str, int]) -> tuple[dict[str, float], dict[str, int]]:
    part: dict[str, float] = {}
    bridges: dict[str, int] = {}
    for n in s:
        per: dict[int, float] = defaultdict(float)
        for m, w in s[n].items():
            per[comm[m]] += w.get("weight", 1)
        total = sum(per.values())
        part[n] = 1.0 - sum((x / total) ** 2 for x in per.values()) if total else 0.0
        bridges[n] = len(set(per) - {comm[n]})
    return part, bridges


def analyse(g: nx.Graph, seed: int = SEED, with_countries: bool = False) -> Analysis:
    """Degree, betweenness, eigenvector, Louvain communities, participation, constraint and
    components of a network view; its `ctn:country` links left out unless `with_countries`."""
    view_nodes, view_links = g.number_of_nodes(), g.number_of_edges()
    left_out = 0
    if not with_countries:
        g, left_out = without_country_links(g)
    s = to_simple(g)
    comms = communities(s, seed)
    comm = community_index(comms)
    comps = sorted((sorted(map(str, c)) for c in nx.connected_components(s)), key=lambda c: (-len(c), c[0]))
    comp = {n: i for i, c in enumerate(comps) for n in c}
    deg = centrality(s, "degree")
    betw = centrality(s, "betweenness", seed)
    eig = centrality(s, "eigenvector")
    part, bridges = _participation(s, comm)
    cons: dict[str, float] = {}
    if s.number_of_nodes() <= CONSTRAINT_MAX:
        cons = {n: v for n, v in nx.constraint(s, weight="weight").items() if not math.isnan(v)}
    rows = []
    for n, d in s.nodes(data=True):
        rows.append(
            NodeMeasures(
                node=str(n),
                label=str(d.get("label", n)),
                label_en=str(d.get("label_en", "")),
                cls=str(d.get("class", "")),
                country=str(d.get("country", "")),
                degree=int(deg[n]),
                strength=float(sum(w for _, _, w in s.edges(n, data="weight"))),
                betweenness=betw[n],
                eigenvector=eig[n],
                community=comm[n],
                participation=part[n],
                bridges=bridges[n],
                constraint=cons.get(n),
                component=comp[str(n)],
            )
        )
    modularity = nx.community.modularity(s, comms, weight="weight") if s.number_of_edges() else 0.0
    return Analysis(
        nodes=s.number_of_nodes(),
        edges=s.number_of_edges(),
        measures=tuple(rows),
        communities=tuple(tuple(sorted(map(str, c))) for c in comms),
        components=tuple(tuple(c) for c in comps),
        modularity=modularity,
        links=g.number_of_edges(),
        view_nodes=view_nodes,
        view_links=view_links,
        left_out=left_out,
    )


COLUMNS = [f.name for f in fields(NodeMeasures)]


def write_csv(analysis: Analysis, f: IO[str], by: str = "degree") -> None:
    """All nodes, ranked by `by`, one row each; text cells made safe for spreadsheets."""
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["rank", *COLUMNS])
    for rank, m in enumerate(analysis.top(by), start=1):
        w.writerow([rank, *(_cell(v) for v in astuple(m))])


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return safe_cell(v) if isinstance(v, str) else v


def save_csv(analysis: Analysis, path: Path, by: str = "degree") -> None:
    from ..rdf.export import atomic_output

    with atomic_output(path, "w") as f:
        write_csv(analysis, f, by)


def _short(text: str, width: int) -> str:
    """One line for the terminal: control and bidirectional formatting characters as escapes."""
    text = terminal_safe(" ".join(text.split()), cell=True)
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(analysis: Analysis, by: str = "degree", top: int = 20) -> str:
    """The ranked table and a summary of communities and components, for the terminal."""
    a = analysis
    counts = f"{a.view_nodes} actors, {a.view_links} links"
    if a.left_out:
        counts += (
            f"; measured without its {a.left_out} ctn:country link{'s' if a.left_out != 1 else ''}: "
            f"{a.nodes} actors, {a.links} links"
        )
    if a.edges != a.links:
        counts += f" ({a.edges} linked pair{'s' if a.edges != 1 else ''})"
    lines = [
        f"{counts}, {len(a.components)} components "
        f"(largest {len(a.components[0]) if a.components else 0}), "
        f"{len(a.communities)} Louvain communities (modularity {a.modularity:.3f})",
        "",
        f"{'#':>3}  {'actor':44} {'class':18} {'deg':>4} {'betw':>6} {'eigen':>6} {'part':>5} {'constr':>6} "
        f"{'comm':>4}",
    ]
    for rank, m in enumerate(analysis.top(by, top), start=1):
        cons = f"{m.constraint:6.3f}" if m.constraint is not None else "     -"
        lines.append(
            f"{rank:>3}  {_short(m.label, 44):44} {_short(m.cls, 18):18} {m.degree:>4} {m.betweenness:6.3f} "
            f"{m.eigenvector:6.3f} {m.participation:5.2f} {cons} {m.community:>4}"
        )
    labels = {m.node: m.label for m in analysis.measures}
    classes = {m.node: m.cls for m in analysis.measures}
    degree = {m.node: m.degree for m in analysis.measures}
    lines.append("")
    lines.append("communities (largest first):")
    for i, members in enumerate(analysis.communities[:10]):
        kinds = Counter(classes[n] for n in members).most_common(3)
        ranked = sorted(members, key=lambda n: (-degree[n], labels[n]))
        names = "; ".join(_short(labels[n], 40) for n in ranked[:4])
        kind_text = ", ".join(f"{k} {c}" for k, c in kinds)
        size = f"{len(members)} node" + ("s" if len(members) != 1 else "")
        lines.append(f"  {i:>3}: {size} ({kind_text}): {names}" + ("; ..." if len(members) > 4 else ""))
    if len(analysis.communities) > 10:
        lines.append(f"  ... and {len(analysis.communities) - 10} more")
    return "\n".join(lines)

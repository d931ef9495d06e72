"""Cooperation networks read from the graph: who works with whom, who funds whom.

One SPARQL pass over a pyoxigraph Store gives a `Model` (actors, the relations between
them, and the sentences each relation was read from); the views turn it into networkx
graphs whose node and edge attributes are plain values, ready for measures
(`analyse`), the page (`viz`) and file formats (`netexport`).

Node attributes: `iri`, `label` (Latvian prefLabel), `label_en` ("" when unknown),
`class` (a `NodeClass` value), `country` (ISO code, "" when none), `alt` (altLabels),
`docs` (ids of the documents it is mentioned in), `first_year`, `last_year` (from the
`dcterms:issued` dates of those documents; None when undated), `funder`, `degree`.
Edge attributes: `relation` (a `Relation` value), `label` (its English name),
`evidence` (a list of {"doc": id, "sentence": text}), `years`, `weight`.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.load(SAMPLE, format=ox.RdfFormat.TURTLE)
>>> g = build_network(store, View.FULL)
>>> sorted(g.nodes[n]["label"] for n in g)
['Iekšlietu ministrija', 'Projekts A']
>>> [(d["relation"], d["evidence"][0]["sentence"]) for _, _, d in g.edges(data=True)]
[('leadPartner', 'Projektu A vada Iekšlietu ministrija.')]
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..rdf.vocab import CTN_NS, DCTERMS, PROV, RDF, SKOS
from .kinds import COPARTNERSHIP_ROLES, FUNDING, GRAPH_RELATIONS, PARTNERSHIP, NodeClass, Relation, View

SAMPLE = """
@prefix ctn: <https://w3id.org/ctn/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix id: <https://w3id.org/ctn/id/> .
id:project\\/a a ctn:Project ; skos:prefLabel "Projekts A"@lv ;
    ctn:leadPartner id:org\\/iem ; ctn:partner id:org\\/iem .
id:org\\/iem a ctn:Ministry, ctn:PublicBody, ctn:Organisation ; skos:prefLabel "Iekšlietu ministrija"@lv .
id:doc\\/d1 a ctn:Document ; dcterms:identifier "d1" ;
    dcterms:issued "2018-03-23"^^<http://www.w3.org/2001/XMLSchema#date> .
id:ev1 a ctn:Evidence ; rdf:subject id:project\\/a ; rdf:predicate ctn:leadPartner ; rdf:object id:org\\/iem ;
    prov:wasDerivedFrom id:doc\\/d1 ; ctn:sentence id:doc\\/d1\\/s\\/0 .
id:doc\\/d1\\/s\\/0 a ctn:Sentence ; ctn:text "Projektu A vada Iekšlietu ministrija." ; ctn:sentenceIndex 0 .
"""


class NetworkError(Exception):
    """A view that cannot be built (an unknown or ambiguous focus, an empty year)."""


@dataclass(frozen=True, slots=True)
class Node:
    iri: str
    cls: NodeClass
    label: str
    label_en: str = ""
    country: str = ""
    alt: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # every label, hidden ones too: what --focus matches
    docs: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    funder: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    doc: str
    index: int
    sentence: str
    years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Link:
    source: str
    target: str
    relation: Relation
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Model:
    nodes: dict[str, Node]
    links: tuple[Link, ...]
    doc_years: dict[str, tuple[int, ...]]


_PREFIXES = f"""PREFIX ctn: <{CTN_NS}>
PREFIX skos: <{SKOS}>
PREFIX rdf: <{RDF}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCTERMS}>
"""
_CLASS_VALUES = " ".join(f"ctn:{c.value}" for c in NodeClass) + " ctn:Funder"
_REL_VALUES = " ".join(f"ctn:{r.value}" for r in GRAPH_RELATIONS)

Q_TYPES = _PREFIXES + f"SELECT ?n ?type WHERE {{ VALUES ?type {{ {_CLASS_VALUES} }} ?n a ?type }}"
Q_LABELS = _PREFIXES + "SELECT ?n ?p ?l WHERE { VALUES ?p { skos:prefLabel skos:altLabel skos:hiddenLabel } ?n ?p ?l }"
Q_COUNTRIES = (
    _PREFIXES
    + "SELECT ?n ?code WHERE { { ?n ctn:country/ctn:iso3166Alpha2 ?code } UNION { ?n ctn:iso3166Alpha2 ?code } }"
)
Q_DOCS = _PREFIXES + (
    "SELECT ?doc ?id ?issued WHERE { ?doc a ctn:Document ; dcterms:identifier ?id "
    "OPTIONAL { ?doc dcterms:issued ?issued } }"
)
Q_MENTIONS = _PREFIXES + "SELECT ?n ?doc WHERE { ?n ctn:mentionedIn ?doc }"
Q_RELATIONS = _PREFIXES + f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_REL_VALUES} }} ?s ?p ?o }}"
Q_EVIDENCE = (
    _PREFIXES
    + """SELECT ?s ?p ?o ?doc ?index ?text WHERE {
  ?ev a ctn:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?doc ; ctn:sentence ?sent .
  ?sent ctn:text ?text .
  OPTIONAL { ?sent ctn:sentenceIndex ?index }
}"""
)


def _rows(store: Any, query: str) -> Iterable[tuple[Any, ...]]:
    for sol in store.query(query, use_default_graph_as_union=True):
        yield tuple(sol)


def load_model(store: Any) -> Model:
    """Read the actors, relations and evidence of a pyoxigraph Store."""
    types: dict[str, set[str]] = defaultdict(set)
    for n, t in _rows(store, Q_TYPES):
        types[n.value].add(t.value[len(CTN_NS) :])
    pref: dict[tuple[str, str], str] = {}
    alt: dict[str, list[str]] = defaultdict(list)
    names: dict[str, set[str]] = defaultdict(set)
    for n, p, lit in _rows(store, Q_LABELS):
        if n.value not in types:
            continue
        lang = getattr(lit, "language", None) or ""
        names[n.value].add(lit.value)
        if p.value.endswith("prefLabel"):
            pref[(n.value, lang)] = lit.value
        elif p.value.endswith("altLabel"):
            alt[n.value].append(lit.value)
    countries: dict[str, set[str]] = defaultdict(set)
    for n, code in _rows(store, Q_COUNTRIES):
        countries[n.value].add(code.value)
    doc_ids: dict[str, str] = {}
    doc_years: dict[str, set[int]] = defaultdict(set)
    for doc, ident, issued in _rows(store, Q_DOCS):
        doc_ids[doc.value] = ident.value
        if issued is not None and issued.value[:4].isdigit():
            doc_years[ident.value].add(int(issued.value[:4]))
    mentions: dict[str, set[str]] = defaultdict(set)
    for n, doc in _rows(store, Q_MENTIONS):
        if doc.value in doc_ids:
            mentions[n.value].add(doc_ids[doc.value])

    nodes: dict[str, Node] = {}
    for iri, ts in types.items():
        cls = next((c for c in NodeClass if c.value in ts), None)
        if cls is None:
            continue
        label = pref.get((iri, "lv")) or pref.get((iri, "")) or iri.rsplit("/", 1)[-1]
        docs = tuple(sorted(mentions.get(iri, ())))
        years = sorted({y for d in docs for y in doc_years.get(d, ())})
        nodes[iri] = Node(
            iri=iri,
            cls=cls,
            label=label,
            label_en=pref.get((iri, "en"), ""),
            country=min(countries.get(iri, {""})),
            alt=tuple(sorted(set(alt.get(iri, ())) - {label})),
            names=tuple(sorted(names.get(iri, ()))),
            docs=docs,
            years=tuple(years),
            funder="Funder" in ts,
        )

    evidence: dict[tuple[str, str, str], set[Evidence]] = defaultdict(set)
    for s, p, o, doc, index, text in _rows(store, Q_EVIDENCE):
        ident = doc_ids.get(doc.value, doc.value.rsplit("/", 1)[-1])
        idx = int(index.value) if index is not None else 0
        ev = Evidence(ident, idx, text.value, tuple(sorted(doc_years.get(ident, ()))))
        evidence[(s.value, p.value[len(CTN_NS) :], o.value)].add(ev)
    links = []
    for s, p, o in _rows(store, Q_RELATIONS):
        if s.value not in nodes or o.value not in nodes:
            continue
        rel = Relation(p.value[len(CTN_NS) :])
        links.append(Link(s.value, o.value, rel, _dedupe(evidence.get((s.value, rel.value, o.value), ()))))
    return Model(
        nodes,
        tuple(sorted(links, key=lambda link: (link.source, link.target, link.relation.value))),
        {d: tuple(sorted(ys)) for d, ys in sorted(doc_years.items())},
    )


def _dedupe(evs: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """One entry per (document, sentence text): a sentence repeated in a document counts once."""
    seen: dict[tuple[str, str], Evidence] = {}
    for ev in sorted(evs, key=lambda e: (e.doc, e.index)):
        seen.setdefault((ev.doc, ev.sentence), ev)
    return tuple(seen.values())


def _merge_partners(links: Iterable[Link]) -> list[Link]:
    """`leadPartner` is materialised as `partner` too: keep one edge, the lead, with both evidences."""
    by_pair: dict[tuple[str, str], dict[Relation, Link]] = defaultdict(dict)
    out: list[Link] = []
    for link in links:
        if link.relation in PARTNERSHIP:
            by_pair[(link.source, link.target)][link.relation] = link
        else:
            out.append(link)
    for (s, o), rels in by_pair.items():
        if Relation.LEAD_PARTNER in rels:
            evs = rels[Relation.LEAD_PARTNER].evidence + (
                rels[Relation.PARTNER].evidence if Relation.PARTNER in rels else ()
            )
            out.append(Link(s, o, Relation.LEAD_PARTNER, _dedupe(evs)))
        else:
            out.append(rels[Relation.PARTNER])
    return sorted(out, key=lambda link: (link.source, link.target, link.relation.value))


def _evidence_attrs(evs: Iterable[Evidence], project: str = "") -> list[dict[str, str]]:
    out = []
    for ev in evs:
        item = {"doc": ev.doc, "sentence": ev.sentence}
        if project:
            item["project"] = project
        out.append(item)
    return out


def _add_node(g: nx.Graph, node: Node) -> None:
    g.add_node(
        node.iri,
        iri=node.iri,
        label=node.label,
        label_en=node.label_en,
        **{"class": node.cls.value},
        country=node.country,
        alt=list(node.alt),
        docs=list(node.docs),
        first_year=node.years[0] if node.years else None,
        last_year=node.years[-1] if node.years else None,
        funder=node.funder,
    )


def _years(evs: Iterable[Evidence]) -> list[int]:
    return sorted({y for ev in evs for y in ev.years})


def _graph_of(model: Model, links: Iterable[Link]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    links = list(links)
    for iri in sorted({x for link in links for x in (link.source, link.target)}):
        _add_node(g, model.nodes[iri])
    for link in links:
        g.add_edge(
            link.source,
            link.target,
            key=link.relation.value,
            relation=link.relation.value,
            label=link.relation.caption,
            evidence=_evidence_attrs(link.evidence),
            years=_years(link.evidence),
            weight=1,
        )
    return g


def full_view(model: Model) -> nx.MultiDiGraph:
    """Every actor that takes part in a relation, and every relation (a lead partner once)."""
    return _graph_of(model, _merge_partners(model.links))


def funding_view(model: Model) -> nx.MultiDiGraph:
    """Projects that are funded or supported: their funders, supporters, lead partners and partners."""
    links = _merge_partners(model.links)
    funded = {link.source for link in links if link.relation in FUNDING}
    return _graph_of(model, (lk for lk in links if lk.source in funded and lk.relation in FUNDING + PARTNERSHIP))


def copartnership_view(model: Model) -> nx.Graph:
    """Organisations linked by the projects they take part in together; weight = shared projects.

    The one definition of co-partnership, the same as the library query
    `co-partnership-network`: two organisations are co-partners when each is a lead
    partner, a partner, a funder or a supporter (`COPARTNERSHIP_ROLES`) of the same
    project. Each pair is one link, whatever their roles and however many sentences
    state them; its weight is the number of distinct projects they share.
    """
    partners: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for link in model.links:
        if link.relation in COPARTNERSHIP_ROLES and model.nodes[link.target].cls.is_organisation:
            partners[link.source][link.target].extend(link.evidence)
    g = nx.Graph()
    orgs = sorted({org for by_org in partners.values() for org in by_org})
    for org in orgs:
        _add_node(g, model.nodes[org])
        g.nodes[org]["projects"] = sum(1 for by_org in partners.values() if org in by_org)
    for project in sorted(partners):
        by_org = partners[project]
        title = model.nodes[project].label
        for a, b in itertools.combinations(sorted(by_org), 2):
            evs = _dedupe(by_org[a] + by_org[b])
            if not g.has_edge(a, b):
                g.add_edge(
                    a, b, relation=Relation.CO_PARTNER.value, label="", evidence=[], years=[], weight=0, projects=[]
                )
            d = g.edges[a, b]
            d["weight"] += 1
            d["projects"].append(title)
            d["evidence"].extend(_evidence_attrs(evs, title))
            d["years"] = sorted(set(d["years"]) | set(_years(evs)))
    for _, _, d in g.edges(data=True):
        d["label"] = f"{d['weight']} shared project" + ("s" if d["weight"] != 1 else "")
    return g


def year_slice(g: nx.Graph, year: int) -> nx.Graph:
    """The edges read from documents issued in `year`, with only that year's evidence
    (given the graph's `doc_years`), and the nodes they touch."""
    if g.is_multigraph():
        keep: list[tuple[Any, ...]] = [(u, v, k) for u, v, k, ys in g.edges(keys=True, data="years") if year in ys]
    else:
        keep = [(u, v) for u, v, ys in g.edges(data="years") if year in ys]
    out = g.edge_subgraph(keep).copy()
    doc_years: dict[str, list[int]] | None = g.graph.get("doc_years")
    for *_, d in out.edges(data=True):
        d["years"] = [year]
        if doc_years is not None:
            d["evidence"] = [e for e in d["evidence"] if year in doc_years.get(e["doc"], ())]
    out.graph.update(g.graph)
    return out


def find_nodes(g: nx.Graph, name: str, model: Model | None = None) -> list[str]:
    """The nodes of `g` an actor's name, altLabel, hidden label or IRI picks out: exact
    matches (case-insensitive) if any, else those whose names contain it."""
    key = name.strip().casefold()
    if not key:
        return []
    if name.strip() in g:
        return [name.strip()]

    def names(n: str) -> set[str]:
        d = g.nodes[n]
        found = {d["label"], d.get("label_en", ""), *d.get("alt", ())}
        if model is not None and n in model.nodes:
            found |= set(model.nodes[n].names)
        return {x.casefold() for x in found if x}

    exact = [n for n in g if key in names(n)]
    if exact:
        return sorted(exact)
    return sorted(n for n in g if any(key in x for x in names(n)))


def ego_view(g: nx.Graph, focus: str, depth: int = 1, model: Model | None = None) -> nx.Graph:
    """The actors within `depth` links of `focus` (in either direction), and the links among them."""
    found = find_nodes(g, focus, model)
    if not found:
        raise NetworkError(f"no actor named {focus!r} in this network (try a Latvian name, an acronym or an IRI)")
    if len(found) > 1:
        listed = "; ".join(g.nodes[n]["label"] for n in found[:10]) + ("; ..." if len(found) > 10 else "")
        raise NetworkError(f"{focus!r} names {len(found)} actors: {listed}. Give the full name or the IRI")
    out = nx.ego_graph(g, found[0], radius=max(depth, 0), undirected=True).copy()
    out.graph.update(g.graph)
    out.graph["focus"] = found[0]
    return out


def _set_degrees(g: nx.Graph) -> None:
    for n in g:
        g.nodes[n]["degree"] = len(set(nx.all_neighbors(g, n))) if g.is_directed() else len(g[n])


def view_title(view: View, g: nx.Graph | None = None, depth: int = 1, year: int | None = None) -> str:
    title = view.caption
    focus = g.graph.get("focus") if g is not None else None
    if focus is not None and g is not None:
        base = "" if view is View.EGO else f" ({view.caption[:1].lower() + view.caption[1:]})"
        title = f"Ego network of {g.nodes[focus]['label']}, depth {depth}{base}"
    if year is not None:
        title += f", {year}"
    return title


def build_network(
    store: Any,
    view: View = View.FULL,
    focus: str | None = None,
    depth: int = 1,
    year: int | None = None,
    model: Model | None = None,
) -> nx.Graph:
    """A network view of the graph in `store`: `view`, cut to the relations of `year`,
    then to the neighbourhood of `focus` (the ego view is the full view around an actor)."""
    model = model if model is not None else load_model(store)
    if view is View.COPARTNERSHIP:
        g: nx.Graph = copartnership_view(model)
    elif view is View.FUNDING:
        g = funding_view(model)
    else:
        g = full_view(model)
    g.graph["view"] = view.value
    g.graph["doc_years"] = {d: list(ys) for d, ys in model.doc_years.items()}
    if year is not None:
        years = sorted({y for e in g.edges(data="years") for y in e[2]})
        g = year_slice(g, year)
        if g.number_of_nodes() == 0:
            have = ", ".join(map(str, years)) or "none"
            raise NetworkError(f"no relation in this view is read from a document of {year} (years: {have})")
        g.graph["year"] = year
    if view is View.EGO and not focus:
        raise NetworkError("the ego view needs --focus NAME")
    if focus:
        g = ego_view(g, focus, depth, model)
        g.graph["depth"] = depth
    _set_degrees(g)
    g.graph["title"] = view_title(view, g, depth, year)
    return g

"""Reading the graph under evaluation: parsing an RDF file, and the nodes and relations
of a pyoxigraph store."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .terms import (
    _CONTRACT_CLASSES,
    _WIKIDATA_RE,
    CTN,
    FILE_NAME,
    MENTIONED_IN,
    OWL_SAME_AS,
    PROPERTIES,
    PROV_DERIVED,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_ALT,
    SKOS_PREF,
    START_DATE,
    scoring_classes,
)

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph


def _term_key(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return json.dumps(term.value, ensure_ascii=False)
    return str(term)


@dataclass
class _Node:
    key: str
    contract: set[str] = field(default_factory=set)
    mentioned: bool = False
    pref: set[tuple[str, str]] = field(default_factory=set)  # (value, lang)
    alt: set[tuple[str, str]] = field(default_factory=set)
    rdfs: set[tuple[str, str]] = field(default_factory=set)
    same_as: set[str] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)  # ctn:fileName of the documents it is mentioned in
    start_dates: set[str] = field(default_factory=set)  # lexical ctn:startDate values

    @property
    def classes(self) -> frozenset[str]:
        return scoring_classes(self.contract)

    def lv_pref(self) -> tuple[str, ...]:
        return tuple(sorted(v for v, lang in self.pref if _is_lv(lang)))

    def label(self) -> str:
        for group in (self.lv_pref(), sorted(v for v, _ in self.pref)):
            if group:
                return group[0]
        for labels in (self.rdfs, self.alt):
            if labels:
                return sorted(v for v, _ in labels)[0]
        return ""


def _is_lv(lang: str) -> bool:
    lang = lang.lower()
    return lang == "lv" or lang.startswith("lv-")


def document_names(store: pyoxigraph.Store) -> dict[str, str]:
    """Document node key -> its ``ctn:fileName``."""
    import pyoxigraph as ox

    out: dict[str, str] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(FILE_NAME), None, None):
        if isinstance(q.object, ox.Literal):
            out[_term_key(q.subject)] = q.object.value
    return out


def _read_nodes(store: pyoxigraph.Store, keep_doc: Callable[[str], bool] | None = None) -> dict[str, _Node]:
    """Every subject with a label, type, mention or sameAs, keyed by IRI / _:id.

    With ``keep_doc`` (a test on a document's file name), a node counts as mentioned
    only where one of the documents it is mentioned in passes the test."""
    import pyoxigraph as ox

    files = document_names(store)

    nodes: dict[str, _Node] = {}

    def node(term: Any) -> _Node:
        key = _term_key(term)
        n = nodes.get(key)
        if n is None:
            n = nodes[key] = _Node(key)
        return n

    def quads(pred: str) -> Iterable[Any]:
        # graph_name=None: every graph, default and named (the union)
        return store.quads_for_pattern(None, ox.NamedNode(pred), None, None)

    for q in quads(RDF_TYPE):
        o = q.object
        if isinstance(o, ox.NamedNode) and o.value.startswith(CTN):
            local = o.value[len(CTN) :]
            if local in _CONTRACT_CLASSES:
                node(q.subject).contract.add(local)
    for q in quads(MENTIONED_IN):
        name = files.get(_term_key(q.object), "")
        n = node(q.subject)
        if name:
            n.docs.add(name)
        if keep_doc is None or keep_doc(name):
            n.mentioned = True
    for q in quads(START_DATE):
        if isinstance(q.object, ox.Literal):
            node(q.subject).start_dates.add(q.object.value)
    for pred, attr in ((SKOS_PREF, "pref"), (SKOS_ALT, "alt"), (RDFS_LABEL, "rdfs")):
        for q in quads(pred):
            o = q.object
            if isinstance(o, ox.Literal):
                getattr(node(q.subject), attr).add((o.value, o.language or ""))
    for q in quads(OWL_SAME_AS):
        o = q.object
        if isinstance(o, ox.NamedNode):
            m = _WIKIDATA_RE.match(o.value)
            if m:
                node(q.subject).same_as.add(m.group(1))
    return nodes


def _read_relations(
    store: pyoxigraph.Store, keep_doc: Callable[[str], bool] | None = None
) -> set[tuple[str, str, str]]:
    """The contract relations, as (subject key, property, object key).

    With ``keep_doc``, a relation is kept when one of its evidence records
    (``prov:wasDerivedFrom``) names a document that passes the test, or, for a
    relation without evidence, when its subject is mentioned in such a document."""
    import pyoxigraph as ox

    out: set[tuple[str, str, str]] = set()
    for prop in PROPERTIES:
        for q in store.quads_for_pattern(None, ox.NamedNode(CTN + prop), None, None):
            out.add((_term_key(q.subject), prop, _term_key(q.object)))
    if keep_doc is None:
        return out
    files = document_names(store)
    evidence: dict[tuple[str, str, str], set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF_PREDICATE), None, None):
        prop_iri = q.object.value if isinstance(q.object, ox.NamedNode) else ""
        if not prop_iri.startswith(CTN) or prop_iri[len(CTN) :] not in PROPERTIES:
            continue
        ev = q.subject
        subj = next(iter(store.quads_for_pattern(ev, ox.NamedNode(RDF_SUBJECT), None, None)), None)
        obj = next(iter(store.quads_for_pattern(ev, ox.NamedNode(RDF_OBJECT), None, None)), None)
        if subj is None or obj is None:
            continue
        key = (_term_key(subj.object), prop_iri[len(CTN) :], _term_key(obj.object))
        docs = evidence.setdefault(key, set())
        for d in store.quads_for_pattern(ev, ox.NamedNode(PROV_DERIVED), None, None):
            docs.add(files.get(_term_key(d.object), ""))
    mentioned_in: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(MENTIONED_IN), None, None):
        mentioned_in.setdefault(_term_key(q.subject), set()).add(files.get(_term_key(q.object), ""))
    kept: set[tuple[str, str, str]] = set()
    for triple in out:
        found = evidence.get(triple)
        read_from = found if found is not None else mentioned_in.get(triple[0], set())
        if any(keep_doc(d) for d in read_from):
            kept.add(triple)
    return kept


_FORMATS = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".trig": "TRIG",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
    ".rdf": "RDF_XML",
    ".xml": "RDF_XML",
    ".owl": "RDF_XML",
    ".n3": "N3",
}


def load_store(graph_path: Path) -> pyoxigraph.Store:
    """Parse an RDF file into a fresh in-memory store (format from the extension)."""
    import pyoxigraph as ox

    path = Path(graph_path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"unknown RDF format for {path} (known: {', '.join(sorted(_FORMATS))})")
    if not path.is_file():
        from ..common.paths import shown, why_missing

        why = "a folder, not a graph file" if path.is_dir() else why_missing(path)
        raise ValueError(f"{shown(path)}: {'no such file' if why.startswith('no such') else why}")
    store = ox.Store()
    try:
        store.load(path=str(path), format=getattr(ox.RdfFormat, fmt), base_iri=path.resolve().as_uri())
    except SyntaxError as e:
        from ..rdf.syntax import graph_syntax_error

        raise ValueError(graph_syntax_error(path, e)) from None
    except OSError as e:
        raise ValueError(f"{path}: {e}") from None
    if fmt == "RDF_XML":
        from ..rdf.syntax import xml_well_formedness

        if problem := xml_well_formedness(path):
            raise ValueError(problem)
    return store

"""Score a built graph against a gold annotation file (data/gold/README.md).

The module is self-contained: it reads the graph through pyoxigraph only and knows
the contract's terms (docs/CONTRACT.md) by their IRIs.

    report = evaluate_graph(Path("graph.ttl"), Path("data/gold/seeds.json"))
    print(format_report(report))

Decisions where the scoring rules leave room (each one is also tested):

* Node classes.  A node's classes for scoring are its contract classes (the ten gold
  classes plus ``ctn:Organisation``) minus the superclasses the graph materialises:
  ``PublicBody`` is dropped when ``Ministry`` is present, ``Organisation`` when any of
  Ministry/PublicBody/NGO/InternationalOrganisation/Company is.  ``ctn:Funder`` and
  classes outside the contract are ignored.  ``Organisation`` is compatible with no
  gold class, so a node typed only ``Organisation`` answers for nothing; its error is
  counted as a false positive in an extra ``Organisation`` row, which belongs to the
  main aggregate (it is an organisation-level error).  The same row takes the wrong
  class of e.g. a ``Person`` that is also typed ``Organisation``.
* Assignment.  Every node that carries a contract class (mentioned or not) gets a
  *target*: the gold entity named by one of its ``skos:prefLabel`` (any language);
  failing that, the one with its Wikidata id (``owl:sameAs`` to
  ``http(s)://www.wikidata.org/entity/Q..``) or, for a country, its IRI
  ``ctnid:country/XX``; failing that, one named by ``skos:altLabel`` or ``rdfs:label``.
  Only gold entities of a compatible class are candidates.  When a tier offers several
  candidates, the first in gold order is taken, and the ambiguity is listed in
  ``EvalReport.ambiguities``.  The target is thus a property of the node alone.
* Matching.  Mentioned nodes (``ctn:mentionedIn``) are scored: all prefLabel-tier
  nodes first, then id-tier, then label-tier, each tier sorted by IRI (blank nodes as
  ``_:id``); the first node to reach a gold entity is its true positive, any later
  node with the same target is a duplicate.  Unmentioned nodes are never scored and
  never take a gold entity away from a mentioned node.
* Counting.  A matched node counts one tp for the gold class and one fp for each of
  its classes that is not compatible with it ("wrong class").  A duplicate or an
  unmatched node counts one fp in *each* of its classes.  Gold entities no mentioned
  node answers for are fn.
* Relations.  A relation end maps to its node's target, duplicates and unmentioned
  nodes included (so two triples that map to the same gold triple are counted once).
  After mapping, a ``partner`` for a pair that also has ``leadPartner`` is dropped as
  derived.  Then, in this order: gold triple -> tp; a graph ``leadPartner`` whose pair
  is a gold ``partner`` -> tp of that gold ``partner``; acceptable triple (an
  acceptable ``partner`` also accepts a graph ``leadPartner``) -> ignored; otherwise
  fp, keyed by the graph property.  Unmatched gold relations are fn, keyed by the gold
  property.  Relations both of whose ends are unmentioned nodes with a contract class
  are reference data (the README: "reference data ... at no cost") and are not scored
  at all; their number is reported.
* Labels are compared after :func:`normalise_label`: NFC, casefold, quotes (including
  the non-punctuation ones such as `` ` ´ ʼ ``) and every character of Unicode category
  P* removed (not replaced by a space), whitespace collapsed, stripped.
* Nominative share: over the true-positive nodes (one per matched gold entity); a node
  counts as nominative when it has at least one ``@lv`` (or ``@lv-XX``) prefLabel and
  every such prefLabel is one of the gold entity's names.
* Empty sets: precision, recall and F1 are 0.0 whenever their denominator is 0 (the
  numbers stay numeric in JSON); the text report prints ``n/a`` for a row with
  tp = fp = fn = 0.  Aggregates are micro-averages (sums of tp/fp/fn).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

__all__ = [
    "CLASSES",
    "MAIN_CLASSES",
    "OTHER_CLASSES",
    "PROPERTIES",
    "Gold",
    "GoldEntity",
    "GoldRelation",
    "Score",
    "NodeMatch",
    "MissedEntity",
    "SpuriousNode",
    "RelationRecord",
    "NominativeShare",
    "EvalReport",
    "load_gold",
    "evaluate_graph",
    "evaluate_store",
    "load_store",
    "scoring_classes",
    "format_report",
    "report_to_json",
    "normalise_label",
]

CTN = "https://w3id.org/ctn/ontology#"
CTNID = "https://w3id.org/ctn/id/"
COUNTRY_IRI_PREFIX = CTNID + "country/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_PREF = SKOS + "prefLabel"
SKOS_ALT = SKOS + "altLabel"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
MENTIONED_IN = CTN + "mentionedIn"

CLASSES: tuple[str, ...] = (
    "Ministry",
    "PublicBody",
    "NGO",
    "InternationalOrganisation",
    "Company",
    "Project",
    "Country",
    "Person",
    "Event",
    "PolicyDocument",
)
MAIN_CLASSES: tuple[str, ...] = CLASSES[:7]
OTHER_CLASSES: tuple[str, ...] = CLASSES[7:]
ORGANISATION = "Organisation"
#: rows of the per-class table: the ten gold classes, then Organisation (errors only)
CLASS_ROWS: tuple[str, ...] = CLASSES + (ORGANISATION,)
_ORG_SUBCLASSES = frozenset({"Ministry", "PublicBody", "NGO", "InternationalOrganisation", "Company"})
_CONTRACT_CLASSES = frozenset(CLASS_ROWS)

PROPERTIES: tuple[str, ...] = (
    "leadPartner",
    "partner",
    "fundedBy",
    "supportedBy",
    "participantCountry",
    "country",
    "memberOf",
    "partOf",
    "affiliation",
)

_WIKIDATA_RE = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/(Q[0-9]+)$")
_COUNTRY_IRI_RE = re.compile("^" + re.escape(COUNTRY_IRI_PREFIX) + r"([A-Za-z]{2})$")
# quote-like characters whose Unicode category is not P* (symbols, modifier letters)
_EXTRA_QUOTES = frozenset("`´˝ʹʺʻʼʽ˵˶〃＂＇")

# ---------------------------------------------------------------------------
# labels


def normalise_label(text: str) -> str:
    """Normalise a label for comparison.

    >>> normalise_label("2014.-2020.gadam") == normalise_label("2014.–2020.gadam")
    True
    >>> normalise_label('biedrība "Centrs MARTA"')
    'biedrība centrs marta'
    >>> normalise_label("  Biedrība  „Centrs   MARTA” ")
    'biedrība centrs marta'
    """
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(ch for ch in text if ch not in _EXTRA_QUOTES and not unicodedata.category(ch).startswith("P"))
    return " ".join(text.split())


def _compatible(node_class: str, gold_class: str) -> bool:
    """A node class answers for a gold class (a Ministry also for a PublicBody)."""
    return node_class == gold_class or (node_class == "Ministry" and gold_class == "PublicBody")


def scoring_classes(contract_classes: Iterable[str]) -> frozenset[str]:
    """A node's classes for scoring: its contract classes minus materialised superclasses."""
    cls = set(contract_classes) & _CONTRACT_CLASSES
    if "Ministry" in cls:
        cls.discard("PublicBody")
    if cls & _ORG_SUBCLASSES:
        cls.discard(ORGANISATION)
    return frozenset(cls)


def _class_sort(classes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(classes, key=lambda c: (CLASS_ROWS.index(c) if c in CLASS_ROWS else 99, c)))


# ---------------------------------------------------------------------------
# gold


@dataclass(frozen=True)
class GoldEntity:
    id: str
    cls: str
    names: tuple[str, ...]
    country: str | None = None
    wikidata: str | None = None
    docs: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The canonical (first) name."""
        return self.names[0] if self.names else self.id


@dataclass(frozen=True)
class GoldRelation:
    s: str
    p: str
    o: str
    docs: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.s, self.p, self.o)


@dataclass(frozen=True)
class Gold:
    corpus: str
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]
    acceptable: tuple[GoldRelation, ...] = ()
    notes: tuple[str, ...] = ()
    _by_id: Mapping[str, GoldEntity] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entities})

    def entity(self, entity_id: str) -> GoldEntity:
        return self._by_id[entity_id]

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._by_id


def _wikidata_id(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    m = _WIKIDATA_RE.match(value)
    if m:
        return m.group(1)
    if re.fullmatch(r"Q[0-9]+", value):
        return value
    raise ValueError(f"not a Wikidata id: {value!r}")


def _gold_from_dict(data: Mapping[str, Any]) -> Gold:
    entities: list[GoldEntity] = []
    seen: set[str] = set()
    for raw in data.get("entities", []):
        eid = raw["id"]
        if eid in seen:
            raise ValueError(f"gold: duplicate entity id {eid!r}")
        seen.add(eid)
        cls = raw["class"]
        if cls not in CLASSES:
            raise ValueError(f"gold: entity {eid!r} has unknown class {cls!r}")
        names = tuple(raw.get("names", ()))
        if not names:
            raise ValueError(f"gold: entity {eid!r} has no names")
        entities.append(
            GoldEntity(
                id=eid,
                cls=cls,
                names=names,
                country=raw.get("country"),
                wikidata=_wikidata_id(raw.get("wikidata")),
                docs=tuple(raw.get("docs", ())),
            )
        )

    def relations(key: str) -> tuple[GoldRelation, ...]:
        out: list[GoldRelation] = []
        keys: set[tuple[str, str, str]] = set()
        for raw in data.get(key, []):
            rel = GoldRelation(raw["s"], raw["p"], raw["o"], tuple(raw.get("docs", ())))
            if rel.p not in PROPERTIES:
                raise ValueError(f"gold: {key} {rel.key} has unknown property {rel.p!r}")
            for end in (rel.s, rel.o):
                if end not in seen:
                    raise ValueError(f"gold: {key} {rel.key} refers to unknown entity {end!r}")
            if rel.key in keys:
                raise ValueError(f"gold: duplicate entry in {key}: {rel.key}")
            keys.add(rel.key)
            out.append(rel)
        return tuple(out)

    return Gold(
        corpus=str(data.get("corpus", "")),
        entities=tuple(entities),
        relations=relations("relations"),
        acceptable=relations("acceptable"),
        notes=tuple(data.get("notes", ())),
    )


def load_gold(path: Path) -> Gold:
    """Read and validate a gold JSON file (format: data/gold/README.md)."""
    with Path(path).open(encoding="utf-8") as fh:
        return _gold_from_dict(json.load(fh))


# ---------------------------------------------------------------------------
# report records


@dataclass(frozen=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        d = self.tp + self.fp
        return self.tp / d if d else 0.0

    @property
    def recall(self) -> float:
        d = self.tp + self.fn
        return self.tp / d if d else 0.0

    @property
    def f1(self) -> float:
        d = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / d if d else 0.0

    @property
    def empty(self) -> bool:
        return self.tp == self.fp == self.fn == 0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class NodeMatch:
    """How a graph node was assigned (every node with a contract class gets one)."""

    node: str
    label: str
    classes: tuple[str, ...]
    mentioned: bool
    gold_id: str | None  # the node's target, None when it answers for nothing
    via: str | None  # prefLabel | wikidata | country-iri | altLabel | rdfs:label
    status: str  # matched | duplicate | unmatched | organisation-only | reference


@dataclass(frozen=True)
class MissedEntity:
    gold_id: str
    cls: str
    name: str


@dataclass(frozen=True)
class SpuriousNode:
    node: str
    label: str
    classes: tuple[str, ...]
    fp_classes: tuple[str, ...]  # the rows in which this node counted fp
    reason: str  # "unmatched" | "duplicate of X" | "typed only Organisation" | "wrong class ..."
    gold_id: str | None = None  # the gold entity concerned (duplicate/wrong class/hint)


@dataclass(frozen=True)
class RelationRecord:
    """A relation in the report.  ``s``/``o`` are gold ids where an end maps to one,
    otherwise the node IRI; ``p`` is the gold property for missed/matched relations and
    the graph property for spurious ones."""

    s: str
    p: str
    o: str
    s_label: str
    o_label: str
    s_gold: bool = True
    o_gold: bool = True
    note: str = ""
    graph_triples: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class NominativeShare:
    nominative: int
    total: int
    not_nominative: tuple[tuple[str, str, tuple[str, ...]], ...]  # (node, gold id, @lv prefLabels)

    @property
    def share(self) -> float:
        return self.nominative / self.total if self.total else 0.0


@dataclass(frozen=True)
class EvalReport:
    corpus: str
    classes: Mapping[str, Score]  # CLASS_ROWS order
    main: Score  # the seven main classes + the Organisation error row
    other: Score  # Person + Event + PolicyDocument
    entities: Score  # all rows
    relations: Mapping[str, Score]  # PROPERTIES order
    relations_all: Score
    missed_entities: tuple[MissedEntity, ...]
    spurious_nodes: tuple[SpuriousNode, ...]
    matched_relations: tuple[RelationRecord, ...]
    missed_relations: tuple[RelationRecord, ...]
    spurious_relations: tuple[RelationRecord, ...]
    accepted_relations: tuple[RelationRecord, ...]
    nominative: NominativeShare
    matches: tuple[NodeMatch, ...]
    ambiguities: tuple[str, ...]
    derived_partner: int  # graph partner triples dropped because leadPartner is there
    reference_relations: int  # relations between unmentioned nodes, not scored
    scored_nodes: int  # nodes with a contract class and ctn:mentionedIn
    class_nodes: int  # nodes with a contract class


# ---------------------------------------------------------------------------
# reading the store


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


def _read_nodes(store: pyoxigraph.Store) -> dict[str, _Node]:
    """Every subject with a label, type, mention or sameAs, keyed by IRI / _:id."""
    import pyoxigraph as ox

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
        node(q.subject).mentioned = True
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


def _read_relations(store: pyoxigraph.Store) -> set[tuple[str, str, str]]:
    import pyoxigraph as ox

    out: set[tuple[str, str, str]] = set()
    for prop in PROPERTIES:
        for q in store.quads_for_pattern(None, ox.NamedNode(CTN + prop), None, None):
            out.add((_term_key(q.subject), prop, _term_key(q.object)))
    return out


# ---------------------------------------------------------------------------
# assignment


class _Index:
    def __init__(self, gold: Gold) -> None:
        self.gold = gold
        self.order = {e.id: i for i, e in enumerate(gold.entities)}
        self.by_name: dict[str, list[GoldEntity]] = defaultdict(list)
        self.by_wikidata: dict[str, list[GoldEntity]] = defaultdict(list)
        self.by_country: dict[str, list[GoldEntity]] = defaultdict(list)
        self.names: dict[str, frozenset[str]] = {}
        for e in gold.entities:
            normed = frozenset(normalise_label(n) for n in e.names)
            self.names[e.id] = normed
            for n in sorted(normed):
                self.by_name[n].append(e)
            if e.wikidata:
                self.by_wikidata[e.wikidata].append(e)
            if e.cls == "Country":
                self.by_country[(e.country or e.id).upper()].append(e)

    def named(self, labels: Iterable[tuple[str, str]], classes: frozenset[str] | None) -> list[GoldEntity]:
        found: dict[str, GoldEntity] = {}
        for value, _lang in labels:
            for e in self.by_name.get(normalise_label(value), ()):
                if classes is None or any(_compatible(c, e.cls) for c in classes):
                    found[e.id] = e
        return sorted(found.values(), key=lambda e: self.order[e.id])


# tiers: 0 prefLabel, 1 wikidata / country IRI, 2 altLabel / rdfs:label
def _target(n: _Node, index: _Index) -> tuple[int, GoldEntity, str, list[GoldEntity]] | None:
    """(tier, chosen gold entity, via, all candidates of that tier) or None."""
    classes = n.classes

    def ok(e: GoldEntity) -> bool:
        return any(_compatible(c, e.cls) for c in classes)

    cands = index.named(n.pref, classes)
    if cands:
        return (0, cands[0], "prefLabel", cands)

    via: dict[str, str] = {}
    for qid in sorted(n.same_as):
        for e in index.by_wikidata.get(qid, ()):
            if ok(e):
                via.setdefault(e.id, "wikidata")
    m = _COUNTRY_IRI_RE.match(n.key)
    if m:
        for e in index.by_country.get(m.group(1).upper(), ()):
            if ok(e):
                via.setdefault(e.id, "country-iri")
    if via:
        ids = sorted(via, key=index.order.__getitem__)
        cands = [index.gold.entity(i) for i in ids]
        return (1, cands[0], via[ids[0]], cands)

    cands = index.named(n.alt | n.rdfs, classes)
    if cands:
        first = cands[0]
        names = index.names[first.id]
        by_alt = any(normalise_label(v) in names for v, _ in n.alt)
        return (2, first, "altLabel" if by_alt else "rdfs:label", cands)
    return None


# ---------------------------------------------------------------------------
# evaluation


def evaluate_store(store: pyoxigraph.Store, gold: Gold) -> EvalReport:
    """Score the graph in ``store`` (all graphs, default and named) against ``gold``."""
    index = _Index(gold)
    all_nodes = _read_nodes(store)
    class_nodes = {k: n for k, n in all_nodes.items() if n.classes}

    targets: dict[str, tuple[int, GoldEntity, str, list[GoldEntity]]] = {}
    ambiguities: list[str] = []
    for key in sorted(class_nodes):
        t = _target(class_nodes[key], index)
        if t is None:
            continue
        targets[key] = t
        if len(t[3]) > 1:
            tier_name = ("prefLabel", "Wikidata id / country IRI", "altLabel / rdfs:label")[t[0]]
            ambiguities.append(
                f"{key}: {tier_name} names {', '.join(e.id for e in t[3])}; took {t[1].id} (first in gold order)"
            )

    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    taken: dict[str, str] = {}  # gold id -> node key
    status: dict[str, str] = {}
    spurious: list[SpuriousNode] = []

    scored = [k for k, n in class_nodes.items() if n.mentioned]
    order = sorted(scored, key=lambda k: (targets[k][0] if k in targets else 3, k))
    for key in order:
        n = class_nodes[key]
        classes = _class_sort(n.classes)
        label = n.label()
        if n.classes == {ORGANISATION}:
            fp[ORGANISATION] += 1
            status[key] = "organisation-only"
            hint = index.named(n.pref, None) or index.named(n.alt | n.rdfs, None)
            spurious.append(
                SpuriousNode(
                    key,
                    label,
                    classes,
                    (ORGANISATION,),
                    "typed only Organisation",
                    hint[0].id if hint else None,
                )
            )
            continue
        t = targets.get(key)
        if t is None:
            for c in classes:
                fp[c] += 1
            status[key] = "unmatched"
            spurious.append(SpuriousNode(key, label, classes, classes, "unmatched"))
            continue
        g = t[1]
        if g.id in taken:
            for c in classes:
                fp[c] += 1
            status[key] = "duplicate"
            spurious.append(SpuriousNode(key, label, classes, classes, f"duplicate of {g.id}", g.id))
            continue
        taken[g.id] = key
        status[key] = "matched"
        tp[g.cls] += 1
        wrong = tuple(c for c in classes if not _compatible(c, g.cls))
        for c in wrong:
            fp[c] += 1
        if wrong:
            spurious.append(
                SpuriousNode(
                    key,
                    label,
                    classes,
                    wrong,
                    f"wrong class {', '.join(wrong)} (answers for {g.id} as {g.cls})",
                    g.id,
                )
            )

    missed: list[MissedEntity] = []
    for e in gold.entities:
        if e.id not in taken:
            fn[e.cls] += 1
            missed.append(MissedEntity(e.id, e.cls, e.name))

    class_scores = {c: Score(tp[c], fp[c], fn[c]) for c in CLASS_ROWS}
    main = sum((class_scores[c] for c in MAIN_CLASSES + (ORGANISATION,)), Score())
    other = sum((class_scores[c] for c in OTHER_CLASSES), Score())

    matches = tuple(
        NodeMatch(
            node=k,
            label=n.label(),
            classes=_class_sort(n.classes),
            mentioned=n.mentioned,
            gold_id=targets[k][1].id if k in targets else None,
            via=targets[k][2] if k in targets else None,
            status=status.get(k, "reference"),
        )
        for k, n in sorted(class_nodes.items())
    )

    # nominative share over the true-positive nodes
    nominative = 0
    not_nom: list[tuple[str, str, tuple[str, ...]]] = []
    for e in gold.entities:
        tp_node = taken.get(e.id)
        if tp_node is None:
            continue
        lv = class_nodes[tp_node].lv_pref()
        if lv and all(normalise_label(v) in index.names[e.id] for v in lv):
            nominative += 1
        else:
            not_nom.append((tp_node, e.id, lv))
    nom = NominativeShare(nominative, len(taken), tuple(not_nom))

    rel = _score_relations(store, gold, all_nodes, class_nodes, targets)

    return EvalReport(
        corpus=gold.corpus,
        classes=class_scores,
        main=main,
        other=other,
        entities=sum(class_scores.values(), Score()),
        nominative=nom,
        matches=matches,
        missed_entities=tuple(missed),
        spurious_nodes=tuple(sorted(spurious, key=lambda s: s.node)),
        ambiguities=tuple(ambiguities),
        scored_nodes=len(scored),
        class_nodes=len(class_nodes),
        **rel,
    )


def _score_relations(
    store: pyoxigraph.Store,
    gold: Gold,
    all_nodes: Mapping[str, _Node],
    class_nodes: Mapping[str, _Node],
    targets: Mapping[str, tuple[int, GoldEntity, str, list[GoldEntity]]],
) -> dict[str, Any]:
    gold_keys = {r.key for r in gold.relations}
    acceptable = {r.key for r in gold.acceptable}

    def end(key: str) -> tuple[bool, str]:
        t = targets.get(key)
        return (True, t[1].id) if t else (False, key)

    def label(is_gold: bool, ref: str) -> str:
        if is_gold:
            return gold.entity(ref).name
        n = all_nodes.get(ref)
        return n.label() if n else ""

    reference = 0
    mapped: dict[tuple[tuple[bool, str], str, tuple[bool, str]], list[tuple[str, str, str]]] = defaultdict(list)
    for triple in sorted(_read_relations(store)):
        sn, on = class_nodes.get(triple[0]), class_nodes.get(triple[2])
        if sn is not None and on is not None and not sn.mentioned and not on.mentioned:
            reference += 1
            continue
        mapped[(end(triple[0]), triple[1], end(triple[2]))].append(triple)

    derived = 0
    for mkey in list(mapped):
        ms, mp, mo = mkey
        if mp == "partner" and (ms, "leadPartner", mo) in mapped:
            derived += len(mapped.pop(mkey))

    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    hit: set[tuple[str, str, str]] = set()
    matched: list[RelationRecord] = []
    accepted: list[RelationRecord] = []
    spurious: list[RelationRecord] = []

    def record(
        s: tuple[bool, str],
        p: str,
        o: tuple[bool, str],
        note: str,
        triples: list[tuple[str, str, str]],
    ) -> RelationRecord:
        return RelationRecord(s[1], p, o[1], label(*s), label(*o), s[0], o[0], note, tuple(sorted(triples)))

    for (s, p, o), triples in sorted(mapped.items()):
        if s[0] and o[0]:
            if (s[1], p, o[1]) in gold_keys:
                tp[p] += 1
                hit.add((s[1], p, o[1]))
                matched.append(record(s, p, o, "", triples))
                continue
            if p == "leadPartner" and (s[1], "partner", o[1]) in gold_keys:
                tp["partner"] += 1
                hit.add((s[1], "partner", o[1]))
                matched.append(record(s, "partner", o, "graph leadPartner", triples))
                continue
            if (s[1], p, o[1]) in acceptable or (p == "leadPartner" and (s[1], "partner", o[1]) in acceptable):
                accepted.append(record(s, p, o, "acceptable", triples))
                continue
            note = "not in gold"
            if p == "partner" and (s[1], "leadPartner", o[1]) in gold_keys:
                note = "gold has leadPartner"
        else:
            ends = [name for name, e in (("subject", s), ("object", o)) if not e[0]]
            note = f"{' and '.join(ends)} answers for no gold entity"
        fp[p] += 1
        spurious.append(record(s, p, o, note, triples))

    missed: list[RelationRecord] = []
    for r in gold.relations:
        if r.key not in hit:
            fn[r.p] += 1
            missed.append(record((True, r.s), r.p, (True, r.o), "", []))

    scores = {p: Score(tp[p], fp[p], fn[p]) for p in PROPERTIES}
    return {
        "relations": scores,
        "relations_all": sum(scores.values(), Score()),
        "matched_relations": tuple(matched),
        "missed_relations": tuple(missed),
        "spurious_relations": tuple(spurious),
        "accepted_relations": tuple(accepted),
        "derived_partner": derived,
        "reference_relations": reference,
    }


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
        raise ValueError(f"{path}: no such file")
    store = ox.Store()
    try:
        store.load(path=str(path), format=getattr(ox.RdfFormat, fmt), base_iri=path.resolve().as_uri())
    except (SyntaxError, OSError) as e:
        raise ValueError(f"{path}: {e}") from None
    return store


def evaluate_graph(graph_path: Path, gold_path: Path) -> EvalReport:
    """Parse ``graph_path`` and score it against the gold file at ``gold_path``."""
    return evaluate_store(load_store(graph_path), load_gold(gold_path))


# ---------------------------------------------------------------------------
# output


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def _widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    return [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = _widths(headers, rows)

    def line(cells: list[str]) -> str:
        out = []
        for i, (c, w) in enumerate(zip(cells, widths, strict=True)):
            out.append(c.ljust(w) if i == 0 else c.rjust(w))
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def _score_row(name: str, s: Score) -> list[str]:
    if s.empty:
        return [name, "0", "0", "0", "n/a", "n/a", "n/a"]
    return [name, str(s.tp), str(s.fp), str(s.fn), _fmt(s.precision), _fmt(s.recall), _fmt(s.f1)]


def _list_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = _widths(headers, rows)

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def _rel_row(r: RelationRecord) -> list[str]:
    s = f"{r.s} ({r.s_label})" if r.s_label else r.s
    o = f"{r.o} ({r.o_label})" if r.o_label else r.o
    return [s, r.p, o, r.note]


def format_report(report: EvalReport, *, details: bool = True) -> str:
    """The report as plain-text tables."""
    head = ["", "tp", "fp", "fn", "P", "R", "F1"]
    parts: list[str] = [f"Evaluation against gold '{report.corpus}'"]
    parts.append(f"nodes with a contract class: {report.class_nodes}; scored (mentioned): {report.scored_nodes}")
    rows = [_score_row(c, report.classes[c]) for c in CLASS_ROWS]
    rows += [
        _score_row("main (7 classes + Organisation)", report.main),
        _score_row("Person+Event+PolicyDocument", report.other),
        _score_row("all entities", report.entities),
    ]
    parts.append("Entities\n" + _table(["class", *head[1:]], rows))
    rows = [_score_row(p, report.relations[p]) for p in PROPERTIES]
    rows.append(_score_row("all relations", report.relations_all))
    parts.append("Relations\n" + _table(["property", *head[1:]], rows))
    parts.append(
        f"derived partner triples ignored: {report.derived_partner}; acceptable relations "
        f"ignored: {len(report.accepted_relations)}; reference relations (both ends "
        f"unmentioned) ignored: {report.reference_relations}"
    )
    nom = report.nominative
    parts.append(f"Nominative share: {nom.nominative}/{nom.total} = {_fmt(nom.share)}")
    if details:
        if report.missed_entities:
            parts.append(
                f"Missed entities ({len(report.missed_entities)})\n"
                + _list_table(
                    ["gold id", "class", "name"],
                    [[m.gold_id, m.cls, m.name] for m in report.missed_entities],
                )
            )
        if report.spurious_nodes:
            parts.append(
                f"Spurious nodes ({len(report.spurious_nodes)})\n"
                + _list_table(
                    ["node", "prefLabel", "classes", "reason"],
                    [[s.node, s.label, ",".join(s.classes), s.reason] for s in report.spurious_nodes],
                )
            )
        if nom.not_nominative:
            parts.append(
                f"Not nominative ({len(nom.not_nominative)})\n"
                + _list_table(
                    ["node", "gold id", "@lv prefLabel"],
                    [[k, g, " | ".join(lv) or "(none)"] for k, g, lv in nom.not_nominative],
                )
            )
        for title, recs in (
            ("Missed relations", report.missed_relations),
            ("Spurious relations", report.spurious_relations),
        ):
            if recs:
                parts.append(
                    f"{title} ({len(recs)})\n"
                    + _list_table(["subject", "property", "object", "note"], [_rel_row(r) for r in recs])
                )
        if report.ambiguities:
            parts.append("Ambiguous labels\n" + "\n".join(report.ambiguities))
    return "\n\n".join(parts) + "\n"


def _rel_json(r: RelationRecord) -> dict[str, Any]:
    return {
        "s": r.s,
        "p": r.p,
        "o": r.o,
        "s_label": r.s_label,
        "o_label": r.o_label,
        "s_gold": r.s_gold,
        "o_gold": r.o_gold,
        "note": r.note,
        "graph_triples": [list(t) for t in r.graph_triples],
    }


def report_to_json(report: EvalReport) -> dict[str, Any]:
    """A JSON-serialisable dict of the whole report."""
    nom = report.nominative
    return {
        "corpus": report.corpus,
        "class_nodes": report.class_nodes,
        "scored_nodes": report.scored_nodes,
        "classes": {c: s.to_json() for c, s in report.classes.items()},
        "main": report.main.to_json(),
        "other": report.other.to_json(),
        "entities": report.entities.to_json(),
        "relations": {p: s.to_json() for p, s in report.relations.items()},
        "relations_all": report.relations_all.to_json(),
        "nominative": {
            "nominative": nom.nominative,
            "total": nom.total,
            "share": nom.share,
            "not_nominative": [{"node": k, "gold_id": g, "lv_prefLabels": list(lv)} for k, g, lv in nom.not_nominative],
        },
        "missed_entities": [{"gold_id": m.gold_id, "class": m.cls, "name": m.name} for m in report.missed_entities],
        "spurious_nodes": [
            {
                "node": s.node,
                "label": s.label,
                "classes": list(s.classes),
                "fp_classes": list(s.fp_classes),
                "reason": s.reason,
                "gold_id": s.gold_id,
            }
            for s in report.spurious_nodes
        ],
        "matched_relations": [_rel_json(r) for r in report.matched_relations],
        "missed_relations": [_rel_json(r) for r in report.missed_relations],
        "spurious_relations": [_rel_json(r) for r in report.spurious_relations],
        "accepted_relations": [_rel_json(r) for r in report.accepted_relations],
        "derived_partner": report.derived_partner,
        "reference_relations": report.reference_relations,
        "matches": [
            {
                "node": m.node,
                "label": m.label,
                "classes": list(m.classes),
                "mentioned": m.mentioned,
                "gold_id": m.gold_id,
                "via": m.via,
                "status": m.status,
            }
            for m in report.matches
        ],
        "ambiguities": list(report.ambiguities),
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m ctn_graph.evaluate GRAPH GOLD [--json]``"""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    if len(args) != 2:
        print("usage: python -m ctn_graph.evaluate GRAPH GOLD [--json]", file=sys.stderr)
        return 2
    report = evaluate_graph(Path(args[0]), Path(args[1]))
    if as_json:
        print(json.dumps(report_to_json(report), ensure_ascii=False, indent=2))
    else:
        print(format_report(report), end="")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

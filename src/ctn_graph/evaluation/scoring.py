"""Scoring a graph against gold: assigning nodes to gold entities, then counting
entities and relations (the rules are in the package docstring)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .gold import Gold, GoldEntity, in_split, load_gold, normalise_label, split_gold
from .graph import _Node, _read_nodes, _read_relations, load_store
from .records import EvalReport, MissedEntity, NodeMatch, NominativeShare, RelationRecord, Score, SpuriousNode
from .terms import (
    _COUNTRY_IRI_RE,
    CLASS_ROWS,
    MAIN_CLASSES,
    ORGANISATION,
    OTHER_CLASSES,
    PROPERTIES,
    _class_sort,
    _compatible,
)

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph


# ---------------------------------------------------------------------------
# assignment


class _Index:
    def __init__(self, gold: Gold) -> None:
        self.gold = gold
        self.order = {e.id: i for i, e in enumerate(gold.entities)}
        self.by_name: dict[str, list[GoldEntity]] = defaultdict(list)
        self.by_wikidata: dict[str, list[GoldEntity]] = defaultdict(list)
        self.by_country: dict[str, list[GoldEntity]] = defaultdict(list)
        self.dated_events: list[GoldEntity] = []
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
            if e.cls == "Event" and e.date:
                self.dated_events.append(e)

    def named(self, labels: Iterable[tuple[str, str]], classes: frozenset[str] | None) -> list[GoldEntity]:
        found: dict[str, GoldEntity] = {}
        for value, _lang in labels:
            for e in self.by_name.get(normalise_label(value), ()):
                if classes is None or any(_compatible(c, e.cls) for c in classes):
                    found[e.id] = e
        return sorted(found.values(), key=lambda e: self.order[e.id])


# tiers: 0 prefLabel, 1 wikidata / country IRI / event date and document, 2 altLabel / rdfs:label
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
    if "Event" in classes and n.start_dates and n.docs:
        for e in index.dated_events:
            date = e.date or ""
            if any(d.startswith(date) for d in n.start_dates) and n.docs.intersection(e.docs):
                via.setdefault(e.id, "date")
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


def evaluate_store(store: pyoxigraph.Store, gold: Gold, split: str | None = None) -> EvalReport:
    """Score the graph in ``store`` (all graphs, default and named) against ``gold``.

    With ``split`` (``"even"`` or ``"odd"``), only that half of the corpus is scored:
    the gold entities and relations of its documents, the nodes mentioned in them and
    the relations read from them (:func:`.gold.split_gold`, :func:`.gold.in_split`)."""
    keep_doc = None
    if split is not None:
        gold = split_gold(gold, split)
        keep_doc = functools.partial(in_split, split=split)
    index = _Index(gold)
    all_nodes = _read_nodes(store, keep_doc)
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
        if targets[tp_node][2] == "date":
            continue  # an event matched by its date and document: events are named freely
        lv = class_nodes[tp_node].lv_pref()
        if lv and all(normalise_label(v) in index.names[e.id] for v in lv):
            nominative += 1
        else:
            not_nom.append((tp_node, e.id, lv))
    named = sum(1 for k in taken.values() if targets[k][2] != "date")
    nom = NominativeShare(nominative, named, tuple(not_nom))

    rel = _score_relations(store, gold, all_nodes, class_nodes, targets, keep_doc)

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
    keep_doc: Callable[[str], bool] | None = None,
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
    for triple in sorted(_read_relations(store, keep_doc)):
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


def evaluate_graph(graph_path: Path, gold_path: Path, split: str | None = None) -> EvalReport:
    """Parse ``graph_path`` and score it against the gold file at ``gold_path``."""
    return evaluate_store(load_store(graph_path), load_gold(gold_path), split)

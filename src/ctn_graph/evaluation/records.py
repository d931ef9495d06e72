"""The records of an evaluation report: scores, node assignments, missed and spurious
items, and the report itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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
    via: str | None  # prefLabel | wikidata | country-iri | date | altLabel | rdfs:label
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

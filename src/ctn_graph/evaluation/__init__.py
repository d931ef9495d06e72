"""Score a built graph against a gold annotation file (data/gold/README.md).

The package is self-contained: it reads the graph through pyoxigraph only and knows
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
* Coverage.  The scores mean something only for documents the gold annotates:
  :func:`coverage_warning` gives one line when the gold covers none or under half of
  the graph's documents (``ctn:fileName``), or the graph holds none of the gold's
  (``docs``); ``ctn-graph evaluate`` prints it on stderr, its exit status unchanged.
"""

from __future__ import annotations

from .coverage import Coverage, coverage, coverage_warning
from .gold import Gold, GoldEntity, GoldRelation, load_gold, normalise_label
from .graph import load_store
from .records import (
    EvalReport,
    MissedEntity,
    NodeMatch,
    NominativeShare,
    RelationRecord,
    Score,
    SpuriousNode,
)
from .report import format_report, report_to_json
from .scoring import evaluate_graph, evaluate_store
from .terms import CLASSES, MAIN_CLASSES, OTHER_CLASSES, PROPERTIES, scoring_classes

__all__ = [
    "CLASSES",
    "Coverage",
    "coverage",
    "coverage_warning",
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

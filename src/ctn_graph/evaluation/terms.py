"""The contract's terms (docs/CONTRACT.md) by IRI: the gold classes and properties,
and how a node's classes are reduced and compared for scoring."""

from __future__ import annotations

import re
from collections.abc import Iterable

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
FILE_NAME = CTN + "fileName"
START_DATE = CTN + "startDate"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_SUBJECT = RDF + "subject"
RDF_PREDICATE = RDF + "predicate"
RDF_OBJECT = RDF + "object"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"

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

# ---------------------------------------------------------------------------
# classes


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

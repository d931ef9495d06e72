"""The public contract (docs/CONTRACT.md), the ontology and the code agree."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from ctn_graph.ir import EntityClass, Relation
from ctn_graph.rdf.vocab import CTN, CTN_NS, TERMS

from .conftest import ROOT

CONTRACT = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
ONTOLOGY = ROOT / "ontology" / "ctn.ttl"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL = "http://www.w3.org/2002/07/owl#"


def contract_terms() -> set[str]:
    return set(re.findall(r"`ctn:([A-Za-z]+)`", CONTRACT))


def ontology_declared() -> dict[str, set[str]]:
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    out: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, RDF_TYPE, None, None):
        s = q.subject
        if isinstance(s, ox.NamedNode) and s.value.startswith(CTN_NS):
            out.setdefault(s.value[len(CTN_NS) :], set()).add(q.object.value)
    return out


def test_contract_lists_the_terms_we_expect():
    terms = contract_terms()
    assert {"Organisation", "Funder", "leadPartner", "mentionedIn", "Document"} <= terms
    assert len(terms) >= 23


@pytest.mark.parametrize("term", sorted(contract_terms()))
def test_every_contract_term_is_declared_in_the_ontology(term):
    declared = ontology_declared()
    assert term in declared, f"ctn:{term} is in CONTRACT.md but not declared in ontology/ctn.ttl"
    kinds = declared[term]
    if term[0].isupper():
        assert OWL + "Class" in kinds
    else:
        assert kinds & {OWL + "ObjectProperty", OWL + "DatatypeProperty"}


def test_vocab_is_exactly_the_ontology():
    assert set(ontology_declared()) == set(TERMS)


def test_closed_vocabulary_rejects_typos():
    assert CTN.partOf == CTN_NS + "partOf"
    with pytest.raises(AttributeError):
        _ = CTN.partof


def test_enums_name_contract_terms():
    terms = contract_terms()
    assert {c.value for c in EntityClass} <= terms
    assert {r.value for r in Relation} <= terms


def test_every_term_has_latvian_and_english_labels_and_definitions():
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    skos = "http://www.w3.org/2004/02/skos/core#"
    for term in TERMS:
        node = ox.NamedNode(CTN_NS + term)
        for prop in ("prefLabel", "definition"):
            langs = {q.object.language for q in store.quads_for_pattern(node, ox.NamedNode(skos + prop), None, None)}
            assert {"lv", "en"} <= langs, f"ctn:{term} lacks skos:{prop} in lv and en"


def test_seed_graph_uses_contract_terms_as_specified(seed_store):
    """Domains and ranges of the contract hold in the built graph."""
    q = """
    PREFIX ctn: <https://w3id.org/ctn/ontology#>
    SELECT ?p (COUNT(*) AS ?bad) WHERE {
      { ?s ctn:leadPartner|ctn:partner|ctn:fundedBy|ctn:supportedBy ?o .
        FILTER NOT EXISTS { ?s a ctn:Project . ?o a ctn:Organisation } BIND("project->org" AS ?p) }
      UNION { ?s ctn:participantCountry ?o .
              FILTER NOT EXISTS { ?s a ctn:Project . ?o a ctn:Country } BIND("pc" AS ?p) }
      UNION { ?s ctn:country ?o .
              FILTER NOT EXISTS { ?s a ctn:Organisation . ?o a ctn:Country } BIND("country" AS ?p) }
      UNION { ?s ctn:affiliation ?o . FILTER NOT EXISTS { ?s a ctn:Person . ?o a ctn:Organisation } BIND("aff" AS ?p) }
      UNION { ?s ctn:partOf ?o .
              FILTER NOT EXISTS { ?s a ctn:Organisation . ?o a ctn:Organisation } BIND("partOf" AS ?p) }
      UNION { ?s ctn:mentionedIn ?o . FILTER NOT EXISTS { ?o a ctn:Document } BIND("mentionedIn" AS ?p) }
      UNION { ?s a ctn:Ministry .
              FILTER NOT EXISTS { ?s a ctn:PublicBody, ctn:Organisation } BIND("ministry types" AS ?p) }
      UNION { ?x ctn:fundedBy ?s . FILTER NOT EXISTS { ?s a ctn:Funder } BIND("funder type" AS ?p) }
      UNION { ?x ctn:leadPartner ?s . FILTER NOT EXISTS { ?x ctn:partner ?s } BIND("lead implies partner" AS ?p) }
    } GROUP BY ?p
    """
    rows = [(r["p"].value, int(r["bad"].value)) for r in seed_store.query(q, use_default_graph_as_union=True)]
    assert rows == []


def test_countries_have_iso_iri_and_code(seed_store):
    q = """
    PREFIX ctn: <https://w3id.org/ctn/ontology#>
    SELECT ?c ?code WHERE { ?c a ctn:Country ; ctn:iso3166Alpha2 ?code }
    """
    rows = list(seed_store.query(q, use_default_graph_as_union=True))
    assert len(rows) >= 193
    for r in rows:
        assert r["c"].value == f"https://w3id.org/ctn/id/country/{r['code'].value}"

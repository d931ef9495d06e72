"""The RDF mapping, tested on records built by hand (no extraction involved)."""

from __future__ import annotations

import pyoxigraph as ox

from ctn_graph.ir import Document, Entity, EntityClass, Evidence, Relation, Resolved, ResolvedClaim, Sentence
from ctn_graph.pipeline.mapping import to_quads
from ctn_graph.pipeline.memory import to_store

CTN = "https://w3id.org/ctn/ontology#"
ID = "https://w3id.org/ctn/id/"
TEXT = "Projekta vadošais partneris: Valsts policija."


def resolved() -> Resolved:
    doc = Document(
        id="d1",
        path="x/d1.txt",
        text=TEXT,
        content_hash="h",
        title="T",
        url="https://example.org/a",
        dates=("2018-10-18",),
        sentences=(Sentence(0, 0, len(TEXT), TEXT),),
    )
    ev = Evidence("d1", 0, 0, len(TEXT), "vadošais partneris")
    police = Entity(
        "org/lv-vp",
        EntityClass.PUBLIC_BODY,
        "Valsts policija",
        "State Police",
        alt_labels=(("VP", ""),),
        hidden_labels=("Valsts policijas",),
        country="LV",
        docs=("d1",),
        mentions=(ev,),
    )
    ministry = Entity("org/lv-iem", EntityClass.MINISTRY, "Iekšlietu ministrija", docs=("d1",))
    project = Entity("project/x", EntityClass.PROJECT, "X", docs=("d1",))
    lv = Entity("country/LV", EntityClass.COUNTRY, "Latvija", "Latvia", iso2="LV", wikidata="Q211")
    claims = (
        ResolvedClaim("project/x", Relation.LEAD_PARTNER, "org/lv-vp", (ev,)),
        ResolvedClaim("project/x", Relation.FUNDED_BY, "org/lv-iem", (ev,)),
        ResolvedClaim("org/lv-vp", Relation.COUNTRY, "country/LV", (ev,)),
    )
    return Resolved((doc,), (police, ministry, project, lv), claims)


def ask(store: ox.Store, q: str) -> bool:
    return bool(
        store.query(
            f"PREFIX ctn: <{CTN}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> " + q,
            use_default_graph_as_union=True,
        )
    )


def test_types_are_materialised():
    store = to_store(resolved(), with_ontology=False)
    assert ask(store, f"ASK {{ <{ID}org/lv-iem> a ctn:Ministry, ctn:PublicBody, ctn:Organisation, ctn:Funder }}")
    assert ask(store, f"ASK {{ <{ID}org/lv-vp> a ctn:PublicBody, ctn:Organisation }}")
    assert not ask(store, f"ASK {{ <{ID}org/lv-vp> a ctn:Funder }}")


def test_labels():
    store = to_store(resolved(), with_ontology=False)
    vp = f"<{ID}org/lv-vp>"
    assert ask(
        store,
        f'ASK {{ {vp} skos:prefLabel "Valsts policija"@lv, "State Police"@en ; '
        f'<http://www.w3.org/2000/01/rdf-schema#label> "Valsts policija"@lv ; '
        f'skos:altLabel "VP" ; skos:hiddenLabel "Valsts policijas"@lv }}',
    )
    assert ask(
        store,
        f"ASK {{ <{ID}country/LV> <http://www.w3.org/2002/07/owl#sameAs> "
        f'<http://www.wikidata.org/entity/Q211> ; ctn:iso3166Alpha2 "LV" }}',
    )


def test_relation_sits_in_the_default_graph_once_and_its_evidence_in_the_document_graph():
    quads = list(to_quads(resolved()))
    lead = [q for q in quads if q.predicate.value == CTN + "leadPartner"]
    assert len(lead) == 1 and lead[0].graph_name == ox.DefaultGraph()  # issue 16: once, not once per document
    # leadPartner implies partner (subproperty), asserted for SPARQL users
    assert any(q.predicate.value == CTN + "partner" and q.graph_name == ox.DefaultGraph() for q in quads)
    store = to_store(resolved(), with_ontology=False)
    rows = list(
        store.query(f"""
        PREFIX ctn: <{CTN}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?text ?start ?doc ?cue WHERE {{
          GRAPH ?doc {{ ?ev a ctn:Evidence ; rdf:subject <{ID}project/x> ; rdf:predicate ctn:leadPartner ;
                rdf:object <{ID}org/lv-vp> ; prov:wasDerivedFrom ?doc ; ctn:sentence ?s ; ctn:cue ?cue .
          ?s ctn:text ?text ; ctn:startOffset ?start }} }}""")
    )
    assert len(rows) == 1
    assert rows[0]["text"].value == TEXT
    assert rows[0]["start"].value == "0"
    assert rows[0]["doc"].value == f"{ID}doc/d1"
    assert rows[0]["cue"].value == "vadošais partneris"


def test_document_metadata_and_mentions():
    store = to_store(resolved(), with_ontology=False)
    d = f"<{ID}doc/d1>"
    assert ask(
        store,
        f'ASK {{ GRAPH {d} {{ {d} a ctn:Document ; <http://purl.org/dc/terms/identifier> "d1" ; '
        f"<http://purl.org/dc/terms/source> <https://example.org/a> ; "
        f'<http://purl.org/dc/terms/issued> "2018-10-18"^^<http://www.w3.org/2001/XMLSchema#date> }} }}',
    )
    assert ask(store, f"ASK {{ GRAPH {d} {{ <{ID}org/lv-vp> ctn:mentionedIn {d} }} }}")
    # reference data not found in any document carries no mentionedIn
    assert not ask(store, f"ASK {{ <{ID}country/LV> ctn:mentionedIn ?d }}")


def test_mapping_is_deterministic():
    a = sorted(str(q) for q in to_quads(resolved()))
    b = sorted(str(q) for q in to_quads(resolved()))
    assert a == b

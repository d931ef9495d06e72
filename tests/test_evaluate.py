"""Tests for ctn_graph.evaluation: small hand-built graphs against a small hand-made gold."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from ctn_graph.evaluation import (
    CLASSES,
    Gold,
    Score,
    evaluate_graph,
    evaluate_store,
    format_report,
    load_gold,
    normalise_label,
    report_to_json,
)

REPO = Path(__file__).resolve().parents[1]

PREFIXES = """\
@prefix ctn: <https://w3id.org/ctn/ontology#> .
@prefix ctnid: <https://w3id.org/ctn/id/> .
@prefix org: <https://w3id.org/ctn/id/org/> .
@prefix project: <https://w3id.org/ctn/id/project/> .
@prefix country: <https://w3id.org/ctn/id/country/> .
@prefix doc: <https://w3id.org/ctn/id/doc/> .
@prefix person: <https://w3id.org/ctn/id/person/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix wd: <http://www.wikidata.org/entity/> .
"""

GOLD = {
    "corpus": "test",
    "entities": [
        {
            "id": "LV",
            "class": "Country",
            "names": ["Latvija", "Latvia"],
            "country": "LV",
            "wikidata": "Q211",
            "docs": ["d1"],
        },
        {
            "id": "MD",
            "class": "Country",
            "names": ["Moldova"],
            "country": "MD",
            "wikidata": "Q217",
            "docs": ["d1"],
        },
        {
            "id": "lv-moi",
            "class": "Ministry",
            "names": ["Iekšlietu ministrija", "IeM"],
            "country": "LV",
            "docs": ["d1"],
        },
        {
            "id": "lv-police",
            "class": "PublicBody",
            "names": ["Valsts policija"],
            "country": "LV",
            "docs": ["d1"],
        },
        {
            "id": "lv-wg",
            "class": "PublicBody",
            "names": ["Programmas darba grupa"],
            "country": "LV",
            "docs": ["d1"],
        },
        {
            "id": "marta",
            "class": "NGO",
            "names": ["biedrība „Centrs MARTA”", "Centrs MARTA"],
            "country": "LV",
            "docs": ["d1"],
        },
        {
            "id": "eu",
            "class": "InternationalOrganisation",
            "names": ["Eiropas Savienība", "ES"],
            "wikidata": "Q458",
            "docs": ["d1"],
        },
        {
            "id": "icmpd",
            "class": "InternationalOrganisation",
            "names": ["Starptautiskais Migrācijas politikas attīstības centrs", "ICMPD"],
            "docs": ["d1"],
        },
        {
            "id": "airbaltic",
            "class": "Company",
            "names": ["airBaltic"],
            "country": "LV",
            "docs": ["d1"],
        },
        {"id": "proj", "class": "Project", "names": ["DEFLECT"], "docs": ["d1"]},
        {"id": "proj2", "class": "Project", "names": ["STROM II"], "docs": ["d1"]},
        {"id": "p-stabina", "class": "Person", "names": ["Lāsma Stabiņa"], "docs": ["d1"]},
        {"id": "ev", "class": "Event", "names": ["Projekta noslēguma sanāksme"], "docs": ["d1"]},
        {
            "id": "pd",
            "class": "PolicyDocument",
            "names": ["Cilvēku tirdzniecības novēršanas pamatnostādnes 2014.–2020.gadam"],
            "docs": ["d1"],
        },
    ],
    "relations": [
        {"s": "proj", "p": "leadPartner", "o": "lv-moi", "docs": ["d1"]},
        {"s": "proj", "p": "partner", "o": "icmpd", "docs": ["d1"]},
        {"s": "proj", "p": "fundedBy", "o": "eu", "docs": ["d1"]},
        {"s": "proj", "p": "participantCountry", "o": "LV", "docs": ["d1"]},
        {"s": "proj", "p": "participantCountry", "o": "MD", "docs": ["d1"]},
        {"s": "lv-moi", "p": "country", "o": "LV", "docs": ["d1"]},
        {"s": "p-stabina", "p": "affiliation", "o": "lv-moi", "docs": ["d1"]},
    ],
    "acceptable": [
        {"s": "proj", "p": "supportedBy", "o": "lv-police"},
        {"s": "proj", "p": "partner", "o": "lv-police"},
        {"s": "proj2", "p": "leadPartner", "o": "icmpd"},
    ],
    "notes": ["hand-made for the tests"],
}
N_GOLD = 14
N_MAIN = 11  # Country x2, Ministry, PublicBody x2, NGO, IO x2, Company, Project x2

# nodes reused by several tests (mentioned, with materialised superclasses)
MOI = """org:moi a ctn:Ministry, ctn:PublicBody, ctn:Organisation ;
    skos:prefLabel "Iekšlietu ministrija"@lv ; ctn:mentionedIn doc:d1 .
"""
PROJ = """project:deflect a ctn:Project ; skos:prefLabel "DEFLECT"@lv ;
    ctn:mentionedIn doc:d1 .
"""
ICMPD = """org:icmpd a ctn:InternationalOrganisation, ctn:Organisation ;
    skos:prefLabel "Starptautiskais Migrācijas politikas attīstības centrs"@lv ;
    skos:altLabel "ICMPD" ; ctn:mentionedIn doc:d1 .
"""
POLICE = """org:police a ctn:PublicBody, ctn:Organisation ;
    skos:prefLabel "Valsts policija"@lv ; ctn:mentionedIn doc:d1 .
"""


def store_of(ttl: str) -> ox.Store:
    store = ox.Store()
    store.load(input=PREFIXES + ttl, format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture
def gold_path(tmp_path: Path) -> Path:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def gold(gold_path: Path) -> Gold:
    return load_gold(gold_path)


def spurious(report, node_suffix: str):
    found = [s for s in report.spurious_nodes if s.node.endswith(node_suffix)]
    assert len(found) == 1, report.spurious_nodes
    return found[0]


# ---------------------------------------------------------------------------
# gold


def test_load_gold(gold: Gold) -> None:
    assert len(gold.entities) == N_GOLD
    assert len(gold.relations) == 7
    assert len(gold.acceptable) == 3
    assert gold.entity("eu").wikidata == "Q458"
    assert gold.entity("marta").name == "biedrība „Centrs MARTA”"
    assert "proj" in gold and "nope" not in gold


def test_load_gold_rejects_bad_files(tmp_path: Path) -> None:
    bad = dict(GOLD, relations=[{"s": "proj", "p": "partner", "o": "ghost"}])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown entity 'ghost'"):
        load_gold(path)
    bad = dict(
        GOLD, entities=[{"id": "x", "class": "Funder", "names": ["X"]}], relations=[], acceptable=[]
    )
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown class 'Funder'"):
        load_gold(path)


def test_seeds_gold_counts() -> None:
    gold = load_gold(REPO / "data" / "gold" / "seeds.json")
    assert gold.corpus == "seeds"
    assert len(gold.entities) == 144
    assert len(gold.relations) == 142
    assert len(gold.acceptable) == 37
    by_class = {c: sum(e.cls == c for e in gold.entities) for c in CLASSES}
    assert by_class == {
        "Ministry": 10,
        "PublicBody": 20,
        "NGO": 4,
        "InternationalOrganisation": 18,
        "Company": 2,
        "Project": 8,
        "Country": 29,
        "Person": 19,
        "Event": 12,
        "PolicyDocument": 22,
    }
    # an empty graph misses everything
    report = evaluate_store(ox.Store(), gold)
    assert report.entities == Score(0, 0, 144)
    assert report.main == Score(0, 0, 91)
    assert report.other == Score(0, 0, 53)
    assert report.relations_all == Score(0, 0, 142)
    assert report.relations["participantCountry"] == Score(0, 0, 39)
    assert report.nominative.total == 0 and report.nominative.share == 0.0


# ---------------------------------------------------------------------------
# normalisation


def test_normalise_label() -> None:
    assert (
        normalise_label("2014.-2020.gadam")
        == normalise_label("2014.–2020.gadam")
        == "20142020gadam"
    )
    assert normalise_label('biedrība "Centrs MARTA"') == normalise_label("biedrība „Centrs MARTA”")
    assert normalise_label("  «Drošā   māja» ") == "drošā māja"
    # canonically equivalent spellings (decomposed ā) compare equal
    assert normalise_label("Latvija\u0304") == normalise_label("Latvijā")
    assert normalise_label("‘IeM’") == normalise_label("`IEM´") == "iem"
    # spacing differs, so these stay different (the gold lists both spellings)
    assert normalise_label("2014. – 2020.gadam") == "2014 2020gadam"


def test_matching_uses_normalised_labels(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            """
org:marta a ctn:NGO, ctn:Organisation ; skos:prefLabel 'biedrība "Centrs MARTA"'@lv ;
    ctn:mentionedIn doc:d1 .
doc:pd a ctn:PolicyDocument ;
    skos:prefLabel "Cilvēku tirdzniecības novēršanas pamatnostādnes 2014.-2020.gadam"@lv ;
    ctn:mentionedIn doc:d1 .
org:iem a ctn:Ministry ; skos:prefLabel "IEM"@lv ; ctn:mentionedIn doc:d1 .
"""
        ),
        gold,
    )
    assert report.classes["NGO"] == Score(1, 0, 0)
    assert report.classes["PolicyDocument"] == Score(1, 0, 0)
    assert report.classes["Ministry"] == Score(1, 0, 0)
    assert report.spurious_nodes == ()
    # all three carry a gold name (normalised) as @lv prefLabel
    assert (report.nominative.nominative, report.nominative.total) == (3, 3)


# ---------------------------------------------------------------------------
# entities


def test_exact_match(gold: Gold) -> None:
    report = evaluate_store(store_of(MOI), gold)
    # the materialised PublicBody/Organisation types are not second classes
    assert report.classes["Ministry"] == Score(1, 0, 0)
    assert report.classes["PublicBody"] == Score(0, 0, 2)
    assert report.classes["Organisation"] == Score(0, 0, 0)
    assert report.main == Score(1, 0, N_MAIN - 1)
    assert report.other == Score(0, 0, 3)
    assert report.entities == Score(1, 0, N_GOLD - 1)
    assert report.main.precision == 1.0
    assert report.main.recall == pytest.approx(1 / 11)
    assert report.main.f1 == pytest.approx(2 / 12)
    assert report.spurious_nodes == ()
    assert len(report.missed_entities) == N_GOLD - 1
    assert report.missed_entities[0].gold_id == "LV"
    assert report.missed_entities[0].name == "Latvija"
    (m,) = report.matches
    assert (m.gold_id, m.via, m.status, m.classes) == (
        "lv-moi",
        "prefLabel",
        "matched",
        ("Ministry",),
    )
    assert report.nominative.share == 1.0
    assert (report.scored_nodes, report.class_nodes) == (1, 1)


def test_match_by_alt_label_and_rdfs_label_not_hidden_label(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            """
org:moi a ctn:Ministry ; skos:prefLabel "Iekšlietu ministrijas"@lv ;
    skos:altLabel "IeM" ; ctn:mentionedIn doc:d1 .
org:air a ctn:Company ; skos:prefLabel "airBaltic lidsabiedrība"@lv ;
    rdfs:label "airBaltic" ; ctn:mentionedIn doc:d1 .
org:police a ctn:PublicBody ; skos:prefLabel "Valsts policijas"@lv ;
    skos:hiddenLabel "Valsts policija" ; ctn:mentionedIn doc:d1 .
"""
        ),
        gold,
    )
    assert report.classes["Ministry"] == Score(1, 0, 0)
    assert report.classes["Company"] == Score(1, 0, 0)
    # hiddenLabel is never compared: the police node answers for nothing
    assert report.classes["PublicBody"] == Score(0, 1, 2)
    assert spurious(report, "org/police").reason == "unmatched"
    vias = {m.node.rsplit("/", 1)[1]: m.via for m in report.matches}
    assert vias == {"moi": "altLabel", "air": "rdfs:label", "police": None}
    # matched by a non-preferred label: the @lv prefLabel is not a gold name
    assert (report.nominative.nominative, report.nominative.total) == (0, 2)


def test_match_by_wikidata_id_and_country_iri(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            """
org:eu a ctn:InternationalOrganisation ; skos:prefLabel "Eiropas Savienības"@lv ;
    owl:sameAs wd:Q458 ; ctn:mentionedIn doc:d1 .
country:MD a ctn:Country ; skos:prefLabel "Moldovas"@lv ; ctn:mentionedIn doc:d1 .
country:LV a ctn:Country ; skos:prefLabel "Latvija"@lv ; ctn:mentionedIn doc:d1 .
org:x a ctn:Company ; skos:prefLabel "Cits"@lv ; owl:sameAs wd:Q211 ;
    ctn:mentionedIn doc:d1 .
"""
        ),
        gold,
    )
    assert report.classes["InternationalOrganisation"] == Score(1, 0, 1)
    assert report.classes["Country"] == Score(2, 0, 0)
    # the Wikidata id of a Country does not make a Company answer for it
    assert report.classes["Company"] == Score(0, 1, 1)
    vias = {m.node.rsplit("/", 1)[1]: (m.gold_id, m.via) for m in report.matches}
    assert vias == {
        "eu": ("eu", "wikidata"),
        "MD": ("MD", "country-iri"),
        "LV": ("LV", "prefLabel"),
        "x": (None, None),
    }
    assert (report.nominative.nominative, report.nominative.total) == (1, 3)


def test_duplicate_node(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            POLICE
            + """
org:police2 a ctn:PublicBody ; skos:prefLabel "Valsts policija"@lv ;
    ctn:mentionedIn doc:d2 .
"""
        ),
        gold,
    )
    assert report.classes["PublicBody"] == Score(1, 1, 1)
    dup = spurious(report, "org/police2")
    assert (dup.reason, dup.gold_id, dup.fp_classes) == (
        "duplicate of lv-police",
        "lv-police",
        ("PublicBody",),
    )
    assert report.nominative.total == 1


def test_weaker_tier_does_not_steal(gold: Gold) -> None:
    # org/a sorts first but matches only by altLabel; org/z has the prefLabel
    report = evaluate_store(
        store_of(
            """
org:a a ctn:Ministry ; skos:prefLabel "Ministrija"@lv ; skos:altLabel "IeM" ;
    ctn:mentionedIn doc:d1 .
org:z a ctn:Ministry ; skos:prefLabel "Iekšlietu ministrija"@lv ;
    ctn:mentionedIn doc:d1 .
"""
        ),
        gold,
    )
    assert report.classes["Ministry"] == Score(1, 1, 0)
    status = {m.node.rsplit("/", 1)[1]: m.status for m in report.matches}
    assert status == {"a": "duplicate", "z": "matched"}
    assert spurious(report, "org/a").reason == "duplicate of lv-moi"
    assert report.nominative.share == 1.0


def test_node_typed_only_organisation(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            """
org:police a ctn:Organisation, ctn:Funder ; skos:prefLabel "Valsts policija"@lv ;
    ctn:mentionedIn doc:d1 .
"""
        ),
        gold,
    )
    assert report.classes["Organisation"] == Score(0, 1, 0)
    assert report.classes["PublicBody"] == Score(0, 0, 2)
    assert report.main == Score(0, 1, N_MAIN)
    s = spurious(report, "org/police")
    assert (s.reason, s.classes, s.gold_id) == (
        "typed only Organisation",
        ("Organisation",),
        "lv-police",
    )


def test_ministry_answers_for_public_body_not_the_reverse(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            """
org:wg a ctn:Ministry, ctn:PublicBody, ctn:Organisation ;
    skos:prefLabel "Programmas darba grupa"@lv ; ctn:mentionedIn doc:d1 .
org:moi a ctn:PublicBody, ctn:Organisation ; skos:prefLabel "Iekšlietu ministrija"@lv ;
    ctn:mentionedIn doc:d1 .
"""
        ),
        gold,
    )
    # the Ministry node is the tp of gold PublicBody lv-wg and costs nothing
    assert report.classes["PublicBody"] == Score(1, 1, 1)
    assert report.classes["Ministry"] == Score(0, 0, 1)
    assert spurious(report, "org/moi").reason == "unmatched"
    assert [s.node for s in report.spurious_nodes] == ["https://w3id.org/ctn/id/org/moi"]


def test_wrong_second_class(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            """
org:marta a ctn:NGO, ctn:Company, ctn:Organisation ; skos:prefLabel "Centrs MARTA"@lv ;
    ctn:mentionedIn doc:d1 .
org:nobody a ctn:NGO, ctn:Company ; skos:prefLabel "Nezināma biedrība"@lv ;
    ctn:mentionedIn doc:d1 .
"""
        ),
        gold,
    )
    # marta: tp NGO + fp Company; nobody: fp in both of its classes
    assert report.classes["NGO"] == Score(1, 1, 0)
    assert report.classes["Company"] == Score(0, 2, 1)
    s = spurious(report, "org/marta")
    assert s.reason == "wrong class Company (answers for marta as NGO)"
    assert s.fp_classes == ("Company",)
    assert spurious(report, "org/nobody").fp_classes == ("NGO", "Company")
    assert report.nominative.share == 1.0


def test_ambiguous_label_takes_first_in_gold_order(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOLD))
    data["entities"][4]["names"].append("Valsts policija")  # lv-wg, after lv-police
    path = tmp_path / "amb.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = evaluate_store(store_of(POLICE), load_gold(path))
    (m,) = report.matches
    assert m.gold_id == "lv-police"
    assert report.classes["PublicBody"] == Score(1, 0, 1)
    assert len(report.ambiguities) == 1
    assert "lv-police, lv-wg; took lv-police" in report.ambiguities[0]


# ---------------------------------------------------------------------------
# relations


def test_relations_basic_and_spurious(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            MOI
            + PROJ
            + """
country:LV a ctn:Country ; skos:prefLabel "Latvija"@lv ; ctn:mentionedIn doc:d1 .
org:x a ctn:NGO ; skos:prefLabel "Nezināma biedrība"@lv ; ctn:mentionedIn doc:d1 .
project:deflect ctn:leadPartner org:moi ; ctn:participantCountry country:LV ;
    ctn:fundedBy org:moi ; ctn:partner org:x .
org:moi ctn:country country:LV .
"""
        ),
        gold,
    )
    r = report.relations
    assert r["leadPartner"] == Score(1, 0, 0)
    assert r["participantCountry"] == Score(1, 0, 1)
    assert r["country"] == Score(1, 0, 0)
    assert r["fundedBy"] == Score(0, 1, 1)
    assert r["partner"] == Score(0, 1, 1)
    assert r["affiliation"] == Score(0, 0, 1)
    assert report.relations_all == Score(3, 2, 4)
    notes = {(x.p, x.o): x.note for x in report.spurious_relations}
    assert notes == {
        ("fundedBy", "lv-moi"): "not in gold",
        ("partner", "https://w3id.org/ctn/id/org/x"): "object answers for no gold entity",
    }
    fb = next(x for x in report.spurious_relations if x.p == "fundedBy")
    assert (fb.s_label, fb.o_label) == ("DEFLECT", "Iekšlietu ministrija")
    missed = {(x.s, x.p, x.o) for x in report.missed_relations}
    assert missed == {
        ("proj", "partner", "icmpd"),
        ("proj", "fundedBy", "eu"),
        ("proj", "participantCountry", "MD"),
        ("p-stabina", "affiliation", "lv-moi"),
    }


def test_unmentioned_reference_node_is_relation_end_but_not_scored(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            PROJ
            + """
country:LV a ctn:Country ; skos:prefLabel "Latvija"@lv .
country:MD a ctn:Country ; skos:prefLabel "Moldova"@lv .
org:eu a ctn:InternationalOrganisation ; skos:prefLabel "Eiropas Savienība"@lv .
project:deflect ctn:participantCountry country:LV .
country:LV ctn:memberOf org:eu .
"""
        ),
        gold,
    )
    # reference nodes cost nothing and earn nothing as entities
    assert report.classes["Country"] == Score(0, 0, 2)
    assert report.classes["InternationalOrganisation"] == Score(0, 0, 2)
    assert report.classes["Project"] == Score(1, 0, 1)
    assert (report.scored_nodes, report.class_nodes) == (1, 4)
    assert {m.status for m in report.matches if "country" in m.node} == {"reference"}
    # ... but one can be the end of a relation
    assert report.relations["participantCountry"] == Score(1, 0, 1)
    # a relation between two reference nodes is reference data, not scored
    assert report.relations["memberOf"] == Score(0, 0, 0)
    assert report.reference_relations == 1
    assert report.nominative.total == 1


def test_lead_partner_answers_for_gold_partner(gold: Gold) -> None:
    report = evaluate_store(
        store_of(PROJ + ICMPD + "project:deflect ctn:leadPartner org:icmpd .\n"),
        gold,
    )
    assert report.relations["partner"] == Score(1, 0, 0)
    assert report.relations["leadPartner"] == Score(0, 0, 1)
    (m,) = report.matched_relations
    assert (m.s, m.p, m.o, m.note) == ("proj", "partner", "icmpd", "graph leadPartner")


def test_derived_partner_not_counted_twice(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            MOI
            + PROJ
            + ICMPD
            + """
project:deflect ctn:leadPartner org:moi, org:icmpd ;
    ctn:partner org:moi, org:icmpd .
"""
        ),
        gold,
    )
    assert report.relations["leadPartner"] == Score(1, 0, 0)
    assert report.relations["partner"] == Score(1, 0, 0)
    assert report.derived_partner == 2
    assert report.spurious_relations == ()


def test_gold_lead_partner_needs_graph_lead_partner(gold: Gold) -> None:
    report = evaluate_store(store_of(MOI + PROJ + "project:deflect ctn:partner org:moi .\n"), gold)
    assert report.relations["leadPartner"] == Score(0, 0, 1)
    assert report.relations["partner"] == Score(0, 1, 1)
    (s,) = report.spurious_relations
    assert s.note == "gold has leadPartner"


def test_acceptable_relations_count_neither_way(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            PROJ
            + POLICE
            + ICMPD
            + """
project:strom2 a ctn:Project ; skos:prefLabel "STROM II"@lv ; ctn:mentionedIn doc:d1 .
project:deflect ctn:supportedBy org:police ; ctn:leadPartner org:police .
project:strom2 ctn:partner org:icmpd .
"""
        ),
        gold,
    )
    # supportedBy and leadPartner (acceptable partner) are ignored
    assert report.relations["supportedBy"] == Score(0, 0, 0)
    assert report.relations["leadPartner"] == Score(0, 0, 1)
    assert len(report.accepted_relations) == 2
    # an acceptable leadPartner is not satisfied by a graph partner
    assert report.relations["partner"] == Score(0, 1, 1)
    assert report.relations_all == Score(0, 1, 7)


def test_relations_of_duplicates_deduplicated_after_mapping(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            MOI
            + """
org:moi2 a ctn:Ministry ; skos:prefLabel "Iekšlietu ministrija"@lv ;
    ctn:mentionedIn doc:d2 .
country:LV a ctn:Country ; skos:prefLabel "Latvija"@lv ; ctn:mentionedIn doc:d1 .
org:moi ctn:country country:LV .
org:moi2 ctn:country country:LV .
"""
        ),
        gold,
    )
    assert report.classes["Ministry"] == Score(1, 1, 0)
    assert report.relations["country"] == Score(1, 0, 0)
    (m,) = report.matched_relations
    assert len(m.graph_triples) == 2


# ---------------------------------------------------------------------------
# nominative share, files, output


def test_nominative_share(gold: Gold) -> None:
    report = evaluate_store(
        store_of(
            MOI
            + """
org:icmpd a ctn:InternationalOrganisation ; skos:prefLabel "ICMPD"@lv ;
    ctn:mentionedIn doc:d1 .
country:LV a ctn:Country ; skos:prefLabel "Latvia"@en ; ctn:mentionedIn doc:d1 .
org:police a ctn:PublicBody ; skos:prefLabel "Valsts policijas"@lv, "Valsts policija"@en ;
    ctn:mentionedIn doc:d1 .
person:stabina a ctn:Person ; skos:prefLabel "Lāsmas Stabiņas"@lv ;
    skos:altLabel "Lāsma Stabiņa" ; ctn:mentionedIn doc:d1 .
"""
        ),
        gold,
    )
    nom = report.nominative
    # moi (first name) and ICMPD (another gold name) are nominative; LV has no @lv
    # prefLabel; police and Stabiņa carry an inflected @lv prefLabel
    assert (nom.nominative, nom.total) == (2, 5)
    assert nom.share == pytest.approx(0.4)
    assert {(g, lv) for _, g, lv in nom.not_nominative} == {
        ("LV", ()),
        ("lv-police", ("Valsts policijas",)),
        ("p-stabina", ("Lāsmas Stabiņas",)),
    }
    assert report.entities == Score(5, 0, N_GOLD - 5)


def test_evaluate_graph_files_and_output(tmp_path: Path, gold_path: Path) -> None:
    ttl = tmp_path / "graph.ttl"
    ttl.write_text(
        PREFIXES + MOI + PROJ + "project:deflect ctn:leadPartner org:moi .\n",
        encoding="utf-8",
    )
    trig = tmp_path / "graph.trig"
    trig.write_text(
        PREFIXES
        + "doc:d1 {\n"
        + MOI
        + "}\n"
        + "doc:d2 {\n"
        + PROJ
        + "project:deflect ctn:leadPartner org:moi .\n}\n",
        encoding="utf-8",
    )
    for path in (ttl, trig):
        report = evaluate_graph(path, gold_path)
        assert report.entities == Score(2, 0, N_GOLD - 2)
        assert report.relations_all == Score(1, 0, 6)
    with pytest.raises(ValueError, match="unknown RDF format"):
        evaluate_graph(tmp_path / "graph.csv", gold_path)

    data = report_to_json(report)
    json.dumps(data)
    assert data["classes"]["Ministry"] == {
        "tp": 1,
        "fp": 0,
        "fn": 0,
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
    }
    assert data["relations"]["leadPartner"]["tp"] == 1
    assert data["relations_all"]["fn"] == 6
    assert data["nominative"]["share"] == 1.0
    assert len(data["missed_entities"]) == N_GOLD - 2
    assert len(data["missed_relations"]) == 6

    text = format_report(report)
    assert "Ministry" in text and "Missed relations (6)" in text
    assert "Nominative share: 2/2 = 1.000" in text
    short = format_report(report, details=False)
    assert "Missed entities" not in short and "leadPartner" in short
    # a row with nothing on either side prints n/a
    assert any(
        line.startswith("Organisation") and line.endswith("n/a") for line in text.splitlines()
    )


def _graph_from_gold(gold: Gold, *, with_acceptable: bool) -> str:
    """A perfect graph for ``gold``: inferred types and derived partner materialised."""
    supers = {"Ministry": " , ctn:PublicBody, ctn:Organisation"}
    for c in ("PublicBody", "NGO", "InternationalOrganisation", "Company"):
        supers[c] = " , ctn:Organisation"
    lines = []
    for i, e in enumerate(gold.entities):
        iri = f"<https://w3id.org/ctn/id/e/{i}>"
        labels = " , ".join(json.dumps(n, ensure_ascii=False) for n in e.names[1:])
        lines.append(
            f"{iri} a ctn:{e.cls}{supers.get(e.cls, '')} ; "
            f"skos:prefLabel {json.dumps(e.name, ensure_ascii=False)}@lv ; "
            + (f"skos:altLabel {labels} ; " if labels else "")
            + "ctn:mentionedIn doc:d1 ."
        )
    index = {e.id: f"<https://w3id.org/ctn/id/e/{i}>" for i, e in enumerate(gold.entities)}
    rels = list(gold.relations) + (list(gold.acceptable) if with_acceptable else [])
    for r in rels:
        lines.append(f"{index[r.s]} ctn:{r.p} {index[r.o]} .")
        if r.p == "leadPartner":
            lines.append(f"{index[r.s]} ctn:partner {index[r.o]} .")
    return "\n".join(lines) + "\n"


def test_seeds_gold_against_a_perfect_graph() -> None:
    gold = load_gold(REPO / "data" / "gold" / "seeds.json")
    report = evaluate_store(store_of(_graph_from_gold(gold, with_acceptable=True)), gold)
    assert report.entities == Score(144, 0, 0)
    assert report.main == Score(91, 0, 0)
    assert report.other == Score(53, 0, 0)
    assert report.relations_all == Score(142, 0, 0)
    assert report.relations["leadPartner"] == Score(7, 0, 0)
    assert len(report.accepted_relations) == 37
    assert report.spurious_nodes == () and report.spurious_relations == ()
    assert (report.nominative.nominative, report.nominative.total) == (144, 144)
    assert report.ambiguities == ()


# ---------------------------------------------------------------------------
# rules v3: events by date and document; held-back halves


def _dated_gold(tmp_path: Path) -> Gold:
    data = {
        "corpus": "dated",
        "entities": [
            {"id": "ev-a", "class": "Event", "names": ["Apaļais galds Cēsīs"], "date": "2016-04",
             "docs": ["002_a.txt"]},
            {"id": "ev-b", "class": "Event", "names": ["Seminārs"], "date": "2016-05-12", "docs": ["003_b.txt"]},
            {"id": "moi", "class": "Ministry", "names": ["Iekšlietu ministrija"], "docs": ["002_a.txt"]},
            {"id": "pol", "class": "PublicBody", "names": ["Valsts policija"], "docs": ["003_b.txt"]},
            {"id": "LV", "class": "Country", "names": ["Latvija"], "country": "LV",
             "docs": ["002_a.txt", "003_b.txt"]},
        ],
        "relations": [
            {"s": "moi", "p": "country", "o": "LV", "docs": ["002_a.txt"]},
            {"s": "pol", "p": "country", "o": "LV", "docs": ["003_b.txt"]},
        ],
    }
    path = tmp_path / "dated.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_gold(path)


DOCS = """doc:a ctn:fileName "002_a.txt" . doc:b ctn:fileName "003_b.txt" .
"""


def test_an_event_answers_for_a_gold_event_by_its_date_and_document(tmp_path: Path) -> None:
    gold = _dated_gold(tmp_path)
    report = evaluate_store(
        store_of(
            DOCS
            + """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/ctn/id/event/x> a ctn:Event ; skos:prefLabel "Diskusija par cilvēku tirdzniecību"@lv ;
    ctn:startDate "2016-04-20"^^xsd:date ; ctn:mentionedIn doc:a .
<https://w3id.org/ctn/id/event/y> a ctn:Event ; skos:prefLabel "Sanāksme"@lv ;
    ctn:startDate "2016-05-12"^^xsd:date ; ctn:mentionedIn doc:a .
"""
        ),
        gold,
    )
    by_node = {m.node.rsplit("/", 1)[-1]: m for m in report.matches}
    # x: 2016-04-20 begins with the gold's "2016-04", and doc a is one of ev-a's documents
    assert (by_node["x"].gold_id, by_node["x"].via, by_node["x"].status) == ("ev-a", "date", "matched")
    # y has ev-b's date but is mentioned in the wrong document: it answers for nothing
    assert by_node["y"].gold_id is None and by_node["y"].status == "unmatched"
    assert report.classes["Event"] == Score(1, 1, 1)
    # an event matched by date alone is left out of the nominative share
    assert report.nominative.total == 0


def test_a_name_still_beats_a_date(tmp_path: Path) -> None:
    gold = _dated_gold(tmp_path)
    report = evaluate_store(
        store_of(
            DOCS
            + """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/ctn/id/event/named> a ctn:Event ; skos:prefLabel "Seminārs"@lv ;
    ctn:startDate "2016-05-01"^^xsd:date ; ctn:mentionedIn doc:a .
"""
        ),
        gold,
    )
    (m,) = report.matches
    assert (m.gold_id, m.via) == ("ev-b", "prefLabel")
    assert report.nominative.total == 1


def test_a_split_scores_only_the_documents_of_its_half(tmp_path: Path) -> None:
    gold = _dated_gold(tmp_path)
    ttl = (
        DOCS
        + """
org:moi a ctn:Ministry ; skos:prefLabel "Iekšlietu ministrija"@lv ; ctn:mentionedIn doc:a ;
    ctn:country country:LV .
org:pol a ctn:PublicBody ; skos:prefLabel "Valsts policija"@lv ; ctn:mentionedIn doc:b ;
    ctn:country country:LV .
country:LV a ctn:Country ; skos:prefLabel "Latvija"@lv ; ctn:mentionedIn doc:a, doc:b .
"""
    )
    even = evaluate_store(store_of(ttl), gold, split="even")
    odd = evaluate_store(store_of(ttl), gold, split="odd")
    # document 002 is even: the ministry, Latvia, the event ev-a, and the ministry's country
    assert even.main == Score(2, 0, 0) and even.classes["Event"] == Score(0, 0, 1)
    assert even.relations_all == Score(1, 0, 0)
    # document 003 is odd: the police (and Latvia again), and the police's country
    assert odd.main == Score(2, 0, 0) and odd.classes["Event"] == Score(0, 0, 1)
    assert odd.relations_all == Score(1, 0, 0)
    whole = evaluate_store(store_of(ttl), gold)
    assert whole.main == Score(3, 0, 0) and whole.relations_all == Score(2, 0, 0)


def test_a_relation_read_from_the_other_half_is_not_scored(tmp_path: Path) -> None:
    gold = _dated_gold(tmp_path)
    ttl = (
        DOCS
        + """
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
org:moi a ctn:Ministry ; skos:prefLabel "Iekšlietu ministrija"@lv ; ctn:mentionedIn doc:a, doc:b ;
    ctn:country country:LV .
country:LV a ctn:Country ; skos:prefLabel "Latvija"@lv ; ctn:mentionedIn doc:a, doc:b .
<https://w3id.org/ctn/id/evidence/1> a ctn:Evidence ; rdf:subject org:moi ; rdf:predicate ctn:country ;
    rdf:object country:LV ; prov:wasDerivedFrom doc:b .
"""
    )
    # the only evidence for the ministry's country is document 003 (odd)
    assert evaluate_store(store_of(ttl), gold, split="even").relations_all == Score(0, 0, 1)
    assert evaluate_store(store_of(ttl), gold, split="odd").relations["country"].fp == 1


def test_gold_dates_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"entities": [{"id": "e", "class": "Event", "names": ["x"], "date": "15.10.2018"}]}),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="date"):
        load_gold(path)


# ---------------------------------------------------------------------------
# coverage: the gold and the graph share the documents scored (issue 16)


def _graph_of_documents(tmp_path: Path, names: list[str], ttl: str = MOI) -> Path:
    """A graph whose documents are `names` (ctn:fileName), the ministry mentioned in the first."""
    lines = [PREFIXES, ttl.replace("doc:d1", "doc:n0")]
    for i, name in enumerate(names):
        lines.append(f"doc:n{i} a ctn:Document ; ctn:fileName {json.dumps(name, ensure_ascii=False)} .\n")
    path = tmp_path / "graph.ttl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _evaluate(args: list[str]):
    from typer.testing import CliRunner

    from ctn_graph.cli import app

    return CliRunner().invoke(app, ["evaluate", *args])


def test_a_graph_of_other_documents_is_warned_of_on_stderr(tmp_path: Path, gold_path: Path) -> None:
    graph = _graph_of_documents(tmp_path, ["ziņa-par-mācībām.txt", "ziņojums-2021.txt"])
    result = _evaluate([str(graph), "--gold", str(gold_path), "--no-details"])
    assert result.exit_code == 0, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("warning: ") and str(gold_path) in line
    assert "covers none of the graph's 2 documents" in line and "ziņa-par-mācībām.txt" in line
    assert "holds none of the gold's 1 document (d1)" in line
    assert "summary: main-class entity F1" in result.stdout  # the report is still written whole


def test_a_gold_that_covers_few_of_the_graphs_documents_is_warned_of(tmp_path: Path, gold_path: Path) -> None:
    graph = _graph_of_documents(tmp_path, ["d1", "cits-1.txt", "cits-2.txt"])
    result = _evaluate([str(graph), "--gold", str(gold_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["classes"]["Ministry"]["tp"] == 1  # stdout stays JSON
    [line] = result.stderr.splitlines()
    assert "covers only 1 of the graph's 3 documents" in line and "the other 2" in line


def test_no_warning_when_the_gold_covers_half_or_more(tmp_path: Path, gold_path: Path) -> None:
    for names in (["d1"], ["d1", "cits.txt"]):
        result = _evaluate([str(_graph_of_documents(tmp_path, names)), "--gold", str(gold_path)])
        assert result.exit_code == 0, result.output
        assert result.stderr == "", names


def test_a_graph_with_no_documents_is_warned_of(tmp_path: Path, gold_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text(PREFIXES + 'org:moi a ctn:Ministry ; skos:prefLabel "Iekšlietu ministrija"@lv .\n', "utf-8")
    result = _evaluate([str(path), "--gold", str(gold_path)])
    assert result.exit_code == 0, result.output
    assert "the graph holds no documents" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_document_without_a_file_name_counts_but_matches_nothing(gold: Gold) -> None:
    from ctn_graph.evaluation import coverage, coverage_warning

    cov = coverage(store_of(MOI), gold)  # doc:d1 is mentioned but has no ctn:fileName
    assert (cov.graph, cov.unnamed, cov.gold) == (frozenset(), 1, frozenset({"d1"}))
    warning = coverage_warning(cov, "gold.json")
    assert warning is not None and "covers none of the graph's 1 document" in warning


def test_a_split_compares_the_documents_of_its_half(tmp_path: Path) -> None:
    from ctn_graph.evaluation import coverage, coverage_warning

    gold = _dated_gold(tmp_path)  # documents 002 (even) and 003 (odd)
    store = store_of(DOCS + MOI.replace("doc:d1", "doc:a"))
    assert coverage_warning(coverage(store, gold, "even"), "g") is None
    assert coverage_warning(coverage(store, gold, "odd"), "g") is None
    only_even = store_of('doc:a a ctn:Document ; ctn:fileName "002_a.txt" .\n' + MOI.replace("doc:d1", "doc:a"))
    warning = coverage_warning(coverage(only_even, gold, "odd"), "g")
    assert warning is not None and "no document of the odd half" in warning and "gold's 1 document" in warning


def test_a_file_name_is_shown_safely_in_the_warning(tmp_path: Path, gold_path: Path) -> None:
    graph = _graph_of_documents(tmp_path, ["\x1b[2Jziņa.txt"])
    result = _evaluate([str(graph), "--gold", str(gold_path)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr and "ziņa.txt" in result.stderr

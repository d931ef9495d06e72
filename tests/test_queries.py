"""The SPARQL query library (queries/*.rq) on the seed graph.

Every query runs with its defaults on Oxigraph and on rdflib with the same rows; the
rows are those a careful reader of the five seed documents expects (the expectations
come from the texts and data/gold/seeds.json, not from the engine's output); the
headers document every query and parameter; parameters are data, never query text;
and the command line writes CSV, SPARQL JSON and Turtle and reports its errors.

Labels in the graph are compared through the gold's names: `canon()` maps a label to
the first (canonical) name of the gold entity that has it, so the tests do not depend
on which of an entity's correct names the graph chose as its skos:prefLabel.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox
import pytest
import rdflib
from typer.testing import CliRunner

from ctn_graph.cli import app
from ctn_graph.rdf.validate import _term
from ctn_graph.sparql.query import OxigraphEngine, RdflibEngine, load_library, rows_as_tuples, run_query

from .conftest import GOLD

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

LIBRARY = load_library()
NAMES = sorted(LIBRARY)
CTN = "https://w3id.org/ctn/ontology#"
CTNID = "https://w3id.org/ctn/id/"
SEP = " | "  # the GROUP_CONCAT separator of the library

_GOLD_ENTITIES = json.loads(GOLD.read_text(encoding="utf-8"))["entities"]


def _key(name: str) -> str:
    """Names compared without case, spaces and dash style ('2018. - 2023.' = '2018.–2023.')."""
    return re.sub(r"\s+", "", name.casefold().replace("–", "-"))


_CANON = {_key(n): e["names"][0] for e in _GOLD_ENTITIES for n in e["names"]}


def canon(label: str | None) -> str | None:
    """The gold's canonical name for a graph label (the label itself if no gold entity has it)."""
    return None if label is None else _CANON.get(_key(label), label)


# Canonical (gold) names used below.
LV_IEM = "Latvijas Republikas Iekšlietu ministrija"  # prefLabel in the graph: "Iekšlietu ministrija"
LT_IEM = "Lietuvas Republikas Iekšlietu ministrija"
MD_IEM = "Moldovas Republikas Iekšlietu ministrija"
ICMPD = "Starptautiskais Migrācijas politikas attīstības centrs"
MPF = "Mobilitātes partnerības mehānisms"
OMBUDSMAN = "Latvijas Republikas Tiesībsarga birojs"
FRONTEX = "Eiropas Robežu un krasta apsardzes aģentūra"
FRA = "Eiropas Savienības Pamattiesību aģentūra"
CBSS = "Baltijas jūras valstu padome"
TF_THB = "Baltijas jūras valstu padomes darba grupa cīņai pret cilvēku tirdzniecību"
CSO = "Baltijas jūras valstu padomes Vecāko amatpersonu komiteja"
MARTA = 'biedrība "Centrs MARTA"'
DROSA_MAJA = 'Patvērums "Drošā māja"'
WORKING_GROUP = "Darba grupa Programmas cilvēku tirdzniecības novēršanai 2009.–2013.gadam īstenošanas koordinēšanai"
WG_MINISTRIES = {  # the ministries 002 lists as members of the 2010 working group
    "Latvijas Republikas Ārlietu ministrija",
    "Latvijas Republikas Labklājības ministrija",
    "Latvijas Republikas Tieslietu ministrija",
    "Latvijas Republikas Ekonomikas ministrija",
    "Latvijas Republikas Veselības ministrija",
    "Latvijas Republikas Izglītības un zinātnes ministrija",
}
MD_IGP = "Policijas ģenerālinspektorāts"
STATE_POLICE = "Valsts policija"
THB_UNIT = "Valsts policijas Cilvēku tirdzniecības apkarošanas nodaļa"
SECTORAL_DEPT = "Iekšlietu ministrijas Nozares politikas departaments"
MOLDOVA_PROJECT = "Uzlabojot Moldovas spējas cilvēku tirdzniecības apkarošanā"
FREM = "Forced-Return Monitoring II"
STROM = "Stiprinot pašvaldību lomu darbam cīņā ar cilvēku tirdzniecību Baltijas jūras reģionā"
STROM_II = "Stiprinot pašvaldību lomu darbam cīņā ar cilvēku tirdzniecību"
CBSS_PROJECTS = {"DEFLECT", "ADSTRINGO", "Konsulāro amatpersonu izglītošana", STROM, STROM_II}

DOC = {
    "000": "000_1a4ac34af6abd309",
    "001": "001_d651ebdd79b039ed",
    "002": "002_f73d5b12cc8e0f2c",
    "003": "003_a86d05c391f37aa6",
    "004": "004_121ec49d9cea9291",
}


def local(iri: str | None) -> str | None:
    return None if iri is None else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def cells(value: str | None) -> set[str]:
    """The items of a GROUP_CONCAT cell."""
    return set(value.split(SEP)) if value else set()


# --------------------------------------------------------------------------- engines


@pytest.fixture(scope="module")
def oxigraph(seed_store):
    return OxigraphEngine(seed_store)


@pytest.fixture(scope="module")
def rdflib_engine(seed_store):
    """The same quads in an rdflib Dataset whose default graph is the union of its graphs."""
    ds = rdflib.Dataset(default_union=True)
    graphs: dict[str, rdflib.Graph] = {}
    for q in seed_store:
        if isinstance(q.graph_name, ox.NamedNode):
            g = graphs.get(q.graph_name.value)
            if g is None:
                g = graphs[q.graph_name.value] = ds.graph(rdflib.URIRef(q.graph_name.value))
        else:
            g = ds.default_graph
        g.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    assert len(graphs) == 5  # one named graph per seed document
    return RdflibEngine(ds)


def select(engine, name: str, **params: str) -> list[dict[str, str | None]]:
    res = run_query(LIBRARY[name], engine, params)
    assert res.form == "SELECT"
    return [{v: (r[v].value if v in r else None) for v in res.variables} for r in res.rows]


def normalised(res) -> object:
    """A result in an engine-independent form: sorted rows of values (GROUP_CONCAT cells
    as sorted items, since their order is not defined), a triple set, or a boolean."""
    res.materialise()
    if res.form == "ASK":
        return res.boolean
    if res.form in ("CONSTRUCT", "DESCRIBE"):
        return {tuple(t.value for t in triple) for triple in res.triples}
    rows = rows_as_tuples(res)
    return sorted((tuple(SEP.join(sorted(cells(c))) if c and SEP in c else c for c in row) for row in rows), key=repr)


# --------------------------------------------------------------------------- every query runs


@pytest.mark.parametrize("name", NAMES)
def test_every_query_answers_with_its_defaults(oxigraph, name):
    res = run_query(LIBRARY[name], oxigraph).materialise()
    if res.form == "ASK":
        assert res.boolean
    elif res.form in ("CONSTRUCT", "DESCRIBE"):
        assert res.triples
    else:
        assert res.rows, name
        for p in LIBRARY[name].params:  # parameters are projected, so Oxigraph substituted them
            assert p.name in res.variables, (name, p.name)


@pytest.mark.parametrize("name", NAMES)
def test_rdflib_gives_the_same_answers_as_oxigraph(oxigraph, rdflib_engine, name):
    q = LIBRARY[name]
    assert normalised(run_query(q, rdflib_engine)) == normalised(run_query(q, oxigraph))


@pytest.mark.parametrize(
    "name,params",
    [
        ("partners-of-organisation", {"org": ICMPD}),
        ("project-participant-countries", {"project": FREM}),
        ("organisations-by-country", {"country": "ctnid:country/MD"}),
        ("evidence-between-actors", {"a": LT_IEM, "b": MOLDOVA_PROJECT}),
    ],
)
def test_rdflib_and_oxigraph_agree_with_other_parameters(oxigraph, rdflib_engine, name, params):
    q = LIBRARY[name]
    ours = normalised(run_query(q, oxigraph, params))
    assert ours
    assert normalised(run_query(q, rdflib_engine, params)) == ours


# --------------------------------------------------------------------------- headers


def test_there_are_enough_queries():
    assert len(LIBRARY) >= 14
    for name in NAMES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name


@pytest.mark.parametrize("name", NAMES)
def test_every_query_documents_itself(name):
    q = LIBRARY[name]
    assert re.search(r"^# title: \S", q.text, re.MULTILINE), name
    assert q.title and q.title != name
    assert len(q.description) > 30, name
    for p in q.params:
        assert p.default and p.kind, (name, p.name)
        assert len(p.description) > 10, (name, p.name)
        assert re.search(rf"\?{p.name}\b", q.text), (name, p.name)


def test_the_cli_lists_every_query():
    result = CliRunner().invoke(app, ["queries"])
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.splitlines() if line.strip()}
    assert listed == set(NAMES)


def test_the_readme_indexes_every_query():
    readme = (next(iter(LIBRARY.values())).path.parent / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"`{name}`" in readme, name


# --------------------------------------------------------------------------- expected answers

COVERED: set[str] = set()


def covers(*names: str):
    COVERED.update(names)
    return lambda f: f


def test_every_query_has_an_expected_answer_test():
    assert set(NAMES) <= COVERED


def test_expected_names_are_gold_names():
    """The names the tests expect are names a reader of the seed documents wrote down."""
    for name in [LV_IEM, LT_IEM, MD_IEM, ICMPD, MPF, OMBUDSMAN, FRONTEX, FRA, CBSS, TF_THB, CSO, MARTA, DROSA_MAJA]:
        assert canon(name) == name
    for name in [WORKING_GROUP, MD_IGP, STATE_POLICE, THB_UNIT, SECTORAL_DEPT, MOLDOVA_PROJECT, FREM, STROM, STROM_II]:
        assert canon(name) == name
    for name in WG_MINISTRIES | CBSS_PROJECTS | AFFILIATIONS.keys() | set(AFFILIATIONS.values()):
        assert canon(name) == name


@covers("partners-of-organisation")
def test_partners_of_the_latvian_ministry_of_the_interior(oxigraph):
    rows = select(oxigraph, "partners-of-organisation")  # org = "Iekšlietu ministrija"
    # 000: "Projekta vadošais partneris: Lietuvas Republikas Iekšlietu ministrija. Projekta partneri:
    # Latvijas Republikas Iekšlietu ministrija un Moldovas Republikas Iekšlietu ministrija. Projektu
    # finansē Starptautiskais Migrācijas politikas attīstības centrs (ICMPD)"; "Projekta īstenošanu
    # atbalstīja Mobilitātes partnerības atbalsta fonds" (a supporter in the gold); "Ģenerālpolicijas
    # inspektorāts organizēja starptautiskā projekta “...” noslēguma sanāksmi": the organiser of the
    # project's own meeting takes part in it (a partner the gold lists as acceptable).
    assert {(canon(r["partnerName"]), local(r["partnerRole"])) for r in rows} == {
        (LT_IEM, "leadPartner"),
        (MD_IEM, "partner"),
        (MD_IGP, "partner"),
        (ICMPD, "fundedBy"),
        (MPF, "supportedBy"),
    }
    assert {r["projectName"] for r in rows} == {MOLDOVA_PROJECT}
    assert {local(r["orgRole"]) for r in rows} == {"partner"}
    # the lead partner is listed once, as lead partner, not also through the materialised ctn:partner
    assert len(rows) == 5


def test_partners_by_another_name_of_the_same_ministry(oxigraph):
    """An alternative name and an inflected form (skos:hiddenLabel) find the same node."""
    default = {r["partner"] for r in select(oxigraph, "partners-of-organisation")}
    for name in ["Latvijas Republikas Iekšlietu ministrija", "Iekšlietu ministrijas"]:
        assert {r["partner"] for r in select(oxigraph, "partners-of-organisation", org=name)} == default


def test_partners_of_icmpd_span_two_projects(oxigraph):
    rows = select(oxigraph, "partners-of-organisation", org=ICMPD)
    by_project: dict[str, set[str]] = {}
    for r in rows:
        by_project.setdefault(r["projectName"], set()).add(canon(r["partnerName"]))
    # ICMPD funds the Moldova project (000) and implements FReM II ("Projektu īsteno Starptautiskais
    # Migrācijas politikas attīstības centrs sadarbībā ar ..."; the Ombudsman's Office "nodrošina
    # partnerību projektā"; Frontex and FRA support it), 003.
    assert by_project == {
        MOLDOVA_PROJECT: {LT_IEM, LV_IEM, MD_IEM, MD_IGP, MPF},
        FREM: {OMBUDSMAN, FRONTEX, FRA},
    }
    assert {(local(r["orgRole"]), r["projectName"]) for r in rows} == {
        ("fundedBy", MOLDOVA_PROJECT),
        ("leadPartner", FREM),
    }


@covers("projects-by-funder")
def test_projects_by_funder(oxigraph):
    rows = select(oxigraph, "projects-by-funder")
    # The only financing the seeds state: "Projektu finansē Starptautiskais Migrācijas politikas attīstības
    # centrs (ICMPD)" (000). The gold lists MPF as funder of the same project as acceptable only.
    assert {r["projectName"] for r in rows} == {MOLDOVA_PROJECT}
    icmpd = [r for r in rows if canon(r["funderName"]) == ICMPD]
    assert len(icmpd) == 1
    assert icmpd[0]["fundedProjects"] == "1"
    assert {canon(n) for n in cells(icmpd[0]["leadPartners"])} == {LT_IEM}


@covers("co-partnership-network")
def test_co_partnership_network(oxigraph):
    rows = select(oxigraph, "co-partnership-network")
    pairs = [frozenset({canon(r["aName"]), canon(r["bName"])}) for r in rows]
    assert len(pairs) == len(set(pairs)), "each pair once"
    assert all(r["a"] < r["b"] for r in rows)
    # Moldova project: LT, LV and MD ministries, ICMPD (funder), MPF (supporter); FReM II: ICMPD, the
    # Ombudsman's Office, Frontex, FRA. Every pair inside one project is an edge: 10 + 6 = 16.
    moldova = [LT_IEM, LV_IEM, MD_IEM, ICMPD, MPF]
    frem = [ICMPD, OMBUDSMAN, FRONTEX, FRA]
    expected = {frozenset({x, y}) for group in (moldova, frem) for x in group for y in group if x != y}
    assert len(expected) == 16
    assert expected <= set(pairs)
    # no two organisations share two projects in the seeds
    assert {r["sharedProjects"] for r in rows} == {"1"}
    # the ministry and the Ombudsman's Office never work on the same project
    assert frozenset({LV_IEM, OMBUDSMAN}) not in pairs
    # CBSS TF-THB is the only organisation named in its five projects, so it has no edge
    assert all(TF_THB not in p for p in pairs)
    lv_lt = next(r for r in rows if {canon(r["aName"]), canon(r["bName"])} == {LV_IEM, LT_IEM})
    assert cells(lv_lt["projects"]) == {MOLDOVA_PROJECT}


@covers("countries-by-projects")
def test_countries_by_number_of_projects(oxigraph):
    rows = select(oxigraph, "countries-by-projects")
    counts = {r["code"]: int(r["projects"]) for r in rows}
    # partner countries: Moldova project 10 (000), STROM 10 and STROM II 4 (001), FReM II 15 (003)
    expected = {"LT": 3}
    expected.update(dict.fromkeys(["DK", "EE", "RU", "NL", "PT", "FI", "DE", "SE"], 2))
    expected.update(dict.fromkeys(["NO", "PL", "IT", "GB", "CY", "US", "MD"], 1))
    expected.update(dict.fromkeys(["AT", "BG", "CZ", "GR", "HU", "LU", "MT", "RO", "CH"], 1))
    # Latvia: Moldova, STROM, STROM II, FReM II. The gold also accepts it for DEFLECT, ADSTRINGO and the
    # consular training ("kuros piedalījušās Latvijas institūcijas"), so at least 4.
    assert counts.pop("LV") >= 4
    assert counts == expected
    assert canon(rows[0]["countryName"]) == "Latvija"
    assert [int(r["projects"]) for r in rows] == sorted((int(r["projects"]) for r in rows), reverse=True)
    lt = next(r for r in rows if r["code"] == "LT")
    assert cells(lt["projectNames"]) == {MOLDOVA_PROJECT, STROM, STROM_II}


@covers("ngos-working-with-ministries")
def test_ngos_that_work_with_ministries(oxigraph):
    rows = select(oxigraph, "ngos-working-with-ministries")
    # 002: the 2010 working group is made up of six ministries, ..., biedrība "Resursu centrs sievietēm
    # "Marta"" (now Centrs MARTA) and biedrība "Patvērums "Drošā māja"". IeM leads the group but is not
    # listed as a member (the gold accepts either reading), so this is a lower bound.
    pairs = {(canon(r["ngoName"]), canon(r["ministryName"])) for r in rows}
    assert {(ngo, m) for ngo in (MARTA, DROSA_MAJA) for m in WG_MINISTRIES} <= pairs
    via_group = [r for r in rows if canon(r["ngoName"]) in (MARTA, DROSA_MAJA)]
    assert {canon(r["viaName"]) for r in via_group} == {WORKING_GROUP}
    assert {r["link"] for r in via_group} == {"members of the same body"}
    # no NGO shares a project with a ministry in the gold relations; La Strada as a supporter of the Moldova
    # project ("Ana Revenco, La Strada" supported its activities) is only acceptable
    assert {canon(r["ngoName"]) for r in rows if r["link"] == "same project"} <= {"La Strada"}


@covers("organisation-projects-over-time")
def test_projects_of_the_ministry_over_time(oxigraph):
    rows = select(oxigraph, "organisation-projects-over-time")
    # IeM is a partner of the Moldova project only; 000 collects four news items about it, dated
    # 23.03.2018, 03.05.2018, 11.06.2018 and 18.10.2018.
    assert [
        (r["projectName"], local(r["role"]), r["firstMention"], r["lastMention"], r["firstYear"], r["lastYear"])
        for r in rows
    ] == [(MOLDOVA_PROJECT, "partner", "2018-03-23", "2018-10-18", "2018", "2018")]
    assert rows[0]["documents"] == "1"


def test_projects_of_icmpd_over_time(oxigraph):
    rows = select(oxigraph, "organisation-projects-over-time", org=ICMPD)
    assert [(r["projectName"], local(r["role"]), r["firstMention"], r["lastMention"]) for r in rows] == [
        (MOLDOVA_PROJECT, "fundedBy", "2018-03-23", "2018-10-18"),
        (FREM, "leadPartner", "2018-09-25", "2018-09-25"),  # 003 is dated 25.09.2018
    ]


@covers("brokers")
def test_brokers(oxigraph):
    rows = select(oxigraph, "brokers")
    # ICMPD alone links two groups: the Moldova project's LT, LV and MD ministries, MPF and the Moldovan
    # police inspectorate that organised its closing meeting, and FReM II's Ombudsman's Office, Frontex and
    # FRA; no one else is in a project of each group. 5 x 3 = 15 pairs.
    assert [canon(r["orgName"]) for r in rows] == [ICMPD]
    assert (rows[0]["projects"], rows[0]["partners"], rows[0]["unlinkedPairs"]) == ("2", "8", "15")


@covers("international-organisation-members")
def test_international_organisations_and_their_member_states(oxigraph):
    rows = select(oxigraph, "international-organisation-members")
    members: dict[str, set[str]] = {}
    for r in rows:
        members.setdefault(canon(r["organisationName"]), set()).add(r["code"])
    # 001: "Padomi veido 11 Baltijas jūras reģiona valstis (Zviedrija, Somija, Igaunija, Latvija, Lietuva,
    # Vācija, Polija, Dānija, Norvēģija, Islande un Krievijas Federācija), kā arī Eiropas Komisija" (the
    # Commission is not a state); "Latvija CBSS TF-THB darbojas kopš tās dibināšanas".
    assert members == {
        CBSS: {"SE", "FI", "EE", "LV", "LT", "DE", "PL", "DK", "NO", "IS", "RU"},
        TF_THB: {"LV"},
    }
    assert {r["memberStates"] for r in rows if canon(r["organisationName"]) == CBSS} == {"11"}


@covers("evidence-between-actors")
def test_evidence_that_the_task_force_belongs_to_the_cbss(oxigraph):
    rows = select(oxigraph, "evidence-between-actors")
    assert rows
    assert {(canon(r["subjectName"]), local(r["relation"]), canon(r["objectName"])) for r in rows} == {
        (TF_THB, "partOf", CBSS)
    }
    assert {r["docId"] for r in rows} == {DOC["001"]}
    # the sentence that founds the task force within the Council is among the evidence
    assert any("lēmums izveidot Padomes Darba grupu cīņai pret cilvēku tirdzniecību" in r["text"] for r in rows)
    assert all(r["sentence"].startswith(CTNID + "doc/" + DOC["001"] + "/s/") for r in rows)
    # both directions: the same evidence with the two actors swapped
    swapped = select(oxigraph, "evidence-between-actors", a=CBSS, b=TF_THB)
    assert {(r["sentence"], r["relation"]) for r in swapped} == {(r["sentence"], r["relation"]) for r in rows}


def test_evidence_for_the_lead_partner_of_the_moldova_project(oxigraph):
    rows = select(oxigraph, "evidence-between-actors", a=LT_IEM, b=MOLDOVA_PROJECT)
    assert {local(r["relation"]) for r in rows} >= {"leadPartner"}
    lead = [r for r in rows if local(r["relation"]) == "leadPartner"]
    texts = {r["text"] for r in lead}
    assert "Projekta vadošais partneris: Lietuvas Republikas Iekšlietu ministrija." in texts
    assert any(t.startswith("Lietuvas Republikas Iekšlietu ministrijas vadībā") for t in texts)
    assert any(t.startswith("Projekta aktivitātes īsteno Lietuvas Republikas Iekšlietu ministrija") for t in texts)
    assert {r["docId"] for r in lead} == {DOC["000"]}
    assert all(r["cue"] for r in lead)


@covers("single-document-entities")
def test_entities_found_in_only_one_document(oxigraph):
    rows = select(oxigraph, "single-document-entities")
    found = {canon(r["name"]): r["docId"] for r in rows}
    # named in one seed document only (gold "docs")
    assert {
        LT_IEM: DOC["000"],
        MD_IEM: DOC["000"],
        "La Strada": DOC["000"],
        MOLDOVA_PROJECT: DOC["000"],
        "Moldova": DOC["000"],
        CBSS: DOC["001"],
        TF_THB: DOC["001"],
        "DEFLECT": DOC["001"],
        "Igaunija": DOC["001"],
        "Latvijas Republikas Ārlietu ministrija": DOC["002"],
        DROSA_MAJA: DOC["002"],
        "Stokholmas programma": DOC["002"],
        OMBUDSMAN: DOC["003"],
        "Astra": DOC["003"],
        FREM: DOC["003"],
        "Imigrācijas likums": DOC["003"],
        "airBaltic": DOC["004"],
        'lidosta "Rīga"': DOC["004"],
        "Valdis Dombrovskis": DOC["004"],
    }.items() <= found.items()
    # named in two or more documents
    several = {
        LV_IEM,
        STATE_POLICE,
        "Valsts robežsardze",
        MARTA,
        "Eiropas Savienība",
        ICMPD,
        "Ministru kabinets",
        "ASV Valsts departaments",
        "Eiropas Padome",
        SECTORAL_DEPT,
        "Latvija",
        "Lietuva",
        "Lāsma Stabiņa",
        "Dimitrijs Trofimovs",
    }
    assert not several & found.keys()
    # gazetteer countries no document names are not entities "found" in a document
    assert "Francija" not in found and "Ķīna" not in found
    kinds = {canon(r["name"]): local(r["kind"]) for r in rows}
    assert (kinds[LT_IEM], kinds["Astra"], kinds[CBSS], kinds["airBaltic"], kinds[FREM]) == (
        "Ministry",
        "NGO",
        "InternationalOrganisation",
        "Company",
        "Project",
    )


@covers("organisation-profile")
def test_profile_of_the_ministry(oxigraph):
    res = run_query(LIBRARY["organisation-profile"], oxigraph).materialise()
    assert res.form == "CONSTRUCT"
    triples = {tuple(t.value for t in tr) for tr in res.triples}
    iem = CTNID + "org/lv-iem"
    pref = "http://www.w3.org/2004/02/skos/core#prefLabel"
    assert {s for s, p, o in triples if p == pref and o == "Iekšlietu ministrija"} == {iem}
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert {(iem, rdf_type, CTN + "Ministry"), (iem, CTN + "country", CTNID + "country/LV")} <= triples
    # it is a partner of the Moldova project (000); Lāsma Stabiņa (000) and Gunta Skrebele (002) work for it;
    # its Sectoral Policy Department is part of it (002, 004)
    incoming = {(p, s) for s, p, o in triples if o == iem}
    assert (CTN + "partner", CTNID + "project/uzlabojot-moldovas-spejas-cilveku-tirdzniecibas-apkarosana") in incoming
    assert {s for p, s in incoming if p == CTN + "affiliation"} >= {
        CTNID + "person/lasma-stabina",
        CTNID + "person/gunta-skrebele",
    }
    assert {s for p, s in incoming if p == CTN + "partOf"} >= {CTNID + "org/lv-iem-npd"}
    # mentioned in all five seed documents, whose identifiers come along
    docs = {o for s, p, o in triples if s == iem and p == CTN + "mentionedIn"}
    assert docs == {CTNID + "doc/" + d for d in DOC.values()}
    assert {o for s, p, o in triples if p == "http://purl.org/dc/terms/identifier"} == set(DOC.values())
    # the names of its neighbours, and no evidence bookkeeping
    labels = {o for s, p, o in triples if p == pref}
    assert {"Latvija", "Lāsma Stabiņa", MOLDOVA_PROJECT} <= labels
    assert not {p for s, p, o in triples} & {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#object",
    }


# persons and where they work, as 000, 002, 003 and 004 say (gold 'affiliation')
AFFILIATIONS = {
    "Mihajs Beregojs": MD_IEM,
    "Česlovas Mulma": LT_IEM,
    "Alvydas Šakočius": LT_IEM,
    "Stīvens Daniels": "Eiropas Savienības delegācija Moldovā",
    "Lāsma Stabiņa": LV_IEM,
    "Gunta Skrebele": LV_IEM,
    "Andris Bidzāns": THB_UNIT,
    "Dimitrijs Trofimovs": SECTORAL_DEPT,
    "Ijans Svīts": "Apvienotās Karalistes Neatkarīgā komisāra cīņai pret verdzību birojs",
    "Jorns van Rījž": "Inhollandas Lietišķo zinātņu universitāte",
    "Ana Revenco": "La Strada",
    "Grigore Moga": MD_IGP,
    "Elena Gherta": MD_IGP,
    "Madis Vainomā": "Starptautiskā Migrācijas politikas attīstības centra Cilvēku tirdzniecības apkarošanas programma",
    "Marija Andjelkoviča": "Astra",
    "Valdis Dombrovskis": "Ministru kabinets",
}


@covers("persons-and-affiliations")
def test_persons_and_their_affiliations(oxigraph):
    rows = select(oxigraph, "persons-and-affiliations")
    pairs = {(canon(r["personName"]), canon(r["organisationName"])) for r in rows}
    assert set(AFFILIATIONS.items()) <= pairs
    by_person = {canon(r["personName"]): r for r in rows}
    # the parent body of a unit, and the organisation's country
    assert canon(by_person["Andris Bidzāns"]["parentName"]) == STATE_POLICE
    assert canon(by_person["Dimitrijs Trofimovs"]["parentName"]) == LV_IEM
    assert by_person["Ana Revenco"]["countryName"] == "Moldova"
    assert by_person["Marija Andjelkoviča"]["countryName"] == "Serbija"
    # 000 calls Vladimirs Negura only "Projekta vadītājs Moldovā": listed, without an organisation
    assert by_person["Vladimirs Negura"]["organisationName"] is None
    # one person, one node: the text spells these two ways each
    assert sum(canon(r["personName"]) == "Mihajs Beregojs" for r in rows) == 1
    assert sum(canon(r["personName"]) == "Madis Vainomā" for r in rows) == 1


@pytest.mark.xfail(strict=True, reason="extraction: Pinzaru is given Latvian bodies (see the report)")
def test_pinzaru_works_for_the_moldovan_general_police_inspectorate(oxigraph):
    # 000: "Ģenerālpolicijas inspektorāts organizēja ... noslēguma sanāksmi"; "Ģenerālpolicijas priekšnieks
    # Aleksandru Pinzaru"; "Valsts policijas inspektorāta vadītājs Alexandru Pinzari" - all Moldova's IGP.
    rows = [r for r in select(oxigraph, "persons-and-affiliations") if canon(r["personName"]) == "Aleksandru Pinzaru"]
    assert {(canon(r["organisationName"]), r["countryName"]) for r in rows} == {(MD_IGP, "Moldova")}


def test_pompeo_works_for_the_us_department_of_state(oxigraph):
    rows = [r for r in select(oxigraph, "persons-and-affiliations") if canon(r["personName"]) == "Maiks Pompeo"]
    assert {canon(r["organisationName"]) for r in rows} == {"ASV Valsts departaments"}


@covers("sub-units-of-organisation")
def test_sub_units_of_the_cbss(oxigraph):
    rows = select(oxigraph, "sub-units-of-organisation")
    # 001: the task force and the Committee of Senior Officials are bodies of the Council
    assert {(canon(r["unitName"]), canon(r["parentName"])) for r in rows} == {(TF_THB, CBSS), (CSO, CBSS)}


def test_sub_units_of_other_organisations(oxigraph):
    units = {canon(r["unitName"]) for r in select(oxigraph, "sub-units-of-organisation", org="Iekšlietu ministrija")}
    assert SECTORAL_DEPT in units
    units = {canon(r["unitName"]) for r in select(oxigraph, "sub-units-of-organisation", org=STATE_POLICE)}
    assert THB_UNIT in units
    units = {canon(r["unitName"]) for r in select(oxigraph, "sub-units-of-organisation", org="Eiropas Savienība")}
    # "Eiropas Savienības delegācija Moldovā", "Eiropas Savienības Pamattiesību aģentūra" say so in their
    # names; Frontex's partOf is only acceptable in the gold
    assert {"Eiropas Savienības delegācija Moldovā", FRA} <= units


@pytest.mark.xfail(strict=True, reason="extraction: Moldova's police inspectorate is made a unit of Valsts policija")
def test_the_state_police_has_no_moldovan_unit(oxigraph):
    rows = select(oxigraph, "sub-units-of-organisation", org=STATE_POLICE)
    assert {canon(r["unitName"]) for r in rows} == {THB_UNIT}


@covers("policy-documents-with-organisation")
def test_policy_documents_named_with_the_border_guard(oxigraph):
    rows = select(oxigraph, "policy-documents-with-organisation")  # Valsts robežsardze: 002 and 003
    found = {canon(r["policyName"]): r["documents"] for r in rows}
    assert {
        "Stokholmas programma": DOC["002"],
        "Valsts programma cīņai pret cilvēku tirdzniecību": DOC["002"],
        "Imigrācijas likums": DOC["003"],
        "Eiropas Parlamenta un Padomes direktīva 2008/115/EK": DOC["003"],
    }.items() <= found.items()
    # nothing from documents that do not name the Border Guard (000, 001, 004)
    assert not {"Kopenhāgenas deklarācija", "Cilvēku tirdzniecības novēršanas pamatnostādnes 2014.–2020.gadam"} & (
        found.keys()
    )


def test_policy_documents_named_with_the_ombudsman(oxigraph):
    rows = select(oxigraph, "policy-documents-with-organisation", org="Tiesībsarga birojs")
    # 003 names two: the Immigration Law and the Return Directive 2008/115/EC
    assert {canon(r["policyName"]) for r in rows} == {
        "Imigrācijas likums",
        "Eiropas Parlamenta un Padomes direktīva 2008/115/EK",
    }
    assert {r["sharedDocuments"] for r in rows} == {"1"}


@pytest.mark.xfail(strict=True, reason="extraction: 002's CoE convention and Programme 2009-2013 are not found")
def test_policy_documents_of_2010_named_with_the_border_guard(oxigraph):
    # 002: "Latvija ir pievienojusies Eiropas Padomes konvencijai par cīņu pret cilvēku tirdzniecību";
    # "darba grupa Programmas cilvēku tirdzniecības novēršanai 2009.-2013.gadam īstenošanas koordinēšanai"
    rows = select(oxigraph, "policy-documents-with-organisation")
    assert {
        "Eiropas Padomes Konvencija par cīņu pret cilvēku tirdzniecību",
        "Programma cilvēku tirdzniecības novēršanai 2009.–2013.gadam",
    } <= {canon(r["policyName"]) for r in rows}


@covers("project-participant-countries")
def test_partner_countries_of_projects(oxigraph):
    def codes(**params):
        return {r["code"] for r in select(oxigraph, "project-participant-countries", **params)}

    # 000: "projekta partnervalstis – Lietuvu, Latviju, Moldovu, kā arī Itāliju, Portugāli, Nīderlandi,
    # Apvienoto Karalisti, Dāniju, Kipru un Amerikas Savienotās Valstis"
    assert codes() == {"LT", "LV", "MD", "IT", "PT", "NL", "GB", "DK", "CY", "US"}
    # 003: "projekta partnervalstīm: Austriju, Bulgāriju, Čehijas Republiku, Somiju, Vāciju, Grieķiju,
    # Ungāriju, Latviju, Luksemburgu, Maltu, Nīderlandi, Portugāli, Rumāniju, Zviedriju un Šveici"
    assert codes(project=FREM) == {
        "AT",
        "BG",
        "CZ",
        "FI",
        "DE",
        "GR",
        "HU",
        "LV",
        "LU",
        "MT",
        "NL",
        "PT",
        "RO",
        "SE",
        "CH",
    }
    # 001: STROM II in Latvia, Lithuania, Estonia and north-western Russia
    assert codes(project=STROM_II) == {"LV", "LT", "EE", "RU"}
    assert codes(project="DEFLECT") == set()  # no partner country stated in 001


@covers("organisations-by-country")
def test_organisations_of_latvia(oxigraph):
    rows = select(oxigraph, "organisations-by-country")
    found = {canon(r["organisationName"]): local(r["kind"]) for r in rows}
    expected = dict.fromkeys(WG_MINISTRIES | {LV_IEM}, "Ministry")
    expected.update(
        dict.fromkeys(
            [
                STATE_POLICE,
                THB_UNIT,
                SECTORAL_DEPT,
                "Valsts robežsardze",
                "Pilsonības un migrācijas lietu pārvalde",
                "Zāļu valsts aģentūra",
                "Rīgas dome",
                OMBUDSMAN,
                "Ministru kabinets",
                WORKING_GROUP,
            ],
            "PublicBody",
        )
    )
    expected.update({MARTA: "NGO", DROSA_MAJA: "NGO", "airBaltic": "Company", 'lidosta "Rīga"': "Company"})
    assert expected.items() <= found.items()
    # other countries' bodies and international organisations are not Latvian
    assert not {LT_IEM, MD_IEM, "La Strada", "Astra", ICMPD, "Eiropas Savienība", TF_THB} & found.keys()
    parents = {canon(r["organisationName"]): canon(r["parentName"]) for r in rows}
    assert (parents[THB_UNIT], parents[SECTORAL_DEPT]) == (STATE_POLICE, LV_IEM)


def test_organisations_of_moldova(oxigraph):
    rows = select(oxigraph, "organisations-by-country", country="ctnid:country/MD")
    assert {r["country"] for r in rows} == {CTNID + "country/MD"}
    # 000 names them in Moldova: the ministry, La Strada, and the institutions the evaluation visit met
    assert {
        MD_IEM,
        "La Strada",
        MD_IGP,
        "Cilvēku tirdzniecības apkarošanas centrs",
        "Robežpolicijas inspektorāts",
        "Kriminālvajāšanas departaments",
        "Migrācijas un patvēruma birojs",
        "Speciālā prokuratūra organizētās noziedzības un citu noziegumu apkarošanai",
        "Moldovas Republikas valdība",
    } <= {canon(r["organisationName"]) for r in rows}


def test_the_prosecutor_generals_office_of_the_evaluation_visit_is_moldovan(oxigraph):
    # 000 lists it among the Moldovan institutions the experts met ("Ģenerālprokuratūra, Migrācijas un
    # patvēruma birojs, ...")
    rows = select(oxigraph, "organisations-by-country", country="ctnid:country/MD")
    assert "Ģenerālprokuratūra" in {canon(r["organisationName"]) for r in rows}


@covers("documents-by-year")
def test_documents_by_publication_year(oxigraph):
    rows = select(oxigraph, "documents-by-year")
    # 002 is dated 15.10.2010; 000 (earliest item 23.03.2018), 001 (04.09.2018) and 003 (25.09.2018) are
    # from 2018; 004 "Publicēts: 16.01.2020."
    assert [(r["year"], r["documents"], cells(r["identifiers"])) for r in rows] == [
        ("2010", "1", {DOC["002"]}),
        ("2018", "3", {DOC["000"], DOC["001"], DOC["003"]}),
        ("2020", "1", {DOC["004"]}),
    ]


@covers("events-timeline")
def test_events_timeline(oxigraph):
    rows = select(oxigraph, "events-timeline")
    dated = {r["start"]: r for r in rows if r["start"]}
    # 000: the project's kick-off meeting on 23.03.2018 and its closing meeting on 15.10.2018; 001: the CSO
    # meetings in Kalmar (7.-8.11.2006) and Berlin (21.09.2011); 002: the diplomats' training on 10.11.2010
    assert {"2018-03-23", "2018-10-15", "2006-11-07", "2011-09-21", "2010-11-10"} <= dated.keys()
    assert "Kalmār" in dated["2006-11-07"]["eventName"] and "Berlīn" in dated["2011-09-21"]["eventName"]
    assert {dated[d]["documents"] for d in ("2018-03-23", "2018-10-15")} == {DOC["000"]}
    starts = [r["start"] for r in rows if r["start"]]
    assert starts == sorted(starts)
    # the graph misses the evaluation visit (23.-27.04.2018) and the training (4.-5.06.2018) of 000, and dates
    # 002's Brussels conference (18.-19.10.2010) nowhere: see the report


def test_events_of_the_moldova_project_and_their_dates(oxigraph):
    rows = select(oxigraph, "events-timeline")
    closing = [r for r in rows if r["start"] == "2018-10-15"]
    # "... organizēja starptautiskā projekta “Uzlabojot Moldovas spējas ...” noslēguma sanāksmi"
    assert {r["projectName"] for r in closing} == {MOLDOVA_PROJECT}
    # 004: the guidelines were "atbalstītas Ministru kabineta 2014.gada 14.janvāra sēdē"
    session = [r for r in rows if "14.janvāra" in r["eventName"]]
    assert {r["start"] for r in session} == {"2014-01-14"}


@covers("projects-overview")
def test_projects_overview(oxigraph):
    rows = select(oxigraph, "projects-overview")
    by_name = {canon(r["projectName"]): r for r in rows}
    # the eight projects of the seeds: Moldova (000), five CBSS TF-THB projects (001), FReM II (003), CAPE (004)
    assert set(by_name) == {
        MOLDOVA_PROJECT,
        FREM,
        *CBSS_PROJECTS,
        "Kompetenču veidošana, palīdzības sniegšana un kriminālvajāšana darba ekspluatācijas "
        "gadījumos Baltijas jūras reģionā",
    }

    def names(row, col):
        return {canon(n) for n in cells(row[col])}

    moldova = by_name[MOLDOVA_PROJECT]
    assert names(moldova, "leadPartners") == {LT_IEM}
    assert names(moldova, "partners") == {LV_IEM, MD_IEM, MD_IGP}
    assert names(moldova, "funders") == {ICMPD}
    assert MPF in names(moldova, "supporters")
    assert (moldova["countries"], moldova["documents"]) == ("10", DOC["000"])
    frem = by_name[FREM]
    assert (names(frem, "leadPartners"), names(frem, "partners")) == ({ICMPD}, {OMBUDSMAN})
    assert names(frem, "supporters") >= {FRONTEX, FRA}
    assert (frem["countries"], frem["documents"]) == ("15", DOC["003"])
    for name in CBSS_PROJECTS:  # "CBSS TF-THB īstenotie projekti"
        assert names(by_name[name], "leadPartners") == {TF_THB}, name
        assert by_name[name]["documents"] == DOC["001"]
    assert (by_name[STROM]["countries"], by_name[STROM_II]["countries"]) == ("10", "4")


# --------------------------------------------------------------------------- parameters are data

HOSTILE = ['"', ">", "}", "\n", "'", "\\", "#", 'x" } ; ?s ?p ?o . #', "<http://x> } UNION { ?o ?p ?v", "'''\"\"\""]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_parameter_is_only_a_string(oxigraph, rdflib_engine, value):
    for engine in (oxigraph, rdflib_engine):
        assert select(engine, "partners-of-organisation", org=value) == [], engine.name


@pytest.mark.parametrize("suffix", HOSTILE)
def test_a_real_label_with_characters_appended_does_not_match(oxigraph, rdflib_engine, suffix):
    for engine in (oxigraph, rdflib_engine):
        assert select(engine, "partners-of-organisation", org="Iekšlietu ministrija")  # the label alone matches
        assert select(engine, "partners-of-organisation", org="Iekšlietu ministrija" + suffix) == [], engine.name


# --------------------------------------------------------------------------- command line


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory, seed_store):
    from ctn_graph.rdf.export import write_store

    path = tmp_path_factory.mktemp("queries") / "graph.trig"
    write_store(seed_store, path)
    return path


@pytest.fixture
def cli(graph_file, tmp_path, monkeypatch):
    """`ctn-graph query ... --graph <seed graph>` in an empty folder (no .ctn-graph of a last build)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["query", *args, "--graph", str(graph_file)])

    return invoke


def test_cli_csv(cli):
    result = cli("partners-of-organisation", "-p", "org=Iekšlietu ministrija", "-f", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == ["org", "partnerName", "projectName", "orgRole", "partnerRole", "partner", "project"]
    assert {row[1] for row in table[1:]} == {
        "Lietuvas Republikas Iekšlietu ministrija",
        "Moldovas Republikas Iekšlietu ministrija",
        MD_IGP,
        ICMPD,
        MPF,
    }


def test_cli_json(cli):
    result = cli("countries-by-projects", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["countryName", "code", "projects", "projectNames", "country"]
    first = data["results"]["bindings"][0]
    assert first["countryName"] == {"type": "literal", "value": "Latvija", "xml:lang": "lv"}
    assert first["country"] == {"type": "uri", "value": CTNID + "country/LV"}
    assert first["projects"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_cli_turtle_for_the_construct_query(cli):
    result = cli("organisation-profile", "-p", "org=Tiesībsarga birojs", "-f", "ttl")
    assert result.exit_code == 0, result.output
    g = rdflib.Graph().parse(data=result.stdout, format="turtle")
    org = rdflib.URIRef(CTNID + "org/lv-tiesibsargs")
    frem = rdflib.URIRef(CTNID + "project/forced-return-monitoring-ii")
    assert (frem, rdflib.URIRef(CTN + "partner"), org) in g
    assert (org, rdflib.RDF.type, rdflib.URIRef(CTN + "PublicBody")) in g


def test_cli_unknown_parameter(cli):
    result = cli("evidence-between-actors", "-p", "org=Iekšlietu ministrija")
    assert result.exit_code == 1
    assert "unknown parameter" in result.output and "org" in result.output
    assert "it takes a, b" in result.output


def test_cli_syntax_error_names_line_and_column(cli, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text(
        "# title: broken\nPREFIX ctn: <https://w3id.org/ctn/ontology#>\nSELECT ?p WHERE {\n  ?p ctn:partner\n}\n",
        encoding="utf-8",
    )
    result = cli(str(bad))
    assert result.exit_code == 1
    assert "bad.rq" in result.output
    assert re.search(r"line \d+, column \d+", result.output), result.output

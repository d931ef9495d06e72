"""Events and policy documents read from sentences written for these tests: one node per
occasion in a document, dated with its first day, and policy documents named as the text
names them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctn_graph.ir import EntityClass
from ctn_graph.pipeline.ingest import parse_document
from ctn_graph.pipeline.memory import build_resolved, to_store


def entities(text: str, cls: EntityClass) -> dict[str, str | None]:
    """prefLabel -> start date of the mentioned entities of one class."""
    r = build_resolved([parse_document(text, "d1")])
    return {e.pref_label_lv: e.date for e in r.entities if e.docs and e.cls is cls}


def events(text: str) -> dict[str, str | None]:
    return entities(text, EntityClass.EVENT)


def policies(text: str) -> set[str]:
    return set(entities(text, EntityClass.POLICY_DOCUMENT))


# ---------------------------------------------------------------- events


def test_the_mentions_of_one_event_are_one_node_named_by_its_title() -> None:
    text = (
        "Virsraksts\n\n05.05.2021.\n\n"
        "No šā gada 17. līdz 18. maijam Cēsīs notiks seminārs jauniešiem. "
        "Seminārā „Drošs darbs ārzemēs” runās arī policijas pārstāvji. Seminārs notiks Cēsīs."
    )
    assert events(text) == {"Drošs darbs ārzemēs": "2021-05-17"}


def test_two_meetings_on_different_days_are_two_events() -> None:
    text = (
        "2017. gada 3. martā Tallinā notika darba grupas sanāksme. "
        "Nākamā darba grupas sanāksme notika 2017. gada 9. oktobrī Viļņā."
    )
    got = events(text)
    assert sorted(got.values()) == ["2017-03-03", "2017-10-09"]


def test_a_bare_event_noun_is_an_event_only_where_it_takes_place() -> None:
    # dated and said to take place
    assert events("Policija 2016. gada 12. aprīlī organizēja mācības.") == {"Mācības": "2016-04-12"}
    # dated, but only spoken of
    assert events("2016. gada 12. aprīlī ministrs uzsvēra, ka mācības ir svarīgas.") == {}
    # neither dated, titled nor placed
    assert events("Policija regulāri organizē apmācības.") == {}
    # a date that is another noun's: "... apstiprinātais plāns paredz mācības"
    assert events("2016. gada 12. aprīlī apstiprinātais plāns paredz mācības.") == {}
    # a deadline is no start
    assert events("Līdz 2016. gada 12. aprīlim notiks mācības.") == {}


def test_several_seminars_are_no_single_event() -> None:
    assert events("2019. gada maijā notika vairāki semināri un divas konferences.") == {}


def test_the_genitive_date_of_a_meeting_is_its_own() -> None:
    got = events("Jautājums tika izskatīts Saeimas Aizsardzības komisijas 2015. gada 4. marta sēdē.")
    assert list(got.values()) == ["2015-03-04"]


def test_a_month_or_a_year_is_as_precise_as_an_event_start_gets() -> None:
    got = events("2019. gada novembrī Rīgā notika starptautiska konference „Kopā pret verdzību”.")
    assert got == {"Kopā pret verdzību": "2019-11"}


def test_a_start_known_to_the_month_is_written_as_a_gyearmonth() -> None:
    from ctn_graph.rdf.validate import load_rdflib, validate_graph

    doc = parse_document("2019. gada novembrī Rīgā notika konference „Kopā pret verdzību”.", "d1")
    store = to_store(build_resolved([doc]), with_ontology=False)
    q = "PREFIX ctn: <https://w3id.org/ctn/ontology#> SELECT ?d WHERE { ?e ctn:startDate ?d }"
    (row,) = list(store.query(q, use_default_graph_as_union=True))
    assert row["d"].value == "2019-11"
    assert row["d"].datatype.value == "http://www.w3.org/2001/XMLSchema#gYearMonth"
    import pyoxigraph as ox

    out = Path(__import__("tempfile").mkdtemp()) / "g.nq"
    store.dump(str(out), ox.RdfFormat.N_QUADS)
    report = validate_graph(load_rdflib(out))
    assert not [v for v in report.violations if "startDate" in v]


def test_a_day_and_month_take_the_year_of_the_item_above_them() -> None:
    text = (
        "Jaunumi\n\n10.02.2021.\n\n8. februārī Valmierā notika seminārs skolotājiem.\n\n"
        "15.12.2020.\n\n11. decembrī Ogrē notika konference „Bērni tiešsaistē”.\n"
    )
    got = events(text)
    assert got == {"Seminārs skolotājiem": "2021-02-08", "Bērni tiešsaistē": "2020-12-11"}


def test_without_a_publication_date_a_day_and_month_leave_the_event_undated() -> None:
    assert events("Šā gada 8. februārī Valmierā notika seminārs skolotājiem.") == {"Seminārs skolotājiem": None}


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "2018. gada 5. jūnijā notika apaļā galda diskusija par darba tiesībām.",
            "Apaļā galda diskusija par darba tiesībām",
        ),
        ("2018. gada 5. jūnijā Rīgā notika apaļais galds „Darbs un drošība”.", "Darbs un drošība"),
        ("2018. gada 5. jūnijā notika tikšanās ar prokuroriem.", "Tikšanās ar prokuroriem"),
        ("2018. gada 5. jūnijā notika pasākums „Drošs darbs”.", "Drošs darbs"),
        (
            "2018. gada 5. jūnijā sākās kvalifikācijas celšanas kursi policistiem.",
            "Kvalifikācijas celšanas kursi policistiem",
        ),
        (
            "2018. gada 5. jūnijā notika Ārlietu ministrijas rīkotā videokonference.",
            "Ārlietu ministrijas rīkotā videokonference",
        ),
    ],
)
def test_event_nouns_in_their_phrases(sentence: str, name: str) -> None:
    assert events(sentence) == {name: "2018-06-05"}


def test_a_weekday_makes_an_occasion_of_what_takes_place() -> None:
    assert events("Ministrs piektdien piedalījās videokonferencē.") == {"Videokonference": None}
    assert events("Ministrs piektdien teica, ka videokonference ir noderīga.") == {}


def test_a_table_is_no_event() -> None:
    assert events("2018. gada 5. jūnijā uz galda tika nolikti dokumenti.") == {}


@pytest.mark.parametrize(
    "sentence",
    [
        "12. martā un 13. martā, Cēsu pilī, notika seminārs par drošu darbu ārzemēs.",
        "Otrdien, 12. martā un trešdien, 13. martā Cēsīs notika seminārs jauniešiem.",
    ],
)
def test_days_joined_by_un_are_one_occasion_from_the_first(sentence: str) -> None:
    assert list(events(f"Virsraksts\n\n02.03.2019.\n\n{sentence}").values()) == ["2019-03-12"]


def test_a_project_acronym_before_an_event_noun_is_part_of_its_name() -> None:
    text = (
        "Virsraksts\n\n05.05.2021.\n\n"
        "Šā gada 12. maijā Talsos notika SAFE apaļā galda diskusija par darba drošību. "
        "Projekts „Droši ceļā” (SAFE) tiek īstenots ar Eiropas Komisijas atbalstu."
    )
    assert events(text) == {"SAFE apaļā galda diskusija par darba drošību": "2021-05-12"}


def test_a_meeting_with_the_representatives_of_bodies_is_named_by_them() -> None:
    text = (
        "Virsraksts\n\n05.05.2021.\n\n"
        "Šā gada 3. maijā ministrs organizēja tikšanos ar Valsts policijas un Valsts robežsardzes"
        " pārstāvjiem par sadarbību."
    )
    assert events(text) == {"Tikšanās ar Valsts policijas un Valsts robežsardzes pārstāvjiem": "2021-05-03"}


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "2019. gada 5. maijā ministrija rīkoja starptautisku semināru par drošību.",
            "Starptautisks seminārs par drošību",
        ),
        ("2019. gada 5. maijā notika ikgadējā konference Rīgā.", "Ikgadējā konference Rīgā"),
        (
            "Nākamā reģionālā apaļā galda diskusija notiks 2019. gada 5. maijā.",
            "Nākamā reģionālā apaļā galda diskusija",
        ),
    ],
)
def test_an_event_is_named_with_the_adjectives_before_it(sentence: str, name: str) -> None:
    assert events(sentence) == {name: "2019-05-05"}


def test_a_named_occasion_that_took_place_can_be_dated_by_its_year() -> None:
    text = "Kā grupa radās: 2003. gadā Cēsīs noticis vairāku dienu seminārs par darba drošību, to vadīja eksperts."
    assert events(text) == {"Vairāku dienu seminārs par darba drošību": "2003"}
    assert events("2003. gadā Cēsīs notika seminārs.") == {}  # a bare noun and a year name no occasion


# ---------------------------------------------------------------- policy documents


def test_an_order_is_named_by_its_issuer_date_and_number() -> None:
    got = policies("Darba grupa izveidota ar Ministru prezidenta 2019. gada 4. aprīļa rīkojumu Nr. 130.")
    assert got == {"Ministru prezidenta 2019. gada 4. aprīļa rīkojums Nr.130"}


def test_an_order_with_a_title_is_one_document_named_by_its_title() -> None:
    r = build_resolved(
        [
            parse_document(
                "Ar Ministru kabineta 2019. gada 4. aprīļa rīkojumu Nr. 130 „Par vadlīnijām” tas atbalstīts.", "d1"
            )
        ]
    )
    (doc,) = [e for e in r.entities if e.cls is EntityClass.POLICY_DOCUMENT]
    assert doc.pref_label_lv == "Par vadlīnijām"
    assert "Ministru kabineta 2019. gada 4. aprīļa rīkojums Nr.130" in {a for a, _ in doc.alt_labels}


def test_a_law_named_in_one_word() -> None:
    assert policies("Grozījumi Krimināllikumā stājās spēkā.") == {"Krimināllikums"}


def test_the_owner_of_a_plan_is_named_before_it() -> None:
    assert policies("Eiropas Parlamenta un Padomes Direktīvā 2011/36/ES tas noteikts.") == {
        "Eiropas Parlamenta un Padomes Direktīva 2011/36/ES"
    }


def test_a_name_cut_short_is_the_longer_name_it_begins() -> None:
    text = "Latvija ratificēja Eiropas Konvenciju cīņai pret cilvēku tirdzniecību. Eiropas Konvencija ir svarīga."
    assert policies(text) == {"Eiropas Konvencija cīņai pret cilvēku tirdzniecību"}


def test_guidelines_titled_by_a_gerund() -> None:
    assert policies("Izdotas vadlīnijas „Sargājot bērnus tiešsaistē” skolām.") == {"Sargājot bērnus tiešsaistē"}


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        # what the verb governs after the topic is no part of the title
        (
            "Komiteja vērtēs Eiropas Padomes Konvencijas pret vardarbību ieviešanu Igaunijā.",
            "Eiropas Padomes Konvencija pret vardarbību",
        ),
        (
            "Lektori iepazīstinās ar Eiropas Savienības direktīvu par darba ekspluatācijas novēršanu"
            " un jaunākajām tendencēm darba tirgū.",
            "Eiropas Savienības direktīva par darba ekspluatācijas novēršanu",
        ),
        # a place after the topic's noun is part of it
        (
            "Komiteja vērtēs Eiropas Padomes Konvencijas pret vardarbību ģimenē ieviešanu.",
            "Eiropas Padomes Konvencija pret vardarbību ģimenē",
        ),
        # a genitive plural written like an accusative does not end it; a coordinated noun goes on
        (
            "Tiesneši apguva Eiropas Padomes Konvenciju par cilvēku tiesību aizsardzību.",
            "Eiropas Padomes Konvencija par cilvēku tiesību aizsardzību",
        ),
        (
            "Tiesneši apguva Eiropas Padomes Konvenciju par vardarbības novēršanu un cietušo aizsardzību.",
            "Eiropas Padomes Konvencija par vardarbības novēršanu un cietušo aizsardzību",
        ),
        # "un" right before the head joins the title to another word; a role word ends it
        (
            "Sanāksmē runāja ministra padomnieks un Konvencijas pret vardarbību sekretārs.",
            "Konvencija pret vardarbību",
        ),
    ],
)
def test_where_a_topic_ends(sentence: str, name: str) -> None:
    assert policies(sentence) == {name}


def test_a_title_without_its_owner_is_the_document_named_with_it() -> None:
    text = (
        "Ziemeļu Padomes Konvencija pret vardarbību stājās spēkā 2014. gadā. "
        "Latvija Konvenciju pret vardarbību parakstīja vēlāk."
    )
    assert policies(text) == {"Ziemeļu Padomes Konvencija pret vardarbību"}


def test_a_programme_of_an_international_body_is_a_body_of_its_own() -> None:
    text = 'Projektu līdzfinansē Eiropas Savienības finanšu programma "Drošas robežas".'
    r = build_resolved([parse_document(text, "d1")])
    named = {e.pref_label_lv: e for e in r.entities if e.docs}
    assert named["Drošas robežas"].cls is EntityClass.INTERNATIONAL_ORGANISATION
    assert not [e for e in r.entities if e.cls is EntityClass.POLICY_DOCUMENT]
    parts = {(c.subject, c.object) for c in r.claims if c.relation.name == "PART_OF"}
    assert (named["Drošas robežas"].iri_path, named["Eiropas Savienība"].iri_path) in parts


def test_a_national_programme_stays_a_policy_document() -> None:
    assert policies("Tas noteikts Valsts programmā vardarbības novēršanai 2016.-2018. gadam.") == {
        "Valsts programma vardarbības novēršanai 2016.-2018. gadam"
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Projekts īstenots Eiropas Savienības programmas „Erasmus+” ietvaros.",
        "Ministra rīkojums par apbalvošanu tika parakstīts vakar.",
        "Projektu atbalsta Ziemeļu valstu NVO programma.",
        "Biedrība izstrādās turpmāko darbības plānu vardarbības novēršanai.",
        "Sanāksmes protokols ir pieejams mājaslapā.",
        "Jaunā stratēģija tiks izstrādāta nākamgad.",
        "Padomes lēmums tika pieņemts vienbalsīgi.",
        "Eiropas Komisijas stratēģija paredz vairāk naudas.",
        "Biedrības valde apstiprināja darba plānu 2020. gadam.",
    ],
)
def test_what_names_no_policy_document(sentence: str) -> None:
    assert policies(sentence) == set()

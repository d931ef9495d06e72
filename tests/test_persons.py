"""Persons and their names: the declension that puts a name in the nominative, the names
the first-name list does not know, and what is not a person."""

from __future__ import annotations

import pytest

from ctn_graph.pipeline.extract.lexicon import load_lexicon
from ctn_graph.pipeline.extract.names import NameFinder
from ctn_graph.pipeline.extract.persons import role_forms
from ctn_graph.pipeline.lv.names import surname_nominative
from ctn_graph.pipeline.text import tokenize


@pytest.fixture(scope="module")
def finder() -> NameFinder:
    return NameFinder(load_lexicon())


def persons(finder: NameFinder, sentence: str) -> list[str]:
    return [sp.lemma for sp in finder.person_spans(tokenize(sentence), sentence, 0, {})]


@pytest.mark.parametrize(
    ("word", "case", "gender", "nominative"),
    [
        ("Kalniņai", "dat", "f", "Kalniņa"),
        ("Paeglei", "dat", "f", "Paegle"),
        ("Paegli", "acc", "f", "Paegle"),
        ("Ozolas", "gen", "f", "Ozola"),
        ("Bērziņa", "gen", "m", "Bērziņš"),
        ("Bērziņam", "dat", "m", "Bērziņš"),
        ("Bērziņu", "acc", "m", "Bērziņš"),
        ("Lāča", "gen", "m", "Lācis"),
        ("Rinkēviča", "gen", "m", "Rinkēvičs"),
        ("Vējoņa", "gen", "m", "Vējonis"),
        ("Kalnieša", "gen", "m", "Kalnietis"),
        ("Dombrovskim", "dat", "m", "Dombrovskis"),
        ("Vīķes-Freibergas", "gen", "f", "Vīķe-Freiberga"),
        ("Pompeo", "acc", "m", "Pompeo"),  # an indeclinable name stays
        ("Bērziņa", "nom", "f", "Bērziņa"),
    ],
)
def test_surname_nominative(word: str, case: str, gender: str, nominative: str):
    assert surname_nominative(word, case, gender) == nominative


def test_given_names_in_any_case(finder: NameFinder):
    assert finder.given_name("Jāņa")[:2] == ("Jānis", "gen")
    assert finder.given_name("Mārtiņam")[:2] == ("Mārtiņš", "dat")
    assert finder.given_name("Ilzi")[:2] == ("Ilze", "acc")
    # an ambiguous form keeps every reading, the nominative first where there is one
    assert {r[0] for r in finder.given_names("Ingu")} == {"Ingus", "Inga"}
    assert finder.given_names("Anna")[0][1] == "nom"


def test_role_forms():
    assert ("acc", "f") in role_forms("sekretāri")
    assert ("acc", "m") in role_forms("pārstāvi")
    assert set(role_forms("vadītāja")) == {("nom", "f"), ("gen", "m")}
    assert role_forms("valsts") == ()


def test_names_put_in_the_nominative(finder: NameFinder):
    assert persons(finder, "Balvu pasniedza ministrei Ilzei Kalniņai.") == ["Ilze Kalniņa"]
    assert persons(finder, "Tikās ar parlamentāro sekretāri Ingu Lapsu.") == ["Inga Lapsa"]
    assert persons(finder, "Tika uzklausīts pārstāvja Jāņa Bērziņa viedoklis.") == ["Jānis Bērziņš"]


def test_names_the_first_name_list_does_not_know(finder: NameFinder):
    # after a role word; before the original spelling; coordinated with a person
    assert persons(finder, "Runāja ģenerālsekretārs Jirgens Štoks.") == ["Jirgens Štoks"]
    assert persons(finder, "Runāja Mārtens Dekers (Maarten Dekker) no Eiropola.") == ["Mārtens Dekers"]
    assert persons(finder, "Ieradās Ahmeds Karimovs un Kārlis Ozols.") == ["Ahmeds Karimovs", "Kārlis Ozols"]
    # the accusative of a transcribed name, from the ending it adds to the original
    assert persons(finder, "Tikās ar Hennu Baueru (Henn Bauer).") == ["Henns Bauers"]


def test_what_is_not_a_person(finder: NameFinder):
    # a capitalised pair with no sign of a person; a name that names a body
    assert persons(finder, "Ieradās Mārtens Dekers.") == []
    assert persons(finder, "Līgumu parakstīja Konrāda Adenauera fonds.") == []
    assert persons(finder, "Darbu sāka Jaan Tõnisson institūts.") == []
    # three capitalised words after a role are not read as a name nobody knows
    assert persons(finder, "Runāja pārstāvis Ziemeļu Jūras Komisijas.") == []

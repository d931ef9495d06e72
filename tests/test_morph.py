"""Tests for ctn_graph.pipeline.lv.morph: stems for matching, nominatives of inflected names."""

from __future__ import annotations

import pytest

from ctn_graph.pipeline.lv.morph import HeadNoun, head_cases, nominative_phrase, stem

# ---------------------------------------------------------------- stem

PARADIGMS = {
    "ministrija": "ministrija ministrijas ministrijai ministriju ministrijā",
    "dienests": "dienests dienesta dienestam dienestu dienestā",
    "pārvalde": "pārvalde pārvaldes pārvaldei pārvaldi pārvaldē",
    "Latvija": "Latvija Latvijas Latvijai Latviju Latvijā",
    "valsts": "valsts valstij valsti valstī valstu",
    "brālis": "brālis brāļa brālim brāli brālī",
    "centrs": "centrs centra centram centru centrā",
    "policija": "policija policijas policijai policiju policijā policiju policijām",
}


@pytest.mark.parametrize("lemma", sorted(PARADIGMS))
def test_case_forms_of_a_word_share_one_stem(lemma: str) -> None:
    forms = PARADIGMS[lemma].split()
    assert {stem(f) for f in forms} == {stem(lemma)}


def test_stem_ignores_capitalisation() -> None:
    assert stem("LATVIJAS") == stem("Latvijas") == stem("latvijas")
    assert stem("Ministrijā") == stem("ministrijā")


def test_unrelated_words_have_different_stems() -> None:
    lemmas = [
        "Latvija",
        "Lietuva",
        "Igaunija",
        "ministrija",
        "ministrs",
        "dienests",
        "pārvalde",
        "policija",
        "prokuratūra",
        "robežsardze",
        "valsts",
        "centrs",
        "birojs",
        "biedrība",
        "komisija",
        "padome",
    ]
    stems = [stem(w) for w in lemmas]
    assert len(set(stems)) == len(lemmas), dict(zip(lemmas, stems, strict=True))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ministrijas", "ministra"),  # the ministry, the minister
        ("Latvijas", "Lietuvas"),
        ("dienestam", "dienām"),
        ("policijai", "politikai"),
    ],
)
def test_inflected_forms_of_unrelated_words_do_not_collide(a: str, b: str) -> None:
    assert stem(a) != stem(b)


def test_short_words_and_non_words_are_kept() -> None:
    # too short to strip an ending without losing the word
    assert stem("ES") == "es"
    assert stem("un") == "un"
    assert stem("TF-THB") == "tf-thb"
    assert stem("2018") == "2018"


# ---------------------------------------------------------------- nominative_phrase

MINISTRIJA = HeadNoun("ministrija", "f", 4)
ROBEZSARDZE = HeadNoun("robežsardze", "f", 5)
ORGANIZACIJA = HeadNoun("organizācija", "f", 4)
PROKURATURA = HeadNoun("prokuratūra", "f", 4)
INSPEKTORATS = HeadNoun("inspektorāts", "m", 1)
BIROJS = HeadNoun("birojs", "m", 1)
DIENESTS = HeadNoun("dienests", "m", 1)
CENTRS = HeadNoun("centrs", "m", 1)
AGENTURA = HeadNoun("aģentūra", "f", 4)
VALSTIS = HeadNoun("valstis", "f", 6, plural=True)
KRUSTS = HeadNoun("krusts", "m", 1)


def nom(phrase: str, head: HeadNoun, head_index: int | None = None) -> str:
    words = phrase.split()
    return nominative_phrase(words, len(words) - 1 if head_index is None else head_index, head)


@pytest.mark.parametrize(
    ("phrase", "head", "expected"),
    [
        # genitive modifiers stay as they are
        ("Lietuvas Republikas Iekšlietu ministrijas", MINISTRIJA, "Lietuvas Republikas Iekšlietu ministrija"),
        ("Valsts robežsardzes", ROBEZSARDZE, "Valsts robežsardze"),
        # an adjective agreeing with the head follows it into the nominative
        ("Starptautiskās Migrācijas organizācijas", ORGANIZACIJA, "Starptautiskā Migrācijas organizācija"),
        ("Speciālo prokuratūru", PROKURATURA, "Speciālā prokuratūra"),
        # "Galvenās" agrees with "policijas", not with the masculine head
        ("Galvenās policijas inspektorāta", INSPEKTORATS, "Galvenās policijas inspektorāts"),
        # "Neatkarīgā" agrees with "komisāra", the nearer noun
        (
            "Apvienotās Karalistes Neatkarīgā komisāra biroja",
            BIROJS,
            "Apvienotās Karalistes Neatkarīgā komisāra birojs",
        ),
        ("Valsts sociālās apdrošināšanas aģentūras", AGENTURA, "Valsts sociālās apdrošināšanas aģentūra"),
    ],
)
def test_nominative_of_genitive_and_accusative_names(phrase: str, head: HeadNoun, expected: str) -> None:
    assert nom(phrase, head) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "Starptautiskā Migrācijas organizācija",
        "Starptautiskās Migrācijas organizācijas",
        "Starptautiskajai Migrācijas organizācijai",
        "Starptautisko Migrācijas organizāciju",
        "Starptautiskajā Migrācijas organizācijā",
    ],
)
def test_every_singular_case_of_a_feminine_name_gives_one_nominative(phrase: str) -> None:
    assert nom(phrase, ORGANIZACIJA) == "Starptautiskā Migrācijas organizācija"


@pytest.mark.parametrize(
    "phrase",
    [
        "Starptautiskais Migrācijas politikas attīstības centrs",
        "Starptautiskā Migrācijas politikas attīstības centra",
        "Starptautiskajam Migrācijas politikas attīstības centram",
        "Starptautisko Migrācijas politikas attīstības centru",
        "Starptautiskajā Migrācijas politikas attīstības centrā",
    ],
)
def test_every_singular_case_of_a_masculine_name_gives_one_nominative(phrase: str) -> None:
    assert nom(phrase, CENTRS) == "Starptautiskais Migrācijas politikas attīstības centrs"


@pytest.mark.parametrize(
    "phrase",
    ["Valsts ieņēmumu dienests", "Valsts ieņēmumu dienesta", "Valsts ieņēmumu dienestam", "Valsts ieņēmumu dienestā"],
)
def test_first_declension_head_in_every_case(phrase: str) -> None:
    assert nom(phrase, DIENESTS) == "Valsts ieņēmumu dienests"


@pytest.mark.parametrize(
    "phrase",
    ["Latvijas Sarkanā Krusta", "Latvijas Sarkanajam Krustam", "Latvijas Sarkano Krustu"],
)
def test_capitalised_adjective_and_head(phrase: str) -> None:
    assert nom(phrase, KRUSTS) == "Latvijas Sarkanais Krusts"


@pytest.mark.parametrize(
    "phrase",
    ["Amerikas Savienoto Valstu", "Amerikas Savienotajām Valstīm", "Amerikas Savienotajās Valstīs"],
)
def test_plural_only_head(phrase: str) -> None:
    assert nom(phrase, VALSTIS) == "Amerikas Savienotās Valstis"


def test_nominative_keeps_an_upper_case_name_upper_case() -> None:
    assert nom("VALSTS ROBEŽSARDZES", ROBEZSARDZE) == "VALSTS ROBEŽSARDZE"


def test_a_name_already_in_the_nominative_is_unchanged() -> None:
    for phrase, head in [
        ("Lietuvas Republikas Iekšlietu ministrija", MINISTRIJA),
        ("Starptautiskā Migrācijas organizācija", ORGANIZACIJA),
        ("Apvienotās Karalistes Neatkarīgā komisāra birojs", BIROJS),
    ]:
        assert nom(phrase, head) == phrase


def test_words_after_the_head_stay_as_written() -> None:
    phrase = "Iekšlietu ministrijas Nozares politikas departamentā"
    assert nom(phrase, MINISTRIJA, 1) == "Iekšlietu ministrija Nozares politikas departamentā"


def test_head_cases_recognise_forms_of_the_head_only() -> None:
    assert "gen" in head_cases("ministrijas", MINISTRIJA)
    assert "dat" in head_cases("ministrijai", MINISTRIJA)
    assert head_cases("ministra", MINISTRIJA) == []
    assert head_cases("policijas", MINISTRIJA) == []

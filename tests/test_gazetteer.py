"""Tests for ctn_graph.pipeline.extract.gazetteer: the data files and the token-trie matcher."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from ctn_graph.common.resources import data_path
from ctn_graph.ir import EntityClass
from ctn_graph.pipeline.extract.gazetteer import (
    Gazetteer,
    GazetteerEntry,
    Match,
    is_acronym,
    load_actors,
    load_countries,
)
from ctn_graph.pipeline.text import tokenize


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def find(g: Gazetteer, text: str) -> list[tuple[str, str]]:
    """(surface text, entry name_lv) of every match in text."""
    toks = tokenize(text)
    out = []
    for m in g.find(toks):
        surface = text[toks[m.start].start : toks[m.end - 1].end]
        out.append((surface, g.entries[m.entry_id].name_lv))
    return out


def ids(g: Gazetteer, text: str) -> list[str]:
    return [m.entry_id for m in g.find(tokenize(text))]


# ---------------------------------------------------------------- matching (default data)


def test_inflected_names_of_bodies_are_found(gaz: Gazetteer) -> None:
    text = "Sanāksmē piedalījās Iekšlietu ministrijas un Valsts robežsardzes pārstāvji"
    assert find(gaz, text) == [
        ("Iekšlietu ministrijas", "Iekšlietu ministrija"),
        ("Valsts robežsardzes", "Valsts robežsardze"),
    ]


def test_inflected_country_names_are_found(gaz: Gazetteer) -> None:
    got = [gaz.entries[i] for i in ids(gaz, "iesaistot Lietuvu, Latviju un Apvienoto Karalisti")]
    assert [e.iso2 for e in got] == ["LT", "LV", "GB"]
    assert all(e.cls is EntityClass.COUNTRY for e in got)


@pytest.mark.parametrize(
    "text",
    [
        "Amerikas Savienotajām Valstīm",
        "Amerikas Savienoto Valstu",
        "Amerikas Savienotajās Valstīs",
        "Amerikas Savienotās Valstis",
    ],
)
def test_plural_country_name_in_every_case(gaz: Gazetteer, text: str) -> None:
    assert ids(gaz, text) == ["country:US"]
    assert gaz.entries["country:US"].iso2 == "US"


def test_match_positions_are_token_indices(gaz: Gazetteer) -> None:
    toks = tokenize("Par to ziņoja Valsts robežsardzes pārstāvis.")
    (m,) = gaz.find(toks)
    assert isinstance(m, Match)
    assert [t.text for t in toks[m.start : m.end]] == ["Valsts", "robežsardzes"]
    assert m.name == "Valsts robežsardze"


def test_acronym_is_case_sensitive(gaz: Gazetteer) -> None:
    iem = ids(gaz, "Sanāksmē piedalījās Iekšlietu ministrija.")
    assert len(iem) == 1
    assert ids(gaz, "Ziņojumu sagatavoja IeM pārstāvji.") == iem
    assert ids(gaz, "Ziņojumu sagatavoja iem pārstāvji.") == []
    assert ids(gaz, "Ziņojumu sagatavoja Iem pārstāvji.") == []


def test_acronym_inside_a_longer_word_is_not_matched(gaz: Gazetteer) -> None:
    assert ids(gaz, "IeMvietne un VPN") == []


def test_longest_match_wins(gaz: Gazetteer) -> None:
    assert find(gaz, "Eiropas Savienības Padome pieņēma lēmumu.") == [
        ("Eiropas Savienības Padome", "Eiropas Savienības Padome")
    ]
    assert find(gaz, "Eiropas Savienības Padomes sēdē") == [("Eiropas Savienības Padomes", "Eiropas Savienības Padome")]
    # the shorter name is still found where the longer one does not go on
    assert find(gaz, "Eiropas Savienībā un Latvijā") == [
        ("Eiropas Savienībā", "Eiropas Savienība"),
        ("Latvijā", "Latvija"),
    ]


def test_longer_body_name_beats_the_country_it_starts_with(gaz: Gazetteer) -> None:
    got = ids(gaz, "Lietuvas Republikas Iekšlietu ministrijai")
    assert len(got) == 1
    assert gaz.entries[got[0]].name_lv == "Lietuvas Republikas Iekšlietu ministrija"
    assert gaz.entries[got[0]].country == "LT"


def test_lower_case_common_words_do_not_match_a_capitalised_name(gaz: Gazetteer) -> None:
    assert find(gaz, "valsts policijas iestādes") == []
    assert find(gaz, "Valsts policijas iestādes") == [("Valsts policijas", "Valsts policija")]


def test_parenthesised_group_is_not_crossed_by_a_name(gaz: Gazetteer) -> None:
    # "Valsts ... robežsardzes" with a bracket between is not "Valsts robežsardze"
    assert find(gaz, "Valsts (robežsardzes) pārstāvji") == []
    # "Iekšlietu (IeM) ministrijas": only the acronym inside the brackets
    assert find(gaz, "Iekšlietu (IeM) ministrijas pārstāvji") == [("IeM", "Iekšlietu ministrija")]
    # a name followed by its acronym in brackets: two matches, not one
    got = find(gaz, "Iekšlietu ministrijas (IeM) pārstāvji")
    assert [s for s, _ in got] == ["Iekšlietu ministrijas", "IeM"]


def test_quotes_inside_a_name_are_ignored(gaz: Gazetteer) -> None:
    for text in ("biedrība “Centrs MARTA”", 'biedrības "Centrs MARTA"', "Centrs MARTA"):
        got = find(gaz, text)
        assert len(got) == 1, text
        assert got[0][1] == 'biedrība "Centrs MARTA"'


def test_no_match_in_text_without_names(gaz: Gazetteer) -> None:
    assert find(gaz, "Šodien notika sanāksme par sadarbību un drošību.") == []
    assert gaz.find([]) == []


def test_default_without_actors_has_countries_only() -> None:
    g = Gazetteer.default(actors=False)
    assert g.entries
    assert all(e.cls is EntityClass.COUNTRY for e in g.entries.values())
    assert ids(g, "Iekšlietu ministrija un Latvija") == ["country:LV"]


# ---------------------------------------------------------------- matcher on hand-made entries


def small() -> Gazetteer:
    return Gazetteer(
        [
            GazetteerEntry("eu", EntityClass.INTERNATIONAL_ORGANISATION, "Eiropas Savienība", acronyms=("ES",)),
            GazetteerEntry("eu-council", EntityClass.INTERNATIONAL_ORGANISATION, "Eiropas Savienības Padome"),
            GazetteerEntry("vp", EntityClass.PUBLIC_BODY, "Valsts policija", acronyms=("VP",)),
            GazetteerEntry("ngo", EntityClass.NGO, 'biedrība "Patvērums "Drošā māja""'),
        ]
    )


def test_longest_match_on_hand_made_entries() -> None:
    g = small()
    assert ids(g, "Eiropas Savienības Padome") == ["eu-council"]
    assert ids(g, "Eiropas Savienības Padomē un Eiropas Savienībā") == ["eu-council", "eu"]
    # the longer path fails at its last word: the shorter name is matched
    assert ids(g, "Eiropas Savienības padomnieks") == ["eu"]


def test_matches_do_not_overlap_and_go_left_to_right() -> None:
    g = small()
    toks = tokenize("ES un VP, Valsts policijai un Eiropas Savienībai")
    got = g.find(toks)
    assert [m.entry_id for m in got] == ["eu", "vp", "vp", "eu"]
    for a, b in zip(got, got[1:], strict=False):
        assert a.end <= b.start


def test_nested_quotes_in_a_name() -> None:
    assert ids(small(), "biedrībai „Patvērums „Drošā māja”” palīdzot") == ["ngo"]


def test_the_titles_inside_quoted_words_are_found() -> None:
    from ctn_graph.pipeline.extract.quotes import quoted_ranges

    said = '“Mēs esam lepni piedalīties projektā "Drošs ceļš" un palīdzēt tiem, kam vajag,” sacīja vadītāja.'
    assert [said[a:b] for a, b in quoted_ranges(said)] == ['"Drošs ceļš"']
    from ctn_graph.pipeline.extract.quotes import speech_ranges

    assert [said[a:b] for a, b in speech_ranges(said)] == [said[: said.index(" sacīja")]]
    assert speech_ranges('projekts “Drošs ceļš” sāksies rudenī.') == []
    # a title in quotes, with its own quotes inside, stays whole
    title = 'biedrība „Patvērums „Drošā māja”” un projekts „Ceļš uz mājām”'
    assert [title[a:b] for a, b in quoted_ranges(title)] == ["„Patvērums „Drošā māja””", "„Ceļš uz mājām”"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IeM", True),
        ("ICMPD", True),
        ("CBSS TF-THB", True),
        ("FReM II", True),
        ("Mihai Beregoi", False),
        ("Valsts", False),
    ],
)
def test_is_acronym(name: str, expected: bool) -> None:
    assert is_acronym(name) is expected


# ---------------------------------------------------------------- loading


def test_load_actors_reads_multi_valued_cells_and_literal_quotes(tmp_path: Path) -> None:
    path = tmp_path / "actors.tsv"
    header = "id\tclass\tcountry\twikidata\tname_lv\tname_en\tacronyms\talt_lv\talt_en\tpart_of\tmember_of"
    rows = [
        header,
        "# a comment line",
        'lv-marta\tNGO\tLV\t\tbiedrība "Centrs MARTA"\tCentre MARTA\tMARTA\tCentrs MARTA | Marta\t\t\t',
        "lv-vp-unit\tPublicBody\tLV\tQ1\tNodaļa\t\t\t\t\tlv-vp\ta|b",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    marta, unit = load_actors(path)
    assert marta.id == "lv-marta" and marta.cls is EntityClass.NGO
    assert marta.name_lv == 'biedrība "Centrs MARTA"'
    assert marta.alt_lv == ("Centrs MARTA", "Marta")
    assert marta.acronyms == ("MARTA",)
    assert marta.wikidata is None and marta.part_of == ()
    assert unit.part_of == ("lv-vp",) and unit.member_of == ("a", "b")
    assert unit.name_en is None and unit.wikidata == "Q1"


def test_load_actors_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    assert load_actors(tmp_path / "nav.tsv") == []


# ---------------------------------------------------------------- the data files


@pytest.fixture(scope="module")
def countries() -> list[GazetteerEntry]:
    return load_countries()


@pytest.fixture(scope="module")
def actors() -> list[GazetteerEntry]:
    return load_actors()


def _raw_rows(name: str) -> list[dict[str | None, str | None]]:
    with data_path("gazetteer", name).open(encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("name", ["countries.tsv", "actors.tsv"])
def test_every_row_has_every_column(name: str) -> None:
    rows = _raw_rows(name)
    assert rows
    for r in rows:
        assert None not in r, f"extra cells: {r}"
        assert None not in r.values(), f"missing cells: {r}"


def test_country_codes_are_iso_3166(countries: list[GazetteerEntry]) -> None:
    assert len(countries) >= 193
    bad = []
    for r in _raw_rows("countries.tsv"):
        if r["iso2"] == "XK":  # Kosovo: user-assigned code, not in ISO 3166-1
            continue
        c = pycountry.countries.get(alpha_2=r["iso2"])
        if c is None or c.alpha_3 != r["iso3"]:
            bad.append((r["iso2"], r["iso3"]))
    assert bad == []


def test_actor_ids_are_unique_slugs(actors: list[GazetteerEntry]) -> None:
    ids_ = [a.id for a in actors]
    assert len(ids_) == len(set(ids_))
    assert [i for i in ids_ if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i)] == []


def test_part_of_and_member_of_ids_exist(actors: list[GazetteerEntry]) -> None:
    known = {a.id for a in actors}
    assert [(a.id, p) for a in actors for p in a.part_of if p not in known] == []
    assert [(a.id, m) for a in actors for m in a.member_of if m not in known] == []
    assert all(len(a.part_of) <= 1 for a in actors)


def test_part_of_has_no_cycles(actors: list[GazetteerEntry]) -> None:
    parent = {a.id: a.part_of[0] for a in actors if a.part_of}
    for start in parent:
        seen = {start}
        node = start
        while node in parent:
            node = parent[node]
            assert node not in seen, f"part_of cycle through {start}"
            seen.add(node)


def test_actor_countries_exist(actors: list[GazetteerEntry], countries: list[GazetteerEntry]) -> None:
    codes = {c.iso2 for c in countries}
    assert [(a.id, a.country) for a in actors if a.country and a.country not in codes] == []


def _normalise(name: str) -> str:
    folded = "".join(c if c.isalnum() else " " for c in name.casefold())
    return " ".join(folded.split())


def test_no_two_entries_share_a_latvian_name(countries: list[GazetteerEntry], actors: list[GazetteerEntry]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for e in countries + actors:
        for n in (e.name_lv, *e.alt_lv):
            owners[_normalise(n)].add(e.id)
    assert {n: sorted(o) for n, o in owners.items() if len(o) > 1} == {}


def test_no_two_entries_share_any_label(countries: list[GazetteerEntry], actors: list[GazetteerEntry]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for e in countries + actors:
        for n in e.names():
            owners[_normalise(n)].add(e.id)
    assert {n: sorted(o) for n, o in owners.items() if len(o) > 1} == {}


def test_wikidata_ids_are_well_formed(countries: list[GazetteerEntry], actors: list[GazetteerEntry]) -> None:
    bad = [(e.id, e.wikidata) for e in countries + actors if e.wikidata and not re.fullmatch(r"Q[0-9]+", e.wikidata)]
    assert bad == []
    assert all(c.wikidata for c in countries)


def test_every_entry_has_a_latvian_name(countries: list[GazetteerEntry], actors: list[GazetteerEntry]) -> None:
    assert [e.id for e in countries + actors if not e.name_lv.strip()] == []


def test_every_gazetteer_name_finds_its_own_entry(gaz: Gazetteer) -> None:
    """Each Latvian name, written as in the file, is matched as a whole by its own entry."""
    missed = []
    for e in gaz.entries.values():
        for name in (e.name_lv, *e.alt_lv):
            toks = tokenize(name)
            while toks and toks[-1].text in "\"“”„'":  # a closing quote is not matched
                toks.pop()
            got = gaz.find(toks)
            if not (len(got) == 1 and got[0].entry_id == e.id and got[0].end == len(toks)):
                missed.append((e.id, name, [m.entry_id for m in got]))
    assert missed == []


# ---------------------------------------------------------------- id, class and country rules

# Latvian names (case-folded) that two actors may share on purpose. Each entry must be
# documented in data/gazetteer/README.md ("Labels are unique across rows"); none is now.
DELIBERATE_SHARED_NAMES: dict[str, set[str]] = {}


def test_actor_latvian_names_are_unique_case_folded(actors: list[GazetteerEntry]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for a in actors:
        for n in (a.name_lv, *a.alt_lv, *a.acronyms):
            owners[n.casefold()].add(a.id)
    shared = {n: o for n, o in owners.items() if len(o) > 1}
    assert {n: sorted(o) for n, o in shared.items() if DELIBERATE_SHARED_NAMES.get(n) != o} == {}


def test_actor_ids_follow_the_country_rule(actors: list[GazetteerEntry], countries: list[GazetteerEntry]) -> None:
    """A body bound to one country has an id starting with that country's code; an id
    without a country does not start with a country code."""
    codes = {c.iso2.lower() for c in countries if c.iso2}
    bad = []
    for a in actors:
        first = a.id.split("-", 1)[0]
        if a.country and not a.id.startswith(a.country.lower() + "-"):
            bad.append((a.id, a.country))
        if not a.country and first in codes:
            bad.append((a.id, None))
    assert bad == []


def test_actor_classes_and_countries_agree(actors: list[GazetteerEntry]) -> None:
    """International organisations (and their bodies and funds) have no country; ministries,
    other public bodies and companies have one. NGOs have one unless they are international
    networks (European Women's Lobby, ECPAT International)."""
    national = {EntityClass.MINISTRY, EntityClass.PUBLIC_BODY, EntityClass.COMPANY}
    assert [a.id for a in actors if a.cls is EntityClass.INTERNATIONAL_ORGANISATION and a.country] == []
    assert [a.id for a in actors if a.cls in national and not a.country] == []


def test_part_of_stays_within_a_country(actors: list[GazetteerEntry]) -> None:
    """A national body's parent belongs to the same country; an international body's parent
    is international too."""
    by_id = {a.id: a for a in actors}
    assert [(a.id, p) for a in actors for p in a.part_of if by_id[p].country != a.country] == []


# ---------------------------------------------------------------- places.tsv

PLACE_COLUMNS = ["name_lv", "iso2", "kind", "name_en"]


@pytest.fixture(scope="module")
def places() -> list[dict[str | None, str | None]]:
    return _raw_rows("places.tsv")


def test_places_have_every_column(places: list[dict[str | None, str | None]]) -> None:
    assert len(places) >= 400
    assert list(places[0].keys()) == PLACE_COLUMNS
    bad = [r for r in places if None in r or any(not (v or "").strip() for v in r.values())]
    assert bad == []


def test_place_rows_are_valid(places: list[dict[str | None, str | None]], countries: list[GazetteerEntry]) -> None:
    codes = {c.iso2 for c in countries}
    assert [r["name_lv"] for r in places if r["iso2"] not in codes] == []
    assert [r["name_lv"] for r in places if r["kind"] not in ("city", "region")] == []
    # a Latvian proper name: capital first letter, no surrounding blanks
    assert [r["name_lv"] for r in places if not (r["name_lv"] or "")[:1].isupper()] == []
    assert [r["name_lv"] for r in places if r["name_lv"] != (r["name_lv"] or "").strip()] == []


def test_place_names_are_unique(places: list[dict[str | None, str | None]]) -> None:
    seen: dict[str, int] = defaultdict(int)
    for r in places:
        seen[_normalise(r["name_lv"] or "")] += 1
    assert [n for n, k in seen.items() if k > 1] == []


def test_a_place_named_like_a_country_is_in_that_country(
    places: list[dict[str | None, str | None]], countries: list[GazetteerEntry]
) -> None:
    """City-states ("Luksemburga", "Singapūra") may share the state's name, but never point
    to another state."""
    country_of = {_normalise(n): c.iso2 for c in countries for n in (c.name_lv, *c.alt_lv)}
    assert [
        (r["name_lv"], r["iso2"], country_of[k])
        for r in places
        if (k := _normalise(r["name_lv"] or "")) in country_of and country_of[k] != r["iso2"]
    ] == []


def test_every_latvian_state_city_and_novads_is_a_place(places: list[dict[str | None, str | None]]) -> None:
    lv = {r["name_lv"] for r in places if r["iso2"] == "LV"}
    state_cities = {"Rīga", "Daugavpils", "Jelgava", "Jēkabpils", "Jūrmala", "Liepāja", "Ogre", "Rēzekne", "Valmiera"}
    assert state_cities | {"Ventspils"} <= lv
    assert len([n for n in lv if n and n.endswith(" novads")]) == 36


def test_quotes_in_actor_names_are_balanced(actors: list[GazetteerEntry]) -> None:
    names = [n for a in actors for n in (a.name_lv, *a.alt_lv)]
    assert [n for n in names if n.count('"') % 2] == []


# ---------------------------------------------------------------- the extractor on gazetteer names


@pytest.mark.parametrize(
    ("text", "body", "surface", "state"),
    [
        ("Projektu īsteno Igaunijas Darba inspekcija.", "ee-darba-inspekcija", "Igaunijas Darba inspekcija", "EE"),
        (
            "Sanāksmē piedalījās Lietuvas Republikas Iekšlietu ministrijas pārstāvji.",
            "lt-vrm",
            "Lietuvas Republikas Iekšlietu ministrijas",
            "LT",
        ),
        ("Semināru atbalstīja ASV vēstniecība Latvijā.", "us-emb-lv", "ASV vēstniecība Latvijā", "US"),
    ],
)
def test_a_foreign_body_named_with_its_state_names_the_state(text: str, body: str, surface: str, state: str) -> None:
    """The state's genitive a known foreign body's name begins with is a mention of the
    state, as it is where the pattern finder reads a body the gazetteer does not know;
    the body's mention still spans its whole name."""
    from ctn_graph.pipeline.extraction import _extractor
    from ctn_graph.pipeline.ingest import parse_document

    doc = parse_document(text, "t")
    mentions = _extractor(True, "LV").extract(doc).mentions
    org = next(m for m in mentions if m.gazetteer_id == body)
    assert org.surface == surface
    assert any(m.gazetteer_id == f"country:{state}" for m in mentions)

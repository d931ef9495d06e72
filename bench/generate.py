"""A deterministic synthetic corpus of Latvian anti-trafficking news, for the benchmarks.

The documents imitate the seed corpus (data/corpus/seeds): a calendar header, a title,
a date line ("18.10.2018."), then paragraphs in which ministries, public bodies, NGOs
and international organisations (the real names of data/gazetteer/actors.tsv, inflected
by case as the texts do) run projects with quoted titles and acronyms, fund them
("Projektu finansē ..."), take part in them ("Projekta partneri: X, Y un Z"), with
participant countries ("partnervalstis – Lietuvu, Latviju un Poliju"), persons with
roles ("Valsts policijas priekšnieks Jānis Bērziņš"), dates ("2018.gada 23.martā"),
events, policy documents and generic filler prose. Besides the gazetteer actors the
texts name invented bodies ("Moldovas Darba inspekcija", biedrība "Drošais krasts")
that only the extractor's naming patterns can find, and invented projects and persons,
so that the graph grows with the corpus as a real one would.

Document i depends only on (seed, i): the corpus of 1,000 documents is the first 1,000
documents of the corpus of 10,000. Documents are 1-8 KB (median about 3 KB).

    .venv/bin/python bench/generate.py 1000              # -> bench/corpus/1000/
    .venv/bin/python bench/generate.py 100 1000 10000 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ctn_graph.common.resources import data_path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "corpus"
CASES = ("nom", "gen", "dat", "acc", "loc")

# --------------------------------------------------------------------------- word lists

SURNAMES = [  # (masculine, feminine)
    ("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"), ("Jansons", "Jansone"),
    ("Ozols", "Ozola"), ("Liepiņš", "Liepiņa"), ("Krūmiņš", "Krūmiņa"), ("Balodis", "Balode"),
    ("Zariņš", "Zariņa"), ("Vītols", "Vītola"), ("Kļaviņš", "Kļaviņa"), ("Eglītis", "Eglīte"),
    ("Siliņš", "Siliņa"), ("Pētersons", "Pētersone"), ("Lapiņš", "Lapiņa"), ("Celmiņš", "Celmiņa"),
    ("Sproģis", "Sproģe"), ("Vanags", "Vanaga"), ("Grīnbergs", "Grīnberga"), ("Rozenbergs", "Rozenberga"),
    ("Avotiņš", "Avotiņa"), ("Briedis", "Briede"), ("Dzenis", "Dzene"), ("Freimanis", "Freimane"),
    ("Gailītis", "Gailīte"), ("Irbītis", "Irbīte"), ("Jurēvics", "Jurēvica"), ("Kārkliņš", "Kārkliņa"),
    ("Lācis", "Lāce"), ("Muižnieks", "Muižniece"), ("Ošiņš", "Ošiņa"), ("Puriņš", "Puriņa"),
    ("Rudzītis", "Rudzīte"), ("Strazds", "Strazda"), ("Turlais", "Turlā"), ("Upenieks", "Upeniece"),
]  # fmt: skip
ROLES = [  # (masculine, feminine) nominative
    ("priekšnieks", "priekšniece"), ("direktors", "direktore"), ("vadītājs", "vadītāja"),
    ("pārstāvis", "pārstāve"), ("eksperts", "eksperte"), ("koordinators", "koordinatore"),
    ("padomnieks", "padomniece"), ("valsts sekretārs", "valsts sekretāre"), ("vietnieks", "vietniece"),
]  # fmt: skip
MONTHS_NOM = ["Janvāris", "Februāris", "Marts", "Aprīlis", "Maijs", "Jūnijs", "Jūlijs", "Augusts",
              "Septembris", "Oktobris", "Novembris", "Decembris"]  # fmt: skip
MONTHS_LOC = ["janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā", "augustā",
              "septembrī", "oktobrī", "novembrī", "decembrī"]  # fmt: skip
CITIES_LOC = ["Rīgā", "Viļņā", "Tallinā", "Kišiņevā", "Briselē", "Varšavā", "Stokholmā", "Helsinkos",
              "Berlīnē", "Vīnē", "Kijivā", "Daugavpilī", "Liepājā", "Jelgavā", "Valmierā", "Minskā"]  # fmt: skip
EVENTS = [("konferencē", "konferenci"), ("sanāksmē", "sanāksmi"), ("seminārā", "semināru"),
          ("mācībās", "mācības"), ("forumā", "forumu")]  # fmt: skip
# invented bodies: a country genitive, a field and a head noun (nominative, genitive, ...)
FIELDS = ["Darba", "Sociālo lietu", "Migrācijas", "Cilvēktiesību", "Bērnu tiesību aizsardzības",
          "Robežu apsardzes", "Kriminālpolicijas", "Iekšējās drošības", "Veselības", "Izglītības",
          "Nodarbinātības", "Konsulāro lietu", "Tiesu ekspertīžu", "Probācijas", "Patvēruma lietu"]  # fmt: skip
NEAR = set(
    "LV LT EE PL DE SE FI NO DK IS UA MD BY GB IE NL BE FR ES PT IT AT CZ SK HU RO BG GR CY MT SI HR RS "
    "AL GE AM AZ CH LU".split()
)
HEADS = ["ministrija", "dienests", "birojs", "inspekcija", "centrs", "aģentūra", "pārvalde", "inspektorāts"]
NGO_ADJ = ["Drošā", "Gaišā", "Jaunā", "Atvērtā", "Zaļā", "Baltā", "Sirsnīgā", "Kopīgā", "Stiprā", "Brīvā"]
NGO_NOUN = ["māja", "osta", "sala", "taka", "vieta", "iela", "saule", "zeme", "dzīve", "balss"]
PROJ_START = ["Stiprinot", "Uzlabojot", "Attīstot", "Veicinot", "Paplašinot", "Nostiprinot", "Atbalstot"]
PROJ_OBJ = ["sadarbību", "spējas", "partnerību", "atbalstu", "informētību", "kapacitāti", "koordināciju"]
PROJ_FIELD = ["cilvēku tirdzniecības apkarošanā", "cilvēku tirdzniecības novēršanā",
              "darbaspēka ekspluatācijas novēršanā", "upuru identificēšanā", "upuru aizsardzībā",
              "fiktīvo laulību novēršanā", "bērnu aizsardzībā", "starptautiskajā sadarbībā"]  # fmt: skip
FILLER = [
    "Sanāksmes laikā tika sniegts pārskats par sasniegtajiem rezultātiem un turpmākajiem uzdevumiem.",
    "Cilvēku tirdzniecības novēršana un apkarošana ir atkarīga no vairāku valsts un pašvaldības iestāžu rīcības.",
    "Statistika liecina, ka cilvēku tirdzniecības apjomi diemžēl nesamazinās.",
    "Informatīvo kampaņu rezultātā sabiedrība kļūst zinošāka un biežāk vēršas pēc palīdzības.",
    "Dalībnieki apsprieda labāko praksi upuru identificēšanā un starpinstitūciju sadarbībā.",
    "Tika uzsvērts, ka darbaspēka ekspluatācija ir viena no izplatītākajām cilvēku tirdzniecības formām.",
    "Speciālisti spēj identificēt cietušās personas un informēt tās par pieejamo palīdzību un atbalstu.",
    "Mācību laikā dalībnieki iepazinās ar normatīvo regulējumu un praktiskiem gadījumiem.",
    "Projekta mērķis ir stiprināt kompetento institūciju spējas noziedzīgo nodarījumu izmeklēšanā.",
    "Īpaša uzmanība tika pievērsta bērnu un jauniešu informēšanai par riskiem, strādājot ārvalstīs.",
    "Sociālās rehabilitācijas pakalpojumus cilvēku tirdzniecības upuriem nodrošina valsts finansēti "
    "pakalpojumu sniedzēji.",
    "Pasākuma noslēgumā dalībnieki vienojās par turpmākās sadarbības virzieniem.",
    "Konsulārās amatpersonas bieži ir pirmās, kas saskaras ar cietušajiem ārvalstīs.",
    "Ziņojumā norādīts, ka fiktīvās laulības joprojām ir aktuāla problēma.",
    "Ekspertu izstrādātās rekomendācijas tiks iesniegtas atbildīgajām iestādēm.",
    "Sadarbība starp tiesībsargājošajām iestādēm un nevalstiskajām organizācijām ir būtiska upuru aizsardzībai.",
    "Tika prezentēti pētījuma rezultāti par piespiedu darba gadījumiem reģionā.",
    "Vienlaikus tas apliecina, ka īstenotie pasākumi ir efektīvi un jāturpina.",
]  # fmt: skip
QUOTES = [
    "cilvēku tirdzniecības apkarošana ir nacionāla, starptautiska un Eiropas Savienības prioritāte",
    "cīnoties pa vienam, šis izaicinājums ir nepārvarams",
    "tikai kopīgiem spēkiem mēs varam aizsargāt cietušos",
    "sadarbība ar nevalstisko sektoru ir mūsu darba pamatā",
    "katrs identificētais upuris ir cilvēks, kuram esam palīdzējuši",
]  # fmt: skip


# --------------------------------------------------------------------------- inflection


@dataclass(frozen=True, slots=True)
class Name:
    """A name in every case the templates use."""

    forms: dict[str, str]
    cls: str = ""
    acronym: str = ""  # the actor's own acronym (actors.tsv), if it has one

    def __getattr__(self, case: str) -> str:  # name.gen, name.acc ...
        try:
            return self.forms[case]
        except KeyError:
            raise AttributeError(case) from None


# Latvian case endings, written out here (not imported from ctn_graph.pipeline.lv) so that the
# corpus does not change when the code under test does: (gender, declension) -> endings
# of nom, gen, dat, acc, loc singular.
_NOUN = {
    ("m", 1): ("s", "a", "am", "u", "ā"),
    ("m", 2): ("is", "a", "im", "i", "ī"),
    ("m", 3): ("us", "us", "um", "u", "ū"),
    ("f", 4): ("a", "as", "ai", "u", "ā"),
    ("f", 5): ("e", "es", "ei", "i", "ē"),
    ("f", 6): ("s", "s", "ij", "i", "ī"),
}
# definite adjectives agreeing with a singular head: gender -> endings of the five cases
_ADJ = {"m": ("ais", "ā", "ajam", "o", "ajā"), "f": ("ā", "ās", "ajai", "o", "ajā")}


def load_heads() -> dict[str, tuple[str, int]]:
    """Singular head nouns of data/lexicon/heads.tsv: lemma -> (gender, declension)."""
    out = {}
    for r in _tsv(data_path("lexicon", "heads.tsv")):
        if r["plural"] == "n" and (r["gender"], int(r["declension"])) in _NOUN:
            out[r["lemma"].lower()] = (r["gender"], int(r["declension"]))
    return out


def _inflect(word: str, gender: str, declension: int) -> dict[str, str] | None:
    endings = _NOUN[(gender, declension)]
    if not word.endswith(endings[0]):
        return None
    base = word[: len(word) - len(endings[0])]
    return dict(zip(CASES, (base + e for e in endings), strict=True))


def _outside_quotes(words: list[str]) -> list[bool]:
    out, depth = [], 0
    for w in words:
        opens = sum(w.count(c) for c in '"“„')
        out.append(depth == 0 and opens == 0)
        depth = (depth + opens) % 2
    return out


def inflect_name(name: str, heads: dict[str, tuple[str, int]]) -> dict[str, str] | None:
    """Every case form of a nominative name: its head noun (the last word outside quotes
    that heads.tsv knows) and the capitalised definite adjectives before it that agree
    with it are inflected; genitive modifiers and words after the head stay as they are
    ("Starptautiskā Migrācijas organizācija" -> "Starptautiskās Migrācijas organizācijas").
    None when no head is found."""
    words = name.split()
    free = _outside_quotes(words)
    for i in range(len(words) - 1, -1, -1):
        if free[i] and words[i].lower() in heads:
            gender, decl = heads[words[i].lower()]
            head_forms = _inflect(words[i], gender, decl)
            if head_forms is None:
                return None
            forms = {}
            for k, case in enumerate(CASES):
                out = list(words)
                out[i] = head_forms[case]
                for j in range(i):
                    w = words[j]
                    nom = _ADJ[gender][0]
                    if w[:1].isupper() and w.endswith(nom) and len(w) > len(nom) + 4 and free[j]:
                        out[j] = w[: len(w) - len(nom)] + _ADJ[gender][k]
                forms[case] = " ".join(out)
            return forms
    return None


def country_forms(name: str, gender_number: str) -> dict[str, str] | None:
    """A country name in every case: the last word inflects (Latvija, Čehijas Republika)."""
    if gender_number != "f.sg" or " un " in name:
        return None
    words = name.split()
    last = _inflect(words[-1], "f", 4 if words[-1].endswith("a") else 5)
    if last is None:
        return None
    return {c: " ".join([*words[:-1], last[c]]) for c in CASES}


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


class Vocabulary:
    """The gazetteer's actors and countries in all their case forms, built once."""

    def __init__(self) -> None:
        self.heads = load_heads()
        self.actors: dict[str, list[Name]] = {}
        self.taken_acronyms: set[str] = set()
        for r in _tsv(data_path("gazetteer", "actors.tsv")):
            self.taken_acronyms.update(a.upper() for a in r["acronyms"].split("|") if a)
            forms = inflect_name(r["name_lv"], self.heads)
            if forms is not None:
                acronym = next((a for a in r["acronyms"].split("|") if a.isupper() and len(a) > 1), "")
                self.actors.setdefault(r["class"], []).append(Name(forms, r["class"], acronym))
        for v in self.actors.values():
            v.sort(key=lambda n: n.nom)
        self.orgs = [n for c in ("Ministry", "PublicBody", "NGO", "InternationalOrganisation") for n in self.actors[c]]
        self.funders = self.actors["InternationalOrganisation"] + self.actors["Ministry"]
        self.countries: list[Name] = []  # every state the templates can inflect
        self.near: list[Name] = []  # the ones the texts name most: Europe and its neighbours
        for r in _tsv(data_path("gazetteer", "countries.tsv")):
            forms = country_forms(r["name_lv"], r["gender_number"])
            if forms is not None:
                self.countries.append(Name(forms, "Country"))
                if r["iso2"] in NEAR:
                    self.near.append(self.countries[-1])
        self.first_names: dict[str, list[str]] = {"m": [], "f": []}
        for r in _tsv(data_path("lexicon", "first_names.tsv")):
            if r["origin"] == "lv" and r["gender"] in self.first_names:
                self.first_names[r["gender"]].append(r["name"])
        self._invented: dict[int, Name] = {}

    def country(self, r: random.Random) -> Name:
        return r.choice(self.near if r.random() < 0.85 else self.countries)

    def countries_sample(self, r: random.Random, k: int) -> list[Name]:
        out: list[Name] = []
        while len(out) < k:
            c = self.country(r)
            if c not in out:
                out.append(c)
        return out

    # invented entities: a pure function of their number, so documents share them
    def invented_org(self, k: int) -> Name:
        if k not in self._invented:
            r = random.Random(k * 7919 + 17)
            country = self.country(r)
            if r.random() < 0.3:
                nom = f'biedrība "{r.choice(NGO_ADJ)} {r.choice(NGO_NOUN)}"'
                cls = "NGO"
            else:
                nom = f"{country.gen} {r.choice(FIELDS)} {r.choice(HEADS)}"
                cls = "PublicBody"
            forms = inflect_name(nom, self.heads)
            assert forms is not None, nom
            self._invented[k] = Name(forms, cls)
        return self._invented[k]

    def project(self, k: int) -> tuple[str, str]:
        r = random.Random(k * 104729 + 3)
        region = r.choice(["Baltijas valstu", "reģiona", "Eiropas", f"{self.country(r).gen}", "pašvaldību"])
        title = f"{r.choice(PROJ_START)} {region} {r.choice(PROJ_OBJ)} {r.choice(PROJ_FIELD)}"
        letters = "ABCDEFGHIJKLMNOPRSTUVZ"
        acronym = "".join(r.choice(letters) for _ in range(r.randint(3, 6)))
        while acronym in self.taken_acronyms:  # never an actor's acronym
            acronym = "".join(r.choice(letters) for _ in range(r.randint(3, 6)))
        if r.random() < 0.2:
            acronym += " " + r.choice(["II", "III", "PLUS"])
        return title, acronym

    def person(self, k: int) -> tuple[str, str, str]:
        """(first name, surname, gender)."""
        r = random.Random(k * 6151 + 11)
        g = "f" if r.random() < 0.5 else "m"
        sm, sf = r.choice(SURNAMES)
        return r.choice(self.first_names[g]), (sf if g == "f" else sm), g


# --------------------------------------------------------------------------- documents


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " un " + items[-1]


class DocumentWriter:
    def __init__(self, vocab: Vocabulary, seed: int):
        self.v = vocab
        self.seed = seed

    def org(self, r: random.Random, i: int) -> Name:
        # most mentions are gazetteer actors (a few popular ones), a third invented bodies
        if r.random() < 0.35:
            return self.v.invented_org(r.randrange(200 + i // 3))
        pool = self.v.orgs
        return pool[min(int(r.expovariate(1 / 25)), len(pool) - 1)] if r.random() < 0.6 else r.choice(pool)

    def date(self, r: random.Random) -> tuple[int, int, int]:
        return r.randint(2004, 2023), r.randint(1, 12), r.randint(1, 28)

    def document(self, i: int) -> str:
        r = random.Random(self.seed * 1_000_003 + i)
        v = self.v
        target = int(min(8000, max(1000, r.lognormvariate(8.0, 0.55))))
        year, month, day = self.date(r)
        projects = [v.project(r.randrange(100 + i // 2)) for _ in range(r.randint(1, 3))]
        title, acr = projects[0]
        lead = self.org(r, i)
        parts: list[str] = []
        if r.random() < 0.6:
            parts.append(f"Notikumu kalendārs - {MONTHS_NOM[month - 1]}, {year}")
        headline = r.choice(
            [
                f"{lead.nom} uzsāk projektu “{title}”",
                f"Noslēdzas starptautiskā projekta “{title}” īstenošana",
                f"{lead.nom} piedalās {r.choice(EVENTS)[0]} {r.choice(CITIES_LOC)}",
            ]
        )
        parts.append(headline)
        parts.append(
            f"{day:02d}.{month:02d}.{year}." if r.random() < 0.7 else f"Publicēts: {day:02d}.{month:02d}.{year}."
        )
        body: list[str] = []
        size = sum(len(p) for p in parts)
        first = True
        while size < target:
            p = self.paragraph(r, i, year, projects, lead, first)
            first = False
            body.append(p)
            size += len(p.encode("utf-8")) + 2
        parts.extend(body)
        if r.random() < 0.5:
            fn, sn, g = v.person(r.randrange(5000))
            parts.append(
                f"Sagatavoja:\n{fn} {sn}\n{self.org(r, i).gen}\nSabiedrisko attiecību nodaļa\n"
                f"Tālr.: 67{r.randint(100000, 999999)}\nE-pasts: {fn.lower()[:1]}.{sn.lower()}@example.lv"
            )
        return "\n\n".join(parts) + "\n"

    def paragraph(self, r, i, year, projects, lead, first) -> str:  # noqa: ANN001, C901
        v = self.v
        title, acr = r.choice(projects)
        kind = 0 if first else r.choices(range(10), weights=[2, 3, 3, 2, 2, 3, 2, 1, 1, 6])[0]
        sentences: list[str] = []
        month = r.randint(1, 12)
        when = r.choice(
            [
                f"Šā gada {r.randint(1, 28)}.{MONTHS_LOC[month - 1]}",
                f"{year}.gada {r.randint(1, 28)}.{MONTHS_LOC[month - 1]}",
            ]
        )
        if kind == 0:
            ev_loc, ev_acc = r.choice(EVENTS)
            sentences.append(
                f"{when} {r.choice(CITIES_LOC)} {lead.nom} organizēja starptautiskā projekta “{title}” ({acr}) "
                f"{r.choice(['noslēguma', 'atklāšanas', 'darba'])} {ev_acc}."
            )
            sentences.append(
                f"Projektu īsteno {lead.nom} sadarbībā ar "
                f"{_join([self.org(r, i).acc for _ in range(r.randint(1, 3))])}."
            )
        elif kind == 1:
            partners = [self.org(r, i).nom for _ in range(r.randint(2, 5))]
            sentences.append(f"Projekta “{title}” vadošais partneris ir {self.org(r, i).nom}.")
            sentences.append(f"Projekta partneri: {_join(partners)}.")
        elif kind == 2:
            funder = r.choice(v.funders)
            sentences.append(
                r.choice(
                    [
                        f"Projektu finansē {funder.nom}.",
                        f"Projekts “{title}” tiek īstenots ar {funder.gen} finansiālu atbalstu.",
                        f"Projekta īstenošanu atbalsta {funder.nom}.",
                    ]
                )
            )
            if r.random() < 0.5:
                sentences.append(f"Projekta kopējās izmaksas ir {r.randint(50, 900)} {r.randint(100, 999)} eiro.")
        elif kind == 3:
            cs = [c.acc for c in v.countries_sample(r, r.randint(2, 6))]
            sentences.append(
                r.choice(
                    [
                        f"Projektu “{title}” ({acr}) īsteno {lead.nom} sadarbībā ar projekta partnervalstīm: "
                        f"{_join(cs)}.",
                        f"Projektā iesaistītas partnervalstis – {_join(cs)}.",
                    ]
                )
            )
        elif kind == 4:
            org = self.org(r, i)
            fn, sn, g = v.person(r.randrange(3000 + i))
            role = r.choice(ROLES)[1 if g == "f" else 0]
            sentences.append(f"{org.gen} {role} {fn} {sn} uzsvēra, ka {r.choice(QUOTES)}.")
            sentences.append(f"“{r.choice(FILLER)[:-1]}”, norādīja {fn[0]}.{sn}.")
        elif kind == 5:
            ev_loc, _ = r.choice(EVENTS)
            sentences.append(
                f"{when} {self.org(r, i).gen} pārstāvji piedalījās {ev_loc} {r.choice(CITIES_LOC)}, "
                f"kurā piedalījās arī {_join([self.org(r, i).gen for _ in range(r.randint(1, 2))])} eksperti."
            )
        elif kind == 6:
            members = [self.org(r, i).gen for _ in range(r.randint(3, 7))]
            sentences.append(f"Darba grupas sastāvu veido pārstāvji no {_join(members)}.")
        elif kind == 7:
            y0 = r.randint(2009, 2021)
            sentences.append(
                f"Ar Ministru kabineta {y0}.gada {r.randint(1, 28)}.{MONTHS_LOC[r.randint(0, 11)]} rīkojumu "
                f"Nr.{r.randint(10, 900)} apstiprinātas „Cilvēku tirdzniecības novēršanas pamatnostādnes "
                f"{y0}.-{y0 + 6}.gadam”."
            )
        elif kind == 8:
            a, b = self.org(r, i), self.org(r, i)
            named = f"{a.nom} ({a.acronym})" if a.acronym else a.nom
            sentences.append(f"{named} un {b.nom} {year}.gadā noslēdza sadarbības memorandu.")
        n_fill = r.randint(1, 4) if kind != 9 else r.randint(3, 7)
        sentences.extend(r.sample(FILLER, n_fill))
        return " ".join(sentences)


def generate(n: int, out: Path, seed: int = 42, vocab: Vocabulary | None = None) -> dict[str, object]:
    """Write documents 0..n-1 to `out` (created; older .txt files there are removed) and
    a stamp `.complete` with the seed and a sha256 of the whole corpus."""
    import hashlib

    out.mkdir(parents=True, exist_ok=True)
    if out.parent == DEFAULT_OUT and not (out.parent / ".gitignore").exists():
        (out.parent / ".gitignore").write_text("# generated by bench/generate.py\n*\n", encoding="utf-8")
    (out / ".complete").unlink(missing_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    t0 = time.perf_counter()
    w = DocumentWriter(vocab or Vocabulary(), seed)
    total = 0
    digest = hashlib.sha256()
    for i in range(n):
        data = w.document(i).encode("utf-8")
        (out / f"doc_{i:06d}.txt").write_bytes(data)
        digest.update(data)
        total += len(data)
    info = {"documents": n, "seed": seed, "bytes": total, "sha256": digest.hexdigest()[:16],
            "seconds": round(time.perf_counter() - t0, 2)}  # fmt: skip
    (out / ".complete").write_text(json.dumps(info) + "\n", encoding="utf-8")
    return info


def corpus_dir(n: int, base: Path = DEFAULT_OUT) -> Path:
    return base / str(n)


def corpus_info(n: int, base: Path = DEFAULT_OUT) -> dict[str, object] | None:
    try:
        return json.loads((corpus_dir(n, base) / ".complete").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def ensure_corpus(n: int, base: Path = DEFAULT_OUT, seed: int = 42) -> Path:
    """The corpus of n documents, generated unless a complete one of this seed is there.
    (The corpus depends on the generator and on data/gazetteer and data/lexicon, not on
    the code under test: its sha256 goes into every result file.)"""
    info = corpus_info(n, base)
    if info is None or info.get("seed") != seed or info.get("documents") != n:
        generate(n, corpus_dir(n, base), seed)
    return corpus_dir(n, base)


# --------------------------------------------------------------------------- shared by the bench scripts

RESULTS = ROOT / "bench" / "results"
WORK = Path(os.environ.get("CTN_BENCH_WORK", "/tmp/ctn-bench"))  # stores, graphs, caches of the benchmarks


def machine_info() -> dict[str, object]:
    """The machine and the versions a figure was measured with."""
    import platform

    import pyoxigraph

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    from ctn_graph import __version__

    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": mem_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "ctn_graph": __version__,
        "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()],  # other work on the machine skews timings
    }


def write_json(name: str, data: dict, out: Path | None = None) -> Path:
    """Write a benchmark's results to bench/results/<name>.json (or `out`)."""
    path = out or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    corpora = {str(n): corpus_info(n) for n in (100, 1000, 10000, 100000) if corpus_info(n)}
    data = {
        "benchmark": name,
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine_info(),
        "corpora": corpora,
        **data,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", type=int, nargs="+", help="numbers of documents (e.g. 100 1000 10000 100000)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="parent folder; a corpus goes to OUT/<n>/")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    vocab = Vocabulary()
    for n in args.sizes:
        out = corpus_dir(n, args.out)
        s = generate(n, out, args.seed, vocab)
        print(
            f"{n:>7} documents  {s['bytes'] / 1e6:8.1f} MB  {s['bytes'] / n / 1024:5.1f} KB/doc  "
            f"{s['seconds']:6.1f} s  sha256 {s['sha256']}  -> {out}",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())

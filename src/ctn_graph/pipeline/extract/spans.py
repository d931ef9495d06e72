"""Find the names in one sentence: gazetteer matches, institution patterns, projects,
NGOs, persons and policy documents. Each becomes a `Span` over the sentence's tokens.

Latvian institution names are found by their head noun ("... ministrija",
"... dienests", "... pārvalde"): the extractor walks left over the genitive modifiers
and agreeing adjectives to the name's capitalised first word, and puts the head (and
the adjectives that agree with it) in the nominative.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ...ir import EntityClass
from ..lv.morph import HeadNoun, agrees, cases_as, head_cases, nominative_phrase, nominative_words, noun_cases, stem
from ..text import LATVIAN_MARKED, Token, tokenize
from .gazetteer import Gazetteer, GazetteerEntry, Match, is_acronym, token_key
from .lexicon import HeadEntry, Lexicon

OPEN_QUOTES = '„“"«‘‚'
CLOSE_QUOTES = '”“"»’‘'
ALL_QUOTES = frozenset(OPEN_QUOTES + CLOSE_QUOTES + "'")
_GENITIVE_ENDINGS = ("as", "es", "u", "a", "us", "s", "ņu", "ļu")
# Heads that are never a name by themselves ("Padome" alone is a name only where a text
# defines it as the short form of one).
_LOCATED = frozenset(stem(w) for w in ("delegācija", "pārstāvniecība", "vēstniecība", "birojs"))
_LOCATIVE_ENDINGS = ("ā", "ē", "ī", "ās", "ēs", "os")


@dataclass(slots=True)
class Span:
    start: int  # token index
    end: int  # token index after the span
    cls: EntityClass
    lemma: str  # nominative name
    key: str
    kind: str = "org"  # org | unit | ngo | country | project | person | policy | event
    country: str | None = None
    gaz: GazetteerEntry | None = None
    aliases: list[str] = field(default_factory=list)
    parent: Span | None = None
    qualifier: Span | None = None  # the country named in the genitive before it
    genitive: bool = False  # whether the name stands in the genitive
    local_aliases: list[str] = field(default_factory=list)  # "(turpmāk – X)": this document only
    location: str | None = None  # events: the place named
    date: str | None = None  # events: ISO date from the sentence
    # the cases the name's head can stand in ("nom", "gen", ..., "pl:dat"; morph.cases_as),
    # None where the form does not tell (an acronym, a foreign name)
    cases: frozenset[str] | None = None
    detail: object | None = None  # events: what the event finder read (events.EventReading)
    foreign: bool = False  # a name in its own language ("Fundación Esperanza"): no home country by default

    @property
    def is_org(self) -> bool:
        return self.cls.is_organisation


_NOT_WORD = re.compile(r"[\W_]+")
_MISSING = object()

# What a word can start, as bits: a sentence none of whose words has a bit set skips the
# finder pass (or cue search) that needs it. See DocumentExtractor.word_info.
F_ORG_HEAD = 1  # an org or unit head noun (pattern_spans)
F_EVENT_HEAD = 2  # an event head noun (event_spans)
F_POLICY_HEAD = 4  # a policy head noun (policy_spans)
F_PROJECT = 8  # the stem "projekt" or "kampaņ" (project_spans, project cues)
# nouns a project is named after: "projekts “X”", "kampaņa “X”" (a campaign is a programme of work)
PROJECT_STEMS = frozenset(stem(w) for w in ("projekts", "kampaņa"))
F_PERSON = 16  # a capitalised word that can begin a person's name (person_spans)
F_CUE = 32  # the first word of a cue phrase (relations)
F_GAZ = 64  # a word a name of the extractor's gazetteer begins with (gazetteer_spans)
F_ROLE = 128  # a role word or "(": a name nobody lists may follow or precede it (person_spans)
F_FOREIGN = 256  # a word that makes a name in its own language a body's ("Stiftung": foreign.py)
F_COMPANY = 512  # a company's legal form ("uzņēmums", "SIA"): an acronym after it names one (company_spans)


@lru_cache(maxsize=200_000)
def norm(name: str) -> str:
    """Normalised name for keys: case-folded, quotes and punctuation dropped.

    >>> norm('biedrība „Centrs MARTA”'), norm("2014.-2020.gadam")
    ('biedrība centrs marta', '2014 2020 gadam')
    """
    return " ".join(_NOT_WORD.sub(" ", name.casefold()).split())


def rebuild(toks: list[Token], idx: list[int], words: list[str], text: str, base: int) -> str:
    """Words standing for toks[idx], joined with the text's own spacing between
    neighbouring tokens ("2009.-2013.gadam" stays as written)."""
    out = [words[0]]
    for k in range(1, len(idx)):
        a, b = idx[k - 1], idx[k]
        sep = text[toks[a].end - base : toks[b].start - base] if b == a + 1 else " "
        out.append((" " if sep.strip() == "" and sep else sep if b == a + 1 else " ") + words[k])
    return "".join(out)


def _join(tokens: list[Token], start: int, end: int, text: str, base: int) -> str:
    """The sentence text covered by tokens[start:end] (original spacing)."""
    return text[tokens[start].start - base : tokens[end - 1].end - base]


@lru_cache(maxsize=100_000)
def _org_genitive(last: str) -> bool:
    """Whether a gazetteer name ending in this word stands in the genitive."""
    return _is_genitive_like(last) and not last.lower().endswith("u")


@lru_cache(maxsize=100_000)
def _country_genitive(last: str) -> bool:
    """Whether a country's name ending in this word stands in the genitive (an acronym
    before another word aside): "Latvijas", not "Valsts"."""
    genitive = last.lower().endswith(("as", "es", "s")) or last in ("ASV",)
    return genitive and not stem(last) == last.lower()


@lru_cache(maxsize=100_000)
def _name_cases(written: str, name: str, plural: bool = False) -> frozenset[str] | None:
    """The cases of a name as `written` in the text, given its nominative `name` (a
    singular name unless `plural`: "Savienības" is its genitive, never a plural). The
    word that inflects is the last one, or the last one before a quoted name
    ('biedrība "Patvērums "Drošā māja""', 'Krīzes centrs "Skalbes"')."""
    if plural:
        return None  # "Amerikas Savienotās Valstis": their forms are not told apart here
    name_words = _plain_words(name)
    text_words = _plain_words(written)
    if not name_words or len(name_words) != len(text_words):
        return None
    head = len(name_words) - 1
    quote = next((k for k, w in enumerate(_quoted_flags(name)) if w), None)
    if quote is not None:
        if quote == 0:
            return None  # the name is the quoted title itself
        head = quote - 1
    return singular(cases_as(text_words[head], name_words[head]))


def _plain_words(text: str) -> list[str]:
    return [w for w in (x.strip("\"„“”«»'‘’") for x in text.split()) if w]


def _quoted_flags(name: str) -> list[bool]:
    """Per word of a name (as _plain_words splits it): whether a quote opens before it."""
    out = []
    for x in name.split():
        if x.strip("\"„“”«»'‘’"):
            out.append(x[:1] in "\"„“«'‘")
    return out


def singular(cases: frozenset[str] | None) -> frozenset[str] | None:
    """The singular readings of a name's cases: the name of one body in a plural form
    ("ministrijām") is not that body, so it has none (an empty set, not None)."""
    if cases is None:
        return None
    return frozenset(c for c in cases if not c.startswith("pl:"))


@lru_cache(maxsize=1)
def _dependent_units() -> frozenset[str]:
    from ...common.resources import data_path

    lines = data_path("lexicon", "dependent_units.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(stem(ln.strip()) for ln in lines if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=1)
def _state_bodies() -> frozenset[str]:
    from ...common.resources import data_path

    lines = data_path("lexicon", "state_bodies.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(stem(ln.strip()) for ln in lines if ln.strip() and not ln.startswith("#"))


def _orphan_unit(sp: Span, dependent: frozenset[str]) -> bool:
    """A department or division named without its body, in two words or at the start of a
    line (a signature): not read as a name."""
    if sp.parent is not None or sp.qualifier is not None or _head_word_stem(sp) not in dependent:
        return False
    return sp.start == 0 or len(sp.lemma.split()) < 3


def _head_word_stem(sp: Span) -> str:
    """The stem of the last lower-case word of a name (its head noun)."""
    words = [w for w in sp.lemma.split() if w[:1].isalpha()]
    for w in reversed(words):
        if w.islower():
            return stem(w)
    return stem(words[-1]) if words else ""


_ADJECTIVE_FORMS = (
    "ais", "ā", "ās", "ie", "ajā", "ajam", "ajai", "ajiem", "ajām", "ajos", "ajās", "āku", "o",
)  # fmt: skip
_NOMINAL_ENDINGS = ("a", "e", "i", "u", "s", "š", "o", "ū", "ī", "ē")


def _first_word(toks: list[Token]) -> int:
    """The index of a sentence's first word (after a bullet, a dash, a quote or a number)."""
    for k, t in enumerate(toks):
        if t.text[:1].isalpha():
            return k
    return -1


_LATVIAN_LETTERS = frozenset("aābcčdeēfgģhiījkķlļmnņoprsštuūvzž")


@lru_cache(maxsize=100_000)
def _is_foreign(word: str) -> bool:
    """A capitalised word that Latvian does not inflect: a foreign proper name ("Jaan",
    "Tõnisson"): a letter Latvian lacks, or an ending no Latvian noun form has."""
    if not word[:1].isupper() or not word.isalpha() or is_acronym(word) or len(word) < 3:
        return False
    low = word.lower()
    if any(c not in _LATVIAN_LETTERS for c in low):
        return True
    # no Latvian letter with a diacritic ("Tomēr", "Tādēļ" are Latvian), and a consonant end
    return not any(c in LATVIAN_MARKED for c in low) and low[-1] in "bcdfghjklmnprtvz"


def _lower_genitive_word(word: str) -> bool:
    """A lower-case noun in the genitive singular ("koordinācijas", "biroja"), not a verb."""
    w = word.lower()
    return word[:1].islower() and word.isalpha() and w.endswith(("as", "es", "a", "us")) and not is_verb(w)


@lru_cache(maxsize=100_000)
def _is_genitive_like(word: str) -> bool:
    """Whether a word may stand in the genitive (by its ending), or is an acronym (cached:
    every finder asks it of the words it walks over)."""
    w = word.lower()
    if w.endswith(("ais", "ajs")) and len(w) > 4:
        return False  # a definite adjective in the nominative ("Minētais")
    return w.endswith(_GENITIVE_ENDINGS) or is_acronym(word)


@lru_cache(maxsize=50_000)
def ends_topic(word: str) -> bool:
    """Whether a word after "par" / "pret" is the accusative of an abstract noun in "-ība"
    or "-šana" ("tirdzniecību", "novēršanu"), which ends the topic: what follows it is no
    genitive of it ("pret cilvēku tirdzniecību ieviešanu": the object of the verb). The
    genitive plural of a noun used in the plural (data/lexicon/plural_only.txt: "cilvēku
    tiesību ievērošanu") is written the same, and does not."""
    w = word.lower()
    if len(w) < 6 or not w.endswith(("ību", "šanu")):
        return False
    return not w.endswith(_plural_genitives())


@lru_cache(maxsize=1)
def _plural_genitives() -> tuple[str, ...]:
    from ...common.resources import data_path

    path = data_path("lexicon", "plural_only.txt")
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    words = [w for ln in lines if (w := ln.split("#", 1)[0].strip().lower())]
    return tuple(w[:-2] + "u" for w in words if w.endswith("as"))


@lru_cache(maxsize=100_000)
def _is_role_like(word: str) -> bool:
    from .lexicon import load_lexicon

    return stem(word) in load_lexicon().roles


_PARTICIPLE_ENDINGS = (
    "tās", "tā", "tais", "tajā", "tajai", "tajam", "tie", "tajiem", "tajām",
    "ošā", "ošās", "ošais", "ošo", "ošajā", "ošie", "ošajām",
)  # fmt: skip


@lru_cache(maxsize=100_000)
def is_verb(word: str) -> bool:
    """Whether a word is a verb form (its lemma an infinitive): "nodrošina", "veido"."""
    w = word.lower()
    if not w.isalpha() or len(w) < 4 or w.endswith(_PARTICIPLE_ENDINGS):
        return False  # participles act as adjectives: "organizētās noziedzības"
    lemma = _lemmatize(w)
    if lemma == w:
        return w.endswith(("āt", "ēt", "īt", "ot", "ūt", "ties"))  # an infinitive: "atbalstīt"
    return lemma.endswith(("t", "ties"))


@lru_cache(maxsize=100_000)
def _lemmatize(w: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(w, lang="lv"))


_ORDINAL = re.compile(r"[1-9][0-9]?\.")


def _is_capital(tok: Token) -> bool:
    return tok.text[:1].isupper()


class SentenceExtractor:
    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon, default_country: str = "LV"):
        self.gaz = gazetteer
        self.lex = lexicon
        self.default_country = default_country
        self._head_cache: dict[str, tuple[HeadEntry, bool] | None] = {}
        # international(): "X*" is a prefix; "X" the whole name or its first word(s)
        marks = lexicon.international
        self._intl_exact = frozenset(m.lower() for m in marks if not m.endswith("*"))
        self._intl_prefixes = tuple(m[:-1].lower() if m.endswith("*") else m.lower() + " " for m in marks)
        # the countries alone: the state a foreign body's gazetteer name begins with
        self._countries = Gazetteer(e for e in gazetteer.entries.values() if e.cls is EntityClass.COUNTRY)
        self._begins_with_state: dict[str, bool] = {}  # by gazetteer name

    # ------------------------------------------------------------------ gazetteer
    def gazetteer_spans(
        self,
        toks: list[Token],
        keys: list[str | None] | None = None,
        starts: list[int] | None = None,
        matches: list[Match] | None = None,
    ) -> list[Span]:
        """Gazetteer names; `keys` and `starts` as for Gazetteer.find, `matches` its
        result where the caller has it."""
        spans: list[Span] = []
        for m in self.gaz.find(toks, keys, starts) if matches is None else matches:
            self._gazetteer_span(toks, m, spans)
        return spans

    def _gazetteer_span(self, toks: list[Token], m: Match, spans: list[Span]) -> Span:
        """The span of one gazetteer match (appended to `spans`, after the spans of the
        parents and the state its name begins with)."""
        entries = self.gaz.entries
        e = entries[m.entry_id]
        is_country = e.cls is EntityClass.COUNTRY
        last = toks[m.end - 1].text
        if is_country:
            genitive = _country_genitive(last) or (is_acronym(last) and m.end < len(toks))
        else:
            genitive = _org_genitive(last)
        org = Span(
            m.start,
            m.end,
            e.cls,
            # the Latvian name as this text writes it (one of the entry's), else its canonical one
            m.name if m.name in e.alt_lv else e.name_lv,
            "gaz:" + e.id,
            kind="country" if is_country else "org",
            country=e.country,
            gaz=e,
            genitive=genitive,
            cases=_name_cases(" ".join(t.text for t in toks[m.start : m.end]), m.name, e.plural),
        )
        state = None if is_country or e.country == self.default_country else self._state_before(toks, m, e)
        if state is not None:
            # "Igaunijas Darba inspekcija": the state is named too, as the qualifier of
            # the rest, as the pattern finder reads a body the gazetteer does not know
            org.start, org.qualifier = state.end, state
            spans.append(state)
        elif e.part_of and m.end - m.start > 2:
            parent = self._parent_before(toks, m, e)
            if parent is not None:
                # "Valsts policijas Galvenās kriminālpolicijas pārvaldes Organizētās ...
                # pārvalde": the body it belongs to is named too, in the genitive
                above = self._gazetteer_span(toks, parent, spans)
                org.start, org.parent = above.end, above
        spans.append(org)
        return org

    def _parent_before(self, toks: list[Token], m: Match, e: GazetteerEntry) -> Match | None:
        """The name of the body a known unit belongs to that the unit's name begins with,
        in the genitive, where the gazetteer knows it."""
        words = [t.text for t in toks[m.start : m.end - 1]]
        found = self.gaz.find_words(words)
        if not found or found[0].start != 0 or found[0].entry_id not in e.part_of:
            return None
        if not _org_genitive(words[found[0].end - 1]):
            return None
        p = found[0]
        return Match(m.start, m.start + p.end, p.entry_id, p.name)

    def _state_before(self, toks: list[Token], m: Match, e: GazetteerEntry) -> Span | None:
        """The state's genitive that a foreign body's gazetteer name begins with
        ("Lietuvas Republikas", "ASV"), as a country span, where it is the body's own."""
        begins = self._begins_with_state.get(m.name)
        if begins is None:
            first = next((t.text for t in tokenize(m.name) if t.text[:1].isalpha()), "")
            begins = self._begins_with_state[m.name] = self._countries.starts_name(token_key(first), True)
        if not begins:
            return None  # most names begin with no state's name: asked once per name
        words = [t.text for t in toks[m.start : m.end - 1]]
        found = self._countries.find_words(words)
        if not found or found[0].start != 0:
            return None
        c = found[0]
        state = self._countries.entries[c.entry_id]
        last = words[c.end - 1]
        if state.iso2 != e.country or not (_country_genitive(last) or is_acronym(last)):  # "ASV" aside
            return None
        written = " ".join(words[: c.end])
        return Span(
            m.start,
            m.start + c.end,
            EntityClass.COUNTRY,
            state.name_lv,
            "gaz:" + state.id,
            kind="country",
            country=state.iso2,
            gaz=state,
            genitive=True,
            cases=_name_cases(written, c.name, state.plural),
        )

    # ------------------------------------------------------------------ patterns
    def head_at(self, tok: Token) -> tuple[HeadEntry, bool] | None:
        """The head-noun entry of a token, and whether it is a compound ("Ģenerālprokuratūra")."""
        return self.head_of_token_text(tok.text)

    def head_of_token_text(self, word: str) -> tuple[HeadEntry, bool] | None:
        """head_at of a token with this text (cached by word)."""
        cache = self._head_cache
        found = cache.get(word, _MISSING)
        if found is _MISSING:
            found = self._head_of_word(word) if word[:1].isalpha() else None
            if len(cache) >= 200_000:
                cache.clear()
            cache[word] = found
        return found  # type: ignore[return-value]

    def _head_of_word(self, word: str) -> tuple[HeadEntry, bool] | None:
        h = self.lex.head(word)
        if h is not None:
            return h, False
        if not word[:1].isupper():
            return None
        s = stem(word)
        for hs, entry in self.lex.heads.items():
            if entry.kind in ("org", "unit") and len(s) > len(hs) + 3 and s.endswith(hs):
                return entry, True
        return None

    def pattern_spans(
        self,
        toks: list[Token],
        taken: list[Span],
        text: str,
        base: int,
        heads: list[int] | None = None,
        capitalised: Container[str] = frozenset(),
    ) -> list[Span]:
        """Institution names found by their head noun, outside the spans already taken.

        Heads are taken right to left, so in "Ģenerālpolicijas inspektorāts" the last
        head wins and the first is one of its modifiers; parents and country qualifiers
        are attached once every name of the sentence is known.
        """
        head_of = self.head_of_token_text
        if heads is None:  # else: the org and unit heads, right to left
            heads = [h for h in range(len(toks) - 1, -1, -1) if head_of(toks[h].text)]
        if not heads:
            return []
        occupied = {i: s for s in taken for i in range(s.start, s.end)}
        out: list[Span] = []
        bare: list[tuple[int, HeadEntry]] = []
        for h in heads:
            if h in occupied:
                continue
            found = head_of(toks[h].text)
            if not found:
                continue
            entry, compound = found
            legal_form = entry.kind == "ngo" and entry.noun.declension > 0 and entry.cls is EntityClass.NGO
            if entry.kind not in ("org", "unit") and not legal_form:
                continue
            span = self._institution(toks, h, entry, compound, occupied, text, base, capitalised)
            if span is None:
                if not legal_form:
                    bare.append((h, entry))
                continue
            out.append(span)
            for i in range(span.start, span.end):
                occupied[i] = span
        for h, entry in bare:
            if h in occupied:
                continue
            span = self._bare_unit(toks, h, entry, occupied)
            if span is not None:
                out.append(span)
                for i in range(span.start, span.end):
                    occupied[i] = span
        for span in out:
            self._attach(span, toks, occupied)
        dependent = _dependent_units()
        return [sp for sp in out if not (_orphan_unit(sp, dependent) and not self._names_its_body(sp, toks))]

    def _names_its_body(self, sp: Span, toks: list[Token]) -> bool:
        """Whether a unit's name holds the name of the body it belongs to, a capitalised head
        in the genitive before its own ("Eiropas Komisijas ... ģenerāldirektorāts")."""
        for k in range(sp.start, sp.end - 1):
            found = self.head_of_token_text(toks[k].text) if _is_capital(toks[k]) else None
            if found is not None and found[0].kind == "org" and "gen" in head_cases(toks[k].text, found[0].noun):
                return True
        return False

    def _left_neighbour(self, toks: list[Token], start: int, occupied: dict[int, Span]) -> Span | None:
        j = start - 1
        if j >= 0 and toks[j].text == ")":
            while j >= 0 and toks[j].text != "(":
                j -= 1
            j -= 1
        return occupied.get(j) if j >= 0 else None

    def _attach(self, span: Span, toks: list[Token], occupied: dict[int, Span]) -> None:
        """Set the parent organisation or the country qualifier named just before a name."""
        left = self._left_neighbour(toks, span.start, occupied)
        acronym = left is not None and left.cases is None and is_acronym(toks[left.end - 1].text)
        if left is not None and (left.genitive or acronym) and left is not span:
            if left.kind == "country" and span.qualifier is None and span.parent is None:
                span.qualifier = left
                span.country = left.country
            elif left.is_org and span.parent is None:
                span.parent = left
        if self.international(span.lemma) and _head_word_stem(span) not in _CIVIL_SOCIETY_HEADS:
            # "Eiropas ... birojs", "Eiropas Savienība" are international bodies; "Eiropas
            # Sieviešu lobijs" is a European NGO all the same
            span.cls = EntityClass.INTERNATIONAL_ORGANISATION
        if span.parent is not None and span.parent.cls is EntityClass.INTERNATIONAL_ORGANISATION:
            span.cls = EntityClass.INTERNATIONAL_ORGANISATION
        if span.cls is EntityClass.INTERNATIONAL_ORGANISATION:
            span.country = None
        elif span.parent is not None and span.country is None:
            span.country = span.parent.country

    def international(self, name: str) -> bool:
        low = name.lower()
        return low in self._intl_exact or low.startswith(self._intl_prefixes)

    def _bare_unit(self, toks: list[Token], h: int, entry: HeadEntry, occupied: dict[int, Span]) -> Span | None:
        """A bare head after a named parent: "Eiropas Savienības prezidentūra",
        "Starptautiskās Migrācijas organizācijas (IOM) Latvijas birojs"."""
        cases = head_cases(toks[h].text, entry.noun)
        if not cases:
            return None
        start = h
        numbered = h > 0 and _ORDINAL.fullmatch(toks[h - 1].text) is not None and h - 1 not in occupied
        if numbered:
            start = h - 1  # "Narkotiku apkarošanas biroja 2.nodaļa": a numbered unit of a body
        left = self._left_neighbour(toks, start, occupied)
        country = None
        if numbered and (left is None or not left.is_org or not left.genitive or left.end != start):
            return None
        if left is not None and left.kind == "country" and left.genitive:
            country = left
            start = left.start
            left = self._left_neighbour(toks, left.start, occupied)
        one_per_state = stem(entry.noun.lemma) in _state_bodies()
        if country is not None and (_is_capital(toks[h]) or one_per_state) and (left is None or not left.is_org):
            # "Somijas Robežsardze", "Igaunijas Policija": a country's body named by its head alone
            head = nominative_phrase([toks[h].text], 0, entry.noun)
            end = h + 1
            located = occupied.get(end)
            if (
                located is not None
                and located.kind == "country"
                and stem(toks[h].text) in _LOCATED
                and toks[located.end - 1].text.lower().endswith(_LOCATIVE_ENDINGS)
            ):
                # "Latvijas vēstniecība Īrijā": the state's embassy in another
                end = located.end
                head = " ".join([head, *(t.text for t in toks[located.start : located.end])])
            return Span(
                h,
                end,
                entry.cls,
                head,
                "",
                kind="org",
                genitive="gen" in cases and "nom" not in cases,
                cases=singular(noun_cases(toks[h].text, entry.noun) or None),
            )
        end = h + 1
        if country is None and left is None:
            # "EDSO koordinācijas birojs cīņai pret cilvēku tirdzniecību": lower-case
            # genitives between the parent and the head, and the head's purpose after it
            k = h
            while k > 0 and h - k < 4 and k - 1 not in occupied and _lower_genitive_word(toks[k - 1].text):
                k -= 1
            if k < h:
                left = self._left_neighbour(toks, k, occupied)
                if left is not None and left.is_org and left.genitive and left.end == k:
                    start = k
                    end = self.complement(toks, h + 1, occupied)
                else:
                    left = None
        if left is None or not left.is_org or not left.genitive:
            return None
        if country is None and left.end != start:
            return None
        if stem(entry.noun.lemma) == stem("delegācija") and left.cls is not EntityClass.INTERNATIONAL_ORGANISATION:
            return None  # a ministry's delegation is its people on a visit, not a body
        words = [toks[i].text for i in range(start, end) if toks[i].text not in ALL_QUOTES]
        lemma = _tidy(nominative_phrase(words, h - start, entry.noun))
        if numbered and toks[h].start == toks[h - 1].end:
            lemma = lemma.replace(" ", "", 1)  # "2.nodaļa" as the text writes it
        span = Span(
            start,
            end,
            entry.cls,
            lemma,
            "",
            kind="unit",
            genitive="gen" in cases and "nom" not in cases,
            cases=singular(noun_cases(toks[h].text, entry.noun) or None),
        )
        span.parent = left
        return span

    def _institution(
        self,
        toks: list[Token],
        h: int,
        entry: HeadEntry,
        compound: bool,
        occupied: dict[int, Span],
        text: str,
        base: int,
        capitalised: Container[str] = frozenset(),  # words the document capitalises mid-sentence
    ) -> Span | None:
        noun = entry.noun
        if compound:
            noun = HeadNoun(_compound_lemma(toks[h].text, entry.noun), noun.gender, noun.declension, noun.plural)
        cases = head_cases(toks[h].text, noun)
        if not cases:
            return None
        if noun.plural is False and toks[h].text.lower().endswith(("as", "es")) and "gen" not in cases:
            return None
        # Walk left over modifiers.
        run: list[int] = []
        j = h - 1
        while j >= 0:
            t = toks[j]
            if t.text == ")":
                k = j
                while k >= 0 and toks[k].text != "(":
                    k -= 1
                if k < 0 or j - k > 12:
                    break
                j = k - 1
                continue
            coordinated = any(toks[k].text == "un" for k in run)
            continues = j + 1 < len(toks) and toks[j + 1].text[:1].islower()  # ", kārtības un ..."
            if t.text == "," and j > 0 and coordinated and continues and _is_genitive_like(toks[j - 1].text):
                run.append(j)  # "Drošības, kārtības un korupcijas novēršanas jautājumu komiteja"
                j -= 1
                continue
            if j in occupied or not t.is_word:
                break
            w = t.text
            lw = w.lower()
            if lw == "pret" and j > 0 and toks[j - 1].text.lower().endswith(("cīņai", "šanai")):
                run += [j, j - 1]  # "cīņai pret verdzību": a purpose inside the name
                j -= 2
                continue
            named = _is_capital(t) and j != _first_word(toks) and _is_genitive_like(w)  # "Narkotiku ..."
            if lw in self.lex.stopwords or (is_verb(w) and not named):
                break
            if lw.endswith("ies") and len(lw) >= 7 and (w.islower() or j == _first_word(toks)):
                break  # a reflexive participle, no genitive: "Noslēdzies Valsts ... projekts"
            other = self.lex.head(w)
            if other is not None and (j + 1 != h or other.kind == "event") and "gen" not in head_cases(w, other.noun):
                # another name's head in its own case: "Iekšlietu ministrija nodrošina ...", and an
                # event noun never ("Seminārs pašvaldību darbiniekiem")
                break
            if lw == "un":
                before = toks[j - 1].text if j > 0 else ""
                # "Tieslietu un vienlīdzības ministrija"; not "ES un Zviedru institūta": an
                # acronym before "un" is a body of its own
                # nor "Ilze Kalna un Tieslietu ministrija": a surname after a given name is a person's
                person = j > 1 and _is_capital(toks[j - 2]) and toks[j - 2].text.lower() in self.lex.first_names
                body = toks[j - 1].is_word and _is_genitive_like(before) and not is_acronym(before) and not person
                if body and self._parallel_bodies(before, [toks[k].text for k in run]):
                    break
                if run and j > 0 and body:
                    run.append(j)
                    j -= 1
                    continue
                break
            nxt_w = toks[j + 1].text.lower() if j + 1 < len(toks) else ""
            if lw.endswith("o") and nxt_w.endswith("u") and j + 1 != h:
                run.append(j)  # a genitive plural adjective: "Vecāko amatpersonu"
                j -= 1
                continue
            if j > 0 and _is_foreign(w) and j + 1 < len(toks) and (_is_foreign(toks[j + 1].text) or j + 1 == h):
                run.append(j)  # an undeclined foreign name before the head: "Jaan Tõnisson institūts"
                j -= 1
                continue
            if self._agrees(w, noun, cases) or _is_genitive_like(w) or lw.endswith("ā"):
                if lw.endswith("ā") and not self._agrees(w, noun, cases):
                    # "-ā" is a genitive adjective only before a masculine genitive noun
                    nxt = toks[j + 1].text.lower() if j + 1 < len(toks) else ""
                    if not nxt.endswith("a"):
                        break
                run.append(j)
                j -= 1
                continue
            break
        start = capital_start(toks, run)
        if start is not None and start == _first_word(toks) and self._weak_initial(toks[start].text, capitalised):
            # a sentence's first word is capitalised anyway: an adjective or adverb there
            # ("Vietējā pašvaldība", "Tomēr pašvaldība") does not begin a name
            start = next((k for k in range(start + 1, h) if _is_capital(toks[k])), None)
            if start is None and _is_capital(toks[h]) and h != _first_word(toks):
                start = h
        end = self.complement(toks, h + 1, occupied)
        if start is None:
            if not _is_capital(toks[h]):
                # "darba grupa Programmas ... koordinēšanai": a lower-case head named by
                # the capitalised title of its purpose
                if end > h + 1 and run and any(_is_capital(t) for t in toks[h + 1 : end]):
                    start = run[0]
                else:
                    return None
            else:
                start = h
        if start == h and not compound and _quoted_name_after(toks, end, text, base) is None:
            # a bare head noun ("Padome", "Ministrija") is not a name; "Koalīcija “X”" is, and
            # a capitalised head with its purpose inside a sentence: "Organizācija palīdzībai bēgļiem"
            if not (end > h + 1 and h != _first_word(toks) and _is_capital(toks[h])):
                return None
        if start > 0 and toks[start - 1].text in ("-", "–") and start - 2 in occupied:
            return None
        quoted = _quoted_name_after(toks, end, text, base)
        name_end = end
        if quoted is not None and end == h + 1:
            # "Krīzes centrs “Skalbes”": a head named by a quoted name takes it in
            end, name = quoted
            aliases_from_quote = [name]
        else:
            aliases_from_quote = []
        located = occupied.get(end)
        if (
            end == h + 1
            and located is not None
            and located.kind == "country"
            and stem(toks[h].text) in _LOCATED
            and toks[located.end - 1].text.lower().endswith(_LOCATIVE_ENDINGS)
        ):
            end = located.end  # "Eiropas Savienības delegācija Moldovā"
        if not aliases_from_quote:
            name_end = end
        # drop parenthesised groups inside the name (they are aliases)
        aliases: list[str] = []
        keep: list[int] = []
        i = start
        while i < name_end:
            if toks[i].text == "(":
                k = i
                while k < end and toks[k].text != ")":
                    k += 1
                aliases.append(_join(toks, i + 1, k, text, base))
                i = k + 1
                continue
            keep.append(i)
            i += 1
        words_idx = [i for i in keep if toks[i].text not in ALL_QUOTES]
        words = [toks[i].text for i in words_idx]
        head_pos = words_idx.index(h)
        lemma = _tidy(rebuild(toks, words_idx, nominative_words(words, head_pos, noun), text, base))
        lemma = lemma[:1].upper() + lemma[1:]
        genitive = "gen" in cases and "nom" not in cases
        cls = entry.cls
        if aliases_from_quote:
            if start == h:
                lemma = lemma.lower()  # a head named by its quoted name alone: koalīcija "X", as biedrība "X"
            lemma = f'{lemma} "{aliases_from_quote[0]}"'
            if cls is EntityClass.PUBLIC_BODY and stem(noun.lemma) in _CIVIC_HEADS:
                cls = EntityClass.NGO  # a centre or fund with a proper name in quotes is civil society
        return Span(
            start,
            end,
            cls,
            lemma,
            "",
            kind="ngo" if cls is EntityClass.NGO else entry.kind,
            genitive=genitive,
            aliases=[a for a in [*aliases_from_quote, *aliases] if a.strip()],
            cases=singular(noun_cases(toks[h].text, noun) or None),
        )

    def _parallel_bodies(self, before: str, between: list[str]) -> bool:
        """Whether "un" joins two bodies, each with its head in the genitive, rather than two
        modifiers of one head: "Tieslietu ministrijas un Valsts policijas pārstāvji" names
        two bodies, "Tieslietu un vienlīdzības ministrija" one. The word before "un" is then
        a body's head in the genitive, and nothing between "un" and this head is another
        head ("Valsts policijas un Valsts robežsardzes kopīgā komiteja" keeps its name)."""
        left = self.head_of_token_text(before)
        if left is None or left[0].kind not in ("org", "unit"):
            return False
        noun = left[0].noun
        if left[1]:
            noun = HeadNoun(_compound_lemma(before, noun), noun.gender, noun.declension, noun.plural)
        if "gen" not in head_cases(before, noun):
            return False
        return not any(self.head_of_token_text(w) for w in between)

    def _weak_initial(self, word: str, capitalised: Container[str]) -> bool:
        """A sentence's first word that is no evidence of a name: an adjective or an
        adverb, unless the text writes it capitalised elsewhere or a known name begins with it."""
        if word in capitalised or self.gaz.starts_name(token_key(word), True):
            return False
        low = word.lower()
        if low.endswith(_ADJECTIVE_FORMS):
            return True
        return not low.endswith(_NOMINAL_ENDINGS)

    def _agrees(self, word: str, noun: HeadNoun, cases: list[str]) -> bool:
        return agrees(word, noun.gender, noun.plural, cases)

    def complement(self, toks: list[Token], end: int, occupied: dict[int, Span]) -> int:
        """Extend a name over a purpose complement: "... noziegumu apkarošanai",
        "cīņai pret cilvēku tirdzniecību", "palīdzībai bēgļiem", "Programmas ... 2009.-2013.gadam ...
        koordinēšanai" (up to the last purpose word of the run)."""
        lower_head = not _is_capital(toks[end - 1])
        j = end
        best = end
        limit = min(len(toks), end + 16)
        while j < limit and j not in occupied:
            t = toks[j]
            w = t.text.lower()
            if t.is_word:
                if stem(w) == "gad":
                    j += 1
                    continue
                if is_verb(w) or (w in self.lex.stopwords and w != "pret") or _is_role_like(w):
                    break
                if _is_capital(t) and not lower_head:
                    break  # only a lower-case head ("darba grupa") takes a capitalised title
                if w == "cīņai" and j + 1 < len(toks) and toks[j + 1].text == "pret":
                    k = j + 2
                    # the name ends with the noun "pret" governs ("pret cilvēku tirdzniecību"),
                    # not with what follows ("... ieviešanas koordinators")
                    while k < min(len(toks), j + 6) and toks[k].is_word and toks[k].text[:1].islower():
                        k += 1
                        cur = toks[k - 1].text.lower()
                        nxt = toks[k].text.lower() if k < len(toks) else ""
                        if cur.endswith("u") and not nxt.endswith("u"):
                            break
                    return k if k > j + 2 else best
                if w.endswith("šanai"):
                    best = j + 1
                elif w.endswith("ībai") and j + 1 < len(toks) and toks[j + 1].text.endswith(("iem", "ām")):
                    # "palīdzībai bēgļiem": help for whom, the purpose of "Organizācija ..."
                    best = j + 2
                    break
                elif not (_is_genitive_like(w) or w in ("un", "in") or stem(w) == "gad"):
                    break
            elif not (_YEAR.fullmatch(t.text) or t.text in ("-", "–")):
                break
            j += 1
        return best


_YEAR = re.compile(r"\d{4}\.?")
# heads that name civil society only, never an intergovernmental body
_CIVIL_SOCIETY_HEADS = frozenset(
    stem(w) for w in ("lobijs", "līga", "kustība", "koalīcija", "alianse", "biedrība", "nodibinājums")
)
_CIVIC_HEADS = frozenset(stem(w) for w in ("centrs", "fonds", "apvienība", "asociācija", "savienība", "kustība"))


def _quoted_name_after(toks: list[Token], i: int, text: str, base: int) -> tuple[int, str] | None:
    """(token index after, name) of a quoted name starting at token i: “Skalbes”."""
    if i >= len(toks) or toks[i].text not in '„“"«':
        return None
    from .quotes import _clean_quoted, quoted_ranges

    for qs, qe in quoted_ranges(text):
        if qs + base == toks[i].start:
            j = i
            while j < len(toks) and toks[j].end <= qe + base:
                j += 1
            return j, _clean_quoted(text[qs:qe])
    return None


def capital_start(toks: list[Token], run: list[int]) -> int | None:
    """Where a name starts among the modifiers walked over from its head (right to left):
    at the nearest capitalised word, extended left over capitalised neighbours
    ("Starptautiskā Migrācijas ... centrs", not "Projekta īstenošanu atbalstīja ... fonds")."""
    start = next((k for k in run if _is_capital(toks[k])), None)
    if start is None:
        return None
    rest = run[run.index(start) + 1 :]
    for n, k in enumerate(rest):
        if _is_capital(toks[k]) and k == start - 1:
            start = k
        elif toks[k].text in ("un", ",") and k == start - 1:
            # a coordination inside the name: "Baltijas valstu un Ziemeļvalstu ...", reaching a
            # capitalised word over lower-case genitives
            later = next((m for m in rest[n + 1 :] if _is_capital(toks[m])), None)
            between = [m for m in rest[n + 1 :] if later is not None and m > later]
            if later is None or any(toks[m].text[:1].isupper() for m in between):
                break
            if not all(toks[m].text in ("un", ",") or _is_genitive_like(toks[m].text) for m in between):
                break
            if any(m != later + 1 + i for i, m in enumerate(sorted(between))):
                break
            start = later
            for m in rest[rest.index(later) + 1 :]:
                if _is_capital(toks[m]) and m == start - 1:
                    start = m
                else:
                    break
            return start
        else:
            break
    return start


def heads_in(
    lex: Lexicon, toks: list[Token], kind: str, skip: dict[int, Span], candidates: list[int] | None = None
) -> Iterator[tuple[int, HeadEntry, list[str]]]:
    """(index, lexicon entry, possible cases) of every head noun of one kind
    (`candidates`: the indexes, in order, of the tokens that may be one)."""
    for h in range(len(toks)) if candidates is None else candidates:
        if h in skip:
            continue
        t = toks[h]
        entry = lex.head(t.text)
        if entry is None or entry.kind != kind:
            continue
        cases = head_cases(t.text, entry.noun)
        if cases:
            yield h, entry, cases


def _compound_lemma(word: str, noun: HeadNoun) -> str:
    """Nominative of a compound head: "Ģenerālprokuratūras" -> "Ģenerālprokuratūra"."""
    base = noun.lemma
    s = stem(base)
    w = word
    idx = w.lower().rfind(s)
    return w[:idx] + base if idx >= 0 else w


@lru_cache(maxsize=50_000)
def _tidy(s: str) -> str:
    s = re.sub(r"\s+([,.)])", r"\1", s)
    s = re.sub(r"\(\s+", "(", s)
    return " ".join(s.split())

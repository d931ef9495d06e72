"""Persons: a given name the lexicon knows (in any case) and the capitalised surname(s)
after it, or an initial and a surname; and names the first-name list does not know where
Latvian writes them as a person's: right after a role word ("priekšsēdētājs Robs
Vainraits"), followed by the original spelling ("Valiants Ričijs (Valiant Richey)"), or
coordinated with a person ("Tarana Bagirova un Evans Karrs").

Every name is put in the nominative by its declension: the case and gender that its
given name (or the role word it stands in apposition to) shows, applied to the surname
("Vairu Paegli" -> "Vaira Paegle", "Jānim Bērziņam" -> "Jānis Bērziņš").
"""

from __future__ import annotations

import re
from functools import lru_cache

from mypy_extensions import trait

from ...common.resources import data_path
from ...ir import EntityClass
from ..lv.morph import HeadNoun, noun_endings, stem
from ..lv.names import GIVEN_CASES, case_from_original, gender_by_ending, surname_nominative, transcribes, unalternate
from ..text import Token
from .gazetteer import is_acronym
from .lexicon import Lexicon, _words
from .spans import Span, _is_capital

_DIGRAPH_INITIALS = frozenset({"Dz", "Dž"})  # Latvian letters written with two: "Dz. Ozola"
_PARTICLES = frozenset({"van", "von", "de", "der", "da", "di", "del", "la", "le", "du", "ten", "ter"})
_AGENT = re.compile(r"^(vadīt|izveidot|apstiprināt|parakstīt|iesniegt)(ā|ās|o|ais|ajā|ajai|ie)$")

_LOCATIVE_LIKE = ("ā", "ē", "ī", "ū", "ais", "ajā", "ajam", "ajai", "ie", "ām", "ēm", "iem", "os")


@trait  # (mypyc: a class of NameFinder's several bases)
class PersonFinder:
    lex: Lexicon
    _given_cache: dict[tuple[str, bool], tuple[tuple[str, str, str], ...]]  # given_names, by (word, genitive)

    # ---------------------------------------------------------------- given names
    def first_name(self, word: str, genitive: bool = False) -> tuple[str, str] | None:
        """(nominative, case) of a given name, trying genitive and other case forms
        (only the genitive where the context requires one)."""
        found = self.given_name(word, genitive)
        return (found[0], found[1]) if found is not None else None

    def given_name(self, word: str, genitive: bool = False) -> tuple[str, str, str] | None:
        """(nominative, case, gender) of a given name the lexicon knows, in any case."""
        found = self.given_names(word, genitive)
        return found[0] if found else None

    def given_names(self, word: str, genitive: bool = False) -> tuple[tuple[str, str, str], ...]:
        """Every reading (nominative, case, gender) of a given name, the nominative first:
        "Ingu" is the accusative of "Ingus" and of "Inga"."""
        cache = self._given_cache  # by (word, genitive)
        key = (word, genitive)
        found = cache.get(key)
        if found is None:
            if len(cache) > 100_000:
                cache.clear()
            found = cache[key] = self._given_names(word, genitive)
        return found

    def _given_names(self, word: str, genitive: bool) -> tuple[tuple[str, str, str], ...]:
        names = self.lex.first_names
        w = word.lower()
        out = []
        if w in names and not genitive:
            out.append((word, "nom", names[w] or gender_by_ending(w)))
        for end, repls, case in GIVEN_CASES:
            if genitive and case != "gen":
                continue
            if not w.endswith(end) or len(w) <= len(end) + 1:
                continue
            base = w[: -len(end)]
            for repl in repls:
                for b in (base, unalternate(base)) if repl == "is" else (base,):
                    cand = b + repl
                    if cand in names and not (out and out[0][1] == "nom"):
                        nom = word[: len(b)] + repl if b == base else _cap(word, cand)
                        out.append((nom, case, names[cand] or gender_by_ending(cand)))
        return tuple(out)

    def before_person(self, word: str) -> bool:
        """Whether a token opens a context where a name the first-name list does not know
        is read as a person's: a role word ("priekšsēdētājs Robs Vainraits") or the
        parenthesis of an original spelling ("Valiants Ričijs (Valiant Richey)")."""
        return word == "(" or (word[:1].isalpha() and stem(word) in self.lex.roles)

    @staticmethod
    def unknown_name_near(words: list[str], marks: list[int]) -> bool:
        """Whether two capitalised words stand where before_person() looks for a name:
        after a role word, or before "(" (a sentence with no other name skips the finder
        unless they do)."""
        n = len(words)
        for k in marks:
            if words[k] == "(":
                if k >= 2 and words[k - 1][:1].isupper() and words[k - 2][:1].isupper():
                    return True
            elif k + 2 < n and words[k + 1][:1].isupper() and words[k + 2][:1].isupper():
                return True
        return False

    # ---------------------------------------------------------------- persons
    def person_spans(
        self, toks: list[Token], text: str, base: int, occupied: dict[int, Span], candidates: list[int] | None = None
    ) -> list[Span]:
        """The persons of a sentence (`candidates`: the indexes, in order, of the tokens
        that can begin a name or stand before one, where known: F_PERSON and F_ROLE)."""
        if candidates is None:
            candidates = [k for k, t in enumerate(toks) if self.before_person(t.text) or _is_capital(t)]
        out = self._known_persons(toks, occupied, candidates)
        taken = dict(occupied)
        for sp in out:
            taken.update({i: sp for i in range(sp.start, sp.end)})
        more = self._unknown_persons(toks, taken, out, candidates)
        if more:
            out = sorted(out + more, key=lambda sp: sp.start)
        return out

    def _known_persons(self, toks: list[Token], occupied: dict[int, Span], candidates: list[int]) -> list[Span]:
        """Names that begin with a given name the lexicon knows, or with an initial."""
        out = []
        n = len(toks)
        done = 0  # the token after the last name found
        for i in candidates:
            t = toks[i]
            if i < done or i in occupied or not t.is_word or not _is_capital(t) or is_acronym(t.text):
                continue
            # "A.Pinzaru", "D. Trofimovs": an initial and a surname
            if (
                (len(t.text) == 1 or t.text in _DIGRAPH_INITIALS)
                and i + 2 < n
                and toks[i + 1].text == "."
                and i + 2 not in occupied
                and toks[i + 2].is_word
                and _is_capital(toks[i + 2])
                and len(toks[i + 2].text) > 2
                and not self.lex.head(toks[i + 2].text)
            ):
                out.append(Span(i, i + 3, EntityClass.PERSON, f"{t.text}. {toks[i + 2].text}", "", kind="person"))
                done = i + 3
                continue
            readings = self.given_names(t.text)
            if not readings:
                continue
            fn = readings[0]
            forms = role_forms(toks[i - 1].text) if i > 0 and stem(toks[i - 1].text) in self.lex.roles else ()
            if len(readings) > 1 and forms:
                # "sekretāri Ingu": the role word's case and gender choose among the readings
                fn = next((r for r in readings if (r[1], r[2]) in forms), fn)
            elif forms and (fn[1], fn[2]) not in forms and all(c == "gen" for c, _ in forms):
                # "ministra Andra Ozola": a name in apposition to a genitive role word is
                # genitive too (Andris Ozols), though "Andra" is also a nominative
                gen = self.given_name(t.text, genitive=True)
                if gen is not None and (gen[1], gen[2]) in forms:
                    fn = gen
            j = i + 1
            words = [t.text]
            while (
                j < n
                and j not in occupied
                and toks[j].is_word
                and (
                    (_is_capital(toks[j]) and not is_acronym(toks[j].text) and not self.lex.head(toks[j].text))
                    or (toks[j].text in _PARTICLES and j + 1 < n and _is_capital(toks[j + 1]))
                )
            ):
                words.append(toks[j].text)
                j += 1
                if len(words) >= 4:
                    break
            if len(words) < 2:
                continue
            if j < n and _AGENT.match(toks[j].text.lower()) and fn[1] == "nom":
                # "Valda Dombrovska vadītā valdība": the agent of a participle is genitive
                gen = self.given_name(t.text, genitive=True)
                if gen is not None:
                    fn = gen
            if self._names_a_body(toks, j):
                done = j  # "Jaan Tõnisson institūts": the name of a body, not a person
                continue
            parts = [fn[0]] + [self._other_nominative(w, fn[1], fn[2]) for w in words[1:]]
            end, aliases = _original_after(toks, j)
            out.append(
                Span(
                    i,
                    end,
                    EntityClass.PERSON,
                    " ".join(parts),
                    "",
                    kind="person",
                    aliases=aliases,
                    genitive=fn[1] == "gen",
                )
            )
            done = end
        return out

    def _other_nominative(self, word: str, case: str, gender: str) -> str:
        """The nominative of a word after the given name: a second given name or a surname."""
        if word in _PARTICLES:
            return word
        second = self.given_name(word)
        if second is not None and second[1] == case:
            return second[0]
        return surname_nominative(word, case, gender)

    def _names_a_body(self, toks: list[Token], j: int) -> bool:
        """Whether the word after a name is the lower-case head of an institution's name."""
        if j >= len(toks) or not toks[j].is_word or _is_capital(toks[j]):
            return False
        return self._is_body_head(toks[j].text)

    def _is_body_head(self, word: str) -> bool:
        h = self.lex.head(word)
        return h is not None and h.kind in ("org", "unit", "ngo")

    # ---------------------------------------------------------------- unknown given names
    def _unknown_persons(
        self, toks: list[Token], taken: dict[int, Span], known: list[Span], candidates: list[int]
    ) -> list[Span]:
        """Two capitalised words the first-name list does not know, where the text writes
        them as a person's name: after a role word or before their original spelling in
        parentheses; then those coordinated with a person ("A un B", "A, B")."""
        starts = []  # where such a name may begin: after a role word, two words before "("
        role = self.before_person
        for k in candidates:
            w = toks[k].text
            if role(w):
                starts.append(k - 2 if w == "(" else k + 1)
                if w != "(" and _state_in(toks, k + 1, taken):
                    starts.append(k + 2)  # "vēstniece Latvijā Kaija Virtanena": the state served in
        out = self._unknown_pass(toks, taken, starts, {}, {}) if starts else []
        while known or out:
            persons = known + out
            starts = [k for sp in persons for k in (sp.end + 1, sp.start - 3)]
            by_start = {sp.start: sp for sp in persons}
            by_end = {sp.end: sp for sp in persons}
            found = self._unknown_pass(toks, taken, starts, by_start, by_end)
            if not found:
                break
            out += found
        return out

    def _unknown_pass(
        self,
        toks: list[Token],
        taken: dict[int, Span],
        starts: list[int],
        by_start: dict[int, Span],
        by_end: dict[int, Span],
    ) -> list[Span]:
        """The names that begin at one of `starts`; coordinated ones where `by_start` and
        `by_end` hold the persons found."""
        coordinated = bool(by_start)
        out: list[Span] = []
        n = len(toks)
        done = -1
        for i in sorted(set(starts)):
            if i < 0 or i <= done or i + 1 >= n:
                continue
            if not (self._name_word(toks, i, taken) and self._name_word(toks, i + 1, taken)):
                continue
            j = i + 2
            if j < n and self._name_word(toks, j, taken):
                # three capitalised words: a name only with its original spelling after it
                # ("Madelaine Harbi Samuelsone (Madeleine Harby Samuelsson)")
                end3, original = _original_after(toks, j + 1)
                if not original or not transcribes([t.text for t in toks[i : j + 1]], original[0].split()):
                    continue
                j += 1
            if j < n and toks[j].is_word and self._is_body_head(toks[j].text):
                continue  # "Ziemeļu Jūras Komisija", "Jaan Tõnisson institūts": a body's name
            if i > 1 and toks[i - 1].is_word and _is_capital(toks[i - 1]) and i - 1 not in taken:
                continue  # the end of a longer capitalised run
            end, aliases = _original_after(toks, j)
            words = [t.text for t in toks[i:j]]
            gender = gender_by_ending(words[0])
            case = None
            if coordinated:
                if _coordinated(toks, i, end, by_start, by_end):
                    case = "nom"
            elif aliases and transcribes(words, aliases[0].split()):
                case = case_from_original(words, aliases[0].split(), gender)
            elif i > 0:
                r = i - 2 if i > 1 and _state_in(toks, i - 1, taken) else i - 1
                role_cases = self._role_cases(toks[r].text)
                if len(role_cases) == 1 or "nom" in role_cases:
                    case = role_cases[0] if len(role_cases) == 1 else "nom"
                    # the role word shows the gender a name nobody lists does not
                    # ("vēstniecei Kaijai": feminine, though "Kaijai" ends in -i)
                    genders = {g for c, g in role_forms(toks[r].text) if c == case}
                    if len(genders) == 1:
                        gender = genders.pop()
            if case is None:
                continue
            parts = [surname_nominative(w, case, gender) for w in words]
            out.append(Span(i, end, EntityClass.PERSON, " ".join(parts), "", kind="person", aliases=aliases))
            taken.update({k: out[-1] for k in range(i, end)})
            done = end - 1
        return out

    def _name_word(self, toks: list[Token], i: int, taken: dict[int, Span]) -> bool:
        """Whether token i can be a word of a person's name the lexicon does not know."""
        if i in taken:
            return False
        t = toks[i]
        w = t.text
        if not t.is_word or not _is_capital(t) or len(w) < 2 or is_acronym(w) or not w.replace("-", "").isalpha():
            return False
        low = w.lower()
        if low in self.lex.stopwords or low.endswith(_LOCATIVE_LIKE) or self.lex.head(w) is not None:
            return False
        return stem(w) not in self.lex.roles

    def _role_cases(self, word: str) -> tuple[str, ...]:
        return role_cases(word) if stem(word) in self.lex.roles else ()


@lru_cache(maxsize=20_000)
def role_cases(word: str) -> tuple[str, ...]:
    """The singular cases a role word of data/lexicon/roles.txt stands in ("pārstāvi":
    accusative; "vadītāja": nominative or genitive), none for any other word."""
    return tuple(dict.fromkeys(c for c, _ in role_forms(word)))


@lru_cache(maxsize=20_000)
def role_forms(word: str) -> tuple[tuple[str, str], ...]:
    """The (case, gender) readings of a role word of data/lexicon/roles.txt in the
    singular ("sekretāri": accusative feminine), none for any other word."""
    if not word[:1].isalpha():
        return ()
    found: list[tuple[str, str]] = []
    low = word.lower()
    for noun in _role_nouns().get(stem(word), ()):
        endings = noun_endings(noun)
        base = noun.lemma[: -len(endings["nom"])]
        for c, e in endings.items():
            if low == base + e and (c, noun.gender) not in found and c != "loc":
                found.append((c, noun.gender))
    return tuple(found)


@lru_cache(maxsize=1)
def _role_nouns() -> dict[str, tuple[HeadNoun, ...]]:
    """The nouns of data/lexicon/roles.txt by stem, with the declension their
    nominative shows ("vadītājs" m1, "pārstāvis" m2, "vadītāja" f4, "pārstāve" f5)."""
    out: dict[str, list[HeadNoun]] = {}
    for lemma in _words(data_path("lexicon", "roles.txt")):
        low = lemma.lower()
        if low.endswith(("ais", "ā", "es")) or not low.endswith(("s", "š", "a", "e")):
            continue  # adjectives ("galvenais") and forms that are no nominative
        if low.endswith("is"):
            noun = HeadNoun(low, "m", 2)
        elif low.endswith("us"):
            noun = HeadNoun(low, "m", 3)
        elif low.endswith(("s", "š")):
            noun = HeadNoun(low[:-1] + "s", "m", 1)
        elif low.endswith("a"):
            noun = HeadNoun(low, "f", 4)
        else:
            noun = HeadNoun(low, "f", 5)
        out.setdefault(stem(low), []).append(noun)
    return {k: tuple(v) for k, v in out.items()}


def _state_in(toks: list[Token], i: int, taken: dict[int, Span]) -> bool:
    """Whether token i is a one-word state named in the locative ("Latvijā", "Somijā")."""
    sp = taken.get(i)
    return (
        sp is not None
        and sp.kind == "country"
        and sp.start == i
        and sp.end == i + 1
        and toks[i].text.lower().endswith(("ā", "ē", "ī", "os", "ās"))
    )


def _cap(template: str, word: str) -> str:
    return word[:1].upper() + word[1:] if template[:1].isupper() else word


def _original_after(toks: list[Token], end: int) -> tuple[int, list[str]]:
    """(end, aliases): a name's original spelling in parentheses right after it,
    "Valiants Ričijs (Valiant Richey)", taken into the span as an alias (two words at
    least: one word in parentheses is a state or a body, "Sandra Zalcmane (Latvija)")."""
    n = len(toks)
    if end + 1 < n and toks[end].text == "(":
        k = end + 1
        while k < n and toks[k].text != ")" and k - end < 8:
            k += 1
        inner = toks[end + 1 : k]
        # a full name of two words at least: "(Latvija)" after a name is the person's state
        if k < n and len(inner) >= 2 and all(x.is_word and (_is_capital(x) or x.text in _PARTICLES) for x in inner):
            return k + 1, [" ".join(x.text for x in inner)]
    return end, []


def _coordinated(toks: list[Token], i: int, j: int, by_start: dict[int, Span], by_end: dict[int, Span]) -> bool:
    """Whether tokens i..j are joined by "un" or a comma to a person's name written in
    the nominative."""
    other = None
    if j < len(toks) and toks[j].text in ("un", ","):
        other = by_start.get(j + 1)
    if other is None and i > 0 and toks[i - 1].text in ("un", ","):
        other = by_end.get(i - 1)
    if other is None:
        return False
    written = [t.text for t in toks[other.start : other.end]][: len(other.lemma.split())]
    return " ".join(written) == other.lemma

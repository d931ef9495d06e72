"""Latvian nominal morphology for names: stems for matching, nominatives for labels.

Latvian names inflect only in their head noun and the adjectives that agree with it;
genitive modifiers stay as they are ("Lietuvas Republikas Iekšlietu ministrijas" ->
"Lietuvas Republikas Iekšlietu ministrija"). Two tools follow from that:

* `stem` strips the case ending of one word, so that every case form of a name gives
  the same sequence of stems and a gazetteer name matches all its inflected forms.
* `nominative_phrase` turns an inflected name into its nominative, given the position
  and the lexicon entry of its head noun.

>>> stem("ministrijas") == stem("ministriju") == stem("ministrija")
True
>>> stem("Latvijā") == stem("Latviju")
True
>>> nominative_phrase(["Starptautiskā", "Migrācijas", "politikas", "attīstības", "centra"],
...                   4, HeadNoun("centrs", "m", 1))
'Starptautiskais Migrācijas politikas attīstības centrs'
>>> nominative_phrase(["Apvienotās", "Karalistes", "Neatkarīgā", "komisāra", "biroja"],
...                   4, HeadNoun("birojs", "m", 1))
'Apvienotās Karalistes Neatkarīgā komisāra birojs'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Case endings, longest first. Nouns and adjectives, singular and plural.
_ENDINGS = sorted(
    """ajiem ajām ajās ajos ajam ajai ajā iem ām ēm īm ās ēs īs os us ais ie am ai ei ij
    as es is um im ā ē ī ū o a e i u s š""".split(),
    key=len,
    reverse=True,
)
# Consonant alternation at the end of a stem (brālis/brāļa, valsts/valstu).
_ALTERNATION = str.maketrans({"ļ": "l", "ņ": "n", "č": "c", "ž": "z", "š": "s", "ķ": "k", "ģ": "g"})


# the labial alternation of the second declension: pārstāvis / pārstāvja, zivs / zivju
_LABIAL_J = ("bj", "mj", "pj", "vj", "fj")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A case-insensitive stem: the word less its case ending (at least 3 letters kept)."""
    w = word.lower()
    if not w.isalpha() or len(w) <= 3:
        return w
    for e in _ENDINGS:
        if w.endswith(e) and len(w) - len(e) >= 3:
            s = w[: -len(e)]
            if s.endswith(_LABIAL_J) and len(s) > 3:
                return s[:-1]  # "pārstāvji" is a form of "pārstāvis"
            return s[:-1] + s[-1].translate(_ALTERNATION)
    return w


@dataclass(frozen=True, slots=True)
class HeadNoun:
    lemma: str  # nominative singular (or plural for plural-only nouns)
    gender: str  # "m" or "f"
    declension: int  # 1-6; 0 for plural-only nouns
    plural: bool = False


# Case endings of nouns by (gender, declension): case -> ending (singular).
_NOUN_SG: dict[tuple[str, int], dict[str, str]] = {
    ("m", 1): {"nom": "s", "gen": "a", "dat": "am", "acc": "u", "loc": "ā"},
    ("m", 2): {"nom": "is", "gen": "a", "dat": "im", "acc": "i", "loc": "ī"},
    ("m", 3): {"nom": "us", "gen": "us", "dat": "um", "acc": "u", "loc": "ū"},
    ("f", 4): {"nom": "a", "gen": "as", "dat": "ai", "acc": "u", "loc": "ā"},
    ("f", 5): {"nom": "e", "gen": "es", "dat": "ei", "acc": "i", "loc": "ē"},
    ("f", 6): {"nom": "s", "gen": "s", "dat": "ij", "acc": "i", "loc": "ī"},
}
_NOUN_PL: dict[tuple[str, int], dict[str, str]] = {
    ("m", 1): {"nom": "i", "gen": "u", "dat": "iem", "acc": "us", "loc": "os"},
    ("m", 2): {"nom": "i", "gen": "u", "dat": "iem", "acc": "us", "loc": "os"},
    ("f", 4): {"nom": "as", "gen": "u", "dat": "ām", "acc": "as", "loc": "ās"},
    ("f", 5): {"nom": "es", "gen": "u", "dat": "ēm", "acc": "es", "loc": "ēs"},
    ("f", 6): {"nom": "is", "gen": "u", "dat": "īm", "acc": "is", "loc": "īs"},
}
# Definite adjective (and participle) endings by (gender, plural): case -> ending.
_ADJ: dict[tuple[str, bool], dict[str, str]] = {
    ("m", False): {"nom": "ais", "gen": "ā", "dat": "ajam", "acc": "o", "loc": "ajā"},
    ("f", False): {"nom": "ā", "gen": "ās", "dat": "ajai", "acc": "o", "loc": "ajā"},
    ("m", True): {"nom": "ie", "gen": "o", "dat": "ajiem", "acc": "os", "loc": "ajos"},
    ("f", True): {"nom": "ās", "gen": "o", "dat": "ajām", "acc": "ās", "loc": "ajās"},
}


def noun_endings(head: HeadNoun) -> dict[str, str]:
    table = _NOUN_PL if head.plural else _NOUN_SG
    return table.get((head.gender, head.declension or (4 if head.gender == "f" else 1)), {})


def _lemma_base(head: HeadNoun) -> str:
    nom = noun_endings(head).get("nom", "")
    return head.lemma[: -len(nom)] if nom and head.lemma.endswith(nom) else head.lemma


def head_cases(word: str, head: HeadNoun) -> list[str]:
    """The cases `word` can be in, as a form of `head` (empty when it is not one)."""
    # cached by the head's fields: a tuple of them hashes without HeadNoun's __hash__
    return list(_head_cases(word, head.lemma, head.gender, head.declension, head.plural))


@lru_cache(maxsize=100_000)
def _head_cases(word: str, lemma: str, gender: str, declension: int, plural: bool) -> tuple[str, ...]:
    w = word.lower()
    if stem(w) != stem(lemma.lower()):
        return ()
    endings = noun_endings(HeadNoun(lemma, gender, declension, plural))
    return tuple(c for c, e in endings.items() if w.endswith(e))


def inflect_head(head: HeadNoun, case: str, template: str) -> str:
    """`head` in `case`, keeping the capitalisation of `template`."""
    form = _lemma_base(head) + noun_endings(head).get(case, "")
    return _match_case(form, template)


def _match_case(form: str, template: str) -> str:
    if template.isupper() and len(template) > 1:
        return form.upper()
    if template[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def adjective_to(word: str, gender: str, plural: bool, from_case: str, to_case: str) -> str | None:
    """Re-inflect a definite adjective agreeing in `from_case`; None if it does not agree."""
    table = _ADJ[(gender, plural)]
    src = table[from_case]
    if not word.lower().endswith(src) or len(word) <= len(src) + 2:
        return None
    return word[: -len(src)] + table[to_case]


def agrees(word: str, gender: str, plural: bool, cases: list[str]) -> bool:
    """Whether a definite adjective agrees in one of `cases` (adjective_to(word, ...,
    case, "nom") is not None for one), without making the re-inflected forms."""
    table = _ADJ[(gender, plural)]
    low = word.lower()
    for case in cases:
        src = table[case]
        if low.endswith(src) and len(word) > len(src) + 2:
            return True
    return False


def nominative_phrase(words: list[str], head_index: int, head: HeadNoun) -> str:
    """The nominative of a name whose head noun is words[head_index], joined by spaces."""
    return " ".join(nominative_words(words, head_index, head))


def nominative_words(words: list[str], head_index: int, head: HeadNoun) -> list[str]:
    """The words of a name whose head noun is words[head_index], in the nominative.

    Adjectives before the head that agree with it (same gender, number and case, and
    not agreeing with a nearer noun) are put in the nominative too; genitive modifiers
    and everything after the head stay as written.
    """
    return list(_nominative_words(tuple(words), head_index, head))


@lru_cache(maxsize=50_000)
def _nominative_words(words: tuple[str, ...], head_index: int, head: HeadNoun) -> tuple[str, ...]:
    return tuple(_nominative_words_uncached(words, head_index, head))


def _nominative_words_uncached(words: tuple[str, ...], head_index: int, head: HeadNoun) -> list[str]:
    cases = head_cases(words[head_index], head) or ["nom"]
    case = "nom" if "nom" in cases else cases[0]
    out = list(words)
    out[head_index] = inflect_head(head, "nom", words[head_index])
    if case == "nom":
        return out
    for i in range(head_index - 1, -1, -1):
        w = words[i]
        if w[:1].isupper() and w.endswith("o") and _undeclined(w.lower()):
            continue  # "ANO Palermo protokolu": a foreign name that does not decline
        new = adjective_to(w, head.gender, head.plural, case, "nom")
        if new is None:
            continue
        nxt = words[i + 1] if i + 1 < head_index else None
        if nxt is not None and nxt[:1].islower() and _agrees_with_noun(w, nxt):
            break  # it belongs to the nearer noun ("Neatkarīgā komisāra")
        out[i] = new
    return out


# the suffixes Latvian adjectives and participles end their stems with ("speciālo",
# "starptautisko", "vienīgo", "vispārējo", "vecāko", "apvienoto"): a word in -o after one is
# an adjective's accusative or genitive plural, whatever the lemmatiser knows of it
_ADJECTIVE_STEM_ENDS = ("āl", "isk", "īg", "ēj", "āk", "ak", "ot", "ut", "īt", "ēt", "āt", "in", "ain", "īv", "ār")


@lru_cache(maxsize=20_000)
def _undeclined(word: str) -> bool:
    """Whether a word ending in -o does not decline ("palermo", "kioto"): no adjective's
    stem, and no other form of it the lemmatiser knows ("jauno" is "jauns")."""
    if word[:-1].endswith(_ADJECTIVE_STEM_ENDS):
        return False
    import simplemma

    return str(simplemma.lemmatize(word, lang="lv")) == word


def _agrees_with_noun(adj: str, noun: str) -> bool:
    """Whether a definite adjective plausibly agrees with a following genitive noun."""
    a, n = adj.lower(), noun.lower()
    if a.endswith("ās"):  # feminine genitive singular
        return n.endswith(("as", "es", "s")) and not n.endswith("us")
    if a.endswith("ā"):  # masculine genitive singular
        return n.endswith("a") or n.endswith("us")
    if a.endswith("o"):  # genitive plural
        return n.endswith("u")
    return False


# ---------------------------------------------------------------------------
# the case a name stands in


def guess_noun(nominative: str) -> HeadNoun | None:
    """The declension of a Latvian noun from its nominative (None where the ending says
    nothing: an acronym, a foreign word). Plural-only nouns ("pamatnostādnes",
    "Amerikas Savienotās Valstis") are not told from singular ones here.

    >>> guess_noun("ministrija"), guess_noun("dienests").declension, guess_noun("ICMPD")
    (HeadNoun(lemma='ministrija', gender='f', declension=4, plural=False), 1, None)
    """
    w = nominative.lower()
    if not w.isalpha() or nominative.isupper() or len(w) < 3:
        return None
    if w.endswith("us"):
        return HeadNoun(nominative, "m", 3)
    if w.endswith("is"):
        return HeadNoun(nominative, "m", 2)
    if w.endswith(("s", "š")):
        return HeadNoun(nominative, "m", 1)
    if w.endswith("a"):
        return HeadNoun(nominative, "f", 4)
    if w.endswith("e"):
        return HeadNoun(nominative, "f", 5)
    return None


@lru_cache(maxsize=100_000)
def cases_as(word: str, nominative: str) -> frozenset[str] | None:
    """The cases `word` can stand in as a form of the noun whose nominative (singular) is
    `nominative`, each as "nom", "gen", ... (singular) or "pl:nom", ... (plural); None
    where the noun cannot be inflected by rule (an acronym, a foreign name) or the
    word is not one of its forms.

    >>> sorted(cases_as("ministriju", "ministrija"))
    ['acc', 'pl:gen']
    >>> sorted(cases_as("ministrijām", "ministrija"))
    ['pl:dat']
    >>> cases_as("ICMPD", "ICMPD") is None
    True
    """
    noun = guess_noun(nominative)
    if noun is None:
        return None
    w = word.lower()
    if stem(w) != stem(nominative.lower()):
        return None
    base = _lemma_base(noun).lower()
    found = set()
    for plural, table in ((False, _NOUN_SG), (True, _NOUN_PL)):
        endings = table.get((noun.gender, noun.declension), {})
        for case, ending in endings.items():
            if _alternates(w, base, ending):
                found.add(("pl:" if plural else "") + case)
    return frozenset(found) or None


def _alternates(word: str, base: str, ending: str) -> bool:
    """Whether word is base + ending, allowing the consonant alternation of the genitive
    plural and of the second declension (brālis / brāļa, iestāde / iestāžu)."""
    if not word.endswith(ending):
        return False
    stem_part = word[: len(word) - len(ending)]
    if stem_part == base:
        return True
    if len(stem_part) != len(base) or stem_part[:-1] != base[:-1]:
        return False
    return stem_part[-1].translate(_ALTERNATION) == base[-1]


def noun_cases(word: str, head: HeadNoun) -> frozenset[str]:
    """head_cases of a head noun, in the singular and the plural ("pl:..."): a head of
    the lexicon written in the plural ("ministrijām", "vēstniecību") too.

    >>> sorted(noun_cases("ministrijām", HeadNoun("ministrija", "f", 4)))
    ['pl:dat']
    """
    if head.plural or not head.declension:
        return frozenset(head_cases(word, head))
    return cases_as(word, head.lemma) or frozenset()

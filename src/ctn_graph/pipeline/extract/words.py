"""Word tests and text helpers the finders share: the quote characters, `norm` (the
normalised form names are keyed by), `rebuild`, `_join` and `_tidy` (a name's text), the
cases a name is written in (`_name_cases`, `singular`, the genitive tests of a gazetteer
name's last word), and the tests of one word: `is_verb`, `_is_genitive_like`,
`_is_foreign`, `ends_topic`, `_is_role_like`, `_is_capital`, `_first_word`; out of
spans.py, which re-exports them."""

from __future__ import annotations

import re
from functools import lru_cache

from ..lv.morph import cases_as, stem
from ..text import LATVIAN_MARKED, Token
from .gazetteer import is_acronym

OPEN_QUOTES = '„“"«‘‚'
CLOSE_QUOTES = '”“"»’‘'
ALL_QUOTES = frozenset(OPEN_QUOTES + CLOSE_QUOTES + "'")
_GENITIVE_ENDINGS = ("as", "es", "u", "a", "us", "s", "ņu", "ļu")
_NOT_WORD = re.compile(r"[\W_]+")


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


def _is_capital(tok: Token) -> bool:
    return tok.text[:1].isupper()


@lru_cache(maxsize=50_000)
def _tidy(s: str) -> str:
    s = re.sub(r"\s+([,.)])", r"\1", s)
    s = re.sub(r"\(\s+", "(", s)
    return " ".join(s.split())

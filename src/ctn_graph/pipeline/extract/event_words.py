"""The words of the event finder: the shapes of words it reads (adjectives, participles,
months, places in the locative, relative pronouns) and the word lists of data/lexicon it
reads them with (words that open a clause, verbs of an occasion taking place, days named
without their date, quantifiers, event phrases), with the tests over a clause they make:
whether a clause starts between two words, whether an occasion is said to take place."""

from __future__ import annotations

import re
from functools import lru_cache

from ..lv.morph import stem
from ..text import Token

_ADJ_ENDINGS = ("ais", "ā", "ās", "o", "ajā", "ajai", "ajam", "ie", "ajiem", "ajām", "ajās", "ajos")
# stems of (qualitative) adjectives: "starptautisku", "reģionālu", "ikgadējā", "nozīmīga"
_ADJ_STEM = re.compile(r"(?:isk|isk|āl|īg|ēj)(?:s|a|u|am|ai|ā|as|i|ie|o|os|iem|ām|ās|ais|ajā|ajam|ajai|ajos|ajās)$")
_DIGIT = re.compile(r"\d")
_LOCATIVE_PLACE = re.compile(r"^[A-ZĀČĒĢĪĶĻŅŠŪŽ][a-zāčēģīķļņšūž]+(ā|ē|ī|os|ās|ēs)$")
_MONTH_STEMS = (
    "janvār", "februār", "mart", "aprīl", "aprīļ", "maij", "jūnij",
    "jūlij", "august", "septembr", "oktobr", "novembr", "decembr",
)  # fmt: skip
# a past passive participle agreeing with the event noun: "rīkotais", "organizētajā", "organizēto"
_PARTICIPLE = re.compile(
    r"^\w+(?:ēt|āt|īt|ot|it|ut|st)(?:ais|ā|ās|o|ajā|ajai|ajam|ie|ajiem|ajām|ajās|ajos|s|a|u|am|ai|as|i|os|iem|ām)$"
)
# relative pronouns: ", kas / kurā ..." right after an event noun says something of it
_RELATIVE = frozenset("kas kurš kura kuru kurā kuras kuri kurus kuros kurās kuram kurai kuriem kurām".split())


@lru_cache(maxsize=1)
def _clause_words() -> frozenset[str]:
    """Words that open another clause (data/lexicon/clause_words.txt)."""
    return frozenset(_words("clause_words.txt"))


def _clause_between(toks: list[Token], a: int, b: int) -> bool:
    """Whether another clause starts among toks[a:b] (after an event noun, "konference,
    kas notiks 15. maijā" is its own: the caller starts after the comma and pronoun)."""
    for i in range(max(a, 0), min(b, len(toks))):
        if _word_kind(toks[i].text) == 1 and toks[i].text != ",":
            return True
    return False


def _held(toks: list[Token], h: int) -> bool:
    """Whether a verb saying that an occasion takes place, is held or attended
    (data/lexicon/event_verbs.txt) stands in the event noun's clause, within 8 words:
    "organizēja mācības", "Seminārs notiks", "mācības, kas notika"."""
    n = len(toks)
    for step in (-1, 1):
        k = h + step
        if step == 1 and k + 1 < n and toks[k].text == "," and toks[k + 1].text.lower() in _RELATIVE:
            k += 2
        stop = max(h - 8, 0) - 1 if step < 0 else min(h + 8, n - 1) + 1
        while k != stop:
            kind = _word_kind(toks[k].text)
            if kind == 1:
                break  # another clause
            if kind == 2:
                return True
            k += step
    return False


def _day_word_near(toks: list[Token], h: int) -> bool:
    """Whether a word naming a day without its date (data/lexicon/day_words.txt:
    "piektdien", "vakar") stands in the event noun's clause, within 8 words."""
    n = len(toks)
    for step in (-1, 1):
        k = h + step
        stop = max(h - 8, 0) - 1 if step < 0 else min(h + 8, n - 1) + 1
        while k != stop:
            w = toks[k].text
            if _word_kind(w) == 1:
                break
            if w.lower() in _day_words():
                return True
            k += step
    return False


@lru_cache(maxsize=1)
def _day_words() -> frozenset[str]:
    return frozenset(_words("day_words.txt"))


@lru_cache(maxsize=1)
def _day_hint() -> re.Pattern[str]:
    """A pattern finding the day words in a sentence (whole words, any case)."""
    words = "|".join(sorted(map(re.escape, _day_words()), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=50_000)
def _word_kind(word: str) -> int:
    """1 for a word that opens another clause (or a comma), 2 for a verb of an occasion
    taking place, 0 for any other word."""
    w = word.lower()
    if w == "," or w in _clause_words():
        return 1
    return 2 if w.startswith(_event_verbs()) else 0


@lru_cache(maxsize=1)
def _quantifiers() -> frozenset[str]:
    return frozenset(_words("quantifiers.txt"))


def _words(name: str) -> list[str]:
    """The words of a data/lexicon list, one a line (# comments)."""
    from ...common.resources import data_path

    path = data_path("lexicon", name)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [w for ln in lines if (w := ln.split("#", 1)[0].strip().lower())]


@lru_cache(maxsize=1)
def _event_verbs() -> tuple[str, ...]:
    return tuple(_words("event_verbs.txt"))


@lru_cache(maxsize=1)
def _phrases() -> dict[str, tuple[str, ...]]:
    """Event nouns that name an event only with the words before them (by stem):
    data/lexicon/event_phrases.txt ("apaļais galds")."""
    from ...common.resources import data_path

    out: dict[str, tuple[str, ...]] = {}
    path = data_path("lexicon", "event_phrases.txt")
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            out[stem(words[-1])] = tuple(stem(w) for w in words[:-1])
    return out

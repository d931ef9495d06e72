"""Latvian personal names: the nominative of a given name or surname in any case, and
the transcription of a foreign name ("Valiants Ričijs" of "Valiant Richey").

Latvian names decline like nouns: masculine names of the first declension (-s, -š),
the second (-is, whose genitive alternates the consonant: Jānis -> Jāņa) and the third
(-us); feminine names of the fourth (-a) and the fifth (-e). A foreign name written in
Latvian takes a Latvian ending ("Hartig" -> "Hartigs", accusative "Hartigu").

>>> surname_nominative("Kalniņai", "dat", "f"), surname_nominative("Bērziņa", "gen", "m")
('Kalniņa', 'Bērziņš')
"""

from __future__ import annotations

# A given name in an oblique case -> its nominative: (ending, nominative endings, case),
# the longer endings first. "a" -> "is" also undoes the consonant alternation of the
# genitive of the second declension (Jāņa -> Jānis, Kārļa -> Kārlis).
GIVEN_CASES = (
    ("as", ("a",), "gen"),
    ("es", ("e",), "gen"),
    ("am", ("s", "š"), "dat"),
    ("im", ("is",), "dat"),
    ("um", ("us",), "dat"),
    ("ai", ("a",), "dat"),
    ("ei", ("e",), "dat"),
    ("a", ("s", "š", "is"), "gen"),
    ("u", ("s", "š", "us", "a"), "acc"),
    ("i", ("is", "e"), "acc"),
)
_UNALTERNATE = {"ņ": "n", "ļ": "l", "č": "c", "š": "t", "ž": "d"}
# The initial of an original spelling -> the initials its Latvian transcription may have.
_TRANSCRIBED = {
    "w": ("v",),
    "j": ("dž", "ž"),
    "g": ("dž", "ž"),
    "c": ("k", "č", "s"),
    "q": ("k",),
    "x": ("k", "z"),
    "y": ("j", "i"),
    "p": ("f",),
}


def unalternate(base: str) -> str:
    """The stem of a second-declension noun before the genitive's consonant alternation."""
    if base[-2:] in ("bj", "pj", "mj", "vj", "fj"):
        return base[:-1]
    last = base[-1:]
    return base[:-1] + _UNALTERNATE[last] if last in _UNALTERNATE else base


def gender_by_ending(word: str) -> str:
    """The gender a Latvian or Latvianised given name shows: -a and -e feminine."""
    return "f" if word.lower().endswith(("a", "e")) else "m"


def surname_nominative(word: str, case: str, gender: str) -> str:
    """The nominative of a surname (or a given name the lexicon does not know) in `case`.

    >>> surname_nominative("Paegli", "acc", "f"), surname_nominative("Kalniņai", "dat", "f")
    ('Paegle', 'Kalniņa')
    >>> surname_nominative("Bērziņa", "gen", "m"), surname_nominative("Dombrovskim", "dat", "m")
    ('Bērziņš', 'Dombrovskis')
    """
    if "-" in word:  # "Vīķes-Freibergas": both parts inflect
        return "-".join(surname_nominative(w, case, gender) for w in word.split("-"))
    if case == "nom" or len(word) < 3:
        return word
    w = word.lower()
    if gender == "f":
        for end, repl in _FEMININE.get(case, ()):
            if w.endswith(end) and len(w) > len(end) + 1:
                return word[: -len(end)] + repl
        return word
    for end, repl in _MASCULINE.get(case, ()):
        if w.endswith(end) and len(w) > len(end) + 1:
            return word[: -len(end)] + repl
    return word


_FEMININE = {
    "gen": (("as", "a"), ("es", "e")),
    "dat": (("ai", "a"), ("ei", "e")),
    "acc": (("u", "a"), ("i", "e")),
}
# Masculine surnames: the first declension (-s, -š after -iņ), the second (-is: its
# genitive alternates the consonant before the ending) and the third (-us).
_MASCULINE = {
    "gen": (
        ("iņa", "iņš"),
        ("ņa", "nis"),
        ("ļa", "lis"),
        ("iča", "ičs"),
        ("ča", "cis"),
        ("ša", "tis"),
        ("ķa", "ķis"),
        ("ģa", "ģis"),
        ("ska", "skis"),
        ("cka", "ckis"),
        ("bja", "bis"),
        ("pja", "pis"),
        ("mja", "mis"),
        ("vja", "vis"),
        ("a", "s"),
    ),
    "dat": (("ņam", "ņš"), ("am", "s"), ("im", "is"), ("um", "us")),
    "acc": (("ņu", "ņš"), ("u", "s"), ("i", "is")),
}


def transcribes(words: list[str], original: list[str]) -> bool:
    """Whether Latvian words are a transcription of an original spelling, word by word:
    the same number of words, each beginning as its original does (allowing the letters
    Latvian writes for it: W -> V, J -> Dž, C -> K ...), not all of them the same."""
    if len(words) != len(original) or [w.lower() for w in words] == [o.lower() for o in original]:
        return False
    for w, o in zip(words, original, strict=True):
        lw, lo = w.lower(), o.lower()
        if lw[:1] == lo[:1]:
            continue
        if not any(lw.startswith(a) for a in _TRANSCRIBED.get(lo[:1], "")):
            return False
    return True


def case_from_original(words: list[str], original: list[str], gender: str) -> str:
    """The case of a transcribed name, from the ending it adds to the original spelling:
    "Hartigu" of "Hartig" is an accusative, "Ričijs" of "Richey" a nominative."""
    last, orig = words[-1].lower(), original[-1].lower()
    if last == orig or last.endswith(("s", "š")) or (gender == "f" and last.endswith(("a", "e"))):
        return "nom"
    for case, table in (_FEMININE if gender == "f" else _MASCULINE).items():
        for end, _ in table:
            if last.endswith(end) and last[: -len(end)][:3] == orig[:3]:
                return case
    return "nom"

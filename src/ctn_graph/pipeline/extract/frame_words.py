"""The cases and words the frames read, and what kind of name a span is: the cases an
argument may stand in (NOMINATIVE, GENITIVE, the instrumental of "ar", the cases after
"no"), the small word sets several frames share (quotes, joiners, pronouns, the copula,
the locative endings), the word lists of data/lexicon/ read by their stems, and the tests
of a span the frames choose their arguments by (a project, an organisation, a country, a
fund, a group, a name in one of some cases, a role word)."""

from __future__ import annotations

from functools import cache, lru_cache

from ...common.resources import data_path
from ...ir import EntityClass
from ..lv.morph import stem
from .spans import Span

# the cases an argument may stand in (None: a name whose case its form does not tell)
NOMINATIVE = frozenset({"nom", "pl:nom"})
GENITIVE = frozenset({"gen", "pl:gen"})
INSTRUMENTAL = frozenset({"acc", "pl:dat"})  # "ar" with a singular accusative / plural dative
FROM = frozenset({"gen", "pl:dat"})  # "no" with a singular genitive / plural dative
ANY: frozenset[str] = frozenset()


_PRONOUNS = frozenset({"to", "tā", "tas", "tam", "tajā"})


_JOINERS = frozenset({",", "un", "kā", "arī", "–", "-", "—", ";", "•"})
_QUOTES = frozenset("\"„“”«»'")


@cache
def _stems_of(name: str) -> frozenset[str]:
    """The stems of a word list in data/lexicon/ (one word a line, # comments)."""
    path = data_path("lexicon", name)
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(stem(ln.strip()) for ln in lines if ln.strip() and not ln.startswith("#"))


_LOCATIVE = ("ā", "ē", "ī", "ās", "ēs", "os", "īs")


def _is_project(sp: Span) -> bool:
    return sp.kind == "project"


def _is_org(sp: Span) -> bool:
    return sp.cls.is_organisation


def _is_country(sp: Span) -> bool:
    return sp.cls is EntityClass.COUNTRY


def _in_case(sp: Span, cases: frozenset[str]) -> bool:
    return not cases or sp.cases is None or not sp.cases.isdisjoint(cases)


def _head_stem(sp: Span) -> str:
    words = sp.lemma.replace('"', " ").split()
    if sp.parent is not None and sp.aliases:
        words = sp.aliases[0].split() or words
    for w in reversed(words):
        if w[:1].isalpha() and w.lower() == w:
            return stem(w)
    return stem(words[-1]) if words else ""


def is_funder_name(sp: Span) -> bool:
    """A fund, programme or financial instrument: its project is one it pays for."""
    heads = _stems_of("funders.txt")
    return any(stem(w) in heads for w in sp.lemma.lower().split())


def is_group(sp: Span) -> bool:
    heads = _stems_of("collectives.txt")
    return _is_org(sp) and any(stem(w) in heads for w in sp.lemma.lower().replace('"', " ").split())


@lru_cache(maxsize=100_000)
def _is_role_word(word: str) -> bool:
    """Whether a word names a person's role (cached by word)."""
    from .lexicon import load_lexicon

    return word[:1].isalpha() and stem(word) in load_lexicon().roles


_COPULA = frozenset({"ir", "bija", "būs", "kļuva", "kļūs", "kļuvusi", "kļuvis", "kā", ","})

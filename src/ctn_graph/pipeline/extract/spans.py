"""Find the names in one sentence: gazetteer matches, institution patterns, projects,
NGOs, persons and policy documents. Each becomes a `Span` over the sentence's tokens.

Latvian institution names are found by their head noun ("... ministrija",
"... dienests", "... pārvalde"): the extractor walks left over the genitive modifiers
and agreeing adjectives to the name's capitalised first word, and puts the head (and
the adjectives that agree with it) in the nominative.

The sentence's finders are here and in the modules SentenceExtractor is made of:
known_names.py (the gazetteer's names), heads.py (head nouns and what is read around
them), institutions.py (a name walked over from its head); the Span record and the F_*
bits are in span.py, the word tests in words.py. Every name this module defined before
it was split is importable from it still.
"""

from __future__ import annotations

from collections.abc import Container
from functools import lru_cache

from ...ir import EntityClass
from ..lv.morph import stem
from ..text import Token
from .gazetteer import Gazetteer
from .heads import (
    _ADJECTIVE_FORMS,
    _CIVIL_SOCIETY_HEADS,
    _MISSING,
    _NOMINAL_ENDINGS,
    _YEAR,
    HeadReader,
    _compound_lemma,
    _head_word_stem,
    heads_in,
)
from .institutions import (
    _CIVIC_HEADS,
    _LOCATED,
    _LOCATIVE_ENDINGS,
    _ORDINAL,
    InstitutionFinder,
    _quoted_name_after,
    _state_bodies,
    capital_start,
)
from .known_names import KnownNames
from .lexicon import HeadEntry, Lexicon, international_prefixes
from .span import (
    F_COMPANY,
    F_CUE,
    F_EVENT_HEAD,
    F_FOREIGN,
    F_GAZ,
    F_ORG_HEAD,
    F_PERSON,
    F_POLICY_HEAD,
    F_PROJECT,
    F_ROLE,
    PROJECT_STEMS,
    Span,
)
from .words import (
    _GENITIVE_ENDINGS,
    _LATVIAN_LETTERS,
    _NOT_WORD,
    _PARTICIPLE_ENDINGS,
    ALL_QUOTES,
    CLOSE_QUOTES,
    OPEN_QUOTES,
    _country_genitive,
    _first_word,
    _is_capital,
    _is_foreign,
    _is_genitive_like,
    _is_role_like,
    _join,
    _lemmatize,
    _lower_genitive_word,
    _name_cases,
    _org_genitive,
    _plain_words,
    _plural_genitives,
    _quoted_flags,
    _tidy,
    ends_topic,
    is_verb,
    norm,
    rebuild,
    singular,
)

# every name this module defined before the split, the moved ones re-exported from the
# modules above
__all__ = [
    "SentenceExtractor",
    "_dependent_units",
    "_orphan_unit",
    "Span",
    "F_ORG_HEAD",
    "F_EVENT_HEAD",
    "F_POLICY_HEAD",
    "F_PROJECT",
    "PROJECT_STEMS",
    "F_PERSON",
    "F_CUE",
    "F_GAZ",
    "F_ROLE",
    "F_FOREIGN",
    "F_COMPANY",
    "OPEN_QUOTES",
    "CLOSE_QUOTES",
    "ALL_QUOTES",
    "_GENITIVE_ENDINGS",
    "_NOT_WORD",
    "norm",
    "rebuild",
    "_join",
    "_org_genitive",
    "_country_genitive",
    "_name_cases",
    "_plain_words",
    "_quoted_flags",
    "singular",
    "_first_word",
    "_LATVIAN_LETTERS",
    "_is_foreign",
    "_lower_genitive_word",
    "_is_genitive_like",
    "ends_topic",
    "_plural_genitives",
    "_is_role_like",
    "_PARTICIPLE_ENDINGS",
    "is_verb",
    "_lemmatize",
    "_is_capital",
    "_tidy",
    "_MISSING",
    "_head_word_stem",
    "_ADJECTIVE_FORMS",
    "_NOMINAL_ENDINGS",
    "HeadReader",
    "_YEAR",
    "_CIVIL_SOCIETY_HEADS",
    "heads_in",
    "_compound_lemma",
    "_LOCATED",
    "_LOCATIVE_ENDINGS",
    "_ORDINAL",
    "_state_bodies",
    "InstitutionFinder",
    "_CIVIC_HEADS",
    "_quoted_name_after",
    "capital_start",
    "KnownNames",
]


@lru_cache(maxsize=1)
def _dependent_units() -> frozenset[str]:
    from ...common.resources import data_path

    lines = data_path("lexicon", "dependent_units.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(stem(ln.strip()) for ln in lines if ln.strip() and not ln.startswith("#"))


def _orphan_unit(sp: Span, dependent: frozenset[str]) -> bool:
    """A department or division named without its body, in two words or at the start of a
    line (a signature): not read as a name."""
    if sp.parent is not None or sp.qualifier is not None or _head_word_stem(sp) not in dependent:
        return False
    return sp.start == 0 or len(sp.lemma.split()) < 3


class SentenceExtractor(KnownNames, InstitutionFinder):
    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon, default_country: str = "LV"):
        self.gaz = gazetteer
        self.lex = lexicon
        self.default_country = default_country
        self._head_cache = {}
        # international(): "X*" is a prefix; "X" the whole name or its first word(s)
        marks = lexicon.international
        self._intl_exact = frozenset(m.lower() for m in marks if not m.endswith("*"))
        self._intl_prefixes = international_prefixes(marks)[0]
        # the countries alone: the state a foreign body's gazetteer name begins with
        self._countries = Gazetteer(e for e in gazetteer.entries.values() if e.cls is EntityClass.COUNTRY)
        self._begins_with_state = {}  # by gazetteer name

    # ------------------------------------------------------------------ patterns
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

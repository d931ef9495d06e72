"""Names written in their own language: "Fundación Esperanza", "Stiftung gegen
Menschenhandel", "Associazione Nuovi Orizzonti", "Bundesministerium des Innern".

Latvian texts keep a foreign body's name as the body writes it, uninflected, where they
do not translate it. Such a name has no Latvian head noun for the pattern finder, and a
person finder would read two capitalised words as a person. What makes it an
organisation's name is a word of the body's own language that says what it is (a
foundation, an association, a ministry, a police: data/lexicon/foreign_orgs.tsv), inside a
run of capitalised words joined by that language's small words ("de", "für", "of").

The name keeps its written form (it does not decline); its country is what the sentence
says ("... no Spānijas", "(Itālija)", "Vācijas organizācija ..."), never the text's home
country by default (DocumentExtractor._assign).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from ...common.resources import data_path
from ...ir import EntityClass
from ..text import LATVIAN_MARKED, Token

# the small words inside foreign names: articles, prepositions, conjunctions
_JOINERS = frozenset(
    """de del della delle dei di da do dos das du des d' la le les los las el il lo l' et e y i
    and of for the against für gegen und zur zum der die das den van voor het en per pour contre
    na dla w ve pro to para por contra pela pelo al alla zu im am auf an""".split()
)
# an article or a capitalised joiner that may begin a name ("La Strada", "The Salvation")
_ARTICLES = frozenset("La Le Les El Los Las Il Lo Die Der Das The De Het".split())


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, EntityClass], tuple[tuple[str, EntityClass], ...], tuple[tuple[str, EntityClass], ...]]:
    exact: dict[str, EntityClass] = {}
    ends: list[tuple[str, EntityClass]] = []
    starts: list[tuple[str, EntityClass]] = []
    for line in data_path("lexicon", "foreign_orgs.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "word\t")):
            continue
        word, cls = line.split("\t")
        if word.startswith("*"):
            ends.append((word[1:].lower(), EntityClass(cls)))
        elif word.endswith("*"):
            starts.append((word[:-1], EntityClass(cls)))
        else:
            exact[word] = EntityClass(cls)
    return exact, tuple(ends), tuple(starts)


@lru_cache(maxsize=100_000)
def foreign_org_word(word: str) -> EntityClass | None:
    """The class a word of a foreign body's name gives it ("Stiftung": NGO), or None."""
    if not word[:1].isupper():
        return None
    exact, ends, starts = _table()
    found = exact.get(word)
    if found is not None:
        return found
    low = word.lower()
    for end, cls in ends:
        if low.endswith(end) and len(low) > len(end):
            return cls
    for start, cls in starts:
        if word.startswith(start):
            return cls
    return None


def _name_word(text: str) -> bool:
    """A capitalised word a foreign name may hold: letters, no Latvian diacritic (a Latvian
    word after the name, "Latvijā", ends it)."""
    return text[:1].isupper() and text.replace("-", "").isalpha() and not any(c in LATVIAN_MARKED for c in text)


def foreign_spans(
    toks: list[Token], heads: list[int], occupied: Mapping[int, object]
) -> list[tuple[int, int, EntityClass]]:
    """(start, end, class) of each foreign name around the tokens `heads` (those whose
    word says what the body is): at least two words, none inside a name found already."""
    out: list[tuple[int, int, EntityClass]] = []
    taken = -1
    n = len(toks)
    for h in heads:
        if h < taken or h in occupied:
            continue
        cls = foreign_org_word(toks[h].text)
        if cls is None:
            continue
        a = h
        while a > 1 and a - 1 not in occupied:
            # "Save the Children Foundation": capitalised words before, and joiners between
            # them (not the sentence's first word: any Latvian word is capitalised there)
            if _name_word(toks[a - 1].text):
                a -= 1
                continue
            j = a
            while j > 1 and j - 1 not in occupied and toks[j - 1].text.lower() in _JOINERS:
                j -= 1
            if j == a or j - 1 < 1 or j - 1 in occupied or not _name_word(toks[j - 1].text):
                break
            a = j - 1
        if a == h and h > 0 and toks[h - 1].text in _ARTICLES and h - 1 not in occupied:
            a = h - 1
        b = h + 1
        while b < n and b not in occupied:
            if _name_word(toks[b].text):
                b += 1
                continue
            j = b  # joiners ("para la", "des", "of the") count only before a name word
            while j < n and j not in occupied and toks[j].text.lower() in _JOINERS:
                j += 1
            if j == b or j >= n or j in occupied or not _name_word(toks[j].text):
                break
            b = j + 1
        if b - a < 2:
            continue
        if a > 1 and toks[a - 1].text == "(" and a - 2 in occupied:
            continue  # "Apvienība ... (Association for Aid to Migrants, Polija)": the name's own alias
        out.append((a, b, cls))
        taken = b
    return out

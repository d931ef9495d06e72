"""The head nouns of institution names and what is read around them: HeadReader (a
trait of SentenceExtractor's bases) finds a token's head-noun entry (compounds too),
the neighbour named before a name, the parent or country it is attached to, whether a
name is international, and a name's purpose complement ("... apkarošanai"); with the
module-level helpers `heads_in`, `_compound_lemma` and `_head_word_stem`; out of spans.py,
which re-exports them."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator

from mypy_extensions import trait

from ...ir import EntityClass
from ..lv.morph import HeadNoun, agrees, head_cases, stem
from ..text import Token
from .gazetteer import Gazetteer, is_acronym, token_key
from .lexicon import HeadEntry, Lexicon
from .span import Span
from .words import _is_capital, _is_genitive_like, _is_role_like, is_verb

_MISSING = object()


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


@trait  # (mypyc: a class of SentenceExtractor's several bases)
class HeadReader:
    lex: Lexicon
    gaz: Gazetteer
    _head_cache: dict[str, tuple[HeadEntry, bool] | None]
    # international(): "X*" is a prefix; "X" the whole name or its first word(s)
    _intl_exact: frozenset[str]
    _intl_prefixes: tuple[str, ...]

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
        if (low + " ").startswith(self._intl_prefixes):
            return False  # "Starptautiskās Migrācijas organizācijas birojs": an international body's first word
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

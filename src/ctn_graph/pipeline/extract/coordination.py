"""Several bodies named with one head noun in the plural.

Latvian names several bodies of one kind by coordinating what sets them apart before a
shared head in the plural:

* "Iekšlietu, Tieslietu un Izglītības un zinātnes ministrijām" (the ministries of the
  interior, of justice and of education and science);
* "ASV, Čehijas un Vācijas vēstniecību darbinieki" (the embassies of three states);
* "Latvijas un Lietuvas robežsardzes" (two states' border guards).

Each conjunct becomes a name of its own: "Iekšlietu ministrija", "Čehijas vēstniecība"
(a state's body takes that state for its country). A conjunct is a capitalised word in
the genitive (with the lower-case words that continue it after "un": "Izglītības un
zinātnes") or a state named in the genitive; two at least, joined by commas, "un" or
"kā arī", and closed by the head ("... un citu vēstniecību": "the others" is not a name).
"""

from __future__ import annotations

from collections.abc import Container

from ...ir import EntityClass
from ..lv.morph import nominative_phrase, noun_cases, stem
from ..text import Token
from .gazetteer import is_acronym
from .lexicon import HeadEntry, Lexicon
from .spans import Span, _is_genitive_like

# heads that name no one body of a state ("a country's police")
_GENERIC_FOR_STATES = frozenset({stem("policija"), stem("tiesa"), stem("pašvaldība"), stem("iestāde")})
_OTHERS = frozenset({"citu", "citām", "citiem", "dažādu", "vairāku", "abu", "visu"})
_JOIN = frozenset({",", "un"})
_DASHES = frozenset({"–", "-", "—"})


_PLURAL_HEADS: dict[str, HeadEntry | None] = {}


def _plural_head(word: str, lex: Lexicon) -> HeadEntry | None:
    """The lexicon's head of an institution a word is a plural form of (cached by word)."""
    if word in _PLURAL_HEADS:
        return _PLURAL_HEADS[word]
    found = _plural_head_of(word, lex)
    if len(_PLURAL_HEADS) > 100_000:
        _PLURAL_HEADS.clear()
    _PLURAL_HEADS[word] = found
    return found


def _plural_head_of(word: str, lex: Lexicon) -> HeadEntry | None:
    entry = lex.head(word)
    if entry is None or entry.kind not in ("org", "unit") or entry.noun.plural:
        return None
    cases = noun_cases(word, entry.noun)
    return entry if any(c.startswith("pl:") for c in cases) else None


def _only_plural(word: str, entry: HeadEntry) -> bool:
    return all(c.startswith("pl:") for c in noun_cases(word, entry.noun))


def coordinated_spans(
    toks: list[Token], spans: list[Span], lex: Lexicon, heads: list[int], home: str | None = None
) -> list[Span]:
    """The names of the conjuncts before every plural head at `heads` (token indexes)
    that no name covers yet."""
    heads = [h for h in heads if _plural_head(toks[h].text, lex) is not None]
    if not heads:
        return []
    occupied = {i for sp in spans for i in range(sp.start, sp.end)}
    countries = {sp.end: sp for sp in spans if sp.kind == "country"}
    out: list[Span] = []
    ending = {sp.end: sp for sp in spans if sp.is_org}
    for h in heads:
        entry = _plural_head(toks[h].text, lex)
        if entry is None:
            continue
        last = ending.get(h + 1) if h in occupied else None
        qualifier = countries.get(h)
        if last is not None and last.start == h and qualifier is not None:
            # "Lietuvas un Igaunijas vēstniecību": the last state's body is read already
            j = qualifier.start - 1
            if j < 1 or toks[j].text not in _JOIN:
                continue
            items = [it for it in _conjuncts(toks, j, occupied, countries, lex.first_names) if it[2] is not None]
            if not items:
                continue
            items.append((qualifier.start, qualifier.end, qualifier))
        elif h in occupied:
            # "Iekšlietu un Labklājības ministriju": the gazetteer read the last conjunct
            # with the head ("Labklājības ministriju"); the others stand before it
            if last is None or last.start == h or last.qualifier is not None or not _capital_genitive(toks[last.start]):
                continue
            j = last.start - 1
            if j < 1 or toks[j].text not in _JOIN:
                continue
            if toks[j].text == "," and not _only_plural(toks[h].text, entry):
                continue  # "Ģenerālprokuratūras, Rīgas domes": a comma alone, a head that may be singular
            items = _conjuncts(toks, j, occupied, countries, lex.first_names)
            if not items:
                continue
            items.append((last.start, h + 1, None))
        else:
            items = _conjuncts(toks, h, occupied, countries, lex.first_names)
            if len(items) >= 2 and not _only_plural(toks[h].text, entry):
                # "Ģenerālprokuratūras, Rīgas domes": with a head that may be singular, a list
                # joined by commas alone names bodies each with its own head
                a, b, _c = items[-1]
                joined = a > 0 and toks[a - 1].text == "un" or a > 1 and toks[a - 1].text.lower() == "arī"
                others = any(t.text == "un" for t in toks[b:h])  # "..., Vācijas un citu vēstniecību"
                if not (joined or others):
                    continue
        if any(c is not None for _, _, c in items) and stem(entry.noun.lemma) in _GENERIC_FOR_STATES:
            continue  # "Latvijas un Lielbritānijas policijas": each state's police in general
        if len(items) < 2:
            continue
        head_lemma = nominative_phrase([entry.noun.lemma], 0, entry.noun).lower()
        for n, (a, b, country) in enumerate(items):
            if last is not None and n == len(items) - 1:
                break  # the gazetteer's name of the last conjunct stands
            final = n == len(items) - 1
            text = " ".join(t.text for t in toks[a:b] if t.text not in _DASHES)
            sp = Span(
                a,
                h + 1 if final and country is None else b,
                entry.cls,
                # a state's body: the extractor puts the state's name before its head
                head_lemma if country is not None else f"{text} {head_lemma}",
                "",
                kind="org",
                # the case of the shared head: each conjunct is one body named in the plural
                cases=frozenset(c for c in noun_cases(toks[h].text, entry.noun) if c.startswith("pl:")),
            )
            if country is not None:
                sp.country, sp.qualifier = country.country, country
            elif home is not None and entry.cls is not EntityClass.INTERNATIONAL_ORGANISATION:
                sp.country = home  # "Iekšlietu un Tieslietu ministrijas": the home state's
            out.append(sp)
        occupied.update(range(items[0][0], h + 1))
    return out


def _conjuncts(
    toks: list[Token], h: int, occupied: set[int], countries: dict[int, Span], given: Container[str]
) -> list[tuple[int, int, Span | None]]:
    """(first token, token after, the state it names) of each conjunct before token h,
    in order; a capitalised genitive after a given name (`given`: lower-case nominatives)
    is a person's surname, not a conjunct ("Ilze Kalna un Tieslietu ministrija")."""
    items: list[tuple[int, int, Span | None]] = []
    i = h
    if i > 0 and toks[i - 1].text in _DASHES:
        i -= 1
    if i > 0 and toks[i - 1].text.lower() in _OTHERS:
        i -= 1  # "... un citu vēstniecību"
        if i > 0 and toks[i - 1].text == "un":
            i -= 1
    while i > 0:
        c = countries.get(i)
        # a state in the genitive, or one whose name shows no case (ASV, Lesoto)
        if c is not None and (c.genitive or c.cases is None or "gen" in c.cases):
            items.insert(0, (c.start, c.end, c))
            i = c.start
        else:
            end = i
            k = i
            # lower-case genitives after "un" continue the conjunct ("Izglītības un zinātnes")
            while k > 0 and k - 1 not in occupied and _lower_genitive(toks[k - 1]):
                k -= 1
            joined = k > 1 and toks[k - 1].text == "un" and _capital_genitive(toks[k - 2]) and k - 2 not in occupied
            if k < end and joined:
                k -= 2
            elif k < end:
                break  # lower-case words alone do not name a body
            while k > 0 and k - 1 not in occupied and _capital_genitive(toks[k - 1]):
                k -= 1
            if k == end or k in occupied:
                break
            if k > 0 and toks[k - 1].text[:1].isupper() and toks[k - 1].text.lower() in given:
                break
            if k + 1 < end and toks[k].text.lower() in given:
                break  # "priekšsēdētāja Anna Liepa un Valsts policijas ...": a person's name
            items.insert(0, (k, end, None))
            i = k
        if i > 0 and toks[i - 1].text in _JOIN:
            i -= 1
            if i > 0 and toks[i - 1].text.lower() == "arī" and i > 1 and toks[i - 2].text.lower() == "kā":
                i -= 2
            continue
        break
    return items


def _capital_genitive(t: Token) -> bool:
    w = t.text
    if not (w[:1].isupper() and w.isalpha() and not is_acronym(w) and _is_genitive_like(w)):
        return False
    low = w.lower()
    # "-s" is the genitive of the sixth declension ("Valsts"), not of "Ozols", "Andris"
    return not low.endswith("s") or low.endswith(("as", "es", "us", "ts"))


def _lower_genitive(t: Token) -> bool:
    w = t.text
    return w[:1].islower() and w.isalpha() and _is_genitive_like(w) and w not in ("un",)


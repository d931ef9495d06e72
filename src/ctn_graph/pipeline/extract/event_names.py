"""The parts of an event's name around its noun: the adjectives before it, the case of the
noun (reflexive nouns such as "tikšanās" too) and its nominative, the place named after it
in the locative, a quoted title after it, and the complement that belongs to the name (a
purpose, an audience in the dative, a topic, whom a meeting is with)."""

from __future__ import annotations

from ..lv.morph import HeadNoun, agrees, head_cases, stem
from ..text import Token
from .event_words import _ADJ_ENDINGS, _ADJ_STEM, _LOCATIVE_PLACE, _PARTICIPLE, _event_verbs, _quantifiers
from .gazetteer import is_acronym
from .quotes import _clean_quoted, quoted_ranges
from .spans import OPEN_QUOTES, Span, _is_genitive_like, is_verb

# what stands between an event noun and its quoted title: "ar nosaukumu", "par tēmu"
_TITLE_LEAD = frozenset({"ar", "par", "nosaukumu", "tēmu", ":", "–", "-"})
# indefinite adjective endings by (gender, plural): case -> ending
_INDEF: dict[tuple[str, bool], dict[str, str]] = {
    ("m", False): {"nom": "s", "gen": "a", "dat": "am", "acc": "u", "loc": "ā"},
    ("f", False): {"nom": "a", "gen": "as", "dat": "ai", "acc": "u", "loc": "ā"},
    ("m", True): {"nom": "i", "gen": "u", "dat": "iem", "acc": "us", "loc": "os"},
    ("f", True): {"nom": "as", "gen": "u", "dat": "ām", "acc": "as", "loc": "ās"},
}


def _adjectives_before(
    toks: list[Token], start: int, noun: HeadNoun, cases: list[str], occupied: dict[int, Span], stop: frozenset[str]
) -> int:
    """Where the adjectives agreeing with an event noun before its name start (up to three:
    "nākamā reģionālā apaļā galda diskusija", "starptautisku semināru"); `start` if none.
    Not a participle, which brings who did it ("... organizētais seminārs"), nor a number."""
    a = start
    while a > 0 and start - a < 3 and a - 1 not in occupied:
        t = toks[a - 1]
        w = t.text.lower()
        if not t.is_word or w in stop or w in _quantifiers() or t.text[:1].isupper() and a - 1 > 0:
            break
        if _PARTICIPLE.match(w) or not (w.endswith(_ADJ_ENDINGS) or _ADJ_STEM.search(w)):
            break
        if w.startswith(_event_verbs()):
            break  # "norisinājās seminārs": a verb of taking place, in a form like an adjective's
        if not _agrees_any(w, noun, cases):
            break
        a -= 1
    return a


def _indefinite_nominative(adjectives: list[str], made: list[str], noun: HeadNoun, cases: list[str]) -> list[str]:
    """`made` (nominative_words of the adjectives and the name after them) with the
    indefinite adjectives it left as written put in the nominative too: "starptautisku
    semināru" -> "starptautisks seminārs"."""
    table = _INDEF[(noun.gender, noun.plural)]
    out = list(made)
    for i, word in enumerate(adjectives):
        if out[i] != word:
            continue  # a definite form, made nominative already
        for c in cases:
            ending = table.get(c)
            if ending and word.endswith(ending) and len(word) > len(ending) + 3:
                out[i] = word[: -len(ending)] + table["nom"]
                break
    return out


def _project_acronym(sp: Span, toks: list[Token]) -> bool:
    """Whether a name is a project's acronym ("HESTIA"): written the same in every case, it
    names the project an event noun right after it belongs to ("HESTIA apaļā galda diskusija")."""
    return sp.kind == "project" and sp.end - sp.start == 1 and is_acronym(toks[sp.start].text)


def _genitive(sp: Span, toks: list[Token]) -> bool:
    """Whether a name stands in the genitive: not where its last word is written as in its
    nominative ("Ministru kabinets ... sēdē" names the Cabinet, not its session)."""
    if not sp.genitive:
        return False
    last = toks[sp.end - 1].text
    return not (sp.lemma and last.lower() == sp.lemma.split()[-1].lower() and sp.gaz is not None)


def event_cases(word: str, noun: HeadNoun) -> list[str]:
    """The cases `word` can be in as a form of the event noun (reflexive nouns such as
    "tikšanās" / "tikšanos" too)."""
    if _reflexive(noun):
        w = word.lower()
        base = noun.lemma[: -len("ās")]
        if w == noun.lemma:
            return ["nom", "gen"]
        if w == base + "os":
            return ["acc"]
        return []
    return head_cases(word, noun)


def _reflexive_at(toks: list[Token], h: int) -> bool:
    return toks[h].text.lower().endswith(("šanās", "šanos"))


def _reflexive(noun: HeadNoun) -> bool:
    return noun.lemma.endswith("šanās")


def _head_nominative(word: str, noun: HeadNoun, made: str) -> str:
    if not _reflexive(noun):
        return made
    return noun.lemma[:1].upper() + noun.lemma[1:] if word[:1].isupper() else noun.lemma


def _agrees_any(word: str, noun: HeadNoun, cases: list[str]) -> bool:
    """Whether an adjective or participle agrees with the noun, in its definite or its
    indefinite form."""
    if agrees(word, noun.gender, noun.plural, cases):
        return True
    table = _INDEF[(noun.gender, noun.plural)]
    return any(word.endswith(table[c]) and len(word) > len(table[c]) + 3 for c in cases)


def _genitive_agreement(adj: str, noun: str) -> bool:
    """A genitive adjective before the genitive noun it agrees with ("apaļā galda")."""
    if adj.endswith("ās"):
        return noun.endswith(("as", "es", "s")) and not noun.endswith("us")
    if adj.endswith("ā"):
        return noun.endswith("a")
    if adj.endswith("o"):
        return noun.endswith("u")
    return False


def _genitive_at(toks: list[Token], j: int, occupied: dict[int, Span]) -> bool:
    sp = occupied.get(j)
    if sp is not None:
        return sp.genitive
    t = toks[j]
    return t.is_word and _is_genitive_like(t.text) and not t.text.lower().endswith(_ADJ_ENDINGS)


def _preceded_by(toks: list[Token], h: int, stems: tuple[str, ...]) -> bool:
    k = len(stems)
    if h < k:
        return False
    return tuple(stem(t.text) for t in toks[h - k : h]) == stems


def _place_after(
    toks: list[Token], k: int, occupied: dict[int, Span], stop: frozenset[str]
) -> tuple[str | None, str | None, int]:
    """(the nominative of a place named in the locative right after an event noun, the
    place as written, the token after it): "sanāksme Kalmārā", "mācības Latvijā" (not
    "mācības Latvijā rezidējošo ...", where the place belongs to the word after it)."""
    n = len(toks)
    if k >= n:
        return None, None, k
    sp = occupied.get(k)
    if sp is not None:
        if sp.kind != "country" or sp.start != k or not _LOCATIVE_PLACE.match(toks[sp.end - 1].text):
            return None, None, k
        place, after = sp.lemma, sp.end
    elif _LOCATIVE_PLACE.match(toks[k].text) and toks[k].text.lower() not in stop:
        place, after = place_nominative(toks[k].text), k + 1
    else:
        return None, None, k
    if after < n and toks[after].is_word:
        w = toks[after].text.lower()
        if not (w in stop or is_verb(w) or w == "un"):
            return None, None, k
    return place, " ".join(t.text for t in toks[k:after]), after


def _title_after(toks: list[Token], k: int, text: str, base: int) -> tuple[str | None, int]:
    """A quoted title right after an event noun (and its place), or after "ar
    nosaukumu" / "par tēmu": (the title, the token after its closing quote)."""
    n = len(toks)
    j = k
    while j < n and j - k < 3 and toks[j].text.lower() in _TITLE_LEAD:
        j += 1
    if j >= n or toks[j].text not in OPEN_QUOTES:
        return None, k
    if j > k and not any(toks[i].text.lower() in ("nosaukumu", "tēmu", ":") for i in range(k, j)):
        return None, k
    at = toks[j].start - base
    for qs, qe in quoted_ranges(text):
        if qs == at:
            title = _clean_quoted(text[qs:qe])
            e = j
            while e < n and toks[e].end <= qe + base:
                e += 1
            if not any(c.isalpha() for c in title):
                return None, k
            return title, e
    return None, k


def _name_tail(
    toks: list[Token],
    k: int,
    occupied: dict[int, Span],
    complement,
    stop: frozenset[str],  # noqa: ANN001
) -> int:
    """What follows an event noun and belongs to its name: a purpose ("cīņai pret
    cilvēku tirdzniecību"), the audience in the dative ("konsulārajām amatpersonām",
    "Tiesībsarga biroja darbiniekiem"), a topic ("par cilvēku tirdzniecību")."""
    n = len(toks)
    end = complement(toks, k, occupied) if complement is not None else k
    # the audience: genitive modifiers and agreeing adjectives up to a noun in the dative
    j = end
    while j < n and j - end < 6:
        sp = occupied.get(j)
        if sp is not None:
            if not sp.genitive:
                break
            j = sp.end  # "Tiesībsarga biroja darbiniekiem"
            continue
        t = toks[j]
        w = t.text.lower()
        if not t.is_word or w in stop or is_verb(w):
            break
        if w.endswith(("iem", "ām", "ēm")) and not w.endswith(("ajiem", "ajām")) and len(w) > 5:
            end = j + 1
            break
        if not (_is_genitive_like(w) or w.endswith(("ajām", "ajiem"))):
            break
        j += 1
    # the topic: "par" and the lower-case words it governs, up to a noun not in the genitive
    # (and for a meeting, "tikšanās ar ...": whom with)
    lead = toks[end].text.lower() if end < n else ""
    if lead == "ar" and _reflexive_at(toks, k - 1):
        whom = _with_whom(toks, end + 1, occupied)
        if whom is not None:
            return whom
    if (lead == "par" or lead == "ar" and _reflexive_at(toks, k - 1)) and end not in occupied:
        j = end + 1
        last = None
        while j < n and j - end < 9 and toks[j].is_word and toks[j].text[:1].islower() and j not in occupied:
            w = toks[j].text.lower()
            if (w in stop and w != "un") or is_verb(w):
                break
            if not _is_genitive_like(w) or w.endswith("u"):
                last = j  # "par cilvēku tirdzniecību": accusative ends the topic (or a word like it)
            j += 1
        if last is not None:
            end = last + 1
    return end


def _with_whom(toks: list[Token], j: int, occupied: dict[int, Span]) -> int | None:
    """Where "tikšanās ar ..." ends when it names bodies: over their names in the genitive
    (a list of them, with commas and "un") up to the noun in the dative plural they
    modify: "tikšanās ar Valsts policijas, Robežsardzes un Ropažu novada bāriņtiesas
    pārstāvjiem" (the token after that noun; None when the phrase is not that)."""
    n = len(toks)
    start = j
    bodies = False
    while j < n and j - start < 24:
        sp = occupied.get(j)
        if sp is not None:
            if not (sp.is_org and sp.genitive):
                return None
            bodies = True
            j = sp.end
            continue
        w = toks[j].text.lower()
        if w in (",", "un"):
            j += 1
            continue
        if not toks[j].is_word or not toks[j].text[:1].islower():
            return None
        if w.endswith(("iem", "ām", "ēm")) and len(w) > 5:
            return j + 1 if bodies else None
        if not _is_genitive_like(w):
            return None
        j += 1
    return None


def place_nominative(word: str) -> str:
    """The nominative of a place named in the locative: Briselē -> Brisele, Rīgā -> Rīga."""
    for loc, nom in (("ajās", "as"), ("os", "i"), ("ās", "as"), ("ēs", "es"), ("ā", "a"), ("ē", "e")):
        if word.endswith(loc) and len(word) > len(loc) + 2:
            return word[: -len(loc)] + nom
    return word


def _names_after(toks: list[Token], h: int) -> bool:
    """Whether what follows a bare event noun can name it: an audience in the dative
    ("mācības sociālajiem darbiniekiem"), a topic ("par ..."), whom a meeting is with."""
    if h + 1 >= len(toks):
        return False
    w = toks[h + 1].text.lower()
    return w == "par" or w == "ar" and _reflexive_at(toks, h) or w.endswith(("iem", "ām", "ēm", "ai", "am"))

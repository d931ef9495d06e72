"""Events: meetings, conferences, trainings and visits, with their date, place and title.

An event noun (data/lexicon/heads.tsv, kind `event`) names one occasion when the text
ties something to it that only one occasion has:

* a quoted title after it: konference „Cilvēku tirdzniecībai – NĒ!”, seminārs ar
  nosaukumu „...”;
* the day or month it begins: "2015.gada 13.aprīlī organizēja mācības", "no 21. līdz
  22. septembrim ... semināru", "Ministru kabineta 2014.gada 14.janvāra sēde";
* the body or project that holds it, in the genitive: "Padomes Vecāko amatpersonu
  komitejas sanāksme", "Eiropas Padomes rīkotais seminārs";
* its place right after it: "sanāksme Kalmārā".

Its name is what the text calls it: the owner or a project's acronym before the noun
("HESTIA apaļā galda diskusija"), the adjectives before it ("Reģionālais seminārs"), a
topic or audience after it ("par ...", "tikšanās ar ... pārstāvjiem").

A bare noun ("Seminārā piedalījās ...") only refers back to an event named elsewhere in
the text. `merge_events` makes the mentions of one event in a document one node: the
same noun, or the same day, with no date, place or title that differs; the node is named
by its title where it has one, and dated with its first day (the year from the page's
publication date where the text gives only day and month).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from mypy_extensions import trait

from ...ir import EntityClass
from ..dates import DateMark, publication_offsets, read_dates
from ..dates import find_dates as _find_dates
from ..lv.morph import HeadNoun, agrees, head_cases, nominative_words, stem
from ..text import Token
from .gazetteer import is_acronym
from .lexicon import Lexicon
from .quotes import _clean_quoted, quoted_ranges
from .spans import F_EVENT_HEAD, OPEN_QUOTES, Span, _is_genitive_like, _tidy, is_verb, norm, rebuild

if TYPE_CHECKING:
    from .state import DocState, SentenceSpans

_ADJ_ENDINGS = ("ais", "ā", "ās", "o", "ajā", "ajai", "ajam", "ie", "ajiem", "ajām", "ajās", "ajos")
# stems of (qualitative) adjectives: "starptautisku", "reģionālu", "ikgadējā", "nozīmīga"
_ADJ_STEM = re.compile(r"(?:isk|isk|āl|īg|ēj)(?:s|a|u|am|ai|ā|as|i|ie|o|os|iem|ām|ās|ais|ajā|ajam|ajai|ajos|ajās)$")
_YEAR_RANGE = re.compile(r"^\d{4}\.?$")
_DAY = re.compile(r"\d{1,2}\.")
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
# what stands between an event noun and its quoted title: "ar nosaukumu", "par tēmu"
_TITLE_LEAD = frozenset({"ar", "par", "nosaukumu", "tēmu", ":", "–", "-"})
# dates that are not the start of an occasion: deadlines and time since
_NOT_START = frozenset({"līdz", "kopš", "pirms", "pēc", "sākot"})
# indefinite adjective endings by (gender, plural): case -> ending
_INDEF: dict[tuple[str, bool], dict[str, str]] = {
    ("m", False): {"nom": "s", "gen": "a", "dat": "am", "acc": "u", "loc": "ā"},
    ("f", False): {"nom": "a", "gen": "as", "dat": "ai", "acc": "u", "loc": "ā"},
    ("m", True): {"nom": "i", "gen": "u", "dat": "iem", "acc": "us", "loc": "os"},
    ("f", True): {"nom": "as", "gen": "u", "dat": "ām", "acc": "as", "loc": "ās"},
}


@dataclass(slots=True)
class EventReading:
    """What the event finder read about one event mention (Span.detail), for merge_events."""

    head: str  # stem of the event noun
    offset: int  # character offset of the event noun in the document
    title: str | None = None
    mark: DateMark | None = None  # the date it begins, as written
    named: bool = False  # an owner or modifiers name it beyond its noun
    weak: bool = False  # it only names an event the text makes one elsewhere (merge_events)
    firm: bool = False  # its date is its own, or the sentence says it takes place then
    day: bool = False  # placed on a day the text names without its date ("piektdien")
    described: str | None = None  # its name with the adjectives before it, another name of it


@trait  # (mypyc: a class of NameFinder's several bases)
class EventFinder:
    lex: Lexicon

    # ---------------------------------------------------------------- events
    def event_spans(
        self,
        toks: list[Token],
        text: str,
        base: int,
        occupied: dict[int, Span],
        heads: list[int] | None = None,
        complement=None,  # noqa: ANN001 - SentenceExtractor.complement: a purpose after the noun
    ) -> list[Span]:
        """The event mentions of a sentence: an event noun with what names it ("projekta
        uzsākšanas sanāksme", "Padomes Vecāko amatpersonu komitejas sanāksme Kalmārā",
        "divu dienu mācības", "konference „...”"), its place and date."""
        out: list[Span] = []
        marks: list[tuple[int, int, DateMark]] | None = None  # the sentence's dates by token, read once
        phrases = _phrases()
        # a sentence with no date and no quote makes no event of a bare noun: it can only name
        # one the text dates or titles elsewhere, and only a noun with more than itself does
        plain = not (
            _DIGIT.search(text)
            or "gad" in text
            or quoted_ranges(text)
            or _day_hint().search(text)
            or _names_month(text)
        )
        for h in range(len(toks)) if heads is None else heads:
            if h in occupied:
                continue
            entry = self.lex.head(toks[h].text)
            if entry is None or entry.kind != "event":
                continue
            noun = entry.noun
            cases = event_cases(toks[h].text, noun)
            if not cases:
                continue
            needed = phrases.get(stem(noun.lemma))
            if needed is not None and not _preceded_by(toks, h, needed):
                continue  # "galds" is an event only as "apaļais galds"
            if h + 1 < len(toks) and (nxt := self.lex.head(toks[h + 1].text)) is not None and nxt.kind == "event":
                continue  # "apaļā galda diskusija": a modifier of the event noun after it
            if h > 0 and (toks[h - 1].text.lower() in _quantifiers() or toks[h - 1].text.isdigit()):
                continue  # "divas konferences", "5 semināri": occasions counted, none named
            start, owner = self._left(toks, h, noun, cases, occupied)
            if start == h and owner is None:
                if plain:
                    continue
                # a bare noun: an event only with a title, a place, a named day or a verb of
                # taking place, or a name for one after it; most are none, found at a glance
                after_head = toks[h + 1].text if h + 1 < len(toks) else ""
                if not (
                    after_head in OPEN_QUOTES
                    or after_head.lower() in _TITLE_LEAD
                    or h + 1 in occupied
                    or _LOCATIVE_PLACE.match(after_head)
                    or _names_after(toks, h)
                    or h > 0
                    and toks[h - 1].text.lower().startswith(_MONTH_STEMS)
                    or _held(toks, h)
                ):
                    continue
            end = h + 1
            place, written, after = _place_after(toks, end, occupied, self.lex.stopwords)
            tail = None  # where the name's complement ends, found once needed
            title, title_end = _title_after(toks, after, text, base)
            if title is None and place is None and quoted_ranges(text):
                tail = _name_tail(toks, h + 1, occupied, complement, self.lex.stopwords)
                title, title_end = _title_after(toks, tail, text, base)  # seminārs skolotājiem „...”
            if title is not None:
                end = title_end
            elif place is not None and after - 1 not in occupied:
                end = after
            # "Dānijas ārlietu ministra organizētā konference": named, not held, by a state
            holder = None if owner is not None and owner.kind == "country" else owner
            bare = start == h and not (title or holder is not None or place)
            held = _held(toks, h) if bare else None  # (found below where it matters)
            weak = False  # a mention that only names an event found elsewhere in the text
            mark: DateMark | None = None
            own = False
            day = False
            if bare and not held and not (h > 0 and toks[h - 1].text.lower().startswith(_MONTH_STEMS)):
                weak = True  # a bare noun not said to take place ("... ka mācības ir svarīgas"), nor dated as its own
            else:
                if marks is None:
                    marks = _token_marks(toks, text, base)
                mark, own = _date_for(toks, h, owner.start if owner is not None else start, marks)
                if not (title or holder is not None or place or mark is not None and mark.precision >= 2):
                    if held is None:
                        held = _held(toks, h)
                    if held and _day_word_near(toks, h):
                        day = True  # "piektdien piedalījās videokonferencē": an occasion, its date unwritten
                    elif held and mark is not None and start < h and _names_after(toks, h):
                        pass  # "2003. gadā noticis vairāku dienu seminārs par ...": a named occasion, its year
                    else:
                        weak, mark = True, None  # "sanāksmē" alone refers to an event, or to none
            modifier = cases == ["gen"] and h + 1 < len(toks) and toks[h + 1].text[:1].islower()
            if modifier and toks[h + 1].is_word and not is_verb(toks[h + 1].text):
                tail = h + 1  # "mācību cikls", "semināra dalībnieki": the event noun modifies the next
            if weak:
                # "Mācības sociālajiem darbiniekiem" (a headline): a name for the event the text dates
                if start == h and (modifier or not _names_after(toks, h)):
                    continue
                tail = tail or _name_tail(toks, h + 1, occupied, complement, self.lex.stopwords)
                if start == h and tail == h + 1 and owner is None:
                    continue
            if tail is None:
                tail = h + 1 if place is not None else _name_tail(toks, h + 1, occupied, complement, self.lex.stopwords)
            words = [x.text for x in toks[start : h + 1]]
            idx = list(range(start, h + 1))
            nom = list(words) if _reflexive(noun) else nominative_words(words, h - start, noun)
            nom[-1] = _head_nominative(toks[h].text, noun, nom[-1])
            name = rebuild(toks, idx, nom, text, base)
            rest = ""  # what follows the noun in the name
            described = None  # the name with the adjectives before it: "Nākamā reģionālā apaļā galda diskusija"
            if owner is None and not _reflexive(noun):
                a = _adjectives_before(toks, start, noun, cases, occupied, self.lex.stopwords)
                if a < start:
                    more = _indefinite_nominative(
                        [x.text for x in toks[a:start]],
                        nominative_words([x.text for x in toks[a : h + 1]], h - a, noun),
                        noun,
                        cases,
                    )
                    described = rebuild(toks, list(range(a, h + 1)), more, text, base)
                    acronym = occupied.get(a - 1)
                    if acronym is not None and _project_acronym(acronym, toks):
                        described = f"{toks[a - 1].text} {described}"  # "HESTIA reģionālais seminārs"
            if owner is not None and (owner.kind != "project" or _project_acronym(owner, toks)):
                # "Padomes ... komitejas sanāksme", "HESTIA apaļā galda diskusija": the body or
                # the project's acronym stays in the name (not a project's title in the genitive)
                owner_text = text[toks[owner.start].start - base : toks[owner.end - 1].end - base]
                name = f"{owner_text} {name}"
            if tail > h + 1:
                rest = f" {text[toks[h + 1].start - base : toks[tail - 1].end - base]}"
            if written:
                rest = f"{rest} {written}"
            name = _tidy(name[:1].upper() + name[1:] + rest)
            aliases = [title] if title else []
            if described is not None:
                aliases.append(_tidy(described[:1].upper() + described[1:] + rest))
            sp = Span(start, end, EntityClass.EVENT, name, "", kind="event", aliases=aliases)
            sp.location = place
            sp.date = mark.iso() if mark is not None and mark.year is not None else None
            sp.detail = EventReading(
                stem(noun.lemma),
                toks[h].start,
                title,
                mark,
                holder is not None or start < h or own,
                weak=weak,
                day=day,
                described=aliases[-1] if described is not None else None,
                firm=own or title is not None or mark is not None and (held if held is not None else _held(toks, h)),
            )
            out.append(sp)
        return out

    def _left(
        self, toks: list[Token], h: int, noun: HeadNoun, cases: list[str], occupied: dict[int, Span]
    ) -> tuple[int, Span | None]:
        """Where the name of the event noun at h starts, walking left over what names it,
        and the body or project that holds it (named in the genitive just before)."""
        stop = self.lex.stopwords
        j = h - 1
        nouns = 0
        while j >= 0 and h - j <= 8 and j not in occupied:
            t = toks[j]
            w = t.text.lower()
            if _YEAR_RANGE.match(w) or _DAY.fullmatch(w) or w in ("gada", "g.", "-", "–"):
                j -= 1  # "Ministru kabineta 2014.gada 14.janvāra sēde"
                continue
            if not t.is_word:
                break
            if j == h - 1 and j > 0 and _PARTICIPLE.match(w) and _agrees_any(w, noun, cases):
                if not _genitive_at(toks, j - 1, occupied):
                    break
                j -= 1  # "Eiropas Padomes rīkotais seminārs", "ministra organizētā konference"
                continue
            if w in stop or is_verb(w) or w.startswith(_event_verbs()) and not _PARTICIPLE.match(w):
                break  # a verb of taking place the lemmatiser does not know: "Viļņā norisinājās seminārs"
            if w.endswith(("ā", "ās", "o")) and j + 1 < h and _genitive_agreement(w, toks[j + 1].text.lower()):
                if j + 1 not in occupied and _is_genitive_like(toks[j + 1].text):
                    j -= 1  # "apaļā galda diskusija", "Vecāko amatpersonu komitejas sanāksme"
                    continue
            if w.endswith(_ADJ_ENDINGS) or _ADJ_STEM.search(w):
                break  # "starptautisku semināru": an adjective, not a name
            if not _is_genitive_like(t.text) or w.endswith("us"):
                break
            nouns += 1
            if nouns > 3 and not w.startswith(_MONTH_STEMS):
                break
            j -= 1
        owner = occupied.get(j) if j >= 0 else None
        if owner is not None and not (
            _genitive(owner, toks)
            and (owner.is_org or owner.kind in ("project", "country"))
            or _project_acronym(owner, toks)
        ):
            owner = None
        if owner is None:
            while j + 1 < h and (not toks[j + 1].is_word or toks[j + 1].text.lower() in ("gada", "g")):
                j += 1  # a name does not start with a date: "2021. gada 28. septembra sēde"
            if j + 1 < h and toks[j + 1].text.lower().startswith(_MONTH_STEMS) and _DAY.fullmatch(toks[j].text):
                j += 1
        return j + 1, owner


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


def _names_month(text: str) -> bool:
    """Whether a text holds a month's name (a month alone can date an event)."""
    low = text.lower()
    return any(m in low for m in _MONTH_STEMS)


def _token_marks(toks: list[Token], text: str, base: int) -> list[tuple[int, int, DateMark]]:
    """The dates of a sentence with the tokens they cover: (first, after last, date).
    The first token of a date is found by bisection of the tokens' ends (which grow), not
    by a scan from the sentence's start for every date."""
    out: list[tuple[int, int, DateMark]] = []
    if not _DIGIT.search(text) and "gad" not in text and not _names_month(text):
        return out  # (a month alone dates it too: "Jūnijā notiks sanāksme")
    ends: list[int] | None = None
    n = len(toks)
    for m in sentence_marks(text):
        if ends is None:
            ends = [t.end for t in toks]
        a = bisect.bisect_right(ends, m.start + base)  # the first token ending after the date's start
        if a == n:
            continue
        b = a
        while b < len(toks) and toks[b].start - base < m.end:
            b += 1
        out.append((a, b, m))
    return out


def _date_for(
    toks: list[Token], h: int, start: int, marks: list[tuple[int, int, DateMark]]
) -> tuple[DateMark | None, bool]:
    """The date an event noun's occasion begins (`start`: where its name starts): its own,
    in the genitive before or inside its name ("2014.gada 14.janvāra sēde", "2006.gada
    7. – 8.novembra Padomes ... sanāksmē"), or the nearest date of its clause that is no
    other noun's ("2014.gada 21.janvārī apstiprinātās pamatnostādnes", "līdz 1. martam",
    "2008.gada jūnijā Rīgā pieņemtajā deklarācijā"); and whether it was its own."""
    best: tuple[int, DateMark] | None = None
    best_at = -1
    n = len(toks)
    for at, (a, b, m) in enumerate(marks):
        if start <= a and b <= h or m.genitive and b == start:
            return m, True
        before = toks[a - 1].text.lower() if a > 0 else ""
        if before in _NOT_START or before == "(":
            continue
        if m.genitive:
            continue  # "2010.gada 3.marta rīkojums": the day of another noun
        k = b
        if k < n and _LOCATIVE_PLACE.match(toks[k].text):
            k += 1  # "2008.gada jūnijā Rīgā pieņemtajā ..."
        if k < n and toks[k].is_word and _PARTICIPLE.match(toks[k].text.lower()) and not (k < h <= k + 4):
            continue  # "2014.gada 21.janvārī apstiprinātās ...": the day of what follows
        if b <= start:
            if _clause_between(toks, b, start):
                continue
        else:
            k = h + 1
            if k + 1 < n and toks[k].text == "," and toks[k + 1].text.lower() in _RELATIVE:
                k += 2  # "konference, kas notiks 15. maijā": the clause is about the event
            if _clause_between(toks, k, a):
                continue
        dist = a - h if a > h else h - b
        if best is None or dist < best[0] or dist == best[0] and m.precision > best[1].precision:
            best = (dist, m)
            best_at = at
    if best is None:
        return None, False
    # "22. novembrī un 23. novembrī", "trešdien, 15. novembrī un ceturtdien, 16. novembrī":
    # the days of one occasion, which begins on the first
    while best_at > 0 and _joined_days(toks, marks[best_at - 1][1], marks[best_at][0]):
        first = marks[best_at - 1][0]
        if first > 0 and toks[first - 1].text.lower() in _NOT_START:
            break
        best_at -= 1
    return marks[best_at][2], False


def _joined_days(toks: list[Token], b: int, a: int) -> bool:
    """Whether what stands between two dates (toks[b:a]) joins them as days of one
    occasion: "un", a comma or a dash, and the names of their weekdays."""
    between = [toks[i].text.lower() for i in range(b, a)]
    return "un" in between and all(w in ("un", ",", "-", "–") or w in _day_words() for w in between)


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


@lru_cache(maxsize=64)
def sentence_marks(text: str) -> list[DateMark]:
    """dates.read_dates of a sentence, kept for the few sentences read last."""
    return read_dates(text)


@lru_cache(maxsize=64)
def sentence_dates(text: str) -> list[tuple[int, int, str]]:
    """dates.find_dates of a sentence (dates with their year, written with digits)."""
    return _find_dates(text) if _DIGIT.search(text) else []


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


# ---------------------------------------------------------------- one node per event
def merge_events(state: DocState) -> None:
    """Make the event mentions of one document one node per occasion, named by its
    title where it has one, and dated (the year from the publication date above it where
    the text gives only day and month, else from the last date before it with a year).
    A mention that only names an event ("Mācības sociālajiem darbiniekiem", a headline)
    joins the one event of its noun in the text, or is dropped."""
    found = [
        (ss, sp)
        for ss in state.sentences
        if ss.analysed.flags & F_EVENT_HEAD
        for sp in ss.spans
        if sp.kind == "event" and sp.detail is not None
    ]
    if not found:
        return
    doc = state.doc
    pubs: list[tuple[int, str]] | None = None
    years: list[tuple[int, int]] | None = None
    clusters: list[_Cluster] = []
    weak: list[tuple[SentenceSpans, Span]] = []
    for ss, sp in found:
        r: EventReading = sp.detail  # type: ignore[assignment]
        if r.weak:
            weak.append((ss, sp))
            continue
        date = sp.date
        if date is None and r.mark is not None:
            if pubs is None:
                pubs = publication_offsets(doc.text)
            published = _published_before(pubs, r.offset)
            date = r.mark.iso(published)
            if date is None and not published and r.mark.relative is None:
                if years is None:
                    years = _dated_years(doc.text)
                date = r.mark.iso(_year_before(years, r.offset))  # "2019. gada 7. oktobrī ... 6. oktobrī"
        c = _find_cluster(clusters, r, date, sp.location)
        if c is not None and not c.takes(r, date, sp.location):
            date = None  # joined as a mention whose sentence gives it no firm date
        if c is None:
            c = _Cluster()
            clusters.append(c)
        c.add(sp, r, date)
    for ss, sp in weak:
        r = sp.detail  # type: ignore[assignment]
        same = [c for c in clusters if r.head in c.heads]
        if len(same) == 1 and same[0].takes(r, None, sp.location):
            same[0].add(sp, r, None)
        else:
            ss.spans.remove(sp)
    # a text that dates one occasion speaks of it where it names an event without a date
    # or title: "ANO ... biroja sanāksme Vīnē" (the headline) and "12. oktobrī ... notika ...
    # Pušu konference"
    dated = [c for c in clusters if c.date]
    if len(dated) == 1:
        one = dated[0]
        for c in [c for c in clusters if not c.date and not c.title]:
            if not (c.place and one.place and c.place != one.place):
                for sp in c.spans:
                    one.add(sp, sp.detail, None)  # type: ignore[arg-type]
                clusters.remove(c)
    # an event is a dated or titled occasion: a meeting named only by its body or place
    # ("EDSO ekspertu vizīte Latvijā") with no day, month or title is none
    owner_of = {id(sp): ss for ss, sp in found}
    for c in [c for c in clusters if not (c.date or c.title or c.day)]:
        for sp in c.spans:
            owner_of[id(sp)].spans.remove(sp)
        clusters.remove(c)
    labels: dict[str, int] = {}
    for c in clusters:
        label = c.label()
        key = norm(label)
        if key in labels:
            labels[key] += 1
            key = f"{key} {c.date or labels[key]}"
        else:
            labels[key] = 1
        names = list(dict.fromkeys(n for n in (*c.names, *c.described) if n != label))
        for sp in c.spans:
            sp.key = f"event:{doc.id}:{key}"
            sp.lemma = label
            sp.aliases = names
            sp.date = c.date
            sp.location = c.place


def _dated_years(text: str) -> list[tuple[int, int]]:
    """(end offset, year) of the dates in a text that give a month and a year, in order."""
    return [(m.end, m.year) for m in read_dates(text) if m.year is not None and m.month is not None]


def _year_before(years: list[tuple[int, int]], offset: int) -> str | None:
    """The year of the last date with a year written before an offset (of _dated_years),
    as a publication date for a day and month that give none ("2019. gada 7. oktobrī ...,
    6. oktobrī"). The text is read for dates once, not once per event."""
    i = bisect.bisect_right(years, (offset, 10_000))
    return f"{years[i - 1][1]:04d}-12-31" if i else None


@dataclass(slots=True)
class _Cluster:
    spans: list[Span] = field(default_factory=list)
    heads: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    title: str | None = None
    date: str | None = None
    place: str | None = None
    named: str | None = None  # the first name with more than its noun
    described: list[str] = field(default_factory=list)  # names with the adjectives before them
    day: bool = False  # a day or month is written for it (its year perhaps not)

    def add(self, sp: Span, r: EventReading, date: str | None) -> None:
        self.spans.append(sp)
        if (r.day or r.mark is not None and r.mark.precision >= 2) and not r.weak:
            self.day = True
        self.heads.add(r.head)
        self.names.append(sp.lemma)
        if r.described:
            self.described.append(r.described)
        if r.title and not self.title:
            self.title = r.title
        if date and (self.date is None or len(date) > len(self.date)):
            self.date = date
        if sp.location and not self.place:
            self.place = sp.location
        if r.named and self.named is None:
            self.named = sp.lemma

    def label(self) -> str:
        if self.title:
            return self.title
        if self.described:
            return self.described[0]  # "Reģionālais seminārs par ...": as the text describes it
        if self.named:
            return self.named
        return max(self.names, key=len)

    def takes(self, r: EventReading, date: str | None, place: str | None) -> bool:
        if r.title and self.title and norm(r.title) != norm(self.title):
            return False
        if date and self.date and not (date.startswith(self.date) or self.date.startswith(date)):
            return False
        return not (place and self.place and place != self.place)


def _find_cluster(clusters: list[_Cluster], r: EventReading, date: str | None, place: str | None) -> _Cluster | None:
    """The event an event mention is one more mention of: the same title; else the latest
    of the same noun with nothing that differs (a date the sentence does not firmly give
    it does not differ); else one of the same day."""
    if r.title:
        for c in clusters:
            if c.title and norm(c.title) == norm(r.title):
                return c
    for c in reversed(clusters):
        if r.head in c.heads and c.takes(r, date, place):
            return c
    if not r.firm:
        for c in reversed(clusters):
            if r.head in c.heads and c.takes(r, None, place):
                return c
    if date and len(date) == 10:
        for c in reversed(clusters):
            if c.date == date and c.takes(r, date, place):
                return c
    return None


def _published_before(pubs: list[tuple[int, str]], offset: int) -> str | None:
    """The publication date of the news item holding an offset: the nearest date line
    above it, else the first one below."""
    best = None
    for at, iso in pubs:
        if at <= offset:
            best = iso
        elif best is None:
            return iso
        else:
            break
    return best

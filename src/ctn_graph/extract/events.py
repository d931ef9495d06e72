"""Events: meetings, conferences, trainings and visits, with their place and date."""

from __future__ import annotations

import re
from functools import lru_cache

from ..ingest import find_dates as _find_dates
from ..ir import EntityClass
from ..lv.morph import nominative_words
from ..text import Token
from .lexicon import Lexicon
from .quotes import _clean_quoted, quoted_ranges
from .spans import Span, _is_genitive_like, _tidy, heads_in, is_verb, rebuild

_MONTHS = (
    "janvār",
    "februār",
    "mart",
    "aprīl",
    "maij",
    "jūnij",
    "jūlij",
    "august",
    "septembr",
    "oktobr",
    "novembr",
    "decembr",
)
_ADJ_ENDINGS = ("ais", "ā", "ās", "o", "ajā", "ajai", "ajam", "ie", "ajiem", "ajām", "ajās", "ajos")
_YEAR_RANGE = re.compile(r"^\d{4}\.?$")
_DAY = re.compile(r"\d{1,2}\.")
_DIGIT = re.compile(r"\d")


class EventFinder:
    lex: Lexicon

    # ---------------------------------------------------------------- events
    def event_spans(
        self, toks: list[Token], text: str, base: int, occupied: dict[int, Span], heads: list[int] | None = None
    ) -> list[Span]:
        """Meetings, conferences, trainings and visits: an event noun with what names it
        ("projekta uzsākšanas sanāksme", "Padomes Vecāko amatpersonu komitejas sanāksme
        Kalmārā", "divu dienu mācības"), its place and, from the sentence, its date."""
        out: list[Span] = []
        date_in_sentence: bool | None = None  # found at the first event noun that needs it
        for h, entry, _cases in heads_in(self.lex, toks, "event", occupied, heads):
            j = h - 1
            while j >= 0 and h - j <= 6 and j not in occupied:
                w = toks[j].text.lower()
                if _YEAR_RANGE.match(w) or _DAY.fullmatch(w) or w in ("gada", "-", "–"):
                    j -= 1  # "Ministru kabineta 2014.gada 14.janvāra sēde"
                    continue
                if not toks[j].is_word or w in self.lex.stopwords or is_verb(w) or w.endswith(_ADJ_ENDINGS):
                    break
                if not _is_genitive_like(w) or w.endswith("us") or h - j > 3 and not w.startswith(_MONTHS):
                    break
                j -= 1
            owner = occupied.get(j)
            if owner is None:
                while j + 1 < h and not toks[j + 1].is_word:
                    j += 1  # a name does not start with a number
            start = j + 1
            if owner is not None and not (owner.genitive and (owner.is_org or owner.kind == "project")):
                owner = None
            end = h + 1
            place = None
            if end < len(toks) and end not in occupied and _LOCATIVE_PLACE.match(toks[end].text):
                place = toks[end].text
                end += 1
            title = None
            k = end
            if k < len(toks) and toks[k].text in '„“"«':
                for qs, qe in quoted_ranges(text):
                    if qs + base == toks[k].start:
                        title = _clean_quoted(text[qs:qe])
            if start == h and owner is None:
                continue  # "sanāksmē" alone names no event
            if not (owner is not None or place or title):
                if date_in_sentence is None:
                    date_in_sentence = bool(sentence_dates(text)) or "šā gada" in text.lower()
                if not date_in_sentence:
                    continue  # an event is a dated, placed or titled occasion
            words = [x.text for x in toks[start : h + 1]]
            idx = list(range(start, h + 1))
            name = rebuild(toks, idx, nominative_words(words, h - start, entry.noun), text, base)
            if owner is not None:
                owner_text = text[toks[owner.start].start - base : toks[owner.end - 1].end - base]
                name = f"{owner_text} {name}" if owner.kind != "project" else name
            if place:
                name = f"{name} {place}"
            name = _tidy(name[:1].upper() + name[1:])
            sp = Span(start, end, EntityClass.EVENT, name, "", kind="event", aliases=[title] if title else [])
            sp.location = place_nominative(place) if place else None
            own = _dates(text[toks[start].start - base : toks[h].end - base])
            if own:
                sp.date = own[0][2]  # "Ministru kabineta 2014.gada 14.janvāra sēde": its own date first
            out.append(sp)
        return out


@lru_cache(maxsize=64)
def sentence_dates(text: str) -> list[tuple[int, int, str]]:
    """ingest.find_dates of a sentence, kept for the few sentences read last: the event
    finder and the dating of its events ask about the same sentence."""
    return _dates(text)


def _dates(text: str) -> list[tuple[int, int, str]]:
    """ingest.find_dates: every date it finds is written with digits."""
    return _find_dates(text) if _DIGIT.search(text) else []


_LOCATIVE_PLACE = re.compile(r"^[A-ZĀČĒĢĪĶĻŅŠŪŽ][a-zāčēģīķļņšūž]+(ā|ē|ī|os|ās|ēs)$")


def place_nominative(word: str) -> str:
    """The nominative of a place named in the locative: Briselē -> Brisele, Rīgā -> Rīga."""
    for loc, nom in (("ajās", "as"), ("os", "i"), ("ās", "as"), ("ēs", "es"), ("ā", "a"), ("ē", "e")):
        if word.endswith(loc) and len(word) > len(loc) + 2:
            return word[: -len(loc)] + nom
    return word

"""The dates of events: the dates of a sentence with the tokens they cover, read once per
sentence (and kept for the few sentences read last), and the date an event noun's occasion
begins: its own, in the genitive before or inside its name, or the nearest date of its
clause that is no other noun's (the first of the days of one occasion)."""

from __future__ import annotations

import bisect
from functools import lru_cache

from ..dates import _ANY_MONTH, DateMark, read_dates
from ..dates import find_dates as _find_dates
from ..text import Token
from .event_words import (
    _DIGIT,
    _LOCATIVE_PLACE,
    _PARTICIPLE,
    _RELATIVE,
    _clause_between,
    _day_hint,
    _day_words,
)

# dates that are not the start of an occasion: deadlines and time since
_NOT_START = frozenset({"līdz", "kopš", "pirms", "pēc", "sākot"})


def _names_month(text: str) -> bool:
    """Whether a text holds a month's name (a month alone can date an event)."""
    return _ANY_MONTH.search(text.lower()) is not None  # dates.read_dates's month pattern


def _token_marks(toks: list[Token], text: str, base: int) -> list[tuple[int, int, DateMark]]:
    """The dates of a sentence with the tokens they cover: (first, after last, date).
    The first token of a date is found by bisection of the tokens' ends (which grow), not
    by a scan from the sentence's start for every date."""
    out: list[tuple[int, int, DateMark]] = []
    if not _DIGIT.search(text) and "gad" not in text and not _names_month(text) and not _day_hint().search(text):
        return out  # (a month alone dates it too: "Jūnijā notiks sanāksme", and "vakar")
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


@lru_cache(maxsize=64)
def sentence_marks(text: str) -> list[DateMark]:
    """dates.read_dates of a sentence, kept for the few sentences read last."""
    return read_dates(text)


@lru_cache(maxsize=64)
def sentence_dates(text: str) -> list[tuple[int, int, str]]:
    """dates.find_dates of a sentence (dates with their year, written with digits)."""
    return _find_dates(text) if _DIGIT.search(text) else []

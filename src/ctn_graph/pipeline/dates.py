"""Dates in Latvian documents: the publication date of a page, and the dates a text names
("2018. gada 23. martā", "23.03.2018.", "šā gada maijā"), with where they stand."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date as _date
from datetime import timedelta as _timedelta

_MONTHS = {
    "janvār": 1, "februār": 2, "mart": 3, "aprīl": 4, "maij": 5, "jūnij": 6,
    "jūlij": 7, "august": 8, "septembr": 9, "oktobr": 10, "novembr": 11, "decembr": 12,
}  # fmt: skip


MONTHS = "|".join(_MONTHS).replace("aprīl", "aprī[lļ]")  # the month stems, for patterns ("aprīļa" too)


_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\.?(?!\d)")


_WORD_DATE = re.compile(
    rf"((?:19|20)\d{{2}})\.\s*gada\s+(\d{{1,2}})\.\s*(?:[-–]\s*\d{{1,2}}\.\s*)?({MONTHS})\w*",
    re.IGNORECASE,
)


def publication_dates(text: str) -> tuple[str, ...]:
    """ISO dates of the lines that are a date alone ("18.10.2018.", "Publicēts: 16.01.2020.")."""
    out: list[str] = []
    for line in text.splitlines():
        iso = _publication_line(line)
        if iso and iso not in out:
            out.append(iso)
    return tuple(out)


_ISO_LINE = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


_WORD_DAY = rf"(?P<y>(?:19|20)\d{{2}})\.\s*gada\s+(?P<d>\d{{1,2}})\.\s*(?P<m>{MONTHS})[a-zāēīū]*\.?"


_WORD_LINE = re.compile(rf"{_WORD_DAY}\s*$", re.IGNORECASE)


_DATELINE = re.compile(rf"[A-ZĀČĒĢĪĶĻŅŠŪŽ][\w-]+,\s+{_WORD_DAY}\s*[–—-]", re.IGNORECASE)


_PUBLISHED = re.compile(r"^(Publicēts|Ievietots|Informācija sagatavota un publicēta|Datums):?\s*")


def _publication_line(line: str) -> str | None:
    """The publication date a line gives: a date alone on it ("18.10.2018.", "Publicēts:
    16.01.2020. 10:15", "2018-10-18", "2014. gada 20. jūnijs"), or a press release's
    dateline ("Rīga, 2014. gada 20. jūnijs. – Šodien ...")."""
    s = _PUBLISHED.sub("", line.strip())
    m = _NUMERIC_DATE.match(s)
    if m and len(s) <= m.end() + 30:
        return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _ISO_LINE.match(s)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if "gad" in s[:40]:
        m = _WORD_LINE.match(s) or _DATELINE.match(s)
        if m:
            return _iso(int(m.group("y")), _month(m.group("m")), int(m.group("d")))
    return None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every date written in the text with its year: (start, end, ISO date)."""
    found = []
    for m in _NUMERIC_DATE.finditer(text):
        iso = _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in _WORD_DATE.finditer(text):
        iso = _iso(int(m.group(1)), _month(m.group(3)), int(m.group(2)))
        if iso:
            found.append((m.start(), m.end(), iso))
    return sorted(found)


# ---------------------------------------------------------------- dates as events are dated
# How Latvian writes the day an occasion begins: "2015.gada 13.aprīlī", "2015. g. 13. aprīlī",
# "13.04.2015.", "23.–27. aprīlī", "8-10. decembrī", "no 21. līdz 22. septembrim",
# "25. un 26.septembrī", "šā gada 15. oktobrī", "š.g. 8. decembrī", "pagājušā gada
# novembrī", "2018. gada martā", "2012. gadā"; a date in the genitive ("2014.gada
# 14.janvāra sēde") names the day of the noun after it.
_Y = r"(?:19|20)\d{2}"


_GADA = r"\.?\s*(?:gada|g\.)\s*"


_YEAR_WORDS = {"šā": 0, "šī": 0, "š.": 0, "pagājušā": -1, "pagājušajā": -1, "aizpagājušā": -2, "nākamā": 1, "nākošā": 1}


_RELATIVE = r"(?P<rel>šā|šī|š\.|pagājušā|aizpagājušā|nākamā|nākošā)\s*(?:gada|g\.)\s*"


_DAYS = (
    r"(?:no\s+)?(?P<d>\d{1,2})(?:\.\s*|(?=\s*[-–—]\s*\d))"  # "23.", or "8" of "8-10."
    r"(?:(?:[-–—]|un|līdz)\s*(?P<d2>\d{1,2})\.\s*)?"  # "– 27.", "un 26.", "līdz 22."
)


# the month stems by their first letter: a pattern that begins with one character set is
# scanned fast (and so are those below, whose left boundary is checked after a match)
_ANY_MONTH = re.compile(
    r"j(?:anvār|ūnij|ūlij)|f(?:ebruār)|m(?:art|aij)|a(?:prī[lļ]|ugust)|s(?:eptembr)|o(?:ktobr)|n(?:ovembr)|d(?:ecembr)"
)


_WORD_END = re.compile(r"[a-zāēīū]*")


_DAYS_BEFORE = re.compile(rf"(?<![\w.])(?:(?P<y>{_Y}){_GADA}|{_RELATIVE})?{_DAYS}$")


_YEAR_BEFORE = re.compile(rf"(?<![\w.])(?:(?P<y>{_Y}){_GADA}|{_RELATIVE})$")


_ANY_DIGIT = re.compile(r"\d")


_DIGIT_OR_DOT = frozenset("0123456789.")


_NUMERIC_HINT = re.compile(r"\d\.\d{1,2}\.[12]")


def _after_from(text: str, at: int) -> bool:
    """Whether the word before an offset (spaces aside) is "no": "no 2018. gada 1. marta
    līdz ...", a range, not a modifier. Reads back from the offset only (a text may hold
    thousands of dates)."""
    i = at
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return text.endswith("no", 0, i) and (i == 2 or not (text[i - 3].isalnum() or text[i - 3] == "_"))


_YEAR_ONLY = re.compile(rf"({_Y})\.\s*gadā\b")  # not after a letter, digit, "." or a dash (a period's end)


_NUMERIC_FAST = re.compile(r"(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})\.?(?!\d)")  # not after a digit or "."


_RANGE_FAST = re.compile(r"(\d{1,2})\.?\s*[-–]\s*\d{1,2}\.(\d{1,2})\.((?:19|20)\d{2})\.?(?!\d)")


@dataclass(frozen=True, slots=True)
class DateMark:
    """A date as written: year (or a year relative to the publication's: "šā gada" 0,
    "pagājušā gada" -1), month and day as far as the text gives them."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    relative: int | None = None  # years from the publication year, where the text says so
    genitive: bool = False  # "14.janvāra": the day of the noun that follows
    days: int | None = None  # days from the publication date: "šodien" 0, "vakar" -1

    @property
    def precision(self) -> int:
        """3 for a day, 2 for a month, 1 for a year alone."""
        return 3 if self.day or self.days is not None else 2 if self.month else 1

    def iso(self, published: str | None = None) -> str | None:
        """The date in ISO form ("2018-10-15", "2018-10", "2018"), the year taken from the
        publication date (ISO) where the text gives none; None where no year is known or
        the date does not exist."""
        if self.days is not None:  # "vakar": the day before the publication's
            if not published or len(published) < 10:
                return None
            return (_date.fromisoformat(published[:10]) + _timedelta(days=self.days)).isoformat()
        year = self.year
        if year is None:
            if not published:
                return None
            pub_year = int(published[:4])
            if self.relative is not None:
                year = pub_year + self.relative
            else:
                # a day and month alone: the publication's year, or the year before for a
                # day more than half a year after it ("15. decembrī" in a January item)
                year = pub_year
                if self.month and published[5:7]:
                    ahead = (self.month - int(published[5:7])) * 31 + (self.day or 1) - int(published[8:10] or 1)
                    if ahead > 183:
                        year -= 1
        if self.month is None:
            return f"{year:04d}"
        if self.day is None:
            return f"{year:04d}-{self.month:02d}"
        return _iso(year, self.month, self.day)


def read_dates(text: str) -> list[DateMark]:
    """Every date in a text as written, in order, whether or not it gives its year.

    >>> [(m.year, m.month, m.day) for m in read_dates("no 21. līdz 22. septembrim, 2015.gada 13.aprīlī")]
    [(None, 9, 21), (2015, 4, 13)]
    >>> read_dates("Š.g. 8-10. decembrī")[0].iso("2009-11-30")
    '2009-12-08'
    """
    found: list[DateMark] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()  # the patterns are in lower case
    text = low if len(low) == len(text) else text  # (offsets must stay: a letter whose lower case is longer)

    def free(a: int, b: int) -> bool:
        # taken: disjoint spans sorted by start; only the neighbours of [a, b) can overlap it
        i = bisect.bisect_left(taken, (a, a))
        return (i == 0 or taken[i - 1][1] <= a) and (i == len(taken) or taken[i][0] >= b)

    def add(mark: DateMark | None) -> None:
        if mark is not None and free(mark.start, mark.end):
            found.append(mark)
            bisect.insort(taken, (mark.start, mark.end))

    months = [m for m in _ANY_MONTH.finditer(text) if m.start() == 0 or not text[m.start() - 1].isalpha()]
    digits = _ANY_DIGIT.search(text) is not None
    if digits and _NUMERIC_HINT.search(text):
        for rx in (_RANGE_FAST, _NUMERIC_FAST):
            for m in rx.finditer(text):
                if m.start() and text[m.start() - 1] in _DIGIT_OR_DOT:
                    continue
                if _iso(int(m.group(3)), int(m.group(2)), int(m.group(1))):
                    add(DateMark(m.start(), m.end(), int(m.group(3)), int(m.group(2)), int(m.group(1))))
    # a month word and what stands before it: a day ("2015.gada 13.aprīlī"), or a year alone
    # ("2018. gada martā"); read back from the month, so a text is scanned once for months
    for mo in months:
        at = mo.start()
        end = _WORD_END.match(text, mo.end()).end()  # type: ignore[union-attr]
        ending = text[mo.end() : end]
        left = text.rfind(" ", 0, max(0, at - 44)) + 1
        month = _month(mo.group())
        d = _DAYS_BEFORE.search(text, left, at) if digits else None
        if d is not None:
            day = int(d.group("d"))
            year = int(d.group("y")) if d.group("y") else None
            rel = _YEAR_WORDS.get(d.group("rel")) if d.group("rel") else None
            if _iso(year or 2000, month, day):  # 2000: a leap year, so "29. februārī" stays
                genitive = _genitive_month(ending) and not _after_from(text, d.start())
                add(DateMark(d.start(), end, year, month, day, rel, genitive))
            continue
        y = _YEAR_BEFORE.search(text, left, at)
        if y is not None:
            year = int(y.group("y")) if y.group("y") else None
            rel = _YEAR_WORDS.get(y.group("rel")) if y.group("rel") else None
            add(DateMark(y.start(), end, year, month, None, rel, _genitive_month(ending)))
        elif ending in _LOCATIVE_MONTH and (end == len(text) or not text[end].isalnum()):
            # a month alone in the locative ("Jūnijā notiks sanāksme"): the publication's
            # year, as for a day and month alone
            add(DateMark(at, end, None, month, None))
    if digits and "gad" in text:
        for m in _YEAR_ONLY.finditer(text):
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in ".–-"):
                continue
            add(DateMark(m.start(), m.end(), int(m.group(1)), None, None))
    if _RELATIVE_DAY_HINT.search(text):
        for m in _RELATIVE_DAY.finditer(text):
            add(DateMark(m.start(), m.end(), None, None, None, days=_RELATIVE_DAYS[m.group(1)]))
    found.sort(key=lambda d: d.start)
    return found


# the endings a month's stem (as _ANY_MONTH matches it) takes in the locative: "jūnijā",
# "martā", "aprīlī", "septembrī"
_LOCATIVE_MONTH = frozenset({"ā", "ī"})


# the days named relative to the publication's ("Vakar notika sanāksme"): a news item's day
_RELATIVE_DAYS = {"aizvakar": -2, "vakar": -1, "šodien": 0, "rīt": 1, "parīt": 2}
_RELATIVE_DAY = re.compile(r"(?<![\w])(aizvakar|vakar|šodien|parīt|rīt)(?![\w])")
_RELATIVE_DAY_HINT = re.compile(r"vakar|šodien|rīt")


def _month(stem: str) -> int:
    return _MONTHS[stem.lower().replace("ļ", "l")]


def _genitive_month(ending: str) -> bool:
    """Whether a month's ending is the genitive ("janvāra", "marta", "jūnija")."""
    return ending.lower() == "a"


def publication_offsets(text: str) -> list[tuple[int, str]]:
    """(offset, ISO date) of the lines that are a publication date, in order: a page of
    several news items dates each from the line above it."""
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        iso = _publication_line(line)
        if iso:
            out.append((pos, iso))
        pos += len(line)
    return out


def _iso(y: int, mo: int, d: int) -> str | None:
    import datetime

    try:
        return datetime.date(y, mo, d).isoformat()
    except ValueError:
        return None

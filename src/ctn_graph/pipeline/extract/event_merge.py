"""One node per event: what the event finder read about each event mention
(EventReading, a span's detail) and merge_events, which makes the mentions of one
occasion in a document one node, named by its title where it has one and dated with its
first day (the year from the publication date above it where the text gives none)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..dates import DateMark, publication_offsets, read_dates
from .spans import F_EVENT_HEAD, Span, norm

if TYPE_CHECKING:
    from .state import DocState, SentenceSpans


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

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

This module holds the finder (EventFinder: the event noun and the name it starts,
walking left); the parts of a name after it are in event_names.py, the dates of events
in event_dates.py, the words and word lists the finder reads in event_words.py, and
merge_events with the reading it merges (EventReading) in event_merge.py, re-exported
here.
"""

from __future__ import annotations

import re

from mypy_extensions import trait

from ...ir import EntityClass
from ..dates import DateMark
from ..lv.morph import HeadNoun, nominative_words, stem
from ..text import Token
from .event_dates import _date_for, _names_month, _token_marks, sentence_dates, sentence_marks
from .event_merge import EventReading, merge_events
from .event_names import (
    _TITLE_LEAD,
    _adjectives_before,
    _agrees_any,
    _genitive,
    _genitive_agreement,
    _genitive_at,
    _head_nominative,
    _indefinite_nominative,
    _name_tail,
    _names_after,
    _place_after,
    _preceded_by,
    _project_acronym,
    _reflexive,
    _title_after,
    event_cases,
    place_nominative,
)
from .event_words import (
    _ADJ_ENDINGS,
    _ADJ_STEM,
    _DIGIT,
    _LOCATIVE_PLACE,
    _MONTH_STEMS,
    _PARTICIPLE,
    _day_hint,
    _day_word_near,
    _event_verbs,
    _held,
    _phrases,
    _quantifiers,
)
from .lexicon import Lexicon
from .quotes import quoted_ranges
from .spans import OPEN_QUOTES, Span, _is_genitive_like, _tidy, is_verb, rebuild

# the names other modules import from here (names.py, document.py), defined in the modules above
__all__ = [
    "EventFinder",
    "EventReading",
    "event_cases",
    "merge_events",
    "place_nominative",
    "sentence_dates",
    "sentence_marks",
]

_YEAR_RANGE = re.compile(r"^\d{4}\.?$")
_DAY = re.compile(r"\d{1,2}\.")


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

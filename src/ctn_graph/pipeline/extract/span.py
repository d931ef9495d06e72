"""The `Span` record, one name found over a sentence's tokens (its class, nominative name,
key, parent, qualifier, cases ...), and the F_* bits of DocumentExtractor.word_info that
say which finder passes a word can start something in (with PROJECT_STEMS, the nouns the
F_PROJECT bit stands for); out of spans.py, which re-exports them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...ir import EntityClass
from ..lv.morph import stem
from .gazetteer import GazetteerEntry


@dataclass(slots=True)
class Span:
    start: int  # token index
    end: int  # token index after the span
    cls: EntityClass
    lemma: str  # nominative name
    key: str
    kind: str = "org"  # org | unit | ngo | country | project | person | policy | event
    country: str | None = None
    gaz: GazetteerEntry | None = None
    aliases: list[str] = field(default_factory=list)
    parent: Span | None = None
    qualifier: Span | None = None  # the country named in the genitive before it
    genitive: bool = False  # whether the name stands in the genitive
    local_aliases: list[str] = field(default_factory=list)  # "(turpmāk – X)": this document only
    location: str | None = None  # events: the place named
    date: str | None = None  # events: ISO date from the sentence
    # the cases the name's head can stand in ("nom", "gen", ..., "pl:dat"; morph.cases_as),
    # None where the form does not tell (an acronym, a foreign name)
    cases: frozenset[str] | None = None
    detail: object | None = None  # events: what the event finder read (events.EventReading)
    foreign: bool = False  # a name in its own language ("Fundación Esperanza"): no home country by default

    @property
    def is_org(self) -> bool:
        return self.cls.is_organisation


# What a word can start, as bits: a sentence none of whose words has a bit set skips the
# finder pass (or cue search) that needs it. See DocumentExtractor.word_info.
F_ORG_HEAD = 1  # an org or unit head noun (pattern_spans)
F_EVENT_HEAD = 2  # an event head noun (event_spans)
F_POLICY_HEAD = 4  # a policy head noun (policy_spans)
F_PROJECT = 8  # the stem "projekt" or "kampaņ" (project_spans, project cues)
# nouns a project is named after: "projekts “X”", "kampaņa “X”" (a campaign is a programme of work)
PROJECT_STEMS = frozenset(stem(w) for w in ("projekts", "kampaņa"))
F_PERSON = 16  # a capitalised word that can begin a person's name (person_spans)
F_CUE = 32  # the first word of a cue phrase (relations)
F_GAZ = 64  # a word a name of the extractor's gazetteer begins with (gazetteer_spans)
F_ROLE = 128  # a role word or "(": a name nobody lists may follow or precede it (person_spans)
F_FOREIGN = 256  # a word that makes a name in its own language a body's ("Stiftung": foreign.py)
F_COMPANY = 512  # a company's legal form ("uzņēmums", "SIA"): an acronym after it names one (company_spans)

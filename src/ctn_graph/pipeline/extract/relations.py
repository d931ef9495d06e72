"""Relations read from name structure, persons' roles, and (frames.py) clauses.

* partOf: a unit named after its parent in the genitive ("Valsts policijas ... nodaļa"),
  and the gazetteer's sub-unit facts where both are named in the document.
* country: every national body, NGO and company, from its name, the sentence or the
  gazetteer.
* affiliation: a person next to a role word and an organisation (affiliation.py).
* project relations and memberships: read clause by clause by frames.py
  (data/lexicon/frames.tsv).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ...ir import Claim, EntityClass, Evidence, Relation
from ..lv.morph import stem
from .affiliation import affiliations
from .frames import View, frame_claims, list_after
from .spans import F_CUE, F_PROJECT, Span

if TYPE_CHECKING:
    from .state import DocState, Extractor, SentenceSpans

def _is_org(sp: Span) -> bool:
    return sp.cls.is_organisation


def _is_country(sp: Span) -> bool:
    return sp.cls is EntityClass.COUNTRY


def find_claims(state: DocState, span_ids: dict[int, str], ex: Extractor) -> list[Claim]:
    doc = state.doc
    claims: list[Claim] = []
    seen: set[tuple[str, Relation, str]] = set()
    with_countries: set[int] = set()  # sentences stating a project's participant countries

    def add(s: str, rel: Relation, o: str, ss: SentenceSpans, a: int, b: int, cue: str | None) -> None:
        if s == o or (s, rel, o) in seen:
            return
        seen.add((s, rel, o))
        if rel is Relation.PARTICIPANT_COUNTRY:
            with_countries.add(ss.sentence.index)
        start = ss.tokens[a].start
        end = ss.tokens[max(a, b - 1)].end
        claims.append(Claim(s, rel, o, Evidence(doc.id, ss.sentence.index, start, end, cue)))

    def mid(sp: Span) -> str:
        return span_ids[id(sp)]

    def add_spans(s: Span, rel: Relation, o: Span, ss: SentenceSpans, a: int, b: int, cue: str | None) -> None:
        if id(s) in span_ids and id(o) in span_ids:
            add(mid(s), rel, mid(o), ss, a, b, cue)

    frame_claims(
        state,
        add_spans,
        lambda ss: ss.analysed.having(F_CUE) if ss.flags & F_CUE else [],
        lambda ss: bool(ss.flags & F_PROJECT),
    )

    first_by_key: dict[str, tuple[Span, SentenceSpans]] = {}
    for ss in state.sentences:
        for sp in ss.spans:
            if sp.key not in first_by_key:
                first_by_key[sp.key] = (sp, ss)

    project: Span | None = None
    for si, ss in enumerate(state.sentences):
        spans = ss.spans
        if not spans:
            continue  # every claim below joins names of the sentence
        projects_here = [sp for sp in spans if sp.kind == "project"]
        if projects_here:
            project = projects_here[0]
        # --- structure: partOf and country
        for sp in spans:
            if sp.parent is not None and _is_org(sp) and _is_org(sp.parent):
                add(mid(sp), Relation.PART_OF, mid(sp.parent), ss, sp.parent.start, sp.end, None)
            if _is_org(sp) and sp.country and sp.cls is not EntityClass.INTERNATIONAL_ORGANISATION:
                q = sp.qualifier
                obj = mid(q) if q is not None and q.country == sp.country else f"key:gaz:country:{sp.country}"
                add(mid(sp), Relation.COUNTRY, obj, ss, sp.start, sp.end, None)
            if sp.gaz is not None and sp.gaz.part_of and sp.parent is None and _is_org(sp):
                # "Valsts policijas Galvenās kriminālpolicijas pārvaldes Cilvēku tirdzniecības
                # apkarošanas nodaļa": a known unit named after the body it belongs to
                left = next((o for o in spans if o.end == sp.start and _is_org(o) and o.genitive), None)
                if left is not None and left.key != sp.key:
                    add(mid(sp), Relation.PART_OF, mid(left), ss, left.start, sp.end, None)
                    continue
            if sp.gaz is not None:
                for parent_id in sp.gaz.part_of:
                    known = first_by_key.get(f"gaz:{parent_id}")
                    if known is not None:
                        add(mid(sp), Relation.PART_OF, mid(known[0]), ss, sp.start, sp.end, None)
                    elif _names_parent(ss, sp, ex.gaz.entries.get(parent_id)):
                        # "Valsts policijas ... nodaļa" names its parent in its own name
                        add(mid(sp), Relation.PART_OF, f"key:gaz:{parent_id}", ss, sp.start, sp.end, None)
        # --- a body's campaign: "Eiropas Padomes kampaņa pret cilvēku tirdzniecību"
        for sp in projects_here:
            if sp.parent is not None and _is_org(sp.parent):
                add(mid(sp), Relation.LEAD_PARTNER, mid(sp.parent), ss, sp.start, sp.end, "campaign")
        # --- events held within a project: "projekta uzsākšanas sanāksme", or in its sentence
        for sp in spans:
            if sp.kind == "event" and project is not None:
                named = any(stem(t.text) == "projekt" for t in ss.tokens[max(0, sp.start - 8) : sp.end])
                if named or projects_here:
                    target = projects_here[0] if projects_here else project
                    add(mid(sp), Relation.ABOUT_PROJECT, mid(target), ss, sp.start, sp.end, None)
        # --- persons
        affiliations(ss, state.sentences, si, add, mid, ex)
        # --- the states a project's title names in the locative, two or more in a list
        for proj in projects_here:
            inside = [sp for sp in spans if _is_country(sp) and proj.start <= sp.start and sp.end <= proj.end]
            if len(inside) >= 2:
                run = list_after(View(ss), inside[0].start, _is_country)
                if len(run) >= 2:
                    for c in run:
                        add(mid(proj), Relation.PARTICIPANT_COUNTRY, mid(c), ss, c.start, c.end, "title")
        # --- a project and a list of countries with no cue ("... Latvijā, Lietuvā, Igaunijā un ...")
        if projects_here:
            countries = [sp for sp in spans if _is_country(sp) and sp.start > projects_here[0].end]
            if len(countries) >= 3 and ss.sentence.index not in with_countries:
                run = list_after(View(ss), countries[0].start, _is_country)
                if len(run) >= 3:
                    for c in run:
                        add(mid(projects_here[0]), Relation.PARTICIPANT_COUNTRY, mid(c), ss, c.start, c.end, "list")
    return claims


def _names_parent(ss: SentenceSpans, sp: Span, parent) -> bool:
    """Whether the words of a unit's mention begin with a name of its parent."""
    if parent is None:
        return False
    mine = [stem(t.text) for t in ss.tokens[sp.start : sp.end] if t.is_word]
    for name in parent.names():
        theirs = _word_stems(name)
        if len(theirs) < len(mine) and mine[: len(theirs)] == theirs:
            return True
    return False


@lru_cache(maxsize=10_000)
def _word_stems(name: str) -> list[str]:
    """The stems of the words of a name as written (callers do not change the list)."""
    return [stem(w) for w in name.split()]

"""Relations the clause states: who leads, funds, supports or takes part in a project,
which countries take part, and who is a member of what.

Latvian marks the role of a name by its case, so a trigger (data/lexicon/frames.tsv)
is read with the case its arguments must stand in:

* a verb ("īsteno", "finansēja", "atbalstīs") takes its doers in the nominative from its
  own clause, before or after it ("X īsteno projektu", "Projektu līdzfinansē X"), and
  the project from the same clause: its title, the word "projekts", "to" after a
  project, or the antecedent of "kuru"/"ko" ("projekts, ko finansē X");
* a participle before the project ("X īstenotais projekts", "X līdzfinansētā
  projekta") and a noun after the organisation ("X vadībā", "X finansējums",
  "ar X atbalstu") take it in the genitive;
* "sadarbībā ar A, B un C" takes a coordinated list in the instrumental;
* a role noun takes the list after it ("partneri ir A un B", "partnervalstis: ...") or
  the name before it ("X ir projekta partneris");
* a group takes its members: "X sastāvā ir A, B", "X apvieno A un B", "A ir X
  dalībvalsts", "pārstāvji no A, B" in a sentence that names the group.

A clause is the stretch of a sentence between semicolons and the commas that open a
subordinate clause ("..., kas ...", "..., lai ..."); a relation is read only where its
trigger, its arguments and its project are in one clause (the project of a role noun
may be the one the document is about). A doubtful reading is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...ir import Relation
from ..lv.morph import stem
from .frame_lists import _agents, list_after, list_before, parenthesis_country, skip_parenthesis
from .frame_project_handlers import _ar, _attr, _gen, _list, _passive, _verb, _with, _within
from .frame_projects import Projects, clause_projects, event_project_in_clause, project_in_clause, project_named_at
from .frame_triggers import Trigger, TriggerIndex, find_triggers, trigger_index, triggers
from .frame_view import Emit, View, _phrase, project_word
from .frame_words import (
    _COPULA,
    _JOINERS,
    _QUOTES,
    ANY,
    FROM,
    GENITIVE,
    INSTRUMENTAL,
    NOMINATIVE,
    _in_case,
    _is_country,
    _is_org,
    _stems_of,
    is_funder_name,
    is_group,
)
from .spans import Span

if TYPE_CHECKING:
    from .state import DocState, SentenceSpans

__all__ = [
    "ANY",
    "Emit",
    "FROM",
    "GENITIVE",
    "INSTRUMENTAL",
    "NOMINATIVE",
    "Projects",
    "Trigger",
    "TriggerIndex",
    "View",
    "clause_projects",
    "event_project_in_clause",
    "find_triggers",
    "frame_claims",
    "is_funder_name",
    "is_group",
    "list_after",
    "list_before",
    "parenthesis_country",
    "project_in_clause",
    "project_named_at",
    "project_word",
    "read_sentence",
    "skip_parenthesis",
    "trigger_index",
    "triggers",
]


def read_sentence(v: View, si: int, projects: Projects, emit: Emit, found: list[tuple[Trigger, int, int]]) -> None:
    """Every relation the triggers `found` ((trigger, first token, token after)) state."""
    lead_clauses = {v.clause[a] for t, a, _ in found if t.frame == "verb" and t.relation is Relation.LEAD_PARTNER}
    said: set[tuple[str, str]] = set()  # (project, organisation) pairs a cue of the sentence joined

    def emit_said(s: Span, rel: Relation, o: Span, a: int, b: int, cue: str) -> None:
        said.add((s.key, o.key))
        emit(s, rel, o, a, b, cue)

    def emit_unsaid(s: Span, rel: Relation, o: Span, a: int, b: int, cue: str) -> None:
        if (s.key, o.key) not in said:  # the sentence's own cue says what the body does
            emit(s, rel, o, a, b, cue)

    for trig, a, b in found:
        if trig.frame != "within":
            _HANDLERS[trig.frame](v, trig, a, b, si, projects, emit_said, lead_clauses)
    for trig, a, b in found:
        if trig.frame == "within":
            _HANDLERS[trig.frame](v, trig, a, b, si, projects, emit_unsaid, lead_clauses)


def _join(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "Latvija pievienojās X", "X iestājās Y": the doer becomes a member of the body
    after the verb (a body; "pievienojās konvencijai" names a treaty, not a member)."""
    members = _agents(v, a, b, _member_or_country)
    i = b
    while i < len(v.toks) and i - b < 3 and not v.covered[i] and v.toks[i].is_word and v.low[i][:1].isdigit():
        i += 1
    body = v.span_at(i, lambda s: _is_org(s) and s.kind in ("org", "unit") and _in_case(s, frozenset({"dat", "loc"})))
    if body is None or (body.cases is None and any(sp.start >= body.end for sp in v.ss.spans if sp.kind == "policy")):
        return  # "pievienojās Eiropas Padomes konvencijai": the treaty is joined, not the body
    for m in members:
        if m.key != body.key:
            emit(m, Relation.MEMBER_OF, body, min(m.start, a), body.end, _phrase(v, a, b))


def _member_or_country(s: Span) -> bool:
    return _is_org(s) or _is_country(s)


def _group_of_pronoun(v: View, a: int) -> Span | None:
    """ "..., bet tās sastāvu veido ...": the group named before the pronoun."""
    if a > 0 and v.low[a - 1] in ("tās", "tā", "tās", "tajā", "tās", "tā"):
        groups = [sp for sp in v.ss.spans if is_group(sp) and sp.end <= a - 1]
        return groups[-1] if groups else None
    return None


_REPRESENTING = frozenset({"kas", "kuri", "kuras", "kurš", "kura"})
_REPRESENT_VERBS = frozenset({"pārstāv", "pārstāvēja", "pārstāvējuši", "pārstāvējušas"})


def _group_in_sentence(v: View, a: int, si: int, projects: Projects) -> Span | None:
    """The group a sentence names before token a: by its name, or by a bare noun
    ("darba grupa, kurā ...") that can mean only one group of the document."""
    named = [sp for sp in v.ss.spans if is_group(sp) and sp.end <= a]
    if named:
        return named[-1]
    for i in range(a - 1, -1, -1):
        if not v.covered[i] and v.low[i].isalpha() and v.low[i].islower():
            group = projects.group_called(v.low[i], si)
            if group is not None:
                return group
    return None


_MEMBER_VERBS = frozenset(
    "ir ietilpst ietilpa veido veidoja darbojas darbojās iekļauti iekļautas iekļauta iekļauts bija pārstāvji no".split()
)


def _members(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    w = v.low[a]
    cue = _phrase(v, a, b)
    if w.startswith("ietilp"):
        # "Darba grupā ietilpst A, B un C eksperti": the group in the locative before the verb
        group: Span | None = None
        for i in range(a - 1, -1, -1):
            if not v.same_clause(i, a):
                break
            group = v.span_ending(i + 1, lambda s: is_group(s) and _in_case(s, frozenset({"loc"})))
            if group is not None:
                break
        if group is None:
            return
        for m in list_after(v, b, _member_or_country):
            if m.key != group.key:
                emit(m, Relation.MEMBER_OF, group, group.start, m.end, cue)
        return
    if stem(w) == "sastāv" or w.startswith(("apvieno", "veido")):
        # "X sastāvā ir A, B", "X sastāvu veido A, B", "X apvieno A un B", "X veido A, B"
        group = None
        if stem(w) == "sastāv":
            found = list_before(v, a, is_group, GENITIVE)
            group = found[-1] if found else _group_of_pronoun(v, a)
        else:
            for i in range(a - 1, -1, -1):
                if not v.same_clause(i, a):
                    break
                group = v.span_ending(i + 1, is_group)
                if group is not None:
                    break
        if group is None:
            return
        i = b
        while i < len(v.toks) and i - b < 3 and not v.covered[i] and v.low[i] in _MEMBER_VERBS:
            i += 1
        members = list_after(v, i, _member_or_country)
        if not members and i < len(v.toks) and v.low[i][:1].isdigit():
            # "Padomi veido 11 ... valstis (Zviedrija, Somija, ...)"
            k = i
            while k < len(v.toks) and k - i < 8 and v.low[k] != "(":
                k += 1
            members = list_after(v, k + 1, _member_or_country) if k < len(v.toks) else []
        for m in members:
            if m.key != group.key:
                emit(m, Relation.MEMBER_OF, group, min(group.start, a), m.end, cue)
        return
    if w in ("pārstāvji", "pārstāves", "pārstāvis", "pārstāve"):
        # "Darba grupā deleģēti pārstāvji no A, B", "Darba grupā darbojas A un B pārstāvji":
        # the group the sentence names
        groups = [sp for sp in v.ss.spans if is_group(sp) and (sp.end <= a or b == a + 1 and sp.start > a)]
        if not groups:
            return
        group = groups[-1] if groups[-1].end <= a else groups[0]
        if b > a + 1:  # "pārstāvji no"
            found = list_after(v, b, _member_or_country, FROM)
        else:
            found = list_before(v, a, _member_or_country, FROM | GENITIVE)
        for m in found:
            if m.key != group.key and m is not group:
                emit(m, Relation.MEMBER_OF, group, min(group.start, m.start), max(m.end, b), cue)
        return
    if w in _REPRESENT_VERBS:
        # "darba grupa, kurā darbojas 20 cilvēku, kuri pārstāv dažādas iestādes: A, B, C":
        # the people of a group stand for the bodies they come from (in the accusative)
        if a == 0 or v.low[a - 1] not in _REPRESENTING:
            return
        group = _group_in_sentence(v, a - 1, si, projects)
        if group is None:
            return
        for m in list_after(v, b, _member_or_country, frozenset({"acc", "pl:acc"})):
            if m.key != group.key:
                emit(m, Relation.MEMBER_OF, group, a, m.end, cue)
        return
    if w.startswith("darboj"):
        # "Latvija CBSS TF-THB darbojas kopš ...": the member, the body, the verb
        body = v.span_ending(a, _is_org)
        member = (
            v.span_ending(body.start, lambda s: _member_or_country(s) and _in_case(s, NOMINATIVE)) if body else None
        )
        if body is not None and member is not None:
            emit(member, Relation.MEMBER_OF, body, member.start, b, cue)
        return
    # "A un B ir X dalībvalstis / locekles", "A, X dalībvalsts, ...", "X dalībvalstis ir A un B"
    owners = list_before(v, a, _is_org, GENITIVE)
    i = a
    while not owners and i > 0 and a - i < 2 and _modifier_word(v, i - 1):
        i -= 1  # "ES austrumu dalībvalstis", "ES jaunās dalībvalstis"
        owners = list_before(v, i, _is_org, GENITIVE)
    if not owners:
        return
    group = owners[-1]
    k = owners[0].start
    listed: list[Span] = []
    q = k
    while q > 0 and v.low[q - 1] in _QUOTES:
        q -= 1
    collectives = _stems_of("collectives.txt")
    kind_at = None
    if q > 1 and not v.covered[q - 1] and v.low[q - 1].isalpha() and stem(v.low[q - 1]) in collectives:
        kind_at = q - 1  # 'ir (Eiropas) tīkla “La Strada International” locekle'
    elif k > 0 and v.low[k].isalpha() and v.low[k].islower() and stem(v.low[k]) in collectives:
        kind_at = k  # the name begins with its lower-case kind: 'ir Eiropas [tīkla “X”] dalībniece'
    if kind_at is not None:
        # the kind of group named before its quoted name, with a word or two of its own
        # before it ("Eiropas", "starptautiskā")
        k = kind_at
        j = k
        while j > 0 and k - j < 2 and (_modifier_word(v, j - 1) or _uncovered_capital(v, j - 1)):
            j -= 1
        k = next((i for i in range(j, k + 1) if i > 0 and v.low[i - 1] in _COPULA), k)
    while k > 1 and v.low[k - 1] in ("arī", "tāpat", "jau", "joprojām") and v.low[k - 2] in _COPULA:
        k -= 1  # "Latvija ir arī X dalībvalsts"
    if k > 0 and v.low[k - 1] in _COPULA:
        listed = list_before(v, k - 1, _member_or_country, NOMINATIVE)
        if not listed and v.low[k - 1] != ",":
            listed = _agents(v, k - 1, k, _member_or_country)  # "Latvija kopš 2004. gada ir ..."
    listed = [m for m in listed if m.key != group.key]
    if not listed and b < len(v.toks) and v.low[b] in ("ir", ":", "–", "-"):
        listed = list_after(v, b + 1, _member_or_country)
    for m in listed:
        for g in owners:  # "Eiropas Savienības un NATO dalībvalsts": a member of each
            if m.key != g.key:
                emit(m, Relation.MEMBER_OF, g, min(m.start, a), max(b, m.end), cue)


def _uncovered_capital(v: View, i: int) -> bool:
    """A capitalised word outside every name ("Eiropas" before "tīkla “X”")."""
    return v.toks[i].is_word and v.toks[i].text[:1].isupper() and v.low[i].isalpha() and not v.covered[i]


def _modifier_word(v: View, i: int) -> bool:
    """A lower-case word of a name's noun phrase: an adjective or a genitive noun."""
    w = v.low[i]
    return (
        v.toks[i].is_word
        and w.isalpha()
        and w.islower()
        and not v.covered[i]
        and w not in _COPULA
        and w not in _JOINERS
    )


def _represent(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "nodrošina Latvijas pārstāvību X": the state is a member of X."""
    country = v.span_ending(a, lambda s: _is_country(s) and _in_case(s, GENITIVE))
    if country is None:
        return
    body = v.span_at(b, _is_org)
    if body is not None:
        emit(country, Relation.MEMBER_OF, body, country.start, body.end, _phrase(v, a, b))


def _part(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "IOM ir ANO sistēmas daļa", "Birojs ir Valsts policijas struktūrvienība": a unit."""
    i = a
    while i > 0 and a - i < 2 and v.toks[i - 1].is_word and v.low[i - 1].islower() and not v.ending.get(i):
        i -= 1  # "sistēmas", "struktūras"
    owner = v.span_ending(i, lambda s: _is_org(s) and _in_case(s, GENITIVE))
    if owner is None:
        return
    k = owner.start
    while k > 1 and v.low[k - 1] in ("arī", "tāpat") and v.low[k - 2] in _COPULA:
        k -= 1
    if k == 0 or v.low[k - 1] not in _COPULA:
        return
    for unit in _agents(v, k - 1, k, _is_org):
        if unit.key != owner.key:
            emit(unit, Relation.PART_OF, owner, unit.start, b, _phrase(v, a, b))


_HANDLERS = {
    "verb": _verb,
    "attr": _attr,
    "gen": _gen,
    "ar": _ar,
    "with": _with,
    "list": _list,
    "members": _members,
    "represent": _represent,
    "passive": _passive,
    "join": _join,
    "part": _part,
    "within": _within,
}


def _funded_projects(v: View, si: int, projects: Projects, emit: Emit) -> None:
    """ "Eiropas Sociālā fonda projekts", "EBF projektā": a fund's project is one it pays for."""
    for i in v.project_places():
        if not v.ending.get(i) or not project_word(v, i):
            continue
        funder = v.span_ending(i, lambda s: _is_org(s) and is_funder_name(s) and _in_case(s, GENITIVE))
        if funder is None:
            continue
        for proj in project_named_at(v, i, projects, si):
            emit(proj, Relation.FUNDED_BY, funder, funder.start, i + 1, _phrase(v, funder.start, i + 1))


def frame_claims(
    state: DocState,
    emit_claim: Callable[[Span, Relation, Span, SentenceSpans, int, int, str], None],
    candidates: Callable[[SentenceSpans], list[int]],
    mentions_project: Callable[[SentenceSpans], bool],
) -> None:
    """Read every sentence of a document for the relations its triggers state.
    `emit_claim(subject span, relation, object span, sentence spans, from, to, cue)`;
    `candidates(ss)`: the tokens of a sentence a trigger may begin at."""
    projects = Projects(state)
    projects.emit_claim = emit_claim
    for si, ss in enumerate(state.sentences):
        if not ss.spans and not ss.sentence.text.rstrip().endswith(":"):
            continue  # every relation joins names of the sentence, or of the list it opens
        cands = candidates(ss)
        has_project = mentions_project(ss)
        if not cands and not has_project:
            continue
        v = View(ss)

        def emit(s: Span, rel: Relation, o: Span, a: int, b: int, cue: str, ss: SentenceSpans = ss) -> None:
            emit_claim(s, rel, o, ss, a, b, cue)

        if has_project:
            _funded_projects(v, si, projects, emit)
        found = find_triggers(v, cands) if cands else []
        if found:
            read_sentence(v, si, projects, emit, found)

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
from .frame_projects import (
    Projects,
    _pronoun_project,
    clause_projects,
    event_project_in_clause,
    project_in_clause,
    project_named_at,
)
from .frame_triggers import Trigger, TriggerIndex, find_triggers, trigger_index, triggers
from .frame_view import Emit, View, _phrase, project_word
from .frame_words import (
    _COPULA,
    _JOINERS,
    _LOCATIVE,
    _PRONOUNS,
    _QUOTES,
    ANY,
    FROM,
    GENITIVE,
    INSTRUMENTAL,
    NOMINATIVE,
    _in_case,
    _is_country,
    _is_org,
    _is_project,
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


# an infinitive trigger states a relation only after one of these ("turpinās īstenot")
_INFINITIVE_HOSTS = frozenset(
    """turpina turpināja turpinās turpinājusi turpinājis plāno plānoja plānos sāk sāka sāks uzsāk uzsāka
    uzsāks gatavojas var varēs varēja spēs apņemas apņēmās nolēma nolemj ieguva ieguvusi ieguvis""".split()
)


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


def _verb(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    w = v.low[a]
    if w.endswith(("t", "ties")) and not (a > 0 and v.low[a - 1] in _INFINITIVE_HOSTS):
        return  # an aim ("mērķis: atbalstīt ..."), not a statement
    targets = clause_projects(v, a, projects, si)
    if targets and _only_within(v, a, projects, si):
        # "Projekta ietvaros X vadīja nodarbības": what X leads is the lessons, within the
        # project; that X takes part is the "ietvaros" frame's to say
        return
    if not targets:
        pronoun = _pronoun_project(v, a, projects, si)
        targets = [pronoun[0]] if pronoun else []
    if not targets and (trig.relation is Relation.LEAD_PARTNER or w in _ORGANISE):
        # "sanāksme, ko vadīja X", "Diskusiju organizēja X un Y": who runs a project's event
        # takes part in the project
        held_in = event_project_in_clause(v, a, projects, si)
        if held_in is not None:
            for ag in _agents(v, a, b, _is_org):
                emit(held_in, Relation.PARTNER, ag, min(a, ag.start), max(b, ag.end), _phrase(v, a, b))
        return
    if not targets:
        caption = _caption_project(v, trig, a, b, si, projects)
        if caption is not None:
            for ag in list_after(v, b, _is_org, NOMINATIVE):
                emit(caption, trig.relation, ag, a, ag.end, _phrase(v, a, b))
        return
    if trig.relation is Relation.PARTNER and not any(
        project_word(v, i) or v.span_at(i, lambda s: s.kind == "project")
        for i in range(max(0, a - 6), min(len(v.toks), b + 6))
    ):
        return  # "X piedalās projektā": the project next to the verb
    cue = _phrase(v, a, b)
    agents = _agents(v, a, b, _is_org)
    if not agents and trig.relation is Relation.PARTNER:
        # countries take part: "projektā piedalās Latvija, Lietuva un Igaunija"
        for project in targets:
            for c in _agents(v, a, b, _is_country):
                emit(project, Relation.PARTICIPANT_COUNTRY, c, min(a, c.start), max(b, c.end), cue)
        return
    for project in targets:
        for ag in agents:
            emit(project, trig.relation, ag, min(a, ag.start), max(b, ag.end), cue)
    if trig.relation is Relation.LEAD_PARTNER:
        _countries_where(v, a, b, targets, emit)


def _only_within(v: View, at: int, projects: Projects, si: int) -> bool:
    """Whether the clause names its project only as where something happens: "projekta
    ietvaros" (the project is then no object of the clause's verb)."""
    found = project_in_clause(v, at, projects, si)
    if found is None:
        return False
    sp, i = found
    named = v.span_at(i, _is_project)
    after = named.end if named is not None else i + 1
    while after < len(v.toks) and v.low[after] in _QUOTES:
        after += 1
    return after < len(v.toks) and v.low[after] == "ietvaros"


# who organises an event of a project takes part in it (who only attends it may not)
_ORGANISE = frozenset(
    "organizē organizēja organizēs organizējis organizējusi organizējuši "
    "rīko rīkoja rīkos rīkojis rīkojusi rīkojuši".split()
)
_CAPTION_VERBS = frozenset({"finansē", "līdzfinansē", "atbalsta"})


def _caption_project(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects) -> Span | None:
    """ "Līdzfinansē Eiropas Savienības programma ...": a caption that opens with the
    verb and names only who pays is about the project the page is about. The funder
    stands right after the verb in the nominative, and nothing but its names and a
    parenthesis follows."""
    if a != 0 or v.low[a] not in _CAPTION_VERBS or trig.relation not in (Relation.FUNDED_BY, Relation.SUPPORTED_BY):
        return None
    funders = list_after(v, b, _is_org, NOMINATIVE)
    if not funders or funders[0].cases is None:
        return None
    end = b
    for sp in funders:
        end = skip_parenthesis(v, sp.end)
    while end < len(v.toks) and v.low[end] in _QUOTES:
        end += 1
    if end < len(v.toks) and v.low[end] not in (".", "!"):
        return None
    return projects.current(si)


def _countries_where(v: View, a: int, b: int, targets: list[Span], emit: Emit) -> None:
    """ "Projekts tiek īstenots Latvijā, Lietuvā un Igaunijā": the states a project is
    carried out in, in the locative right after the verb."""
    i = b
    while i < len(v.toks) and i - b < 2 and v.low[i] in ("arī", "gan", "vienlaikus"):
        i += 1
    c = v.span_at(i, _is_country)
    if c is None or not v.low[c.end - 1].endswith(_LOCATIVE):
        return
    for country in list_after(v, i, _is_country, frozenset({"loc"})):
        for project in targets:
            emit(project, Relation.PARTICIPANT_COUNTRY, country, a, country.end, _phrase(v, a, b))


def _passive(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "Projekts tiek finansēts no X līdzekļiem": the doers after "no"; "projekts tiek
    īstenots Latvijā un Igaunijā": the states it is carried out in."""
    if trig.relation is Relation.LEAD_PARTNER:
        targets = clause_projects(v, a, projects, si)
        if targets:
            _countries_where(v, a, b, targets, emit)
        return
    if b >= len(v.toks) or v.low[b] != "no":
        return
    agents = list_after(v, b + 1, _is_org, FROM)
    if not agents:
        return
    for proj in clause_projects(v, a, projects, si):
        for ag in agents:
            emit(proj, trig.relation, ag, a, ag.end, _phrase(v, a, b + 1))


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


_ADJECTIVE_ENDINGS = ("ais", "ā", "ās", "o", "ajā", "ajai", "ajam", "ie", "ajiem", "ajām", "ajās", "ajos")


def _attr(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "X īstenotā (...) projekta": the genitive name right before the participle."""
    low = v.low
    if not low[a].endswith(_ADJECTIVE_ENDINGS):
        return  # a participle that agrees with a noun, not "īstenots" nor "īstenotājs"
    i = a
    if i > 0 and low[i - 1] == ")":
        k = i - 1
        while k > 0 and low[k] != "(" and i - k < 12:
            k -= 1
        i = k
    agents = list_before(v, i, _is_org, GENITIVE)
    if not agents:
        return
    # the project: the next project noun or title within a few words, in one clause
    for k in range(b, min(len(v.toks), b + 8)):
        if v.clause[k] != v.clause[a]:
            break
        sp = v.span_at(k, lambda s: s.kind == "project")
        targets = [sp] if sp is not None else project_named_at(v, k, projects, si) if project_word(v, k) else []
        if targets:
            for proj in targets:
                for ag in agents:
                    emit(proj, trig.relation, ag, ag.start, b, _phrase(v, a, b))
            return
        if v.covered[k] or v.toks[k].is_word or low[k] in _QUOTES:
            continue
        break


def _gen(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "X vadībā", "X finansējums": the genitive name before the noun (over a period
    "2014.–2020. gadu perioda" in between)."""
    i = a
    steps = 0
    while i > 0 and steps < 6 and not v.ending.get(i):
        w = v.low[i - 1]
        if w[:1].isdigit() or w in ("–", "-", ".") or stem(w) in ("gad", "period"):
            i -= 1
            steps += 1
            continue
        break
    agents = list_before(v, i, _is_org, GENITIVE)
    if not agents:
        return
    for proj in clause_projects(v, a, projects, si):
        for ag in agents:
            emit(proj, trig.relation, ag, ag.start, b, _phrase(v, a, b))


def _ar(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "ar X atbalstu": "ar", the names in the genitive, the noun."""
    agents = list_before(v, a, _is_org, GENITIVE)
    if not agents:
        return
    start = agents[0].start
    parent = agents[0].parent
    while parent is not None and parent.end == start:
        start, parent = parent.start, parent.parent  # "ar Ziemeļvalstu Ministru padomes biroja Latvijā atbalstu"
    if start == 0 or v.low[start - 1] != "ar":
        return
    for proj in clause_projects(v, a, projects, si):
        for ag in agents:
            emit(proj, trig.relation, ag, start - 1, b, _phrase(v, a, b))


_COOPERATION_NOUNS = frozenset({"sadarbību", "sadarbības"})


def _with(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "sadarbībā ar A, B un C", "kopā ar X" (a co-doer where the clause's verb leads)."""
    if v.low[b - 1] != "ar":
        if b < len(v.toks) and v.low[b] == "ar":
            b += 1
        else:
            return
    targets = clause_projects(v, a, projects, si)
    rel = trig.relation
    if rel is Relation.LEAD_PARTNER and v.clause[a] not in lead:
        rel = Relation.PARTNER
    if not targets and v.low[a] not in _COOPERATION_NOUNS:
        held_in = event_project_in_clause(v, a, projects, si)  # "sanāksme, ko vadīja X sadarbībā ar Y"
        if held_in is not None:
            targets, rel = [held_in], Relation.PARTNER
    k = b
    while (
        k < len(v.toks)
        and k - b < 4
        and v.low[k] != "no"
        and not v.covered[k]
        and (v.low[k].isalpha() and v.low[k].islower() or v.low[k] in ("/", "-"))
    ):
        k += 1  # "ar partneriem", "ar kolēģiem", "ar kolēģēm/-iem"
    if k > b and k + 1 < len(v.toks) and v.low[k] == "no" and v.span_at(k + 1, _is_country) is not None:
        # "kopā ar partneriem no Lietuvas un Igaunijas", "sadarbību ar kolēģiem no Igaunijas,
        # Lietuvas un Somijas nevalstiskajām organizācijām": the partners' states
        for c in list_after(v, k + 1, _is_country, FROM):
            for proj in targets:
                emit(proj, Relation.PARTICIPANT_COUNTRY, c, a, c.end, _phrase(v, a, k + 1))
        return
    if v.low[a] in _COOPERATION_NOUNS:
        return  # "sadarbību ar X" names whom a project works with, not that X takes part
    for ag in list_after(v, b, _is_org, INSTRUMENTAL):
        for proj in targets:
            emit(proj, rel, ag, a, ag.end, _phrase(v, a, b))


_OTHER = frozenset({"citu", "citām", "citās", "citas", "citi", "citiem", "pārējo", "pārējām", "pārējās"})


def _countries_beside(v: View, a: int, b: int) -> list[Span]:
    """The states a participant-country noun names around it: "Latvijas un citu
    iesaistīto valstu" (the states before "un citu"), "partnervalstu koordinatori un
    pētnieki no Latvijas, Lietuvas ..." (the people's states after "no", in its clause)."""
    if a >= 2 and v.low[a - 1] in _OTHER and v.low[a - 2] == "un":
        return list_before(v, a - 2, _is_country)
    for k in range(b, min(len(v.toks), b + 8)):
        if not v.same_clause(k, a) or v.covered[k]:
            break
        if v.low[k] == "no":
            return list_after(v, k + 1, _is_country, FROM) if v.span_at(k + 1, _is_country) else []
    return []


def _list(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "partneri ir A un B", "partneri: A, B", "vadošais partneris – X", "X ir (projekta)
    partneris"."""
    want = _is_country if trig.relation is Relation.PARTICIPANT_COUNTRY else _is_org
    targets = clause_projects(v, a, projects, si)
    if not targets:
        cur = projects.current(si)
        if cur is None:
            return
        targets = [cur]
    i = b
    if i < len(v.toks) and v.low[i] in ("ir", "bija", "būs", ":", "–", "-"):
        i += 1
    if trig.relation is Relation.PARTNER and i < len(v.toks) and v.low[i] == "no":
        # "partneri no Lietuvas, Igaunijas un Polijas": the states the partners come from
        states = list_after(v, i + 1, _is_country, FROM)
        if states:
            for proj in targets:
                for c in states:
                    emit(proj, Relation.PARTICIPANT_COUNTRY, c, a, c.end, _phrase(v, a, b))
            return
    if trig.relation is Relation.PARTICIPANT_COUNTRY:
        named = _countries_beside(v, a, b)
        if named:
            for proj in targets:
                for c in named:
                    emit(proj, Relation.PARTICIPANT_COUNTRY, c, min(a, c.start), max(b, c.end), _phrase(v, a, b))
            return
    items = list_after(v, i, want)
    if not items and v.ss.sentence.text.rstrip().endswith(":") and len(v.toks) - b <= 2:
        # "Projekta partneri:" and a bullet list: the name each bullet begins with
        for bullet in projects.bullets_after(si):
            first = next((sp for sp in bullet.spans if want(sp) and sp.start <= 3), None)
            if first is not None:
                for proj in targets:
                    projects.emit_in(bullet, proj, trig.relation, first, first.start, first.end, _phrase(v, a, b))
        return
    if not items:
        # "X ir projekta partneris": the name before "ir"
        k = a
        while k > 0 and (project_word(v, k - 1) or v.span_ending(k, lambda s: s.kind == "project")):
            ended = v.span_ending(k, lambda s: s.kind == "project")
            k = ended.start if ended is not None else k - 1
        if k > 0 and v.low[k - 1] in _COPULA:
            items = list_before(v, k - 1, want, NOMINATIVE)
    for proj in targets:
        for it in items:
            if it.kind != "project":
                emit(proj, trig.relation, it, min(a, it.start), max(b, it.end), _phrase(v, a, b))


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


def _within(v: View, trig: Trigger, a: int, b: int, si: int, projects: Projects, emit: Emit, lead: set[int]) -> None:
    """ "X sniedz atbalstu projekta Y ietvaros", "Projekta ietvaros X rīko apmācības": who
    does what a clause says happens within a project takes part in it. The doer is the
    first organisation in the nominative of the clause (none in a passive clause, "tiek
    sniegts", whose nominative is what is done); where the clause's subject is a thing the
    previous sentence said someone did ("Šis pakalpojums ..." after "X sniedza
    pakalpojumu"), that sentence's subject. Money granted ("piešķīra 10 000 eiro") is a
    funder's act, not taking part; a pair another cue of the sentence joined is left to it
    (read_sentence)."""
    if a == 0:
        return
    before = a - 1
    if v.low[before] in _PRONOUNS:  # "tā ietvaros": the project named before it
        named = [sp for sp in v.ss.spans if sp.kind == "project" and sp.end <= before]
        targets = named[-1:]
    elif project_word(v, before) or v.span_ending(a, _is_project):
        targets = clause_projects(v, before, projects, si)
    else:
        return  # "programmas ietvaros", "sadarbības ietvaros": not a project
    clause = v.clause[a]
    ids = [i for i, c in enumerate(v.clause) if c == clause]
    if not targets or any(v.low[i] in _MONEY or v.low[i][:1].isdigit() and v.low[i][-1:] == "€" for i in ids):
        return
    doers: list[Span] = []
    if not any(v.low[i] in _PASSIVE_AUX for i in ids):
        for i in ids:
            sp = v.span_at(i, _nominative_doer)
            if sp is not None:
                doers = [d for d in list_after(v, i, _is_org, NOMINATIVE) if v.clause[d.start] == clause] or [sp]
                break
    here = True
    if not doers and v.low[ids[0]] in _DEMONSTRATIVES and ids[0] + 1 < len(v.toks) and si > 0:
        doers = _doer_of_thing(projects.state.sentences[si - 1], v.low[ids[0] + 1])
        here = False
    for proj in targets:
        for d in doers:
            if proj.key == d.key:
                continue
            if here:
                emit(proj, Relation.PARTNER, d, min(a, d.start), max(b, d.end), _phrase(v, a, b))
            else:  # the evidence: this sentence, from its demonstrative to "ietvaros"
                emit(proj, Relation.PARTNER, d, ids[0], b, _phrase(v, ids[0], b))


_PASSIVE_AUX = frozenset("tiek tika tiks tikuši tikušas tikusi ticis".split())
_DEMONSTRATIVES = frozenset("šis šī šie šīs šo šos šīm šiem".split())
_MONEY = frozenset("eiro eur euro € latu lati dolāru".split())


def _nominative_doer(sp: Span) -> bool:
    nominative = sp.cases is not None and not sp.genitive and _in_case(sp, NOMINATIVE)
    return _is_org(sp) and nominative and not is_funder_name(sp)


def _doer_of_thing(prev: SentenceSpans, noun: str) -> list[Span]:
    """The subject of the previous sentence, where it did the thing a demonstrative subject
    names: "X sniedza konsultācijas ... . Šīs konsultācijas ...", "X konsultēja ... . Šīs
    konsultācijas ..." (a word of it begins as the noun does)."""
    first = min(prev.spans, key=lambda s: s.start, default=None)
    if first is None or first.start > 1 or not _nominative_doer(first) or len(noun) < 6:
        return []
    thing = noun[:6]
    return [first] if any(t.text.lower().startswith(thing) for t in prev.tokens[first.end :]) else []


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

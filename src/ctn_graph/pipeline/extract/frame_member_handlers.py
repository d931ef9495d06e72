"""The handlers of the membership frames: who is a member or a part of what, read from a
group and its members ("X sastāvā ir A, B", "X apvieno A un B", "A ir X dalībvalsts",
"pārstāvji no A, B", "kuri pārstāv A, B": _members), a verb of joining ("Latvija
pievienojās X": _join), a state's representation in a body (_represent) and a unit of a
body ("X ir Y struktūrvienība": _part)."""

from __future__ import annotations

from ...ir import Relation
from ..lv.morph import stem
from .frame_lists import _agents, list_after, list_before
from .frame_projects import Projects
from .frame_triggers import Trigger
from .frame_view import Emit, View, _phrase
from .frame_words import (
    _COPULA,
    _JOINERS,
    _QUOTES,
    FROM,
    GENITIVE,
    NOMINATIVE,
    _in_case,
    _is_country,
    _is_org,
    _stems_of,
    is_group,
)
from .spans import Span


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

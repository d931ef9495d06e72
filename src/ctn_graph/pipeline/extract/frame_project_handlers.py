"""The handlers of the project frames: who leads, funds, supports or takes part in a
project, and which countries take part, read from a verb and its doers (_verb, and a
passive "tiek finansēts no X", _passive), a genitive before a participle or a noun
(_attr, _gen, "ar X atbalstu": _ar), "sadarbībā ar" / "kopā ar" (_with), a role noun and
its list (_list), and what a clause says happens within a project ("projekta ietvaros",
_within)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...ir import Relation
from ..lv.morph import stem
from .frame_lists import _agents, list_after, list_before, skip_parenthesis
from .frame_projects import (
    Projects,
    _pronoun_project,
    clause_projects,
    event_project_in_clause,
    project_in_clause,
    project_named_at,
)
from .frame_triggers import Trigger
from .frame_view import Emit, View, _phrase, project_word
from .frame_words import (
    _COPULA,
    _LOCATIVE,
    _PRONOUNS,
    _QUOTES,
    FROM,
    GENITIVE,
    INSTRUMENTAL,
    NOMINATIVE,
    _in_case,
    _is_country,
    _is_org,
    _is_project,
    is_funder_name,
)
from .spans import Span

if TYPE_CHECKING:
    from .state import SentenceSpans


# an infinitive trigger states a relation only after one of these ("turpinās īstenot")
_INFINITIVE_HOSTS = frozenset(
    """turpina turpināja turpinās turpinājusi turpinājis plāno plānoja plānos sāk sāka sāks uzsāk uzsāka
    uzsāks gatavojas var varēs varēja spēs apņemas apņēmās nolēma nolemj ieguva ieguvusi ieguvis""".split()
)


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

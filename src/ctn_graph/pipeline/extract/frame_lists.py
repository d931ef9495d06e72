"""The names a trigger takes: the coordinated names after a token (list_after: joined by
commas, "un", "kā arī", dashes or semicolons, over a parenthesis, a unit of a body or a
few words the text gives no name) and before it (list_before), a parenthesis after a name
(skip_parenthesis, parenthesis_country), and the doers of a verb (_agents: the nominative
names of its clause, and people named by their post acting for their body)."""

from __future__ import annotations

from collections.abc import Callable

from .frame_triggers import trigger_index
from .frame_view import View, project_word
from .frame_words import (
    _JOINERS,
    _LOCATIVE,
    _QUOTES,
    ANY,
    NOMINATIVE,
    _in_case,
    _is_country,
    _is_org,
    _is_project,
    _is_role_word,
)
from .spans import Span

_OBJECT_PRONOUNS = frozenset({"to", "tos", "tās", "viņu"})


def list_after(v: View, pos: int, want: Callable[[Span], bool], cases: frozenset[str] = ANY) -> list[Span]:
    """The coordinated names satisfying `want` (in one of `cases`) that start at token
    `pos` (after a few words at most: "pārstāvji no nozaru – ..."), joined by commas,
    "un", "kā arī" or dashes, in one clause. A parenthesis after a name belongs to it."""
    out: list[Span] = []
    toks, low = v.toks, v.low
    n = len(toks)
    i = pos
    gap = 0
    joined = True
    clause = v.clause[pos] if pos < n else None
    while i < n:
        if low[i] == ";" and out and _semicolon_item(v, i + 1, want):
            # "Partneri: A; B; C": a list joined by semicolons, each item a name alone
            clause, joined = v.clause[i + 1], True
            i += 1
            continue
        if clause is not None and v.clause[i] != clause and low[i] != ",":
            break
        holder = v.span_at(i, _is_org)
        if holder is not None and not (want(holder) and _in_case(holder, cases)):
            unit = v.span_at(skip_parenthesis(v, holder.end), _child_of(holder))
            if unit is None and holder.genitive:
                # "finansē Eiropas Savienības Iekšējās drošības fonds": the Union's fund, the
                # owner in the genitive right before it
                unit = v.span_at(
                    holder.end, lambda s: _is_org(s) and s.kind in ("org", "unit") and want(s) and _in_case(s, cases)
                )
            if unit is not None:
                i = unit.start  # "Baltijas jūras valstu padomes Sekretariāta Darba grupu": the unit
                continue
        sp = v.span_at(i, lambda s: want(s) and _in_case(s, cases))
        if sp is not None and sp.kind == "country":
            named = v.span_at(sp.end, want)
            if named is not None and named.qualifier is sp and _in_case(named, cases):
                sp = named  # "Latvijas Pašvaldību savienības": the state names the body, no item of its own
        if sp is not None:
            if not joined and out:
                break
            after = skip_parenthesis(v, sp.end)

            def of_parent(s: Span, parent: Span = sp) -> bool:
                return s.parent is parent and want(s)

            unit = v.span_at(after, of_parent)
            owned = v.span_at(sp.end, lambda s: _is_org(s) and want(s) and s.kind in ("org", "unit"))
            if unit is None and owned is not None and sp.genitive:
                unit = owned  # "Eiropas Savienības Iekšējās drošības fonda": the Union's fund
            while unit is not None:
                # "Starptautiskās Migrācijas organizācijas (IOM) Latvijas biroja": the office
                # (and the office of that: "ANO Augstā komisāra ... (UNHCR) ... biroju")
                sp, after = unit, skip_parenthesis(v, unit.end)
                unit = v.span_at(after, _child_of(sp)) if want(sp) else None
            out.append(sp)
            while after < n and low[after] in _QUOTES:
                after += 1
            placed = v.span_at(after, _is_country)
            if placed is not None and not want(placed) and v.low[placed.end - 1].endswith(_LOCATIVE):
                after = placed.end  # "“Living for Tomorrow” Igaunijā": where the body is
            i = after
            joined = False
            continue
        other = v.span_at(i, lambda s: True)
        if other is not None:
            if other.kind == "country" and v.span_at(other.end, want) is not None:
                i = other.end  # "Igaunijas Darba inspekciju": the country names the next item
                continue
            break
        w = low[i]
        if out and _is_role_word(toks[i].text) and i + 1 < n and low[i + 1] in _JOINERS:
            i += 1  # "A un B pārstāvji, kā arī C pārstāvis": the people stand for their bodies
            continue
        if out and joined and low[i - 1] == ",":
            k = _unnamed_items(v, i, want)
            if k > i:
                i = k  # "A, bāriņtiesu, Dzimtsarakstu nodaļu, B": items the text gives no name
                continue
        if out and joined and toks[i].is_word and w.islower():
            # "..., nevalstiskajām organizācijām – biedrības “A”, ...": a label inside the list
            k = i
            while k < n and k - i < 3 and toks[k].is_word and low[k].islower() and not v.covered[k]:
                k += 1
            if k > i and k < n and low[k] in ("–", "-", ":", "—"):
                if any(t.frame == "list" for m in range(i, k) for t in trigger_index().of_word(low[m])):
                    break  # "vadošais partneris ir X, partneri – A, B": another role's list begins
                i = k + 1
                continue
        if w in _JOINERS or w in _QUOTES or w == ")":
            joined = joined or w in _JOINERS
            i += 1
            continue
        if w == ":" and not out:
            i += 1
            continue
        if not out and gap < 3 and toks[i].is_word and not v.covered[i]:
            gap += 1
            i += 1
            continue
        break
    return out


def _semicolon_item(v: View, i: int, want: Callable[[Span], bool]) -> bool:
    """Whether a name that `want`s stands alone between a semicolon and the next one (or the
    sentence's end, or "un"): an item of a list, not the subject of a clause of its own."""
    sp = v.span_at(i, want)
    if sp is None:
        return False
    after = skip_parenthesis(v, sp.end)
    while after < len(v.toks) and v.low[after] in _QUOTES:
        after += 1
    return after >= len(v.toks) or v.low[after] in (";", ".", "un", "!", "?")


def _unnamed_items(v: View, i: int, want: Callable[[Span], bool]) -> int:
    """The token of the next name in a list after items of a few words that are no
    name ("bāriņtiesu, Dzimtsarakstu nodaļu, "), or i if none follows within three."""
    low, n = v.low, len(v.toks)
    k = i
    for _ in range(3):
        start = k
        while k < n and k - start < 3 and low[k].isalpha() and not v.covered[k]:
            k += 1
        if k == start or k + 1 >= n or low[k] not in (",", "un"):
            return i
        if v.span_at(k + 1, want) is not None:
            return k
        if low[k] == "un":
            return i
        k += 1
    return i


def _child_of(parent: Span) -> Callable[[Span], bool]:
    return lambda s: s.parent is parent


def list_before(v: View, pos: int, want: Callable[[Span], bool], cases: frozenset[str] = ANY) -> list[Span]:
    """The coordinated names satisfying `want` that end right before token `pos`."""
    out: list[Span] = []
    i = pos
    low = v.low
    while i > 0:
        while i > 0 and low[i - 1] in _QUOTES and not v.ending.get(i):
            i -= 1
        if i > 0 and low[i - 1] == ")":
            k = i - 1
            while k > 0 and low[k] != "(" and i - k < 15:
                k -= 1
            if low[k] == "(" and v.span_ending(k, want):
                i = k
        sp = v.span_ending(i, lambda s: want(s) and _in_case(s, cases))
        if sp is None:
            break
        out.insert(0, sp)
        i = sp.start
        while i > 0 and (low[i - 1] in _QUOTES or _is_legal_form(v.toks[i - 1].text)) and not v.ending.get(i):
            i -= 1  # nodibinājums “Centrs Dardedze”
        if i > 0 and low[i - 1] in (",", "un"):
            i -= 1
            continue
        break
    return out


def _is_legal_form(word: str) -> bool:
    from .lexicon import load_lexicon

    h = load_lexicon().head(word)
    return h is not None and h.kind == "ngo"


def skip_parenthesis(v: View, i: int) -> int:
    if i < len(v.toks) and v.low[i] == "(":
        k = i + 1
        while k < len(v.toks) and v.low[k] != ")" and k - i < 15:
            k += 1
        if k < len(v.toks) and v.low[k] == ")":
            return k + 1
    return i


def parenthesis_country(v: View, sp: Span) -> Span | None:
    """ "Lietuvas Sarkanā Krusta biedrību (Lietuva)": the country in the parenthesis after a name."""
    i = sp.end
    if i < len(v.toks) and v.low[i] == "(":
        k = i + 1
        while k < len(v.toks) and v.low[k] != ")" and k - i < 15:
            c = v.span_at(k, _is_country)
            if c is not None and (k + 1 < len(v.toks) and v.low[c.end] in (")", ",")):
                return c
            k += 1
    return None


def _agents(v: View, at: int, end: int, want: Callable[[Span], bool]) -> list[Span]:
    """The doers of the verb at token `at` (its last word before `end`): the nominative
    names of its clause, the nearest before it, else the nearest after it."""
    clause = v.clause[at]
    if at > 0 and (v.low[at - 1] in _OBJECT_PRONOUNS or project_word(v, at - 1) or v.span_ending(at, _is_project)):
        # the object right before the verb: the doer follows ("to līdzfinansē X", "Projektu finansē X")
        after = [sp for sp in list_after(v, end, want, NOMINATIVE) if v.clause[sp.start] == clause]
        if after:
            return after
    for i in range(at - 1, -1, -1):
        if v.clause[i] != clause:
            continue
        # a name whose case its form does not tell (an acronym) only right before the verb
        def doer(s: Span, near: bool = i + 2 >= at) -> bool:
            return want(s) and (s.cases is not None or near) and _in_case(s, NOMINATIVE)

        found = v.span_ending(i + 1, doer)
        if found is not None:
            return list_before(v, i + 1, want, NOMINATIVE)
    after = list_after(v, end, want, NOMINATIVE)
    if not after:
        people = _body_of_people(v, end, want)
        after = [people] if people is not None else []
    return [sp for sp in after if v.clause[sp.start] == clause]


def _body_of_people(v: View, i: int, want: Callable[[Span], bool]) -> Span | None:
    """ "atbalstīja Rīgas domes ... komitejas deputāti": people named by their post act
    for the body in the genitive before the post (the doer right after the verb)."""
    body = v.span_at(i, lambda s: want(s) and s.genitive)
    while body is not None and v.span_at(body.end, _child_of(body)) is not None:
        body = v.span_at(body.end, _child_of(body))  # "Rīgas domes ... komitejas": the unit
    if body is None or not body.genitive or body.end >= len(v.toks) or not _is_role_word(v.toks[body.end].text):
        return None
    after = body.end + 1
    if after < len(v.toks) and v.toks[after].text[:1].isupper():
        return None  # "X pārstāvis Jānis Bērziņš": the person, named
    return body if v.low[body.end].endswith(("i", "s", "es")) else None

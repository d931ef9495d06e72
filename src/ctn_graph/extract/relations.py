"""Relations read from name structure, persons' roles, and (frames.py) clauses.

* partOf: a unit named after its parent in the genitive ("Valsts policijas ... nodaļa"),
  and the gazetteer's sub-unit facts where both are named in the document.
* country: every national body, NGO and company, from its name, the sentence or the
  gazetteer.
* affiliation: a person next to a role word and an organisation.
* project relations and memberships: read clause by clause by frames.py
  (data/lexicon/frames.tsv).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..ir import Claim, EntityClass, Evidence, Relation
from ..lv.morph import stem
from ..resources import data_path
from .frames import View, frame_claims, list_after
from .spans import F_CUE, F_PROJECT, Span, norm

if TYPE_CHECKING:
    from .document import DocState, DocumentExtractor, SentenceSpans

_VADIT = re.compile(r"^vadīt(ā|ās|o|ais|ajā)$")


def _is_org(sp: Span) -> bool:
    return sp.cls.is_organisation


def _is_country(sp: Span) -> bool:
    return sp.cls is EntityClass.COUNTRY


def find_claims(state: DocState, span_ids: dict[int, str], ex: DocumentExtractor) -> list[Claim]:
    doc = state.doc
    claims: list[Claim] = []
    seen: set[tuple[str, Relation, str]] = set()

    def add(s: str, rel: Relation, o: str, ss: SentenceSpans, a: int, b: int, cue: str | None) -> None:
        if s == o or (s, rel, o) in seen:
            return
        seen.add((s, rel, o))
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
        # --- events held within a project: "projekta uzsākšanas sanāksme", or in its sentence
        for sp in spans:
            if sp.kind == "event" and project is not None:
                named = any(stem(t.text) == "projekt" for t in ss.tokens[max(0, sp.start - 8) : sp.end])
                if named or projects_here:
                    target = projects_here[0] if projects_here else project
                    add(mid(sp), Relation.ABOUT_PROJECT, mid(target), ss, sp.start, sp.end, None)
        # --- persons
        _affiliations(ss, state.sentences, si, add, mid, ex)
        # --- a project and a list of countries with no cue ("... Latvijā, Lietuvā, Igaunijā un ...")
        if projects_here:
            countries = [sp for sp in spans if _is_country(sp) and sp.start > projects_here[0].end]
            if len(countries) >= 3 and not any(
                c.relation == Relation.PARTICIPANT_COUNTRY and c.evidence.sentence == ss.sentence.index for c in claims
            ):
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


def _affiliations(ss: SentenceSpans, sentences: list[SentenceSpans], si: int, add, mid, ex) -> None:  # noqa: C901
    persons = [sp for sp in ss.spans if sp.kind == "person"]
    if not persons:
        return
    toks = ss.tokens
    by_start = {sp.start: sp for sp in ss.spans}
    by_end: dict[int, Span] = {}  # the first span ending at a token
    for named in ss.spans:
        by_end.setdefault(named.end, named)
    for p in persons:
        org = None
        cue = None
        ref: str | None = None  # "key:..." of a ministry named by its minister's title
        # (a) an organisation and role words before the person
        i = p.start - 1
        steps = 0
        saw_role = False
        while i >= 0 and steps < 16:
            sp = by_end.get(i + 1)
            if sp is not None:
                if _is_org(sp):
                    if saw_role:
                        org, cue = sp, "role"
                    break
                if sp.kind == "person":
                    break
                i = sp.start - 1
                steps += 1
                continue
            t = toks[i].text
            if t in (".", "!", "?", ";", ":", ","):
                break
            if stem(t) == "ministr" and t.islower():
                ref = _minister_ref(ss, i, ex)
                if ref:
                    break
            titled = _title_ref(ss, i, ex)
            if titled is not None:
                ref = titled
                break
            if _is_role(t):
                saw_role = True
            i -= 1
            steps += 1
        if ref is not None:
            add(mid(p), _AFF, ref, ss, max(0, i - 2), p.end, "ministra")
            continue
        # (b) after the person: ", role ..., Organisation" / ", Organisation role" / "no Organisation"
        if org is None:
            j = p.end
            chain = [p]
            while (
                j < len(toks)
                and toks[j].text == "un"
                and by_start.get(j + 1) is not None
                and by_start[j + 1].kind == "person"
            ):
                chain.append(by_start[j + 1])
                j = by_start[j + 1].end
            if j < len(toks) and toks[j].text == "no" and by_start.get(j + 1) is not None and _is_org(by_start[j + 1]):
                for q in chain:
                    add(mid(q), _AFF, mid(by_start[j + 1]), ss, q.start, by_start[j + 1].end, "no")
                continue
            if (
                j < len(toks)
                and _VADIT.match(toks[j].text.lower())
                and by_start.get(j + 1)
                and _is_org(by_start[j + 1])
            ):
                org, cue = by_start[j + 1], "vadītā"
            elif j < len(toks) and toks[j].text == ",":
                k = j + 1
                saw_role = False
                while k < len(toks) and k - j < 18:
                    sp = by_start.get(k)
                    if sp is not None:
                        if sp.kind == "person":
                            break
                        if _is_org(sp):
                            after_role = sp.end < len(toks) and _is_role(toks[sp.end].text)
                            if saw_role or after_role or k == j + 1:
                                org, cue = sp, "apposition"
                            break
                        k = sp.end
                        continue
                    t = toks[k].text
                    if t in (".", ";", "!", "?"):
                        break
                    if stem(t) == "ministr" and t.islower():
                        ref = _minister_ref(ss, k, ex)
                        if ref:
                            break
                    if _is_role(t):
                        saw_role = True
                    k += 1
                if ref is not None:
                    add(mid(p), _AFF, ref, ss, p.start, k + 1, "ministra")
                    continue
        # (c) a signature: the person alone on a line, the organisation on the next
        if org is None and p.start == 0 and p.end == len(toks) and si + 1 < len(sentences):
            nxt = sentences[si + 1]
            first = next((sp for sp in nxt.spans if _is_org(sp)), None)
            lead = first.qualifier.start if first is not None and first.qualifier is not None else None
            if first is not None and (first.start == 0 or lead == 0):
                add(mid(p), _AFF, mid(first), nxt, first.start, first.end, "signature")
                continue
        if org is not None:
            add(mid(p), _AFF, mid(org), ss, min(p.start, org.start), max(p.end, org.end), cue)


_AFF = Relation.AFFILIATION
_MINISTRY_DOMAINS = re.compile(
    r"^(iekšlietu|ārlietu|tieslietu|labklājības|ekonomikas|veselības|zinātnes|finanšu|aizsardzības|"
    r"kultūras|satiksmes|zemkopības|izglītības|sociālo lietu|darba)$"
)


@lru_cache(maxsize=1)
def _role_orgs() -> list[tuple[str, tuple[str, ...], str]]:
    path = data_path("lexicon", "role_orgs.tsv")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("country\t"):
            continue
        country, title, org = line.split("\t")
        out.append((country, tuple(stem(w) for w in title.split()), org))
    return out


@lru_cache(maxsize=10_000)
def _role_orgs_ending(last: str) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """The titles of _role_orgs() that a word of this stem can end, in their order."""
    return tuple(r for r in _role_orgs() if not r[1] or r[1][-1] == last)


def _title_ref(ss: SentenceSpans, k: int, ex) -> str | None:  # noqa: ANN001
    """ "ASV valsts sekretārs Maiks Pompeo": the organisation a title ending at token k names."""
    toks = ss.tokens
    for country, title, org in _role_orgs_ending(stem(toks[k].text)):
        n = len(title)
        if k - n + 1 < 0 or [stem(t.text) for t in toks[k - n + 1 : k + 1]] != list(title):
            continue
        before = next((sp for sp in ss.spans if sp.end == k - n + 1 and sp.kind == "country"), None)
        iso = before.country if before is not None else ex.default_country
        if iso == country and org in ex.gaz.entries:
            return f"key:gaz:{org}"
    return None


def _minister_ref(ss: SentenceSpans, k: int, ex) -> str | None:
    """ "Lietuvas iekšlietu ministra vietnieks": the ministry a minister's title names, as a
    key reference ("key:gaz:lt-vrm", or "key:org:LT:iekšlietu ministrija")."""
    toks = ss.tokens
    j = k - 1
    words: list[str] = []
    while (
        j >= 0
        and toks[j].is_word
        and (toks[j].text.islower() or j == 0)
        and (_MINISTRY_DOMAINS.match(toks[j].text.lower()) or toks[j].text == "un")
    ):
        words.insert(0, toks[j].text.lower())  # "Iekšlietu ministre ..." at the start of a sentence
        j -= 1
    if not words or words[0] == "un":
        return None
    country = next((sp for sp in ss.spans if sp.end == j + 1 and sp.kind == "country" and sp.genitive), None)
    domain = " ".join(words)
    short = domain[:1].upper() + domain[1:] + " ministrija"
    iso = country.country if country is not None else ex.default_country
    names = [short] if iso == ex.default_country else []
    if country is not None:
        base = ss.sentence.start
        surface = ss.sentence.text[toks[country.start].start - base : toks[country.end - 1].end - base]
        names.insert(0, f"{surface} {short}")
    for name in names:
        gid = ex._names_index.get(norm(name))
        if gid is not None:
            return f"key:gaz:{gid}"
    return f"key:org:{iso}:{norm(short)}"


@lru_cache(maxsize=1)
def _role_stems() -> frozenset[str]:
    from .lexicon import load_lexicon

    return load_lexicon().roles


def _is_role(word: str) -> bool:
    return word[:1].isalpha() and stem(word) in _role_stems()

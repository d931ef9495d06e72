"""Affiliations: a person tied to the organisation a role word next to the name names.

* before the name: "Valsts policijas pārstāve Simona Grāvīte" (the organisation in the
  genitive, role words, the name), and a minister's or an official's title that names
  its body ("iekšlietu ministre ...", "ASV valsts sekretārs ...");
* after it: ", role ... Organisation", ", Organisation role", "no Organisation",
  "Organisation vadītā";
* a signature: the person alone on a line, the organisation on the next.

A role without a named body gives no affiliation.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ...common.resources import data_path
from ...ir import EntityClass, Relation
from ..lv.morph import stem
from .spans import Span, is_verb, norm

if TYPE_CHECKING:
    from .state import SentenceSpans

_VADIT = re.compile(r"^vadīt(ā|ās|o|ais|ajā)$")


def _is_org(sp: Span) -> bool:
    return sp.cls.is_organisation


def affiliations(ss: SentenceSpans, sentences: list[SentenceSpans], si: int, add, mid, ex) -> None:  # noqa: ANN001
    """Add the affiliation claims of the persons of one sentence (`add` and `mid` as in
    relations.find_claims)."""
    persons = [sp for sp in ss.spans if sp.kind == "person"]
    if not persons:
        return
    by_start = {sp.start: sp for sp in ss.spans}
    by_end: dict[int, Span] = {}  # the first span ending at a token
    for named in ss.spans:
        by_end.setdefault(named.end, named)
    shared: dict[int, list[tuple[str, int, int, str]]] = {}  # person -> targets a plural role gives it
    for p in persons:
        targets = shared.get(id(p)) or _before(ss, p, by_end, ex, mid)
        if targets is None:
            targets = _after(ss, p, by_start, ex, mid)
        if targets is None:
            targets = _signature(ss, p, sentences, si, mid)
        if targets is None:
            targets = _demonstrative(ss, p, sentences, si, mid)
        if not targets:
            continue
        for target, a, b, cue in targets:
            add(mid(p), _AFF, target, ss if cue != "signature" else sentences[si + 1], a, b, cue)
        if id(p) not in shared and targets[0][3] == "role+":
            # "Valsts policijas pārstāvji Jānis Bērziņš un Anna Kalniņa": a plural role
            # names the body of every person coordinated after the first
            for q in _coordinated_after(ss, p, by_start):
                shared[id(q)] = [(t, a, q.end, "role") for t, a, _, _ in targets]


def _before(ss: SentenceSpans, p: Span, by_end: dict[int, Span], ex, mid) -> list | None:  # noqa: ANN001
    """Organisations named before the person with role words between: "Valsts policijas
    pārstāve Simona Grāvīte"; a chain of titles joined by a comma gives one each
    ("ministrijas valsts sekretāra vietnieks, ... departamenta direktors Dimitrijs ...").
    A role after words that would name a body nobody has read gives none."""
    toks = ss.tokens
    out: list[tuple[str, int, int, str]] = []
    i = p.start - 1
    steps = 0
    saw_role = False
    plural = False
    while i >= 0 and steps < 16:
        sp = by_end.get(i + 1)
        if sp is not None:
            if _is_org(sp) and saw_role:
                out.append((mid(sp), min(p.start, sp.start), p.end, "role+" if plural and not out else "role"))
                k = sp.start - 1
                if k > 0 and toks[k].text == "," and _is_role(toks[k - 1].text):
                    i, saw_role, plural = k - 1, False, False  # another title of the same person
                    continue
                break
            if _is_org(sp) or sp.kind == "person":
                break
            i = sp.start - 1
            steps += 1
            continue
        t = toks[i].text
        if t in (".", "!", "?", ";", ":", ","):
            break
        if saw_role and not out and t in _ITS and i > 0:
            # "Biedrību “X” pārstāvēja tās valdes priekšsēdētājs Y": a genitive pronoun
            # before the role stands for the one body the sentence named before it
            body = _one_body([sp for sp in ss.spans if sp.end <= i], mid)
            if body is not None:
                return [(mid(body), body.start, p.end, "role")]
            break
        if saw_role and not out and t.lower() in _WHOSE and i > 1 and toks[i - 1].text == ",":
            # "biedrība “X”, kuras vadītāja Anna Liepa": the relative pronoun in the
            # genitive stands for the body named before the comma
            owner = by_end.get(i - 1)
            if owner is not None and _is_org(owner):
                return [(mid(owner), owner.start, p.end, "role")]
            break
        if stem(t) == "ministr" and t.islower():
            ref = _minister_ref(ss, i, ex)
            if ref:
                return [*out, (ref, max(0, i - 2), p.end, "ministra")]
        titled = _title_ref(ss, i, ex)
        if titled is not None:
            return [*out, (titled, max(0, i - 2), p.end, "ministra")]
        if _is_role(t):
            if not saw_role and not out:
                plural = _is_plural_role(t)
            saw_role = True
        elif toks[i].is_word and is_verb(t):
            break  # "... pārstāvji tikās ar direktoru Jāni ...": a clause, not a title
        elif saw_role and i > 0 and toks[i].is_word and (t[:1].isupper() or _is_head(t, ex)):
            before = by_end.get(i - 1 if toks[i - 1].text == ")" else i)
            if before is None or not _is_org(before) or t[:1].isupper():
                break  # "EDSO koordinācijas biroja pārstāvis", "EP Cilvēktiesību ... pārstāvi"
            # else the head right after a name that left it out: "... (Commissioner) biroja"
        i -= 1
        steps += 1
    return out or None


def _after(ss: SentenceSpans, p: Span, by_start: dict[int, Span], ex, mid) -> list | None:  # noqa: ANN001
    """Organisations named after the person: "A un B no X", "X vadītā", and an apposition
    after a comma or a dash (", role ... X", ", X role", "– X vadītāja"), or "(X)"."""
    toks = ss.tokens
    n = len(toks)
    chain = [p, *_coordinated_after(ss, p, by_start)]
    j = chain[-1].end
    nxt = by_start.get(j + 1) if j < n else None
    while nxt is not None and by_start.get(nxt.end) is not None and by_start[nxt.end].parent is nxt:
        nxt = by_start[nxt.end]  # "no EDSO koordinācijas biroja ...": the unit of the body named
    if j < n and toks[j].text == "no" and nxt is not None and _is_org(nxt) and not _name_goes_on(toks, nxt.end, ex):
        return [(mid(nxt), p.start, nxt.end, "no")]  # each person of the chain, in its turn
    j = p.end
    nxt = by_start.get(j + 1) if j < n else None
    if j >= n:
        return None
    if nxt is not None and _VADIT.match(toks[j].text.lower()) and _is_org(nxt):
        return [(mid(nxt), p.start, nxt.end, "vadītā")]
    if nxt is not None and toks[j].text == "(" and _is_org(nxt) and nxt.end < n and toks[nxt.end].text == ")":
        return [(mid(nxt), p.start, nxt.end, "parenthesis")]
    if toks[j].text not in (",", "-", "–", "—"):
        return None
    dash = toks[j].text != ","
    k = j + 1
    saw_role = False
    while k < n and k - j < 18:
        sp = by_start.get(k)
        if sp is not None:
            if sp.kind == "person":
                return None
            if _is_org(sp):
                if _title_of_next(toks, sp.end, by_start):
                    return None  # ", Ārlietu ministrijas sekretāri Vairu Paegli": the next person's
                if saw_role or _role_after(toks, sp.end) or (k == j + 1 and not dash):
                    return [(mid(sp), p.start, sp.end, "apposition")]
                return None
            k = sp.end
            continue
        t = toks[k].text
        if t in (".", ";", "!", "?"):
            return None
        if stem(t) == "ministr" and t.islower():
            ref = _minister_ref(ss, k, ex)
            if ref:
                return [(ref, p.start, k + 1, "ministra")]
        if t in _works_at() and toks[k - 1].text.lower() in _WHO:
            # ", kas vada biedrību ...", ", kura strādā Valsts policijā": the verb's object
            sp = by_start.get(k + 1)
            return [(mid(sp), p.start, sp.end, "apposition")] if sp is not None and _is_org(sp) else None
        if _is_role(t):
            saw_role = True
        elif is_verb(t):
            return None  # another clause: "..., projekta vadītājs, sadarbojas ar ..."
        k += 1
    return None


def _signature(ss: SentenceSpans, p: Span, sentences: list[SentenceSpans], si: int, mid) -> list | None:  # noqa: ANN001
    """A signature: the person alone on a line, the organisation at the start of the next
    (after role words: "biedrības ... vadītāja", "valdes priekšsēdētāja, SIA ...")."""
    if p.start != 0 or p.end != len(ss.tokens) or si + 1 >= len(sentences):
        return None
    nxt = sentences[si + 1]
    first = next((sp for sp in nxt.spans if _is_org(sp)), None)
    if first is None:
        return None
    lead = first.qualifier.start if first.qualifier is not None else first.start
    before = [t.text for t in nxt.tokens[:lead] if t.is_word]
    titled = len(before) <= 5 and any(_is_role(w) for w in before) and all(w.islower() for w in before[1:])
    return [(mid(first), first.start, first.end, "signature")] if lead == 0 or titled else None


def _demonstrative(ss: SentenceSpans, p: Span, sentences: list[SentenceSpans], si: int, mid) -> list | None:  # noqa: ANN001
    """ "Biedrība “X” palīdz cietušajiem. Tās vadītāja Anna Liepa ...": a sentence that
    opens with a demonstrative in the genitive and role words before the person names the
    body of the sentence before, when that sentence names one organisation and no project
    (with two, or a project, "tās" could stand for either)."""
    toks = ss.tokens
    if si == 0 or p.start < 2 or toks[0].text not in _THAT_ONES:
        return None
    between = [t.text for t in toks[1 : p.start]]
    if len(between) > 4 or not all(w.isalpha() and w.islower() for w in between):
        return None
    if not _is_role(between[-1]) or any(is_verb(w) for w in between):
        return None
    body = _one_body(sentences[si - 1].spans, mid)
    return [(mid(body), 0, p.end, "role")] if body is not None else None


def _one_body(spans: list[Span], mid) -> Span | None:  # noqa: ANN001
    """The one organisation (by entity) among spans that name no project: what a pronoun
    ("tās", "tā") can stand for; None with two, or with a project, which it could stand for too."""
    orgs = {mid(sp): sp for sp in spans if _is_org(sp)}
    if len(orgs) != 1 or any(sp.cls is EntityClass.PROJECT for sp in spans):
        return None
    return next(iter(orgs.values()))


def _coordinated_after(ss: SentenceSpans, p: Span, by_start: dict[int, Span]) -> list[Span]:
    """The persons joined to p by "un" or commas: "A, B un C"."""
    toks = ss.tokens
    out = []
    j = p.end
    while j < len(toks) and toks[j].text in ("un", ","):
        q = by_start.get(j + 1)
        if q is None or q.kind != "person":
            break
        out.append(q)
        j = q.end
    return out


def _title_of_next(toks, k: int, by_start: dict[int, Span]) -> bool:  # noqa: ANN001
    """Whether the words after an organisation, up to the next punctuation, lead to a
    person's name: the organisation is in that person's title."""
    for i in range(k, min(len(toks), k + 8)):
        sp = by_start.get(i)
        if sp is not None:
            return sp.kind == "person"
        if not toks[i].is_word and toks[i].text not in _CLOSING:
            return False
    return False


def _role_after(toks, k: int) -> bool:  # noqa: ANN001
    """Whether a role word follows token k (after a closing quote): "“Centrs MARTA” vadītāja"."""
    while k < len(toks) and toks[k].text in _CLOSING:
        k += 1
    return k < len(toks) and _is_role(toks[k].text)


def _name_goes_on(toks, k: int, ex) -> bool:  # noqa: ANN001
    """Whether lower-case words after a name end in the head of a longer name: "EDSO
    koordinācijas biroja" names an office of the OSCE, not the OSCE."""
    for t in toks[k : k + 3]:
        if not t.is_word or not t.text.islower():
            return False
        if _is_head(t.text, ex):
            return True
    return False


def _is_head(word: str, ex) -> bool:  # noqa: ANN001
    h = ex.lex.head(word)
    return h is not None and h.kind in ("org", "unit")


def _is_plural_role(word: str) -> bool:
    """Whether a role word is a masculine plural ("pārstāvji", "eksperti"), not the
    accusative singular of the second declension ("pārstāvi")."""
    from .persons import role_cases

    return word.lower().endswith("i") and "acc" not in role_cases(word)


_WHO = frozenset({"kas", "kura", "kurš", "kuri", "kuras"})
_ITS = frozenset({"tās", "tā", "šīs", "šā"})  # inside a sentence: "tās valdes priekšsēdētājs"
_THAT_ONES = frozenset({"Tās", "Tā", "Šīs", "Šā"})  # "tā" / "šī" in the genitive: its
_WHOSE = frozenset({"kura", "kuras", "kuru"})  # "kurš" / "kura" in the genitive: whose
_CLOSING = frozenset("”“\"»’")


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
        and (toks[j].text.islower() or toks[j].text[1:].islower())
        and (_MINISTRY_DOMAINS.match(toks[j].text.lower()) or toks[j].text == "un")
    ):
        # "iekšlietu ministre", and "Iekšlietu ministre" as many texts write it (the
        # domain's words a closed list)
        words.insert(0, toks[j].text.lower())
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
def _works_at() -> frozenset[str]:
    """data/lexicon/role_verbs.txt: "kas vada ...", "kura strādā ..."."""
    from .lexicon import _words

    return frozenset(_words(data_path("lexicon", "role_verbs.txt")))


@lru_cache(maxsize=1)
def _role_stems() -> frozenset[str]:
    from .lexicon import load_lexicon

    return load_lexicon().roles


def _is_role(word: str) -> bool:
    return word[:1].isalpha() and stem(word) in _role_stems()

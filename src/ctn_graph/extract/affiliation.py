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

from ..ir import Relation
from ..lv.morph import stem
from ..resources import data_path
from .spans import Span, norm

if TYPE_CHECKING:
    from .document import SentenceSpans

_VADIT = re.compile(r"^vadīt(ā|ās|o|ais|ajā)$")


def _is_org(sp: Span) -> bool:
    return sp.cls.is_organisation


def affiliations(ss: SentenceSpans, sentences: list[SentenceSpans], si: int, add, mid, ex) -> None:  # noqa: C901
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

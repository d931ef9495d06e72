"""Relations read from cue phrases, lists and name structure.

* partOf: a unit named after its parent in the genitive ("Valsts policijas ... nodaļa"),
  and the gazetteer's sub-unit facts where both are named in the document.
* country: every national body, NGO and company, from its name, the sentence or the
  gazetteer.
* affiliation: a person next to a role word and an organisation (affiliation.py).
* project relations and memberships: cue phrases (data/lexicon/cues.tsv) and the
  coordinated list of names around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..ir import Claim, EntityClass, Evidence, Relation
from ..lv.morph import stem
from ..resources import data_path
from .affiliation import affiliations
from .spans import F_CUE, F_PROJECT, Span, is_verb

if TYPE_CHECKING:
    from .document import DocState, DocumentExtractor, SentenceSpans

_LIST_SEPARATORS = frozenset(
    {",", "un", ":", "–", "-", "—", ";", "kā", "arī", "(", ")", "*", "a", "•", '"', "“", "”", "„", "«", "»"}
)


@dataclass(frozen=True, slots=True)
class _CueHit:
    relation: str
    role: str
    start: int  # token index of the first cue word
    end: int  # token index after the cue
    text: str  # the cue as the lexicon writes it ("vadoš* partner*")
    phrase: str = ""  # the cue as the sentence writes it ("vadošais partneris")


@lru_cache(maxsize=1)
def _collectives() -> frozenset[str]:
    p = data_path("lexicon", "collectives.txt")
    return frozenset(
        stem(ln.strip()) for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")
    )


class _CueIndex:
    """Cues by their first word; cues whose first word is a prefix ("partnervalst*") apart.
    `candidates` (cached by word) lists the cues a lower-case word can begin, in the order
    of the lexicon: first those whose first word it is, then those whose prefix it has."""

    def __init__(self, cues) -> None:  # noqa: ANN001
        self.exact: dict[str, list] = {}
        self.prefixed: list = []
        for cue in cues:
            first = cue.text.split()[0]
            if first.endswith("*"):
                self.prefixed.append(cue)
            else:
                self.exact.setdefault(first, []).append(cue)
        self._prefixes = [(cue.text.split()[0][:-1], cue) for cue in self.prefixed]
        self._cache: dict[str, tuple] = {}
        self._by_token: dict[str, tuple] = {}

    def candidates(self, w: str) -> tuple:
        """(cue, its words) of every cue that the lower-case word w can begin."""
        found = self._cache.get(w)
        if found is None:
            cands = self.exact.get(w, [])
            if self.prefixed:
                cands = cands + [c for p, c in self._prefixes if w.startswith(p)]
            found = tuple((cue, _cue_words(cue.text)) for cue in cands)
            if len(self._cache) >= 200_000:
                self._cache.clear()
            self._cache[w] = found
        return found

    def of_token(self, word: str) -> tuple:
        """candidates() of a token's text as written ("" where it is no word)."""
        found = self._by_token.get(word)
        if found is None:
            w = word.lower()
            found = self.candidates(w) if w[:1].isalpha() else ()
            if len(self._by_token) >= 200_000:
                self._by_token.clear()
            self._by_token[word] = found
        return found

    def begins_cue(self, word: str) -> bool:
        """Whether a token with this text can be the first word of a cue."""
        return bool(self.of_token(word))


def _cue_words(text: str) -> tuple[tuple[str, bool], ...]:
    """The words of a cue as (word, whether it is a prefix): "vadoš* partner*" ->
    (("vadoš", True), ("partner", True))."""
    return tuple((p[:-1], True) if p.endswith("*") else (p, False) for p in text.split())


_CUE_INDEX: dict[int, tuple[object, _CueIndex]] = {}


def cue_index(cues) -> _CueIndex:  # noqa: ANN001
    """The index of a tuple of cues (one per lexicon; the cues are kept alive with it)."""
    got = _CUE_INDEX.get(id(cues))
    if got is None or got[0] is not cues:
        got = _CUE_INDEX[id(cues)] = (cues, _CueIndex(cues))
    return got[1]


def _cue_hits(ss: SentenceSpans, cues) -> list[_CueHit]:  # noqa: ANN001
    of_token = cue_index(cues).of_token
    toks = ss.tokens
    inside: set[int] | None = None  # made at the first cue word
    hits = []
    nw = len(toks)
    for i in ss.analysed.having(F_CUE):
        found = of_token(toks[i].text)
        if not found:
            continue
        if inside is None:
            inside = {i for sp in ss.spans for i in range(sp.start, sp.end)}
        if i in inside:
            continue
        for cue, parts in found:
            n = len(parts)
            if i + n > nw:
                continue
            for k, (word, prefix) in enumerate(parts):  # every word of the cue, in order
                w = toks[i + k].text.lower()
                if not (w.startswith(word) if prefix else w == word):
                    break
            else:
                phrase = ss.sentence.text[toks[i].start - ss.sentence.start : toks[i + n - 1].end - ss.sentence.start]
                hits.append(_CueHit(cue.relation, cue.role, i, i + n, cue.text, phrase))
    # longer cues win over the shorter ones they contain
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[_CueHit] = []
    for h in hits:
        if out and h.start < out[-1].end and h.relation == out[-1].relation:
            continue
        out.append(h)
    return out


_QUOTE_CHARS = frozenset("\"„“”«»'‘’")
_JOINERS = frozenset({",", "un", "–", "-", "—", ";", ":", "kā", "arī", "•", "*"})


def _list_after(ss: SentenceSpans, pos: int, want) -> list[Span]:
    """The coordinated list of spans satisfying `want` that starts right after token `pos`.

    Items are joined by commas, "un", "kā arī" or dashes; a parenthesised acronym or
    name right after an item belongs to it. Two names with nothing between them are not
    a list ("ICMPD ... mehānisma ietvaros").
    """
    by_start = {sp.start: sp for sp in ss.spans}
    toks = ss.tokens
    out: list[Span] = []
    i = pos
    gap = 0
    joined = True  # whether the next item may follow (a joiner was seen)
    n = len(toks)
    while i < n:
        sp = by_start.get(i)
        if sp is not None:
            nxt = next((o for o in ss.spans if o.parent is sp), None)
            if nxt is not None and want(nxt):
                # "Starptautiskās Migrācijas organizācijas (IOM) Latvijas biroja": the office
                i = _skip_parenthesis(toks, sp.end)
                continue
            if sp.kind == "country" and not want(sp) and by_start.get(sp.end) is not None:
                i = sp.end  # "Igaunijas Darba inspekciju": the country names the next item
                continue
            if want(sp) and (joined or not out):
                out.append(sp)
                i = _skip_parenthesis(toks, sp.end)
                gap = 0
                joined = False
                continue
            if sp.kind == "person" or out:
                break
            break
        t = toks[i].text.lower()
        if t in _JOINERS:
            joined = True
            i += 1
            continue
        if t in _LIST_SEPARATORS or t.isdigit():
            i += 1
            continue
        # a few words may stand before the list starts ("pārstāvji no ...", "11 ... valstis (")
        if not out and gap < 5 and toks[i].is_word and not is_verb(toks[i].text):
            gap += 1
            i += 1
            continue
        break
    return out


def _skip_parenthesis(toks, i: int) -> int:  # noqa: ANN001
    """Index after "( ... )" if one starts at i (an acronym or name of the item before)."""
    if i < len(toks) and toks[i].text == "(":
        k = i + 1
        while k < len(toks) and toks[k].text != ")" and k - i < 15:
            k += 1
        if k < len(toks) and toks[k].text == ")":
            return k + 1
    return i


def _list_before(ss: SentenceSpans, pos: int, want) -> list[Span]:  # noqa: ANN001
    """The coordinated list of spans that ends right before token `pos` ("X, Y un Z piedalās")."""
    out: list[Span] = []
    by_end = {sp.end: sp for sp in ss.spans}
    i = pos
    while i > 0:
        while i > 0 and ss.tokens[i - 1].text in _QUOTE_CHARS and by_end.get(i) is None:
            i -= 1  # a closing quote after the name
        sp = by_end.get(i)
        if sp is not None and want(sp):
            out.insert(0, sp)
            i = sp.start
            while i > 0 and (ss.tokens[i - 1].text in _QUOTE_CHARS or _is_legal_form(ss.tokens[i - 1].text)):
                i -= 1  # nodibinājums “Centrs Dardedze”
            if i > 0 and ss.tokens[i - 1].text in (",", "un"):
                i -= 1
                continue
            break
        if sp is None and not out and ss.tokens[i - 1].text.lower() in ("arī", "ir", "tāpat"):
            i -= 1
            continue
        break
    return out


def _is_legal_form(word: str) -> bool:
    from .lexicon import load_lexicon

    h = load_lexicon().head(word)
    return h is not None and h.kind == "ngo"


def _span_before(ss: SentenceSpans, pos: int, want, max_gap: int = 3) -> Span | None:
    best = None
    for sp in ss.spans:
        if sp.end <= pos and want(sp):
            if pos - sp.end <= max_gap + _paren_len(ss, sp.end, pos):
                best = sp
    return best


def _paren_len(ss: SentenceSpans, a: int, b: int) -> int:
    return sum(1 for t in ss.tokens[a:b] if t.text in "()") and sum(1 for _ in ss.tokens[a:b])


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

    first_by_key: dict[str, tuple[Span, SentenceSpans]] = {}
    for ss in state.sentences:
        for sp in ss.spans:
            if sp.key not in first_by_key:
                first_by_key[sp.key] = (sp, ss)

    project: Span | None = None
    cues = ex.lex.cues
    for si, ss in enumerate(state.sentences):
        spans = ss.spans
        if not spans:
            continue  # every claim below joins names of the sentence
        projects_here = [sp for sp in spans if sp.kind == "project"]
        if projects_here:
            project = projects_here[0]
        mentions_project_word = bool(ss.flags & F_PROJECT) or projects_here
        # --- structure: partOf and country
        for sp in spans:
            if sp.parent is not None and _is_org(sp) and _is_org(sp.parent):
                add(mid(sp), Relation.PART_OF, mid(sp.parent), ss, sp.parent.start, sp.end, None)
            if _is_org(sp) and sp.country and sp.cls is not EntityClass.INTERNATIONAL_ORGANISATION:
                q = sp.qualifier
                obj = mid(q) if q is not None and q.country == sp.country else f"key:gaz:country:{sp.country}"
                add(mid(sp), Relation.COUNTRY, obj, ss, sp.start, sp.end, None)
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
        affiliations(ss, state.sentences, si, add, mid, ex)
        # --- cues
        hits = _cue_hits(ss, cues) if ss.flags & F_CUE else []
        for hit in hits:
            rel = Relation(hit.relation)
            if hit.role == "members":
                group = _group_before(ss, hit.start)
                if group is None:
                    continue
                for m in _list_after(ss, hit.end, lambda sp: _is_org(sp) or _is_country(sp)):
                    if m.key != group.key:
                        add(mid(m), Relation.MEMBER_OF, mid(group), ss, hit.start, m.end, hit.phrase)
                continue
            if hit.role == "member":
                before = [sp for sp in spans if sp.end <= hit.start and (_is_org(sp) or _is_country(sp))]
                if len(before) >= 2 and before[-1].start - before[-2].end <= 1 and _is_org(before[-1]):
                    add(mid(before[-2]), Relation.MEMBER_OF, mid(before[-1]), ss, before[-2].start, hit.end, hit.phrase)
                continue
            if not mentions_project_word:
                continue
            want = _is_country if rel is Relation.PARTICIPANT_COUNTRY else _is_org
            objects: list[Span] = []
            if hit.role in ("object", "either"):
                objects = _list_after(ss, hit.end, want)
                if hit.role == "either" and not objects:
                    b = _span_before(ss, hit.start, want)
                    objects = [b] if b else []
            elif hit.role == "before" and rel is not Relation.LEAD_PARTNER:
                # "Krīzes centrs “Skalbes” un nodibinājums “Centrs Dardedze” piedalās projektā"
                objects = _list_before(ss, hit.start, want)
            elif hit.role == "before":
                b = _span_before(ss, hit.start, want, max_gap=2)
                joint = [h for h in hits if h.text in _WITH_CUES and h.end <= (b.start if b else hit.start)]
                if joint:
                    # "X kopā ar Y un Z uzsāka projektu": the doer is X, before "kopā ar"
                    b = _span_before(ss, joint[-1].start, want, max_gap=2) or b
                objects = [b] if b else []
            elif hit.role == "between":
                # "ar Eiropas Savienības finansiālu atbalstu": the organisation between "ar" and the cue
                b = _span_before(ss, hit.start, want, max_gap=0)
                objects = [b] if b and b.start > 0 and ss.tokens[b.start - 1].text.lower() == "ar" else []
            if not objects and rel in (Relation.PARTNER, Relation.LEAD_PARTNER) and hit.role == "object":
                # "Projektā piedalās arī Latvija, Lietuva un Igaunija": countries take part
                objects = _list_after(ss, hit.end, _is_country)
                rel = Relation.PARTICIPANT_COUNTRY if objects else rel
            if not objects:
                continue
            subjects: list[Span] = []
            if "projekt" in hit.text:
                subjects = _listed_projects(state.sentences, si) or [
                    sp for s2 in state.sentences for sp in s2.spans if sp.kind == "project"
                ]
            elif projects_here:
                subjects = [projects_here[0]]
            elif project is not None:
                subjects = [project]
            for subj in _dedupe(subjects):
                for ob in objects:
                    if ob.kind == "project":
                        continue
                    add(mid(subj), rel, mid(ob), ss, hit.start, ob.end, hit.phrase)
        # --- a project and a list of countries with no cue ("... Latvijā, Lietuvā, Igaunijā un ...")
        if projects_here:
            countries = [sp for sp in spans if _is_country(sp) and sp.start > projects_here[0].end]
            if len(countries) >= 3 and not any(
                c.relation == Relation.PARTICIPANT_COUNTRY and c.evidence.sentence == ss.sentence.index for c in claims
            ):
                run = _list_after(ss, countries[0].start, _is_country)
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


def _dedupe(spans: list[Span]) -> list[Span]:
    seen: set[str] = set()
    out = []
    for sp in spans:
        if sp.key not in seen:
            seen.add(sp.key)
            out.append(sp)
    return out


def _group_before(ss: SentenceSpans, pos: int) -> Span | None:
    coll = _collectives()
    before = [sp for sp in ss.spans if sp.end <= pos and _is_org(sp)]
    for sp in reversed(before):
        words = sp.lemma.lower().split()
        if any(stem(w) in coll for w in words):
            return sp
    return before[0] if before else None


def _listed_projects(sentences: list[SentenceSpans], si: int) -> list[Span]:
    """Projects named in the bullet list that follows a sentence ending in a colon."""
    ss = sentences[si]
    if not ss.sentence.text.rstrip().endswith(":"):
        return []
    out = []
    for nxt in sentences[si + 1 :]:
        if not nxt.sentence.text.lstrip().startswith(("-", "*", "•", "–")):
            break
        ps = [sp for sp in nxt.spans if sp.kind == "project"]
        if ps:
            out.append(ps[0])
    return out


_WITH_CUES = frozenset({"kopā ar", "sadarbībā ar", "sadarbojoties ar"})

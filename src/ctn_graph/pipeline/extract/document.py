"""Extract the mentions and claims of one document.

Two passes: the first finds every name and collects the short forms the text defines
("(turpmāk – Padome)", "(ICMPD)"); the second, only where the text defined some, runs
again with those short forms known, so "Padomes Vecāko amatpersonu komiteja" is found
as a unit of the Council of the Baltic Sea States.

The document's pieces are here and in the modules DocumentExtractor is made of:
analysis.py (a sentence's words and their F_* bits), short_forms.py (the aliases a text
defines, and the shorter names resolved to fuller ones), countries.py (where a body is,
and the names written before it), keys.py (the keys, states and full names of the
spans); campaigns.py reads a body's campaign named by its purpose. Every name this
module defined before it was split is importable from it still.
"""

from __future__ import annotations

from collections.abc import Container
from operator import attrgetter

from ...ir import Claim, Document, Evidence, Extraction, Mention, Sentence
from ..text import Token, token_texts, tokens_of
from .analysis import _F_SPLIT, WordAnalyser, _names_a_body
from .campaigns import _CAMPAIGN, _campaigns
from .coordination import coordinated_spans
from .countries import (
    _LOCATIVE_ENDINGS,
    CountryContext,
    _city_country,
    _country_after,
    _in_parenthesis,
    _is_qualifier,
    _outermost,
    _placed_in_title,
    _surface,
)
from .events import merge_events
from .foreign import foreign_spans
from .frames import trigger_index
from .gazetteer import Gazetteer, GazetteerEntry, is_acronym, token_key
from .keys import _FOUNDED_HEADS, _ORGANISATION, KeyResolver
from .lexicon import Lexicon
from .lists import listed_bodies
from .names import NameFinder, quoted_ranges
from .policies import merge_policies
from .short_forms import (
    _ACT_NUMBER,
    _TURPMAK,
    ShortForms,
    _holds_a_form,
    _name_like,
    _name_stems,
    _names_country,
    _placed_short_forms,
    _short_forms,
)
from .spans import (
    F_COMPANY,
    F_EVENT_HEAD,
    F_FOREIGN,
    F_GAZ,
    F_ORG_HEAD,
    F_PERSON,
    F_POLICY_HEAD,
    F_PROJECT,
    F_ROLE,
    OPEN_QUOTES,
    SentenceExtractor,
    Span,
    _join,
    _name_cases,
    norm,
)
from .state import Analysed, DocState, SentenceSpans

# every name this module defined before the split, the moved ones re-exported from the
# modules above
__all__ = [
    "DocumentExtractor",
    "_START",
    "_F_FINDERS",
    "_is_legal_form_word",
    "_Capitalised",
    "_in_code",
    "_free_runs",
    "_F_SPLIT",
    "WordAnalyser",
    "_names_a_body",
    "_ACT_NUMBER",
    "_TURPMAK",
    "ShortForms",
    "_short_forms",
    "_placed_short_forms",
    "_name_stems",
    "_names_country",
    "_holds_a_form",
    "_name_like",
    "CountryContext",
    "_surface",
    "_outermost",
    "_LOCATIVE_ENDINGS",
    "_country_after",
    "_in_parenthesis",
    "_city_country",
    "_placed_in_title",
    "_is_qualifier",
    "_ORGANISATION",
    "_FOUNDED_HEADS",
    "KeyResolver",
    "_CAMPAIGN",
    "_campaigns",
]

_START = attrgetter("start")
# finder passes on tokens
_F_FINDERS = F_PROJECT | F_ORG_HEAD | F_PERSON | F_EVENT_HEAD | F_POLICY_HEAD | F_FOREIGN | F_COMPANY


class DocumentExtractor(WordAnalyser, ShortForms, CountryContext, KeyResolver):
    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon, default_country: str = "LV"):
        self.gaz = gazetteer
        self.lex = lexicon
        self.sx = SentenceExtractor(gazetteer, lexicon, default_country)
        self.nf = NameFinder(lexicon)
        self.default_country = default_country
        self._names_index = {}
        for e in gazetteer.entries.values():
            for n in e.names():
                self._names_index.setdefault(norm(n), e.id)
        self._cues = trigger_index()
        self._words = {}
        self._units = {}

    # ---------------------------------------------------------------- spans
    def sentence_spans(
        self,
        s: Sentence,
        local: Gazetteer | None,
        local_map: dict[str, Span],
        analysed: Analysed | None = None,
        capitalised: Container[str] = frozenset(),
        previous: SentenceSpans | None = None,
    ) -> SentenceSpans:
        """The names of a sentence. With `local` (the short forms the text defines), the
        second pass: where none of them is read as a name and `previous` is the sentence's
        plain reading (SentenceSpans.plain), every finder would read it again the same, so
        that reading is returned."""
        an = analysed or self.analyse(s)
        words, toks, keys, _, flags = an
        # the gazetteer reads the token texts: most sentences with a word that can begin
        # a gazetteer name and none other hold no name, and need no tokens
        matches = self.gaz.find_words(words, keys, an.having(F_GAZ)) if flags & F_GAZ else []
        if local is None and not (
            matches
            or flags & _F_FINDERS
            or quoted_ranges(s.text)
            or (flags & F_ROLE and self.nf.unknown_name_near(words, an.having(F_ROLE)))
        ):
            return SentenceSpans(s, [], an)  # no word nor quote that a name can start at
        if toks is None:
            toks = tokens_of(words, s.text, s.start)
            an = Analysed(words, toks, keys, an.marked, flags)
        base = s.start
        # quoted project titles first: the names inside a title are part of it
        projects = self.nf.project_spans(toks, s.text, base, {}, an.having(F_PROJECT)) if flags & F_PROJECT else []
        if projects:
            # "EBF projektā": a known body's acronym before the word is its owner, not the project's name
            projects = [p for p in projects if not (is_acronym(p.lemma) and self._known_org(p.lemma))]
        spans = self.sx.gazetteer_spans(toks, matches=matches) if matches else []
        if spans and projects:
            in_title = {i for sp in projects for i in range(sp.start, sp.end)}
            spans = [
                sp
                for sp in spans
                if (not any(i in in_title for i in range(sp.start, sp.end)) or _placed_in_title(sp, toks))
                and not _in_code(toks, sp, s)
            ]
        elif spans:
            spans = [sp for sp in spans if not _in_code(toks, sp, s)]
        if spans:
            spans = [sp for sp in spans if not self._surname_of(toks, sp)]
        spans += projects
        if local is not None:
            # a name the text defined wins over a state inside it ("Caritas Latvija")
            taken = {i for sp in spans if sp.kind != "country" for i in range(sp.start, sp.end)}
            free_runs = _free_runs(toks, taken)
            read_local = False
            for a, b in free_runs:
                for m in local.find(toks[a:b], keys[a:b]):
                    target = local_map[m.entry_id]
                    k = a + m.start - 1
                    if k > 0 and toks[k].text in OPEN_QUOTES and _is_legal_form_word(self.lex, toks[k - 1].text):
                        continue  # the legal form names it here: 'biedrība “X”' is read whole below
                    inside = [o for o in spans if a + m.start <= o.start and o.end <= a + m.end]
                    if len(inside) < sum(1 for o in spans if o.start < a + m.end and o.end > a + m.start):
                        continue  # a state named partly inside: not this name
                    spans = [o for o in spans if o not in inside]
                    read_local = True
                    spans.append(
                        Span(
                            a + m.start,
                            a + m.end,
                            target.cls,
                            target.lemma,
                            target.key,
                            kind=target.kind,
                            country=target.country,
                            gaz=target.gaz,
                            aliases=list(target.aliases),
                            genitive=toks[a + m.end - 1].text.lower().endswith(("as", "es", "a")),
                            cases=_name_cases(" ".join(t.text for t in toks[a + m.start : a + m.end]), target.lemma),
                        )
                    )
            if not read_local and previous is not None and previous.plain:
                return previous
        spans = self._drop_foreign_qualified(spans, toks)
        self._foreign_context(spans)
        occupied = {i: sp for sp in spans for i in range(sp.start, sp.end)}
        quoted = quoted_ranges(s.text)
        if quoted:  # a legal form names a body with a quoted name
            for sp in self.nf.legal_form_spans(toks, s.text, base, occupied):
                spans = [o for o in spans if not (sp.start <= o.start and o.end <= sp.end)]
                spans.append(sp)
                occupied.update({i: sp for i in range(sp.start, sp.end)})
        if flags & F_COMPANY:
            for sp in self.nf.company_spans(toks, an.having(F_COMPANY), occupied):  # "uzņēmums DPD Latvija"
                spans = [o for o in spans if not (sp.start <= o.start and o.end <= sp.end)]
                spans.append(sp)
                occupied.update({i: sp for i in range(sp.start, sp.end)})
        org_heads = an.having(F_ORG_HEAD) if flags & F_ORG_HEAD else []
        if org_heads:
            for sp in self.sx.pattern_spans(toks, spans, s.text, base, org_heads[::-1], capitalised):
                # a pattern name may absorb a country ("delegācija Moldovā")
                spans = [o for o in spans if not (sp.start <= o.start and o.end <= sp.end)]
                spans.append(sp)
                occupied.update({i: sp for i in range(sp.start, sp.end)})
        if org_heads:
            for sp in coordinated_spans(toks, spans, self.lex, org_heads, self.default_country):
                spans.append(sp)
                if sp.qualifier is None:
                    occupied.update({i: sp for i in range(sp.start, sp.end)})
        if flags & F_FOREIGN:
            for a, b, cls in foreign_spans(toks, an.having(F_FOREIGN), occupied):
                sp = Span(a, b, cls, _join(toks, a, b, s.text, base), "", foreign=True)
                spans.append(sp)
                occupied.update({i: sp for i in range(a, b)})
        if org_heads:  # after the names in their own language ("organizācija Stiftung gegen ...")
            for sp in self.nf.unquoted_foreign_spans(toks, org_heads, occupied):  # "Nīderlandes organizācija CoMensha"
                spans.append(sp)
                occupied.update({i: sp for i in range(sp.start, sp.end)})
        if flags & F_PROJECT and spans:
            spans += _campaigns(toks, spans, s)
        if flags & (F_PERSON | F_ROLE):
            for sp in self.nf.person_spans(toks, s.text, base, occupied, an.having(F_PERSON | F_ROLE)):
                spans.append(sp)
                occupied.update({i: sp for i in range(sp.start, sp.end)})
        if flags & F_POLICY_HEAD or quoted:
            heads = an.having(F_POLICY_HEAD) if flags & F_POLICY_HEAD else []
            found = self.nf.policy_spans(toks, s.text, base, occupied, self.sx.complement, heads)
            # a quoted title may hold names ("Par Latvijas dalību ... darba grupā"): they
            # stay mentions, the title is one more
            spans.extend(found)
            if found and flags & F_EVENT_HEAD:
                # events are read around the documents named ("Konvencijas ... Pušu konference")
                occupied = dict(occupied)
                occupied.update({i: sp for sp in found for i in range(sp.start, sp.end)})
        if flags & F_EVENT_HEAD:
            for sp in self.nf.event_spans(toks, s.text, base, occupied, an.having(F_EVENT_HEAD), self.sx.complement):
                spans.append(sp)
        if spans:
            spans.sort(key=_START)
            self._aliases_after(spans, toks, s, local_map)
            self._assign(spans, toks, s)
        return SentenceSpans(s, spans, an, local is None)

    def _surname_of(self, toks: list[Token], sp: Span) -> bool:
        """Whether a one-word body's name the gazetteer knows is a surname here: right
        after a given name ("Kārļa Skalbes institūts" is not biedrība "Skalbes")."""
        if sp.end - sp.start != 1 or sp.start == 0 or sp.kind == "country" or is_acronym(toks[sp.start].text):
            return False
        before = toks[sp.start - 1].text
        return before[:1].isupper() and bool(self.nf.given_names(before) or self.nf.given_names(before, genitive=True))

    # ---------------------------------------------------------------- document
    def extract(self, doc: Document) -> Extraction:
        from .relations import find_claims

        state = DocState(doc)
        self._doc_id = doc.id
        local_map: dict[str, Span] = {}
        analysed = [self.analyse(s) for s in doc.sentences]
        capitalised = _Capitalised(analysed)
        state.sentences = [
            self.sentence_spans(s, None, local_map, an, capitalised)
            for s, an in zip(doc.sentences, analysed, strict=True)
        ]
        targets: dict[str, str] = {}
        for _ in range(3):  # pass again while a defined short form changes its target
            short_forms = self._local_names(state)
            now = {alias: sp.key for alias, sp in short_forms}
            if not short_forms or now == targets:
                break
            targets = now
            local_entries = [GazetteerEntry(f"local:{k}", sp.cls, alias) for k, (alias, sp) in enumerate(short_forms)]
            local_map = {e.id: sp for e, (_, sp) in zip(local_entries, short_forms, strict=True)}
            local = Gazetteer(local_entries)
            # only sentences holding every word of a short form can read differently the
            # second time
            forms = [
                frozenset(k for k in map(token_key, token_texts(alias)) if k is not None) for alias, _ in short_forms
            ]
            firsts = {k for f in forms for k in f}
            state.sentences = [
                ss
                if firsts.isdisjoint(ss.analysed.keys)
                or not _holds_a_form(ss.analysed.keys, forms)
                or not local.find_words(ss.analysed.words, ss.analysed.keys)
                else self.sentence_spans(ss.sentence, local, local_map, ss.analysed, capitalised, ss)
                for ss in state.sentences
            ]
        _short_forms(state)
        listed_bodies(state, self.default_country)
        merge_events(state)
        merge_policies([sp for ss in state.sentences for sp in ss.spans if sp.kind == "policy"])
        mentions: list[Mention] = []
        span_ids: dict[int, str] = {}
        used: set[str] = set()
        at_start: dict[int, int] = {}
        placed: list[tuple[Span, SentenceSpans, int, int, str]] = []  # (span, sentence, start, end, id)
        for ss in state.sentences:
            if not ss.spans:
                continue
            toks = ss.tokens
            for sp in ss.spans:
                first = sp.start
                if sp.gaz is not None and sp.qualifier is not None and sp.qualifier.end == sp.start:
                    first = sp.qualifier.start  # a known body's name holds its state's: "Lietuvas ..."
                start = toks[first].start
                end = toks[sp.end - 1].end
                mid = f"{doc.id}#{start}"
                if mid in used:  # a name that overlaps another ("Čehijas" in "Čehijas ... vēstniecību")
                    mid = f"{doc.id}#{start}.{at_start.get(start, 0)}"
                used.add(mid)
                at_start[start] = at_start.get(start, 0) + 1  # the mentions that begin at an offset
                span_ids[id(sp)] = mid
                placed.append((sp, ss, start, end, mid))
        # parents need ids of spans that may come later in the same sentence: the mentions
        # are made once every span has its id (each once, not made and then copied)
        for sp, ss, start, end, mid in placed:
            parent = None
            if sp.parent is not None and span_ids[id(sp)] == mid:
                parent = span_ids.get(id(sp.parent))
            mentions.append(
                Mention(
                    date=sp.date,
                    location=sp.location,
                    id=mid,
                    cls=sp.cls,
                    surface=doc.text[start:end],
                    lemma=sp.lemma,
                    key=sp.key,
                    evidence=Evidence(doc.id, ss.sentence.index, start, end),
                    country=sp.country,
                    aliases=tuple(dict.fromkeys(sp.aliases)) if sp.aliases else (),
                    gazetteer_id=sp.gaz.id if sp.gaz else None,
                    parent=parent,
                )
            )
        claims: list[Claim] = find_claims(state, span_ids, self)
        return Extraction(doc, tuple(mentions), tuple(claims))


def _is_legal_form_word(lex: Lexicon, word: str) -> bool:
    h = lex.head(word)
    return h is not None and h.kind == "ngo"


class _Capitalised:
    """The words a text writes with a capital other than at the start of a sentence,
    collected the first time a word is asked about (most texts never ask)."""

    __slots__ = ("analysed", "words")

    def __init__(self, analysed: list[Analysed]) -> None:
        self.analysed = analysed
        self.words: set[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self.words is None:
            self.words = set()
            for an in self.analysed:
                first = True
                for w in an.words:
                    if w[:1].isalpha():
                        if not first and w[:1].isupper():
                            self.words.add(w)
                        first = False
        return word in self.words


def _in_code(toks: list[Token], sp: Span, s: Sentence) -> bool:
    """A name inside a reference number ("Nr.ICMPD/2018/MPF-240-003") is not a mention."""
    a = toks[sp.start].start - s.start
    b = toks[sp.end - 1].end - s.start
    before = s.text[a - 1] if a > 0 else " "
    after = s.text[b] if b < len(s.text) else " "
    return before in "./" or after == "/"


def _free_runs(toks: list[Token], taken: set[int]) -> list[tuple[int, int]]:
    runs = []
    a = None
    for i in range(len(toks) + 1):
        free = i < len(toks) and i not in taken
        if free and a is None:
            a = i
        elif not free and a is not None:
            runs.append((a, i))
            a = None
    return runs

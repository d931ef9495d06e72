"""Extract the mentions and claims of one document.

Two passes: the first finds every name and collects the short forms the text defines
("(turpmāk – Padome)", "(ICMPD)"); the second, only where the text defined some, runs
again with those short forms known, so "Padomes Vecāko amatpersonu komiteja" is found
as a unit of the Council of the Baltic Sea States.
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache
from operator import attrgetter

from ...ir import Claim, Document, EntityClass, Evidence, Extraction, Mention, Sentence
from ..lv.morph import HeadNoun, nominative_phrase, stem
from ..text import Token, is_run_together, token_texts, tokenize, tokens_of
from .coordination import coordinated_spans
from .events import event_cases, merge_events
from .foreign import foreign_org_word, foreign_spans
from .frames import trigger_index
from .gazetteer import Gazetteer, GazetteerEntry, is_acronym, place_countries, token_key
from .lexicon import HeadEntry, Lexicon
from .lists import listed_bodies
from .names import NameFinder, quoted_ranges
from .policies import merge_policies, policy_compound
from .spans import (
    F_COMPANY,
    F_CUE,
    F_EVENT_HEAD,
    F_FOREIGN,
    F_GAZ,
    F_ORG_HEAD,
    F_PERSON,
    F_POLICY_HEAD,
    F_PROJECT,
    F_ROLE,
    OPEN_QUOTES,
    PROJECT_STEMS,
    SentenceExtractor,
    Span,
    _join,
    _name_cases,
    _tidy,
    norm,
)
from .state import Analysed, DocState, SentenceSpans

_START = attrgetter("start")
_F_SPLIT = 1 << 20  # word_info: a word that tokenize splits in two (never in Analysed)
# finder passes on tokens
_F_FINDERS = F_PROJECT | F_ORG_HEAD | F_PERSON | F_EVENT_HEAD | F_POLICY_HEAD | F_FOREIGN | F_COMPANY
_ACT_NUMBER = re.compile(r"\d{4}/\d+/[A-Z]{2,3}")
_TURPMAK = re.compile(r"^\(\s*turpmāk\s*[–-]\s*(?P<alias>[^)]+?)\s*\)")


class DocumentExtractor:
    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon, default_country: str = "LV"):
        self.gaz = gazetteer
        self.lex = lexicon
        self.sx = SentenceExtractor(gazetteer, lexicon, default_country)
        self.nf = NameFinder(lexicon)
        self.default_country = default_country
        self._names_index: dict[str, str] = {}
        for e in gazetteer.entries.values():
            for n in e.names():
                self._names_index.setdefault(norm(n), e.id)
        self._cues = trigger_index()
        self._words: dict[str, tuple[str | None, int]] = {}
        self._units: dict[str, list[tuple[GazetteerEntry, list[tuple[str, ...]]]]] = {}

    # ---------------------------------------------------------------- words
    def word_info(self, word: str) -> tuple[str | None, int]:
        """(token_key, F_* bits) of a token's text, cached: which finder passes a word
        can start something in."""
        found = self._words.get(word)
        if found is not None:
            return found
        flags = 0
        head_at = self.sx.head_of_token_text(word)
        if head_at is not None and _names_a_body(head_at[0]):
            flags |= F_ORG_HEAD
        head = self.lex.head(word)
        if head is not None and head.kind == "ngo" and head.cls is EntityClass.COMPANY:
            flags |= F_COMPANY
        if head is not None and head.kind == "event" and event_cases(word, head.noun):
            flags |= F_EVENT_HEAD  # (a form the noun can take: "pasākumi", plural, is no event)
        if head is not None and head.kind == "policy" or head is None and policy_compound(self.lex, word):
            flags |= F_POLICY_HEAD
        if stem(word) in PROJECT_STEMS:
            flags |= F_PROJECT
        if (
            word[:1].isalpha()
            and word[:1].isupper()
            and not is_acronym(word)
            and (len(word) == 1 or word in ("Dz", "Dž") or self.nf.first_name(word) is not None)
        ):
            flags |= F_PERSON
        if self.nf.before_person(word):
            flags |= F_ROLE
        if self._cues.begins(word):
            flags |= F_CUE
        if foreign_org_word(word) is not None:
            flags |= F_FOREIGN
        key = token_key(word)
        if word[:1].isalpha() and self.gaz.starts_name(key, word[:1].isupper()):
            flags |= F_GAZ
        if is_run_together(word):
            flags |= _F_SPLIT
        found = (key, flags)
        if len(self._words) >= 200_000:
            self._words.clear()
        self._words[word] = found
        return found

    def analyse(self, s: Sentence) -> Analysed:
        """The token texts of a sentence (text.tokenize's), their gazetteer keys and the
        F_* bits of its words, in one pass over the text unless a word needs splitting.
        Tokens with offsets are made later, where a name can be found (sentence_spans)."""
        keys: list[str | None] = []
        marked: dict[int, int] = {}
        flags = 0
        get = self._words.get
        word_info = self.word_info
        append = keys.append
        words = token_texts(s.text)
        for word in words:
            key, f = get(word) or word_info(word)
            if f:
                if f & _F_SPLIT:
                    return self._analyse_split(s)
                marked[len(keys)] = f
                flags |= f
            append(key)
        return Analysed(words, None, keys, marked, flags)

    def _analyse_split(self, s: Sentence) -> Analysed:
        """analyse() of a sentence with words run together: tokenize splits them."""
        toks = tokenize(s.text, s.start)
        keys: list[str | None] = []
        marked: dict[int, int] = {}
        flags = 0
        for i, t in enumerate(toks):
            key, f = self._words.get(t.text) or self.word_info(t.text)
            f &= ~_F_SPLIT  # split already
            keys.append(key)
            if f:
                marked[i] = f
                flags |= f
        return Analysed([t.text for t in toks], toks, keys, marked, flags)

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

    def _drop_foreign_qualified(self, spans: list[Span], toks: list[Token]) -> list[Span]:
        """A national body of one country named with another country's genitive
        ("Lietuvas ... Iekšlietu ministrija") is not that body: drop the match so the
        pattern finder reads the name with its qualifier."""
        by_end = {sp.end: sp for sp in spans if sp.kind == "country"}
        if not by_end:
            return spans
        out = []
        for sp in spans:
            q = by_end.get(sp.start)
            if sp.gaz is not None and sp.kind != "country" and q is not None and q.genitive:
                if sp.country and q.country != sp.country:
                    continue
                if sp.country == q.country:
                    sp.qualifier = q
            out.append(sp)
        return out

    def _foreign_context(self, spans: list[Span]) -> None:
        """A one-word name of a home institution ("Ģenerālprokuratūra") in a sentence that
        names only a foreign country is that country's institution: it is read as a name,
        not as the gazetteer's home body."""
        if not spans:
            return
        countries = {sp.country for sp in spans if sp.kind == "country"}
        if len(countries) != 1 or self.default_country in countries:
            return
        for sp in spans:
            if (
                sp.gaz is not None
                and sp.kind == "org"
                and sp.gaz.country == self.default_country
                and sp.end - sp.start == 1
                and sp.qualifier is None
                and len(sp.gaz.name_lv.split()) == 1
            ):
                sp.gaz, sp.key, sp.country = None, "", None

    def _aliases_after(self, spans: list[Span], toks: list[Token], s: Sentence, local_map: dict[str, Span]) -> None:
        """ "(ICMPD)", "(turpmāk – Padome)", "(Independent Anti-Slavery Commissioner)"."""
        if "(" not in s.text:
            return  # every alias is in parentheses
        starts: dict[int, int] | None = None  # token index by offset, made where an alias is read
        for sp in spans:
            if sp.kind in ("person", "country") or sp.end >= len(toks) or toks[sp.end].text != "(":
                continue
            rest = s.text[toks[sp.end].start - s.start :]
            m = _TURPMAK.match(rest)
            if m:
                alias = m.group("alias").strip()
                sp.local_aliases.append(alias)
                if is_acronym(alias) and alias not in sp.aliases:
                    sp.aliases.append(alias)  # an acronym names the body everywhere
                continue
            close = rest.find(")")
            if close <= 1 or close > 120:
                continue
            inner = rest[1:close].strip()
            if "," in inner:
                # "(Human Rights League, Slovākija)": the name, then where the body is
                head, tail = inner.rsplit(",", 1)
                if any(o.kind == "country" and norm(o.lemma) == norm(tail) or _names_country(o, tail) for o in spans):
                    inner = head.strip()
            if sp.kind == "policy" and _ACT_NUMBER.fullmatch(inner):
                sp.aliases.append(inner)  # "direktīvas (2008/115/EK)"
                continue
            words = inner.split()
            if not words or not all(w[:1].isupper() or w in ("-", "–") for w in words):
                continue
            if starts is None:
                starts = {t.start: k for k, t in enumerate(toks)}
            if any(sp2.start == starts.get(toks[sp.end].start + 1) and sp2.kind == "country" for sp2 in spans):
                continue
            if inner not in sp.aliases:
                sp.aliases.append(inner)

    def _assign(self, spans: list[Span], toks: list[Token], s: Sentence) -> None:
        """Keys, countries and full names of the spans of one sentence."""
        for sp in spans:
            if not sp.key:
                break
        else:
            return  # gazetteer names only: keyed already
        sent_countries = [
            sp.country
            for sp in spans
            if sp.kind == "country" and not _is_qualifier(sp, spans) and not _in_parenthesis(sp, toks)
        ]
        foreign = {c for c in sent_countries if c and c != self.default_country}
        for sp in spans:
            if sp.key:
                continue
            if sp.kind in ("org", "unit", "ngo"):
                full = sp.lemma
                if sp.qualifier is not None and not (sp.kind == "ngo" and '"' in sp.lemma):
                    full = f"{_surface(toks, sp.qualifier, s)} {sp.lemma}"
                elif sp.parent is not None:
                    full = f"{_surface(toks, _outermost(sp.parent), s, sp.parent.end)} {sp.lemma}"
                placed = _country_after(sp, spans, toks) if sp.country is None else None
                if sp.parent is not None and sp.parent.cls is EntityClass.INTERNATIONAL_ORGANISATION:
                    sp.cls = EntityClass.INTERNATIONAL_ORGANISATION  # a unit of an international body
                elif (
                    sp.cls is EntityClass.INTERNATIONAL_ORGANISATION
                    and placed is not None
                    and sp.parent is None
                    and any(stem(w) == _ORGANISATION for w in sp.lemma.split())
                    and not self.sx.international(sp.lemma)
                ):
                    sp.cls = EntityClass.NGO  # "Organizācija palīdzībai bēgļiem (..., Čehija)": a national one
                elif sp.cls is EntityClass.PUBLIC_BODY and sp.parent is None and self._named_after_person(toks, sp):
                    sp.cls = EntityClass.NGO  # "Jaan Tõnisson institūts", "Konrāda Adenauera fonds"
                european = placed is None and sp.parent is None and self.sx.international(sp.lemma)
                if sp.cls is not EntityClass.INTERNATIONAL_ORGANISATION and sp.country is None and not european:
                    # (a European NGO, "Eiropas Sieviešu lobijs", is of no one state)
                    city = _city_country(sp, toks) if sp.parent is None and sp.qualifier is None else None
                    if placed is not None:
                        sp.country = placed.country  # "... Igaunijā", "... (Lietuva)"
                    elif sp.parent is not None and sp.parent.country:
                        sp.country = sp.parent.country
                    elif city is not None:
                        sp.country = city  # "Stokholmas administratīvā pārvalde", "Vīnes ... padome"
                    elif len(foreign) == 1 and self.default_country not in sent_countries:
                        sp.country = next(iter(foreign))
                    elif sp.foreign:
                        pass  # a name in its own language is no home body for want of a state
                    else:
                        sp.country = self.default_country
                if sp.cls is EntityClass.INTERNATIONAL_ORGANISATION:
                    sp.country = None
                if (
                    sp.kind == "ngo"
                    and sp.country not in (None, self.default_country)
                    and sp.aliases
                    and sp.lemma.endswith(f'"{sp.aliases[0]}"')
                ):
                    # 'biedrība “X” no Maltas': a Latvian legal form describes a foreign body;
                    # its name is its own
                    sp.lemma = full = sp.aliases[0]
                if sp.parent is not None:
                    sp.key = f"unit:{sp.parent.key}:{norm(sp.lemma)}"
                elif sp.kind == "ngo":
                    # its quoted name; never an acronym the text declared for it ("(ES)"), which
                    # would key it apart from the same name written without one
                    bare = next((a for a in sp.aliases if not is_acronym(a)), sp.lemma)
                    if '"' in sp.lemma or sp.country is None:
                        sp.key = f"org:{norm(bare)}"
                    else:
                        # a civil-society body named by its head, not by a quoted name, is its
                        # state's: "Latvijas Pašvaldību savienība" and "Pašvaldību savienība
                        # Lietuvā" are two bodies
                        sp.key = f"org:{sp.country}:{norm(bare)}"
                else:
                    sp.key = f"org:{sp.country or 'INT'}:{norm(sp.lemma)}"
                if full != sp.lemma:
                    if sp.parent is not None:
                        # a unit's own name ("Nozares politikas departaments") is a short name
                        # of it; a foreign body's name without its state is not
                        sp.aliases.insert(0, sp.lemma)
                    sp.lemma = full
                for name in [sp.lemma, *sp.aliases]:
                    gid = self._names_index.get(norm(name))
                    if gid is not None and not gid.startswith("country:"):
                        e = self.gaz.entries[gid]
                        if e.cls.is_organisation and (e.country in (None, sp.country) or sp.kind == "ngo"):
                            sp.gaz, sp.key, sp.cls, sp.country = e, f"gaz:{gid}", e.cls, e.country
                            break
                else:
                    unit = self._known_unit(sp)
                    if unit is not None:
                        sp.gaz, sp.key, sp.cls, sp.country = unit, f"gaz:{unit.id}", unit.cls, unit.country
            elif sp.kind == "project":
                sp.key = f"project:{norm(sp.lemma)}"
            elif sp.kind == "person":
                sp.key = f"person:{norm(sp.lemma)}"
            elif sp.kind == "policy":
                sp.key = f"policy:{norm(sp.lemma)}"
            elif sp.kind == "event":
                # an event is named once per text: the same name in another text is another event
                sp.key = f"event:{self._doc_id}:{norm(sp.lemma)}"  # merge_events keys it again

    def _known_org(self, name: str) -> bool:
        gid = self._names_index.get(norm(name))
        return gid is not None and self.gaz.entries[gid].cls.is_organisation

    def _known_unit(self, sp: Span) -> GazetteerEntry | None:
        """The gazetteer's unit of a known parent whose name ends with the unit's own name:
        "CBSS Sekretariāts" is "Baltijas jūras valstu padomes Sekretariāts" (part of CBSS)."""
        parent = sp.parent.gaz if sp.parent is not None else None
        if parent is None or not sp.aliases:
            return None
        mine = _name_stems(sp.aliases[0])
        if not mine:
            return None
        units = self._units.get(parent.id)
        if units is None:
            units = self._units[parent.id] = [
                (e, [_name_stems(n) for n in (e.name_lv, *e.alt_lv)])
                for e in self.gaz.entries.values()
                if parent.id in e.part_of
            ]
        found = [e for e, names in units if any(len(n) > len(mine) and n[-len(mine) :] == mine for n in names)]
        return found[0] if len(found) == 1 else None


    def _surname_of(self, toks: list[Token], sp: Span) -> bool:
        """Whether a one-word body's name the gazetteer knows is a surname here: right
        after a given name ("Kārļa Skalbes institūts" is not biedrība "Skalbes")."""
        if sp.end - sp.start != 1 or sp.start == 0 or sp.kind == "country" or is_acronym(toks[sp.start].text):
            return False
        before = toks[sp.start - 1].text
        return before[:1].isupper() and bool(self.nf.given_names(before) or self.nf.given_names(before, genitive=True))

    def _named_after_person(self, toks: list[Token], sp: Span) -> bool:
        """Whether a body's name is a person's name and the head of a body people found
        (an institute, a fund, a centre): "Jaan Tõnisson institūts", "Konrāda Adenauera
        fonds". A state names its bodies after their field, not after people, mostly;
        hospitals, universities and academies named after a person are left as they are."""
        if sp.end - sp.start != 3 or stem(toks[sp.end - 1].text) not in _FOUNDED_HEADS:
            return False
        first, second = toks[sp.start].text, toks[sp.start + 1].text
        if not second[:1].isupper():
            return False
        return bool(self.nf.given_names(first)) or bool(self.nf.given_names(first, genitive=True))

    def _local_names(self, state: DocState) -> list[tuple[str, Span]]:
        """Short forms the text defines ("(turpmāk – Padome)", "(ICMPD)"), each with the
        span it stands for."""
        found: list[tuple[str, Span]] = []
        for ss in state.sentences:
            for sp in ss.spans:
                if not sp.aliases and not sp.local_aliases:
                    continue
                # a body named once with its legal form ('nodibinājums “Caritas Latvija”') is
                # named by its quoted name alone elsewhere in the text
                quoted = [sp.aliases[0]] if sp.kind == "ngo" and sp.gaz is None and _name_like(sp.aliases[0]) else []
                for alias in sp.local_aliases + [a for a in sp.aliases if is_acronym(a)] + quoted:
                    if norm(alias) in self._names_index and not sp.local_aliases:
                        continue
                    found.append((alias, sp))
        return found

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


def _short_forms(state: DocState) -> None:
    """A unit named by its head alone ("Darba grupa", "darba grupā") stands for the
    fuller name of a unit of the same head in the document that contains it.

    Names are compared once per distinct key (a long text names the same bodies again and
    again), and only with the names that hold the short name's first word."""
    stems = _name_stems
    orgs = [sp for ss in state.sentences for sp in ss.spans if sp.is_org]
    _placed_short_forms(orgs)
    if not any(sp.kind == "unit" and sp.gaz is None and sp.parent is None and sp.qualifier is None for sp in orgs):
        return
    first_of: dict[str, Span] = {}
    by_key: dict[str, list[Span]] = {}
    for sp in orgs:
        first_of.setdefault(sp.key, sp)
        by_key.setdefault(sp.key, []).append(sp)
    order = {key: n for n, key in enumerate(first_of)}
    # the names each distinct key stands for: its own name, and its full name
    rows: dict[str, tuple[Span, tuple[tuple[str, ...], ...]]] = {}
    index: dict[str, set[str]] = {}

    def put(key: str, o: Span) -> None:
        own = stems(o.aliases[0] if o.parent is not None and o.aliases else o.lemma)
        rows[key] = (o, (own, stems(o.lemma)))
        for word in set(own) | set(stems(o.lemma)):
            index.setdefault(word, set()).add(key)

    for key, o in first_of.items():
        put(key, o)
    for key, sp in list(first_of.items()):
        if sp.kind != "unit" or sp.gaz is not None or sp.parent is not None or sp.qualifier is not None:
            continue
        mine = stems(sp.lemma)
        n = len(mine)
        best = None
        loose: set[str] = set()
        candidates = index.get(mine[0], set()) if mine else set(rows)
        for other_key in sorted(candidates, key=order.__getitem__):
            if other_key == key or other_key not in rows:
                continue
            other, names = rows[other_key]
            for cand in names:
                if len(cand) > n and any(cand[i : i + n] == mine for i in range(len(cand) - n + 1)):
                    if best is None or len(other.lemma) > len(best.lemma):
                        best = other
                    break
                if n == 2 and len(cand) > 2 and cand[0] == mine[0] and cand[-1] == mine[-1]:
                    # "Liepājas grupa" after "Liepājas starpinstitūciju ... darba grupa": the
                    # place and the head of a longer name (if only one name has both)
                    loose.add(other_key)
        if best is None and len(loose) == 1:
            best = rows[loose.pop()][0]
        if best is not None:
            for each in by_key[key]:
                each.key, each.cls, each.country, each.gaz = best.key, best.cls, best.country, best.gaz
                each.lemma, each.aliases = best.lemma, []
            rows.pop(key, None)


def _placed_short_forms(orgs: list[Span]) -> None:
    """ "Latvijas vēstniecība" after "Latvijas vēstniecība Īrijā" in one text: a state's body
    named without the place the text gave it before is that body."""
    longer: dict[str, list[Span]] = {}  # first word -> one span of each key with a longer name
    seen: set[str] = set()
    for o in orgs:
        if o.key not in seen:
            seen.add(o.key)
            words = _name_stems(o.lemma)
            if words:
                longer.setdefault(words[0], []).append(o)
    done: dict[str, Span | None] = {}
    for sp in orgs:
        if sp.gaz is not None or sp.qualifier is None or sp.parent is not None:
            continue
        if sp.key not in done:
            mine = _name_stems(sp.lemma)
            n = len(mine)
            best = None
            for other in longer.get(mine[0], []) if mine else []:
                if other.key == sp.key or other.country != sp.country:
                    continue
                theirs = _name_stems(other.lemma)
                if len(theirs) > n and theirs[:n] == mine and (best is None or len(other.lemma) > len(best.lemma)):
                    best = other
            done[sp.key] = best
        best = done[sp.key]
        if best is not None:
            sp.key, sp.cls, sp.country, sp.gaz, sp.lemma, sp.aliases = (
                best.key, best.cls, best.country, best.gaz, best.lemma, [],
            )  # fmt: skip


@lru_cache(maxsize=50_000)
def _name_stems(name: str) -> tuple[str, ...]:
    """The stems of the words of a name (normalised)."""
    return tuple(stem(w) for w in norm(name).split())


_ORGANISATION = stem("organizācija")
# heads of the bodies people found and name after a person: institutes, funds, centres
_FOUNDED_HEADS = frozenset(stem(w) for w in ("institūts", "fonds", "centrs"))


_CAMPAIGN = stem("kampaņa")


def _campaigns(toks: list[Token], spans: list[Span], s: Sentence) -> list[Span]:
    """A body's campaign named by its purpose: "Eiropas Padomes kampaņa pret cilvēku
    tirdzniecību", "EP kampaņas pret cilvēku tirdzniecību ietvaros", "X kampaņa sieviešu
    tirdzniecības novēršanai". The body in the genitive right before the noun runs it
    (the span's parent); the name runs to the noun "pret" governs, or to the purpose."""
    out: list[Span] = []
    n = len(toks)
    for owner in spans:
        h = owner.end
        if not owner.is_org or h >= n or stem(toks[h].text) != _CAMPAIGN or not toks[h].text.islower():
            continue
        if not (owner.genitive or owner.cases is None and is_acronym(toks[owner.end - 1].text)):
            continue
        end = h + 1
        if end < n and toks[end].text == "pret":
            k = end + 1
            while k < n and k - end <= 4 and toks[k].is_word and toks[k].text.islower():
                k += 1
                nxt = toks[k].text if k < n else ""
                if toks[k - 1].text.endswith("u") and not nxt.endswith("u"):
                    break  # "pret cilvēku tirdzniecību": the noun "pret" governs ends it
            end = k if k > end + 1 else end
        else:
            k = end
            while k < n and k - end < 4 and toks[k].is_word and toks[k].text.islower():
                k += 1
                if toks[k - 1].text.endswith("šanai"):
                    end = k  # "... sieviešu tirdzniecības novēršanai"
                    break
        if end == h + 1:
            continue  # a campaign named by nothing but its owner
        words = [t.text for t in toks[h:end]]
        head = nominative_phrase(words, 0, HeadNoun("kampaņa", "f", 4))
        lemma = _tidy(f"{_surface(toks, owner, s)} {head}")  # the owner as written, in the genitive
        camp = Span(owner.start, end, EntityClass.PROJECT, lemma, "", kind="project")
        camp.parent = owner
        out.append(camp)
    return out


def _surface(toks: list[Token], sp: Span, s: Sentence, end: int | None = None) -> str:
    last = toks[(sp.end if end is None else end) - 1]
    return s.text[toks[sp.start].start - s.start : last.end - s.start]


def _outermost(sp: Span) -> Span:
    """The first of the names a unit is written after ("ANO" in "ANO Augstā komisāra
    bēgļu lietās ... birojs", "ASV" in "ASV Valsts departamenta ... birojs"): a parent
    named right before its unit, and the state named right before that."""
    while sp.parent is not None and sp.parent.end == sp.start:
        sp = sp.parent
    if sp.qualifier is not None and sp.qualifier.end == sp.start and sp.qualifier.kind == "country":
        return sp.qualifier  # "ASV Valsts departamenta ... birojs": the state's name is the first
    return sp


_LOCATIVE_ENDINGS = ("ā", "ē", "ī", "ās", "ēs", "os", "īs")


def _country_after(sp: Span, spans: list[Span], toks: list[Token]) -> Span | None:
    """The country a foreign body's name is placed in right after it: "Stokholmas
    administratīvā pārvalde Zviedrijā", "Cilvēktiesību līga (Human Rights League,
    Slovākija)", "biedrība “X” no Maltas"."""
    at = sp.end + 1 if sp.end < len(toks) and toks[sp.end].text in ('"', "”", "“", "»") else sp.end
    nxt = next((o for o in spans if o.start == at and o.kind == "country"), None)
    if nxt is not None and toks[nxt.end - 1].text.lower().endswith(_LOCATIVE_ENDINGS):
        return nxt
    head = next((o for o in spans if o.kind == "person" and sp.end < o.start <= sp.end + 2), None)
    if head is not None and head.end + 2 < len(toks) and toks[head.end].text == "(" and toks[head.end + 2].text == ")":
        # '“Stellit” direktore Maija Rusakova (Krievija)': the state of the body its head is from
        placed = next(
            (o for o in spans if o.start == head.end + 1 and o.end == head.end + 2 and o.kind == "country"), None
        )
        if placed is not None:
            return placed
    if at < len(toks) and toks[at].text == "no":
        # "biedrība “X” no Maltas": where the body comes from
        origin = next((o for o in spans if o.start == at + 1 and o.kind == "country"), None)
        if origin is not None and (origin.cases is None or not origin.cases.isdisjoint({"gen", "pl:dat"})):
            after = toks[origin.end].text if origin.end < len(toks) else "."
            if after in (",", ".", "un", ";", ")", ":", "–", "-"):
                return origin
    if sp.end < len(toks) and toks[sp.end].text == "(":
        k = sp.end + 1
        while k < len(toks) and toks[k].text != ")" and k - sp.end < 15:
            k += 1
        if k < len(toks):
            inside = [o for o in spans if o.kind == "country" and sp.end < o.start and o.end <= k]
            # the country alone, or last after the body's own name: "(..., Čehija)"
            if len(inside) == 1 and inside[0].end == k:
                return inside[0]
    return None


def _in_parenthesis(sp: Span, toks: list[Token]) -> bool:
    """A state in parentheses after a name ("(Organisation for Aid to Refugees, Čehija)"):
    that name's place, not the sentence's."""
    if sp.end >= len(toks) or toks[sp.end].text != ")":
        return False
    return any(t.text == "(" for t in toks[max(0, sp.start - 12) : sp.start])


def _city_country(sp: Span, toks: list[Token]) -> str | None:
    """The state of the city or region a body's name begins with, in the genitive."""
    first = toks[sp.start].text
    if not first[:1].isupper() or not first.lower().endswith(("as", "es", "a", "u", "s")):
        return None
    return place_countries().get(stem(first))


def _placed_in_title(sp: Span, toks: list[Token]) -> bool:
    """A state named in the locative inside a project's title ("... veicināšana Latvijā,
    Lietuvā un Igaunijā"): where the project is carried out, kept as a mention."""
    return sp.kind == "country" and toks[sp.end - 1].text.lower().endswith(_LOCATIVE_ENDINGS)


def _is_legal_form_word(lex: Lexicon, word: str) -> bool:
    h = lex.head(word)
    return h is not None and h.kind == "ngo"


def _names_country(sp: Span, text: str) -> bool:
    """Whether a country span of the sentence is written `text` (its surface is not kept on
    the span: compare the stems)."""
    return sp.kind == "country" and _name_stems(text.strip()) == _name_stems(sp.lemma)


def _holds_a_form(keys: list[str | None], forms: list[frozenset[str]]) -> bool:
    have = set(keys)
    return any(f <= have for f in forms)


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


def _names_a_body(entry: HeadEntry) -> bool:
    """A head noun an institution's name can end in: an institution's or a unit's, or a
    legal form that inflects ("Lietuvas Sarkanā Krusta biedrība")."""
    legal_form = entry.kind == "ngo" and entry.noun.declension > 0 and entry.cls is EntityClass.NGO
    return entry.kind in ("org", "unit") or legal_form


def _name_like(name: str) -> bool:
    """A quoted name that can stand alone for its body: capitalised, and two words or a
    word of four letters at least."""
    words = name.split()
    return bool(words) and name[:1].isupper() and (len(words) > 1 or len(name) >= 4)


def _is_qualifier(sp: Span, spans: list[Span]) -> bool:
    return any(o.qualifier is sp for o in spans)


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

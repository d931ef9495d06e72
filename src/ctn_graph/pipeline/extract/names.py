"""Names that are not institutions found by a head noun: quoted names after a legal
form (biedrība "…", NVO "…", AS "…") and projects here; persons, events and policy
documents in their own modules, which NameFinder brings together."""

from __future__ import annotations

import re

from ...ir import EntityClass
from ..lv.morph import HeadNoun, nominative_phrase, noun_cases, stem
from ..text import Token
from .events import EventFinder, sentence_dates
from .gazetteer import is_acronym
from .lexicon import HeadEntry, Lexicon, international_prefixes
from .persons import PersonFinder
from .policies import PolicyFinder
from .quotes import _clean_quoted, _tok_range, quoted_ranges
from .spans import ALL_QUOTES, PROJECT_STEMS, Span, _is_foreign, _tidy, singular

__all__ = ["NameFinder", "quoted_ranges", "sentence_dates", "_clean_quoted"]

_ROMAN = re.compile(r"[IVX]+")


_OPEN = frozenset('„“"«')
_DESCRIBED = (
    (("nevalstisk", "sabiedrisk", "labdarīb"), EntityClass.NGO),
    (("starptautisk",), EntityClass.INTERNATIONAL_ORGANISATION),
)


def _organisation_noun(toks: list[Token], h: int) -> bool:
    """The lower-case noun "organizācija" (in any case) at token h, a word before it."""
    return h >= 1 and stem(toks[h].text) == "organizācij" and toks[h].text.islower()


def _described_kind(toks: list[Token], h: int) -> HeadEntry | None:
    """ "nevalstiskā organizācija “X”", "starptautiskā organizācija “X”": a body described by
    its kind before its quoted name; the kind the adjective says."""
    if not _organisation_noun(toks, h):
        return None
    adjective = toks[h - 1].text.lower()
    for prefixes, cls in _DESCRIBED:
        if adjective.startswith(prefixes):
            return HeadEntry(HeadNoun("organizācija", "f", 4), "ngo", cls)
    return None


def _state_organisation(toks: list[Token], h: int, occupied: dict[int, Span], after: int) -> bool:
    """ "Igaunijas organizācija “X”", "organizācija “X” (Igaunija)": the lower-case noun
    after a state named in the genitive, or before a quoted name (ending at token `after`)
    followed by its state in parentheses."""
    if not _organisation_noun(toks, h):
        return False
    state = occupied.get(h - 1)
    if state is not None and state.kind == "country" and state.genitive and state.end == h:
        return True
    k = after
    while k < len(toks) and toks[k].text in ALL_QUOTES:
        k += 1
    if k + 2 >= len(toks) or toks[k].text != "(":
        return False
    state = occupied.get(k + 1)
    return state is not None and state.kind == "country" and state.start == k + 1 and toks[state.end].text == ")"


# a quoted name after a lower-case kind of body that the lexicon gives the class NGO
# ("apvienība", "asociācija", "kustība", "savienība") names one of civil society; not after
# "centrs" or "fonds", which public bodies are called too (tried: it read one of them as an NGO)
def _named_by_quote(toks: list[Token], h: int, entry: HeadEntry, lex: Lexicon) -> bool:
    """Whether the lower-case head at token h names, with the quoted name right after it,
    a body of civil society."""
    word = toks[h].text
    # lower case; a kind that names a body only so also capitalised as a sentence's first
    # word ("Tīkla “X” biedri ir ..."; "Koalīcija “X”" there is a head's name, spans.py)
    initial = h == 0 and entry.kind == "named"
    if entry.kind not in ("org", "named") or not (word.islower() or initial) or stem(word) == "organizācij":
        return False
    if entry.kind == "named" and h > 0:
        before = toks[h - 1].text
        if before.islower() and before.endswith("u") and lex.head(before) is None:
            return False  # "veikalu tīkls “X”": a network of things (a chain), not of bodies
    return entry.cls is EntityClass.NGO


def _marks_international(word: str, marks: tuple[str, ...]) -> bool:
    """Whether a word is one of data/lexicon/international_markers.txt that is one word:
    "Eiropas", "Pasaules" capitalised, a prefix ("Starptautisk*") in either case
    ("starptautiskās apvienības “X”")."""
    every, starred = international_prefixes(marks)
    low = word.lower()
    return (low + " ").startswith(every) if word[:1].isupper() else low.startswith(starred)


def _foreign_name_word(word: str) -> bool:
    """A word of a foreign name written without quotes: one Latvian does not inflect, or
    with a capital inside it ("CoMensha")."""
    return _is_foreign(word) or word[:1].isupper() and word.isalpha() and any(c.isupper() for c in word[1:-1])


def _joins(toks: list[Token], end: int, start: int) -> bool:
    """Whether the tokens between two quoted names join them in one list: "un" or a
    comma, after the first one's place ("no Maltas")."""
    words = [t.text for t in toks[end:start]]
    if len(words) >= 2 and words[0] == "no" and words[1][:1].isupper():
        words = words[2:]
    return words in (["un"], [","])


class NameFinder(PersonFinder, EventFinder, PolicyFinder):
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self._given_cache = {}

    def legal_form_spans(self, toks: list[Token], text: str, base: int, occupied: dict[int, Span]) -> list[Span]:
        out: list[Span] = []
        carried: tuple[HeadEntry, int, int] | None = None  # a plural legal form: (entry, its token, end)
        for qs, qe in quoted_ranges(text):
            r = _tok_range(toks, qs + base, qe + base)
            if r is None:
                continue
            h = r[0] - 1
            if h < 0 or h in occupied:
                continue
            entry = self.lex.head(toks[h].text)
            shared = False
            if (entry is None or entry.kind != "ngo") and carried is not None and _joins(toks, carried[2], r[0]):
                # 'biedrības "A" no Maltas un "B" no Kipras': one legal form for both names
                entry, h, shared = carried[0], carried[1], True
            carried = None
            parallel = False
            if (entry is None or entry.kind != "ngo") and not shared and toks[h].text in ("un", ","):
                form = self._employer_form(toks, h, r[1])
                if form is not None:
                    # 'NVO “A” vadītāja X un “B” direktore Y': a quoted name before a person's
                    # post, in a list of bodies named with a legal form, is one of them
                    entry, h, shared, parallel = form[0], form[1], True, True
            described = _described_kind(toks, h) if entry is not None and entry.kind == "org" else None
            by_state = False
            state_org = entry is not None and entry.kind == "org" and _state_organisation(toks, h, occupied, r[1])
            named = (
                described is None and not state_org and entry is not None and _named_by_quote(toks, h, entry, self.lex)
            )
            # (a kind that names a body only so, "tīkls", is no head of its own elsewhere)
            if named and entry is not None:
                # "apvienība “Gaismas stars”", "asociācija “Pilsoņu balss”": a body of civil
                # society named by its quoted name after the lower-case kind
                described, by_state = HeadEntry(entry.noun, "ngo", EntityClass.NGO), True
                # "Eiropas tīkla “X”": a European body is of no one state (no home country)
                beyond = h > 0 and _marks_international(toks[h - 1].text, self.lex.international)
            else:
                beyond = False
            if described is None and state_org:
                # "Igaunijas organizācija “Eluliin”": a state's organisation named by a quoted
                # name is one of its civil society, not a public body (those are not so named)
                described, by_state = HeadEntry(HeadNoun("organizācija", "f", 4), "ngo", EntityClass.NGO), True
            if described is not None:
                entry = described  # "nevalstisko organizāciju “Hope for Children”"
            elif entry is None or entry.kind != "ngo":
                continue
            inner = {id(occupied[i]): occupied[i] for i in range(*r) if i in occupied}
            words = [i for i in range(*r) if toks[i].is_word]
            if any(sp.is_org and words and sp.start <= words[0] and sp.end > words[-1] for sp in inner.values()):
                continue  # the quoted name is a name the gazetteer knows
            if any(sp.start < r[0] or sp.end > r[1] for sp in inner.values()):
                continue
            # a legal form names the body by its quoted name: the names inside it ("Caritas
            # Latvija", "Latvijas Sieviešu ... tīkls") are part of it (the caller drops them)
            content = _clean_quoted(text[qs:qe])
            if not content or not any(c.isalpha() for c in content):
                continue
            head_word = toks[h].text
            if described is not None:
                lemma = content
                start = h if by_state else h - 1
            elif entry.cls is EntityClass.NGO and entry.noun.declension and not is_acronym(head_word):
                # a legal form stays in the name: biedrība "Centrs MARTA"
                nom = nominative_phrase([head_word], 0, entry.noun)
                lemma = f'{nom.lower()} "{content}"'
            else:
                lemma = content  # NVO "Astra", lidsabiedrība "airBaltic": the name alone
            if described is None:
                start = r[0] if shared else h
            qualifier = occupied.get(h - 1) if not shared else None
            country = None
            if qualifier is not None and qualifier.kind == "country" and qualifier.genitive:
                country = qualifier.country
            else:
                qualifier = None
            if by_state:
                qualifier = None  # the state gives the country, not a part of the name
            cases = singular(noun_cases(head_word, entry.noun) or None) if entry.noun.declension else None
            if parallel:
                cases = None  # its case is its own (a genitive before the post), not the form's
            elif shared and out and cases is not None:
                # the plural legal form is the case of each name it is shared by
                cases = frozenset(c[3:] for c in noun_cases(head_word, entry.noun) if c.startswith("pl:"))
                out[-1].cases = cases
            if (
                not parallel
                and entry.noun.declension
                and any(c.startswith("pl:") for c in noun_cases(head_word, entry.noun))
            ):
                carried = (entry, h, r[1])
            out.append(
                Span(
                    start,
                    r[1],
                    entry.cls,
                    lemma,
                    "",
                    kind="ngo",
                    country=country,
                    qualifier=qualifier,
                    aliases=[content] if content != lemma else [],
                    cases=cases,
                    foreign=beyond,
                )
            )
        return out

    def company_spans(self, toks: list[Token], heads: list[int], occupied: dict[int, Span]) -> list[Span]:
        """A company named after its legal form without quotes, by an acronym: "uzņēmums
        DPD", "SIA LMT", and a state's name in the nominative after it, part of the
        name of a national company ("uzņēmums DPD Latvija": its country). `heads`: the
        indexes of the tokens that are head nouns. An acronym is not inflected, so the
        name is as written; a capitalised word there ("uzņēmums Maxima") could be any word
        of the sentence, and is left out."""
        out: list[Span] = []
        for h in heads:
            entry = self.lex.head(toks[h].text)
            if entry is None or entry.kind != "ngo" or entry.cls is not EntityClass.COMPANY or h in occupied:
                continue
            a = h + 1
            if a >= len(toks) or a in occupied or not is_acronym(toks[a].text) or self.lex.head(toks[a].text):
                continue
            end, country = a + 1, None
            state = occupied.get(end)
            if state is not None and state.kind == "country" and state.start == end and state.cases is not None:
                if state.cases == frozenset({"nom"}) or (not state.genitive and "nom" in state.cases):
                    end, country = state.end, state.country
            name = " ".join(t.text for t in toks[a:end])
            cases = singular(noun_cases(toks[h].text, entry.noun) or None) if entry.noun.declension else None
            out.append(Span(h, end, entry.cls, name, "", kind="ngo", country=country, cases=cases))
        return out

    def unquoted_foreign_spans(self, toks: list[Token], heads: list[int], occupied: dict[int, Span]) -> list[Span]:
        """ "Nīderlandes organizācija CoMensha", "starptautiskā organizācija ChildFirst": a
        body named, without quotes, by a foreign name right after the lower-case noun
        "organizācija" that a state in the genitive or an adjective of kind describes. The
        name's words are ones Latvian does not inflect (a letter Latvian lacks, a consonant
        end, a capital inside the word), so a Latvian word after the noun is never taken."""
        out: list[Span] = []
        n = len(toks)
        for h in heads:
            if h in occupied or h + 1 >= n or not _organisation_noun(toks, h):
                continue
            state = occupied.get(h - 1)
            by_state = state is not None and state.kind == "country" and state.genitive and state.end == h
            described = None if by_state else _described_kind(toks, h)
            if not by_state and described is None:
                continue
            a = j = h + 1
            while j < n and j - a < 4 and j not in occupied and _foreign_name_word(toks[j].text):
                j += 1
            if j == a or j < n and (toks[j].text[:1].isupper() or toks[j].text in ALL_QUOTES):
                continue  # no such name, or more capitalised words than it
            cls = described.cls if described is not None else EntityClass.NGO
            country = state.country if by_state and state is not None else None
            cases = singular(noun_cases(toks[h].text, HeadNoun("organizācija", "f", 4)) or None)
            name = " ".join(t.text for t in toks[a:j])
            out.append(Span(h, j, cls, name, "", kind="ngo", country=country, cases=cases, foreign=True))
        return out

    def _employer_form(self, toks: list[Token], h: int, end: int) -> tuple[HeadEntry, int] | None:
        """The legal form (entry, token) of a list a quoted name ending at `end` belongs to,
        where a person's post and name follow it: the last legal form before token h in the
        sentence, itself right before a quoted name."""
        if end + 1 >= len(toks) or stem(toks[end].text) not in self.lex.roles or not toks[end + 1].text[:1].isupper():
            return None
        for k in range(h - 1, 0, -1):
            entry = self.lex.head(toks[k].text)
            if entry is not None and entry.kind == "ngo" and entry.cls is EntityClass.NGO and toks[k + 1].text in _OPEN:
                return entry, k
        return None

    # ---------------------------------------------------------------- projects
    def project_spans(
        self, toks: list[Token], text: str, base: int, occupied: dict[int, Span], candidates: list[int] | None = None
    ) -> list[Span]:
        """Projects: a quoted title or an acronym after "projekts" (`candidates`: the
        indexes, in order, of the tokens of a project noun (PROJECT_STEMS), where known)."""
        quotes: dict[int, tuple[int, int, int]] = {}  # first token -> (token after, start, end)
        for qs, qe in quoted_ranges(text):
            r = _tok_range(toks, qs + base, qe + base)
            if r:
                quotes[r[0]] = (r[1], qs, qe)
        out = []
        for i in range(len(toks)) if candidates is None else candidates:
            t = toks[i]
            if stem(t.text) not in PROJECT_STEMS or i in occupied:
                continue
            project_noun = stem(t.text) == "projekt"
            if (
                project_noun
                and i > 0
                and is_acronym(toks[i - 1].text)
                and i - 1 not in occupied
                and toks[i - 1].text.isupper()
            ):
                # "STROM projekta ietvaros": the acronym before the word names the project
                out.append(Span(i - 1, i, EntityClass.PROJECT, toks[i - 1].text, "", kind="project"))
                continue
            j = i + 1
            if j < len(toks) and toks[j].text in ("Nr", "nr") and j + 1 < len(toks):
                # "projektā Nr. AK/PDM/EBF/2011/1 “...”": the project's number before its title
                k = j + 1
                if toks[k].text == "." and k + 1 < len(toks):
                    k += 1
                k += 1
                while k < len(toks) and toks[k].start == toks[k - 1].end and toks[k].text not in _OPEN:
                    k += 1
                j = k
            acronym = None
            if j < len(toks) and is_acronym(toks[j].text) and j not in occupied:
                k = j
                while k + 1 < len(toks) and (is_acronym(toks[k + 1].text) or _ROMAN.fullmatch(toks[k + 1].text)):
                    k += 1
                acronym = _tidy(" ".join(x.text for x in toks[j : k + 1]))
                j = k + 1
            title = None
            end = j
            if j in quotes and not any(x in occupied for x in range(j, quotes[j][0])):
                end, qs, qe = quotes[j]
                title = _clean_quoted(text[qs:qe])
            aliases: list[str] = []
            # "(ACRONYM)" or "(English expansion)" after the name
            if end < len(toks) and toks[end].text == "(":
                k = end + 1
                while k < len(toks) and toks[k].text != ")" and k - end < 25:
                    k += 1
                if k < len(toks) and toks[k].text == ")":
                    inner = text[toks[end + 1].start - base : toks[k - 1].end - base]
                    aliases.append(inner.strip())
                    end = k + 1
            if title is None and acronym is None:
                continue
            lemma = title or acronym or ""
            if acronym and title:
                aliases.append(acronym)
            if title and " – " in title:
                first, rest = title.split(" – ", 1)
                if is_acronym(first.strip()):
                    aliases += [first.strip(), rest.strip()]
            if title and not any(c.isalpha() for c in title):
                continue
            out.append(
                Span(
                    j if acronym else (end if title is None else j),
                    end,
                    EntityClass.PROJECT,
                    lemma,
                    "",
                    kind="project",
                    aliases=aliases,
                )
            )
            out[-1].start = i + 1 if j == i + 1 or acronym else j
            # "projektos “A” un “B”": more titles coordinated with the first
            while title and end + 1 < len(toks) and toks[end].text in ("un", ",") and end + 1 in quotes:
                nxt_end, qs, qe = quotes[end + 1]
                if any(x in occupied for x in range(end + 1, nxt_end)):
                    break
                more = _clean_quoted(text[qs:qe])
                if not any(c.isalpha() for c in more):
                    break
                out.append(Span(end + 1, nxt_end, EntityClass.PROJECT, more, "", kind="project"))
                end = nxt_end
        return out

"""Names that are not institutions found by a head noun: quoted names after a legal
form (biedrība "…", NVO "…", AS "…"), projects, persons and policy documents."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import attrgetter

from ..ingest import find_dates as _find_dates
from ..ir import EntityClass
from ..lv.morph import HeadNoun, agrees, head_cases, nominative_phrase, nominative_words, stem
from ..text import Token
from .gazetteer import is_acronym
from .lexicon import Lexicon
from .spans import ALL_QUOTES, Span, _is_capital, _is_genitive_like, _tidy, capital_start, heads_in, is_verb, rebuild

_OPENING = '„“"«‚‘'
_CLOSING = '”“"»’‘'
_OPENING_RX = re.compile("[" + re.escape(_OPENING) + "]")
_QUOTE_RX = re.compile("[" + re.escape(_OPENING + _CLOSING) + "]")
_PARTICLES = frozenset({"van", "von", "de", "der", "da", "di", "del", "la", "le", "du", "ten", "ter"})
_AGENT = re.compile(r"^(vadīt|izveidot|apstiprināt|parakstīt|iesniegt)(ā|ās|o|ais|ajā|ajai|ie)$")
_MONTHS = (
    "janvār",
    "februār",
    "mart",
    "aprīl",
    "maij",
    "jūnij",
    "jūlij",
    "august",
    "septembr",
    "oktobr",
    "novembr",
    "decembr",
)
_ADJ_ENDINGS = ("ais", "ā", "ās", "o", "ajā", "ajai", "ajam", "ie", "ajiem", "ajām", "ajās", "ajos")
_YEAR_RANGE = re.compile(r"^\d{4}\.?$")
_DAY = re.compile(r"\d{1,2}\.")
_DIGIT = re.compile(r"\d")
_ROMAN = re.compile(r"[IVX]+")


@lru_cache(maxsize=4096)
def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges of quoted titles, outer quotes included; nested
    quotes ('biedrība "Resursu centrs sievietēm "Marta""') stay inside."""
    out: list[tuple[int, int]] = []
    n = len(text)
    search = _OPENING_RX.search
    quote = _QUOTE_RX.search
    m = search(text)
    while m is not None:
        i = m.start()
        if i + 1 < n and (text[i + 1].isalnum()) and (i == 0 or not text[i - 1].isalnum()):
            depth = 1
            j = i + 1
            while j < n and depth:
                q = quote(text, j)  # characters other than quotes change nothing
                if q is None:
                    j = n
                    break
                j = q.start()
                cj = text[j]
                if cj in _OPENING and j + 1 < n and text[j + 1].isalnum() and text[j - 1] in " (–-":
                    depth += 1
                elif cj in _CLOSING and (j + 1 == n or not text[j + 1].isalnum()):
                    depth -= 1
                j += 1
            if depth == 0 and j - i > 2:
                out.append((i, j))
                m = search(text, j)
                continue
        m = search(text, i + 1)
    return out


def _tok_range(toks: list[Token], cstart: int, cend: int) -> tuple[int, int] | None:
    """(first, after last) index of the tokens inside [cstart, cend). Tokens are in order
    and do not overlap, so their starts and their ends both rise: the tokens starting at
    or after cstart and those ending at or before cend are each one run."""
    a = bisect_left(toks, cstart, key=_START)
    b = bisect_right(toks, cend, key=_END)
    return (a, b) if a < b else None


_START = attrgetter("start")
_END = attrgetter("end")


@lru_cache(maxsize=4096)
def _clean_quoted(s: str) -> str:
    """The content of a quoted title with straight quotes, balanced."""
    s = s.strip()
    for q in "„“”«»":
        s = s.replace(q, '"')
    s = s.strip('"').strip()
    if s.count('"') % 2:
        s += '"'
    return s


class NameFinder:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    # ---------------------------------------------------------------- legal forms
    def legal_form_spans(self, toks: list[Token], text: str, base: int, occupied: dict[int, Span]) -> list[Span]:
        out = []
        for qs, qe in quoted_ranges(text):
            r = _tok_range(toks, qs + base, qe + base)
            if r is None or any(i in occupied for i in range(*r)):
                continue
            h = r[0] - 1
            if h < 0:
                continue
            entry = self.lex.head(toks[h].text)
            if entry is None or entry.kind != "ngo":
                continue
            content = _clean_quoted(text[qs:qe])
            if not content or not any(c.isalpha() for c in content):
                continue
            head_word = toks[h].text
            if entry.cls is EntityClass.NGO and entry.noun.declension and not is_acronym(head_word):
                # a legal form stays in the name: biedrība "Centrs MARTA"
                nom = nominative_phrase([head_word], 0, entry.noun)
                lemma = f'{nom.lower()} "{content}"'
            else:
                lemma = content  # NVO "Astra", lidsabiedrība "airBaltic": the name alone
            start = h
            qualifier = occupied.get(h - 1)
            country = None
            if qualifier is not None and qualifier.kind == "country" and qualifier.genitive:
                country = qualifier.country
            else:
                qualifier = None
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
                )
            )
        return out

    # ---------------------------------------------------------------- projects
    def project_spans(
        self, toks: list[Token], text: str, base: int, occupied: dict[int, Span], candidates: list[int] | None = None
    ) -> list[Span]:
        """Projects: a quoted title or an acronym after "projekts" (`candidates`: the
        indexes, in order, of the tokens of the stem "projekt", where known)."""
        quotes: dict[int, tuple[int, int, int]] = {}  # first token -> (token after, start, end)
        for qs, qe in quoted_ranges(text):
            r = _tok_range(toks, qs + base, qe + base)
            if r:
                quotes[r[0]] = (r[1], qs, qe)
        out = []
        for i in range(len(toks)) if candidates is None else candidates:
            t = toks[i]
            if stem(t.text) != "projekt" or i in occupied:
                continue
            if i > 0 and is_acronym(toks[i - 1].text) and i - 1 not in occupied and toks[i - 1].text.isupper():
                # "STROM projekta ietvaros": the acronym before the word names the project
                out.append(Span(i - 1, i, EntityClass.PROJECT, toks[i - 1].text, "", kind="project"))
                continue
            j = i + 1
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
            out[-1].start = i + 1
        return out

    # ---------------------------------------------------------------- persons
    def first_name(self, word: str, genitive: bool = False) -> tuple[str, str] | None:
        """(nominative, case) of a given name, trying genitive and other case forms
        (only the genitive where the context requires one)."""
        w = word.lower()
        if w in self.lex.first_names and not genitive:
            return word, "nom"
        for end, repl, case in (
            ("a", "is", "gen"),
            ("a", "s", "gen"),
            ("as", "a", "gen"),
            ("es", "e", "gen"),
            ("am", "s", "dat"),
            ("im", "is", "dat"),
            ("ai", "a", "dat"),
            ("u", "s", "acc"),
            ("u", "a", "acc"),
        ):
            if w.endswith(end):
                cand = w[: -len(end)] + repl
                if cand in self.lex.first_names:
                    return word[: -len(end)] + repl, case
        return None

    def person_spans(self, toks: list[Token], text: str, base: int, occupied: dict[int, Span]) -> list[Span]:
        out = []
        i = 0
        n = len(toks)
        while i < n:
            t = toks[i]
            if i in occupied or not t.is_word or not _is_capital(t) or is_acronym(t.text):
                i += 1
                continue
            # "A.Pinzaru", "D. Trofimovs": an initial and a surname
            if (
                len(t.text) == 1
                and i + 2 < n
                and toks[i + 1].text == "."
                and i + 2 not in occupied
                and toks[i + 2].is_word
                and _is_capital(toks[i + 2])
                and len(toks[i + 2].text) > 2
                and not self.lex.head(toks[i + 2].text)
            ):
                out.append(Span(i, i + 3, EntityClass.PERSON, f"{t.text}. {toks[i + 2].text}", "", kind="person"))
                i += 3
                continue
            fn = self.first_name(t.text)
            if fn is None:
                i += 1
                continue
            j = i + 1
            parts = [fn[0]]
            while (
                j < n
                and j not in occupied
                and toks[j].is_word
                and (
                    (_is_capital(toks[j]) and not is_acronym(toks[j].text) and not self.lex.head(toks[j].text))
                    or (toks[j].text in _PARTICLES and j + 1 < n and _is_capital(toks[j + 1]))
                )
            ):
                parts.append(toks[j].text)
                j += 1
                if len(parts) >= 4:
                    break
            if len(parts) < 2:
                i += 1
                continue
            if j < n and _AGENT.match(toks[j].text.lower()) and fn[1] == "nom":
                # "Valda Dombrovska vadītā valdība": the agent of a participle is genitive
                gen = self.first_name(t.text, genitive=True)
                if gen is not None and gen[1] == "gen":
                    fn = gen
                    parts[0] = gen[0]
            # a second given name followed by the surname is fine; a name made only of
            # given names is not a person ("Marta Anna")
            if fn[1] == "gen":
                parts[-1] = _surname_nominative(parts[-1])
            end = j
            aliases = []
            if end + 1 < n and toks[end].text == "(":
                k = end + 1
                while k < n and toks[k].text != ")" and k - end < 8:
                    k += 1
                inner = toks[end + 1 : k]
                if k < n and inner and all(x.is_word and (_is_capital(x) or x.text in _PARTICLES) for x in inner):
                    aliases.append(" ".join(x.text for x in inner))
                    end = k + 1
            out.append(
                Span(
                    i,
                    end,
                    EntityClass.PERSON,
                    " ".join(parts),
                    "",
                    kind="person",
                    aliases=aliases,
                    genitive=fn[1] == "gen",
                )
            )
            i = end
        return out

    # ---------------------------------------------------------------- events
    def event_spans(
        self, toks: list[Token], text: str, base: int, occupied: dict[int, Span], heads: list[int] | None = None
    ) -> list[Span]:
        """Meetings, conferences, trainings and visits: an event noun with what names it
        ("projekta uzsākšanas sanāksme", "Padomes Vecāko amatpersonu komitejas sanāksme
        Kalmārā", "divu dienu mācības"), its place and, from the sentence, its date."""
        out: list[Span] = []
        date_in_sentence: bool | None = None  # found at the first event noun that needs it
        for h, entry, _cases in heads_in(self.lex, toks, "event", occupied, heads):
            j = h - 1
            while j >= 0 and h - j <= 6 and j not in occupied:
                w = toks[j].text.lower()
                if _YEAR_RANGE.match(w) or _DAY.fullmatch(w) or w in ("gada", "-", "–"):
                    j -= 1  # "Ministru kabineta 2014.gada 14.janvāra sēde"
                    continue
                if not toks[j].is_word or w in self.lex.stopwords or is_verb(w) or w.endswith(_ADJ_ENDINGS):
                    break
                if not _is_genitive_like(w) or w.endswith("us") or h - j > 3 and not w.startswith(_MONTHS):
                    break
                j -= 1
            owner = occupied.get(j)
            if owner is None:
                while j + 1 < h and not toks[j + 1].is_word:
                    j += 1  # a name does not start with a number
            start = j + 1
            if owner is not None and not (owner.genitive and (owner.is_org or owner.kind == "project")):
                owner = None
            end = h + 1
            place = None
            if end < len(toks) and end not in occupied and _LOCATIVE_PLACE.match(toks[end].text):
                place = toks[end].text
                end += 1
            title = None
            k = end
            if k < len(toks) and toks[k].text in '„“"«':
                for qs, qe in quoted_ranges(text):
                    if qs + base == toks[k].start:
                        title = _clean_quoted(text[qs:qe])
            if start == h and owner is None:
                continue  # "sanāksmē" alone names no event
            if not (owner is not None or place or title):
                if date_in_sentence is None:
                    date_in_sentence = bool(sentence_dates(text)) or "šā gada" in text.lower()
                if not date_in_sentence:
                    continue  # an event is a dated, placed or titled occasion
            words = [x.text for x in toks[start : h + 1]]
            idx = list(range(start, h + 1))
            name = rebuild(toks, idx, nominative_words(words, h - start, entry.noun), text, base)
            if owner is not None:
                owner_text = text[toks[owner.start].start - base : toks[owner.end - 1].end - base]
                name = f"{owner_text} {name}" if owner.kind != "project" else name
            if place:
                name = f"{name} {place}"
            name = _tidy(name[:1].upper() + name[1:])
            sp = Span(start, end, EntityClass.EVENT, name, "", kind="event", aliases=[title] if title else [])
            sp.location = place_nominative(place) if place else None
            own = _dates(text[toks[start].start - base : toks[h].end - base])
            if own:
                sp.date = own[0][2]  # "Ministru kabineta 2014.gada 14.janvāra sēde": its own date first
            out.append(sp)
        return out

    # ---------------------------------------------------------------- policy documents
    def policy_spans(
        self,
        toks: list[Token],
        text: str,
        base: int,
        occupied: dict[int, Span],
        complement,  # noqa: ANN001
        heads: list[int] | None = None,
    ) -> list[Span]:
        """Policy documents: a quoted title after a policy word or a Cabinet order
        ("rīkojumu Nr.29 „Par ...”", vadlīnijas “...”, „... pamatnostādnes 2014.-2020.gadam”),
        and unquoted names built on a policy head ("Eiropas Padomes konvencija par cīņu
        pret cilvēku tirdzniecību", "Rīcības plāns ... īstenošanai 2018.-2020.gadam")."""
        out = self._quoted_policies(toks, text, base, occupied)
        taken = dict(occupied)
        for sp in out:
            taken.update({i: sp for i in range(sp.start, sp.end)})
        for h, entry, cases in heads_in(self.lex, toks, "policy", taken, heads):
            t = toks[h]
            j = h - 1
            run: list[int] = []
            while (
                j >= 0
                and j not in taken
                and toks[j].is_word
                and toks[j].text.lower() not in self.lex.stopwords
                and not is_verb(toks[j].text)
                and len(run) < 6
            ):
                w = toks[j].text
                if _agrees(w, entry.noun, cases) or _is_genitive_like(w) or w.lower() == "un":
                    run.append(j)
                    j -= 1
                    continue
                break
            if any(taken.get(k) is not None and taken[k].kind == "policy" for k in range(h + 1, min(len(toks), h + 6))):
                continue  # "MK rīkojums Nr.29 „Par ...”": the act is named by its quoted title
            end = self._policy_complement(toks, h + 1, taken, complement)
            has_tail = end > h + 1
            start = capital_start(toks, run)
            prior = taken.get(h - 1)
            if start is None and not run and prior is not None and prior.is_org and prior.genitive:
                start = h  # "Eiropas Padomes konvencija par cīņu pret cilvēku tirdzniecību"
            if start is None and run and has_tail:
                start = run[-1]  # "policijas attīstības stratēģija 2016-2020.gadam"
            elif start is None and _is_capital(t) and h > 0 and toks[h - 1].text not in ALL_QUOTES:
                start = h
            if start is None:
                continue
            owner = taken.get(start - 1)
            if start == h and not has_tail and (owner is None or not owner.is_org):
                continue  # a bare "Stratēģija" is not a name
            words = [x.text for x in toks[start:end]]
            idx = list(range(start, end))
            lemma = _tidy(rebuild(toks, idx, nominative_words(words, h - start, entry.noun), text, base))
            if owner is not None and owner.genitive and (owner.is_org or owner.kind == "country"):
                # "Padomes Reformas deklarācija", "Moldovas Nacionālā stratēģija": the owner
                # named in the genitive stays in the title
                lemma = f"{text[toks[owner.start].start - base : toks[owner.end - 1].end - base]} {lemma}"
            lemma = lemma[:1].upper() + lemma[1:]
            out.append(Span(start, end, EntityClass.POLICY_DOCUMENT, lemma, "", kind="policy"))
            for pos in range(start, end):
                taken[pos] = out[-1]
        return out

    def _policy_complement(self, toks: list[Token], end: int, taken: dict[int, Span], complement) -> int:
        """What follows a policy head and belongs to its name: a purpose ("... novēršanai"),
        a subject ("par cīņu pret cilvēku tirdzniecību"), a period ("2014.-2020.gadam"),
        a number ("2008/115/EK")."""
        best = complement(toks, end, taken)
        k = best
        n = len(toks)
        if k < n and toks[k].text.lower() in ("par", "pret") and k not in taken:
            j = k + 1
            while j < n and j - k < 9 and toks[j].is_word and toks[j].text[:1].islower() and j not in taken:
                if toks[j].text in ("un", "ar") and j + 1 < n and not toks[j + 1].is_word:
                    break
                j += 1
            while j > k + 1 and toks[j - 1].text in ("un", "ar", "kā", "arī"):
                j -= 1
            if j > k + 1:
                best = k = j
        # a period or a number right after: "2014.-2020.gadam", "2012. – 2016.gadā", "2008/115/EK"
        j = k
        saw_year = False
        while j < n and j - k < 6 and j not in taken:
            x = toks[j].text
            if _YEAR_RANGE.match(x) or x in ("-", "–", "/") or x.isdigit():
                saw_year = saw_year or bool(_YEAR_RANGE.match(x))
                j += 1
                continue
            if stem(x) == "gad" and saw_year:
                return j + 1
            if saw_year and x in ("EK", "ES", "EEK") and toks[j - 1].text == "/":
                return j + 1
            break
        return best

    def _quoted_policies(self, toks: list[Token], text: str, base: int, occupied: dict[int, Span]) -> list[Span]:
        out: list[Span] = []
        for qs, qe in quoted_ranges(text):
            r = _tok_range(toks, qs + base, qe + base)
            if r is None:
                continue
            inner = [k for k in range(*r) if toks[k].is_word]
            if not inner or any(occupied.get(k) is not None and occupied[k].kind == "project" for k in inner):
                continue
            before = [toks[k].text.lower() for k in range(max(0, r[0] - 5), r[0]) if toks[k].is_word]
            if any(stem(w) in ("ziņojum", "projekt", "konferenc", "sanāksm") for w in before[-2:]):
                continue  # reports, projects and events have titles too
            if is_verb(toks[inner[0]].text) or len(inner) > 25:
                continue  # a quoted aim or sentence, not a title ("Atbalstīt ... uzlabošanu")
            content = _clean_quoted(text[qs:qe])
            first, last = inner[0], inner[-1]
            head_first = self.lex.head(toks[first].text)
            head_last = self.lex.head(toks[last].text)
            legal_act = any(stem(w) in ("rīkojum", "likum", "noteikum", "lēmum") for w in before) and (
                content.startswith("Par ")
            )
            after_policy = any((h := self.lex.head(w)) is not None and h.kind == "policy" for w in before[-2:])
            words = content.split()
            if head_first is not None and head_first.kind == "policy" and head_cases(toks[first].text, head_first.noun):
                words[0] = nominative_words([words[0]], 0, head_first.noun)[0]
            elif head_last is not None and head_last.kind == "policy" and head_cases(toks[last].text, head_last.noun):
                words = nominative_words(words, len(words) - 1, head_last.noun)
            elif not (legal_act or after_policy):
                continue
            lemma = " ".join(words)
            out.append(Span(r[0], r[1], EntityClass.POLICY_DOCUMENT, lemma, "", kind="policy"))
        return out


@lru_cache(maxsize=64)
def sentence_dates(text: str) -> list[tuple[int, int, str]]:
    """ingest.find_dates of a sentence, kept for the few sentences read last: the event
    finder and the dating of its events ask about the same sentence."""
    return _dates(text)


def _dates(text: str) -> list[tuple[int, int, str]]:
    """ingest.find_dates: every date it finds is written with digits."""
    return _find_dates(text) if _DIGIT.search(text) else []


_LOCATIVE_PLACE = re.compile(r"^[A-ZĀČĒĢĪĶĻŅŠŪŽ][a-zāčēģīķļņšūž]+(ā|ē|ī|os|ās|ēs)$")


def place_nominative(word: str) -> str:
    """The nominative of a place named in the locative: Briselē -> Brisele, Rīgā -> Rīga."""
    for loc, nom in (("ajās", "as"), ("os", "i"), ("ās", "as"), ("ēs", "es"), ("ā", "a"), ("ē", "e")):
        if word.endswith(loc) and len(word) > len(loc) + 2:
            return word[: -len(loc)] + nom
    return word


def _agrees(word: str, noun: HeadNoun, cases: list[str]) -> bool:
    return agrees(word, noun.gender, noun.plural, cases)


def _surname_nominative(word: str) -> str:
    w = word
    if w.endswith(("ska", "cka", "ska")):
        return w[:-1] + "is"
    if w.endswith("ņa"):
        return w[:-2] + "ņš"
    if w.endswith("a"):
        return w[:-1] + "s"
    return w

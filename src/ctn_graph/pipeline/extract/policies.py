"""Policy documents: strategies, plans, guidelines, conventions, laws and orders, quoted
or named by a policy head noun."""

from __future__ import annotations

import re
from functools import lru_cache

from mypy_extensions import trait

from ...ir import EntityClass
from ..lv.morph import HeadNoun, agrees, head_cases, nominative_words, noun_cases, stem
from ..text import Token
from .lexicon import HeadEntry, Lexicon
from .quotes import _clean_quoted, _tok_range, quoted_ranges
from .spans import (
    ALL_QUOTES,
    Span,
    _is_capital,
    _is_genitive_like,
    _tidy,
    capital_start,
    ends_topic,
    is_verb,
    norm,
    rebuild,
    singular,
)

_YEAR_RANGE = re.compile(r"^\d{4}\.?$")
# a place in the locative ("darbavietā", "valstīs"); not "-ās", which reflexive verbs end in too ("stājās")
_LOCATIVE_ENDINGS = ("ā", "ē", "ī", "os", "ēs", "īs")


@trait  # (mypyc: a class of NameFinder's several bases)
class PolicyFinder:
    lex: Lexicon

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
        for h, entry, cases, compound in self._policy_heads(toks, taken, heads):
            t = toks[h]
            act = self._numbered_act(toks, h, entry, text, base, taken) or _eu_act(toks, h, entry, text, base, taken)
            if act is not None:
                titled = next((o for o in out if act.end <= o.start <= act.end + 1), None)
                if titled is not None:
                    titled.aliases.extend(
                        [act.lemma, *act.aliases]
                    )  # rīkojums Nr.52 „Par ...”: one act, named by its title
                    continue
                out.append(act)
                taken.update({i: act for i in range(act.start, act.end)})
                continue
            if compound:
                # "Krimināllikums", "Civillikumā": a law named in one word
                lemma = _compound_nominative(t.text, entry.noun)
                out.append(Span(h, h + 1, EntityClass.POLICY_DOCUMENT, lemma, "", kind="policy"))
                taken[h] = out[-1]
                continue
            j = h - 1
            run: list[int] = []
            if j >= 0 and toks[j].text == "un":
                j = -1  # "... un Konvencijas ...": "un" joins the whole name to another word
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
            period = any(_YEAR_RANGE.match(toks[k].text) for k in range(h + 1, end))
            start = capital_start(toks, run)
            if start == 0 and not period and not any(_is_capital(toks[k]) for k in run if k > 0):
                start = None  # "Biedrības darba plāns ...": capitalised only because it opens the sentence
            prior = taken.get(h - 1)
            if start is None and not run and prior is not None and prior.is_org and prior.genitive:
                start = h  # "Eiropas Padomes konvencija par cīņu pret cilvēku tirdzniecību"
            if start is None and run and period:
                # "policijas attīstības stratēģija 2016-2020.gadam" (a lower-case name needs its
                # period: "izstrādāt turpmāko darbības plānu ... novēršanai" names no document)
                start = run[-1]
            elif start is None and _is_capital(t) and h > 0 and toks[h - 1].text not in ALL_QUOTES:
                start = h
            if start is None:
                continue
            owner = _owner_before(toks, start, taken)
            if start == h and not has_tail and owner is None:
                continue  # a bare "Stratēģija" is not a name
            if start == h and stem(entry.noun.lemma) in _legal_acts():
                continue  # "Padomes lēmums", "MK rīkojums": an act is named by its number or title
            if stem(entry.noun.lemma) in _legal_acts() and stem(entry.noun.lemma) not in _acts_by_words():
                continue  # "Ministres rīkojums par apbalvošanu": an order the text describes, not names
            if start == h and not has_tail and not _is_capital(t):
                continue  # "ES direktīva", "Eiropas Komisijas stratēģija": which one, the text does not say
            if h > start and (stem(toks[h - 1].text), stem(entry.noun.lemma)) in _not_policies():
                continue  # "darba plāns", "mācību programma": everyday documents
            if stem(entry.noun.lemma) == "programm" and _programme_of_international_body(self.lex, toks, h + 1, taken):
                continue  # "Eiropas Savienības programmas ... ietvaros": a funding programme
            if any(_kind(self.lex, toks[k].text) == "event" for k in range(start, h)):
                continue  # "sanāksmes protokols", "sēdes darba kārtība": a record of an event
            if (
                start == 0
                and not has_tail
                and owner is None
                and all(_agrees(toks[k].text, entry.noun, cases) for k in range(start, h))
            ):
                continue  # "Jaunā stratēģija tiks izstrādāta": capitalised because it opens the sentence
            words = [x.text for x in toks[start:end]]
            idx = list(range(start, end))
            lemma = _tidy(rebuild(toks, idx, nominative_words(words, h - start, entry.noun), text, base))
            aliases: list[str] = []
            if owner is not None:
                # "Padomes Reformas deklarācija", "Moldovas Nacionālā stratēģija", "Eiropas
                # Parlamenta un Padomes direktīva": the owner named in the genitive stays in the title
                first, last, short = owner
                named = _tidy(text[toks[first].start - base : toks[last].end - base])
                if short:
                    aliases.append(f"{short} {lemma}")  # "CBSS TF-THB Stratēģiskais plāns ..."
                lemma = f"{named} {lemma}"
            lemma = lemma[:1].upper() + lemma[1:]
            out.append(Span(start, end, EntityClass.POLICY_DOCUMENT, lemma, "", kind="policy", aliases=aliases))
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
            closed = False  # the topic's noun is read: only "un" + another, or "pret", goes on
            placed = False  # a place after that noun is read ("pret vardarbību ģimenē")
            while j < n and j - k < 9 and toks[j].is_word and toks[j].text[:1].islower() and j not in taken:
                w = toks[j].text
                if w in ("un", "ar") and j + 1 < n and not toks[j + 1].is_word:
                    break
                if w in self.lex.stopwords and w not in ("un", "ar"):
                    break  # "... pret transnacionālo organizēto noziedzību un tās Protokols"
                if closed and not placed and len(w) > 4 and w.endswith(_LOCATIVE_ENDINGS) and not is_verb(w):
                    placed = True  # "pret vardarbību darbavietā": where, still the topic
                    j += 1
                    continue
                if closed and not (w == "pret" or w == "un" and j + 1 < n and _coordinated_topic(toks[j + 1].text)):
                    break  # "Konvencijas pret cilvēku tirdzniecību ieviešanu", "... izpildsekretāre"
                closed = ends_topic(w)
                placed = False
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
            if not inner or any(
                occupied.get(k) is not None and occupied[k].kind in ("project", "event") for k in inner
            ):
                continue
            before = [toks[k].text.lower() for k in range(max(0, r[0] - 5), r[0]) if toks[k].is_word]
            if any(stem(w) in ("ziņojum", "projekt") or _kind(self.lex, w) == "event" for w in before[-2:]):
                continue  # reports, projects and events have titles too
            after_policy = any(_kind(self.lex, w) == "policy" for w in before[-2:])
            if after_policy and _programme_of_international_body(self.lex, toks, r[0], occupied):
                # Eiropas Savienības programma „Erasmus+”: a funding programme, not a policy; a
                # body of its own where no name inside the quote is one already
                if not any(occupied.get(k) is not None and occupied[k].is_org for k in inner):
                    programme = _programme_span(self.lex, toks, r, _clean_quoted(text[qs:qe]), occupied)
                    if programme is not None:
                        out.append(programme)
                continue
            first_word = toks[inner[0]].text
            if len(inner) > 25 or is_verb(first_word) and not (after_policy and _gerund(first_word)):
                # a quoted aim or sentence, not a title ("Atbalstīt ... uzlabošanu"); a title may
                # begin with a gerund: vadlīnijas „Stiprinot pašvaldību darbību ...”
                continue
            content = _clean_quoted(text[qs:qe])
            first, last = inner[0], inner[-1]
            head_first = self.lex.head(toks[first].text)
            head_last = self.lex.head(toks[last].text)
            acts = _legal_acts()
            legal_act = any(stem(w) in acts for w in before) and content.startswith("Par ")
            words = content.split()
            if content.startswith("Par "):
                # „Par vadlīnijām ...”: a title about a document keeps its words as written
                if not (legal_act or after_policy or head_last is not None and head_last.kind == "policy"):
                    continue
            elif (
                head_first is not None and head_first.kind == "policy" and head_cases(toks[first].text, head_first.noun)
            ):
                words[0] = nominative_words([words[0]], 0, head_first.noun)[0]
            elif head_last is not None and head_last.kind == "policy" and head_cases(toks[last].text, head_last.noun):
                if head_cases(toks[last].text, head_last.noun) != ["loc"]:  # „Grozījumi Imigrācijas likumā”
                    words = nominative_words(words, len(words) - 1, head_last.noun)
            elif not (legal_act or after_policy):
                continue
            lemma = " ".join(words)
            out.append(Span(r[0], r[1], EntityClass.POLICY_DOCUMENT, lemma, "", kind="policy"))
        return out

    def _policy_heads(
        self, toks: list[Token], taken: dict[int, Span], heads: list[int] | None
    ) -> list[tuple[int, HeadEntry, list[str], bool]]:
        """(index, entry, cases, whether a compound) of the policy heads of a sentence:
        "stratēģija", and one-word compounds of a head ("Krimināllikumā")."""
        found = []
        for h in range(len(toks)) if heads is None else heads:
            if h in taken:
                continue
            w = toks[h].text
            entry = self.lex.head(w)
            compound = False
            if entry is None or entry.kind != "policy":
                entry = policy_compound(self.lex, w)
                if entry is None:
                    continue
                compound = True
                cases = ["nom"]
            else:
                cases = head_cases(w, entry.noun)
            if cases:
                found.append((h, entry, cases, compound))
        return found

    def _numbered_act(
        self, toks: list[Token], h: int, entry: HeadEntry, text: str, base: int, taken: dict[int, Span]
    ) -> Span | None:
        """An order, regulation or decision named by its number, with who issued it and
        when: "Ministru prezidenta 2010.gada 3.marta rīkojums Nr.77", "MK rīkojums Nr.657"
        (the aliases: the name without its date, and without its issuer)."""
        n = len(toks)
        if stem(entry.noun.lemma) not in _legal_acts() or h + 1 >= n or toks[h + 1].text.lower() not in ("nr", "nr."):
            return None
        k = h + 2
        if k < n and toks[k].text == ".":
            k += 1
        if k >= n or not toks[k].text[:1].isdigit():
            return None
        number = toks[k].text.rstrip(".")
        end = k + 1
        # left: the date ("2010.gada 3.marta") and the issuer in the genitive
        j = h - 1
        date_from = h
        while (
            j >= 0
            and j not in taken
            and (
                _YEAR_RANGE.match(toks[j].text)
                or _DAY.fullmatch(toks[j].text)
                or toks[j].text.lower() in ("gada", "g")
                or toks[j].text.lower().startswith(_MONTH_STEMS)
            )
        ):
            date_from = j
            j -= 1
        issuer_from = date_from
        owner = taken.get(j)
        if owner is not None and owner.genitive and owner.is_org:
            issuer_from = owner.start
        else:
            words = 0
            while j >= 0 and j not in taken and words < 3 and toks[j].is_word and _is_genitive_like(toks[j].text):
                if toks[j].text.lower() in self.lex.stopwords or is_verb(toks[j].text):
                    break
                words += 1
                j -= 1
            run = list(range(date_from - 1, j, -1))
            start = capital_start(toks, run) if run else None
            if start is not None:
                issuer_from = start
        head = nominative_words([toks[h].text], 0, entry.noun)[0].lower()
        issuer = date = ""
        if issuer_from < date_from:
            issuer = _tidy(text[toks[issuer_from].start - base : toks[date_from - 1].end - base])
        if date_from < h:
            date = _tidy(text[toks[date_from].start - base : toks[h - 1].end - base])
        nr = f"Nr.{number}"
        lemma = " ".join(x for x in (issuer, date, head, nr) if x)
        aliases = [" ".join(x for x in (issuer, head, nr) if x)] if issuer and date else []
        lemma = lemma[:1].upper() + lemma[1:]
        # the span starts after an issuer that is a name of its own (mentions are told apart by their start)
        first = date_from if owner is not None and issuer_from == owner.start else issuer_from
        return Span(first, end, EntityClass.POLICY_DOCUMENT, lemma, "", kind="policy", aliases=aliases)


_EU_ACTS = frozenset(stem(w) for w in ("direktīva", "regula", "lēmums"))
_YEAR = re.compile(r"(19|20)\d\d")


def _eu_act(toks: list[Token], h: int, entry: HeadEntry, text: str, base: int, taken: dict[int, Span]) -> Span | None:
    """A directive, regulation or decision of the European Union named by its number:
    "direktīva 2011/36/ES", "Direktīva (ES) 2024/1712", "Regula (ES) Nr. 2019/1896" (the
    name: the head in the nominative and the number as written; its alias: the number)."""
    if stem(entry.noun.lemma) not in _EU_ACTS:
        return None
    before = toks[h - 1] if h > 0 else None
    if before is not None and (h - 1 in taken or _is_capital(before) and _is_genitive_like(before.text)):
        return None  # "Eiropas Parlamenta un Padomes Direktīva 2011/36/ES": named with its owner (policy_spans)
    n = len(toks)
    k = h + 1
    if k + 2 < n and toks[k].text == "(" and toks[k + 2].text == ")" and toks[k + 1].text in ("ES", "EK", "EEK"):
        k += 3  # "(ES)": whose act
    if k < n and toks[k].text.lower() == "nr":
        k += 2 if k + 1 < n and toks[k + 1].text == "." else 1
    first = k
    if k + 2 >= n or not _YEAR.fullmatch(toks[k].text) or toks[k + 1].text != "/" or not toks[k + 2].text.isdigit():
        return None
    end = k + 3
    if end + 1 < n and toks[end].text == "/" and toks[end + 1].text in ("ES", "EK", "EEK", "TI"):
        end += 2  # the older numbers: "2011/36/ES"
    if any(i in taken for i in range(h, end)) or any(toks[i].start != toks[i - 1].end for i in range(first + 1, end)):
        return None  # "2011 / 36": no act's number is written with spaces
    head = nominative_words([toks[h].text], 0, entry.noun)[0]
    written = _tidy(text[toks[h + 1].start - base : toks[end - 1].end - base])
    number = text[toks[first].start - base : toks[end - 1].end - base]
    lemma = f"{head[:1].upper()}{head[1:].lower()} {written}"
    return Span(h, end, EntityClass.POLICY_DOCUMENT, lemma, "", kind="policy", aliases=[number])


def merge_policies(spans: list[Span]) -> None:
    """A policy document a text names without its owner after naming it with one
    ("Konvencija pret cilvēku tirdzniecību" and "Eiropas Padomes Konvencija pret cilvēku
    tirdzniecību") is that document: the short name is keyed as the fuller one, and kept as
    its alias. A short name that more than one fuller name ends with is left alone."""
    by_name: dict[str, Span] = {}
    for sp in spans:
        if sp.kind == "policy":
            by_name.setdefault(norm(sp.lemma), sp)
    if len(by_name) < 2:
        return
    by_last: dict[str, list[str]] = {}
    for name in by_name:
        if name:
            by_last.setdefault(name.rsplit(" ", 1)[-1], []).append(name)
    fuller: dict[str, Span] = {}
    for name in by_name:
        if not name:
            continue
        longer = [o for o in by_last[name.rsplit(" ", 1)[-1]] if o.endswith(" " + name)]
        if len(longer) == 1:
            fuller[name] = by_name[longer[0]]
    for sp in spans:
        if sp.kind != "policy":
            continue
        full = fuller.get(norm(sp.lemma))
        if full is not None:
            sp.aliases = [sp.lemma, *(a for a in sp.aliases if a != sp.lemma)]
            sp.lemma, sp.key = full.lemma, full.key


_DAY = re.compile(r"\d{1,2}\.")
_MONTH_STEMS = (
    "janvār", "februār", "mart", "aprīl", "aprīļ", "maij", "jūnij",
    "jūlij", "august", "septembr", "oktobr", "novembr", "decembr",
)  # fmt: skip


def _owner_before(toks: list[Token], start: int, taken: dict[int, Span]) -> tuple[int, int, str | None] | None:
    """The body or state named in the genitive right before a policy name: (its first
    and last token, the acronym the text gives it in parentheses, if any). Over "X un Y":
    "Eiropas Parlamenta un Padomes direktīva"; an acronym in parentheses names it:
    "... apkarošanai (CBSS TF-THB) Stratēģiskais plāns"."""
    from .gazetteer import is_acronym

    j = start - 1
    short = None
    if j >= 0 and toks[j].text == ")":
        k = j
        while k > 0 and toks[k].text != "(" and j - k < 8:
            k -= 1
        if toks[k].text != "(":
            return None
        inside = taken.get(k + 1)
        if inside is not None and inside.is_org and inside.start == k + 1 and inside.end == j:
            return k + 1, j - 1, None
        inner = " ".join(t.text for t in toks[k + 1 : j])
        short = inner if is_acronym(inner) else None
        j = k - 1
    last = j
    if short is None and j >= 1 and toks[j].text == "un" and start < len(toks) and toks[start].text[:1].isupper():
        j -= 1  # "Eiropas Parlamenta un Padomes direktīva": the title starts at "Padomes"
        last = start - 1
    owner = taken.get(j) if j >= 0 else None
    if owner is None or not owner.genitive or not (owner.is_org or owner.kind == "country"):
        return None
    first = owner.start
    if first >= 2 and toks[first - 1].text == "un":
        other = taken.get(first - 2)
        if other is not None and other.genitive and other.is_org:
            first = other.start
    if short is not None:
        last = owner.end - 1
    return first, last, short


def _programme_of_international_body(lex: Lexicon, toks: list[Token], q: int, occupied: dict[int, Span]) -> bool:
    """Whether the quote at token q names a programme of an international body: "Eiropas
    Savienības programmas „Erasmus+”", "Ziemeļu Ministru padomes programmas „Nordplus”",
    "Eiropas Komisijas ... Ģenerāldirektorāta finanšu programmas „...”" (up to two
    lower-case genitives between the body and the programme)."""
    return _programme_owner(toks, q, occupied) is not None


def _programme_owner(toks: list[Token], q: int, occupied: dict[int, Span]) -> Span | None:
    """The international body, named in the genitive, whose programme the word before
    token q is (see _programme_of_international_body)."""
    k = q - 1
    if k < 1 or stem(toks[k].text) != "programm":
        return None
    j = k - 1
    while j > 0 and k - j <= 2 and j not in occupied and toks[j].text.islower() and _is_genitive_like(toks[j].text):
        j -= 1  # "finanšu programmas"
    owner = occupied.get(j)
    if owner is None or owner.cls is not EntityClass.INTERNATIONAL_ORGANISATION or not owner.genitive:
        return None
    return owner


def _programme_span(
    lex: Lexicon, toks: list[Token], quote: tuple[int, int], title: str, occupied: dict[int, Span]
) -> Span | None:
    """A funding programme of an international body as a body of that class, named by its
    quoted title: 'programma "Noziedzības profilakse un apkarošana"' (from the programme
    word to the closing quote), part of its owner, named in the genitive before it
    ("Eiropas Savienības programma ..."), which stays a name of its own. Keyed here: its
    name is the title alone, not the owner's and the title's."""
    k = quote[0] - 1
    entry = lex.head(toks[k].text)
    owner = _programme_owner(toks, quote[0], occupied)
    if entry is None or owner is None or not any(c.isalpha() for c in title):
        return None
    cases = noun_cases(toks[k].text, entry.noun)
    return Span(
        k,
        quote[1],
        EntityClass.INTERNATIONAL_ORGANISATION,
        title,
        f"org:INT:{norm(title)}",
        kind="org",
        aliases=[f'Programma "{title}"'],
        parent=owner,
        genitive="gen" in cases,
        cases=singular(cases or None),
    )


def _coordinated_topic(word: str) -> bool:
    """Whether the word after "un" in a topic can begin another noun of it (a genitive or an
    accusative, or a definite adjective in the genitive: "par ... novēršanu un cietušo
    aizsardzību"), not a word of another case ("... novēršanu un jaunākajām tendencēm": what
    the verb governs next)."""
    w = word.lower()
    return w[:1].isalpha() and w[:1].islower() and (_is_genitive_like(w) or w.endswith(("o", "i")))


def _kind(lex: Lexicon, word: str) -> str | None:
    h = lex.head(word)
    return h.kind if h is not None else None


def _gerund(word: str) -> bool:
    """A gerund ("stiprinot", "veicinot", "strādājot"): how a title may begin."""
    return word.lower().endswith(("ot", "oties", "ām", "dams", "dama")) and len(word) > 5


@lru_cache(maxsize=1)
def _not_policies() -> frozenset[tuple[str, str]]:
    """(modifier, head) stems of everyday documents (data/lexicon/not_policies.txt)."""
    from ...common.resources import data_path

    path = data_path("lexicon", "not_policies.txt")
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    pairs = [ln.split("#", 1)[0].split() for ln in lines]
    return frozenset((stem(p[0]), stem(p[1])) for p in pairs if len(p) == 2)


@lru_cache(maxsize=1)
def _legal_acts() -> frozenset[str]:
    """Stems of the nouns of legal acts named by a number or a title "Par ..."
    (data/lexicon/legal_acts.txt)."""
    return frozenset(stem(row[0]) for row in _legal_act_rows())


@lru_cache(maxsize=1)
def _acts_by_words() -> frozenset[str]:
    """Stems of the legal acts also named by the words before them ("Imigrācijas likums"):
    marked "words" in data/lexicon/legal_acts.txt."""
    return frozenset(stem(row[0]) for row in _legal_act_rows() if "words" in row[1:])


def _legal_act_rows() -> list[list[str]]:
    from ...common.resources import data_path

    path = data_path("lexicon", "legal_acts.txt")
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [row for ln in lines if (row := ln.split("#", 1)[0].split())]


def policy_compound(lex: Lexicon, word: str) -> HeadEntry | None:
    """The policy head a capitalised one-word name ends with ("Krimināllikums",
    "Civillikumā"): a head of five letters or more, after three or more of the word's own."""
    if not word[:1].isupper() or len(word) < 9 or not word.isalpha():
        return None
    s = stem(word)
    heads = _COMPOUNDABLE.get(id(lex))
    if heads is None:
        heads = _COMPOUNDABLE[id(lex)] = [(hs, e) for hs, e in lex.heads.items() if e.kind == "policy" and len(hs) >= 5]
    for hs, entry in heads:
        if len(s) >= len(hs) + 3 and s.endswith(hs):
            return entry
    return None


_COMPOUNDABLE: dict[int, list[tuple[str, HeadEntry]]] = {}


def _compound_nominative(word: str, noun: HeadNoun) -> str:
    """ "Krimināllikumā" -> "Krimināllikums"."""
    base = stem(noun.lemma)
    i = word.lower().rfind(base)
    return word[:i] + noun.lemma if i > 0 else word


def _agrees(word: str, noun: HeadNoun, cases: list[str]) -> bool:
    return agrees(word, noun.gender, noun.plural, cases)

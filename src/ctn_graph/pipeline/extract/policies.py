"""Policy documents: strategies, plans, guidelines, conventions, laws and orders, quoted
or named by a policy head noun.

This module holds the finder (PolicyFinder) and merge_policies; the parts of a name
and the words the finder reads are in policy_names.py (policy_compound re-exported here).
"""

from __future__ import annotations

import re

from mypy_extensions import trait

from ...ir import EntityClass
from ..lv.morph import head_cases, nominative_words, stem
from ..text import Token
from .lexicon import HeadEntry, Lexicon
from .policy_names import (
    _acts_by_words,
    _agrees,
    _compound_nominative,
    _coordinated_topic,
    _eu_act,
    _gerund,
    _kind,
    _legal_acts,
    _not_policies,
    _owner_before,
    _programme_of_international_body,
    _programme_span,
    policy_compound,
)
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
)

# the names other modules import from here (names.py, document.py); policy_compound is
# defined in policy_names.py
__all__ = ["PolicyFinder", "merge_policies", "policy_compound"]

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

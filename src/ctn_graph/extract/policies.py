"""Policy documents: strategies, plans, guidelines, conventions, laws and orders, quoted
or named by a policy head noun."""

from __future__ import annotations

import re

from ..ir import EntityClass
from ..lv.morph import HeadNoun, agrees, head_cases, nominative_words, stem
from ..text import Token
from .lexicon import Lexicon
from .quotes import _clean_quoted, _tok_range, quoted_ranges
from .spans import ALL_QUOTES, Span, _is_capital, _is_genitive_like, _tidy, capital_start, heads_in, is_verb, rebuild

_YEAR_RANGE = re.compile(r"^\d{4}\.?$")


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


def _agrees(word: str, noun: HeadNoun, cases: list[str]) -> bool:
    return agrees(word, noun.gender, noun.plural, cases)

"""Institution names read by their head noun: InstitutionFinder (a trait of
SentenceExtractor's bases, over HeadReader) walks left from a head over the genitive
modifiers and agreeing adjectives to the name's capitalised first word (`_institution`),
and reads a bare head after a named parent or state (`_bare_unit`); with `capital_start`
and `_quoted_name_after`; out of spans.py, which re-exports them."""

from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache

from mypy_extensions import trait

from ...ir import EntityClass
from ..lv.morph import HeadNoun, head_cases, nominative_phrase, nominative_words, noun_cases, stem
from ..text import Token
from .gazetteer import is_acronym
from .heads import HeadReader, _compound_lemma
from .lexicon import HeadEntry
from .span import Span
from .words import (
    ALL_QUOTES,
    _first_word,
    _is_capital,
    _is_foreign,
    _is_genitive_like,
    _join,
    _lower_genitive_word,
    _tidy,
    is_verb,
    rebuild,
    singular,
)

# Heads that are never a name by themselves ("Padome" alone is a name only where a text
# defines it as the short form of one).
_LOCATED = frozenset(stem(w) for w in ("delegācija", "pārstāvniecība", "vēstniecība", "birojs"))
_LOCATIVE_ENDINGS = ("ā", "ē", "ī", "ās", "ēs", "os")
_ORDINAL = re.compile(r"[1-9][0-9]?\.")


@lru_cache(maxsize=1)
def _state_bodies() -> frozenset[str]:
    from ...common.resources import data_path

    lines = data_path("lexicon", "state_bodies.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(stem(ln.strip()) for ln in lines if ln.strip() and not ln.startswith("#"))


@trait  # (mypyc: a class of SentenceExtractor's several bases)
class InstitutionFinder(HeadReader):
    def _bare_unit(self, toks: list[Token], h: int, entry: HeadEntry, occupied: dict[int, Span]) -> Span | None:
        """A bare head after a named parent: "Eiropas Savienības prezidentūra",
        "Starptautiskās Migrācijas organizācijas (IOM) Latvijas birojs"."""
        cases = head_cases(toks[h].text, entry.noun)
        if not cases:
            return None
        start = h
        numbered = h > 0 and _ORDINAL.fullmatch(toks[h - 1].text) is not None and h - 1 not in occupied
        if numbered:
            start = h - 1  # "Narkotiku apkarošanas biroja 2.nodaļa": a numbered unit of a body
        left = self._left_neighbour(toks, start, occupied)
        country = None
        if numbered and (left is None or not left.is_org or not left.genitive or left.end != start):
            return None
        if left is not None and left.kind == "country" and left.genitive:
            country = left
            start = left.start
            left = self._left_neighbour(toks, left.start, occupied)
        one_per_state = stem(entry.noun.lemma) in _state_bodies()
        if country is not None and (_is_capital(toks[h]) or one_per_state) and (left is None or not left.is_org):
            # "Somijas Robežsardze", "Igaunijas Policija": a country's body named by its head alone
            head = nominative_phrase([toks[h].text], 0, entry.noun)
            end = h + 1
            located = occupied.get(end)
            if (
                located is not None
                and located.kind == "country"
                and stem(toks[h].text) in _LOCATED
                and toks[located.end - 1].text.lower().endswith(_LOCATIVE_ENDINGS)
            ):
                # "Latvijas vēstniecība Īrijā": the state's embassy in another
                end = located.end
                head = " ".join([head, *(t.text for t in toks[located.start : located.end])])
            return Span(
                h,
                end,
                entry.cls,
                head,
                "",
                kind="org",
                genitive="gen" in cases and "nom" not in cases,
                cases=singular(noun_cases(toks[h].text, entry.noun) or None),
            )
        end = h + 1
        if country is None and left is None:
            # "EDSO koordinācijas birojs cīņai pret cilvēku tirdzniecību": lower-case
            # genitives between the parent and the head, and the head's purpose after it
            k = h
            while k > 0 and h - k < 4 and k - 1 not in occupied and _lower_genitive_word(toks[k - 1].text):
                k -= 1
            if k < h:
                left = self._left_neighbour(toks, k, occupied)
                if left is not None and left.is_org and left.genitive and left.end == k:
                    start = k
                    end = self.complement(toks, h + 1, occupied)
                else:
                    left = None
        if left is None or not left.is_org or not left.genitive:
            return None
        if country is None and left.end != start:
            return None
        if stem(entry.noun.lemma) == stem("delegācija") and left.cls is not EntityClass.INTERNATIONAL_ORGANISATION:
            return None  # a ministry's delegation is its people on a visit, not a body
        words = [toks[i].text for i in range(start, end) if toks[i].text not in ALL_QUOTES]
        lemma = _tidy(nominative_phrase(words, h - start, entry.noun))
        if numbered and toks[h].start == toks[h - 1].end:
            lemma = lemma.replace(" ", "", 1)  # "2.nodaļa" as the text writes it
        span = Span(
            start,
            end,
            entry.cls,
            lemma,
            "",
            kind="unit",
            genitive="gen" in cases and "nom" not in cases,
            cases=singular(noun_cases(toks[h].text, entry.noun) or None),
        )
        span.parent = left
        return span

    def _institution(
        self,
        toks: list[Token],
        h: int,
        entry: HeadEntry,
        compound: bool,
        occupied: dict[int, Span],
        text: str,
        base: int,
        capitalised: Container[str] = frozenset(),  # words the document capitalises mid-sentence
    ) -> Span | None:
        noun = entry.noun
        if compound:
            noun = HeadNoun(_compound_lemma(toks[h].text, entry.noun), noun.gender, noun.declension, noun.plural)
        cases = head_cases(toks[h].text, noun)
        if not cases:
            return None
        if noun.plural is False and toks[h].text.lower().endswith(("as", "es")) and "gen" not in cases:
            return None
        # Walk left over modifiers.
        run: list[int] = []
        j = h - 1
        while j >= 0:
            t = toks[j]
            if t.text == ")":
                k = j
                while k >= 0 and toks[k].text != "(":
                    k -= 1
                if k < 0 or j - k > 12:
                    break
                j = k - 1
                continue
            coordinated = any(toks[k].text == "un" for k in run)
            continues = j + 1 < len(toks) and toks[j + 1].text[:1].islower()  # ", kārtības un ..."
            if t.text == "," and j > 0 and coordinated and continues and _is_genitive_like(toks[j - 1].text):
                run.append(j)  # "Drošības, kārtības un korupcijas novēršanas jautājumu komiteja"
                j -= 1
                continue
            if j in occupied or not t.is_word:
                break
            w = t.text
            lw = w.lower()
            if lw == "pret" and j > 0 and toks[j - 1].text.lower().endswith(("cīņai", "šanai")):
                run += [j, j - 1]  # "cīņai pret verdzību": a purpose inside the name
                j -= 2
                continue
            named = _is_capital(t) and j != _first_word(toks) and _is_genitive_like(w)  # "Narkotiku ..."
            if lw in self.lex.stopwords or (is_verb(w) and not named):
                break
            if lw.endswith("ies") and len(lw) >= 7 and (w.islower() or j == _first_word(toks)):
                break  # a reflexive participle, no genitive: "Noslēdzies Valsts ... projekts"
            other = self.lex.head(w)
            if other is not None and (j + 1 != h or other.kind == "event") and "gen" not in head_cases(w, other.noun):
                # another name's head in its own case: "Iekšlietu ministrija nodrošina ...", and an
                # event noun never ("Seminārs pašvaldību darbiniekiem")
                break
            if lw == "un":
                before = toks[j - 1].text if j > 0 else ""
                # "Tieslietu un vienlīdzības ministrija"; not "ES un Zviedru institūta": an
                # acronym before "un" is a body of its own
                # nor "Ilze Kalna un Tieslietu ministrija": a surname after a given name is a person's
                person = j > 1 and _is_capital(toks[j - 2]) and toks[j - 2].text.lower() in self.lex.first_names
                body = toks[j - 1].is_word and _is_genitive_like(before) and not is_acronym(before) and not person
                if body and self._parallel_bodies(before, [toks[k].text for k in run]):
                    break
                if run and j > 0 and body:
                    run.append(j)
                    j -= 1
                    continue
                break
            nxt_w = toks[j + 1].text.lower() if j + 1 < len(toks) else ""
            if lw.endswith("o") and nxt_w.endswith("u") and j + 1 != h:
                run.append(j)  # a genitive plural adjective: "Vecāko amatpersonu"
                j -= 1
                continue
            if j > 0 and _is_foreign(w) and j + 1 < len(toks) and (_is_foreign(toks[j + 1].text) or j + 1 == h):
                run.append(j)  # an undeclined foreign name before the head: "Jaan Tõnisson institūts"
                j -= 1
                continue
            if self._agrees(w, noun, cases) or _is_genitive_like(w) or lw.endswith("ā"):
                if lw.endswith("ā") and not self._agrees(w, noun, cases):
                    # "-ā" is a genitive adjective only before a masculine genitive noun
                    nxt = toks[j + 1].text.lower() if j + 1 < len(toks) else ""
                    if not nxt.endswith("a"):
                        break
                run.append(j)
                j -= 1
                continue
            break
        start = capital_start(toks, run)
        if start is not None and start == _first_word(toks) and self._weak_initial(toks[start].text, capitalised):
            # a sentence's first word is capitalised anyway: an adjective or adverb there
            # ("Vietējā pašvaldība", "Tomēr pašvaldība") does not begin a name
            start = next((k for k in range(start + 1, h) if _is_capital(toks[k])), None)
            if start is None and _is_capital(toks[h]) and h != _first_word(toks):
                start = h
        end = self.complement(toks, h + 1, occupied)
        if start is None:
            if not _is_capital(toks[h]):
                # "darba grupa Programmas ... koordinēšanai": a lower-case head named by
                # the capitalised title of its purpose
                if end > h + 1 and run and any(_is_capital(t) for t in toks[h + 1 : end]):
                    start = run[0]
                else:
                    return None
            else:
                start = h
        if start == h and not compound and _quoted_name_after(toks, end, text, base) is None:
            # a bare head noun ("Padome", "Ministrija") is not a name; "Koalīcija “X”" is, and
            # a capitalised head with its purpose inside a sentence: "Organizācija palīdzībai bēgļiem"
            if not (end > h + 1 and h != _first_word(toks) and _is_capital(toks[h])):
                return None
        if start > 0 and toks[start - 1].text in ("-", "–") and start - 2 in occupied:
            return None
        quoted = _quoted_name_after(toks, end, text, base)
        name_end = end
        if quoted is not None and end == h + 1:
            # "Krīzes centrs “Skalbes”": a head named by a quoted name takes it in
            end, name = quoted
            aliases_from_quote = [name]
        else:
            aliases_from_quote = []
        located = occupied.get(end)
        if (
            end == h + 1
            and located is not None
            and located.kind == "country"
            and stem(toks[h].text) in _LOCATED
            and toks[located.end - 1].text.lower().endswith(_LOCATIVE_ENDINGS)
        ):
            end = located.end  # "Eiropas Savienības delegācija Moldovā"
        if not aliases_from_quote:
            name_end = end
        # drop parenthesised groups inside the name (they are aliases)
        aliases: list[str] = []
        keep: list[int] = []
        i = start
        while i < name_end:
            if toks[i].text == "(":
                k = i
                while k < end and toks[k].text != ")":
                    k += 1
                aliases.append(_join(toks, i + 1, k, text, base))
                i = k + 1
                continue
            keep.append(i)
            i += 1
        words_idx = [i for i in keep if toks[i].text not in ALL_QUOTES]
        words = [toks[i].text for i in words_idx]
        head_pos = words_idx.index(h)
        lemma = _tidy(rebuild(toks, words_idx, nominative_words(words, head_pos, noun), text, base))
        lemma = lemma[:1].upper() + lemma[1:]
        genitive = "gen" in cases and "nom" not in cases
        cls = entry.cls
        if aliases_from_quote:
            if start == h:
                lemma = lemma.lower()  # a head named by its quoted name alone: koalīcija "X", as biedrība "X"
            lemma = f'{lemma} "{aliases_from_quote[0]}"'
            if cls is EntityClass.PUBLIC_BODY and stem(noun.lemma) in _CIVIC_HEADS:
                cls = EntityClass.NGO  # a centre or fund with a proper name in quotes is civil society
        return Span(
            start,
            end,
            cls,
            lemma,
            "",
            kind="ngo" if cls is EntityClass.NGO else entry.kind,
            genitive=genitive,
            aliases=[a for a in [*aliases_from_quote, *aliases] if a.strip()],
            cases=singular(noun_cases(toks[h].text, noun) or None),
        )


_CIVIC_HEADS = frozenset(stem(w) for w in ("centrs", "fonds", "apvienība", "asociācija", "savienība", "kustība"))


def _quoted_name_after(toks: list[Token], i: int, text: str, base: int) -> tuple[int, str] | None:
    """(token index after, name) of a quoted name starting at token i: “Skalbes”."""
    if i >= len(toks) or toks[i].text not in '„“"«':
        return None
    from .quotes import _clean_quoted, quoted_ranges

    for qs, qe in quoted_ranges(text):
        if qs + base == toks[i].start:
            j = i
            while j < len(toks) and toks[j].end <= qe + base:
                j += 1
            return j, _clean_quoted(text[qs:qe])
    return None


def capital_start(toks: list[Token], run: list[int]) -> int | None:
    """Where a name starts among the modifiers walked over from its head (right to left):
    at the nearest capitalised word, extended left over capitalised neighbours
    ("Starptautiskā Migrācijas ... centrs", not "Projekta īstenošanu atbalstīja ... fonds")."""
    start = next((k for k in run if _is_capital(toks[k])), None)
    if start is None:
        return None
    rest = run[run.index(start) + 1 :]
    for n, k in enumerate(rest):
        if _is_capital(toks[k]) and k == start - 1:
            start = k
        elif toks[k].text in ("un", ",") and k == start - 1:
            # a coordination inside the name: "Baltijas valstu un Ziemeļvalstu ...", reaching a
            # capitalised word over lower-case genitives
            later = next((m for m in rest[n + 1 :] if _is_capital(toks[m])), None)
            between = [m for m in rest[n + 1 :] if later is not None and m > later]
            if later is None or any(toks[m].text[:1].isupper() for m in between):
                break
            if not all(toks[m].text in ("un", ",") or _is_genitive_like(toks[m].text) for m in between):
                break
            if any(m != later + 1 + i for i, m in enumerate(sorted(between))):
                break
            start = later
            for m in rest[rest.index(later) + 1 :]:
                if _is_capital(toks[m]) and m == start - 1:
                    start = m
                else:
                    break
            return start
        else:
            break
    return start

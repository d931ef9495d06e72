"""Names that are not institutions found by a head noun: quoted names after a legal
form (biedrība "…", NVO "…", AS "…"), projects, persons and policy documents."""

from __future__ import annotations

import re

from ..ir import EntityClass
from ..lv.morph import HeadNoun, head_cases, nominative_phrase, nominative_words, stem
from ..text import Token
from .gazetteer import is_acronym
from .lexicon import Lexicon
from .spans import ALL_QUOTES, Span, _is_capital, _is_genitive_like, _tidy, is_verb, rebuild

_OPENING = '„“"«‚‘'
_CLOSING = '”“"»’‘'
_PARTICLES = frozenset({"van", "von", "de", "der", "da", "di", "del", "la", "le", "du", "ten", "ter"})
_AGENT = re.compile(r"^(vadīt|izveidot|apstiprināt|parakstīt|iesniegt)(ā|ās|o|ais|ajā|ajai|ie)$")
_YEAR_RANGE = re.compile(r"^\d{4}\.?$")


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges of quoted titles, outer quotes included; nested
    quotes ('biedrība "Resursu centrs sievietēm "Marta""') stay inside."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in _OPENING and i + 1 < n and (text[i + 1].isalnum()) and (i == 0 or not text[i - 1].isalnum()):
            depth = 1
            j = i + 1
            while j < n and depth:
                cj = text[j]
                if cj in _OPENING and j + 1 < n and text[j + 1].isalnum() and text[j - 1] in " (–-":
                    depth += 1
                elif cj in _CLOSING and (j + 1 == n or not text[j + 1].isalnum()):
                    depth -= 1
                j += 1
            if depth == 0 and j - i > 2:
                out.append((i, j))
                i = j
                continue
        i += 1
    return out


def _tok_range(toks: list[Token], cstart: int, cend: int) -> tuple[int, int] | None:
    idx = [k for k, t in enumerate(toks) if t.start >= cstart and t.end <= cend]
    return (idx[0], idx[-1] + 1) if idx else None


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
    def project_spans(self, toks: list[Token], text: str, base: int, occupied: dict[int, Span]) -> list[Span]:
        quotes = {}
        for qs, qe in quoted_ranges(text):
            r = _tok_range(toks, qs + base, qe + base)
            if r:
                quotes[r[0]] = (r[1], _clean_quoted(text[qs:qe]))
        out = []
        for i, t in enumerate(toks):
            if stem(t.text) != "projekt" or i in occupied:
                continue
            j = i + 1
            acronym = None
            if j < len(toks) and is_acronym(toks[j].text) and j not in occupied:
                k = j
                while k + 1 < len(toks) and (is_acronym(toks[k + 1].text) or re.fullmatch(r"[IVX]+", toks[k + 1].text)):
                    k += 1
                acronym = _tidy(" ".join(x.text for x in toks[j : k + 1]))
                j = k + 1
            title = None
            end = j
            if j in quotes and not any(x in occupied for x in range(j, quotes[j][0])):
                end, title = quotes[j]
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

    # ---------------------------------------------------------------- policy documents
    def policy_spans(self, toks: list[Token], text: str, base: int, occupied: dict[int, Span]) -> list[Span]:
        out = []
        for h, t in enumerate(toks):
            if h in occupied:
                continue
            entry = self.lex.head(t.text)
            if entry is None or entry.kind != "policy":
                continue
            cases = head_cases(t.text, entry.noun)
            if not cases:
                continue
            # left: agreeing adjectives and genitives up to a capitalised start
            j = h - 1
            run = []
            while (
                j >= 0
                and j not in occupied
                and toks[j].is_word
                and toks[j].text.lower() not in self.lex.stopwords
                and not is_verb(toks[j].text)
            ):
                w = toks[j].text
                if _agrees(w, entry.noun, cases) or _is_genitive_like(w) or w.lower() == "un":
                    run.append(j)
                    j -= 1
                    continue
                break
            start = next((k for k in run if _is_capital(toks[k])), None)
            if start is not None:
                pos = run.index(start)
                for k in run[pos + 1 :]:
                    if _is_capital(toks[k]) and k == start - 1:
                        start = k
                    else:
                        break
            elif _is_capital(t) and h > 0 and toks[h - 1].text not in ALL_QUOTES:
                start = h
            else:
                continue
            # right: complements up to a year range "2014.-2020.gadam"
            end = h + 1
            k = end
            saw_year = False
            while k < len(toks) and k - end < 12 and k not in occupied:
                x = toks[k].text
                if _YEAR_RANGE.match(x) or x in ("-", "–") or stem(x) in ("gad",):
                    saw_year = saw_year or bool(_YEAR_RANGE.match(x))
                    k += 1
                    if stem(x) == "gad":
                        end = k
                        break
                    continue
                if (
                    toks[k].is_word
                    and x[:1].islower()
                    and (_is_genitive_like(x) or x.endswith(("ai", "šanai")) or x in ("pret", "par", "un", "ar"))
                ):
                    k += 1
                    continue
                break
            if not saw_year:
                end = h + 1
            if start == h and end == h + 1:
                continue  # a bare "Stratēģija" is not a name
            words = [x.text for x in toks[start:end]]
            idx = list(range(start, end))
            lemma = _tidy(rebuild(toks, idx, nominative_words(words, h - start, entry.noun), text, base))
            owner = occupied.get(start - 1)
            if owner is not None and owner.is_org and owner.genitive:
                # "Padomes Reformas deklarācija": the owner's name stays in the title
                lemma = f"{text[toks[owner.start].start - base : toks[owner.end - 1].end - base]} {lemma}"
            lemma = re.sub(r"(\d)\.\s+([-–])\s+(\d)", r"\1.\2\3", lemma)
            lemma = re.sub(r"(\d{4}\.)\s*([-–])\s*(\d{4})", r"\1\2\3", lemma)
            lemma = re.sub(r"(\d{4}\.)\s+gad", r"\1gad", lemma)
            out.append(Span(start, end, EntityClass.POLICY_DOCUMENT, lemma, "", kind="policy"))
            for pos in range(start, end):
                occupied[pos] = out[-1]
        return out


def _agrees(word: str, noun: HeadNoun, cases: list[str]) -> bool:
    from ..lv.morph import adjective_to

    return any(adjective_to(word, noun.gender, noun.plural, c, "nom") for c in cases)


def _surname_nominative(word: str) -> str:
    w = word
    if w.endswith(("ska", "cka", "ska")):
        return w[:-1] + "is"
    if w.endswith("ņa"):
        return w[:-2] + "ņš"
    if w.endswith("a"):
        return w[:-1] + "s"
    return w

"""The parts of a policy document's name and the words the policy finder reads: a European
Union act named by its number (_eu_act), the body or state that owns a policy, named in the
genitive before it (_owner_before), the programmes of international bodies (a funding
programme, not a policy), a law named in one word (policy_compound), the word tests of a
name (topic, gerund, agreement) and the lists of data/lexicon it reads (legal acts,
everyday documents)."""

from __future__ import annotations

import re
from functools import lru_cache

from ...ir import EntityClass
from ..lv.morph import HeadNoun, agrees, nominative_words, noun_cases, stem
from ..text import Token
from .lexicon import HeadEntry, Lexicon
from .spans import Span, _is_capital, _is_genitive_like, _tidy, norm, singular

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

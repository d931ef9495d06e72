"""The gazetteer of real-world actors and countries, and a matcher for all their forms.

Names are matched as sequences of word stems (see `ctn_graph.pipeline.lv.morph.stem`), so one
entry finds every case form of its name: "Iekšlietu ministrija / ministrijas /
ministriju". Acronyms (IeM, ICMPD, CBSS TF-THB) match exactly, case included.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ...common.resources import data_path
from ...ir import EntityClass
from ..lv.morph import stem
from ..text import Token, tokenize

_QUOTES = frozenset("\"'„“”«»‘’‚‹›")
_DASHES = {"–": "-", "—": "-", "‐": "-", "‑": "-"}


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str  # "lv-iem", or "country:LV" for countries
    cls: EntityClass
    name_lv: str
    name_en: str | None = None
    country: str | None = None
    wikidata: str | None = None
    acronyms: tuple[str, ...] = ()
    alt_lv: tuple[str, ...] = ()
    alt_en: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    plural: bool = False

    @property
    def iso2(self) -> str | None:
        return self.id.split(":", 1)[1] if self.id.startswith("country:") else None

    def names(self) -> tuple[str, ...]:
        out = [self.name_lv, *self.alt_lv, *self.acronyms]
        if self.name_en:
            out.append(self.name_en)
        out.extend(self.alt_en)
        return tuple(dict.fromkeys(n for n in out if n))


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (cell or "").split("|") if x.strip())


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = (ln for ln in f if ln.strip() and not ln.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def load_countries(path: Path | None = None) -> list[GazetteerEntry]:
    path = path or data_path("gazetteer", "countries.tsv")
    out = []
    for r in _rows(path):
        out.append(
            GazetteerEntry(
                id=f"country:{r['iso2']}",
                cls=EntityClass.COUNTRY,
                name_lv=r["name_lv"],
                name_en=r.get("name_en") or None,
                country=r["iso2"],
                wikidata=r.get("wikidata") or None,
                alt_lv=_split(r.get("alt_lv")),
                alt_en=_split(r.get("alt_en")),
                plural=(r.get("gender_number") or "").endswith("pl"),
            )
        )
    return out


def load_actors(path: Path | None = None) -> list[GazetteerEntry]:
    path = path or data_path("gazetteer", "actors.tsv")
    if not path.exists():
        return []
    out = []
    for r in _rows(path):
        out.append(
            GazetteerEntry(
                id=r["id"],
                cls=EntityClass(r["class"]),
                name_lv=r["name_lv"],
                name_en=r.get("name_en") or None,
                country=r.get("country") or None,
                wikidata=r.get("wikidata") or None,
                acronyms=_split(r.get("acronyms")),
                alt_lv=_split(r.get("alt_lv")),
                alt_en=_split(r.get("alt_en")),
                part_of=_split(r.get("part_of")),
                member_of=_split(r.get("member_of")),
            )
        )
    return out


def named_parents(entries: list[GazetteerEntry]) -> list[GazetteerEntry]:
    """Entries whose Latvian name begins with another body's name in the genitive
    ("Iekšlietu ministrijas Informācijas centrs", "Rīgas domes Labklājības departaments")
    get that body as their parent where the file names none: the name says it."""
    from dataclasses import replace

    by_stems: dict[tuple[str, ...], str] = {}
    for e in entries:
        if e.cls.is_organisation:
            for n in (e.name_lv, *e.alt_lv):
                by_stems.setdefault(_stems(n), e.id)
    country = {e.id: e.country for e in entries}
    out = []
    for e in entries:
        words = _stems(e.name_lv)
        if e.cls.is_organisation and not e.part_of and words and words[-1] in _UNIT_HEADS:
            parent = next(
                (by_stems[words[:k]] for k in range(len(words) - 1, 1, -1) if words[:k] in by_stems),
                None,
            )
            if parent is not None and parent != e.id and country[parent] == e.country:
                e = replace(e, part_of=(parent,))
        out.append(e)
    return out


# the head nouns of a body's units (a college or an academy named after a body is not one)
_UNIT_HEADS = frozenset(
    stem(w)
    for w in """departaments nodaļa pārvalde birojs sekretariāts grupa komiteja komisija centrs dienests
    direktorāts ģenerāldirektorāts padome""".split()
)


def _stems(name: str) -> tuple[str, ...]:
    return tuple(k for k in (token_key(t.text) for t in tokenize(name)) if k is not None and k[:1].isalpha())


@lru_cache(maxsize=1)
def place_countries() -> dict[str, str]:
    """The state of every city and region in places.tsv, by the stem of its one-word name
    (a name two states share is left out: it tells no state)."""
    path = data_path("gazetteer", "places.tsv")
    seen: dict[str, set[str]] = {}
    if path.exists():
        for r in _rows(path):
            words = r["name_lv"].split()
            if len(words) == 1:
                seen.setdefault(stem(words[0]), set()).add(r["iso2"])
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _acronym_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if re.fullmatch(r"[IVX]+|[-–/&]", word):
        return True
    if len(letters) < 2:
        return False
    if "-" in word and all(p[:1].isupper() and len(p) > 2 and p[1:].islower() for p in word.split("-")):
        return False  # a double surname, "Lapiņa-Krūze": two capitalised words, not an acronym
    return sum(c.isupper() for c in letters) >= 2 or any(c.isdigit() for c in word)


@lru_cache(maxsize=100_000)
def is_acronym(name: str) -> bool:
    """IeM, ICMPD, CBSS TF-THB, FReM II: every word in upper case beyond its first letter.

    >>> is_acronym("CBSS TF-THB"), is_acronym("IeM"), is_acronym("Mihai Beregoi"), is_acronym("Lapiņa-Krūze")
    (True, True, False, False)
    """
    words = name.split()
    return (
        bool(words)
        and _acronym_word(words[0])
        and all(_acronym_word(w) for w in words)
        and any(c.isalpha() for c in name)  # "/" or "–" alone is no acronym
    )


@lru_cache(maxsize=200_000)
def token_key(tok: str) -> str | None:
    """The matching key of one token: None for quotes (ignored), exact for acronyms."""
    if tok in _QUOTES:
        return None
    tok = _DASHES.get(tok, tok)
    if not tok[:1].isalpha():
        return tok
    if is_acronym(tok):
        return "=" + tok
    return stem(tok)


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    # (entry id, name, capitals) of names ending here; capitals: the positions, among the
    # name's matched tokens, of those its name writes with a capital
    ends: list[tuple[str, str, tuple[int, ...]]] = field(default_factory=list)


class Match(NamedTuple):
    """A name found (a tuple, so cheap to make)."""

    start: int  # token index
    end: int  # token index after the match
    entry_id: str
    name: str  # the gazetteer name matched


class Gazetteer:
    """Entries and a token trie over all their names."""

    def __init__(self, entries: Iterable[GazetteerEntry]):
        self.entries: dict[str, GazetteerEntry] = {}
        self._root = _Node()
        self._lower_starts: set[str] = set()  # first keys of names whose first word is lower case
        for e in entries:
            self.entries[e.id] = e
            for name in e.names():
                self.add_name(e.id, name)

    @classmethod
    def default(cls, *, actors: bool = True) -> Gazetteer:
        entries = load_countries()
        if actors:
            entries += named_parents(load_actors())
        return cls(entries)

    def add_name(self, entry_id: str, name: str) -> None:
        toks = [t.text for t in tokenize(name)]
        node = self._root
        caps: list[bool] = []
        for t in toks:
            k = token_key(t)
            if k is None:
                continue
            caps.append(t[:1].isupper())
            node = node.children.setdefault(k, _Node())
        capitals = tuple(k for k, cap in enumerate(caps) if cap)
        if node is not self._root and (entry_id, name, capitals) not in node.ends:
            node.ends.append((entry_id, name, capitals))
            if not caps[0]:
                self._lower_starts.add(next(k for k in map(token_key, toks) if k is not None))

    def starts_name(self, key: str | None, capital: bool = True) -> bool:
        """Whether some name can begin with a word token of this key (token_key), written
        with a capital or not: a name written with a capital never begins at a word
        without one."""
        return key in self._root.children and (capital or key in self._lower_starts)

    def find(
        self, tokens: list[Token], keys: list[str | None] | None = None, starts: list[int] | None = None
    ) -> list[Match]:
        """Longest non-overlapping matches, left to right. `keys`: the token_key of every
        token, where the caller has them already; `starts`: the indexes, in order, of the
        word tokens whose key begins a name (starts_name), where the caller knows them."""
        return self.find_words([t.text for t in tokens], keys, starts)

    def find_words(
        self, words: list[str], keys: list[str | None] | None = None, starts: list[int] | None = None
    ) -> list[Match]:
        """find() of the tokens with these texts (their offsets play no part)."""
        if keys is None:
            keys = [token_key(w) for w in words]
        roots = self._root.children
        if starts is None:
            starts = [i for i, k in enumerate(keys) if k in roots and words[i][:1].isalpha()]
        out: list[Match] = []
        n = len(words)
        free = 0  # the first token not inside a match found
        for i in starts:
            if i < free:
                continue
            best: Match | None = None
            node: _Node | None = self._root
            j = i
            matched: list[int] = []  # the tokens of the name so far (quotes skipped)
            while j < n:
                kj = keys[j]
                if kj is None:
                    j += 1
                    continue
                if (
                    kj == "("
                    and j + 2 < n
                    and keys[j + 2] == ")"
                    and (keys[j + 1] or "").startswith("=")
                    and any(self.entries[e[0]].cls is EntityClass.COUNTRY for e in node.ends)  # type: ignore[union-attr]
                ):
                    j += 3  # "Amerikas Savienoto Valstu (ASV) Valsts departaments": a state's acronym inside
                    continue
                node = node.children.get(kj)  # type: ignore[union-attr]
                if node is None:
                    break
                matched.append(j)
                j += 1
                for entry_id, name, capitals in node.ends:
                    for k in capitals:
                        if not words[matched[k]][:1].isupper():
                            break  # a word of the name written without its capital
                    else:
                        best = _new_match(Match, (i, j, entry_id, name))
                        break
            if best:
                out.append(best)
                free = best.end
        return out


_new_match = tuple.__new__  # Match(...) without NamedTuple's keyword-argument machinery

"""The word lists the extractor reads: head nouns, first names, role words, stopwords
(the relation triggers are read by frames.py)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ...common.resources import data_path
from ...ir import EntityClass
from ..lv.morph import HeadNoun, stem


@dataclass(frozen=True, slots=True)
class HeadEntry:
    noun: HeadNoun
    kind: str  # org | unit | ngo | policy | event
    cls: EntityClass


@dataclass(frozen=True, slots=True)
class Lexicon:
    heads: dict[str, HeadEntry]  # by stem of the lemma
    first_names: dict[str, str]  # lower-case nominative -> gender
    roles: frozenset[str]  # stems of words naming a person's role (vadītājs, direktors...)
    stopwords: frozenset[str]
    international: tuple[str, ...] = ()  # first words of international bodies' names
    # head() by word: the same few thousand words are asked about again and again
    _head_cache: dict[str, HeadEntry | None] = field(default_factory=dict, repr=False, compare=False)

    def head(self, word: str) -> HeadEntry | None:
        cache = self._head_cache
        h = cache.get(word, _MISSING)
        if h is not _MISSING:
            return h  # type: ignore[return-value]
        h = self.heads.get(stem(word)) if word[:1].isalpha() else None
        if len(cache) >= _CACHE_MAX:
            cache.clear()
        cache[word] = h
        return h


_MISSING = object()
_CACHE_MAX = 200_000


def _tsv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _words(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [
        ln.split("\t")[0].strip()
        for ln in path.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]


@lru_cache(maxsize=8)
def international_prefixes(marks: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lower-case prefixes of data/lexicon/international_markers.txt (`Lexicon.international`):
    of every marker ("X*" a prefix; "X" a whole word or words, so with a space after), and
    of the "X*" ones alone."""
    every = tuple(m[:-1].lower() if m.endswith("*") else m.lower() + " " for m in marks)
    starred = tuple(m[:-1].lower() for m in marks if m.endswith("*"))
    return every, starred


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    heads = {}
    for r in _tsv(data_path("lexicon", "heads.tsv")):
        noun = HeadNoun(r["lemma"], r["gender"], int(r["declension"]), r["plural"] == "y")
        heads[stem(r["lemma"])] = HeadEntry(noun, r["kind"], EntityClass(r["class"]))
    names = {}
    for r in _tsv(data_path("lexicon", "first_names.tsv")):
        names[r["name"].lower()] = r.get("gender", "")
    roles = frozenset(stem(w) for w in _words(data_path("lexicon", "roles.txt")))
    stop = frozenset(w.lower() for w in _words(data_path("lexicon", "stopwords.txt")))
    intl = tuple(_words(data_path("lexicon", "international_markers.txt")))
    return Lexicon(heads, names, roles, stop, intl)

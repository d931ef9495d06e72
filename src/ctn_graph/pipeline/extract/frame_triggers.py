"""The triggers of the frames (data/lexicon/frames.tsv): each a relation, the frame that
reads it and the forms of its words (a form ending in "*" is a prefix), indexed by the
first word they can begin with (TriggerIndex, trigger_index), and find_triggers, which
finds them in a sentence (a longer trigger wins over the shorter one it begins with)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ...common.resources import data_path
from ...ir import Relation
from .frame_view import View


@dataclass(frozen=True, slots=True)
class Trigger:
    relation: Relation
    frame: str
    words: tuple[tuple[tuple[str, bool], ...], ...]  # per word: (form, is prefix) alternatives
    text: str


@lru_cache(maxsize=1)
def triggers() -> tuple[Trigger, ...]:
    out = []
    path = data_path("lexicon", "frames.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("relation\t"):
            continue
        rel, frame, forms = line.split("\t")
        words = tuple(
            tuple((f[:-1], True) if f.endswith("*") else (f, False) for f in word.split("|")) for word in forms.split()
        )
        out.append(Trigger(Relation(rel), frame, words, forms))
    return tuple(out)


class TriggerIndex:
    """Triggers by the first word they can begin with (exact forms, then prefixes)."""

    def __init__(self, trigs: tuple[Trigger, ...]) -> None:
        self.exact: dict[str, list[Trigger]] = {}
        self.prefixes: list[tuple[str, Trigger]] = []
        for t in trigs:
            for form, prefix in t.words[0]:
                if prefix:
                    self.prefixes.append((form, t))
                else:
                    self.exact.setdefault(form, []).append(t)
        self._cache: dict[str, tuple[Trigger, ...]] = {}

    def of_word(self, word: str) -> tuple[Trigger, ...]:
        found = self._cache.get(word)
        if found is None:
            w = word.lower()
            found = tuple(self.exact.get(w, ())) + tuple(
                t for p, t in self.prefixes if w.startswith(p) and len(w) > len(p)
            )
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[word] = found
        return found

    def begins(self, word: str) -> bool:
        return word[:1].isalpha() and bool(self.of_word(word))


@lru_cache(maxsize=1)
def trigger_index() -> TriggerIndex:
    return TriggerIndex(triggers())


def _matches(word: str, alternatives: tuple[tuple[str, bool], ...]) -> bool:
    w = word.lower()
    return any(w.startswith(f) and len(w) > len(f) if p else w == f for f, p in alternatives)


def find_triggers(v: View, candidates: list[int]) -> list[tuple[Trigger, int, int]]:
    """(trigger, first token, token after) of every trigger in the sentence; a longer
    trigger wins over the shorter one it begins with."""
    idx = trigger_index()
    out: list[tuple[Trigger, int, int]] = []
    n = len(v.toks)
    inside = -1  # the token after the last trigger found: a trigger inside another is not one
    for i in candidates:
        if v.covered[i] or i < inside:
            continue
        best: tuple[Trigger, int, int] | None = None
        for t in idx.of_word(v.toks[i].text):
            k = len(t.words)
            if i + k > n:
                continue
            if all(_matches(v.toks[i + j].text, t.words[j]) for j in range(k)):
                if best is None or k > best[2] - best[1]:
                    best = (t, i, i + k)
        if best is not None:
            out.append(best)
            inside = best[2]
    return out

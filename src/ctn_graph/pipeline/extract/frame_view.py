"""One sentence as the frames read it: its tokens, the names starting and ending at each
token (View), and its clauses (a clause number per token, and the antecedent of each
relative clause: a comma inside a list of names does not end a clause); where the noun
"projekts" names a project (project_word), the cue of a relation (_phrase: the text from
one token to another) and Emit, the callback a frame states a relation with."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ...ir import Relation
from ..lv.morph import stem
from .frame_words import _PRONOUNS, _QUOTES, _is_role_word
from .spans import F_PROJECT, PROJECT_STEMS, Span

if TYPE_CHECKING:
    from .state import SentenceSpans


# a comma before one of these opens a subordinate clause
_RELATIVE = frozenset("kas kurš kura kuru kuri kuras kuram kurai kuriem kurām kurā kurās kuros kurus ko kam".split())
_SUBORDINATE = _RELATIVE | frozenset("ka lai jo ja kad kamēr kaut bet taču tomēr savukārt turklāt".split())
_SENTENCE_SUBORDINATE = frozenset("lai ja kad kaut kamēr pirms".split())


_SUBJECTS = frozenset({"tā", "tas", "tie", "tās", "projekts", "projektu", "projektā"})


class _Covered:
    """Whether a token is inside a name (indexable like a list of booleans)."""

    __slots__ = ("tokens",)

    def __init__(self, tokens: set[int]) -> None:
        self.tokens = tokens

    def __getitem__(self, i: int) -> bool:
        return i in self.tokens


class View:
    """A sentence's tokens, names by position, and clauses."""

    def __init__(self, ss: SentenceSpans) -> None:
        self.ss = ss
        self.toks = ss.tokens
        self.starting: dict[int, list[Span]] = {}
        self.ending: dict[int, list[Span]] = {}
        covered: set[int] = set()
        for sp in ss.spans:
            if sp.kind in ("policy", "event"):
                continue  # titles may hold names; they are never an argument here
            self.starting.setdefault(sp.start, []).append(sp)
            self.ending.setdefault(sp.end, []).append(sp)
            covered.update(range(sp.start, sp.end))
        self.covered = _Covered(covered)
        self._low: list[str] | None = None
        self._clauses: tuple[list[int], dict[int, int]] | None = None
        self._project_places: list[int] | None = None

    @property
    def low(self) -> list[str]:
        if self._low is None:
            # (the analysed words are the tokens' texts: lowered without reading each token)
            self._low = list(map(str.lower, self.ss.analysed.words))
        return self._low

    @property
    def clause(self) -> list[int]:
        if self._clauses is None:
            self._clauses = _clauses(self.low, self.starting, self.ending)
        return self._clauses[0]

    @property
    def antecedent(self) -> dict[int, int]:
        if self._clauses is None:
            self._clauses = _clauses(self.low, self.starting, self.ending)
        return self._clauses[1]

    def project_places(self) -> list[int]:
        """The tokens where a project is named: a project title starts, or the noun
        "projekts" stands (worked out once a sentence)."""
        if self._project_places is None:
            starts = {sp.start for sp in self.ss.spans if sp.kind == "project"}
            words = self.ss.analysed.having(F_PROJECT) if self.ss.flags & F_PROJECT else []
            self._project_places = sorted(starts | {i for i in words if project_word(self, i)})
        return self._project_places

    def span_at(self, i: int, want: Callable[[Span], bool]) -> Span | None:
        for sp in self.starting.get(i, ()):
            if want(sp):
                return sp
        return None

    def span_ending(self, i: int, want: Callable[[Span], bool]) -> Span | None:
        for sp in self.ending.get(i, ()):
            if want(sp):
                return sp
        return None

    def same_clause(self, a: int, b: int) -> bool:
        return self.clause[a] == self.clause[b]


def _list_goes_on(
    i: int, low: list[str], starts: Mapping[int, object], ends: Mapping[int, object], running: bool = False
) -> bool:
    """Whether the comma at token i stands inside a list of names ("A, B, C un D"): a
    name ends before it, and items joined by commas follow it (names, or a few words
    the text gives no name: "A, bāriņtiesu, B") up to "un" / "kā arī" or the end of the
    sentence, with a name among them. `running`: the comma before was inside the list."""
    if i not in ends and not running:
        return False
    n = len(low)
    k = i
    names = 0
    while k < n and low[k] == ",":
        j = k + 1
        while j < n and low[j] in _QUOTES:
            j += 1
        if j in starts:
            names += 1
            end = max(sp.end for sp in starts[j])  # type: ignore[attr-defined]
            extra = 0
            while end < n:
                if low[end] in _QUOTES:
                    end += 1
                elif low[end] == "(" and ")" in low[end : end + 15]:
                    end = low.index(")", end) + 1  # "A (AA), B": a parenthesis after a name
                elif extra < 3 and low[end].isalpha() and low[end] not in ("un", "kā"):
                    end += 1  # 'Resursu centru sievietēm "Marta"': words the name did not take
                    extra += 1
                else:
                    break
        else:
            end = j
            while end < n and end - j < 3 and low[end].isalpha():
                end += 1
            if end == j:
                return False
        if end >= n or low[end] in (".", "!", "?", ";"):
            return names > 0
        if low[end] == "un" or low[end] == "kā" and end + 1 < n and low[end + 1] == "arī":
            return names > 0
        if low[end] != ",":
            return False
        k = end
    return False


def _clauses(
    low: list[str], starts: Mapping[int, object] | None = None, ends: Mapping[int, object] | None = None
) -> tuple[list[int], dict[int, int]]:
    """A clause number per token, and for each relative clause the token its pronoun
    refers back to (the last token before the comma). A comma inside a list of names
    (`starts` / `ends`: the names by their first token and the token after them) does not
    end a subordinate clause: "..., kuri pārstāv A, B un C"."""
    n = len(low)
    out = [0] * n
    antecedent: dict[int, int] = {}
    main = 0
    next_id = 1
    current = main
    sub_open = False
    in_list = False  # the last comma was one inside a list of a subordinate clause
    if n and low[0] in _SENTENCE_SUBORDINATE:
        current = next_id
        next_id += 1
        sub_open = True
    for i, w in enumerate(low):
        if w == ";":
            main = current = next_id
            next_id += 1
            sub_open = False
        elif w == "," and i + 1 < n and low[i + 1] == "un" and i + 2 < n and low[i + 2] in _PRONOUNS | _SUBJECTS:
            # ", un to atbalsta X": a second clause with its own doer
            main = current = next_id
            next_id += 1
            sub_open = False
        elif w == "," and i + 1 < n and low[i + 1] in _SUBORDINATE:
            if low[i + 1] in ("bet", "taču", "tomēr", "savukārt", "turklāt"):
                main = current = next_id  # a new main clause
                next_id += 1
                sub_open = False
            else:
                current = next_id
                next_id += 1
                sub_open = True
                if low[i + 1] in _RELATIVE:
                    antecedent[current] = i - 1
        elif w == "," and sub_open:
            in_list = starts is not None and ends is not None and _list_goes_on(i, low, starts, ends, in_list)
            if not in_list:
                # a subordinate clause ends at its next comma outside a list of names
                out[i] = current
                current = main
                sub_open = False
                continue
        out[i] = current
        if w == "," and not sub_open:
            in_list = False
    return out, antecedent


def project_word(v: View, i: int) -> bool:
    """Whether token i is the noun "projekts" or "kampaņa" naming a project (not
    "projektu vadītājs", a person's post, nor a word inside a name)."""
    if v.covered[i] or stem(v.toks[i].text) not in PROJECT_STEMS:
        return False
    return not (i + 1 < len(v.toks) and _is_role_word(v.toks[i + 1].text))


Emit = Callable[[Span, Relation, Span, int, int, str], None]  # subject, relation, object, from, to, cue


def _phrase(v: View, a: int, b: int) -> str:
    base = v.ss.sentence.start
    return v.ss.sentence.text[v.toks[a].start - base : v.toks[max(a, b - 1)].end - base]

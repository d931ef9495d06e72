"""Persons: a given name the lexicon knows (in any case) and the capitalised surname(s)
after it, or an initial and a surname."""

from __future__ import annotations

import re

from ..ir import EntityClass
from ..text import Token
from .gazetteer import is_acronym
from .lexicon import Lexicon
from .spans import Span, _is_capital

_PARTICLES = frozenset({"van", "von", "de", "der", "da", "di", "del", "la", "le", "du", "ten", "ter"})
_AGENT = re.compile(r"^(vadīt|izveidot|apstiprināt|parakstīt|iesniegt)(ā|ās|o|ais|ajā|ajai|ie)$")


class PersonFinder:
    lex: Lexicon

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


def _surname_nominative(word: str) -> str:
    w = word
    if w.endswith(("ska", "cka", "ska")):
        return w[:-1] + "is"
    if w.endswith("ņa"):
        return w[:-2] + "ņš"
    if w.endswith("a"):
        return w[:-1] + "s"
    return w

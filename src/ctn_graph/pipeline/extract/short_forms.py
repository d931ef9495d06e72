"""The short forms a document defines and uses: ShortForms (a trait of
DocumentExtractor's bases) reads the aliases in parentheses after a name ("(ICMPD)",
"(turpmāk – Padome)") and lists the short forms a text defines for the second pass
(`_local_names`); `_short_forms` and `_placed_short_forms` resolve a unit or a state's
body named shorter than before in the text to that fuller name; with `_name_stems`,
`_names_country`, `_holds_a_form` and `_name_like`; out of document.py, which
re-exports them."""

from __future__ import annotations

import re
from functools import lru_cache

from mypy_extensions import trait

from ...ir import Sentence
from ..lv.morph import stem
from ..text import Token
from .gazetteer import is_acronym
from .spans import Span, norm
from .state import DocState

_ACT_NUMBER = re.compile(r"\d{4}/\d+/[A-Z]{2,3}")
_TURPMAK = re.compile(r"^\(\s*turpmāk\s*[–-]\s*(?P<alias>[^)]+?)\s*\)")


@trait  # (mypyc: a class of DocumentExtractor's several bases)
class ShortForms:
    _names_index: dict[str, str]

    def _aliases_after(self, spans: list[Span], toks: list[Token], s: Sentence, local_map: dict[str, Span]) -> None:
        """ "(ICMPD)", "(turpmāk – Padome)", "(Independent Anti-Slavery Commissioner)"."""
        if "(" not in s.text:
            return  # every alias is in parentheses
        starts: dict[int, int] | None = None  # token index by offset, made where an alias is read
        for sp in spans:
            if sp.kind in ("person", "country") or sp.end >= len(toks) or toks[sp.end].text != "(":
                continue
            rest = s.text[toks[sp.end].start - s.start :]
            m = _TURPMAK.match(rest)
            if m:
                alias = m.group("alias").strip()
                sp.local_aliases.append(alias)
                if is_acronym(alias) and alias not in sp.aliases:
                    sp.aliases.append(alias)  # an acronym names the body everywhere
                continue
            close = rest.find(")")
            if close <= 1 or close > 120:
                continue
            inner = rest[1:close].strip()
            if "," in inner:
                # "(Human Rights League, Slovākija)": the name, then where the body is
                head, tail = inner.rsplit(",", 1)
                if any(o.kind == "country" and norm(o.lemma) == norm(tail) or _names_country(o, tail) for o in spans):
                    inner = head.strip()
            if sp.kind == "policy" and _ACT_NUMBER.fullmatch(inner):
                sp.aliases.append(inner)  # "direktīvas (2008/115/EK)"
                continue
            words = inner.split()
            if not words or not all(w[:1].isupper() or w in ("-", "–") for w in words):
                continue
            if starts is None:
                starts = {t.start: k for k, t in enumerate(toks)}
            if any(sp2.start == starts.get(toks[sp.end].start + 1) and sp2.kind == "country" for sp2 in spans):
                continue
            if inner not in sp.aliases:
                sp.aliases.append(inner)

    def _local_names(self, state: DocState) -> list[tuple[str, Span]]:
        """Short forms the text defines ("(turpmāk – Padome)", "(ICMPD)"), each with the
        span it stands for."""
        found: list[tuple[str, Span]] = []
        for ss in state.sentences:
            for sp in ss.spans:
                if not sp.aliases and not sp.local_aliases:
                    continue
                # a body named once with its legal form ('nodibinājums “Caritas Latvija”') is
                # named by its quoted name alone elsewhere in the text
                quoted = [sp.aliases[0]] if sp.kind == "ngo" and sp.gaz is None and _name_like(sp.aliases[0]) else []
                for alias in sp.local_aliases + [a for a in sp.aliases if is_acronym(a)] + quoted:
                    if norm(alias) in self._names_index and not sp.local_aliases:
                        continue
                    found.append((alias, sp))
        return found


def _short_forms(state: DocState) -> None:
    """A unit named by its head alone ("Darba grupa", "darba grupā") stands for the
    fuller name of a unit of the same head in the document that contains it.

    Names are compared once per distinct key (a long text names the same bodies again and
    again), and only with the names that hold the short name's first word."""
    stems = _name_stems
    orgs = [sp for ss in state.sentences for sp in ss.spans if sp.is_org]
    _placed_short_forms(orgs)
    if not any(sp.kind == "unit" and sp.gaz is None and sp.parent is None and sp.qualifier is None for sp in orgs):
        return
    first_of: dict[str, Span] = {}
    by_key: dict[str, list[Span]] = {}
    for sp in orgs:
        first_of.setdefault(sp.key, sp)
        by_key.setdefault(sp.key, []).append(sp)
    order = {key: n for n, key in enumerate(first_of)}
    # the names each distinct key stands for: its own name, and its full name
    rows: dict[str, tuple[Span, tuple[tuple[str, ...], ...]]] = {}
    index: dict[str, set[str]] = {}

    def put(key: str, o: Span) -> None:
        own = stems(o.aliases[0] if o.parent is not None and o.aliases else o.lemma)
        rows[key] = (o, (own, stems(o.lemma)))
        for word in set(own) | set(stems(o.lemma)):
            index.setdefault(word, set()).add(key)

    for key, o in first_of.items():
        put(key, o)
    for key, sp in list(first_of.items()):
        if sp.kind != "unit" or sp.gaz is not None or sp.parent is not None or sp.qualifier is not None:
            continue
        mine = stems(sp.lemma)
        n = len(mine)
        best = None
        loose: set[str] = set()
        candidates = index.get(mine[0], set()) if mine else set(rows)
        for other_key in sorted(candidates, key=order.__getitem__):
            if other_key == key or other_key not in rows:
                continue
            other, names = rows[other_key]
            for cand in names:
                if len(cand) > n and any(cand[i : i + n] == mine for i in range(len(cand) - n + 1)):
                    if best is None or len(other.lemma) > len(best.lemma):
                        best = other
                    break
                if n == 2 and len(cand) > 2 and cand[0] == mine[0] and cand[-1] == mine[-1]:
                    # "Liepājas grupa" after "Liepājas starpinstitūciju ... darba grupa": the
                    # place and the head of a longer name (if only one name has both)
                    loose.add(other_key)
        if best is None and len(loose) == 1:
            best = rows[loose.pop()][0]
        if best is not None:
            for each in by_key[key]:
                each.key, each.cls, each.country, each.gaz = best.key, best.cls, best.country, best.gaz
                each.lemma, each.aliases = best.lemma, []
            rows.pop(key, None)


def _placed_short_forms(orgs: list[Span]) -> None:
    """ "Latvijas vēstniecība" after "Latvijas vēstniecība Īrijā" in one text: a state's body
    named without the place the text gave it before is that body."""
    longer: dict[str, list[Span]] = {}  # first word -> one span of each key with a longer name
    seen: set[str] = set()
    for o in orgs:
        if o.key not in seen:
            seen.add(o.key)
            words = _name_stems(o.lemma)
            if words:
                longer.setdefault(words[0], []).append(o)
    done: dict[str, Span | None] = {}
    for sp in orgs:
        if sp.gaz is not None or sp.qualifier is None or sp.parent is not None:
            continue
        if sp.key not in done:
            mine = _name_stems(sp.lemma)
            n = len(mine)
            best = None
            for other in longer.get(mine[0], []) if mine else []:
                if other.key == sp.key or other.country != sp.country:
                    continue
                theirs = _name_stems(other.lemma)
                if len(theirs) > n and theirs[:n] == mine and (best is None or len(other.lemma) > len(best.lemma)):
                    best = other
            done[sp.key] = best
        best = done[sp.key]
        if best is not None:
            sp.key, sp.cls, sp.country, sp.gaz, sp.lemma, sp.aliases = (
                best.key, best.cls, best.country, best.gaz, best.lemma, [],
            )  # fmt: skip


@lru_cache(maxsize=50_000)
def _name_stems(name: str) -> tuple[str, ...]:
    """The stems of the words of a name (normalised)."""
    return tuple(stem(w) for w in norm(name).split())


def _names_country(sp: Span, text: str) -> bool:
    """Whether a country span of the sentence is written `text` (its surface is not kept on
    the span: compare the stems)."""
    return sp.kind == "country" and _name_stems(text.strip()) == _name_stems(sp.lemma)


def _holds_a_form(keys: list[str | None], forms: list[frozenset[str]]) -> bool:
    have = set(keys)
    return any(f <= have for f in forms)


def _name_like(name: str) -> bool:
    """A quoted name that can stand alone for its body: capitalised, and two words or a
    word of four letters at least."""
    words = name.split()
    return bool(words) and name[:1].isupper() and (len(words) > 1 or len(name) >= 4)

"""Bodies listed after a sentence that says what they are.

A page often introduces a bullet list with its kind ("Finansējumu saņems sešas Latvijas
NVO:", "Projektā piedalās šādas nevalstiskās organizācijas:") and then starts each
bullet with the body's name in quotes, without a legal form:

    • “Drošais krasts” nodrošinās ...

Such a quoted name at the start of a bullet is a body of the kind the list names (an NGO,
or an international organisation). A name the extractor read there already keeps its
own class unless it was read from inside the quotes by its head noun alone (a
"fonds" read as a public fund is an NGO in a list of NGOs).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...ir import EntityClass
from .quotes import _clean_quoted, _tok_range, quoted_ranges
from .spans import Span, norm

if TYPE_CHECKING:
    from .state import DocState

_BULLETS = ("•", "-", "*", "–", "—", "·")
_KINDS = (
    (re.compile(r"\b(nvo|nevalstisk\w* organizācij\w*|biedrīb\w*|nodibinājum\w*)\W*$", re.I), EntityClass.NGO),
    (re.compile(r"\bstarptautisk\w* organizācij\w*\W*$", re.I), EntityClass.INTERNATIONAL_ORGANISATION),
)


def _kind_of_list(text: str) -> EntityClass | None:
    text = text.rstrip()
    if not text.endswith(":"):
        return None
    head = text[:-1]
    for rx, cls in _KINDS:
        if rx.search(head):
            return cls
    return None


def listed_bodies(state: DocState, default_country: str) -> None:
    """Add (or re-class) the bodies named at the start of the bullets of a list whose
    introducing sentence names their kind."""
    sents = state.sentences
    for si, ss in enumerate(sents):
        cls = _kind_of_list(ss.sentence.text)
        if cls is None:
            continue
        country = None
        if cls is not EntityClass.INTERNATIONAL_ORGANISATION:
            named = [sp.country for sp in ss.spans if sp.kind == "country" and sp.genitive]
            country = named[-1] if named else default_country
        for item in sents[si + 1 :]:
            text = item.sentence.text
            stripped = text.lstrip()
            if not stripped.startswith(_BULLETS):
                break
            lead = len(text) - len(stripped) + 1
            found = next(((qs, qe) for qs, qe in quoted_ranges(text) if qs <= lead + 2), None)
            if found is None:
                continue
            qs, qe = found
            toks = item.tokens
            base = item.sentence.start
            r = _tok_range(toks, qs + base, qe + base)
            if r is None:
                continue
            content = _clean_quoted(text[qs:qe])
            inside = [sp for sp in item.spans if r[0] <= sp.start and sp.end <= r[1]]
            if any(sp.gaz is not None for sp in inside):
                continue  # a body the gazetteer knows keeps what it knows
            if any(sp.start < r[1] and sp.end > r[1] for sp in item.spans):
                continue
            for sp in inside:
                item.spans.remove(sp)
            item.spans.append(
                Span(
                    r[0],
                    r[1],
                    cls,
                    content,
                    f"org:{norm(content)}" if cls is EntityClass.NGO else f"org:INT:{norm(content)}",
                    kind="ngo" if cls is EntityClass.NGO else "org",
                    country=country,
                    cases=frozenset({"nom"}),
                )
            )
            item.spans.sort(key=lambda sp: sp.start)

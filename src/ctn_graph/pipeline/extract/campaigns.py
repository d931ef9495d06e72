"""A body's campaign named by its purpose ("Eiropas Padomes kampaņa pret cilvēku
tirdzniecību", "X kampaņa sieviešu tirdzniecības novēršanai"): `_campaigns` reads it as
a project whose parent is the body named in the genitive right before the noun; out of
document.py, which re-exports it."""

from __future__ import annotations

from ...ir import EntityClass, Sentence
from ..lv.morph import HeadNoun, nominative_phrase, stem
from ..text import Token
from .countries import _surface
from .gazetteer import is_acronym
from .spans import Span, _tidy

_CAMPAIGN = stem("kampaņa")


def _campaigns(toks: list[Token], spans: list[Span], s: Sentence) -> list[Span]:
    """A body's campaign named by its purpose: "Eiropas Padomes kampaņa pret cilvēku
    tirdzniecību", "EP kampaņas pret cilvēku tirdzniecību ietvaros", "X kampaņa sieviešu
    tirdzniecības novēršanai". The body in the genitive right before the noun runs it
    (the span's parent); the name runs to the noun "pret" governs, or to the purpose."""
    out: list[Span] = []
    n = len(toks)
    for owner in spans:
        h = owner.end
        if not owner.is_org or h >= n or stem(toks[h].text) != _CAMPAIGN or not toks[h].text.islower():
            continue
        if not (owner.genitive or owner.cases is None and is_acronym(toks[owner.end - 1].text)):
            continue
        end = h + 1
        if end < n and toks[end].text == "pret":
            k = end + 1
            while k < n and k - end <= 4 and toks[k].is_word and toks[k].text.islower():
                k += 1
                nxt = toks[k].text if k < n else ""
                if toks[k - 1].text.endswith("u") and not nxt.endswith("u"):
                    break  # "pret cilvēku tirdzniecību": the noun "pret" governs ends it
            end = k if k > end + 1 else end
        else:
            k = end
            while k < n and k - end < 4 and toks[k].is_word and toks[k].text.islower():
                k += 1
                if toks[k - 1].text.endswith("šanai"):
                    end = k  # "... sieviešu tirdzniecības novēršanai"
                    break
        if end == h + 1:
            continue  # a campaign named by nothing but its owner
        words = [t.text for t in toks[h:end]]
        head = nominative_phrase(words, 0, HeadNoun("kampaņa", "f", 4))
        lemma = _tidy(f"{_surface(toks, owner, s)} {head}")  # the owner as written, in the genitive
        camp = Span(owner.start, end, EntityClass.PROJECT, lemma, "", kind="project")
        camp.parent = owner
        out.append(camp)
    return out

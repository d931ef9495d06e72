"""Which documents the gold and the graph share (issue 16: say which graph answered).

A gold file annotates some documents; a graph is built from some documents. Scored
against a gold made for other documents, a graph gets precision and recall that say
nothing about it (everything it found counts as spurious, everything the gold lists as
missed), and nothing in the numbers shows why. `coverage_warning` says so in one line.

Documents are known by their file name: the graph's `ctn:fileName`, the gold's `docs`
lists (data/gold/README.md), as the scorer compares them (a split's halves, events).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .gold import Gold, in_split, split_gold
from .graph import _term_key, document_names
from .terms import CTN, MENTIONED_IN, RDF_TYPE

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

FEW = 0.5  # the gold covers "few" of the graph's documents below this share
_SHOWN = 2  # file names given as examples
_NAME_CHARS = 60


@dataclass(frozen=True, slots=True)
class Coverage:
    graph: frozenset[str]  # the file names of the graph's documents
    unnamed: int  # the graph's documents with no ctn:fileName (they match no gold document)
    gold: frozenset[str]  # the file names the gold's entities and relations are stated in
    split: str | None = None  # "even" or "odd": of that half only

    @property
    def shared(self) -> frozenset[str]:
        return self.graph & self.gold

    @property
    def graph_total(self) -> int:
        return len(self.graph) + self.unnamed


def coverage(store: pyoxigraph.Store, gold: Gold, split: str | None = None) -> Coverage:
    """The documents of the graph in `store` and of `gold` (with `split`, of that half only)."""
    import pyoxigraph as ox

    names = document_names(store)  # document node -> file name
    nodes: set[str] = set(names)
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(CTN + "Document"), None):
        nodes.add(_term_key(q.subject))
    for q in store.quads_for_pattern(None, ox.NamedNode(MENTIONED_IN), None, None):
        nodes.add(_term_key(q.object))
    unnamed = len(nodes - set(names))
    graph_docs = set(names.values())
    if split is not None:
        gold = split_gold(gold, split)
        graph_docs = {d for d in graph_docs if in_split(d, split)}
        unnamed = 0  # a document with no name is in neither half
    gold_docs = {d for e in gold.entities for d in e.docs} | {d for r in gold.relations for d in r.docs}
    if split is not None:
        gold_docs = {d for d in gold_docs if in_split(d, split)}
    return Coverage(frozenset(graph_docs), unnamed, frozenset(gold_docs), split)


def coverage_warning(cov: Coverage, gold_name: str) -> str | None:
    """One line when the gold covers none or few (under half) of the graph's documents,
    or the graph holds none of the gold's; None when they agree well enough to score, or
    the gold names no documents (nothing to compare)."""
    if not cov.gold:
        return None
    total, shared = cov.graph_total, len(cov.shared)
    if total == 0:
        if cov.split is not None:
            return (
                f"warning: {gold_name}: the graph holds no document of the {cov.split} half (no ctn:fileName "
                f"numbered so), so none of the gold's {_count(len(cov.gold))} there: nothing in it is scored"
            )
        return (
            f"warning: {gold_name}: the graph holds no documents (no ctn:Document, no ctn:mentionedIn), so none "
            f"of the gold's {_count(len(cov.gold))}: nothing in it is scored"
        )
    if shared == 0:
        return (
            f"warning: {gold_name}: the gold covers none of the graph's {_count(total)} "
            f"({_examples(cov.graph)}) and the graph holds none of the gold's {_count(len(cov.gold))} "
            f"({_examples(cov.gold)}): these scores say nothing about this graph"
        )
    if shared < FEW * total:
        return (
            f"warning: {gold_name}: the gold covers only {shared} of the graph's {_count(total)}: "
            f"what the other {total - shared} name counts as spurious"
        )
    return None


def _count(n: int) -> str:
    return f"{n} document" + ("" if n == 1 else "s")


def _examples(names: frozenset[str]) -> str:
    shown = sorted(names)[:_SHOWN]
    cut = [n if len(n) <= _NAME_CHARS else n[: _NAME_CHARS - 1] + "…" for n in shown]
    more = len(names) - len(shown)
    return ", ".join(cut) + (f" and {more} more" if more else "") if cut else "none named"

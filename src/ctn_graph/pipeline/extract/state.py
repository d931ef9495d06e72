"""What the extractor's passes hand each other about a document: a sentence's analysis and
spans, the document's state, and what the relation finders read of the extractor. Its own
module so that the finders (relations, frames, events, lists, affiliation) and the
document extractor that calls them do not import each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from ...ir import Document, Sentence
from ..text import Token, tokens_of
from .gazetteer import Gazetteer
from .lexicon import Lexicon
from .spans import Span


class Analysed(NamedTuple):
    """A sentence's token texts, its tokens (None until a finder needs them: see
    sentence_spans), their gazetteer keys (token_key), the F_* bits of every token with
    some bit set, by token index (spans.py), and the bits of the sentence (all or-ed)."""

    words: list[str]
    tokens: list[Token] | None
    keys: list[str | None]
    marked: dict[int, int]
    flags: int

    def having(self, bit: int) -> list[int]:
        """Indexes of the tokens with a bit set, in order."""
        return [i for i, f in self.marked.items() if f & bit]


@dataclass(slots=True)
class SentenceSpans:
    sentence: Sentence
    spans: list[Span]
    analysed: Analysed
    # read by every finder with no short form of the text known (sentence_spans with no
    # `local`, past its early exit): what the second pass gives where no short form is found
    plain: bool = False

    @property
    def tokens(self) -> list[Token]:
        """The sentence's tokens (made here only for a sentence sentence_spans left
        without: one with no spans, whose tokens nothing reads)."""
        an, s = self.analysed, self.sentence
        return an.tokens if an.tokens is not None else tokens_of(an.words, s.text, s.start)

    @property
    def flags(self) -> int:
        return self.analysed.flags


@dataclass(slots=True)
class DocState:
    doc: Document
    sentences: list[SentenceSpans] = field(default_factory=list)
    local: dict[str, Span] = field(default_factory=dict)  # short form -> span it stands for


class Extractor(Protocol):
    """What the relation finders read of the document extractor (document.DocumentExtractor)."""

    gaz: Gazetteer
    lex: Lexicon
    default_country: str
    _names_index: dict[str, str]

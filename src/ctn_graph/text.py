"""Sentences and tokens with character offsets, for Latvian text.

>>> [s.text for s in split_sentences("Projektu finansē ICMPD. 2018.gada 23.martā notika sanāksme.")]
['Projektu finansē ICMPD.', '2018.gada 23.martā notika sanāksme.']
>>> [t.text for t in tokenize("Iekšlietu ministrijas (IeM) “Centrs MARTA”")]
['Iekšlietu', 'ministrijas', '(', 'IeM', ')', '“', 'Centrs', 'MARTA', '”']
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .ir import Sentence

# Words after which a full stop does not end a sentence (Latvian abbreviations).
_ABBREVIATIONS = frozenset(
    "nr dr prof u.c t.sk utt piem plkst g gs tālr mob st sk ing mg mag pers val apm red vs š.g".split()
)

_SENT_END = re.compile(r"[.!?…]+[\"”»’)]*(?=\s+)")
_TOKEN = re.compile(
    r"""
    \d+(?:[.,]\d+)*\.?          # numbers, dates and ordinals: 2018. 23. 18.10.2018.
  | [^\W\d_]+(?:[-'’][^\W\d_]+)*(?:\d+)?   # words, hyphenated words (TF-THB, ziemeļ-rietumu)
  | [^\w\s]                     # any single punctuation character
    """,
    re.VERBOSE,
)
# The same tokens, each with the run of characters skipped before it: _TOKEN matches at
# every character but whitespace and "_", so (gap, token) pairs give every offset.
GAP_TOKEN = re.compile(r"([\s_]*)(" + _TOKEN.pattern + ")", re.VERBOSE)


class Token(NamedTuple):
    """One token: its text and its character offsets (a tuple, so cheap to make)."""

    text: str
    start: int
    end: int

    @property
    def is_upper_initial(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()


_new_tuple = tuple.__new__  # Token(...) without the keyword-argument machinery of NamedTuple
_CAMEL_JOIN = re.compile(r"(?<=[a-zāčēģīķļņšūž]{3})(?=[A-ZĀČĒĢĪĶĻŅŠŪŽ][a-zāčēģīķļņšūž]{2})")


def is_run_together(word: str) -> bool:
    """Whether tokenize splits a GAP_TOKEN match into several tokens ("ŠakočiusLietuvas");
    the tokens of a text none of whose matches is run together are exactly its matches."""
    return len(word) >= 7 and word[0].isupper() and len(_CAMEL_JOIN.split(word)) > 1


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Word, number and punctuation tokens with offsets.

    Two capitalised words run together by a lost space ("ŠakočiusLietuvas") are split;
    "airBaltic" and acronyms such as "FReM" are kept whole.
    """
    out: list[Token] = []
    append = out.append
    new = _new_tuple
    pos = offset
    for gap, word in GAP_TOKEN.findall(text):
        pos += len(gap)
        end = pos + len(word)
        if end - pos >= 7 and word[0].isupper():
            pieces = _CAMEL_JOIN.split(word)
            if len(pieces) > 1:
                at = pos
                for piece in pieces:
                    append(new(Token, (piece, at, at + len(piece))))
                    at += len(piece)
                pos = end
                continue
        append(new(Token, (word, pos, end)))
        pos = end
    return out


def token_texts(text: str) -> list[str]:
    """The texts of the GAP_TOKEN matches of a text (tokenize's tokens before run-together
    words are split), without offsets. Most whitespace-separated pieces of a text are a
    word of letters only, one token; the others ("2018.gada", "ministrija,") recur, and
    their tokens are cached. (_TOKEN matches at every character but whitespace and "_",
    and never across them.)"""
    out: list[str] = []
    append = out.append
    extend = out.extend
    cached = _PIECES.get
    for piece in text.split():
        if piece.isalpha():
            append(piece)
        else:
            extend(cached(piece) or _piece_tokens(piece))
    return out


_PIECES: dict[str, list[str]] = {}  # token_texts: the tokens of a piece with a non-letter


def _piece_tokens(piece: str) -> list[str]:
    if len(_PIECES) >= 100_000:
        _PIECES.clear()
    found = _PIECES[piece] = _TOKEN.findall(piece)  # empty for "___" alone: found again
    return found


def tokens_of(words: list[str], text: str, offset: int = 0) -> list[Token]:
    """The tokens, with offsets, of token_texts(text): between two tokens there is only
    whitespace and "_", which no token begins with, so each is found where the last ends."""
    out: list[Token] = []
    append = out.append
    find = text.find
    new = _new_tuple
    pos = 0
    for word in words:
        start = find(word, pos)
        pos = start + len(word)
        append(new(Token, (word, start + offset, pos + offset)))
    return out


_INITIAL = re.compile(r"[A-ZĀČĒĢĪĶĻŅŠŪŽ]|Dž|Dz|Ch|Sh")
_DAY = re.compile(r"\d{1,2}")
_NUMBER = re.compile(r"\d+(\.\d+)*")
_ALNUM = re.compile(r"[^\W_]")  # a character str.isalnum() holds for


def _is_boundary(text: str, dot_end: int, para: str) -> bool:
    """Decide whether the punctuation ending at dot_end (index in para) ends a sentence."""
    before = para[:dot_end].rstrip('"”»’)')
    if not before.endswith("."):
        return True
    # the word before the full stop: what (\S+)\.$ would match, without scanning the line
    last = before.rsplit(None, 1)[-1]
    prev = last[:-1] if len(last) >= 2 else ""
    prev = prev.lstrip("(\"„“«'‘")
    if prev.lower() in _ABBREVIATIONS:
        return False
    if _INITIAL.fullmatch(prev):  # an initial: "D. Trofimovs", "Dž. Smits"
        return False
    if _DAY.fullmatch(prev):  # an ordinal day: "25. un 26.septembrī"
        return False
    if _NUMBER.fullmatch(prev):
        # "2018. gada", "2014. – 2020.gadam": a year or date followed by lower case
        rest = para[dot_end:].lstrip()
        if not rest or not rest[0].isupper():
            return False
    rest = para[dot_end:].lstrip()
    if rest[:1].islower() or rest[:1] in "–-,;:":
        return False
    return True


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; paragraphs (lines) never share a sentence."""
    out: list[Sentence] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        body = line.rstrip("\r\n")
        start = 0
        quoted = _quoted_spans(body) if "„" in body else ()
        for m in _SENT_END.finditer(body):
            if quoted and any(a < m.start() and m.end() < b for a, b in quoted):
                continue  # a title's own "!" or ".": konference „Cilvēku tirdzniecībai – NĒ! ...”
            if _is_boundary(text, m.end(), body):
                _add(out, body, start, m.end(), line_start)
                start = m.end()
        _add(out, body, start, len(body), line_start)
    return out


def _quoted_spans(line: str) -> list[tuple[int, int]]:
    """(opening, closing) offsets of the titles quoted „...” in a line, up to 300
    characters long (a quote never closed is no title)."""
    out = []
    i = line.find("„")
    while i >= 0:
        close = min((k for k in (line.find("”", i), line.find("“", i)) if k > 0), default=-1)
        if close < 0:
            break
        if close - i <= 300:
            out.append((i, close))
        i = line.find("„", close)
    return out


def _add(out: list[Sentence], body: str, start: int, end: int, base: int) -> None:
    chunk = body[start:end]
    stripped = chunk.strip()
    if not stripped or not _ALNUM.search(stripped):
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = base + start + lead
    out.append(Sentence(index=len(out), start=s, end=s + len(stripped), text=stripped))

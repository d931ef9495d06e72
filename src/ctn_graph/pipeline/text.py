"""Sentences and tokens with character offsets, for Latvian text.

>>> [s.text for s in split_sentences("Projektu finansē ICMPD. 2018.gada 23.martā notika sanāksme.")]
['Projektu finansē ICMPD.', '2018.gada 23.martā notika sanāksme.']
>>> [t.text for t in tokenize("Iekšlietu ministrijas (IeM) “Centrs MARTA”")]
['Iekšlietu', 'ministrijas', '(', 'IeM', ')', '“', 'Centrs', 'MARTA', '”']
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..ir import Sentence

# Words after which a full stop does not end a sentence (Latvian abbreviations).
_ABBREVIATIONS = frozenset(
    "nr dr prof u.c t.sk utt piem plkst g gs tālr mob st sk ing mg mag pers val apm red vs š.g".split()
)

# A run of end marks (and closing quotes) before whitespace. It starts only where a run
# of marks does: a run not followed by whitespace is tried once, not once per mark in it.
_SENT_END = re.compile(r"(?<![.!?…])[.!?…]+[\"”»’)]*(?=\s)")
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
LATVIAN_MARKED = frozenset("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ")  # Latvian letters with diacritics
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
    token = Token  # (a local: read once, not once per token)
    pos = 0
    for word in words:
        start = find(word, pos)
        pos = start + len(word)
        append(new(token, (word, start + offset, pos + offset)))
    return out


_INITIAL = re.compile(r"[A-ZĀČĒĢĪĶĻŅŠŪŽ]|Dž|Dz|Ch|Sh")
_DAY = re.compile(r"\d{1,2}")
_NUMBER = re.compile(r"\d+(\.\d+)*")
_ALNUM = re.compile(r"[^\W_]")  # a character str.isalnum() holds for


_CLOSERS = '"”»’)'
_LAST_WORD = re.compile(r"(?<!\S)\S+\Z")  # the word ending at endpos, found from its start only
_NON_SPACE = re.compile(r"\S")


def _is_boundary(para: str, dot_end: int, word_from: int) -> bool:
    """Whether the punctuation ending at dot_end (an index in para, a _SENT_END match)
    ends a sentence. The word before it starts at or after word_from (the end of the
    previous match, which whitespace follows), so every look is within this match, the
    word before it and the whitespace after it: linear in the line, never a copy of it."""
    end = dot_end
    while para[end - 1] in _CLOSERS:  # what .rstrip(_CLOSERS) leaves: the match starts with a mark
        end -= 1
    if para[end - 1] != ".":
        return True
    # the word before the full stop: what (\S+)\.$ would match
    m = _LAST_WORD.search(para, word_from, end)
    last = m.group() if m else ""
    prev = last[:-1] if len(last) >= 2 else ""
    prev = prev.lstrip("(\"„“«'‘")
    if prev.lower() in _ABBREVIATIONS:
        return False
    if _INITIAL.fullmatch(prev):  # an initial: "D. Trofimovs", "Dž. Smits"
        return False
    if _DAY.fullmatch(prev):  # an ordinal day: "25. un 26.septembrī"
        return False
    after = _NON_SPACE.search(para, dot_end)
    nxt = after.group() if after else ""  # the first character after the whitespace
    if _NUMBER.fullmatch(prev) and not nxt.isupper():
        # "2018. gada", "2014. – 2020.gadam": a year or date followed by lower case
        return False
    if nxt.islower() or nxt in "–-,;:":  # ("" too: nothing follows on the line)
        return False
    return True


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences. Paragraphs never share a sentence; a line that stops
    mid-sentence and a next line that goes on in lower case are one paragraph (a wrapped
    line: "tiek īstenots ar Patvēruma,\nmigrācijas un integrācijas fonda atbalstu"). A full
    stop inside a quoted title ("projekts “Soļi uz brīvību. Patvēruma ...”") ends no
    sentence. Linear in the length of the text, however long its lines."""
    out: list[Sentence] = []
    for start, end in _paragraphs(text):
        body = text[start:end]
        begin = word_from = 0
        quotes = _Quotes()
        for m in _SENT_END.finditer(body):
            quotes.read(body, word_from, m.end())
            if _is_boundary(body, m.end(), word_from) and not quotes.inside_title(body, m.end()):
                _add(out, body, begin, m.end(), start)
                begin = m.end()
                quotes = _Quotes()
            word_from = m.end()
        _add(out, body, begin, len(body), start)
    return out


_LINE_END = re.compile(r"[.!?…:;\"”»’)]\s*$")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: lines, a wrapped line joined to the next."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body_end = pos + len(line.rstrip("\r\n"))
        first = _NON_SPACE.search(line)
        wraps = (
            out
            and first is not None
            and line[first.start()].islower()
            and out[-1][1] > out[-1][0]
            and not _LINE_END.search(text, out[-1][0], out[-1][1])
            and _goes_on(text[out[-1][0] : out[-1][1]])
        )
        if wraps:
            out[-1] = (out[-1][0], body_end)
        else:
            out.append((pos, body_end))
        pos += len(line)
    return out



def _goes_on(line: str) -> bool:
    """Whether a line stops mid-sentence: at a comma, after a word in lower case, or as a
    long line does (a short line of capitalised words is a name or a heading: "Inese Kalna"
    above her title)."""
    words = line.split()
    if not words:
        return False
    return line.rstrip().endswith(",") or words[-1][:1].islower() or len(line) > 60

_OPEN_QUOTES = '„“«"'
_CLOSE_QUOTES = '”“»"'
_QUOTE_CHAR = re.compile('[„“«»”"]')
_TITLE_QUOTE_LIMIT = 300  # how far a quoted title may run on after a full stop in it


class _Quotes:
    """Whether a sentence's text read so far stands inside a quoted title: the quotes
    are counted once each, as the text is read (so the splitter stays linear)."""

    __slots__ = ("depth",)

    def __init__(self) -> None:
        self.depth = 0

    def read(self, body: str, a: int, b: int) -> None:
        n = len(body)
        for m in _QUOTE_CHAR.finditer(body, a, b):
            i = m.start()
            c = body[i]
            if c in _OPEN_QUOTES and (i == 0 or not body[i - 1].isalnum()) and i + 1 < n and body[i + 1].isalnum():
                self.depth += 1
            elif c in _CLOSE_QUOTES and self.depth and (i + 1 == n or not body[i + 1].isalnum()):
                self.depth -= 1

    def inside_title(self, body: str, at: int) -> bool:
        """Inside quotes that close (before the next full stop) within a short stretch after
        `at`: a title holding a full stop. A quote never closed is no title."""
        if not self.depth:
            return False
        stretch = body[at : at + _TITLE_QUOTE_LIMIT]
        close = next(
            (
                k
                for k, c in enumerate(stretch)
                if c in _CLOSE_QUOTES and (k + 1 == len(stretch) or not stretch[k + 1].isalnum())
            ),
            -1,
        )
        return close >= 0


def _add(out: list[Sentence], body: str, start: int, end: int, base: int) -> None:
    chunk = body[start:end]
    stripped = chunk.strip()
    if not stripped or not _ALNUM.search(stripped):
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = base + start + lead
    out.append(Sentence(index=len(out), start=s, end=s + len(stripped), text=stripped))

"""Quoted titles in a sentence: where they are, and their text with straight quotes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import attrgetter

from ..text import Token

_OPENING = '„“"«‚‘'
_CLOSING = '”“"»’‘'
_OPENING_RX = re.compile("[" + re.escape(_OPENING) + "]")
_QUOTE_RX = re.compile("[" + re.escape(_OPENING + _CLOSING) + "]")


# Kept for the few sentences read last (several finders ask of one sentence), as
# events.sentence_marks: a cache by sentence text any larger would serve repeated
# sentences across documents, which a real corpus hardly has (and bench_real.py does).
@lru_cache(maxsize=64)
def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges of quoted titles, outer quotes included; nested
    quotes ('biedrība "Resursu centrs sievietēm "Marta""') stay inside."""
    out: list[tuple[int, int]] = []
    n = len(text)
    search = _OPENING_RX.search
    quote = _QUOTE_RX.search
    m = search(text)
    while m is not None:
        i = m.start()
        if i + 1 < n and (text[i + 1].isalnum()) and (i == 0 or not text[i - 1].isalnum()):
            depth = 1
            j = i + 1
            while j < n and depth:
                q = quote(text, j)  # characters other than quotes change nothing
                if q is None:
                    j = n
                    break
                j = q.start()
                cj = text[j]
                if cj in _OPENING and j + 1 < n and text[j + 1].isalnum() and text[j - 1] in " (–-":
                    depth += 1
                elif cj in _CLOSING and (j + 1 == n or not text[j + 1].isalnum()):
                    depth -= 1
                j += 1
            if depth == 0 and j - i > 2:
                if _is_speech(text, i, j):
                    # a person's words in quotes: the titles they quote are the ranges
                    out.extend((i + 1 + a, i + 1 + b) for a, b in quoted_ranges(text[i + 1 : j - 1]))
                else:
                    out.append((i, j))
                m = search(text, j)
                continue
        m = search(text, i + 1)
    return out


@lru_cache(maxsize=64)
def speech_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges of the quoted words of a person in a sentence (see
    quoted_ranges: the titles inside them are titles all the same)."""
    out: list[tuple[int, int]] = []
    for m in _OPENING_RX.finditer(text):
        i = m.start()
        if out and i < out[-1][1]:
            continue
        close = text.find("”", i + 1) if text[i] == "“" else text.find("\"", i + 1) if text[i] == '"' else -1
        if close > i and _is_speech(text, i, close + 1):
            out.append((i, close + 1))
    return out


def _is_speech(text: str, i: int, j: int) -> bool:
    """Whether the quotes at i..j hold what someone said rather than a title: a long
    stretch whose last word before the closing quote ends in a comma or a full stop
    (“Mums ir liels prieks ... nepieciešama,” pauž ...)."""
    return text[j - 2] in ",.!?…" and text.count(" ", i, j) >= 10


def _tok_range(toks: list[Token], cstart: int, cend: int) -> tuple[int, int] | None:
    """(first, after last) index of the tokens inside [cstart, cend). Tokens are in order
    and do not overlap, so their starts and their ends both rise: the tokens starting at
    or after cstart and those ending at or before cend are each one run."""
    a = bisect_left(toks, cstart, key=_START)
    b = bisect_right(toks, cend, key=_END)
    return (a, b) if a < b else None


_START = attrgetter("start")
_END = attrgetter("end")


@lru_cache(maxsize=4096)
def _clean_quoted(s: str) -> str:
    """The content of a quoted title with straight quotes, balanced."""
    s = s.strip()
    for q in "„“”«»":
        s = s.replace(q, '"')
    s = s.strip('"').strip()
    if s.count('"') % 2:
        s += '"'
    return s

"""The words of a sentence, read once: WordAnalyser (a trait of DocumentExtractor's
bases) gives each word its gazetteer key and the F_* bits of the finder passes it can
start something in (`word_info`, cached by word), and `analyse` reads a sentence's token
texts, keys and bits in one pass (`_analyse_split` where words are run together); with
`_names_a_body`, the heads an institution's name can end in; out of document.py, which
re-exports them."""

from __future__ import annotations

from mypy_extensions import trait

from ...ir import EntityClass, Sentence
from ..lv.morph import stem
from ..text import is_run_together, token_texts, tokenize
from .events import event_cases
from .foreign import foreign_org_word
from .frames import TriggerIndex
from .gazetteer import Gazetteer, is_acronym, token_key
from .lexicon import HeadEntry, Lexicon
from .names import NameFinder
from .policies import policy_compound
from .spans import (
    F_COMPANY,
    F_CUE,
    F_EVENT_HEAD,
    F_FOREIGN,
    F_GAZ,
    F_ORG_HEAD,
    F_PERSON,
    F_POLICY_HEAD,
    F_PROJECT,
    F_ROLE,
    PROJECT_STEMS,
    SentenceExtractor,
)
from .state import Analysed

_F_SPLIT = 1 << 20  # word_info: a word that tokenize splits in two (never in Analysed)


@trait  # (mypyc: a class of DocumentExtractor's several bases)
class WordAnalyser:
    gaz: Gazetteer
    lex: Lexicon
    sx: SentenceExtractor
    nf: NameFinder
    _cues: TriggerIndex
    _words: dict[str, tuple[str | None, int]]

    # ---------------------------------------------------------------- words
    def word_info(self, word: str) -> tuple[str | None, int]:
        """(token_key, F_* bits) of a token's text, cached: which finder passes a word
        can start something in."""
        found = self._words.get(word)
        if found is not None:
            return found
        flags = 0
        head_at = self.sx.head_of_token_text(word)
        if head_at is not None and _names_a_body(head_at[0]):
            flags |= F_ORG_HEAD
        head = self.lex.head(word)
        if head is not None and head.kind == "ngo" and head.cls is EntityClass.COMPANY:
            flags |= F_COMPANY
        if head is not None and head.kind == "event" and event_cases(word, head.noun):
            flags |= F_EVENT_HEAD  # (a form the noun can take: "pasākumi", plural, is no event)
        if head is not None and head.kind == "policy" or head is None and policy_compound(self.lex, word):
            flags |= F_POLICY_HEAD
        if stem(word) in PROJECT_STEMS:
            flags |= F_PROJECT
        if (
            word[:1].isalpha()
            and word[:1].isupper()
            and not is_acronym(word)
            and (len(word) == 1 or word in ("Dz", "Dž") or self.nf.first_name(word) is not None)
        ):
            flags |= F_PERSON
        if self.nf.before_person(word):
            flags |= F_ROLE
        if self._cues.begins(word):
            flags |= F_CUE
        if foreign_org_word(word) is not None:
            flags |= F_FOREIGN
        key = token_key(word)
        if word[:1].isalpha() and self.gaz.starts_name(key, word[:1].isupper()):
            flags |= F_GAZ
        if is_run_together(word):
            flags |= _F_SPLIT
        found = (key, flags)
        if len(self._words) >= 200_000:
            self._words.clear()
        self._words[word] = found
        return found

    def analyse(self, s: Sentence) -> Analysed:
        """The token texts of a sentence (text.tokenize's), their gazetteer keys and the
        F_* bits of its words, in one pass over the text unless a word needs splitting.
        Tokens with offsets are made later, where a name can be found (sentence_spans)."""
        keys: list[str | None] = []
        marked: dict[int, int] = {}
        flags = 0
        get = self._words.get
        word_info = self.word_info
        append = keys.append
        words = token_texts(s.text)
        for word in words:
            key, f = get(word) or word_info(word)
            if f:
                if f & _F_SPLIT:
                    return self._analyse_split(s)
                marked[len(keys)] = f
                flags |= f
            append(key)
        return Analysed(words, None, keys, marked, flags)

    def _analyse_split(self, s: Sentence) -> Analysed:
        """analyse() of a sentence with words run together: tokenize splits them."""
        toks = tokenize(s.text, s.start)
        keys: list[str | None] = []
        marked: dict[int, int] = {}
        flags = 0
        for i, t in enumerate(toks):
            key, f = self._words.get(t.text) or self.word_info(t.text)
            f &= ~_F_SPLIT  # split already
            keys.append(key)
            if f:
                marked[i] = f
                flags |= f
        return Analysed([t.text for t in toks], toks, keys, marked, flags)


def _names_a_body(entry: HeadEntry) -> bool:
    """A head noun an institution's name can end in: an institution's or a unit's, or a
    legal form that inflects ("Lietuvas Sarkanā Krusta biedrība")."""
    legal_form = entry.kind == "ngo" and entry.noun.declension > 0 and entry.cls is EntityClass.NGO
    return entry.kind in ("org", "unit") or legal_form

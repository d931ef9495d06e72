"""The projects of a document, to find the one a clause or a sentence means: Projects
(where each project is named, the one the document was last talking about, the projects
a bullet list names, the one group or event a bare noun stands for), the project the
noun "projekts" means (project_named_at), the one a clause names by title, by that noun
or as its relative pronoun's antecedent (project_in_clause, clause_projects), the one
"to" stands for, and the project of the event a clause is about."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...ir import Relation
from ..lv.morph import stem
from .frame_view import View, project_word
from .frame_words import _PRONOUNS, _head_stem, _is_project, is_group
from .quotes import speech_ranges
from .spans import Span

if TYPE_CHECKING:
    from .state import DocState, SentenceSpans


def _narrated_projects(ss: SentenceSpans) -> list[Span]:
    """The projects a sentence names, but those someone names in their quoted words: the
    page goes on about its own project after a quotation that names another."""
    found = [sp for sp in ss.spans if sp.kind == "project"]
    if not found or "“" not in ss.sentence.text and '"' not in ss.sentence.text:
        return found
    said = speech_ranges(ss.sentence.text)
    if not said:
        return found
    base = ss.sentence.start
    toks = ss.tokens
    return [sp for sp in found if not any(a <= toks[sp.start].start - base < b for a, b in said)]


class Projects:
    """Where each project is named, to find the one a clause or a sentence means."""

    def __init__(self, state: DocState) -> None:
        self.state = state
        self.by_sentence: list[list[Span]] = [_narrated_projects(ss) for ss in state.sentences]
        self.first: Span | None = next((ps[0] for ps in self.by_sentence if ps), None)
        self._firsts: list[tuple[int, Span]] | None = None
        self._last: list[Span | None] = []  # the project last named at or before each sentence
        last = None
        for ps in self.by_sentence:
            last = ps[-1] if ps else last
            self._last.append(last)
        self._groups: list[tuple[int, str, Span]] | None = None
        self._only: tuple[Span | None] | None = None
        self.emit_claim: Callable[[Span, Relation, Span, SentenceSpans, int, int, str], None] | None = None

    def before(self, si: int) -> list[Span]:
        """One mention of each project named before sentence si (the first, by key)."""
        # the first mention of each key, with the sentence it is in, in document order
        if self._firsts is None:
            seen: dict[str, tuple[int, Span]] = {}
            for k, ps in enumerate(self.by_sentence):
                for sp in ps:
                    seen.setdefault(sp.key, (k, sp))
            self._firsts = list(seen.values())
        return [sp for k, sp in self._firsts if k < si]

    def bullets_after(self, si: int) -> list[SentenceSpans]:
        """The bullet sentences ("- ...", "• ...") right after sentence si."""
        out = []
        for ss in self.state.sentences[si + 1 :]:
            if not ss.sentence.text.lstrip().startswith(("-", "*", "•", "–", "·")):
                break
            out.append(ss)
        return out

    def emit_in(self, ss: SentenceSpans, s: Span, rel: Relation, o: Span, a: int, b: int, cue: str) -> None:
        """A relation whose evidence is another sentence than the trigger's (a bullet)."""
        if self.emit_claim is not None:
            self.emit_claim(s, rel, o, ss, a, b, cue)

    def listed_after(self, si: int) -> list[Span]:
        """The projects named in the bullet list that follows a sentence ending in a colon."""
        sents = self.state.sentences
        if not sents[si].sentence.text.rstrip().endswith(":"):
            return []
        out = []
        for k in range(si + 1, len(sents)):
            if not sents[k].sentence.text.lstrip().startswith(("-", "*", "•", "–")):
                break
            if self.by_sentence[k]:
                out.append(self.by_sentence[k][0])
        return out

    def group_called(self, word: str, si: int) -> Span | None:
        """The group a bare noun means ("darba grupa", "padome" in lower case): the one
        group of that head the document named at or before sentence si, if only one."""
        head = stem(word)
        if head not in _BARE_GROUP_HEADS:
            return None
        if self._groups is None:
            self._groups = []
            for k, ss in enumerate(self.state.sentences):
                for sp in ss.spans:
                    if is_group(sp) and sp.kind in ("org", "unit") and _head_stem(sp) in _BARE_GROUP_HEADS:
                        self._groups.append((k, _head_stem(sp), sp))
        found: dict[str, Span] = {}
        for k, h, sp in self._groups:
            if k <= si and h == head:
                found.setdefault(sp.key, sp)
        return next(iter(found.values())) if len(found) == 1 else None

    def project_of_event(self, ev: Span, si: int) -> Span | None:
        """The project an event is held in: one its sentence names, or the project the
        document was last talking about where "projekta" stands in or just before the
        event's name ("projekta koordinēšanas sanāksme", "HESTIA apaļā galda diskusija")."""
        ss = self.state.sentences[si]
        here = [sp for sp in ss.spans if sp.kind == "project"]
        if here:
            return here[0]
        if any(stem(t.text) == "projekt" for t in ss.tokens[max(0, ev.start - 8) : ev.end]):
            return self.current(si)
        return None

    def event_called(self, word: str, si: int) -> tuple[Span, int] | None:
        """The event a bare noun means ("Diskusiju organizēja ..."): the last event of that
        head the document named at or before sentence si, with its sentence."""
        head = stem(word)
        for k in range(si, max(-1, si - 3), -1):
            for sp in reversed(self.state.sentences[k].spans):
                if sp.kind == "event" and _event_head(sp) == head:
                    return sp, k
        return None

    def current(self, si: int) -> Span | None:
        """The project the document was last talking about at sentence si; before any is
        named, the one the document names later, if it names only one."""
        if self._last[si] is not None:
            return self._last[si]
        if self._only is None:
            keys = {sp.key for ps in self.by_sentence for sp in ps}
            self._only = (self.first,) if len(keys) == 1 else (None,)
        return self._only[0]


def _event_head(sp: Span) -> str:
    """The stem of an event name's head noun ("Apaļā galda diskusija par ..." -> diskusij)."""
    from .lexicon import load_lexicon

    lex = load_lexicon()
    for w in sp.lemma.split():
        h = lex.head(w)
        if h is not None and h.kind == "event" and stem(w) != "gald":
            return stem(w)
    return ""


def event_project_in_clause(v: View, at: int, projects: Projects, si: int) -> Span | None:
    """The project of the event a clause is about: the event whose relative clause it is
    ("sanāksme, ko vadīja X"), the event named in it, or a bare event noun standing for
    the document's last event of that head ("Diskusiju organizēja X")."""
    from .lexicon import load_lexicon

    clause = v.clause[at]
    events = [sp for sp in v.ss.spans if sp.kind == "event"]
    a = v.antecedent.get(clause)
    if a is not None:
        for ev in events:
            if ev.end == a + 1:
                return projects.project_of_event(ev, si)
    for ev in events:
        if v.clause[ev.start] == clause and v.clause[ev.end - 1] == clause:
            return projects.project_of_event(ev, si)
    lex = load_lexicon()
    for i in range(len(v.toks)):
        if v.clause[i] != clause or i == at:
            continue
        h = lex.head(v.toks[i].text)
        if h is not None and h.kind == "event" and not v.covered[i]:
            found = projects.event_called(v.toks[i].text, si)
            if found is not None:
                return projects.project_of_event(found[0], found[1])
    return None


_MAX_PLURAL_PROJECTS = 8
_PLURAL_PROJECT = frozenset({"projekti", "projektus", "projektiem", "projektos"})


def project_named_at(v: View, i: int, projects: Projects, si: int) -> list[Span]:
    """The project(s) the noun "projekts" at token i means: the title after it, the
    acronym before it, the projects a plural names (those listed after a colon, or those
    the document named before), or the one the document is about."""
    named = v.span_at(i + 1, lambda s: s.kind == "project") or v.span_ending(i, lambda s: s.kind == "project")
    if named is not None:
        return [named]
    if v.low[i] in _PLURAL_PROJECT:
        listed = projects.listed_after(si) or projects.before(si)
        # "X īstenotie projekti" means the projects a page lists, not each of dozens
        return listed if len(listed) <= _MAX_PLURAL_PROJECTS else []
    cur = projects.current(si)
    return [cur] if cur is not None else []


def project_in_clause(v: View, at: int, projects: Projects, si: int) -> tuple[Span, int] | None:
    """The project a clause names (by title, by the word "projekts", or as the antecedent
    of its relative pronoun), and the token where it is named."""
    clause = v.clause[at]
    best: tuple[Span, int] | None = None
    for i in v.project_places():
        if v.clause[i] != clause:
            continue
        sp = v.span_at(i, _is_project)
        if sp is not None:
            if best is None or abs(i - at) < abs(best[1] - at):
                best = (sp, i)
            continue
        if project_word(v, i):
            named_here = project_named_at(v, i, projects, si)
            if named_here and (best is None or abs(i - at) < abs(best[1] - at)):
                best = (named_here[0], i)
    if best is None and clause in v.antecedent:
        a = v.antecedent[clause]
        if a >= 0:
            sp = v.span_ending(a + 1, lambda s: s.kind == "project")
            if sp is not None:
                best = (sp, a)
            elif project_word(v, a):
                named_here = project_named_at(v, a, projects, si)
                if named_here:
                    best = (named_here[0], a)
    return best


def clause_projects(v: View, at: int, projects: Projects, si: int) -> list[Span]:
    """project_in_clause, every project a plural "projekti" there names."""
    found = project_in_clause(v, at, projects, si)
    if found is None:
        return []
    sp, i = found
    if v.low[i] in _PLURAL_PROJECT and project_word(v, i):
        return project_named_at(v, i, projects, si)
    return [sp]


def _pronoun_project(v: View, at: int, projects: Projects, si: int) -> tuple[Span, int] | None:
    """ "... un to līdzfinansē X": "to" (or "tas", "tā") next to the trigger, after a
    project named earlier in the sentence."""
    for k in (at - 1, at + 1):
        if 0 <= k < len(v.toks) and v.low[k] in _PRONOUNS:
            for i in range(k - 1, -1, -1):
                sp = v.span_at(i, lambda s: s.kind == "project")
                if sp is not None:
                    return sp, k
                if stem(v.toks[i].text) == "projekt":
                    cand = projects.current(si)
                    return (cand, k) if cand is not None else None
    return None


# the heads of groups a bare noun may stand for (not "organizācija", "savienība": too general)
_BARE_GROUP_HEADS = frozenset(
    stem(w) for w in "grupa padome komiteja komisija tīkls koalīcija platforma forums".split()
)

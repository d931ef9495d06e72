"""Relations the clause states: who leads, funds, supports or takes part in a project,
which countries take part, and who is a member of what.

Latvian marks the role of a name by its case, so a trigger (data/lexicon/frames.tsv)
is read with the case its arguments must stand in:

* a verb ("īsteno", "finansēja", "atbalstīs") takes its doers in the nominative from its
  own clause, before or after it ("X īsteno projektu", "Projektu līdzfinansē X"), and
  the project from the same clause: its title, the word "projekts", "to" after a
  project, or the antecedent of "kuru"/"ko" ("projekts, ko finansē X");
* a participle before the project ("X īstenotais projekts", "X līdzfinansētā
  projekta") and a noun after the organisation ("X vadībā", "X finansējums",
  "ar X atbalstu") take it in the genitive;
* "sadarbībā ar A, B un C" takes a coordinated list in the instrumental;
* a role noun takes the list after it ("partneri ir A un B", "partnervalstis: ...") or
  the name before it ("X ir projekta partneris");
* a group takes its members: "X sastāvā ir A, B", "X apvieno A un B", "A ir X
  dalībvalsts", "pārstāvji no A, B" in a sentence that names the group.

A clause is the stretch of a sentence between semicolons and the commas that open a
subordinate clause ("..., kas ...", "..., lai ..."); a relation is read only where its
trigger, its arguments and its project are in one clause (the project of a role noun
may be the one the document is about). A doubtful reading is left out.

This module reads a document sentence by sentence (frame_claims, read_sentence, the
handler of each frame) and re-exports the public names of its parts: frame_words (the
cases, shared word sets and tests of a span), frame_view (a sentence and its clauses),
frame_triggers (the trigger table and finder), frame_lists (the names a trigger takes),
frame_projects (the projects of a document), frame_project_handlers and
frame_member_handlers (the handlers of the project and the membership frames).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...ir import Relation
from .frame_lists import list_after, list_before, parenthesis_country, skip_parenthesis
from .frame_member_handlers import _join, _members, _part, _represent
from .frame_project_handlers import _ar, _attr, _gen, _list, _passive, _verb, _with, _within
from .frame_projects import Projects, clause_projects, event_project_in_clause, project_in_clause, project_named_at
from .frame_triggers import Trigger, TriggerIndex, find_triggers, trigger_index, triggers
from .frame_view import Emit, View, _phrase, project_word
from .frame_words import ANY, FROM, GENITIVE, INSTRUMENTAL, NOMINATIVE, _in_case, _is_org, is_funder_name, is_group
from .spans import Span

if TYPE_CHECKING:
    from .state import DocState, SentenceSpans

__all__ = [
    "ANY",
    "Emit",
    "FROM",
    "GENITIVE",
    "INSTRUMENTAL",
    "NOMINATIVE",
    "Projects",
    "Trigger",
    "TriggerIndex",
    "View",
    "clause_projects",
    "event_project_in_clause",
    "find_triggers",
    "frame_claims",
    "is_funder_name",
    "is_group",
    "list_after",
    "list_before",
    "parenthesis_country",
    "project_in_clause",
    "project_named_at",
    "project_word",
    "read_sentence",
    "skip_parenthesis",
    "trigger_index",
    "triggers",
]


def read_sentence(v: View, si: int, projects: Projects, emit: Emit, found: list[tuple[Trigger, int, int]]) -> None:
    """Every relation the triggers `found` ((trigger, first token, token after)) state."""
    lead_clauses = {v.clause[a] for t, a, _ in found if t.frame == "verb" and t.relation is Relation.LEAD_PARTNER}
    said: set[tuple[str, str]] = set()  # (project, organisation) pairs a cue of the sentence joined

    def emit_said(s: Span, rel: Relation, o: Span, a: int, b: int, cue: str) -> None:
        said.add((s.key, o.key))
        emit(s, rel, o, a, b, cue)

    def emit_unsaid(s: Span, rel: Relation, o: Span, a: int, b: int, cue: str) -> None:
        if (s.key, o.key) not in said:  # the sentence's own cue says what the body does
            emit(s, rel, o, a, b, cue)

    for trig, a, b in found:
        if trig.frame != "within":
            _HANDLERS[trig.frame](v, trig, a, b, si, projects, emit_said, lead_clauses)
    for trig, a, b in found:
        if trig.frame == "within":
            _HANDLERS[trig.frame](v, trig, a, b, si, projects, emit_unsaid, lead_clauses)


_HANDLERS = {
    "verb": _verb,
    "attr": _attr,
    "gen": _gen,
    "ar": _ar,
    "with": _with,
    "list": _list,
    "members": _members,
    "represent": _represent,
    "passive": _passive,
    "join": _join,
    "part": _part,
    "within": _within,
}


def _funded_projects(v: View, si: int, projects: Projects, emit: Emit) -> None:
    """ "Eiropas Sociālā fonda projekts", "EBF projektā": a fund's project is one it pays for."""
    for i in v.project_places():
        if not v.ending.get(i) or not project_word(v, i):
            continue
        funder = v.span_ending(i, lambda s: _is_org(s) and is_funder_name(s) and _in_case(s, GENITIVE))
        if funder is None:
            continue
        for proj in project_named_at(v, i, projects, si):
            emit(proj, Relation.FUNDED_BY, funder, funder.start, i + 1, _phrase(v, funder.start, i + 1))


def frame_claims(
    state: DocState,
    emit_claim: Callable[[Span, Relation, Span, SentenceSpans, int, int, str], None],
    candidates: Callable[[SentenceSpans], list[int]],
    mentions_project: Callable[[SentenceSpans], bool],
) -> None:
    """Read every sentence of a document for the relations its triggers state.
    `emit_claim(subject span, relation, object span, sentence spans, from, to, cue)`;
    `candidates(ss)`: the tokens of a sentence a trigger may begin at."""
    projects = Projects(state)
    projects.emit_claim = emit_claim
    for si, ss in enumerate(state.sentences):
        if not ss.spans and not ss.sentence.text.rstrip().endswith(":"):
            continue  # every relation joins names of the sentence, or of the list it opens
        cands = candidates(ss)
        has_project = mentions_project(ss)
        if not cands and not has_project:
            continue
        v = View(ss)

        def emit(s: Span, rel: Relation, o: Span, a: int, b: int, cue: str, ss: SentenceSpans = ss) -> None:
            emit_claim(s, rel, o, ss, a, b, cue)

        if has_project:
            _funded_projects(v, si, projects, emit)
        found = find_triggers(v, cands) if cands else []
        if found:
            read_sentence(v, si, projects, emit, found)

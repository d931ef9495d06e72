"""The report as text tables (format_report) and as JSON (report_to_json)."""

from __future__ import annotations

from typing import Any

from .records import EvalReport, RelationRecord, Score
from .terms import CLASS_ROWS, PROPERTIES


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def _widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    return [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = _widths(headers, rows)

    def line(cells: list[str]) -> str:
        out = []
        for i, (c, w) in enumerate(zip(cells, widths, strict=True)):
            out.append(c.ljust(w) if i == 0 else c.rjust(w))
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def _score_row(name: str, s: Score) -> list[str]:
    if s.empty:
        return [name, "0", "0", "0", "n/a", "n/a", "n/a"]
    return [name, str(s.tp), str(s.fp), str(s.fn), _fmt(s.precision), _fmt(s.recall), _fmt(s.f1)]


def _list_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = _widths(headers, rows)

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def _rel_row(r: RelationRecord) -> list[str]:
    s = f"{r.s} ({r.s_label})" if r.s_label else r.s
    o = f"{r.o} ({r.o_label})" if r.o_label else r.o
    return [s, r.p, o, r.note]


def format_report(report: EvalReport, *, details: bool = True) -> str:
    """The report as plain-text tables."""
    head = ["", "tp", "fp", "fn", "P", "R", "F1"]
    parts: list[str] = [f"Evaluation against gold '{report.corpus}'"]
    parts.append(f"nodes with a contract class: {report.class_nodes}; scored (mentioned): {report.scored_nodes}")
    rows = [_score_row(c, report.classes[c]) for c in CLASS_ROWS]
    rows += [
        _score_row("main (7 classes + Organisation)", report.main),
        _score_row("Person+Event+PolicyDocument", report.other),
        _score_row("all entities", report.entities),
    ]
    parts.append("Entities\n" + _table(["class", *head[1:]], rows))
    rows = [_score_row(p, report.relations[p]) for p in PROPERTIES]
    rows.append(_score_row("all relations", report.relations_all))
    parts.append("Relations\n" + _table(["property", *head[1:]], rows))
    parts.append(
        f"derived partner triples ignored: {report.derived_partner}; acceptable relations "
        f"ignored: {len(report.accepted_relations)}; reference relations (both ends "
        f"unmentioned) ignored: {report.reference_relations}"
    )
    nom = report.nominative
    parts.append(f"Nominative share: {nom.nominative}/{nom.total} = {_fmt(nom.share)}")
    if details:
        if report.missed_entities:
            parts.append(
                f"Missed entities ({len(report.missed_entities)})\n"
                + _list_table(
                    ["gold id", "class", "name"],
                    [[m.gold_id, m.cls, m.name] for m in report.missed_entities],
                )
            )
        if report.spurious_nodes:
            parts.append(
                f"Spurious nodes ({len(report.spurious_nodes)})\n"
                + _list_table(
                    ["node", "prefLabel", "classes", "reason"],
                    [[s.node, s.label, ",".join(s.classes), s.reason] for s in report.spurious_nodes],
                )
            )
        if nom.not_nominative:
            parts.append(
                f"Not nominative ({len(nom.not_nominative)})\n"
                + _list_table(
                    ["node", "gold id", "@lv prefLabel"],
                    [[k, g, " | ".join(lv) or "(none)"] for k, g, lv in nom.not_nominative],
                )
            )
        for title, recs in (
            ("Missed relations", report.missed_relations),
            ("Spurious relations", report.spurious_relations),
        ):
            if recs:
                parts.append(
                    f"{title} ({len(recs)})\n"
                    + _list_table(["subject", "property", "object", "note"], [_rel_row(r) for r in recs])
                )
        if report.ambiguities:
            parts.append("Ambiguous labels\n" + "\n".join(report.ambiguities))
    return "\n\n".join(parts) + "\n"


def _rel_json(r: RelationRecord) -> dict[str, Any]:
    return {
        "s": r.s,
        "p": r.p,
        "o": r.o,
        "s_label": r.s_label,
        "o_label": r.o_label,
        "s_gold": r.s_gold,
        "o_gold": r.o_gold,
        "note": r.note,
        "graph_triples": [list(t) for t in r.graph_triples],
    }


def report_to_json(report: EvalReport) -> dict[str, Any]:
    """A JSON-serialisable dict of the whole report."""
    nom = report.nominative
    return {
        "corpus": report.corpus,
        "class_nodes": report.class_nodes,
        "scored_nodes": report.scored_nodes,
        "classes": {c: s.to_json() for c, s in report.classes.items()},
        "main": report.main.to_json(),
        "other": report.other.to_json(),
        "entities": report.entities.to_json(),
        "relations": {p: s.to_json() for p, s in report.relations.items()},
        "relations_all": report.relations_all.to_json(),
        "nominative": {
            "nominative": nom.nominative,
            "total": nom.total,
            "share": nom.share,
            "not_nominative": [{"node": k, "gold_id": g, "lv_prefLabels": list(lv)} for k, g, lv in nom.not_nominative],
        },
        "missed_entities": [{"gold_id": m.gold_id, "class": m.cls, "name": m.name} for m in report.missed_entities],
        "spurious_nodes": [
            {
                "node": s.node,
                "label": s.label,
                "classes": list(s.classes),
                "fp_classes": list(s.fp_classes),
                "reason": s.reason,
                "gold_id": s.gold_id,
            }
            for s in report.spurious_nodes
        ],
        "matched_relations": [_rel_json(r) for r in report.matched_relations],
        "missed_relations": [_rel_json(r) for r in report.missed_relations],
        "spurious_relations": [_rel_json(r) for r in report.spurious_relations],
        "accepted_relations": [_rel_json(r) for r in report.accepted_relations],
        "derived_partner": report.derived_partner,
        "reference_relations": report.reference_relations,
        "matches": [
            {
                "node": m.node,
                "label": m.label,
                "classes": list(m.classes),
                "mentioned": m.mentioned,
                "gold_id": m.gold_id,
                "via": m.via,
                "status": m.status,
            }
            for m in report.matches
        ],
        "ambiguities": list(report.ambiguities),
    }

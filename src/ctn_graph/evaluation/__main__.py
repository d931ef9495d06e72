"""``python -m ctn_graph.evaluation GRAPH GOLD [--json]``"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .coverage import coverage, coverage_warning
from .gold import load_gold
from .graph import load_store
from .report import format_report, report_to_json
from .scoring import evaluate_store


def main(argv: list[str] | None = None) -> int:
    """``python -m ctn_graph.evaluation GRAPH GOLD [--json]``"""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    if len(args) != 2:
        print("usage: python -m ctn_graph.evaluation GRAPH GOLD [--json]", file=sys.stderr)
        return 2
    store, gold = load_store(Path(args[0])), load_gold(Path(args[1]))
    report = evaluate_store(store, gold)
    if as_json:
        print(json.dumps(report_to_json(report), ensure_ascii=False, indent=2))
    else:
        print(format_report(report), end="")
    if (warning := coverage_warning(coverage(store, gold), args[1])) is not None:
        print(warning, file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

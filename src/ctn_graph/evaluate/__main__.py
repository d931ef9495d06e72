"""``python -m ctn_graph.evaluate GRAPH GOLD [--json]``"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .report import format_report, report_to_json
from .scoring import evaluate_graph


def main(argv: list[str] | None = None) -> int:
    """``python -m ctn_graph.evaluate GRAPH GOLD [--json]``"""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    if len(args) != 2:
        print("usage: python -m ctn_graph.evaluate GRAPH GOLD [--json]", file=sys.stderr)
        return 2
    report = evaluate_graph(Path(args[0]), Path(args[1]))
    if as_json:
        print(json.dumps(report_to_json(report), ensure_ascii=False, indent=2))
    else:
        print(format_report(report), end="")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

"""What a store says of itself (its manifest: the sha256 of each graph, and the build that
wrote it) and what the note of the last build says (`BuildRecord`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common.paths import shown

MANIFEST = "ctn-graph-graphs.json"  # in a store built by `build`: the sha256 of each graph's N-Quads


MANIFEST_FORMAT = 2
"""2 (issue 16): each relation triple once, in the default graph. A store of format 1 held
it in the graph of every document that states it, and its union counted it once per
document: it is never updated in place, always written again."""


def read_manifest(store_dir: Path) -> tuple[int, dict[str, str]] | None:
    """The graphs of a store `build` wrote ({name: sha256}, "" for the default graph), with
    the store folder's inode, or None when there is no such store, it does not say, or it
    has an older layout."""
    try:
        inode = store_dir.stat().st_ino
        data = json.loads((store_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    graphs = data.get("graphs") if isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT else None
    return (inode, graphs) if isinstance(graphs, dict) else None


@dataclass(frozen=True, slots=True)
class BuildRecord:
    """What a build wrote and read: kept in its store's manifest and in the note of the
    last build (`.ctn-graph/last-store`)."""

    built: str = ""  # when, UTC, ISO 8601 to the second ("" unknown)
    corpus: tuple[str, ...] = ()  # the documents' files and folders, absolute
    output: str | None = None  # the graph file, absolute (None: none)
    store: str | None = None  # the store, absolute (None: none)
    layout: int = MANIFEST_FORMAT  # the store's manifest format (1: each relation once per document)

    def as_json(self) -> dict[str, Any]:
        return {"built": self.built, "corpus": list(self.corpus), "output": self.output, "store": self.store}

    @classmethod
    def from_json(cls, data: Any, layout: int = MANIFEST_FORMAT) -> BuildRecord:
        if not isinstance(data, dict):
            return cls(layout=layout)
        corpus = data.get("corpus")

        def text(key: str) -> str | None:
            v = data.get(key)
            return v if isinstance(v, str) else None

        return cls(
            text("built") or "",
            tuple(c for c in corpus if isinstance(c, str)) if isinstance(corpus, list) else (),
            text("output"),
            text("store"),
            layout,
        )

    def describe(self, cwd: Path | None = None) -> str:
        """`built 2026-12-07 05:30 UTC from data/corpus/seeds`, as far as it is known."""
        words = []
        if self.built:
            words.append("built " + self.built.replace("T", " ")[:16] + " UTC")
        if self.corpus:
            names = [relative(Path(c), cwd) for c in self.corpus]
            words.append("from " + ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else ""))
        return " ".join(words)


def write_manifest(store_dir: Path, graphs: dict[str, str], record: BuildRecord | None = None) -> None:
    data: dict[str, Any] = {"format": MANIFEST_FORMAT, "graphs": graphs}
    if record is not None:
        data["build"] = record.as_json()
    (store_dir / MANIFEST).write_text(json.dumps(data), encoding="utf-8")


def store_record(store_dir: Path) -> BuildRecord | None:
    """What the manifest of a store `build` wrote says of the build (None: no manifest)."""
    try:
        data = json.loads((store_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    fmt = data.get("format")
    layout = fmt if isinstance(fmt, int) else 1
    return BuildRecord.from_json(data.get("build"), layout)


def relative(path: Path, cwd: Path | None = None) -> str:
    """A path as printed: relative to the working folder when inside it, else absolute."""
    cwd = (cwd or Path.cwd()).resolve()
    try:
        return shown(path.resolve().relative_to(cwd)) or "."
    except ValueError:
        return shown(path)

"""Where the package finds its data files: inside the installed wheel, or in the checkout."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

__version__ = "0.1.0"
"""The version of ctn-graph (pyproject.toml says the same); ctn_graph.__version__."""

_PKG = Path(__file__).resolve().parent.parent  # src/ctn_graph/common -> the package, ctn_graph
_REPO = _PKG.parent.parent  # src/ctn_graph -> repository root
PACKAGE_DIR = _PKG
"""The folder of the ctn_graph package (its modules; in a wheel, its _resources too)."""

_LOCATIONS: dict[str, tuple[str, str]] = {
    "gazetteer": ("_resources/gazetteer", "data/gazetteer"),
    "lexicon": ("_resources/lexicon", "data/lexicon"),
    "ontology": ("_resources/ontology", "ontology"),
    "queries": ("_resources/queries", "queries"),
    "corpus": ("_resources/corpus", "data/corpus"),
    "gold": ("_resources/gold", "data/gold"),
}


def resource_dir(kind: str) -> Path:
    packaged, in_repo = _LOCATIONS[kind]
    if (_PKG / packaged).is_dir():
        return _PKG / packaged
    return _REPO / in_repo


def data_path(kind: str, *parts: str) -> Path:
    return resource_dir(kind).joinpath(*parts)


def hash_files(h: Any, files: Iterable[Path], root: Path | None = None) -> None:
    """Feed files to a hashlib hash in sorted order, each as its name (its path below
    `root`, if given) and its bytes; folders are skipped. What the extraction cache and a
    build's state are keyed by."""
    for f in sorted(files):
        if f.is_file():
            h.update((str(f.relative_to(root)) if root is not None else f.name).encode())
            h.update(f.read_bytes())

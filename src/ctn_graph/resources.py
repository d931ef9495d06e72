"""Where the package finds its data files: inside the installed wheel, or in the checkout."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent
_REPO = _PKG.parent.parent  # src/ctn_graph -> repository root

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

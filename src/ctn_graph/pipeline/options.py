"""What a build is asked to do (`BuildOptions`) and what it tells back (`BuildSummary`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class BuildOptions:
    actors: bool = True  # use the gazetteer of known actors (countries are always used)
    default_country: str = "LV"
    strict: bool = False  # stop at the first bad document instead of skipping it
    max_bytes: int = 20 * 1024 * 1024  # larger files are reported and skipped
    jobs: int = 1  # worker processes for extraction (0: one per core, `cores()`; the CLI's default)
    cache_dir: Path | None = None  # where extractions are cached between builds (None: no cache)
    include: tuple[str, ...] = ()  # glob patterns: of a folder's files, only those matching one are read


@dataclass(slots=True)
class BuildSummary:
    output: Path | None
    documents: int
    skipped: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step of the build
    store_graphs_written: int = 0  # graphs written to the store (fewer than all: updated in place)
    # a rebuild (rebuild.py): documents added, changed or removed since the last build,
    # and the document graphs made again (None: a build from nothing, every graph made)
    documents_changed: int = 0
    graphs_remade: int | None = None


Progress = Callable[[int, int], None]  # (documents done, documents in all)

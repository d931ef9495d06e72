"""The N-Quads part files a build writes its graphs into, of a bounded size each, from
which the store is bulk-loaded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO


class NQuadsParts:
    """The dataset as N-Quads files of about `per_part` quads each, written graph by graph
    (`begin`, `write`; GraphFile does it): `build` bulk-loads its store from them
    one at a time (the loader's memory grows with what it is given at once). For each
    graph it keeps where its N-Quads are in the files, so that a build can load only the
    graphs that differ from the store's (`build`, store.py). `close` before reading.

    `on_part`, if given, is called with each part once it is complete (the last one at
    `close`): `build` loads it into the store while the next ones are written."""

    def __init__(self, folder: Path, per_part: int, on_part: Callable[[Path], None] | None = None):
        self.folder, self.per_part, self.on_part = folder, per_part, on_part
        self.paths: list[Path] = []
        self.count = 0  # quads written
        self.graphs: dict[str, list[tuple[int, int, int]]] = {}  # graph ("" default) -> [(part, start, end)]
        self._out: IO[bytes] | None = None
        self._in_part = 0
        self._offset = 0
        self._ranges: list[tuple[int, int, int]] = []

    def begin(self, name: str) -> None:
        self._ranges = self.graphs[name] = []

    def write(self, data: bytes, quads: int) -> None:
        """Write a graph's next N-Quads, starting a new part when the current one is full."""
        if self._out is None or self._in_part >= self.per_part:
            self.close()
            self.paths.append(self.folder / f"graph-{len(self.paths):05d}.nq")
            self._out = self.paths[-1].open("wb")
            self._in_part = self._offset = 0
        self._out.write(data)
        part, start, end = len(self.paths) - 1, self._offset, self._offset + len(data)
        ranges = self._ranges
        if ranges and ranges[-1][0] == part and ranges[-1][2] == start:
            ranges[-1] = (part, ranges[-1][1], end)
        else:
            ranges.append((part, start, end))
        self._offset = end
        self._in_part += quads
        self.count += quads

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
            if self.on_part is not None:
                self.on_part(self.paths[-1])

    def read(self, name: str) -> Iterator[bytes]:
        """The N-Quads of one graph, as written."""
        for part, start, end in self.graphs[name]:
            with self.paths[part].open("rb") as f:
                f.seek(start)
                yield f.read(end - start)

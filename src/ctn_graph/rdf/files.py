"""The graph file formats (`GraphFormat`, by extension) and how every file is written:
whole or not at all (`atomic_output`)."""

from __future__ import annotations

import enum
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox


class GraphFormat(str, enum.Enum):
    TURTLE = "ttl"
    TRIG = "trig"
    NTRIPLES = "nt"
    NQUADS = "nq"
    JSONLD = "jsonld"
    RDFXML = "rdf"

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return {
            GraphFormat.TURTLE: ox.RdfFormat.TURTLE,
            GraphFormat.TRIG: ox.RdfFormat.TRIG,
            GraphFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
            GraphFormat.NQUADS: ox.RdfFormat.N_QUADS,
            GraphFormat.JSONLD: ox.RdfFormat.JSON_LD,
            GraphFormat.RDFXML: ox.RdfFormat.RDF_XML,
        }[self]

    @property
    def has_datasets(self) -> bool:
        return self in (GraphFormat.TRIG, GraphFormat.NQUADS, GraphFormat.JSONLD)

    @classmethod
    def from_path(cls, path: Path) -> GraphFormat:
        ext = path.suffix.lower().lstrip(".")
        aliases = {"turtle": "ttl", "json": "jsonld", "xml": "rdf", "owl": "rdf", "ntriples": "nt"}
        ext = aliases.get(ext, ext)
        try:
            return cls(ext)
        except ValueError:
            known = ", ".join("." + f.value for f in cls)
            raise ValueError(f"{path}: unknown graph format {path.suffix!r} (use one of {known})") from None


@contextmanager
def atomic_output(path: Path, mode: str = "wb") -> Iterator[IO]:
    """A file object whose content replaces `path` only if the block finishes. A device
    or a pipe (/dev/stdout, /dev/null) cannot be replaced: it is written to as it is.
    The temporary file is named with this process's pid; those of killed runs are
    removed first (leftovers.py)."""
    from ..common.leftovers import remove_stale, temp_prefix

    if _device_or_pipe(path):
        with open(path, mode) as f:
            yield f
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(path)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
    except OSError as e:  # named as the output, not as the temporary file
        raise OSError(e.errno, f"cannot write ({e.strerror or e})", str(path)) from None
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())  # as an ordinary file would be, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _device_or_pipe(path: Path) -> bool:
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask

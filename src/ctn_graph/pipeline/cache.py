"""The extraction cache: each document's record, kept between builds under a key of its
bytes and of the extractor's code and data."""

from __future__ import annotations

import os
from pathlib import Path

from ..common.resources import PACKAGE_DIR, data_path, hash_files
from .options import BuildOptions


def _code_fingerprint() -> bytes:
    """The source of the modules an extraction depends on: a changed extractor never
    reuses the extractions of an older one."""
    import hashlib

    root = Path(__file__).parent  # ctn_graph/pipeline
    h = hashlib.sha256()
    files = [*root.glob("extract/*.py"), *root.glob("lv/*.py"), root / "ingest.py", root / "dates.py", root / "text.py"]
    files += [PACKAGE_DIR / "ir.py", root / "formats.py", root / "htmltext.py"]  # how a file's bytes become text
    files.append(PACKAGE_DIR / "common" / "chars.py")
    hash_files(h, files)
    return h.digest()


class RecordCache:
    """Document records on disk, pickled, one file per document, keyed by the document's
    id and the sha256 of its bytes and by a fingerprint of the extractor (its code and
    data files), so a rebuild extracts again only the documents that changed. Worker
    processes read and write it at the same time (each entry is written under a
    temporary name and renamed)."""

    def __init__(self, folder: Path, options: BuildOptions):
        import hashlib

        from ..common.paths import MARKER, mark
        from ..common.resources import __version__

        h = hashlib.sha256(f"{__version__}|{options.actors}|{options.default_country}|{options.max_bytes}".encode())
        h.update(_code_fingerprint())
        for kind in ("gazetteer", "lexicon"):
            hash_files(h, data_path(kind).glob("*.*"))
        self.folder = folder / h.hexdigest()[:16]
        self.folder.mkdir(parents=True, exist_ok=True)
        if not (folder / MARKER).exists():
            mark(folder)  # never read as documents

    @staticmethod
    def key(raw: bytes, path: Path, doc_id: str) -> str:
        """The cache key of a file's bytes."""
        import hashlib

        return hashlib.sha256(f"{doc_id}|{path.suffix.lower()}|".encode("utf-8", "surrogateescape") + raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> bytes | None:
        """The pickled record under `key`; None when there is none, or it is damaged."""
        import hashlib

        try:
            entry = self._path(key).read_bytes()
        except OSError:
            return None
        data, digest = entry[:-32], entry[-32:]
        return data if len(entry) > 32 and hashlib.sha256(data).digest() == digest else None

    def put(self, key: str, data: bytes) -> None:
        """Keep a pickled record, followed by its sha256, by which `get` knows it whole."""
        import hashlib
        import tempfile

        p = self._path(key)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.write(hashlib.sha256(data).digest())
        os.replace(tmp, p)

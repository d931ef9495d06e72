"""The embedded store: a pyoxigraph (RocksDB) directory written by `build` and opened,
not rebuilt, by `query`, `serve` and `push`.

A build writes the store to a fresh directory and swaps it into place only when it is
complete, so an interrupted build leaves the previous store as it was. What the last
build from a working folder wrote (its store, its graph file, the corpus it read, when)
is kept in `.ctn-graph/last-store` there, so `ctn-graph query NAME` needs no `--graph`:
it looks for that note in the working folder and the folders above it (as git looks
for `.git`), and says on stderr which store answers and what it was built from
(`default_graph`). The store itself records when and from what it was built (its
manifest), so a store that another build replaced is described as it is now.
"""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common.paths import os_error_text, shown, why_missing
from .export import GraphPiece
from .files import GraphFormat, current_umask
from .manifest import MANIFEST_FORMAT, BuildRecord, relative, store_record
from .parts import NQuadsParts

STATE_DIR = Path(".ctn-graph")


class StoreError(Exception):
    """A store or graph file that cannot be opened; the message names it."""


def default_store_path(output: Path) -> Path:
    """Where `build -o build/graph.ttl` puts its store: build/graph.store/."""
    return output.with_suffix(".store")


_HELD: dict[str, int] = {}


@contextmanager
def output_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on the folder that holds `path` (flock on the folder itself: no
    lock file), re-entrant within a process."""
    import fcntl

    folder = Path(path).resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    key = str(folder)
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _HELD[key] = 1
        try:
            yield
        finally:
            _HELD[key] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def replacing_dir(path: Path) -> Iterator[Path]:
    """A new, empty folder next to `path` that replaces `path` (under its lock) only if the
    block finishes; otherwise it is removed and `path` is left as it was."""
    from ..common.leftovers import remove_stale, temp_prefix
    from ..common.paths import mark

    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path)  # the folders of killed runs (named with their pid)
    tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(path.name), dir=path.parent))
    try:
        _ordinary_folder(tmp)
        mark(tmp)  # never read as documents, and known as ours when left behind
        yield tmp
        old = None
        with output_lock(path):
            if path.exists():
                old = path.with_name(f"{temp_prefix(path.name)}old-{os.urandom(4).hex()}")
                os.replace(path, old)
            os.replace(tmp, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _ordinary_folder(path: Path) -> None:
    """Give a folder the permissions a plain mkdir would (not mkdtemp's or RocksDB's)."""
    os.chmod(path, 0o777 & ~current_umask())


IN_PLACE_SHARE = 0.2  # a build loads only the changed graphs while they are at most this share of the quads


@dataclass(frozen=True, slots=True)
class StoreUpdate:
    inode: int  # of the store folder whose graphs were compared
    changed: list[str]  # graphs to load again
    removed: list[str]  # graphs to remove


def changed_graphs(
    pieces: dict[str, GraphPiece], manifest: tuple[int, dict[str, str]] | None, *, in_place: bool = False
) -> StoreUpdate | None:
    """What differs between the graphs of a build (every graph, with the sha256 of its
    N-Quads) and those of the store it replaces (read_manifest), or None when the store
    is better written whole: none before, or too much changed (unless `in_place`)."""
    if manifest is None:
        return None
    inode, previous = manifest
    changed = [g for g, p in pieces.items() if previous.get(g) != p.sha256]
    removed = [g for g in previous if g not in pieces]
    size = sum(p.nquads_bytes for p in pieces.values())
    moved = sum(pieces[g].nquads_bytes for g in changed)
    return StoreUpdate(inode, changed, removed) if in_place or moved <= IN_PLACE_SHARE * size else None


def update_store_copy(old: Path, new: Path, parts: NQuadsParts, update: StoreUpdate) -> bool:
    """Make `new` (an empty folder) the store `old` with the changed graphs loaded again
    from `parts` and the removed ones gone: a checkpoint of `old` (RocksDB hard-links its
    files, so this costs little), then only what differs is written. `old` is opened
    read-only and left as it was. False (and `new` empty again) when `old` is no longer
    the store that was compared: another build replaced it meanwhile."""
    import pyoxigraph as ox

    from ..common.paths import MARKER, mark

    (new / MARKER).unlink(missing_ok=True)
    new.rmdir()
    ox.Store.read_only(str(old)).backup(str(new))
    _ordinary_folder(new)
    mark(new)
    if old.stat().st_ino != update.inode:
        shutil.rmtree(new)
        new.mkdir()
        mark(new)
        return False
    store = ox.Store(str(new))
    changed = update.changed
    for g in [*update.removed, *changed]:
        if g:
            store.remove_graph(ox.NamedNode(g))
        else:
            store.clear_graph(ox.DefaultGraph())
    for g in changed:
        for data in parts.read(g):
            store.bulk_load(data, ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()
    del store
    return True


class StoreLoader:
    """Fills a new store in `folder` from N-Quads parts (`NQuadsParts`) in a thread of its
    own, each part as soon as it is given (`submit`) and deleted once loaded, so that the
    loading overlaps the writing of the next parts: pyoxigraph's bulk loader releases the
    GIL. `finish` waits for the last part, then compacts the store; leaving the block
    without it stops the thread after the part it is loading.

    The parts are pyoxigraph's own serialisation of terms it has checked, so they are
    loaded without checking them again (`lenient`, about 10% faster)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._parts: queue.SimpleQueue[Path | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="ctn-graph store loader", daemon=True)

    def __enter__(self) -> StoreLoader:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread.is_alive():
            self._stop.set()
            self._parts.put(None)
            self._thread.join()

    def submit(self, part: Path) -> None:
        self._raise()
        self._parts.put(part)

    def finish(self) -> None:
        self._parts.put(None)
        self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _load(self) -> None:
        import pyoxigraph as ox

        try:
            store = ox.Store(str(self.folder))
            while (part := self._parts.get()) is not None and not self._stop.is_set():
                store.bulk_load(path=str(part), format=ox.RdfFormat.N_QUADS, lenient=True)
                part.unlink()
            if not self._stop.is_set():
                store.flush()
                store.optimize()
            del store  # closed before the folder is moved into place
        except BaseException as e:  # raised again in the building thread
            self._error = e


def write_store_dir(source: Any, path: Path) -> None:
    """Copy every quad of `source` (a pyoxigraph Store) into a new on-disk store at `path`,
    replacing an older one only once the new one is complete."""
    import pyoxigraph as ox

    with replacing_dir(path) as tmp:
        disk = ox.Store(str(tmp))
        disk.bulk_extend(source)
        disk.flush()
        disk.optimize()
        del disk


NOTE = "last-store"  # in STATE_DIR: the note of the last build


def remember_build(record: BuildRecord, state_dir: Path = STATE_DIR) -> None:
    """Keep the note of the last build (written whole: a reader never sees half of it)."""
    from .export import atomic_output

    state_dir.mkdir(exist_ok=True)
    with atomic_output(state_dir / NOTE) as f:
        f.write(json.dumps({"format": 2, **record.as_json()}).encode("utf-8"))


def remember_store(path: Path, state_dir: Path = STATE_DIR) -> None:
    """The note of a build known only by its store."""
    remember_build(BuildRecord(store=str(path.resolve())), state_dir)


@dataclass(frozen=True, slots=True)
class LastBuild:
    folder: Path  # the folder whose STATE_DIR holds the note
    record: BuildRecord


def find_last_build(start: Path | None = None, state_dir: Path = STATE_DIR) -> LastBuild | None:
    """The note of the last build in `start` (the working folder) or the nearest folder
    above it that has one; None when there is none."""
    if state_dir.is_absolute():
        candidates = [state_dir]
    else:
        here = (start or Path.cwd()).resolve()
        candidates = [folder / state_dir for folder in (here, *here.parents)]
    for d in candidates:
        try:
            data = json.loads((d / NOTE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            return LastBuild(d.parent, BuildRecord())  # unreadable: found, but says nothing
        return LastBuild(d.parent, BuildRecord.from_json(data))
    return None


def last_store(state_dir: Path = STATE_DIR) -> Path | None:
    """The store of the last build (find_last_build), None when it wrote none."""
    found = find_last_build(state_dir=state_dir)
    if found is None or found.record.store is None:
        return None
    return Path(found.record.store)


def describe_graph(path: Path, record: BuildRecord | None = None, cwd: Path | None = None) -> str:
    """`build/graph.store (built 2026-12-07 05:30 UTC from data/corpus/seeds)`: a store as
    its own manifest describes it (else as `record` does), a graph file as `record` does."""
    if path.is_dir():
        own = store_record(path)
        if own is not None and (own.built or own.corpus or record is None):
            record = own
        elif own is not None and record is not None:
            record = dataclasses.replace(record, layout=own.layout)
    about = record.describe(cwd) if record is not None else ""
    old = record is not None and record.layout < MANIFEST_FORMAT
    if old:
        about += ("; " if about else "") + (
            "built by an older ctn-graph, whose store repeats a relation once per document stating it: build again"
        )
    return relative(path, cwd) + (f" ({about})" if about else "")


def default_graph(cwd: Path | None = None, state_dir: Path = STATE_DIR) -> tuple[Path, str]:
    """The graph a command given no `--graph` reads, and the line that says so: the store
    of the last build (the note in the working folder or the nearest one above it), or its
    graph file when it wrote no store. StoreError when there is none, or it is gone."""
    here = (cwd or Path.cwd()).resolve()
    found = find_last_build(here, state_dir)
    if found is None:
        raise StoreError(
            f"no graph given and no build found in {shown(here)} or the folders above it: "
            "run `ctn-graph build` or pass --graph"
        )
    rec = found.record
    where = "" if found.folder == here else f"the last build in {shown(found.folder)}: "
    about = rec.describe(here) or "noted in " + relative(found.folder / state_dir / NOTE, here)
    if rec.store is not None:
        path = Path(rec.store)
        if not path.is_dir():
            raise StoreError(
                f"{relative(path, here)}: the store of the last build ({about}) is gone: build again or pass --graph"
            )
        return path, f"answering from {where}{describe_graph(path, rec, here)}"
    if rec.output is not None and Path(rec.output).is_file():
        path = Path(rec.output)
        return path, f"answering from {where}{describe_graph(path, rec, here)}, a graph file: that build wrote no store"
    raise StoreError(f"the last build ({about}) wrote no store and no graph file this can read: pass --graph")


_OPEN_STORES: dict[Path, tuple[tuple[int, int, int], Any]] = {}
OPEN_STORES_KEPT = 4


def _read_only_store(path: Path) -> Any:
    """A store directory opened read-only, kept open for the next call in this process.

    Opening costs about 10 ms, and a fresh handle starts with cold caches: a notebook or
    a server running many queries pays that once. The handle is reused while the
    directory is the same one, unchanged (same inode and mtime: a build swaps in a new
    directory, and RocksDB adds files on every write), and only in the process that
    opened it (not in a forked child)."""
    import pyoxigraph as ox

    key = path.resolve()
    st = key.stat()
    ident = (os.getpid(), st.st_ino, st.st_mtime_ns)
    kept = _OPEN_STORES.pop(key, None)
    if kept is not None and kept[0] == ident:
        _OPEN_STORES[key] = kept  # the most recently used last
        return kept[1]
    store = ox.Store.read_only(str(key))
    _OPEN_STORES[key] = (ident, store)
    while len(_OPEN_STORES) > OPEN_STORES_KEPT:
        del _OPEN_STORES[next(iter(_OPEN_STORES))]
    return store


def open_graph(path: Path | None) -> Any:
    """A pyoxigraph Store for a store directory (opened read-only) or a graph file in any
    RDF format (parsed into memory). With no path: the store of the last build."""
    import pyoxigraph as ox

    if path is None:
        path, _ = default_graph()
    if path.is_dir():
        try:
            return _read_only_store(path)
        except OSError as e:
            raise StoreError(f"{shown(path)}: cannot open the store ({' '.join(str(e).split())})") from None
        except RuntimeError as e:  # pyoxigraph's word for a damaged store
            raise damaged(path, e) from None
    if not path.is_file():
        why = why_missing(path)
        raise StoreError(
            f"{shown(path)}: {'no such graph file or store directory' if why.startswith('no such') else why}"
        )
    try:
        fmt = GraphFormat.from_path(path)
    except ValueError as e:
        raise StoreError(str(e)) from None
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt.rdf_format)
    except SyntaxError as e:
        from .syntax import graph_syntax_error

        raise StoreError(graph_syntax_error(path, e)) from None
    except OSError as e:
        raise StoreError(os_error_text(e, path)) from None
    if fmt is GraphFormat.RDFXML:
        from .syntax import xml_well_formedness

        if problem := xml_well_formedness(path):
            raise StoreError(problem)
    return store


def damaged(path: Path | None, error: BaseException) -> StoreError:
    """The error for a store that opens but cannot be read (pyoxigraph raises RuntimeError)."""
    where = path if path is not None else last_store()
    words = " ".join(str(error).split())
    return StoreError(
        f"{shown(where or 'the store')}: the store is damaged and cannot be read ({words}); build it again"
    )


@contextmanager
def reading(path: Path | None) -> Iterator[None]:
    """Read a store (`path`; None: the last build's) in the block: a damaged one
    (pyoxigraph's RuntimeError, which may come at any read) is a StoreError naming it."""
    try:
        yield
    except RuntimeError as e:
        if path is not None and not path.is_dir():  # a graph file, read into memory
            raise StoreError(f"{shown(path)}: cannot be read ({' '.join(str(e).split())})") from None
        raise damaged(path, e) from None

"""Where commands write, checked against what they read (issue 14).

Every command that writes names its outputs (`Output`) and what it reads; `check_outputs`
refuses, before anything is written, an output that is or holds an input or another
output, that lies inside a folder ctn-graph wrote (a store, a rebuild state), or that
would replace something that is not the kind of output it is (a file where a store goes,
a folder of other files). Paths are compared by what they are on disk, not as typed:
symbolic links and `..` are resolved, a path that exists is known by its device and
inode (so a case-insensitive file system or a bind mount cannot hide it), and the part
of a path that does not exist yet is compared without case.

The folders a build makes (stores, rebuild state, work folders, the extraction cache)
hold a marker file, `MARKER`; the walk of a corpus (ingest.iter_paths) passes over
every folder that holds it, or a store's manifest, so outputs written inside an input
folder are never read back as documents.

`shown` gives a path as it can be printed and stored: a file name that is not UTF-8
keeps every byte, the bytes that are not UTF-8 written %XX (and `%` itself %25 in such a
name only).

>>> shown("docs/a.txt"), shown(os.fsdecode(b"docs/\\xff%.txt"))
('docs/a.txt', 'docs/%FF%25.txt')
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MARKER = ".ctn-graph-output"
"""The file in every folder a build makes: the walk of a corpus never enters one."""
STORE_MANIFEST = "ctn-graph-graphs.json"  # store.MANIFEST, in every store a build wrote (kept here: no import cycle)
_ROCKSDB = "CURRENT"  # in every Oxigraph (RocksDB) store, also those not written by `build`


class OutputError(ValueError):
    """An output that would replace an input or another output; the message says which."""


def shown(path: os.PathLike[str] | str) -> str:
    """The path as text that can be printed and stored in a graph (see the module's doc)."""
    s = os.fspath(path)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        pass
    try:
        text = os.fsencode(s).decode("utf-8", "surrogateescape")
    except UnicodeError:  # surrogates that are no file-system bytes
        return s.encode("utf-8", "backslashreplace").decode("ascii")
    return "".join(f"%{ord(c) - 0xDC00:02X}" if 0xDC80 <= ord(c) <= 0xDCFF else "%25" if c == "%" else c for c in text)


def mark(folder: Path) -> None:
    """Mark a folder as one ctn-graph wrote (see the module's doc)."""
    (folder / MARKER).write_text("written by ctn-graph: not documents\n", encoding="utf-8")


def is_output_folder(folder: str | os.PathLike[str]) -> bool:
    """Whether a folder is one ctn-graph wrote: it holds the marker, or a store's manifest."""
    return os.path.isfile(os.path.join(folder, MARKER)) or os.path.isfile(os.path.join(folder, STORE_MANIFEST))


def is_store_folder(folder: Path) -> bool:
    """A folder ctn-graph wrote, or any Oxigraph store."""
    return is_output_folder(folder) or (folder / _ROCKSDB).is_file()


def why_missing(path: os.PathLike[str] | str) -> str:
    """What is wrong with a path that cannot be opened: a link that loops or points
    nowhere is told as such, not as a missing file."""
    p = os.fspath(path)
    try:
        os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a symbolic link that loops (too many levels of symbolic links)"
        if e.errno == errno.ENOENT and os.path.islink(p):
            return f"a symbolic link to {shown(os.readlink(p))}, which does not exist"
        if e.errno == errno.ENOENT:
            return "no such file or folder"
        return f"cannot open ({e.strerror or e})"
    return "cannot open"


def os_error_text(error: OSError, path: os.PathLike[str] | str | None = None) -> str:
    """`path: what went wrong`, for an OSError: its own file name, else `path`, always
    one (`No space left on device` alone does not say where)."""
    name: object = error.filename if error.filename is not None else path
    words = error.strerror or " ".join(str(error).split())
    if error.filename2 is not None:
        return f"{_name(name)} -> {_name(error.filename2)}: {words}"
    return f"{_name(name)}: {words}" if name is not None else words


def _name(name: object) -> str:
    return shown(os.fsdecode(name)) if isinstance(name, (str, bytes, os.PathLike)) else str(name)


# --------------------------------------------------------------------------- identity of paths

Key = tuple[int, int, tuple[str, ...]]  # (device, inode) of the nearest existing folder, the rest without case


def _key(path: str) -> Key:
    """A path's identity (see the module's doc); `path` is resolved already."""
    tail: list[str] = []
    cur = path
    while True:
        try:
            st = os.stat(cur)
            return st.st_dev, st.st_ino, tuple(reversed(tail))
        except OSError:
            parent, name = os.path.split(cur)
            if parent == cur or not name:
                return 0, 0, (path.casefold(),)
            tail.append(name.casefold())
            cur = parent


class _Keys:
    """Identities of paths and of their folders up to the root, each computed once."""

    def __init__(self) -> None:
        self._memo: dict[str, Key] = {}

    def of(self, real: str) -> Key:
        k = self._memo.get(real)
        if k is None:
            k = self._memo[real] = _key(real)
        return k

    def up(self, real: str) -> list[Key]:
        """The identities of `real` and of every folder above it, nearest first."""
        out = [self.of(real)]
        while True:
            parent = os.path.dirname(real)
            if parent == real:
                return out
            real = parent
            out.append(self.of(real))


def _real(path: Path) -> str:
    return os.path.realpath(os.path.abspath(path))


def _in_real_folder(path: Path, folders: dict[str, str]) -> str:
    """The path with its folder resolved (once per folder: a corpus has many files per folder)."""
    a = os.path.abspath(path)
    parent, name = os.path.split(a)
    real = folders.get(parent)
    if real is None:
        real = folders[parent] = os.path.realpath(parent)
    return os.path.join(real, name)


def _as_named(path: Path) -> str:
    """The path with its folder resolved and its last part kept: what a rename onto a
    symbolic link replaces (the link itself)."""
    a = os.path.abspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(a)), os.path.basename(a))


# --------------------------------------------------------------------------- the check


FILE, STORE, ANY = "file", "store", "any"  # what an Output may replace


@dataclass(frozen=True, slots=True)
class Output:
    """Something a command writes: `noun` says what ("store"), `flag` how the user named
    it ("--store"; "" when it follows from another output), and what it may replace:
    `FILE` (a file, never a folder), `STORE` (a folder: only a store or an empty one) or
    `ANY` (a folder of its own, whatever is there: a build's state, the cache)."""

    path: Path
    noun: str
    flag: str = ""
    replaces: str = "file"

    @property
    def label(self) -> str:
        return f"{self.flag} {shown(self.path)}" if self.flag else shown(self.path)


@dataclass(frozen=True, slots=True)
class Input:
    """Something a command reads, and how a message calls it."""

    path: Path
    what: str = "an input of this build"


def check_outputs(outputs: Sequence[Output], inputs: Sequence[Input], documents: Iterable[Path] = ()) -> None:
    """Refuse (OutputError) an output that is or holds an input, a document found in an
    input folder, or another output; that lies inside a folder ctn-graph wrote; or that
    would replace what is not its kind. An output inside an input folder is allowed."""
    keys = _Keys()
    own = [(o, {keys.of(_real(o.path)), keys.of(_as_named(o.path))}) for o in outputs]
    held: dict[Key, str] = {}  # identity of each folder that holds a document -> one such document
    names: dict[str, list[Path]] = {}  # documents by name without case (an output that is one)
    folders: dict[str, str] = {}
    for d in documents:
        real = _real(d) if os.path.islink(d) else _in_real_folder(d, folders)
        names.setdefault(os.path.basename(real).casefold(), []).append(d)
        for k in keys.up(os.path.dirname(real)):
            if k in held:
                break
            held[k] = shown(d)
    for o, mine in own:
        refuse = functools.partial(_refusal, o)
        for i in inputs:
            up = keys.up(_real(i.path))
            if up[0] in mine:
                raise refuse(f"is {i.what}", shown(i.path))
            if mine & set(up[1:]):
                raise refuse(f"folder holds {i.what}", shown(i.path))
        for k in mine:
            if k in held:
                raise refuse("folder holds a document of this build", held[k])
        if os.path.isfile(o.path):
            ident = keys.of(_real(o.path))
            for d in names.get(os.path.basename(_real(o.path)).casefold(), ()):
                if keys.of(_real(d)) == ident:
                    raise refuse("is a document of this build", shown(d))
        for other, theirs in own:
            if other is o:
                continue
            if mine & theirs:
                raise refuse(f"is the {other.noun} too", other.label)
            if mine & set(keys.up(_real(other.path))[1:]):
                raise refuse(f"folder holds the {other.noun}", other.label)
        _check_place(o)


def _refusal(o: Output, what: str, other: str) -> OutputError:
    return OutputError(
        f"{o.label}: that {what} ({other}), which the {o.noun} would replace; write the {o.noun} elsewhere"
    )


def _check_place(o: Output) -> None:
    """An output inside a folder ctn-graph wrote, or where something not of its kind is."""
    real = Path(_real(o.path))
    for folder in real.parents:
        if is_output_folder(folder):
            raise OutputError(
                f"{o.label}: that is inside {shown(folder)}, a folder ctn-graph wrote (a store or a build's "
                f"state); write the {o.noun} elsewhere"
            )
    if o.replaces == ANY:
        return
    if o.replaces == STORE:
        if real.exists() and not real.is_dir():
            raise OutputError(f"{o.label}: that is a file, which the {o.noun} (a folder) would replace; "
                              f"write the {o.noun} elsewhere")  # fmt: skip
        if real.is_dir() and not is_store_folder(real) and any(real.iterdir()):
            raise OutputError(
                f"{o.label}: that folder holds other files and no store, which the {o.noun} would replace; "
                f"write the {o.noun} elsewhere"
            )
    elif real.is_dir():
        raise OutputError(f"{o.label}: that is a folder, which the {o.noun} would replace; write it elsewhere")


def build_outputs(
    output: Path | None, store: Path | None, state: Path | None, cache: Path | None, last_store: Path | None
) -> list[Output]:
    """What `build` writes (pipeline/build.py): the graph file, the store, the rebuild state, the
    extraction cache and the note of the last store."""
    outs = []
    if output is not None:
        outs.append(Output(output, "graph file", "-o"))
    if store is not None:
        outs.append(Output(store, "store", "--store", STORE))
    if state is not None:
        outs.append(Output(state, "rebuild state", replaces=ANY))
    if cache is not None:
        outs.append(Output(cache, "extraction cache", replaces=ANY))
    if last_store is not None:
        outs.append(Output(last_store, "note of the last store"))
    return outs


def walk_skip(outputs: Sequence[Output]) -> Callable[[str], bool]:
    """For ingest.iter_paths: a folder is passed over when ctn-graph wrote it, or when it
    is one of `outputs` (by identity, however it is reached) and a store already. (An
    output folder that holds documents is walked: check_outputs then refuses it.)"""
    idents = set()
    for o in outputs:
        try:
            st = os.stat(o.path)
        except OSError:
            continue
        idents.add((st.st_dev, st.st_ino))

    def skip(folder: str) -> bool:
        if is_output_folder(folder):
            return True
        if not idents:
            return False
        try:
            st = os.stat(folder)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) in idents and os.path.isfile(os.path.join(folder, _ROCKSDB))

    return skip


@contextmanager
def naming(path: Path | None) -> Iterator[None]:
    """An OSError raised in the block that names no file names `path`: `No space left on
    device` alone does not say which disk."""
    try:
        yield
    except OSError as e:
        if e.filename is not None or path is None:
            raise
        raise OSError(e.errno, e.strerror or " ".join(str(e).split()), os.fspath(path)) from e

"""What killed runs leave behind, and its removal by a later run.

Every temporary file or folder a command writes next to an output is named after that
output and the pid of the process writing it (`temp_prefix`): `.graph.ttl.pid1234-x1y2.tmp`
for the graph file, `.graph.store.pid1234-x1y2` for a store being built,
`.graph.store.pid1234-old` for the store it replaces, and so on. Before writing an
output, a command removes the leftovers of that output whose process no longer runs
(`remove_stale`); those of a process still running are never touched, and a leftover
folder is removed only when it holds ctn-graph's marker (paths.MARKER) or nothing.
Leftovers from before pids were recorded (`.graph.store.x1y2`) cannot be told from a
running build's and are left alone.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import tempfile
from pathlib import Path

from .children import alive
from .paths import is_output_folder

WORK_PREFIX = ".ctn-graph-build-"  # a build's work folder next to its output: .ctn-graph-build-PID-xxxx
QUERY_PREFIX = "ctn-query-"  # a query's folder in the system's temporary folder: ctn-query-PID-xxxx


def temp_prefix(name: str) -> str:
    """The start of the name of a temporary file or folder for the output called `name`."""
    return f".{name}.pid{os.getpid()}-"


def remove_stale(path: Path) -> list[Path]:
    """Remove the leftovers of killed runs writing `path` (see the module's doc); the paths removed."""
    folder = path.parent
    pattern = re.compile(rf"\.{re.escape(path.name)}\.pid(\d+)-")
    try:
        names = [n for n in os.listdir(folder) if n.startswith(f".{path.name}.pid")]
    except OSError:
        return []
    removed = []
    for n in names:
        m = pattern.match(n)
        if m and _remove_if_dead(folder / n, int(m.group(1))):
            removed.append(folder / n)
    return removed


def remove_stale_prefixed(folder: Path, prefix: str) -> list[Path]:
    """Remove the folders `PREFIX-PID-...` in `folder` whose process no longer runs."""
    removed = []
    for d in glob.glob(os.path.join(glob.escape(str(folder)), glob.escape(prefix) + "*-*")):
        try:
            pid = int(os.path.basename(d)[len(prefix) :].split("-")[0])
        except ValueError:
            continue
        if _remove_if_dead(Path(d), pid, marked_only=False):
            removed.append(Path(d))
    return removed


def remove_stale_queries() -> list[Path]:
    """Remove the query folders of killed `query --timeout` runs in the temporary folder."""
    return remove_stale_prefixed(Path(tempfile.gettempdir()), QUERY_PREFIX)


def _remove_if_dead(path: Path, pid: int, *, marked_only: bool = True) -> bool:
    if alive(pid):
        return False
    try:
        if path.is_symlink() or not path.is_dir():
            path.unlink()
            return True
        if marked_only and not is_output_folder(path) and any(path.iterdir()):
            return False  # not a folder ctn-graph wrote: left alone
        shutil.rmtree(path)
        return True
    except OSError:
        return False

"""The worker processes of an extraction: how many, when they pay, what is loaded before
they fork, and the pool (what each worker does: extraction.py)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..common.children import die_with_parent


def cores() -> int:
    """The CPU cores this process may run on (its affinity mask, as `taskset` or a
    container's cpuset set it; else all the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def worker_count(jobs: int) -> int:
    """The worker processes `jobs` asks for: 0 means one per core."""
    return jobs if jobs > 0 else cores()


PARALLEL_BYTES = 128 * 1024
"""Below this many bytes of input, files are extracted in the build's own process whatever
the jobs: on 128 kB (about 0.1 s of extraction) a second core saves less than the pool
costs (its start, 30-40 ms, and each worker's word caches filled again from nothing)."""


def warm_for_fork() -> None:
    """Load, before the workers fork, what an extraction otherwise loads at its first
    word: the lemmatiser's Latvian dictionary (about 0.2 s, and some MB that each worker
    would read again and keep a copy of). The library is called directly: the extractor's
    own state (its word caches) is left as it is."""
    import simplemma

    simplemma.lemmatize("policija", lang="lv")


def input_bytes(files: Sequence[Path], enough: int = PARALLEL_BYTES) -> int:
    """The size of the files, counted until `enough` (a file that cannot be read counts
    nothing: reading it says what is wrong)."""
    total = 0
    for f in files:
        try:
            total += os.stat(f).st_size
        except OSError:
            continue
        if total >= enough:
            break
    return total


def pool(size: int) -> Any:
    """A pool of `size` worker processes that end with this one, even when it is killed
    (children.py): a concurrent.futures.ProcessPoolExecutor."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=size, initializer=die_with_parent, initargs=(os.getpid(),))

"""Process lifetime: child processes end with their parent, and whether a process lives.

`build -j N` extracts in worker processes and `query --timeout` runs the query in a child
process. Killed with SIGKILL, a parent cannot stop them itself, so each child arranges
at its start to end when its parent does (`die_with_parent`): on Linux the kernel sends
it SIGKILL (prctl PR_SET_PDEATHSIG); elsewhere a thread of the child watches its parent's
pid and ends the child when the parent is gone. What a killed process leaves on disk is
named with its pid, so that a later run can tell it from the work of a process still
running (`alive`) and remove it (leftovers.py).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5  # how often the fallback watchdog looks at the parent


def _parent_death_signal(sig: int) -> bool:
    """Ask the kernel to send `sig` to this process when its parent ends (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int, on_orphan: Callable[[], None] | None = None) -> None:
    """In a child process: end it (exit status 1) as soon as the process `parent` ends.

    `on_orphan` runs first where that is possible: when the parent was already gone at
    the start, and with the watchdog (not on Linux, where the kernel kills the child at
    once and a later run cleans up after it)."""
    kernel = _parent_death_signal(signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        _end(on_orphan)
    if not kernel:
        threading.Thread(target=_watch, args=(parent, on_orphan), name="ctn-graph parent watch", daemon=True).start()


def _watch(parent: int, on_orphan: Callable[[], None] | None) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    _end(on_orphan)


def _end(on_orphan: Callable[[], None] | None) -> None:
    try:
        if on_orphan is not None:
            on_orphan()
    finally:
        os._exit(1)


def alive(pid: int) -> bool:
    """Whether process `pid` runs (one that ended and was not yet waited for does not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] != b"Z"  # a zombie has ended
    except (OSError, IndexError):
        return True

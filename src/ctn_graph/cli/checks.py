"""What the command line says about bad arguments: one line, `error: ...`, and the checks
of numeric options at parse time (issue 14).

Imports only typer, so `ctn-graph --help` stays fast.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import typer
from typer.core import TyperGroup

# click's exception classes, wherever this typer keeps them (its own copy of click, or click)
_CLICK_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def one_line(text: object) -> str:
    return " ".join(str(text).split())


class OneLineErrors(TyperGroup):
    """The command group, with usage errors (an unknown option, a bad value, a missing
    argument) told on one line, `error: ...`, exit 2, instead of a usage box."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if standalone_mode and not isinstance(sys.stdout, _Watched):
            sys.stdout = _Watched(sys.stdout)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except _CLICK_ERROR as e:
            if not standalone_mode:
                raise
            if type(e).__name__ == "NoArgsIsHelpError":  # `ctn-graph` alone: the help
                e.show()  # type: ignore[attr-defined]
            else:
                ctx = getattr(e, "ctx", None)
                hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
                typer.secho(f"error: {one_line(e.format_message())}{hint}", fg=typer.colors.RED, err=True)  # type: ignore[attr-defined]
            sys.exit(getattr(e, "exit_code", 2))
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.secho("error: aborted", fg=typer.colors.RED, err=True)
            sys.exit(1)
        except OSError as e:  # a fault no command foresaw (a full disk, standard output on /dev/full)
            if not standalone_mode:
                raise
            _fail(e)
        if standalone_mode:
            try:
                sys.stdout.flush()  # so that a full disk or /dev/full behind stdout is told, not ignored
            except OSError as e:
                _fail(e)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _fail(error: OSError) -> None:
    """Tell an OSError on one line and exit 1; standard output, if it is what failed, is
    named and then set aside (its unwritten rest would fail again at exit)."""
    from .. import os_error_text

    where = None
    if error.filename is None and getattr(sys.stdout, "failed", False):
        where = "standard output"
        stdout_aside()
    typer.secho(f"error: {os_error_text(error, where)}", fg=typer.colors.RED, err=True)
    sys.exit(1)


def stdout_aside() -> None:
    """Point standard output at /dev/null (after it failed), so that nothing is written to it again."""
    import os

    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass
    except Exception:  # noqa: BLE001 - io.UnsupportedOperation of a stream without a file (tests)
        pass


MAX_SECONDS = 1_000_000  # 11.6 days; much more (2,147,484 s) does not fit the waits' clocks (milliseconds in 32 bits)
MAX_MB = 1_000_000  # a terabyte: no document is larger


class _Watched:
    """Standard output, noting whether a write to it failed (to name it in the message)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failed = False

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError:
            self.failed = True
            raise

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError:
            self.failed = True
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def positive_seconds(value: float | None) -> float | None:
    """A number of seconds: finite and more than 0 (nan, inf and 0 mean nothing here)."""
    if value is not None and not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise typer.BadParameter(f"{value!r} is not a number of seconds (give a number above 0, at most {MAX_SECONDS})")
    return value


def positive_megabytes(value: float) -> float:
    if not (math.isfinite(value) and 0 < value <= MAX_MB):
        raise typer.BadParameter(f"{value!r} is not a size in MB (give a number above 0, at most {MAX_MB})")
    return value


def jobs_count(value: int) -> int:
    if value < 0:
        raise typer.BadParameter(f"{value} is not a number of processes (give 1 or more, or 0 for one per core)")
    return value


def port_number(value: int) -> int:
    if not 1 <= value <= 65535:
        raise typer.BadParameter(f"{value} is not a port (give 1 to 65535)")
    return value


def positive_int(value: int) -> int:
    if value < 1:
        raise typer.BadParameter(f"{value} is not a number above 0")
    return value


def table_width(value: int) -> int:
    """The widest table cell: 0 (never cut) or at least 2 characters (one and the `…`)."""
    if value < 0 or value == 1:
        raise typer.BadParameter(f"{value} is not a width (give 2 or more characters, or 0 for no limit)")
    return value


def count(value: int) -> int:
    if value < 0:
        raise typer.BadParameter(f"{value} is not a count (give 0 or more)")
    return value

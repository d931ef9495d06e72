"""What the commands share: messages on stderr (errors, steps, a progress bar) and the
`--gazetteer` option."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Any

import typer


def _err(msg: str) -> None:
    from .. import terminal_safe

    typer.secho(terminal_safe(msg), fg=typer.colors.RED, err=True)  # a message may quote a file or a graph


def _say(msg: str) -> None:
    """A line for people on stderr (what a command is doing), not an error."""
    from .. import terminal_safe

    typer.echo(terminal_safe(msg), err=True)


class Gazetteer(str, enum.Enum):
    """What the extractor knows beforehand (`--gazetteer`)."""

    ALL = "all"
    COUNTRIES = "countries"


def _gazetteer_option(value: str) -> bool:
    value = getattr(value, "value", value)
    if value not in ("all", "countries"):
        raise typer.BadParameter("use 'all' or 'countries'")
    return value == "all"


GazetteerOpt = Annotated[
    Gazetteer,
    typer.Option(
        "--gazetteer",
        help="'all': countries and the gazetteer of known actors; 'countries': countries "
        "and general naming patterns only (how the extractor does on actors it has never seen).",
    ),
]


def _on_terminal() -> bool:
    """Whether standard error is a terminal (progress is shown there only)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Steps:
    """A spinner on stderr naming the step under way (`validate`); nothing when disabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._status: Any = None

    def __enter__(self) -> _Steps:
        return self

    def __call__(self, text: str) -> None:
        if not self.enabled:
            return
        from .. import terminal_safe

        if self._status is None:
            from rich.console import Console

            self._status = Console(stderr=True).status(terminal_safe(text))
            self._status.start()
        else:
            self._status.update(terminal_safe(text))

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()


class _Progress:
    """A progress bar on stderr for runs of more than a few dozen documents."""

    THRESHOLD = 50

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.THRESHOLD:
            return
        if self._bar is None:
            from rich.progress import Progress

            self._bar = Progress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task("extracting", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

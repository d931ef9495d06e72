"""The `ctn-graph` command line: a thin layer over the public API (`ctn_graph`).

Each command group has its module (build.py: build, validate, evaluate; sparql.py:
query, queries, push, serve; network.py: viz, analyse, export-network); this one makes
the app, its own options and `version`. Heavy libraries (rdflib, pyoxigraph, pyshacl)
are imported inside the commands, so `ctn-graph --help` answers at once.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import build as build_commands
from . import network as network_commands
from . import sparql as sparql_commands
from .checks import OneLineErrors
from .common import _err

app = typer.Typer(
    cls=OneLineErrors,  # a bad argument is told on one line, `error: ...`
    name="ctn-graph",
    help="Build, check and score the knowledge graph of anti-trafficking cooperation read from Latvian documents.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"ctn-graph {__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    """The options of ctn-graph itself (the help is the app's)."""


network_commands.register(app)
build_commands.register(app)
sparql_commands.register(app)


@app.command()
def version() -> None:
    """Print the version (as `ctn-graph --version` does).

    Example: ctn-graph version

    Example: ctn-graph --version
    """
    from .. import __version__

    typer.echo(__version__)


def _interrupted(signum, frame):  # noqa: ANN001
    _err("interrupted")
    raise KeyboardInterrupt


def main() -> None:
    import signal

    signal.signal(signal.SIGINT, _interrupted)
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()

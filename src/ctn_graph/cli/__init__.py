"""The `ctn-graph` command line (typer): `root` makes the app and its own options, and each
command group has its module; they call the public API (`ctn_graph`) and their own helpers
(`ctn_graph.cli.checks`) only."""

from .root import app, main

__all__ = ["app", "main"]

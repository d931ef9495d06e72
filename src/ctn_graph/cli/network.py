"""The network commands: `viz`, `analyse` and `export-network`.

`register(app)` adds them to the `ctn-graph` app. networkx, pyoxigraph and pyvis are
imported inside the commands, so `ctn-graph --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

VIEWS = ("full", "copartnership", "funding", "ego")
SIZES = ("degree", "betweenness", "eigenvector")
COLOURS = ("class", "community")
RANKS = ("degree", "betweenness", "eigenvector", "participation", "constraint")


def _choices(allowed: tuple[str, ...]) -> dict[str, Any]:
    """An option's choices shown in its help (`<full|copartnership|...>`) and offered by
    shell completion; the value is still checked by _choice, with its own message."""
    return {
        "metavar": "<" + "|".join(allowed) + ">",  # as typer shows the choices of an enum
        "autocompletion": lambda incomplete: [a for a in allowed if a.startswith(incomplete)],
    }


GraphArg = Annotated[
    Path | None,  # noqa: UP007
    typer.Argument(help="A store directory or graph file (.ttl .trig .nt .nq .jsonld .rdf). Default: the last build."),
]
ViewOpt = Annotated[
    str,
    typer.Option(
        "--view",
        **_choices(VIEWS),
        help="full: every actor and relation; copartnership: organisations linked by the projects they share "
        "(as lead partner, partner, funder or supporter); "
        "funding: funded projects, their funders and partners; ego: the neighbourhood of --focus.",
    ),
]
FocusOpt = Annotated[
    str | None,  # noqa: UP007
    typer.Option("--focus", help="An actor (Latvian name, acronym, English name or IRI): show its neighbourhood."),
]
DepthOpt = Annotated[int, typer.Option("--depth", min=0, help="How many links out from --focus.")]
YearOpt = Annotated[
    int | None,  # noqa: UP007
    typer.Option("--year", help="Only relations read from documents issued that year, and the actors they link."),
]


def _title(g: Any) -> str:
    """The view's title for the terminal (it may hold a name from the graph)."""
    from .. import terminal_safe

    return terminal_safe(str(g.graph["title"]), cell=True)


def _say(msg: str) -> None:
    from .. import terminal_safe

    typer.echo(terminal_safe(msg), err=True)


def _err(msg: str) -> None:
    from .. import terminal_safe

    typer.secho(terminal_safe(msg), fg=typer.colors.RED, err=True)  # a message may quote a file or a graph


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        _err(f"error: {option} {value!r}: use one of {', '.join(allowed)}")
        raise typer.Exit(2)
    return value


def _network(graph: Path | None, view: str, focus: str | None, depth: int, year: int | None) -> Any:
    """Open the graph and build the view; a clear message and exit 1 when either fails."""
    from .. import NetworkError, StoreError, View, build_network, default_graph, open_graph

    v = View(_choice(view, VIEWS, "--view"))
    try:
        if graph is None:  # the last build's store, named on stderr (as `query` does)
            graph, answering = default_graph()
            _say(answering)
        with open_graph(graph) as store:
            return build_network(store, v, focus=focus, depth=depth, year=year)
    except (StoreError, NetworkError) as e:
        _err(f"error: {e}")
        raise typer.Exit(1) from None


def _check_outputs(graph: Path | None, outputs: list[Path], noun: str) -> None:
    """Refuse an output that would replace the graph the command reads (or hold it)."""
    from .. import Input, Output, OutputError, check_outputs, last_store

    read = graph if graph is not None else last_store()
    try:
        check_outputs(
            [Output(o, noun, "-o") for o in outputs], [Input(read, "the graph this command reads")] if read else []
        )
    except OutputError as e:
        _err(f"error: {e}")
        raise typer.Exit(1) from None


def _write_failed(error: OSError, output: Path) -> typer.Exit:
    from .. import os_error_text

    _err(f"error: {os_error_text(error, output)}")
    return typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `viz`, `analyse` and `export-network` to a typer app."""
    app.command()(viz)
    app.command()(analyse)
    app.command("export-network")(export_network)


def viz(
    graph: GraphArg = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The page to write.")] = Path("network.html"),
    view: ViewOpt = "full",
    focus: FocusOpt = None,
    depth: DepthOpt = 1,
    year: YearOpt = None,
    size: Annotated[
        str, typer.Option("--size", **_choices(SIZES), help="Node size: degree, betweenness or eigenvector.")
    ] = "degree",
    colour: Annotated[
        str,
        typer.Option("--colour", "--color", **_choices(COLOURS), help="Node colour: class, or community (Louvain)."),
    ] = "class",
    title: Annotated[str | None, typer.Option(help="Heading of the page. Default: the view's name.")] = None,  # noqa: UP007
) -> None:
    """Write the cooperation network as one HTML page that opens from disk, with no network:
    filters by class, relation, country and year, search, focus on click, the evidence
    sentences of every link, and PNG export.

    Example: ctn-graph viz build/graph.store -o network.html --view copartnership --size betweenness

    Example: ctn-graph viz --view ego --focus "Valsts policija" --depth 2 --colour community -o vp.html
    """
    from .. import ColourBy, SizeBy, write_html

    size_by = SizeBy(_choice(size, SIZES, "--size"))
    colour_by = ColourBy(_choice(colour, COLOURS, "--colour"))
    _check_outputs(graph, [output], "page")
    g = _network(graph, view, focus, depth, year)
    try:
        write_html(g, output, title=title, size_by=size_by, colour_by=colour_by)
    except OSError as e:
        raise _write_failed(e, output) from None
    typer.echo(f"wrote {output}: {_title(g)}, {g.number_of_nodes()} actors, {g.number_of_edges()} links")


def analyse(
    graph: GraphArg = None,
    view: ViewOpt = "full",
    focus: FocusOpt = None,
    depth: DepthOpt = 1,
    year: YearOpt = None,
    output: Annotated[
        Path | None,  # noqa: UP007
        typer.Option("-o", "--output", help="Also write every node's measures as CSV."),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows in the printed table.")] = 20,
    by: Annotated[
        str,
        typer.Option(
            "--by", **_choices(RANKS), help="Rank by degree, betweenness, eigenvector, participation or constraint."
        ),
    ] = "degree",
    with_countries: Annotated[
        bool,
        typer.Option(
            "--with-countries",
            help="Keep the ctn:country links (an actor and its country) in the measures. By default they are "
            "left out: nearly every Latvian actor is linked to Latvija, which would rank as the main broker.",
        ),
    ] = False,
) -> None:
    """Rank the actors: degree, betweenness and eigenvector centrality, brokerage
    (participation coefficient across Louvain communities, Burt's constraint),
    communities and components. The ctn:country links are left out unless --with-countries.

    Example: ctn-graph analyse build/graph.store --view copartnership --by betweenness -o measures.csv

    Example: ctn-graph analyse build/graph.store --by betweenness --top 10 --with-countries
    """
    from .. import analyse as run_analyse
    from .. import format_table, save_csv

    _choice(by, RANKS, "--by")
    if output is not None:
        _check_outputs(graph, [output], "table")
    g = _network(graph, view, focus, depth, year)
    result = run_analyse(g, with_countries=with_countries)
    typer.echo(_title(g))
    typer.echo(format_table(result, by=by, top=top))
    if result.left_out:
        typer.echo(f"({result.left_out} ctn:country links left out of the measures; --with-countries keeps them)")
    if output is not None:
        try:
            save_csv(result, output, by=by)
        except OSError as e:
            raise _write_failed(e, output) from None
        typer.echo(f"wrote {output} ({result.nodes} rows)")


def export_network(
    graph: GraphArg = None,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="File to write; the format follows the extension: .graphml, .gexf (Gephi), "
            ".csv (writes NAME-nodes.csv and NAME-edges.csv).",
        ),
    ] = Path("network.graphml"),
    view: ViewOpt = "full",
    focus: FocusOpt = None,
    depth: DepthOpt = 1,
    year: YearOpt = None,
) -> None:
    """Write a network view for Gephi, Cytoscape, yEd or a spreadsheet.

    Example: ctn-graph export-network build/graph.store -o network.gexf --view copartnership

    Example: ctn-graph export-network build/graph.trig -o funding.csv --view funding --year 2018
    """
    from .. import NetFormat, csv_paths, write_network

    try:
        fmt = NetFormat.from_path(output)
    except ValueError as e:
        _err(f"error: {e}")
        raise typer.Exit(2) from None
    _check_outputs(graph, list(csv_paths(output)) if fmt is NetFormat.CSV else [output], "network file")
    g = _network(graph, view, focus, depth, year)
    try:
        paths = write_network(g, output, fmt)
    except OSError as e:
        raise _write_failed(e, output) from None
    typer.echo(
        f"wrote {', '.join(map(str, paths))}: {_title(g)}, {g.number_of_nodes()} actors, {g.number_of_edges()} links"
    )

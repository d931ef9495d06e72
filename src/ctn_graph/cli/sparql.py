"""The SPARQL commands: `query`, `queries`, `push`, `serve`."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import ResultFormat  # an enum; its module imports no heavy library
from .checks import port_number, positive_seconds, table_width
from .common import _err, _say


class PushMethod(str, enum.Enum):
    AUTO = "auto"
    GRAPH_STORE = "graph-store"
    UPDATE = "update"


FORMAT_HELP = (
    "SELECT, ASK: table, csv, tsv, json, xml (SPARQL 1.1 results). CONSTRUCT, DESCRIBE: ttl, nt, nq, trig, "
    "jsonld, rdfxml (json, xml: JSON-LD, RDF/XML). Default: from the extension of -o, else table."
)


def query(
    spec: Annotated[
        str,
        typer.Argument(
            help="A library query name (see `ctn-graph queries`), a .rq file, or - for stdin.",
            autocompletion=lambda incomplete: _query_specs(incomplete),
        ),
    ],
    graph: Annotated[
        Path | None,
        typer.Option(
            help="A store directory or graph file. Default: the store of the last build (noted in .ctn-graph/ here "
            "or in a folder above; named on stderr)."
        ),
    ] = None,
    endpoint: Annotated[str | None, typer.Option(help="Run on a SPARQL 1.1 endpoint instead.")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="name=value; bound as an RDF term, never pasted into the query."),
    ] = None,
    fmt: Annotated[
        ResultFormat | None,  # noqa: UP007
        typer.Option("--format", "-f", help=FORMAT_HELP, case_sensitive=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write to a file instead of stdout (whole or not at all); tells how many rows."
        ),
    ] = None,
    max_width: Annotated[
        int, typer.Option(help="Cut table cells to this many characters (0: never cut).", callback=table_width)
    ] = 60,
    formula_guard: Annotated[
        bool,
        typer.Option(
            help="In CSV, put an apostrophe before a value that is not a number and starts with = + - @, "
            "so that a spreadsheet does not run it as a formula."
        ),
    ] = True,
    user: Annotated[str | None, typer.Option(help="User for the endpoint.")] = None,
    password: Annotated[
        str | None, typer.Option(help="Password for the endpoint.", envvar="CTN_GRAPH_PASSWORD")
    ] = None,
    digest: Annotated[bool, typer.Option(help="Use HTTP digest auth (Virtuoso).")] = False,
    timeout: Annotated[
        float | None,
        typer.Option(
            help="Stop the query after this many seconds, the whole answer read (remote default: 60).",
            callback=positive_seconds,
        ),
    ] = None,
    allow_federation: Annotated[
        bool,
        typer.Option(help="Let a local query call SERVICE: this process then fetches the URLs the query names."),
    ] = False,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE; never an update) on the graph.

    A query of your own (a file, or -) may leave ctn: ctnid: skos: rdfs: prov: dcterms: rdf: owl: xsd: wd: and the
    graph files' ctnorg: ctnproj: ctnperson: ctncountry: ctnevent: ctnpolicy: ctndoc: ctnevidence: undeclared.

    Example: ctn-graph query partners-of-organisation --param org="Valsts policija" --format csv

    Example: ctn-graph query projects-by-funder -o funders.json   (the format from the extension)

    Example: echo 'SELECT ?o ?name { ?o a ctn:Organisation ; skos:prefLabel ?name }' | ctn-graph query - --max-width 30

    Example: ctn-graph query organisation-profile -o profile.jsonld   (CONSTRUCT/DESCRIBE in any RDF format)
    """
    from .. import (
        EndpointError,
        Input,
        Output,
        QueryError,
        StoreError,
        WriteOptions,
        atomic_output,
        check_outputs,
        default_graph,
        os_error_text,
        query_engine,
        read_stdin_query,
        reading,
        resolve_query,
        run_query,
        run_query_to,
        write_result,
    )

    if fmt is None and output is not None:
        fmt = ResultFormat.from_extension(output)
    result_format = WriteOptions(fmt or ResultFormat.TABLE, max_width, formula_guard)
    written = [0]
    values: dict[str, str] = {}
    for p in param or []:
        name, sep, value = p.partition("=")
        if not sep or not name.strip():
            _err(f"error: --param {p!r}: write name=value")
            raise typer.Exit(2)
        values[name.strip()] = value
    try:
        q = resolve_query(spec, read_stdin_query() if spec == "-" else None)
        answering = None
        if graph is None and not endpoint:  # the last build's store, named on stderr
            graph, answering = default_graph()
        if output is not None:  # never onto what it reads
            graph_path = None if endpoint else graph
            reads = [Input(graph_path, "the graph this query reads")] if graph_path is not None else []
            if q.path is not None:
                reads.append(Input(q.path, "the query file"))
            check_outputs([Output(output, "result", "-o")], reads)
            if fmt is None:
                _err(
                    f"error: {output}: the extension {output.suffix or '(none)'} names no result format; "
                    f"give --format ({', '.join(f.value for f in ResultFormat)})"
                )
                raise typer.Exit(2)
        if answering is not None:
            from .. import terminal_safe

            typer.echo(terminal_safe(answering), err=True)
        if endpoint:
            engine = query_engine(graph, endpoint, user=user, password=password, digest=digest, timeout=timeout or 60.0)

            def write(f: Any) -> None:
                written[0] = write_result(run_query(q, engine, values), result_format, f)
        else:

            def write(f: Any) -> None:
                written[0] = run_query_to(
                    q, graph, values, result_format, f, timeout, allow_federation=allow_federation
                )

        with reading(None if endpoint else graph):
            if output is None:
                from .. import TerminalWriter

                write(TerminalWriter(sys.stdout) if sys.stdout.isatty() else sys.stdout)  # CSV, Turtle: exact in files
            else:
                try:
                    with atomic_output(output, "w") as f:
                        write(f)
                except OSError as e:
                    raise QueryError(os_error_text(e, output)) from None
    except (QueryError, StoreError, EndpointError, ValueError) as e:
        _err(f"error: {e}")
        raise typer.Exit(1) from None
    if output is not None:
        from .. import terminal_safe

        n = written[0]
        what = {"ASK": "the answer", "CONSTRUCT": f"{n} triple", "DESCRIBE": f"{n} triple"}.get(q.form, f"{n} row")
        plural = "s" if q.form != "ASK" and n != 1 else ""
        typer.echo(terminal_safe(f"wrote {what}{plural} to {output}"), err=True)


def _query_names(incomplete: str) -> list[str]:
    """Shell completion of library query names."""
    from .. import load_library

    try:
        return [n for n in load_library() if n.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion never fails loudly
        return []


def _query_specs(incomplete: str) -> list[str]:
    """Shell completion of `query SPEC`: library query names, then .rq/.sparql files and
    folders from what is typed."""
    import glob

    found = _query_names(incomplete)
    try:
        for p in sorted(glob.glob(glob.escape(incomplete) + "*"))[:200]:
            if Path(p).is_dir():
                found.append(p + "/")
            elif p.lower().endswith((".rq", ".sparql")):
                found.append(p)
    except OSError:
        pass
    return found


def queries(
    name: Annotated[
        str | None,  # noqa: UP007
        typer.Argument(help="A library query: print its text and parameters.", autocompletion=_query_names),
    ] = None,
) -> None:
    """List the query library with titles and parameters, or print one query whole.

    Example: ctn-graph queries

    Example: ctn-graph queries partners-of-organisation   (its parameters and SPARQL text)
    """
    from .. import load_library

    library = load_library()
    if name is not None:
        if name not in library:
            near = ", ".join(sorted(n for n in library if name.split("-")[0] in n)[:5])
            near = near or ", ".join(sorted(library)[:8])
            _err(f"error: {name}: no such query in the library (e.g. {near})")
            raise typer.Exit(1)
        q = library[name]
        typer.echo(f"{name}: {q.title}")
        if q.description:
            typer.echo(q.description)
        if q.params:
            typer.echo("parameters (ctn-graph query " + name + " -p name=value):")
            for p in q.params:
                typer.echo(f"  {p.name} = {p.default}" + (f"  -- {p.description}" if p.description else ""))
        else:
            typer.echo("parameters: none")
        if q.path is not None:
            typer.echo(f"file: {q.path}")
        typer.echo("")
        typer.echo(q.text.rstrip("\n"))
        return
    for name, q in library.items():
        params = ", ".join(f"{p.name}={p.default}" for p in q.params)
        typer.echo(f"{name:34} {q.title}" + (f"  [{params}]" if params else ""))


def push(
    endpoint: Annotated[str, typer.Option(help="The store's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query")],
    graph: Annotated[Path | None, typer.Option(help="Store directory or graph file. Default: the last build.")] = None,
    named_graph: Annotated[str | None, typer.Option(help="Target graph IRI (replaced whole).")] = None,
    gsp: Annotated[str | None, typer.Option(help="Graph Store Protocol URL, if not the usual one.")] = None,
    update: Annotated[str | None, typer.Option(help="SPARQL Update URL, if not the usual one.")] = None,
    method: Annotated[
        PushMethod, typer.Option(help="How to load: the Graph Store Protocol, SPARQL Update, or whichever works.")
    ] = PushMethod.AUTO,
    user: Annotated[str | None, typer.Option(help="User for the store.")] = None,
    password: Annotated[str | None, typer.Option(help="Password for the store.", envvar="CTN_GRAPH_PASSWORD")] = None,
    digest: Annotated[bool, typer.Option(help="Use HTTP digest auth (Virtuoso).")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds per request.", callback=positive_seconds)] = 300.0,
) -> None:
    """Load the graph into a triplestore, replacing the named graph whole.

    Example: ctn-graph push --endpoint http://127.0.0.1:7878/query

    Example: ctn-graph push --graph build/graph.trig --endpoint http://127.0.0.1:8890/sparql --user dba --digest
    """
    from .. import Auth, EndpointError, StoreError
    from .. import push as run_push

    try:
        res = run_push(
            graph,
            endpoint,
            named_graph,
            gsp_url=gsp,
            update_url=update,
            auth=Auth(user, password, digest),
            timeout=timeout,
            method=method.value,
        )
    except (EndpointError, StoreError) as e:
        _err(f"error: {e}")
        raise typer.Exit(1) from None
    typer.echo(f"pushed {res.triples} triples to <{res.graph}> at {res.url} ({res.method})")


def serve(
    graph: Annotated[Path | None, typer.Option(help="A store directory. Default: the store of the last build.")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", callback=port_number)] = 7878,
    cors: Annotated[
        bool, typer.Option(help="Allow cross-origin requests (web pages elsewhere; the YASGUI page at / needs none).")
    ] = False,
    timeout: Annotated[
        float, typer.Option(help="Seconds before a query is stopped.", callback=positive_seconds)
    ] = 60,
    allow_federation: Annotated[
        bool, typer.Option(help="Run queries that call SERVICE: the server then fetches the URLs they name.")
    ] = False,
    allow_cors_federation: Annotated[
        bool, typer.Option(help="Allow --cors and --allow-federation together (any web page could use the server).")
    ] = False,
) -> None:
    """Serve the graph read-only over SPARQL 1.1, with a YASGUI query page at /; SERVICE is
    refused unless --allow-federation.

    Example: ctn-graph serve --port 7878   (then query http://127.0.0.1:7878/query)

    Example: ctn-graph serve --graph build/graph.store   (then open http://127.0.0.1:7878/ in a browser: YASGUI)
    """
    from .. import ServeError, ServeOptions, last_store, serve_store

    store = graph or last_store()
    if store is None:
        _err("error: no store: a store directory is needed (run `ctn-graph build` first)")
        raise typer.Exit(1)
    options = ServeOptions(store, host, port, cors, timeout, allow_federation, allow_cors_federation)
    try:
        serve_store(options, announce=_say)
    except ServeError as e:
        _err(f"error: {e}")
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    """Add `query`, `queries`, `push`, `serve` to a typer app."""
    app.command()(query)
    app.command()(queries)
    app.command()(push)
    app.command()(serve)

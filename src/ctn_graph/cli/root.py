"""The `ctn-graph` command line: a thin layer over ctn_graph.pipeline.build.

Heavy libraries (rdflib, pyoxigraph, pyshacl) are imported inside the commands, so
`ctn-graph --help` answers at once.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..sparql.query import ResultFormat  # an enum; the module imports no heavy library
from .checks import (
    OneLineErrors,
    count,
    jobs_count,
    port_number,
    positive_megabytes,
    positive_seconds,
    table_width,
)

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


from .network import register as register_network_commands  # noqa: E402 - imports only typer

register_network_commands(app)


def _err(msg: str) -> None:
    from ..common.chars import terminal_safe

    typer.secho(terminal_safe(msg), fg=typer.colors.RED, err=True)  # a message may quote a file or a graph


def _say(msg: str) -> None:
    """A line for people on stderr (what a command is doing), not an error."""
    from ..common.chars import terminal_safe

    typer.echo(terminal_safe(msg), err=True)


class Gazetteer(str, enum.Enum):
    """What the extractor knows beforehand (`--gazetteer`)."""

    ALL = "all"
    COUNTRIES = "countries"


class Split(str, enum.Enum):
    """The held-back halves of a corpus (`evaluate --split`)."""

    EVEN = "even"
    ODD = "odd"


class PushMethod(str, enum.Enum):
    AUTO = "auto"
    GRAPH_STORE = "graph-store"
    UPDATE = "update"


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
        from ..common.chars import terminal_safe

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


@app.command()
def build(
    paths: Annotated[
        list[Path] | None,  # noqa: UP007 - typer needs Optional here
        typer.Argument(
            help="Files or folders of documents (.txt, .md, .html, .pdf, .docx; other files in a folder are "
            "reported as skipped). Default: the bundled corpus."
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Graph file; the format follows the extension: .ttl .trig .nt .nq .jsonld .rdf"
        ),
    ] = Path("build/graph.ttl"),
    gazetteer: GazetteerOpt = Gazetteer.ALL,
    store: Annotated[
        Path | None,
        typer.Option(help="Also write an embedded store (a directory) for fast queries. Default: OUTPUT with .store"),
    ] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Write only the graph file.")] = False,
    strict: Annotated[bool, typer.Option(help="Stop at the first unreadable document.")] = False,
    max_mb: Annotated[
        float, typer.Option(help="Skip (and report) documents larger than this.", callback=positive_megabytes)
    ] = 20.0,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            help="Worker processes for extraction: 0 (the default) one per core, 1 none (all in this process). "
            "The outputs are the same bytes whatever the number.",
            callback=jobs_count,
        ),
    ] = 0,
    cache: Annotated[
        bool, typer.Option(help="Reuse the extractions of unchanged documents (kept in .ctn-graph/cache).")
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    include: Annotated[
        list[str] | None,  # noqa: UP007 - typer needs Optional here
        typer.Option(
            "--include",
            help="Of the files in the folders given, read only those whose name (or path below the folder) "
            "matches this glob pattern, e.g. '*.pdf'; give it more than once for more patterns.",
        ),
    ] = None,
) -> None:
    """Read documents and write the knowledge graph.

    Example: ctn-graph build data/corpus/seeds -o graph.ttl

    Example: ctn-graph build reports/ -o reports.trig --gazetteer countries -j 1

    Example: ctn-graph build reports/ --include '*.pdf' --include '*.docx' -o reports.ttl
    """
    from ..common.paths import os_error_text
    from ..pipeline.build import build as run_build
    from ..pipeline.ingest import IngestError
    from ..pipeline.options import BuildOptions
    from ..rdf.store import STATE_DIR

    options = BuildOptions(
        actors=_gazetteer_option(gazetteer),
        strict=strict,
        max_bytes=int(max_mb * 1024 * 1024),
        jobs=jobs,  # 0: one per core (api.worker_count)
        cache_dir=STATE_DIR / "cache" if cache else None,
        include=tuple(include or ()),
    )
    with _Progress(enabled=not quiet) as progress:
        try:
            from ..rdf.store import default_store_path

            store_dir = None if no_store else (store or default_store_path(output))
            summary = run_build(
                list(paths or []),
                output,
                options,
                on_error=lambda m: _err(f"skipped: {m}"),
                progress=progress,
                store_dir=store_dir,
            )
        except (IngestError, ValueError) as e:
            _err(f"error: {e}")
            raise typer.Exit(1) from None
        except OSError as e:
            _err(f"error: {os_error_text(e, output)}")
            raise typer.Exit(1) from None
    if quiet:
        return
    typer.echo(f"wrote {summary.output} ({summary.triples} triples) in {summary.seconds:.2f} s")
    if store_dir is not None:
        updated = "update store" in summary.phases
        typer.echo(
            f"store:     {store_dir} (ctn-graph query and serve use it"
            + (f"; {summary.store_graphs_written} changed graphs written)" if updated else ")")
        )
    typer.echo(f"documents: {summary.documents}" + (f" ({len(summary.skipped)} skipped)" if summary.skipped else ""))
    if summary.graphs_remade is not None:
        typer.echo(
            f"rebuilt:   {summary.documents_changed} changed documents; "
            f"{summary.graphs_remade} of {summary.documents} document graphs made again, the rest copied"
        )
    typer.echo("entities:  " + ", ".join(f"{k} {v}" for k, v in sorted(summary.entities.items())))
    typer.echo("relations: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.relations.items())))
    typer.echo("time:      " + ", ".join(f"{k} {v:.2f} s" for k, v in summary.phases.items()))


@app.command()
def validate(
    graph: Annotated[
        Path, typer.Argument(help="A graph file or a store directory written by `ctn-graph build`.")
    ],
    max_results: Annotated[int, typer.Option(help="Show at most this many violations.", callback=count)] = 20,
) -> None:
    """Check a graph against the SHACL shapes (ontology/shapes.ttl); on a terminal, a
    spinner tells what it is doing.

    Example: ctn-graph validate build/graph.ttl

    Example: ctn-graph validate build/graph.store --max-results 100
    """
    from ..rdf.validate import GraphError, validate_file

    try:
        with _Steps(enabled=_on_terminal()) as step:
            report = validate_file(graph, progress=step)
    except GraphError as e:
        _err(f"error: {e}")
        raise typer.Exit(1) from None
    if report.conforms:
        typer.echo(f"{graph}: conforms to the SHACL shapes ({report.triples} triples)")
        return
    _err(f"{graph}: {len(report.violations)} violation(s) of the SHACL shapes")
    for v in report.violations[:max_results]:
        _err(f"- {v}")
    raise typer.Exit(1)


@app.command()
def evaluate(
    graph: Annotated[
        Path | None,  # noqa: UP007
        typer.Argument(help="A built graph. Default: build the bundled corpus in memory."),
    ] = None,
    gold: Annotated[Path | None, typer.Option(help="Gold file. Default: data/gold/seeds.json.")] = None,  # noqa: UP007
    gazetteer: GazetteerOpt = Gazetteer.ALL,
    details: Annotated[bool, typer.Option(help="List missed and spurious items.")] = True,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    split: Annotated[
        Split | None,  # noqa: UP007
        typer.Option(help="Score only the documents whose number is even or odd (a held-back half)."),
    ] = None,
) -> None:
    """Score a graph against hand-made gold answers: precision, recall and F1 per class
    and per relation, and the missed and spurious items.

    Example: ctn-graph evaluate

    Example: ctn-graph evaluate build/graph.ttl --gold data/gold/seeds.json

    Example: ctn-graph evaluate dev.ttl --gold ../shared/gold/dev.json --split odd
    """
    import json

    from ..common.chars import escape_json_controls, terminal_safe
    from ..common.paths import shown
    from ..common.resources import data_path
    from ..evaluate import (
        coverage,
        coverage_warning,
        evaluate_store,
        format_report,
        load_gold,
        load_store,
        report_to_json,
    )
    from ..pipeline.memory import build_resolved, read_documents, to_store
    from ..pipeline.options import BuildOptions
    from ..pipeline.steps import default_corpus

    gold_path = gold or data_path("gold", "seeds.json")
    try:
        gold_data = load_gold(gold_path)
        if graph is None:
            options = BuildOptions(actors=_gazetteer_option(gazetteer))
            docs, _ = read_documents([default_corpus()], options)
            store = to_store(build_resolved(docs, options))
        else:
            store = load_store(graph)
    except (ValueError, OSError, SyntaxError) as e:
        _err(f"error: {e}")
        raise typer.Exit(1) from None
    half = split.value if split is not None else None
    report = evaluate_store(store, gold_data, half)
    warning = coverage_warning(coverage(store, gold_data, half), shown(gold_path))
    if json_out:
        typer.echo(escape_json_controls(json.dumps(report_to_json(report), ensure_ascii=False, indent=2)))
    else:
        typer.echo(terminal_safe(format_report(report, details=details)))
        typer.echo("")
        typer.echo(
            f"summary: main-class entity F1 {report.main.f1:.3f} "
            f"(P {report.main.precision:.3f}, R {report.main.recall:.3f}); "
            f"Person+Event+PolicyDocument F1 {report.other.f1:.3f}"
        )
        typer.echo(
            f"summary: relation F1 {report.relations_all.f1:.3f} "
            f"(P {report.relations_all.precision:.3f}, R {report.relations_all.recall:.3f}); "
            f"nominative prefLabel share {report.nominative.share:.3f}"
        )
    if warning is not None:  # last, where it is seen; the exit status is the same
        typer.echo(terminal_safe(warning), err=True)


FORMAT_HELP = (
    "SELECT, ASK: table, csv, tsv, json, xml (SPARQL 1.1 results). CONSTRUCT, DESCRIBE: ttl, nt, nq, trig, "
    "jsonld, rdfxml (json, xml: JSON-LD, RDF/XML). Default: from the extension of -o, else table."
)


@app.command()
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
    from ..common.paths import Input, Output, check_outputs, os_error_text
    from ..rdf.export import atomic_output
    from ..rdf.store import StoreError, default_graph, reading
    from ..sparql.endpoint import EndpointError
    from ..sparql.query import QueryError, read_stdin_query, resolve_query, run_query
    from ..sparql.results import WriteOptions, write_result
    from ..sparql.run import query_engine, run_query_to

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
            from ..common.chars import terminal_safe

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
                from ..common.chars import TerminalWriter

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
        from ..common.chars import terminal_safe

        n = written[0]
        what = {"ASK": "the answer", "CONSTRUCT": f"{n} triple", "DESCRIBE": f"{n} triple"}.get(q.form, f"{n} row")
        plural = "s" if q.form != "ASK" and n != 1 else ""
        typer.echo(terminal_safe(f"wrote {what}{plural} to {output}"), err=True)


def _query_names(incomplete: str) -> list[str]:
    """Shell completion of library query names."""
    from ..sparql.query import load_library

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


@app.command()
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
    from ..sparql.query import load_library

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


@app.command()
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
    from ..rdf.store import StoreError
    from ..sparql.endpoint import Auth, EndpointError
    from ..sparql.push import push as run_push

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


@app.command()
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
    from ..rdf.store import last_store
    from ..sparql.serve import ServeError, ServeOptions, serve_store

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

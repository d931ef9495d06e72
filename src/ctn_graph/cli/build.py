"""The commands that make and check a graph: `build`, `validate`, `evaluate`."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from .checks import count, jobs_count, positive_megabytes
from .common import Gazetteer, GazetteerOpt, _err, _gazetteer_option, _on_terminal, _Progress, _Steps


class Split(str, enum.Enum):
    """The held-back halves of a corpus (`evaluate --split`)."""

    EVEN = "even"
    ODD = "odd"


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
    from .. import STATE_DIR, IngestError, os_error_text
    from .. import build as run_build

    options = dict(
        actors=_gazetteer_option(gazetteer),
        strict=strict,
        max_bytes=int(max_mb * 1024 * 1024),
        jobs=jobs,  # 0: one per core (pipeline/workers.py)
        cache_dir=STATE_DIR / "cache" if cache else None,
        include=tuple(include or ()),
    )
    with _Progress(enabled=not quiet) as progress:
        try:
            from .. import default_store_path

            store_dir = None if no_store else (store or default_store_path(output))
            summary = run_build(
                list(paths or []),
                output,
                store=store_dir if store_dir is not None else False,
                on_error=lambda m: _err(f"skipped: {m}"),
                progress=progress,
                **options,
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
    from .. import GraphError, validate_file

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

    from .. import (
        BuildOptions,
        build_resolved,
        coverage,
        coverage_warning,
        data_path,
        default_corpus,
        escape_json_controls,
        evaluate_store,
        format_report,
        load_gold,
        load_store,
        read_documents,
        report_to_json,
        shown,
        terminal_safe,
        to_store,
    )

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


def register(app: typer.Typer) -> None:
    """Add `build`, `validate`, `evaluate` to a typer app."""
    app.command()(build)
    app.command()(validate)
    app.command()(evaluate)

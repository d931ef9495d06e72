"""`build`, as a story: documents -> records -> entities -> RDF -> graph file and store.

Two ways through the same steps (steps.py): the build from nothing (`_full_build`) and,
with the cache on and the last build's state still true of its outputs, the rebuild
(`_rebuild`) that extracts only the changed files and makes only the graphs that differ;
both end in `_write`. Nothing is written if anything fails: every output is made under a
temporary name and put in place at the end (the store first, then the graph file).

Memory stays small however large the corpus: documents are read and extracted one at a
time (or by worker processes, extraction.py), their records written to temporary files;
resolution reads them back and keeps a summary per name; the quads are made once, one
graph at a time, serialised into the graph file and into N-Quads files, from which the
store is bulk-loaded.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import steps
from .collector import batch_gc
from .options import BuildOptions, BuildSummary, Progress
from .rebuild import Scan
from .rebuild import graphs_to_remake as _graphs_to_remake

OnError = Callable[[str], None]


@batch_gc
def build(
    paths: Sequence[Path],
    output: Path | None,
    options: BuildOptions = BuildOptions(),
    on_error: OnError | None = None,
    progress: Progress | None = None,
    store_dir: Path | None = None,
) -> BuildSummary:
    """Read documents, extract, resolve and write the graph to `output` (format from the
    extension) and the store to `store_dir`. Nothing is written if anything fails.

    With the cache on (options.cache_dir), a build also leaves what the next one needs to
    redo only what a change touches (rebuild.py)."""
    t0 = time.perf_counter()
    plan = steps.plan_build(paths, output, store_dir, options)  # read: which files, which outputs
    summary = BuildSummary(output=output, documents=0)
    steps.tell_skipped(summary, plan.not_read, on_error)
    work_dir = steps.prepare(plan)
    with steps.workspace(plan, work_dir) as work:
        changes = steps.changes_since(plan, work)
        if changes is None:
            _full_build(plan, work, summary, on_error, progress, t0)
        else:
            _rebuild(plan, work, changes, summary, on_error, progress, t0)
    summary.seconds = time.perf_counter() - t0
    return summary


def _full_build(
    plan: steps.Plan, work: steps.Work, summary: BuildSummary, on_error: OnError | None, progress: Progress | None,
    t0: float,
) -> None:  # fmt: skip
    """Every file read and extracted (resolving as the records come), every graph made."""
    res = steps.extract(plan, work, progress)
    t1 = time.perf_counter()
    summary.phases["read and extract"] = t1 - t0
    steps.count_documents(plan, res.entries, summary, on_error)
    steps.resolve(plan, work, res)
    steps.release(res)
    summary.phases["resolve"] = time.perf_counter() - t1
    _write(plan, work, res, summary, t0)


def _rebuild(
    plan: steps.Plan, work: steps.Work, changes: Scan, summary: BuildSummary, on_error: OnError | None,
    progress: Progress | None, t0: float,
) -> None:  # fmt: skip
    """The last build's resolver brought up to date with the changed files; only the graphs
    that may differ made again, the others copied from the last graph file."""
    res = steps.update(plan, work, changes, progress)
    t1 = time.perf_counter()
    summary.phases["read and extract"] = t1 - t0
    steps.count_documents(plan, res.entries, summary, on_error)
    steps.resolve(plan, work, res)
    assert work.earlier is not None and res.resolver is not None and res.views is not None
    res.remake = _graphs_to_remake(work.earlier.state, res.resolver, res.views, set(changes.new_records))
    summary.graphs_remade = len(res.remake & {e.doc_id for e in res.entries if e.error is None})
    summary.documents_changed = changes.changed
    steps.release(res)
    summary.phases["resolve"] = time.perf_counter() - t1
    _write(plan, work, res, summary, t0)


def _write(plan: steps.Plan, work: steps.Work, res: steps.Resolution, summary: BuildSummary, t0: float) -> None:
    """Map to RDF and write the graph file, then the store; then the state for the next build."""
    record = steps.build_record(plan.inputs, plan.output, plan.store_dir)
    store_inode = None
    with contextlib.ExitStack() as stack:  # its outputs are put in place as it closes (the store first)
        out = steps.open_outputs(plan, work, stack, res)
        steps.write_graphs(plan, out, res)
        written = steps.count_graph(out, res, summary)
        t1 = time.perf_counter()
        mapped = "map to RDF, write graph file" if plan.output is not None else "map to RDF"
        summary.phases[mapped] = t1 - t0 - sum(summary.phases.values())
        if plan.store_dir is not None:
            phase, summary.store_graphs_written, store_inode = steps.write_store(plan, out, stack, res, record)
            summary.phases[phase] = time.perf_counter() - t1
    if plan.store_dir is not None or plan.output is not None:
        steps.stores.remember_build(record)
    if plan.state_dir is not None and res.views is not None:
        t1 = time.perf_counter()
        steps.keep_state(plan, work, res, out, written, store_inode)
        summary.phases["keep state"] = time.perf_counter() - t1

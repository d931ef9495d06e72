"""A query run for the command line: the engine it runs on (a remote endpoint, a store, a
graph file), and a query under a time limit, in a child process that is stopped when the
time is up."""

from __future__ import annotations

import os
from pathlib import Path

from ..common.children import die_with_parent


def query_engine(
    graph: Path | None = None,
    endpoint: str | None = None,
    *,
    user: str | None = None,
    password: str | None = None,
    digest: bool = False,
    timeout: float = 60.0,
    allow_federation: bool = False,
):
    """The engine a query runs on: a remote endpoint, a store directory or graph file,
    or (with neither) the store of the last build. A local engine refuses SERVICE unless
    `allow_federation` (a remote endpoint decides for itself)."""
    if endpoint:
        from ..sparql.endpoint import Auth, EndpointEngine

        return EndpointEngine(endpoint, Auth(user, password, digest), timeout)
    from ..rdf.store import open_graph
    from ..sparql.query import OxigraphEngine

    return OxigraphEngine(open_graph(graph), allow_federation=allow_federation)


def run_query_to(spec_query, graph: Path | None, params: dict[str, str], fmt, out, timeout: float | None = None,  # noqa: ANN001
                 allow_federation: bool = False) -> int:  # fmt: skip
    """Run a query on the embedded store and write its result to `out` (a text stream).

    With a timeout the query runs in a child process that is stopped when the time is
    up (Oxigraph cannot interrupt a query in the middle), and the result is streamed
    from a temporary file once it is complete. The child ends with this process, even
    when it is killed (children.py); a folder a killed run left is removed by the next.
    Returns the number of rows written.
    """
    from ..rdf.store import open_graph, reading
    from ..sparql.query import OxigraphEngine, QueryError, run_query
    from ..sparql.results import write_result

    if timeout is None:
        with reading(graph):
            engine = OxigraphEngine(open_graph(graph), allow_federation=allow_federation)
            return write_result(run_query(spec_query, engine, params), fmt, out)
    import multiprocessing
    import shutil
    import tempfile

    from ..common.leftovers import QUERY_PREFIX, remove_stale_queries

    remove_stale_queries()
    with tempfile.TemporaryDirectory(prefix=f"{QUERY_PREFIX}{os.getpid()}-") as tmp:
        result_file = Path(tmp) / "result"
        error_file = Path(tmp) / "error"
        ctx = multiprocessing.get_context("fork")
        proc = ctx.Process(
            target=_query_child,
            args=(spec_query, graph, params, fmt, result_file, error_file, os.getpid(), allow_federation),
            daemon=True,
        )
        proc.start()
        proc.join(timeout)
        if proc.is_alive():
            proc.kill()
            proc.join()
            raise QueryError(f"{spec_query.name}: stopped after {timeout:g} s (--timeout)")
        if error_file.exists():
            raise QueryError(error_file.read_text(encoding="utf-8"))
        if proc.exitcode != 0:
            raise QueryError(f"{spec_query.name}: the query process failed (exit {proc.exitcode})")
        with result_file.open(encoding="utf-8") as f:
            shutil.copyfileobj(f, out)
        return int((Path(tmp) / "rows").read_text() or 0) if (Path(tmp) / "rows").exists() else 0


def _query_child(  # noqa: ANN001
    spec_query, graph, params, fmt, result_file: Path, error_file: Path, parent: int, allow_federation: bool = False
) -> None:
    import shutil

    from ..common.paths import os_error_text
    from ..rdf.store import StoreError, open_graph, reading
    from ..sparql.query import OxigraphEngine, QueryError, run_query
    from ..sparql.results import write_result

    die_with_parent(parent, lambda: shutil.rmtree(result_file.parent, ignore_errors=True))
    try:
        with reading(graph):
            engine = OxigraphEngine(open_graph(graph), allow_federation=allow_federation)
            with result_file.open("w", encoding="utf-8") as f:
                n = write_result(run_query(spec_query, engine, params), fmt, f)
        (result_file.parent / "rows").write_text(str(n))
    except (QueryError, StoreError) as e:
        error_file.write_text(str(e), encoding="utf-8")
    except OSError as e:  # the temporary folder's disk is full ...
        error_file.write_text(os_error_text(e, result_file.parent), encoding="utf-8")
    except Exception as e:  # noqa: BLE001 - told as one line by the parent, not as a traceback
        error_file.write_text(f"{spec_query.name}: the query failed ({type(e).__name__}: {e})", encoding="utf-8")

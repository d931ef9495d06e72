"""Load: the served endpoint (`ctn-graph serve`, Oxigraph's read-only server on the built
store) answers 8 concurrent clients x 200 library queries each, every answer the same as
a lone client gets, with no error.

Everything runs on 127.0.0.1 and is bounded: the clients stop at DEADLINE_S and the test
fails if they had to. Marked `load`, so `pytest -m "not load"` skips it; it runs by default.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ctn_graph.rdf.store import write_store_dir
from ctn_graph.sparql.endpoint import EndpointEngine
from ctn_graph.sparql.query import LibraryQuery, bindings_for, load_library

from .servers import Server, start_ctn_serve

pytestmark = pytest.mark.load

CLIENTS = 8
QUERIES_PER_CLIENT = 200
DEADLINE_S = 60.0


@pytest.fixture(scope="module")
def served(tmp_path_factory, seed_store) -> Iterator[Server]:
    work: Path = tmp_path_factory.mktemp("load")
    store = work / "graph.store"
    write_store_dir(seed_store, store)
    server = start_ctn_serve(store, work)
    try:
        yield server
    finally:
        server.stop()


def answer(engine: EndpointEngine, query: LibraryQuery) -> object:
    """A comparable form of a query's answer: sorted rows (or triples) of RDF terms."""
    res = engine.run(query, bindings_for(query)).materialise()
    if res.form == "ASK":
        return res.boolean
    if res.form == "SELECT":
        return sorted(tuple(row[v].n3() if v in row else "" for v in res.variables) for row in res.rows)
    return sorted(tuple(t.n3() for t in triple) for triple in res.triples)


def test_eight_clients_send_two_hundred_library_queries_each_without_an_error(served):
    library = list(load_library().values())
    engine = EndpointEngine(served.base + "/query", timeout=30)
    expected = {q.name: answer(engine, q) for q in library}  # what a lone client gets
    assert all(expected.values()), [name for name, a in expected.items() if not a]
    deadline = time.monotonic() + DEADLINE_S

    def client(k: int) -> tuple[int, list[str]]:
        done, errors = 0, []
        for i in range(QUERIES_PER_CLIENT):
            if time.monotonic() > deadline:
                errors.append(f"client {k}: stopped at the {DEADLINE_S:g} s deadline after {done} queries")
                break
            q = library[(k * 7 + i) % len(library)]  # the clients start at different queries
            try:
                got = answer(engine, q)
            except Exception as e:  # noqa: BLE001 - every error is a finding
                errors.append(f"client {k}: {q.name}: {type(e).__name__}: {e}")
                continue
            if got != expected[q.name]:
                errors.append(f"client {k}: {q.name}: a different answer under load")
            done += 1
        return done, errors

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(client, range(CLIENTS)))
    elapsed = time.monotonic() - t0
    errors = [e for _, errs in results for e in errs]
    assert not errors, errors[:10]
    assert sum(done for done, _ in results) == CLIENTS * QUERIES_PER_CLIENT
    assert served.proc.poll() is None, served.log_tail()
    print(f"{CLIENTS * QUERIES_PER_CLIENT} queries in {elapsed:.1f} s ({CLIENTS * QUERIES_PER_CLIENT / elapsed:.0f}/s)")

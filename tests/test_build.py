"""The streaming build (records spilled to disk, resolution by key summaries, quads written
one document at a time) gives exactly the graph of the in-memory pipeline."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ctn_graph.ir import DocRecord
from ctn_graph.pipeline.build import build
from ctn_graph.pipeline.memory import build_resolved, read_documents, to_store
from ctn_graph.pipeline.merge import _merge_persons, _UnionFind
from ctn_graph.pipeline.options import BuildOptions

SEEDS = Path(__file__).resolve().parent.parent / "data" / "corpus" / "seeds"


def _quads(store: ox.Store) -> set[str]:
    """The quads without blank nodes (the ontology's, relabelled by every parser) and
    the number of those with one."""
    named = {str(q) for q in store if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}
    return named | {f"blank quads: {len(store) - len(named)}"}


def test_streaming_build_equals_the_in_memory_graph(tmp_path):
    out = tmp_path / "g.nq"
    summary = build([SEEDS], out, BuildOptions(), store_dir=tmp_path / "g.store")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == summary.triples  # each quad written once
    streamed = ox.Store()
    streamed.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    docs, _ = read_documents([SEEDS])
    expected = to_store(build_resolved(docs))
    assert _quads(streamed) == _quads(expected)
    assert _quads(ox.Store.read_only(str(tmp_path / "g.store"))) == _quads(expected)


def test_turtle_output_is_the_union_of_the_document_graphs(tmp_path):
    build([SEEDS], tmp_path / "g.ttl", BuildOptions(), store_dir=tmp_path / "g.store")
    ttl = ox.Store()
    ttl.load(path=str(tmp_path / "g.ttl"), format=ox.RdfFormat.TURTLE)
    store = ox.Store.read_only(str(tmp_path / "g.store"))

    def triples(s: ox.Store) -> set[str]:
        return {str(q.triple) for q in s if not {type(q.subject), type(q.object)} & {ox.BlankNode}}

    assert triples(ttl) == triples(store)
    written = [str(t) for t in ox.parse(path=str(tmp_path / "g.ttl"), format=ox.RdfFormat.TURTLE)]
    assert len(written) == len(set(written))  # each triple stated once, though in several documents' graphs


def test_records_pickle_round_trip():
    import pickle

    from ctn_graph.pipeline.extraction import extract_documents

    docs, _ = read_documents([SEEDS])
    for x in extract_documents(docs[:2]):
        rec = DocRecord.of(x)
        assert pickle.loads(pickle.dumps(rec)) == rec
        assert rec.document.text == "" and rec.sentences  # the text is not carried, evidence sentences are


def _naive_merge(persons):
    """The pairwise comparison the indexed merge must equal."""
    from ctn_graph.pipeline.merge import _person_key, _similar

    uf = _UnionFind()
    full = [(k, d, _person_key(n)) for k, n, d in sorted(set(persons))]
    for i, (k1, d1, (f1, l1)) in enumerate(full):
        for k2, d2, (f2, l2) in full[i + 1 :]:
            if not l1 or not l2 or k1 == k2:
                continue
            initial = len(f1) == 1 or len(f2) == 1
            if initial and d1 != d2:
                continue
            same_first = f1[:1] == f2[:1] if initial else _similar(f1, f2) or f1[:2] == f2[:2]
            if same_first and _similar(l1, l2):
                uf.union(k1, k2)
    return uf


def test_indexed_person_merge_equals_pairwise_comparison():
    import random

    rng = random.Random(7)
    firsts = ["Jānis", "Janis", "J.", "Anna", "Ana", "A.", "Alexandru", "Aleksandru", "Pēteris"]
    lasts = ["Bērziņš", "Berzins", "Bērziņa", "Pinzaru", "Pinzari", "Ozols", "Ozoliņš", "Kalniņš", "Kalns", "Lee"]
    persons = set()
    for i in range(300):
        name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        persons.add((f"person:{name.lower()}:{i % 7}", name, f"d{rng.randrange(5)}"))
    fast = _UnionFind()
    _merge_persons(persons, fast)
    slow = _naive_merge(persons)
    keys = sorted({k for k, _n, _d in persons})
    assert [fast.find(k) for k in keys] == [slow.find(k) for k in keys]


def _corpus_with_bad_files(tmp_path: Path) -> list[Path]:
    """The seeds with an empty file and a binary file among them."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "001a_empty.txt").write_text("  \n", encoding="utf-8")
    (docs / "003a_binary.txt").write_bytes(b"\x00\x01binary")
    return sorted(docs.iterdir())


def _outcomes(spill) -> list[str]:  # noqa: ANN001
    return [str(r) if isinstance(r, Exception) else r.document.id for r in spill.results()]


def test_worker_spills_keep_file_order_and_errors_in_place(tmp_path):
    from ctn_graph.pipeline.extraction import spill_records
    from ctn_graph.pipeline.ingest import unique_ids

    files = _corpus_with_bad_files(tmp_path)
    ids = unique_ids(files)
    got = {}
    for jobs in (1, 3):
        folder = tmp_path / f"j{jobs}"
        folder.mkdir()
        got[jobs] = _outcomes(spill_records(files, ids, BuildOptions(jobs=jobs), folder))
    assert got[1] == got[3]
    assert len(got[1]) == len(files)
    bad = {files.index(f) for f in files if f.name.startswith(("001a", "003a"))}
    for i, outcome in enumerate(got[1]):
        if i in bad:
            assert outcome.startswith(str(files[i])) and ("empty file" in outcome or "binary file" in outcome)
        else:
            assert outcome == ids[i]


def test_a_strict_spill_stops_at_the_first_bad_file(tmp_path):
    import pytest

    from ctn_graph.pipeline.extraction import spill_records
    from ctn_graph.pipeline.ingest import IngestError, unique_ids

    files = _corpus_with_bad_files(tmp_path)
    with pytest.raises(IngestError, match="001a_empty.txt: empty file"):
        spill_records(files, unique_ids(files), BuildOptions(jobs=2), tmp_path, stop_at_error=True)


def test_a_damaged_cache_entry_is_extracted_again(tmp_path):
    from ctn_graph.pipeline.extraction import spill_records
    from ctn_graph.pipeline.ingest import iter_paths, unique_ids

    files = list(iter_paths([SEEDS]))
    ids = unique_ids(files)
    options = BuildOptions(cache_dir=tmp_path / "cache")
    (tmp_path / "a").mkdir()
    first = _outcomes(spill_records(files, ids, options, tmp_path / "a"))
    entries = sorted((tmp_path / "cache").rglob("*.pickle"))
    assert len(entries) == len(files)
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # cut short
    entries[1].write_bytes(entries[1].read_bytes() + b"more")  # a record and something after it
    (tmp_path / "b").mkdir()
    again = spill_records(files, ids, options, tmp_path / "b")
    assert _outcomes(again) == first
    assert [r.document.path for r in again.records()] == [str(f) for f in files]
    assert all(len(e.read_bytes()) > 100 and not e.read_bytes().endswith(b"more") for e in entries)  # mended


def test_the_garbage_collector_is_given_back_as_it_was(tmp_path):
    """build tunes the collector for batch work; a program calling it finds its own
    settings again afterwards, also when the build fails."""
    import gc

    import pytest

    from ctn_graph.pipeline.ingest import IngestError

    before = gc.get_threshold()
    gc.set_threshold(500, 7, 9)
    try:
        build([SEEDS], tmp_path / "g.ttl", BuildOptions())
        assert gc.get_threshold() == (500, 7, 9) and gc.get_freeze_count() == 0 and gc.isenabled()
        with pytest.raises(IngestError):
            build([tmp_path / "missing"], tmp_path / "h.ttl", BuildOptions())
        assert gc.get_threshold() == (500, 7, 9) and gc.get_freeze_count() == 0
        own = [object()]
        gc.freeze()  # a program's own frozen objects stay frozen
        frozen = gc.get_freeze_count()
        build([SEEDS], tmp_path / "i.ttl", BuildOptions())
        # (frozen objects that the build's caches let go of are freed: the count may fall)
        assert not any(o is own for o in gc.get_objects()) and 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def _all_quads(store_dir: Path) -> set[str]:
    return _quads(ox.Store.read_only(str(store_dir)))  # blank nodes are relabelled by every load


def test_a_rebuild_writes_only_the_changed_graphs_and_gives_the_full_builds_store(tmp_path, monkeypatch):
    """After one document changed, one was added and one removed, the store is a copy of
    the old one with only the graphs that differ written again, and holds exactly the
    quads of a store built from nothing."""
    import shutil

    import ctn_graph.rdf.store

    monkeypatch.setattr(ctn_graph.rdf.store, "IN_PLACE_SHARE", 1.0)  # 3 of 5 documents differ: in place all the same

    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    first = build([docs], tmp_path / "g.ttl", BuildOptions(), store_dir=tmp_path / "g.store")
    # a new store is filled while the graph is written; what is left after is "finish store"
    assert "finish store" in first.phases and first.store_graphs_written == first.documents + 1
    files = sorted(docs.iterdir())
    added = "\nProjektu finansē Eiropas Komisija.\n"
    files[0].write_text(files[0].read_text(encoding="utf-8") + added, encoding="utf-8")
    shutil.copy(files[1], docs / "zz_copy.txt")
    files[2].unlink()
    again = build([docs], tmp_path / "g.ttl", BuildOptions(), store_dir=tmp_path / "g.store")
    assert "update store" in again.phases
    # the changed, the added and the removed document, and the default graph (a new funder)
    assert again.store_graphs_written <= 4 < again.documents + 1
    build([docs], tmp_path / "fresh.ttl", BuildOptions(), store_dir=tmp_path / "fresh.store")
    assert _all_quads(tmp_path / "g.store") == _all_quads(tmp_path / "fresh.store")
    assert len(ox.Store.read_only(str(tmp_path / "g.store"))) == again.triples


def test_a_rebuild_that_changes_much_or_finds_no_list_of_graphs_writes_the_store_whole(tmp_path):
    from ctn_graph.rdf.manifest import MANIFEST

    store = tmp_path / "g.store"
    build([SEEDS], None, BuildOptions(), store_dir=store)
    other = build([SEEDS], None, BuildOptions(actors=False), store_dir=store)  # every graph differs
    assert "write store" in other.phases
    (store / MANIFEST).write_text("{not json", encoding="utf-8")
    damaged = build([SEEDS], None, BuildOptions(), store_dir=store)
    assert "finish store" in damaged.phases  # nothing to compare with: filled like a new store
    build([SEEDS], None, BuildOptions(), store_dir=tmp_path / "fresh.store")
    assert _all_quads(store) == _all_quads(tmp_path / "fresh.store")


def test_the_store_loader_fills_a_store_from_parts_as_they_are_written(tmp_path):
    """A new store is loaded in a thread while the next parts are written: it ends with
    every quad of every part, and the parts are deleted once loaded."""
    from ctn_graph.rdf.parts import NQuadsParts
    from ctn_graph.rdf.store import StoreLoader

    quads = [
        ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(f"v{i}"), ox.NamedNode(f"urn:g{i % 3}"))
        for i in range(25)
    ]
    (tmp_path / "store").mkdir()
    (tmp_path / "parts").mkdir()
    with StoreLoader(tmp_path / "store") as loader:
        parts = NQuadsParts(tmp_path / "parts", 10, loader.submit)
        for i in range(0, len(quads), 5):
            parts.begin(f"urn:g{i}")
            parts.write(ox.serialize(quads[i : i + 5], None, ox.RdfFormat.N_QUADS) or b"", 5)
        parts.close()
        loader.finish()
    assert len(parts.paths) == 3 and not any(p.exists() for p in parts.paths)
    assert set(ox.Store.read_only(str(tmp_path / "store"))) == set(quads)


def test_the_store_loader_reports_a_part_it_cannot_load_and_stops_when_left(tmp_path):
    import pytest

    from ctn_graph.rdf.store import StoreLoader

    bad = tmp_path / "bad.nq"
    bad.write_bytes(b"<urn:s> <urn:p> .\n")
    (tmp_path / "a").mkdir()
    with pytest.raises(SyntaxError), StoreLoader(tmp_path / "a") as loader:
        loader.submit(bad)
        loader.finish()
    assert bad.exists()  # a part is deleted only once loaded
    (tmp_path / "b").mkdir()
    with StoreLoader(tmp_path / "b") as left:
        pass  # a build that failed before finishing: the thread stops with the block
    assert not left._thread.is_alive()


def test_a_documents_quads_are_all_in_its_own_graph():
    """What lets a rebuild replace one document's graph alone: record_quads puts nothing
    in another graph."""
    from ctn_graph.pipeline.extraction import _extractor
    from ctn_graph.pipeline.mapping import doc_node, record_quads
    from ctn_graph.pipeline.resolve import Resolver

    docs, _ = read_documents([SEEDS])
    resolver = Resolver(_extractor(True, "LV").gaz)
    ex = _extractor(True, "LV")
    records = [DocRecord.of(ex.extract(d)) for d in docs]
    for rec in records:
        resolver.add(rec)
    resolver.finish()
    for rec in records:
        graphs = {q.graph_name for q in record_quads(rec, resolver)}
        assert graphs == {doc_node(rec.document.id)}

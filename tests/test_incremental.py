"""Rebuilds (pipeline/rebuild.py): a build after documents changed, were added, removed or
renamed redoes only what the change touches, and gives exactly what a build from nothing
gives: the same graph file, byte for byte, the same store, the same summary."""

from __future__ import annotations

import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ctn_graph.pipeline.build import build
from ctn_graph.pipeline.options import BuildOptions, BuildSummary
from ctn_graph.pipeline.resolve import Resolver

from .test_build import _all_quads

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "corpus" / "seeds"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and 40 documents of the benchmark's synthetic corpus (ministries, NGOs,
    projects, persons and events named across documents in inflected forms)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import DocumentWriter, Vocabulary
    finally:
        sys.path.remove(str(ROOT / "bench"))
    out = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SEEDS, out, dirs_exist_ok=True)
    writer = DocumentWriter(Vocabulary(), 7)
    for i in range(40):
        (out / f"doc_{i:03d}.txt").write_text(writer.document(i), encoding="utf-8")
    (out / "zz_project.txt").write_text(PROJECT, encoding="utf-8")
    return out


# a document that later ones change the graph of: they make Valsts policija the project's lead
# partner, and spell the person's name more often the other way (a new preferred label, a new IRI)
PROJECT = (
    'Projekta "Droša nākotne" partneri ir Valsts policija un biedrība "Centrs MARTA". '
    "Moldovas Darba inspekcijas vadītājs Alexandru Pinzaru uzrunāja dalībniekus.\n"
)
LEAD = 'Projekta "Droša nākotne" vadošais partneris ir Valsts policija.\n'
SPELLING = "Moldovas Darba inspekcijas vadītājs Alexandru Pinzari atklāja konferenci. Alexandru Pinzari teica runu.\n"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")  # extractions shared by the tests (the cache is tested elsewhere)


def _build(docs: Path, out: Path, cache: Path) -> BuildSummary:
    return build([docs], out, BuildOptions(cache_dir=cache), store_dir=out.with_suffix(".store"))


def _append(name: str, text: str) -> Callable[[Path], None]:
    def edit(docs: Path) -> None:
        p = docs / name
        p.write_text(p.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def _add(name: str, text: str) -> Callable[[Path], None]:
    return lambda docs: (docs / name).write_text(text, encoding="utf-8")


def _remove(name: str) -> Callable[[Path], None]:
    return lambda docs: (docs / name).unlink()


def _rename(old: str, new: str) -> Callable[[Path], None]:
    return lambda docs: (docs / old).rename(docs / new)


NEW = (
    min(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    + "\nVadošais partneris: Iekšlietu ministrija. Partneri: Latvijas Republikas Labklājības ministrija.\n"
)
PERSON = (
    'Valsts policijas priekšnieks Armands Ruks tikās ar biedrības "Centrs MARTA" vadītāju. '
    "Armands Rukss uzsvēra sadarbību.\n"
)

EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("a sentence added", _append("doc_010.txt", '\nProjekta partneri: Valsts policija un biedrība "Centrs MARTA".\n')),
    ("a new funder", _append("doc_020.txt", "\nProjektu finansē Eiropas Komisija.\n")),
    ("a document added", _add("zz_new.txt", NEW)),
    ("a document removed", _remove("doc_005.txt")),
    ("a document renamed", _rename("doc_030.txt", "doc_030b.txt")),
    ("an acronym declared", _add("zz_acronym.txt", 'Biedrība "Patvērums "Drošā māja"" (PDM) rīkoja semināru. '
                                 "PDM sadarbojas ar Valsts policiju.\n")),
    ("the acronym taken back", _remove("zz_acronym.txt")),
    ("an unreadable file", lambda docs: (docs / "zz_binary.txt").write_bytes(b"\x00\x01\x02binary")),
    ("a lead partner named", _add("zz_lead.txt", LEAD)),
    ("a name spelled the other way", _add("zz_spelling.txt", SPELLING)),
    ("the other spelling taken back", _remove("zz_spelling.txt")),
    ("a person's name spelled two ways", _add("zz_person.txt", PERSON)),
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nt", "nq"])
def test_a_rebuild_after_each_kind_of_change_equals_a_build_from_nothing(corpus, cache, tmp_path, fmt):
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    out = tmp_path / "out" / f"g.{fmt}"
    first = _build(docs, out, cache)
    assert first.graphs_remade is None  # nothing to start from
    edits = EDITS if fmt == "ttl" else EDITS[:4]
    for step, (what, edit) in enumerate(edits):
        edit(docs)
        again = _build(docs, out, cache)
        fresh_out = tmp_path / f"fresh{step}" / f"g.{fmt}"
        fresh = build([docs], fresh_out, BuildOptions(), store_dir=fresh_out.with_suffix(".store"))
        assert again.graphs_remade is not None and again.graphs_remade < again.documents, what
        if what in ("a lead partner named", "a name spelled the other way", "the other spelling taken back"):
            assert again.graphs_remade >= 2, what  # zz_project.txt's graph too
        assert again.documents_changed == (2 if what == "a document renamed" else 1), what  # removed + added
        assert out.read_bytes() == fresh_out.read_bytes(), what
        assert _all_quads(out.with_suffix(".store")) == _all_quads(fresh_out.with_suffix(".store")), what
        assert (again.documents, again.skipped, again.triples) == (fresh.documents, fresh.skipped, fresh.triples)
        assert (again.entities, again.relations) == (fresh.entities, fresh.relations), what


def test_a_rebuild_with_nothing_changed_makes_no_graph_and_writes_the_same_bytes(corpus, cache, tmp_path):
    out = tmp_path / "g.ttl"
    _build(corpus, out, cache)
    before = out.read_bytes()
    again = _build(corpus, out, cache)
    assert (again.graphs_remade, again.documents_changed, again.store_graphs_written) == (0, 0, 0)
    assert out.read_bytes() == before


def test_a_rebuild_starts_from_nothing_when_the_outputs_are_not_as_the_last_build_left_them(corpus, cache, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    out = tmp_path / "g.ttl"
    _build(docs, out, cache)
    _append("doc_001.txt", "\nProjektu finansē Eiropas Komisija.\n")(docs)
    out.write_bytes(out.read_bytes() + b"# edited by hand\n")  # its pieces can no longer be trusted
    assert _build(docs, out, cache).graphs_remade is None
    shutil.rmtree(out.with_suffix(".store"))
    assert _build(docs, out, cache).graphs_remade is None  # a store to write whole
    assert _build(docs, out, cache).graphs_remade == 0
    build([docs], out, BuildOptions(actors=False, cache_dir=cache), store_dir=out.with_suffix(".store"))
    assert _build(docs, out, cache).graphs_remade is None  # other options last time
    fresh = tmp_path / "fresh" / "g.ttl"
    build([docs], fresh, BuildOptions(), store_dir=fresh.with_suffix(".store"))
    assert out.read_bytes() == fresh.read_bytes()


def test_a_rebuild_starts_from_nothing_when_an_old_record_left_the_cache_or_much_changed(corpus, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    cache = tmp_path / "cache"
    out = tmp_path / "g.nq"
    _build(docs, out, cache)
    for entry in cache.rglob("*.pickle"):  # the last build's records: a changed document's is needed
        entry.unlink()
    _append("doc_002.txt", "\nProjektu finansē Eiropas Komisija.\n")(docs)
    assert _build(docs, out, cache).graphs_remade is None
    for p in sorted(docs.glob("doc_0[0-1]*.txt")):  # 20 of 45 files
        _append(p.name, "\nProjektu finansē Eiropas Komisija.\n")(docs)
    assert _build(docs, out, cache).graphs_remade is None
    fresh = tmp_path / "fresh" / "g.nq"
    build([docs], fresh, BuildOptions(), store_dir=fresh.with_suffix(".store"))
    assert out.read_bytes() == fresh.read_bytes()


def test_a_damaged_state_means_a_build_from_nothing(corpus, cache, tmp_path):
    from ctn_graph.pipeline.rebuild import state_folder

    out = tmp_path / "g.ttl"
    _build(corpus, out, cache)
    state = state_folder(out, out.with_suffix(".store"))
    assert state is not None and (state / "build.pickle").is_file()
    (state / "build.pickle").write_bytes(b"not a pickle")
    assert _build(corpus, out, cache).graphs_remade is None
    assert _build(corpus, out, cache).graphs_remade == 0  # and the state is whole again


def test_a_resolver_brought_up_to_date_equals_one_given_the_records_from_the_start(corpus, tmp_path):
    """Random sequences of documents added, removed and replaced by another version: after
    each `finish`, the same entities, relations and views as a fresh resolver's, also
    across `save` and `load`."""
    from ctn_graph.ir import DocRecord
    from ctn_graph.pipeline.extraction import _extractor, extract_documents
    from ctn_graph.pipeline.ingest import parse_document
    from ctn_graph.pipeline.memory import read_documents

    docs, _ = read_documents([corpus])
    variants = [
        parse_document(d.text + '\nBiedrība "Drošā māja" (DM) un Valsts policija (VP) ir projekta partneri. '
                       "Jānis Bērziņš un Janis Berzins runāja.\n", d.id)
        for d in docs[::4]
    ]  # fmt: skip
    records = [DocRecord.of(x) for x in extract_documents([*docs, *variants])]
    originals, changed = records[: len(docs)], records[len(docs) :]
    gaz = _extractor(True, "LV").gaz
    rng = random.Random(11)
    live: dict[str, DocRecord] = {}
    resolver = Resolver(gaz)
    for step in range(25):
        for _ in range(rng.randint(1, 6)):
            rec = rng.choice(originals + changed)
            old = live.get(rec.document.id)
            if old is not None:
                resolver.remove(old)
                del live[rec.document.id]
            if old is not rec and rng.random() < 0.8:
                resolver.add(rec)
                live[rec.document.id] = rec
        resolver.finish()
        fresh = Resolver(gaz)
        for rec in sorted(live.values(), key=lambda r: r.document.id):
            fresh.add(rec)
        fresh.finish()
        assert resolver.entities == fresh.entities, step
        assert (resolver.grouped, resolver.leads, resolver.relations) == (fresh.grouped, fresh.leads, fresh.relations)
        assert resolver.views() == fresh.views()
        for rec in live.values():
            assert resolver.doc_claims(rec) == fresh.doc_claims(rec)
        if step % 8 == 7:
            resolver.save(tmp_path / "r.pickle")
            resolver = Resolver.load(tmp_path / "r.pickle", gaz)


def test_person_merge_brought_up_to_date_equals_a_fresh_one():
    from ctn_graph.pipeline.merge import _PersonMerge

    rng = random.Random(3)
    firsts = ["Jānis", "Janis", "J.", "Anna", "Ana", "A.", "Alexandru", "Aleksandru"]
    lasts = ["Bērziņš", "Berzins", "Bērziņa", "Pinzaru", "Pinzari", "Ozols", "Ozoliņš", "Kalniņš"]
    persons: dict[str, set[tuple[str, str]]] = {}
    merge = _PersonMerge()
    for _ in range(30):
        for _ in range(rng.randint(1, 4)):
            doc = f"d{rng.randrange(12)}"
            if doc in persons and rng.random() < 0.4:
                del persons[doc]
            else:
                name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
                persons.setdefault(doc, set()).add((f"person:{name.lower()}:{rng.randrange(3)}", name))
        assert merge.update(persons) == _PersonMerge().update(persons)


def test_the_same_corpus_given_another_way_is_not_a_change(corpus, cache, tmp_path, monkeypatch):
    """A rebuild with the corpus folder given as a relative path after an absolute one (or
    moved) finds every file unchanged: a graph names its file, not the folder."""
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    out = tmp_path / "g.ttl"
    _build(docs, out, cache)
    before = out.read_bytes()
    monkeypatch.chdir(tmp_path)
    again = build([Path("docs")], Path("g.ttl"), BuildOptions(cache_dir=cache), store_dir=Path("g.store"))
    assert (again.documents_changed, again.graphs_remade) == (0, 0)
    assert out.read_bytes() == before
    docs.rename(tmp_path / "moved")
    moved = build([Path("moved")], Path("g.ttl"), BuildOptions(cache_dir=cache), store_dir=Path("g.store"))
    assert (moved.documents_changed, moved.graphs_remade) == (0, 0)
    assert out.read_bytes() == before

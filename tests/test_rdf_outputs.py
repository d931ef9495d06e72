"""The six RDF outputs of `build` (issue 16, item 4): each parses with rdflib and pyoxigraph
(and the JSON-LD with pyld) to the quads of the store the same build wrote; Turtle and
TriG are written to be read (a prefix per kind of node, no backslash escapes, one block
per subject, blank lines between); JSON-LD is compacted with an inline @context.

Like with like: the dataset formats (TriG, N-Quads, JSON-LD) are compared with every quad
of the store, graph names included; the triple formats (Turtle, N-Triples, RDF/XML) hold
the merged graph, so they are compared with the set of the store's distinct triples over
all its graphs (a triple stated in several documents' graphs once). The ontology's blank
nodes are compared through pyoxigraph's canonical blank node labels on both sides."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from ctn_graph.pipeline.build import build
from ctn_graph.rdf.export import GraphFile, GraphFormat, write_quads_to, write_store
from ctn_graph.rdf.vocab import CTN_NS, FILE_PREFIXES, ID_NS

from .conftest import SEEDS

FORMATS = ["ttl", "trig", "nt", "nq", "jsonld", "rdf"]
RDFLIB = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld", "rdf": "xml"}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[ox.Quad]]:
    """The seed corpus built into each format, the store written by the first build."""
    folder = tmp_path_factory.mktemp("formats")
    build([SEEDS], folder / "graph.trig", store_dir=folder / "graph.store")
    for ext in FORMATS:
        if ext != "trig":
            build([SEEDS], folder / f"graph.{ext}")
    store = ox.Store.read_only(str(folder / "graph.store"))
    return folder, list(store)


def canonical(quads) -> set[ox.Quad]:  # noqa: ANN001
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(ds)


def merged(quads: list[ox.Quad]) -> set[ox.Quad]:
    """The merged graph: each distinct triple once, in the default graph."""
    return {ox.Quad(q.subject, q.predicate, q.object) for q in quads}


def _ox_term(t):  # noqa: ANN001, ANN202
    if isinstance(t, rdflib.URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, rdflib.BNode):
        return ox.BlankNode(str(t))
    assert isinstance(t, rdflib.Literal)
    if t.language:
        return ox.Literal(str(t), language=t.language)
    return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD_STRING)))


def rdflib_quads(path: Path, ext: str) -> list[ox.Quad]:
    ds = rdflib.Dataset()
    ds.parse(str(path), format=RDFLIB[ext])
    out = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        g = getattr(g, "identifier", g)
        graph = ox.DefaultGraph() if g is None or g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else _ox_term(g)
        out.append(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), graph))
    return out


def pyld_quads(path: Path) -> list[ox.Quad]:
    from pyld import jsonld

    def no_network(url, options=None):  # noqa: ANN001, ANN202
        raise AssertionError(f"pyld tried to fetch {url}: the context must be inline")

    nquads = jsonld.to_rdf(
        json.loads(path.read_text(encoding="utf-8")),
        {"format": "application/n-quads", "documentLoader": no_network},
    )
    return list(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("ext", FORMATS)
def test_every_output_parses_with_rdflib_and_pyoxigraph_to_the_stores_quads(built, ext):
    folder, store_quads = built
    path = folder / f"graph.{ext}"
    fmt = GraphFormat(ext)
    expected = canonical(store_quads if fmt.has_datasets else merged(store_quads))
    by_oxigraph = canonical(ox.parse(path=str(path), format=fmt.rdf_format))
    by_rdflib = canonical(rdflib_quads(path, ext))
    assert len(expected) > 4000
    assert by_oxigraph == expected, (len(by_oxigraph - expected), len(expected - by_oxigraph))
    assert by_rdflib == expected, (len(by_rdflib - expected), len(expected - by_rdflib))
    if ext == "jsonld":
        assert canonical(pyld_quads(path)) == expected


def _blocks(text: str) -> list[str]:
    body = text.split("\n\n", 1)[1]  # after the @prefix lines
    return [b for b in body.split("\n\n") if b.strip() and b.strip() != "}"]


def _subject(block: str) -> str:
    return block.split("\n", 1)[0].strip().split(" ", 1)[0]


def test_turtle_names_nodes_by_kind_without_escapes_one_block_per_subject(built):
    folder, _ = built
    text = (folder / "graph.ttl").read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]
    for name in ("rdf", "rdfs", "xsd", "skos", "prov", "dcterms", "owl", "ctn", "ctnorg", "ctnproj", "ctndoc"):
        assert f"@prefix {name}: <{FILE_PREFIXES[name]}> ." in header
    assert "ctnorg:lv-iem a ctn:Ministry" in text  # the Ministry of the Interior, by its kind's prefix
    assert "ctnid:" not in text.split("\n\n", 1)[1]
    outside_literals = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)
    assert "\\" not in outside_literals  # no `ctnid:org\/lv-iem`: escapes only in literals
    # a sentence, which no prefix names without an escape, is written in full
    assert re.search(r"<https://w3id\.org/ctn/id/doc/[^>]+/s/\d+> a ctn:Sentence", text)
    blocks = _blocks(text)
    subjects = [_subject(b) for b in blocks]
    for block in blocks:  # each block is one subject's: its statements end with the block
        assert block.rstrip().endswith(" ."), block[:200]
        assert block.count(" .\n") == 0, block[:200]
    # the nodes of one document (itself, its sentences, the evidence read from it) in one
    # block each
    own = [s for s in subjects if s.startswith(("ctndoc:", "ctnevidence:", "<https://w3id.org/ctn/id/doc/"))]
    assert len(own) > 100
    assert len(own) == len(set(own))


def test_every_subject_of_the_merged_turtle_is_one_block(built):
    """The .ttl is the merged graph: an entity's statements from the default graph, the
    documents' graphs (ctn:mentionedIn) and the relations are in its one block, and so are
    the ontology's (a class, a blank node of a restriction)."""
    folder, store_quads = built
    text = (folder / "graph.ttl").read_text(encoding="utf-8")
    blocks = _blocks(text)
    subjects = [_subject(b) for b in blocks]
    repeated = sorted({s for s in subjects if subjects.count(s) > 1})
    assert not repeated, repeated[:5]
    heads = [ln.split(" ", 1)[0] for ln in text.split("\n\n", 1)[1].splitlines() if ln and not ln.startswith("\t")]
    assert heads == subjects  # a block's other lines are its statements (a tab first)
    # every subject of the store has its block; an entity named in several documents and
    # stating relations has them all in it
    in_store = {q.subject for q in store_quads}
    assert len(subjects) == len(in_store)
    block = dict(zip(subjects, blocks, strict=True))["ctnorg:lv-iem"]
    mentioned = {q.graph_name for q in store_quads if q.subject.value == ID_NS + "org/lv-iem" and
                 q.predicate.value == CTN_NS + "mentionedIn"}  # fmt: skip
    assert len(mentioned) >= 2
    assert block.startswith("ctnorg:lv-iem a ctn:Ministry")
    for doc in mentioned:
        assert "ctndoc:" + doc.value.rsplit("/", 1)[1] in block
    assert re.search(r"ctn:(partner|leadPartner|fundedBy|country) ", block)


def test_the_turtle_is_the_same_when_its_blocks_are_sorted_on_disk(built, tmp_path, monkeypatch):
    """A corpus too large to sort its blocks in memory: the runs go to files, merged at the
    end, removed after; the file is byte for byte the one sorted in memory."""
    from ctn_graph.rdf import export

    monkeypatch.setattr(export._SubjectMerge, "RUN", 97)
    monkeypatch.setattr(export.tempfile, "tempdir", str(tmp_path))
    folder, _ = built
    spilled = tmp_path / "out" / "g.ttl"
    build([SEEDS], spilled)
    assert spilled.read_bytes() == (folder / "graph.ttl").read_bytes()
    store = ox.Store.read_only(str(folder / "graph.store"))
    write_store(store, tmp_path / "store.ttl")
    assert _blocks((tmp_path / "store.ttl").read_text(encoding="utf-8"))
    subjects = [_subject(b) for b in _blocks((tmp_path / "store.ttl").read_text(encoding="utf-8"))]
    assert len(subjects) == len(set(subjects))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "store.ttl"]  # no run file left


def test_trig_writes_each_graph_once_with_one_block_per_subject(built):
    folder, store_quads = built
    text = (folder / "graph.trig").read_text(encoding="utf-8")
    assert "ctnid:" not in text.split("\n\n", 1)[1]
    assert "\\" not in re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)
    opened = re.findall(r"^(\S+) \{$", text, flags=re.M)
    graphs = {q.graph_name for q in store_quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert len(opened) == len(set(opened)) == len(graphs)  # one `name { }` per graph
    for part in text.split("\n}\n")[:-1]:
        inner = part.split(" {\n", 1)[1] if " {\n" in part else part
        subjects = [_subject(b) for b in inner.split("\n\n") if b.strip()]
        assert len(subjects) == len(set(subjects)), [s for s in subjects if subjects.count(s) > 1][:3]


def test_jsonld_is_compacted_with_an_inline_context(built):
    folder, _ = built
    doc = json.loads((folder / "graph.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and isinstance(doc["@context"], dict)  # inline, never a URL
    assert doc["@context"]["ctnorg"] == ID_NS + "org/"
    assert doc["@context"]["skos"] == FILE_PREFIXES["skos"]
    graphs = {g["@id"]: g["@graph"] for g in doc["@graph"] if "@graph" in g}
    assert graphs and all(name.startswith("ctndoc:") for name in graphs)
    nodes = [n for g in graphs.values() for n in g]
    iem = next(n for n in doc["@graph"] if n["@id"] == "ctnorg:lv-iem")
    assert {"@id": "ctn:Ministry"} in iem["rdf:type"]
    assert any("mentionedIn" in n for n in nodes)  # a ctn term, by its plain name
    text = (folder / "graph.jsonld").read_text(encoding="utf-8")
    assert f'"@id":"{ID_NS}' not in text and '"@id":"ctnorg:' in text


@pytest.mark.parametrize("ext", ["ttl", "trig", "jsonld"])
def test_outputs_are_byte_identical_from_run_to_run(built, tmp_path, ext):
    folder, _ = built
    again = tmp_path / f"again.{ext}"
    build([SEEDS], again)
    assert again.read_bytes() == (folder / f"graph.{ext}").read_bytes()


# a graph made to trip the rewriting: IRIs a prefix cannot name without an escape, and
# literals that look like prefixed names, escapes, block ends and JSON-LD structure
N = ox.NamedNode
HOSTILE = [
    ox.Quad(N(ID_NS + "org/a/b"), N(ID_NS + "org/p.q"), N(ID_NS + "doc/d.1/s/3"), N(ID_NS + "doc/d.1")),
    ox.Quad(
        N(ID_NS + "org/x"),
        N(FILE_PREFIXES["rdfs"] + "label"),
        ox.Literal("ctnorg:a\\/b ctndoc:d\\/s\\/1 .\n x"),
        N(ID_NS + "doc/d.1"),
    ),
    ox.Quad(
        N(ID_NS + "org/x"),
        N(FILE_PREFIXES["skos"] + "note"),
        ox.Literal('},{"@id":"https://w3id.org/ctn/id/org/y","https://w3id.org/ctn/ontology#partner":[{'),
        N(ID_NS + "doc/d.1"),
    ),
    ox.Quad(N(ID_NS + "org/x"), N(FILE_PREFIXES["ctn"] + "partner"), N(ID_NS + "org/y~z"), N(ID_NS + "doc/d.2")),
    ox.Quad(N(ID_NS + "org/y~z"), N(ID_NS + "org/q"), ox.Literal("5", datatype=N(FILE_PREFIXES["xsd"] + "integer"))),
    ox.Quad(N("http://example.org/a,b"), N(ID_NS + "org/p"), N(ID_NS + "org//double")),
]


def _write_graphs(path: Path, fmt: GraphFormat, quads: list[ox.Quad]) -> None:
    by_graph: dict[str, list[ox.Quad]] = {}
    for q in quads:
        by_graph.setdefault("" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value, []).append(q)
    with path.open("wb") as f:
        writer = GraphFile(f, fmt, None, repeated=frozenset())
        if fmt in (GraphFormat.JSONLD, GraphFormat.RDFXML):
            write_quads_to(writer.tee(by_graph.items()), f, fmt, repeated=frozenset())
        else:
            for name, graph in by_graph.items():
                writer.graph(name, graph)
            writer.close([])


@pytest.mark.parametrize("ext", FORMATS)
def test_nodes_and_literals_that_look_like_syntax_read_back_unchanged(tmp_path, ext):
    fmt = GraphFormat(ext)
    many = HOSTILE + [  # enough for the JSON-LD to reach its writer in several pieces
        ox.Quad(N(f"{ID_NS}org/n{i}"), N(CTN_NS + "partner"), ox.Literal(f'x","@id":"{i}'), N(ID_NS + "doc/d.3"))
        for i in range(3000)
    ]
    path = tmp_path / f"hostile.{ext}"
    _write_graphs(path, fmt, many)
    expected = canonical(many if fmt.has_datasets else merged(many))
    assert canonical(ox.parse(path=str(path), format=fmt.rdf_format)) == expected
    assert canonical(rdflib_quads(path, ext)) == expected
    if ext == "jsonld":
        assert canonical(pyld_quads(path)) == expected


@pytest.mark.parametrize("ext", ["ttl", "trig", "jsonld"])
def test_write_store_writes_the_same_readable_forms(seed_store, tmp_path, ext):
    path = tmp_path / f"store.{ext}"
    write_store(seed_store, path)
    fmt = GraphFormat(ext)
    quads = list(seed_store)
    expected = canonical(quads if fmt.has_datasets else merged(quads))
    assert canonical(ox.parse(path=str(path), format=fmt.rdf_format)) == expected
    assert canonical(rdflib_quads(path, ext)) == expected
    text = path.read_text(encoding="utf-8")
    assert "ctnorg:" in text and "ctnid:org" not in text
    if ext != "jsonld":
        assert "\\" not in re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)

"""Property-based tests: the extractor on random and mutated Latvian text, and the
export round trip for every format."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctn_graph.pipeline.extraction import extract_documents
from ctn_graph.pipeline.ingest import parse_document
from ctn_graph.pipeline.memory import build_resolved, to_store
from ctn_graph.rdf.export import GraphFormat, write_store

from .conftest import SEEDS

SEED_LINES = [
    ln for p in sorted(SEEDS.glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()
]
ALPHABET = "aābcčdeēfgģhiījkķlļmnņoprsštuūvzžAĀBCČDEĒFGĢHIĪJKĶLĻMNŅOPRSŠTUŪVZŽ0123456789 .,;:-–()\"„“”«»'\n\t"

NOISE = ["", "(", ")", "“", "”", '"', " un ", ".", "\n", "<b>", "&amp;", "\u200b", "\u202e"]
latvianish = st.text(alphabet=ALPHABET, max_size=400)
seed_line = st.sampled_from(SEED_LINES)


@st.composite
def mutated(draw) -> str:
    """Seed sentences cut, joined and sprinkled with noise."""
    parts = draw(st.lists(seed_line, min_size=1, max_size=4))
    text = "\n".join(parts)
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 40)))
        noise = draw(
            st.sampled_from(["", "(", ")", "“", "”", '"', " un ", ".", "\n", "<b>", "&amp;", "\u200b", "\u202e"])
        )
        text = text[:i] + noise + text[j:]
    return text


def check_offsets(text: str) -> None:
    doc = parse_document(text, "d")
    for s in doc.sentences:
        assert 0 <= s.start <= s.end <= len(text)
        assert text[s.start : s.end] == s.text
    (x,) = extract_documents([doc])
    for m in x.mentions:
        ev = m.evidence
        assert 0 <= ev.start < ev.end <= len(text)
        assert text[ev.start : ev.end] == m.surface
        assert 0 <= ev.sentence < len(doc.sentences)
        s = doc.sentences[ev.sentence]
        assert s.start <= ev.start and ev.end <= s.end
        assert m.lemma.strip()
    for c in x.claims:
        assert 0 <= c.evidence.start <= c.evidence.end <= len(text)
        assert 0 <= c.evidence.sentence < len(doc.sentences)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(latvianish)
def test_extractor_on_random_text(text):
    check_offsets(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_extractor_on_mutated_documents(text):
    check_offsets(text)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(mutated(), min_size=1, max_size=3))
def test_every_format_round_trips(tmp_path_factory, texts):
    from rdflib.compare import isomorphic

    from ctn_graph.rdf.validate import load_rdflib

    docs = [parse_document(t, f"d{i}") for i, t in enumerate(texts)]
    store = to_store(build_resolved(docs), with_ontology=False)
    folder: Path = tmp_path_factory.mktemp("rt")
    reference = None
    for fmt in GraphFormat:
        path = folder / f"g.{fmt.value}"
        write_store(store, path)
        g = load_rdflib(path)
        assert len(g) == len({(q.subject, q.predicate, q.object) for q in store})
        if reference is None:
            reference = g
        else:
            assert isomorphic(g, reference), fmt
    # datasets keep their named graphs
    trig = folder / "g.trig"
    graphs = {q.graph_name for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)}
    assert graphs == {q.graph_name for q in store}

"""The seed corpus scores at least the floors the project promised (issue 3).

These are regression guards on real output: the graph is built from the bundled seed
documents and scored against the hand-made gold answers, by the rules of
data/gold/README.md.
"""

from __future__ import annotations

import pytest

from ctn_graph.evaluation import evaluate_store, load_gold

from .conftest import GOLD


@pytest.fixture(scope="module")
def report(seed_store):
    return evaluate_store(seed_store, load_gold(GOLD))


def test_main_class_entity_f1(report):
    assert report.main.f1 >= 0.95


def test_relation_f1(report):
    assert report.relations_all.f1 >= 0.85


def test_every_matched_node_has_a_nominative_latvian_label(report):
    assert report.nominative.share == 1.0, report.nominative.not_nominative


def test_seed_graph_conforms_to_the_shapes(seed_store):
    import rdflib

    from ctn_graph.rdf.validate import validate_graph

    g = rdflib.Graph()
    for q in seed_store:
        g.add(tuple(_rdflib(t) for t in (q.subject, q.predicate, q.object)))
    report = validate_graph(g)
    assert report.conforms, report.violations[:10]


def _rdflib(t):
    from ctn_graph.rdf.validate import _term

    return _term(t)

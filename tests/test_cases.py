"""Golden cases: tests/cases/<name>/input.txt built into a graph, compared as a graph
with tests/cases/<name>/expected.ttl.

The comparison covers what a reader of the input checks: the contract classes of every
node found in the text, its Latvian prefLabel, the contract relations, and an event's
start date. To add a
case, write input.txt and, by hand, expected.ttl. A case with a file named
`countries-only` is built with the actor gazetteer off (`--gazetteer countries`): what
the extractor reads of bodies nobody listed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from ctn_graph.pipeline.ingest import read_document
from ctn_graph.pipeline.memory import build_resolved, to_store

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if (p / "input.txt").exists())

PROJECTION = """
PREFIX ctn: <https://w3id.org/ctn/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?s ctn:mentionedIn ?d . ?s a ?o . BIND(<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> AS ?p)
    FILTER(?o IN (ctn:Ministry, ctn:PublicBody, ctn:NGO, ctn:InternationalOrganisation, ctn:Company,
                  ctn:Project, ctn:Country, ctn:Person, ctn:Event, ctn:PolicyDocument, ctn:Funder)) }
  UNION { ?s ctn:mentionedIn ?d . ?s skos:prefLabel ?o . FILTER(lang(?o) = "lv") BIND(skos:prefLabel AS ?p) }
  UNION { ?s ?p ?o . FILTER(?p IN (ctn:leadPartner, ctn:partner, ctn:fundedBy, ctn:supportedBy,
          ctn:participantCountry, ctn:country, ctn:memberOf, ctn:partOf, ctn:affiliation, ctn:startDate)) }
}
"""


def built(case: Path) -> rdflib.Graph:
    from ctn_graph.pipeline.options import BuildOptions

    doc = read_document(case / "input.txt", case.name)
    options = BuildOptions(actors=not (case / "countries-only").exists())
    store = to_store(build_resolved([doc], options), with_ontology=False)
    nt = store.query(PROJECTION, use_default_graph_as_union=True).serialize(
        format=__import__("pyoxigraph").RdfFormat.N_TRIPLES
    )
    return rdflib.Graph().parse(data=nt.decode("utf-8"), format="nt")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path):
    got = built(case)
    expected = rdflib.Graph().parse(case / "expected.ttl", format="turtle")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(
            "graph differs from expected.ttl\nonly in the built graph:\n"
            + "\n".join(sorted(f"  {t}" for t in only_got.serialize(format="nt").splitlines() if t))
            + "\nonly in expected.ttl:\n"
            + "\n".join(sorted(f"  {t}" for t in only_expected.serialize(format="nt").splitlines() if t))
        )

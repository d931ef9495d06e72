"""The graph's vocabulary as a closed set of IRIs.

`CTN.<term>` gives the IRI of an ontology term and raises AttributeError for a term
the ontology does not declare, so a typo fails at once; tests/test_contract.py holds
this list, ontology/ctn.ttl and CONTRACT.md together.

>>> CTN.leadPartner
'https://w3id.org/ctn/ontology#leadPartner'
>>> CTN.leadPartnr
Traceback (most recent call last):
...
AttributeError: ctn:leadPartnr is not a term of the ontology
"""

from __future__ import annotations

CTN_NS = "https://w3id.org/ctn/ontology#"
ID_NS = "https://w3id.org/ctn/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
WIKIDATA = "http://www.wikidata.org/entity/"

TERMS = frozenset(
    """
    Organisation Ministry PublicBody NGO InternationalOrganisation Company Funder Project
    Country Person Event PolicyDocument Document Sentence Evidence
    leadPartner partner fundedBy supportedBy participantCountry country memberOf partOf
    affiliation mentionedIn iso3166Alpha2 sentence cue inDocument text sentenceIndex
    startOffset endOffset contentHash fileName startDate endDate location aboutProject pageNumber
    """.split()
)

PREFIXES = {
    "ctn": CTN_NS,
    "ctnid": ID_NS,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "dcterms": DCTERMS,
    "prov": PROV,
    "wd": WIKIDATA,
}

# the prefixes of the graph files (Turtle, TriG, JSON-LD's @context, RDF/XML): the ones
# above and one per kind of node the pipeline mints, so that a node is written
# `ctnorg:lv-iem`, never `ctnid:org\/lv-iem`
ID_KINDS = {
    "ctnorg": "org/",
    "ctnproj": "project/",
    "ctnperson": "person/",
    "ctncountry": "country/",
    "ctnevent": "event/",
    "ctnpolicy": "policy/",
    "ctndoc": "doc/",
    "ctnevidence": "evidence/",
}
FILE_PREFIXES = {**PREFIXES, **{name: ID_NS + path for name, path in ID_KINDS.items()}}


class _Closed:
    def __init__(self, ns: str, terms: frozenset[str]):
        self._ns = ns
        self._terms = terms

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in self._terms:
            raise AttributeError(f"ctn:{name} is not a term of the ontology")
        return self._ns + name

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)


CTN = _Closed(CTN_NS, TERMS)

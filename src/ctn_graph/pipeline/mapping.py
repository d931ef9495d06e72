"""Resolved records -> RDF quads under the ctn ontology.

Layout (see ontology/README.md): the default graph holds what the graph says about each
entity (types, inferred types, labels, country codes, Wikidata links) and every relation
triple, once; each source document has a named graph, IRI = the document's node, holding
the document's metadata, the `ctn:mentionedIn` links of what it names, the
`ctn:Evidence` records of the relations read from it and the sentences those point at.

No triple is in more than one graph (issue 16): a relation read from three documents is
one triple in the default graph and three evidence records, one in each document's graph.
So the union of the graphs is the same whether an engine merges it as a set (rdflib, the
Turtle file) or as a bag (Oxigraph's union default graph, embedded or server), and every
query counts the same rows on the store, the TriG, the Turtle and an endpoint.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..common.resources import data_path
from ..ir import DocRecord, Document, Entity, EntityClass, Evidence, Relation, Resolved, Sentence
from ..rdf.vocab import CTN, DCTERMS, ID_NS, OWL, PROV, RDF, RDFS, SKOS, WIKIDATA, XSD

if TYPE_CHECKING:
    from .resolve import Resolver

_T = ox.NamedNode
_TYPE = _T(RDF + "type")
_DEFAULT = ox.DefaultGraph()


def _lit(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _typed(value: str | int, dtype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_T(XSD + dtype))


# an event's start as precise as the text gives it: a day, a month ("2018-10") or a year
_DATE_TYPES = {10: "date", 7: "gYearMonth", 4: "gYear"}


def node(path: str) -> ox.NamedNode:
    return _T(ID_NS + path)


def doc_node(doc_id: str) -> ox.NamedNode:
    return node(f"doc/{doc_id}")


def sentence_node(doc_id: str, index: int) -> ox.NamedNode:
    return node(f"doc/{doc_id}/s/{index}")


def types_of(cls: EntityClass) -> list[str]:
    """The asserted class and the types it implies (Ministry -> PublicBody -> Organisation)."""
    out = [CTN[cls.value]]
    if cls is EntityClass.MINISTRY:
        out.append(CTN.PublicBody)
    if cls.is_organisation:
        out.append(CTN.Organisation)
    return out


def entity_quads(e: Entity, funders: set[str], *, mentioned_in: bool = True) -> Iterator[ox.Quad]:
    s = node(e.iri_path)
    for t in types_of(e.cls):
        yield ox.Quad(s, _TYPE, _T(t), _DEFAULT)
    if e.iri_path in funders:
        yield ox.Quad(s, _TYPE, _T(CTN.Funder), _DEFAULT)
    yield ox.Quad(s, _T(SKOS + "prefLabel"), _lit(e.pref_label_lv, "lv"), _DEFAULT)
    yield ox.Quad(s, _T(RDFS + "label"), _lit(e.pref_label_lv, "lv"), _DEFAULT)
    if e.pref_label_en and e.pref_label_en != e.pref_label_lv:
        yield ox.Quad(s, _T(SKOS + "prefLabel"), _lit(e.pref_label_en, "en"), _DEFAULT)
    pref = {e.pref_label_lv, e.pref_label_en}
    for text, lang in e.alt_labels:
        if text not in pref:
            yield ox.Quad(s, _T(SKOS + "altLabel"), _lit(text, lang or None), _DEFAULT)
    alts = {t for t, _ in e.alt_labels}
    for text in e.hidden_labels:
        if text not in pref and text not in alts:
            yield ox.Quad(s, _T(SKOS + "hiddenLabel"), _lit(text, "lv"), _DEFAULT)
    if e.iso2:
        yield ox.Quad(s, _T(CTN.iso3166Alpha2), _lit(e.iso2), _DEFAULT)
    if e.wikidata:
        yield ox.Quad(s, _T(OWL + "sameAs"), _T(WIKIDATA + e.wikidata), _DEFAULT)
    if e.date:
        yield ox.Quad(s, _T(CTN.startDate), _typed(e.date, _DATE_TYPES.get(len(e.date), "date")), _DEFAULT)
    if e.location:
        yield ox.Quad(s, _T(CTN.location), _lit(e.location), _DEFAULT)
    if mentioned_in:
        for d in e.docs:
            yield ox.Quad(s, _T(CTN.mentionedIn), doc_node(d), doc_node(d))


def document_quads(d: Document) -> Iterator[ox.Quad]:
    s = g = doc_node(d.id)
    yield ox.Quad(s, _TYPE, _T(CTN.Document), g)
    yield ox.Quad(s, _T(DCTERMS + "identifier"), _lit(d.id), g)
    if d.title:
        yield ox.Quad(s, _T(DCTERMS + "title"), _lit(d.title, "lv"), g)
    if d.url:
        yield ox.Quad(s, _T(DCTERMS + "source"), _T(d.url) if _valid_iri(d.url) else _lit(d.url), g)
    for date in d.dates:
        yield ox.Quad(s, _T(DCTERMS + "issued"), _typed(date, "date"), g)
    yield ox.Quad(s, _T(CTN.fileName), _lit(d.path.rsplit("/", 1)[-1]), g)
    yield ox.Quad(s, _T(CTN.contentHash), _lit(d.content_hash), g)


def _valid_iri(url: str) -> bool:
    try:
        ox.NamedNode(url)
    except ValueError:
        return False
    return not any(c in url for c in ' <>"{}|\\^`')


_EVIDENCE = _T(CTN.Evidence)
_SENTENCE = _T(CTN.Sentence)
_SUBJECT, _PREDICATE, _OBJECT = _T(RDF + "subject"), _T(RDF + "predicate"), _T(RDF + "object")
_DERIVED, _IN_SENTENCE, _CUE = _T(PROV + "wasDerivedFrom"), _T(CTN.sentence), _T(CTN.cue)
_IN_DOC, _TEXT, _INDEX = _T(CTN.inDocument), _T(CTN.text), _T(CTN.sentenceIndex)
_START, _END, _INTEGER = _T(CTN.startOffset), _T(CTN.endOffset), _T(XSD + "integer")
_PAGE = _T(CTN.pageNumber)
_RELATION = {r: _T(CTN[r.value]) for r in Relation}


@lru_cache(maxsize=1 << 18)  # a corpus of 100,000 documents names about 200,000 entities
def _entity_node(path: str) -> ox.NamedNode:
    return node(path)


def claim_quads(
    subject: str,
    relation: Relation,
    obj: str,
    evidence: Iterable[Evidence],
    sentence: Callable[[str, int], Sentence | None],
    sentences_done: set[tuple[str, int]],
) -> Iterator[ox.Quad]:
    """The provenance of one relation in the graphs of the documents it was read from: one
    ctn:Evidence per sentence, and each sentence once (`sentences_done` remembers the
    sentences written). The relation triple itself is in the default graph, once
    (`relation_triples`), not in each of these graphs."""
    Q = ox.Quad
    s, o = _entity_node(subject), _entity_node(obj)
    pred = _RELATION[relation]
    seen_sentences: set[tuple[str, int]] = set()
    g = None
    g_id = ""
    for ev in evidence:  # sorted by document and offset: the first cue of a sentence is kept
        if (ev.doc_id, ev.sentence) in seen_sentences:
            continue
        seen_sentences.add((ev.doc_id, ev.sentence))
        if g is None or ev.doc_id != g_id:
            g, g_id = doc_node(ev.doc_id), ev.doc_id
        h = hashlib.sha1(f"{subject}|{relation.value}|{obj}|{ev.doc_id}|{ev.sentence}".encode()).hexdigest()[:20]
        evn = node(f"evidence/{h}")
        sn = sentence_node(ev.doc_id, ev.sentence)
        yield Q(evn, _TYPE, _EVIDENCE, g)
        yield Q(evn, _SUBJECT, s, g)
        yield Q(evn, _PREDICATE, pred, g)
        yield Q(evn, _OBJECT, o, g)
        yield Q(evn, _DERIVED, g, g)
        yield Q(evn, _IN_SENTENCE, sn, g)
        if ev.cue:
            yield Q(evn, _CUE, ox.Literal(ev.cue), g)
        if (ev.doc_id, ev.sentence) not in sentences_done:
            sent = sentence(ev.doc_id, ev.sentence)
            if sent is None:
                continue
            sentences_done.add((ev.doc_id, ev.sentence))
            yield Q(sn, _TYPE, _SENTENCE, g)
            yield Q(sn, _IN_DOC, g, g)
            yield Q(sn, _TEXT, ox.Literal(sent.text), g)
            yield Q(sn, _INDEX, ox.Literal(str(sent.index), datatype=_INTEGER), g)
            yield Q(sn, _START, ox.Literal(str(sent.start), datatype=_INTEGER), g)
            yield Q(sn, _END, ox.Literal(str(sent.end), datatype=_INTEGER), g)
            if sent.page is not None:
                yield Q(sn, _PAGE, ox.Literal(str(sent.page), datatype=_INTEGER), g)


def to_quads(resolved: Resolved) -> Iterator[ox.Quad]:
    """Every quad of resolved records held in memory."""
    funders = {c.object for c in resolved.claims if c.relation is Relation.FUNDED_BY}
    docs = {d.id: d for d in resolved.documents}
    for d in resolved.documents:
        yield from document_quads(d)
    for e in resolved.entities:
        yield from entity_quads(e, funders)

    def sentence(doc_id: str, index: int) -> Sentence | None:
        d = docs.get(doc_id)
        return d.sentences[index] if d is not None else None

    done: set[tuple[str, int]] = set()
    for c in resolved.claims:
        yield from claim_quads(c.subject, c.relation, c.object, c.evidence, sentence, done)
    grouped = {(c.subject, c.relation, c.object) for c in resolved.claims}
    leads = {(s, o) for s, r, o in grouped if r is Relation.LEAD_PARTNER}
    for t in _relation_triples(grouped, leads):
        yield ox.Quad(t.subject, t.predicate, t.object, _DEFAULT)


def entity_graph_quads(resolver: Resolver) -> Iterator[ox.Quad]:
    """The default graph of a resolved corpus: what the graph says about each entity
    (its ctn:mentionedIn links are in the documents' graphs: `record_quads`), then every
    relation triple, once (`relation_triples`)."""
    for path in sorted(resolver.entities):
        yield from entity_quads(resolver.entities[path], resolver.funders, mentioned_in=False)
    for t in relation_triples(resolver):
        yield ox.Quad(t.subject, t.predicate, t.object, _DEFAULT)


def record_quads(record: DocRecord, resolver: Resolver) -> Iterator[ox.Quad]:
    """One document's named graph: its metadata, what it names and the evidence of the
    relations read from it (the relation triples are in the default graph). Needs
    `resolver.finish()` first; the document needs nothing else, so a corpus is written
    one document at a time."""
    return record_graph(record, resolver)[0]


def record_graph(record: DocRecord, resolver: Resolver) -> tuple[Iterator[ox.Quad], tuple[int, int]]:
    """`record_quads`, and where among them (first, after last) are its statements about
    the default graph's nodes: the `ctn:mentionedIn` links of what it names, one run after
    the document's own metadata (export.GraphFile.graph's `links`)."""
    d = record.document
    head = list(document_quads(d))
    g = doc_node(d.id)
    mentioned_in = _T(CTN.mentionedIn)
    links = [ox.Quad(_entity_node(path), mentioned_in, g, g) for path in sorted(resolver.mentioned(record))]
    return itertools.chain(head, links, _evidence_quads(record, resolver)), (len(head), len(head) + len(links))


def _evidence_quads(record: DocRecord, resolver: Resolver) -> Iterator[ox.Quad]:
    sentences = {s.index: s for s in record.sentences}
    done: set[tuple[str, int]] = set()
    for s, rel, o, ev in resolver.doc_claims(record):
        yield from claim_quads(s, rel, o, ev, lambda _d, i: sentences.get(i), done)


def relation_triples(resolver: Resolver) -> list[ox.Triple]:
    """Every relation triple of the corpus, each once, sorted (and ctn:partner beside each
    ctn:leadPartner: a subproperty, asserted for SPARQL users): the end of the default
    graph (`entity_graph_quads`), and what a Turtle or N-Triples file writes last
    (export.GraphFile)."""
    return _relation_triples(resolver.grouped, resolver.leads)


def _relation_triples(grouped: Iterable[tuple[str, Relation, str]], leads: set[tuple[str, str]]) -> list[ox.Triple]:
    partner = CTN.partner
    rows: set[tuple[str, str, str]] = set()
    for s, rel, o in grouped:
        if rel is Relation.PARTNER and (s, o) in leads:
            continue  # stated as the lead partner
        rows.add((s, CTN[rel.value], o))
        if rel is Relation.LEAD_PARTNER:
            rows.add((s, partner, o))
    # sorted by subject, predicate and object IRI (every subject and object is ID_NS + path)
    return [ox.Triple(_entity_node(s), _T(p), _entity_node(o)) for s, p, o in sorted(rows)]


def ontology_quads() -> list:  # noqa: ANN201
    """The ontology's triples, its blank nodes named in reading order, so that a build
    writes the same bytes every time."""
    import pyoxigraph as ox

    names: dict[str, ox.BlankNode] = {}

    def fix(t):  # noqa: ANN001, ANN202
        if isinstance(t, ox.BlankNode):
            if t.value not in names:
                names[t.value] = ox.BlankNode(f"ctn{len(names)}")
            return names[t.value]
        return t

    return [
        ox.Quad(fix(q.subject), q.predicate, fix(q.object), ox.DefaultGraph())
        for q in ox.parse(path=str(data_path("ontology", "ctn.ttl")), format=ox.RdfFormat.TURTLE)
    ]


RELATION_IRIS = frozenset(f"https://w3id.org/ctn/ontology#{r.value}" for r in Relation)
"""The relation predicates: their triples are in the default graph, once each (mapping.py),
and a Turtle or N-Triples file writes them last (export.GraphFile)."""

"""Resolved records -> RDF quads under the ctn ontology.

Layout (see ontology/README.md): the default graph holds what the graph says about each
entity (types, inferred types, labels, country codes, Wikidata links); each source
document has a named graph, IRI = the document's node, holding the document's metadata,
the `ctn:mentionedIn` links of what it names, the relations read from it, their
`ctn:Evidence` records and the sentences those point at.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pyoxigraph as ox

from .ir import Document, Entity, EntityClass, Relation, Resolved
from .vocab import CTN, DCTERMS, ID_NS, OWL, PROV, RDF, RDFS, SKOS, WIKIDATA, XSD

_T = ox.NamedNode
_TYPE = _T(RDF + "type")
_DEFAULT = ox.DefaultGraph()


def _lit(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _typed(value: str | int, dtype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_T(XSD + dtype))


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


def entity_quads(e: Entity, funders: set[str]) -> Iterator[ox.Quad]:
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
        yield ox.Quad(s, _T(CTN.startDate), _typed(e.date, "date"), _DEFAULT)
    if e.location:
        yield ox.Quad(s, _T(CTN.location), _lit(e.location), _DEFAULT)
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


def to_quads(resolved: Resolved) -> Iterator[ox.Quad]:
    funders = {c.object for c in resolved.claims if c.relation is Relation.FUNDED_BY}
    docs = {d.id: d for d in resolved.documents}
    for d in resolved.documents:
        yield from document_quads(d)
    for e in resolved.entities:
        yield from entity_quads(e, funders)
    sentences_done: set[tuple[str, int]] = set()
    for c in resolved.claims:
        s, o = node(c.subject), node(c.object)
        preds = [CTN[c.relation.value]]
        if c.relation is Relation.LEAD_PARTNER:
            preds.append(CTN.partner)  # leadPartner is a subproperty of partner
        seen_sentences: set[tuple[str, int]] = set()
        for ev in c.evidence:  # sorted by document and offset: the first cue of a sentence is kept
            if (ev.doc_id, ev.sentence) in seen_sentences:
                continue
            seen_sentences.add((ev.doc_id, ev.sentence))
            g = doc_node(ev.doc_id)
            for p in preds:
                yield ox.Quad(s, _T(p), o, g)
            h = hashlib.sha1(
                f"{c.subject}|{c.relation.value}|{c.object}|{ev.doc_id}|{ev.sentence}".encode()
            ).hexdigest()[:20]
            evn = node(f"evidence/{h}")
            sn = sentence_node(ev.doc_id, ev.sentence)
            yield ox.Quad(evn, _TYPE, _T(CTN.Evidence), g)
            yield ox.Quad(evn, _T(RDF + "subject"), s, g)
            yield ox.Quad(evn, _T(RDF + "predicate"), _T(CTN[c.relation.value]), g)
            yield ox.Quad(evn, _T(RDF + "object"), o, g)
            yield ox.Quad(evn, _T(PROV + "wasDerivedFrom"), g, g)
            yield ox.Quad(evn, _T(CTN.sentence), sn, g)
            if ev.cue:
                yield ox.Quad(evn, _T(CTN.cue), _lit(ev.cue), g)
            if (ev.doc_id, ev.sentence) not in sentences_done and ev.doc_id in docs:
                sentences_done.add((ev.doc_id, ev.sentence))
                sent = docs[ev.doc_id].sentences[ev.sentence]
                yield ox.Quad(sn, _TYPE, _T(CTN.Sentence), g)
                yield ox.Quad(sn, _T(CTN.inDocument), g, g)
                yield ox.Quad(sn, _T(CTN.text), _lit(sent.text), g)
                yield ox.Quad(sn, _T(CTN.sentenceIndex), _typed(sent.index, "integer"), g)
                yield ox.Quad(sn, _T(CTN.startOffset), _typed(sent.start, "integer"), g)
                yield ox.Quad(sn, _T(CTN.endOffset), _typed(sent.end, "integer"), g)

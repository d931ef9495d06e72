"""Resolution: one entity per real-world thing across all documents.

Mentions are merged when they share a key (a gazetteer id, or a class, country and
nominative name), when one declares the other's acronym or English name, and, for
persons, when the names are spelling variants of each other ("Alexandru Pinzaru" /
"Alexandru Pinzari" / "A. Pinzaru"). Everything is decided from sorted data, so the
entities and their IRIs do not depend on the order the documents came in.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from sys import intern
from typing import IO

from ..ir import (
    ORGANISATION_CLASSES,
    DocRecord,
    Entity,
    EntityClass,
    Evidence,
    Extraction,
    Mention,
    Relation,
    Resolved,
    ResolvedClaim,
)
from .extract.gazetteer import Gazetteer, is_acronym
from .extract.spans import norm
from .merge import _entity, _gazetteer_entity, _inc, _is_english, _KeyStats, _merge_policies, _PersonMerge, _UnionFind

_GROUP = {c: "org" for c in ORGANISATION_CLASSES} | {
    EntityClass.PROJECT: "project",
    EntityClass.COUNTRY: "country",
    EntityClass.PERSON: "person",
    EntityClass.EVENT: "event",
    EntityClass.POLICY_DOCUMENT: "policy",
}


def _ref_key(ref: str, keys: dict[str, str]) -> str | None:
    """The resolution key a claim's subject or object stands for: "key:<key>" or a
    mention id of the same document."""
    return ref[4:] if ref.startswith("key:") else keys.get(ref)


DocClaim = tuple[str, Relation, str, tuple[Evidence, ...]]  # (subject path, relation, object path, evidence)


class Resolver:
    """Resolution that holds only a summary per resolution key in memory, so that a
    corpus of any size can be resolved, and that can be brought up to date when
    documents change:

    1. `add` every document's record (in any order), and `remove` those that changed or
       went: their mentions are counted in or out by key, with the names they declare
       the same as each key, the persons they name and the relations they state;
    2. `finish` decides the entities and their IRIs; `doc_claims` then gives, document by
       document, the relations read from it with their evidence.

    `finish` can be called again after more `add`s and `remove`s: it decides again from
    the summaries, and gives the same entities as a resolver that was given the same
    records from the start (an entity whose keys were not touched is taken over, not
    recomputed). `save` and `load` keep a resolver between builds.

    `resolve` runs both passes on records held in memory.
    """

    def __init__(self, gazetteer: Gazetteer, *, keep_evidence: bool = False) -> None:
        self.gaz = gazetteer
        self.keep_evidence = keep_evidence
        self.uf = _UnionFind()
        self.stats: dict[str, _KeyStats] = {}
        self.doc_ids: list[str] = []  # the documents' ids by number
        self._doc_no: dict[str, int] = {}
        self.persons: dict[str, set[tuple[str, str]]] = {}  # document -> (key, name) of the persons it names
        self.policies: dict[str, list[Mention]] = {}  # document -> its policy-document mentions
        self.triples: Counter[tuple[str, Relation, str]] = Counter()  # claims by key: documents stating each
        self.refs: dict[str, set[int]] = {}  # key -> documents whose claims name it without a mention
        self._person_merge = _PersonMerge()
        self._dirty: set[str] = set()  # keys counted in or out since the last finish
        # after finish: root -> (its keys, its entity before IRI clashes are settled, settled how)
        self._drafts: dict[str, tuple[tuple[str, ...], Entity, bool]] = {}
        self.entities: dict[str, Entity] = {}
        self._root_to_path: dict[str, str] = {}
        self._paths: dict[str, str | None] = {}
        self.leads: set[tuple[str, str]] = set()
        self.funders: set[str] = set()
        self.grouped: set[tuple[str, Relation, str]] = set()  # the distinct resolved relations
        self.relations: Counter[str] = Counter()  # distinct resolved relations by name

    def add(self, record: DocRecord) -> None:
        self._count(record, 1)

    def remove(self, record: DocRecord) -> None:
        """Take out a record given to `add` before (when its document changed or went)."""
        self._count(record, -1)

    def _count(self, record: DocRecord, n: int) -> None:
        doc_id = record.document.id
        doc = self._doc_no.get(doc_id)
        if doc is None:
            if n < 0:
                raise KeyError(f"{doc_id}: not in the resolver")
            doc = self._doc_no[intern(doc_id)] = len(self.doc_ids)
            self.doc_ids.append(doc_id)
        keys_here: dict[str, None] = {}
        persons: set[tuple[str, str]] = set()
        policies: list[Mention] = []
        for m in record.mentions:
            key = m.key
            stats = self.stats.get(key)
            if stats is None:
                if n < 0:
                    raise KeyError(f"{doc_id}: {key} not in the resolver")
                key = intern(key)
                stats = self.stats[key] = _KeyStats(self.keep_evidence)
            group = _GROUP[m.cls]
            links = [
                f"name:{group}:{norm(a)}" for a in m.aliases if is_acronym(a) or _is_english(a) or group == "project"
            ]
            if group in ("project", "person", "policy"):
                links.append(f"name:{group}:{norm(m.lemma)}")
            stats.add(m, links, n)
            keys_here[key] = None
            if m.cls is EntityClass.PERSON:
                persons.add((intern(m.key), m.lemma))
            elif m.cls is EntityClass.POLICY_DOCUMENT:
                policies.append(m)
        for key in keys_here:  # each document once in a key's documents
            stats = self.stats[key]
            if n > 0:
                stats.docs.append(doc)
            else:
                stats.docs.remove(doc)
                if stats.empty():
                    del self.stats[key]
        self._dirty.update(keys_here)
        if n > 0:
            if persons:
                self.persons[doc_id] = persons
            if policies:
                self.policies[doc_id] = policies
        else:
            self.persons.pop(doc_id, None)
            self.policies.pop(doc_id, None)
        keys = {m.id: m.key for m in record.mentions}
        triples: set[tuple[str, Relation, str]] = set()
        for c in record.claims:
            s, o = _ref_key(c.subject, keys), _ref_key(c.object, keys)
            if s is not None and o is not None:
                triples.add((intern(s), c.relation, intern(o)))
            for ref in (c.subject, c.object):
                if ref.startswith("key:"):
                    docs = self.refs.setdefault(intern(ref[4:]), set())
                    if n > 0:
                        docs.add(doc)
                    else:
                        docs.discard(doc)
                        if not docs:
                            del self.refs[ref[4:]]
        for t in triples:
            _inc(self.triples, t, n)

    def finish(self) -> Resolver:
        """Decide the entities (after the last `add` or `remove`)."""
        uf = self.uf = _UnionFind()
        for key, st in self.stats.items():
            uf.find(key)
            if st.links:
                for link in st.links:
                    uf.union(key, link)
        for k1, k2 in self._person_merge.update(self.persons):
            uf.union(k1, k2)
        _merge_policies([m for ms in self.policies.values() for m in ms], uf)
        clusters: dict[str, list[str]] = defaultdict(list)
        for key in self.stats:
            clusters[uf.find(key)].append(key)
        drafts: dict[str, tuple[tuple[str, ...], Entity, bool]] = {}
        dirty = self._dirty
        for root, members in clusters.items():
            keys = tuple(sorted(members))
            old = self._drafts.get(root)
            if old is not None and old[0] == keys and dirty.isdisjoint(keys):
                drafts[root] = old
                continue
            merged = _KeyStats(self.keep_evidence)
            for key in keys:
                merged.merge(self.stats[key])
            docs = tuple(sorted({self.doc_ids[i] for i in merged.docs}))
            ent, settled = _entity(root, merged, docs, self.gaz)
            drafts[root] = (keys, ent, settled)
        self._drafts = drafts
        self._dirty = set()
        # IRIs: an entity whose IRI an earlier one (by root) has gets a suffix
        self.entities, self._root_to_path, self._paths = {}, {}, {}
        used_paths: set[str] = set()
        for root in sorted(drafts):
            _keys, ent, settled = drafts[root]
            if not settled and ent.iri_path in used_paths:
                ent = replace(ent, iri_path=f"{ent.iri_path}-{hashlib.sha1(root.encode()).hexdigest()[:6]}")
            used_paths.add(ent.iri_path)
            self.entities[ent.iri_path] = ent
            self._root_to_path[root] = ent.iri_path
        grouped: set[tuple[str, Relation, str]] = set()
        for skey, rel, okey in self.triples:
            s, o = self.path(skey), self.path(okey)
            if self._keep(s, rel, o):
                grouped.add((s, rel, o))  # type: ignore[arg-type]
        self.grouped = grouped
        self.leads = {(s, o) for (s, r, o) in grouped if r is Relation.LEAD_PARTNER}
        self.funders = {o for (_s, r, o) in grouped if r is Relation.FUNDED_BY}
        self.relations = Counter()
        for s, r, o in grouped:
            if not (r is Relation.PARTNER and (s, o) in self.leads):
                self.relations[r.value] += 1
        # reference data: every country, mentioned or not
        for e in self.gaz.entries.values():
            if e.cls is EntityClass.COUNTRY and f"country/{e.iso2}" not in self.entities:
                ref = _gazetteer_entity(e, (), (), ())
                self.entities[ref.iri_path] = ref
        return self

    def release(self) -> None:
        """Drop what only `add`, `remove` and `finish` need (after `save`, or when the
        resolver will not be brought up to date): writing the graph needs the rest."""
        self.stats = {}
        self.persons, self.policies, self.triples = {}, {}, Counter()
        self._person_merge = _PersonMerge()
        self._drafts = {}

    _SAVED = ("keep_evidence", "stats", "doc_ids", "_doc_no", "persons", "policies", "triples", "refs",
              "_person_merge", "_drafts")  # fmt: skip

    def save(self, path: Path) -> None:
        """Keep what `finish` needs to decide again after more `add`s and `remove`s."""
        import pickle

        with path.open("wb") as f:
            pickle.dump({a: getattr(self, a) for a in self._SAVED}, f, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, source: Path | IO[bytes], gazetteer: Gazetteer) -> Resolver:
        """A resolver `save`d after `finish` (a file, or a binary file object), ready for
        `add`, `remove` and `finish`."""
        import pickle

        if isinstance(source, Path):
            with source.open("rb") as f:
                saved = pickle.load(f)
        else:
            saved = pickle.load(source)
        r = cls(gazetteer, keep_evidence=saved["keep_evidence"])
        for a in cls._SAVED:
            setattr(r, a, saved[a])
        return r

    def docs_naming(self, key: str) -> set[str]:
        """The documents whose mentions or claims name a key."""
        st = self.stats.get(key)
        nos = set(st.docs) if st is not None else set()
        nos |= self.refs.get(key, set())
        return {self.doc_ids[i] for i in nos}

    def views(self) -> dict[str, tuple[str, str, str | None] | None]:
        """For every key the documents name: what their graphs use of it (the IRI path of
        its entity, the entity's class and country), after `finish`. A document whose keys
        all look the same as in another resolution has the same graph in both."""
        out: dict[str, tuple[str, str, str | None] | None] = {}
        for key in (*self.stats, *self.refs):
            path, ref = self._lookup(key)
            e = ref if ref is not None else self.entities.get(path) if path is not None else None
            out[key] = (path, e.cls.value, e.country) if path is not None and e is not None else None
        return out

    def _lookup(self, key: str) -> tuple[str | None, Entity | None]:
        """The IRI path of the entity a key belongs to, and for a key of reference data (a
        country or a known actor a claim names, in no cluster) the entity it stands for."""
        path = self._root_to_path.get(self.uf.find(key))
        if path is None and key.startswith("gaz:") and (g := self.gaz.entries.get(key[4:])) is not None:
            ref = _gazetteer_entity(g, (), (), ())
            return ref.iri_path, ref
        return path, None

    def path(self, key: str) -> str | None:
        """The IRI path of the entity a resolution key belongs to (None: none); a key of
        reference data adds its entity (unless one has the path)."""
        if key in self._paths:
            return self._paths[key]
        path, ref = self._lookup(key)
        if ref is not None:
            self.entities.setdefault(ref.iri_path, ref)
        self._paths[key] = path
        return path

    def _keep(self, s: str | None, rel: Relation, o: str | None) -> bool:
        if s is None or o is None or s == o:
            return False
        if not _valid(rel, self.entities[s], self.entities[o]):
            return False
        # one country per body: the one its mentions agree on
        return not (rel is Relation.COUNTRY and o != f"country/{self.entities[s].country}")

    def mentioned(self, record: DocRecord) -> set[str]:
        """The IRI paths of the entities a document names."""
        return {p for m in record.mentions if (p := self.path(m.key)) is not None}

    def doc_claims(self, record: DocRecord) -> list[DocClaim]:
        """The relations read from one document (after `finish`), each with its evidence
        sorted by offset; a partner that is also the lead partner is only the lead partner."""
        keys = {m.id: m.key for m in record.mentions}
        grouped: dict[tuple[str, Relation, str], set[Evidence]] = defaultdict(set)
        for c in record.claims:
            skey, okey = _ref_key(c.subject, keys), _ref_key(c.object, keys)
            s = self.path(skey) if skey is not None else None
            o = self.path(okey) if okey is not None else None
            if not self._keep(s, c.relation, o):
                continue
            rel = c.relation
            if rel is Relation.PARTNER and (s, o) in self.leads:
                rel = Relation.LEAD_PARTNER
            grouped[(s, rel, o)].add(c.evidence)  # type: ignore[index]
        return [
            (s, r, o, tuple(sorted(ev, key=lambda e: (e.doc_id, e.start))))
            for (s, r, o), ev in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][1].value, kv[0][2]))
        ]


def resolve(extractions: Iterable[Extraction], gazetteer: Gazetteer) -> Resolved:
    """Resolve extractions held in memory (see `Resolver` for corpora of any size)."""
    extractions = sorted(extractions, key=lambda x: x.document.id)
    records = [DocRecord.of(x) for x in extractions]
    r = Resolver(gazetteer, keep_evidence=True)
    for rec in records:
        r.add(rec)
    r.finish()
    grouped: dict[tuple[str, Relation, str], set[Evidence]] = defaultdict(set)
    for rec in records:
        for s, rel, o, ev in r.doc_claims(rec):
            grouped[(s, rel, o)].update(ev)
    claims = [
        ResolvedClaim(s, rel, o, tuple(sorted(ev, key=lambda e: (e.doc_id, e.start))))
        for (s, rel, o), ev in grouped.items()
    ]
    return Resolved(
        documents=tuple(x.document for x in extractions),
        entities=tuple(sorted(r.entities.values(), key=lambda e: e.iri_path)),
        claims=tuple(sorted(claims, key=lambda c: (c.subject, c.relation.value, c.object))),
    )


_PROJECT_RELS = {Relation.LEAD_PARTNER, Relation.PARTNER, Relation.FUNDED_BY, Relation.SUPPORTED_BY}


def _valid(rel: Relation, s: Entity, o: Entity) -> bool:
    if rel in _PROJECT_RELS:
        return s.cls is EntityClass.PROJECT and o.cls.is_organisation
    if rel is Relation.PARTICIPANT_COUNTRY:
        return s.cls is EntityClass.PROJECT and o.cls is EntityClass.COUNTRY
    if rel is Relation.COUNTRY:
        return s.cls.is_organisation and o.cls is EntityClass.COUNTRY
    if rel is Relation.MEMBER_OF:
        return (s.cls.is_organisation or s.cls is EntityClass.COUNTRY) and o.cls.is_organisation
    if rel is Relation.PART_OF:
        return s.cls.is_organisation and o.cls.is_organisation
    if rel is Relation.AFFILIATION:
        return s.cls is EntityClass.PERSON and o.cls.is_organisation
    if rel is Relation.ABOUT_PROJECT:
        return s.cls is EntityClass.EVENT and o.cls is EntityClass.PROJECT
    return False

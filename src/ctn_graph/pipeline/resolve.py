"""Resolution: one entity per real-world thing across all documents.

Mentions are merged when they share a key (a gazetteer id, or a class, country and
nominative name), when one declares the other's acronym or English name, and, for
persons, when the names are spelling variants of each other ("Alexandru Pinzaru" /
"Alexandru Pinzari" / "A. Pinzaru"). Everything is decided from sorted data, so the
entities and their IRIs do not depend on the order the documents came in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
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
from .extract.gazetteer import Gazetteer, GazetteerEntry, is_acronym
from .extract.spans import norm

_PREFIX = {
    EntityClass.PROJECT: "project",
    EntityClass.COUNTRY: "country",
    EntityClass.PERSON: "person",
    EntityClass.EVENT: "event",
    EntityClass.POLICY_DOCUMENT: "policy",
}
_GROUP = {c: "org" for c in ORGANISATION_CLASSES} | {
    EntityClass.PROJECT: "project",
    EntityClass.COUNTRY: "country",
    EntityClass.PERSON: "person",
    EntityClass.EVENT: "event",
    EntityClass.POLICY_DOCUMENT: "policy",
}


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # gazetteer keys win as roots, then the smaller key: order-independent
            if (not ra.startswith("gaz:"), ra) > (not rb.startswith("gaz:"), rb):
                ra, rb = rb, ra
            self.parent[rb] = ra


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def slug(s: str, limit: int = 80) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", ascii_fold(s).lower()).strip("-")
    return out[:limit].rstrip("-") or "x"


_ENGLISH_WORDS = frozenset(
    """of the and for against in on to at ministry office department agency council centre center organization
    organisation union commission national international state police service european foundation association
    network project programme program task force group committee human rights trafficking beings persons
    fund facility partnership republic government embassy migration refugees women children""".split()
)


def _is_english(name: str) -> bool:
    """A name in English: two words at least, ASCII only, and an English word among them
    ("Tieslietu ministrija" is ASCII too, and Latvian)."""
    words = name.lower().split()
    return len(words) >= 2 and all(ord(c) < 128 for c in name) and any(w.strip(",.()") in _ENGLISH_WORDS for w in words)


def _person_key(name: str) -> tuple[str, str]:
    """(first-name prefix, surname skeleton) for spelling-variant matching."""
    parts = ascii_fold(name).lower().replace("x", "ks").split()
    if len(parts) < 2:
        return "", ""
    first, last = parts[0].strip("."), parts[-1]
    last = re.sub(r"(ijs|js|is|us|s|a|e|i|u|o)$", "", last)
    return first[:3] if len(first) > 1 else first, last


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 4:
        return False
    # at most one edit
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        edits += 1
        if edits > 1:
            return False
        if len(a) == len(b):
            i += 1
        j += 1
    return edits + (len(b) - j) + (len(a) - i) <= 1


def _inc(counter: dict | None, key: object, n: int) -> dict:
    """Add n (which may be negative) to a count, dropping it at zero; the counts (a new
    dict where there were none)."""
    if counter is None:
        counter = {}
    left = counter.get(key, 0) + n
    if left:
        counter[key] = left
    else:
        del counter[key]
    return counter


class _KeyStats:
    """What the mentions carrying one resolution key say, summed over all documents.

    Everything is counted, so that a document's mentions can be taken out again
    (`Resolver.remove`) as exactly as they were put in."""

    __slots__ = (
        "cls", "lemmas", "surfaces", "aliases", "countries", "gaz_ids", "links", "docs", "dates", "locations",
        "evidence",
    )  # fmt: skip

    # kept small, since a corpus has hundreds of thousands of keys: containers that most
    # keys never need stay None, documents are numbers in an array
    def __init__(self, keep_evidence: bool) -> None:
        # plain dicts of counts (not Counters: they pickle faster, and a build keeps them)
        self.cls: dict[EntityClass, int] = {}
        self.lemmas: dict[str, int] = {}
        self.surfaces: dict[str, int] = {}
        self.aliases: dict[str, int] | None = None
        self.countries: dict[str, int] | None = None
        self.gaz_ids: dict[str, int] | None = None
        self.links: dict[str, int] | None = None  # the name keys its mentions declare it the same as
        self.docs = array("I")  # numbers of the documents (Resolver.doc_ids), each once
        self.dates: dict[tuple[str, str], int] | None = None  # (mention id, date) of the mentions with one
        self.locations: dict[tuple[str, str], int] | None = None
        self.evidence: set[Evidence] | None = set() if keep_evidence else None

    def add(self, m: Mention, links: list[str], n: int = 1) -> None:
        """Count a mention in (n=1) or out (n=-1)."""
        _inc(self.cls, m.cls, n)
        _inc(self.lemmas, m.lemma, n)
        _inc(self.surfaces, m.surface, n)
        for a in m.aliases:
            self.aliases = _inc(self.aliases, a, n)
        if m.country:
            self.countries = _inc(self.countries, m.country, n)
        if m.gazetteer_id:
            self.gaz_ids = _inc(self.gaz_ids, m.gazetteer_id, n)
        for link in links:
            self.links = _inc(self.links, link, n)
        if m.date:
            self.dates = _inc(self.dates, (m.id, m.date), n)
        if m.location:
            self.locations = _inc(self.locations, (m.id, m.location), n)
        if self.evidence is not None:
            if n > 0:
                self.evidence.add(m.evidence)
            else:
                self.evidence.discard(m.evidence)

    def merge(self, other: _KeyStats) -> None:
        for attr in ("cls", "lemmas", "surfaces", "aliases", "countries", "gaz_ids", "dates", "locations"):
            theirs = getattr(other, attr)
            if theirs:
                mine = getattr(self, attr)
                if mine is None:
                    setattr(self, attr, mine := {})
                for k, n in theirs.items():
                    mine[k] = mine.get(k, 0) + n
        self.docs.extend(other.docs)
        if self.evidence is not None and other.evidence is not None:
            self.evidence |= other.evidence

    @property
    def date(self) -> str | None:
        """The date of the first mention (by id) with one."""
        return min(self.dates)[1] if self.dates else None

    @property
    def location(self) -> str | None:
        return min(self.locations)[1] if self.locations else None

    def empty(self) -> bool:
        return not self.cls


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


PersonName = tuple[str, str, str]  # (key, first-name prefix, surname skeleton)


def _person_forms(last: str) -> set[str]:
    """The surname and, for longer ones, each form with one letter deleted: two strings
    one edit apart share one of them."""
    return {last} | ({last[:j] + last[j + 1 :] for j in range(len(last))} if len(last) >= 4 else set())


def _same_person(a: PersonName, b: PersonName, docs_a: set[str], docs_b: set[str]) -> bool:
    k1, f1, l1 = a
    k2, f2, l2 = b
    if k1 == k2:
        return False
    initial = len(f1) == 1 or len(f2) == 1
    if initial and docs_a.isdisjoint(docs_b):
        return False  # "A. Pinzaru" is matched only inside its own document
    same_first = f1[:1] == f2[:1] if initial else _similar(f1, f2) or f1[:2] == f2[:2]
    return same_first and _similar(l1, l2)


class _PersonMerge:
    """Persons whose names are spelling variants: the same first name (or initial, within
    one document) and surnames at most one edit apart.

    Each distinct name is compared once, whatever the number of documents naming it (the
    documents matter only for initials), and candidate pairs come from an index of each
    surname with each letter deleted, so the work grows with the number of names, not its
    square. `update` compares again only the names whose documents changed."""

    def __init__(self) -> None:
        self.docs: dict[PersonName, set[str]] = {}  # name -> documents naming it
        self.index: dict[str, set[PersonName]] = defaultdict(set)
        self.pairs: set[tuple[PersonName, PersonName]] = set()  # the names found the same, (smaller, larger)

    def update(self, persons: dict[str, set[tuple[str, str]]]) -> set[tuple[str, str]]:
        """The pairs of keys to unite, for the persons named now (document -> (key, name))."""
        docs: dict[PersonName, set[str]] = defaultdict(set)
        for d, named in persons.items():
            for k, n in named:
                first, last = _person_key(n)
                if last:
                    docs[(k, first, last)].add(d)
        changed = {n for n in docs.keys() | self.docs.keys() if docs.get(n) != self.docs.get(n)}
        for name in changed:
            if name not in docs:
                for form in _person_forms(name[2]):
                    self.index[form].discard(name)
                    if not self.index[form]:
                        del self.index[form]
            elif name not in self.docs:
                for form in _person_forms(name[2]):
                    self.index[form].add(name)
        self.pairs = {(a, b) for a, b in self.pairs if a not in changed and b not in changed}
        self.docs = dict(docs)
        candidates: set[tuple[PersonName, PersonName]] = set()  # each pair once, however many forms it shares
        for name in changed:
            if name not in docs:
                continue
            for form in _person_forms(name[2]):
                for other in self.index.get(form, ()):
                    if other != name:
                        candidates.add((name, other) if name < other else (other, name))
        for a, b in candidates:
            if _same_person(a, b, docs[a], docs[b]):
                self.pairs.add((a, b))
        return {(a[0], b[0]) for a, b in self.pairs}


def _merge_persons(persons: Iterable[tuple[str, str, str]], uf: _UnionFind) -> None:
    """Unite persons (key, name, document) whose names are spelling variants (see
    `_PersonMerge`)."""
    by_doc: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for k, n, d in persons:
        by_doc[d].add((k, n))
    for k1, k2 in sorted(_PersonMerge().update(by_doc)):
        uf.union(k1, k2)


_PERIOD = re.compile(r"((?:19|20)\d{2})\.?\s*[-–]\s*((?:19|20)\d{2})\.?\s*\.?\s*gad\w*")
_ACT_NUMBER = re.compile(r"\d{4}/\d+/[A-Z]{2,3}")


def _merge_policies(mentions: Iterable[Mention], uf: _UnionFind) -> None:
    """Policy documents that are one document: the same act number ("2008/115/EK"); in
    one text, the same kind of document for the same period ("Nacionālā stratēģija ...
    2018.-2023.gadam" twice, worded differently), or the same title with the same first
    year (a mistyped end year: "2016. – 2018.gadam" / "2016-2020.gadam")."""
    from .extract.lexicon import load_lexicon
    from .lv.morph import stem

    lex = load_lexicon()
    mentions = list(mentions)
    by_code: dict[str, str] = {}
    by_period: dict[tuple[str, str, str, str], str] = {}
    by_title: dict[tuple[str, str, str], str] = {}
    undated: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.key, m.id)):
        if m.cls is not EntityClass.POLICY_DOCUMENT:
            continue
        for text in (m.lemma, *m.aliases):
            for code in _ACT_NUMBER.findall(text):
                uf.union(by_code.setdefault(code, m.key), m.key)
        period = _PERIOD.search(m.lemma)
        doc = m.evidence.doc_id
        if period is None:
            undated.append(m)
            continue
        words = m.lemma[: period.start()].split()
        kinds = [stem(w) for w in words if (h := lex.head(w)) is not None and h.kind == "policy"]
        y1, y2 = period.group(1), period.group(2)
        if kinds and words[0] != "Par":  # "Par ..." titles an act about the document
            uf.union(by_period.setdefault((doc, kinds[0], y1, y2), m.key), m.key)
        title = " ".join(stem(w) for w in words)
        uf.union(by_title.setdefault((doc, title, y1), m.key), m.key)
    # "Cilvēku tirdzniecības novēršanas pamatnostādnes" without the period it has elsewhere
    # in the same text
    titles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (doc, title, _y1), key in by_title.items():
        titles[(doc, title)].add(uf.find(key))
    for m in undated:
        roots = titles.get((m.evidence.doc_id, " ".join(stem(w) for w in m.lemma.split())), set())
        if len(roots) == 1:
            uf.union(next(iter(roots)), m.key)
    # "Eiropas Konvencija" after "Eiropas Konvencija cīņai pret cilvēku tirdzniecību" in the
    # same text: a name cut short stands for the one longer name it begins
    longer: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)  # (doc, proper prefix) -> keys
    for m in mentions:
        if m.cls is EntityClass.POLICY_DOCUMENT:
            ws = tuple(stem(w) for w in norm(m.lemma).split())
            for n in range(2, len(ws)):
                longer[m.evidence.doc_id, ws[:n]].append(m.key)
    for m in undated:
        mine = tuple(stem(w) for w in norm(m.lemma).split())
        if len(mine) < 2:
            continue
        roots = {uf.find(k) for k in longer.get((m.evidence.doc_id, mine), ())}
        if len(roots) == 1 and uf.find(m.key) not in roots:
            uf.union(next(iter(roots)), m.key)


def _entity(root: str, st: _KeyStats, docs: tuple[str, ...], gaz: Gazetteer) -> tuple[Entity, bool]:
    """The entity of a cluster of keys (root: its root key), and whether its IRI is settled
    (a known actor's); an IRI that is not gets a suffix where an earlier entity has it."""
    gaz_ids = sorted(st.gaz_ids or ())
    evid = tuple(sorted(st.evidence, key=lambda e: (e.doc_id, e.start))) if st.evidence else ()
    surfaces = tuple(sorted(st.surfaces))
    lemmas = st.lemmas
    aliases = tuple(sorted(st.aliases or ()))
    if gaz_ids:
        e = gaz.entries[root[4:]] if root.startswith("gaz:") and root[4:] in gaz.entries else gaz.entries[gaz_ids[0]]
        # the entry's Latvian name the texts use most (its canonical name on a tie, or when
        # the texts name it only by an acronym)
        canonical = e.name_lv.split()
        used = [
            n
            for n in (e.name_lv, *e.alt_lv)
            if lemmas.get(n)
            and not is_acronym(n.split()[0])
            # a short form the canonical name ends with ("Cilvēku tirdzniecības apkarošanas
            # nodaļa" of "Valsts policijas ...") says less than it
            and not (n != e.name_lv and canonical[-len(n.split()) :] == n.split())
        ]
        label = max(used, key=lambda n: (lemmas[n], n == e.name_lv)) if used else e.name_lv
        return _gazetteer_entity(e, docs, evid, surfaces, extra=tuple(sorted(lemmas)) + aliases, label=label), True
    cls_counts = st.cls
    cls = sorted(cls_counts, key=lambda c: (-cls_counts[c], c.value))[0]
    label = sorted(lemmas, key=lambda n: (-lemmas[n], -len(n), n))[0]
    if cls is EntityClass.PERSON:
        # a name the text writes in the nominative before one put there by declension
        # ("Vitu Zariņu" reads as Vita Zariņa or Vits Zariņš; "Vita Zariņa" elsewhere
        # settles it), then the fullest, most Latvian spelling: no initial, diacritics.
        # (A surface may carry the original spelling in parentheses after the name.)
        written = {s.split(" (", 1)[0] for s in st.surfaces}
        label = sorted(
            lemmas,
            key=lambda n: (
                len(n.split()[0]) <= 2,
                n not in written,
                -lemmas[n],
                -sum(ord(c) > 127 for c in n),
                n,
            ),
        )[0]
    countries = st.countries or Counter()
    country = sorted(countries, key=lambda c: (-countries[c], c))[0] if countries else None
    if cls is EntityClass.INTERNATIONAL_ORGANISATION or not cls.is_organisation:
        country = None
    prefix = _PREFIX.get(cls, "org")
    base = slug(label)
    if root.startswith("org:") and root.count(":") >= 2:
        base = slug(root.split(":", 2)[2])  # the name without its country: org/ee-darba-inspekcija
    if cls.is_organisation and country:
        base = f"{country.lower()}-{base}"
    path = f"{prefix}/{base}"
    en = next((a for a in aliases if _is_english(a) and not is_acronym(a)), None)
    alt = [(n, "lv") for n in sorted(lemmas) if n != label]
    alt += [(a, "en" if _is_english(a) and not is_acronym(a) else "lv") for a in aliases if a != label and a != en]
    if en:
        alt.append((en, "en"))
    hidden = tuple(s for s in surfaces if s not in lemmas and s not in aliases)
    date = st.date
    location = st.location
    return (
        Entity(
            date=date,
            location=location,
            iri_path=path,
            cls=cls,
            pref_label_lv=label,
            pref_label_en=en,
            alt_labels=tuple(dict.fromkeys(alt)),
            hidden_labels=hidden,
            country=country,
            docs=docs,
            mentions=evid,
        ),
        False,
    )


def _gazetteer_entity(
    e: GazetteerEntry,
    docs: tuple[str, ...],
    evid: tuple[Evidence, ...],
    surfaces: tuple[str, ...],
    extra: tuple[str, ...] = (),
    label: str | None = None,
) -> Entity:
    path = f"country/{e.iso2}" if e.iso2 else f"org/{e.id}"
    label = label or e.name_lv
    alt: list[tuple[str, str]] = [(n, "lv") for n in (e.name_lv, *e.alt_lv) if n != label]
    alt += [(a, "lv") for a in e.acronyms]  # acronyms as Latvian texts use them
    alt += [(n, "en") for n in e.alt_en]
    known = {e.name_lv, e.name_en, *e.alt_lv, *e.acronyms, *e.alt_en}
    for n in extra:
        if n not in known:
            alt.append((n, "en" if _is_english(n) and not is_acronym(n) else "lv"))
            known.add(n)
    hidden = tuple(s for s in surfaces if s not in known)
    return Entity(
        iri_path=path,
        cls=e.cls,
        pref_label_lv=label,
        pref_label_en=e.name_en,
        alt_labels=tuple(dict.fromkeys(alt)),
        hidden_labels=hidden,
        country=e.country if e.cls is not EntityClass.INTERNATIONAL_ORGANISATION else None,
        wikidata=e.wikidata,
        iso2=e.iso2,
        docs=docs,
        mentions=evid,
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

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
from sys import intern

from .extract.gazetteer import Gazetteer, GazetteerEntry, is_acronym
from .extract.spans import norm
from .ir import (
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


def _is_english(name: str) -> bool:
    return len(name.split()) >= 2 and all(ord(c) < 128 for c in name)


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


class _KeyStats:
    """What the mentions carrying one resolution key say, summed over all documents."""

    __slots__ = ("cls", "lemmas", "surfaces", "aliases", "countries", "gaz_ids", "docs", "date", "location", "evidence")

    # kept small, since a corpus has hundreds of thousands of keys: containers that most
    # keys never need stay None, documents are numbers in an array
    def __init__(self, keep_evidence: bool) -> None:
        self.cls: Counter[EntityClass] = Counter()
        self.lemmas: Counter[str] = Counter()
        self.surfaces: set[str] = set()
        self.aliases: set[str] | None = None
        self.countries: Counter[str] | None = None
        self.gaz_ids: set[str] | None = None
        self.docs = array("I")  # numbers of the documents (Resolver.doc_ids), each once
        self.date: tuple[str, str] | None = None  # (mention id, date) of the first mention with one
        self.location: tuple[str, str] | None = None
        self.evidence: set[Evidence] | None = set() if keep_evidence else None

    def add(self, m: Mention, doc: int) -> None:
        self.cls[m.cls] += 1
        self.lemmas[m.lemma] += 1
        self.surfaces.add(m.surface)
        if m.aliases:
            if self.aliases is None:
                self.aliases = set()
            self.aliases.update(m.aliases)
        if m.country:
            if self.countries is None:
                self.countries = Counter()
            self.countries[m.country] += 1
        if m.gazetteer_id:
            if self.gaz_ids is None:
                self.gaz_ids = set()
            self.gaz_ids.add(m.gazetteer_id)
        if not self.docs or self.docs[-1] != doc:  # a document's mentions come together
            self.docs.append(doc)
        if m.date and (self.date is None or m.id < self.date[0]):
            self.date = (m.id, m.date)
        if m.location and (self.location is None or m.id < self.location[0]):
            self.location = (m.id, m.location)
        if self.evidence is not None:
            self.evidence.add(m.evidence)

    def merge(self, other: _KeyStats) -> None:
        self.cls.update(other.cls)
        self.lemmas.update(other.lemmas)
        self.surfaces |= other.surfaces
        if other.aliases:
            self.aliases = (self.aliases or set()) | other.aliases
        if other.countries:
            self.countries = (self.countries or Counter()) + other.countries
        if other.gaz_ids:
            self.gaz_ids = (self.gaz_ids or set()) | other.gaz_ids
        self.docs.extend(other.docs)
        for attr in ("date", "location"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            if theirs is not None and (mine is None or theirs[0] < mine[0]):
                setattr(self, attr, theirs)
        if self.evidence is not None and other.evidence is not None:
            self.evidence |= other.evidence


def _ref_key(ref: str, keys: dict[str, str]) -> str | None:
    """The resolution key a claim's subject or object stands for: "key:<key>" or a
    mention id of the same document."""
    return ref[4:] if ref.startswith("key:") else keys.get(ref)


DocClaim = tuple[str, Relation, str, tuple[Evidence, ...]]  # (subject path, relation, object path, evidence)


class Resolver:
    """Resolution in two passes over the documents, holding only a summary per
    resolution key in memory, so that a corpus of any size can be resolved:

    1. `add` every document's record (in any order): its mentions are summed up by key
       and the keys they declare the same are united;
    2. `finish` decides the entities and their IRIs; `doc_claims` then gives, document by
       document, the relations read from it with their evidence.

    `resolve` runs both passes on records held in memory.
    """

    def __init__(self, gazetteer: Gazetteer, *, keep_evidence: bool = False) -> None:
        self.gaz = gazetteer
        self.keep_evidence = keep_evidence
        self.uf = _UnionFind()
        self.stats: dict[str, _KeyStats] = {}
        self.doc_ids: list[str] = []  # the documents' ids by number
        self._doc_no: dict[str, int] = {}
        self.persons: set[tuple[str, str, str]] = set()
        self.policies: list[Mention] = []
        self.triples: set[tuple[str, Relation, str]] = set()  # claims by key, distinct
        self.entities: dict[str, Entity] = {}
        self._root_to_path: dict[str, str] = {}
        self._paths: dict[str, str | None] = {}
        self.leads: set[tuple[str, str]] = set()
        self.funders: set[str] = set()
        self.relations: Counter[str] = Counter()  # distinct resolved relations by name
        self._finished = False

    def add(self, record: DocRecord) -> None:
        if self._finished:
            raise RuntimeError("Resolver.add after finish")
        uf = self.uf
        doc_no = self._doc_no
        for m in record.mentions:
            stats = self.stats.get(m.key)
            if stats is None:
                stats = self.stats[intern(m.key)] = _KeyStats(self.keep_evidence)
                uf.find(intern(m.key))
            doc = doc_no.get(m.evidence.doc_id)
            if doc is None:
                doc = doc_no[m.evidence.doc_id] = len(self.doc_ids)
                self.doc_ids.append(m.evidence.doc_id)
            stats.add(m, doc)
            group = _GROUP[m.cls]
            for a in m.aliases:
                if is_acronym(a) or _is_english(a) or group == "project":
                    uf.union(m.key, f"name:{group}:{norm(a)}")
            if group in ("project", "person", "policy"):
                uf.union(m.key, f"name:{group}:{norm(m.lemma)}")
            if m.cls is EntityClass.PERSON:
                self.persons.add((intern(m.key), m.lemma, self.doc_ids[doc]))
            elif m.cls is EntityClass.POLICY_DOCUMENT:
                self.policies.append(m)
        keys = {m.id: m.key for m in record.mentions}
        for c in record.claims:
            s, o = _ref_key(c.subject, keys), _ref_key(c.object, keys)
            if s is not None and o is not None:
                self.triples.add((intern(s), c.relation, intern(o)))

    def finish(self) -> Resolver:
        """Decide the entities (after the last `add`)."""
        if self._finished:
            return self
        self._finished = True
        uf = self.uf
        _merge_persons(self.persons, uf)
        _merge_policies(self.policies, uf)
        clusters: dict[str, list[str]] = defaultdict(list)
        for key in self.stats:
            clusters[uf.find(key)].append(key)
        used_paths: set[str] = set()
        for root in sorted(clusters):
            merged = _KeyStats(self.keep_evidence)
            for key in clusters[root]:
                merged.merge(self.stats[key])
            docs = tuple(sorted({self.doc_ids[i] for i in merged.docs}))
            ent = _entity(root, merged, docs, self.gaz, used_paths)
            used_paths.add(ent.iri_path)
            self.entities[ent.iri_path] = ent
            self._root_to_path[root] = ent.iri_path
        self.stats.clear()  # not needed any more
        grouped: set[tuple[str, Relation, str]] = set()
        for skey, rel, okey in sorted(self.triples, key=lambda t: (t[0], t[1].value, t[2])):
            s, o = self.path(skey), self.path(okey)
            if self._keep(s, rel, o):
                grouped.add((s, rel, o))  # type: ignore[arg-type]
        self.leads = {(s, o) for (s, r, o) in grouped if r is Relation.LEAD_PARTNER}
        self.funders = {o for (_s, r, o) in grouped if r is Relation.FUNDED_BY}
        for s, r, o in grouped:
            if not (r is Relation.PARTNER and (s, o) in self.leads):
                self.relations[r.value] += 1
        # reference data: every country, mentioned or not
        for e in self.gaz.entries.values():
            if e.cls is EntityClass.COUNTRY and f"country/{e.iso2}" not in self.entities:
                ref = _gazetteer_entity(e, (), (), ())
                self.entities[ref.iri_path] = ref
        return self

    def path(self, key: str) -> str | None:
        """The IRI path of the entity a resolution key belongs to (None: none)."""
        if key in self._paths:
            return self._paths[key]
        root = self.uf.find(key)
        path = self._root_to_path.get(root)
        if path is None and key.startswith("gaz:"):
            # reference data: a country or a known actor a claim names
            e = self.gaz.entries.get(key[4:])
            if e is not None:
                ref = _gazetteer_entity(e, (), (), ())
                self.entities.setdefault(ref.iri_path, ref)
                path = ref.iri_path
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


def _merge_persons(persons: Iterable[tuple[str, str, str]], uf: _UnionFind) -> None:
    """Unite persons whose names are spelling variants: the same first name (or initial,
    within one document) and surnames at most one edit apart.

    Each distinct name is compared once, whatever the number of documents naming it (the
    documents matter only for initials), and candidate pairs come from an index of each
    surname with each letter deleted (two strings one edit apart share one such form), so
    the work grows with the number of names, not its square."""
    docs: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (key, first, surname) -> documents
    for k, n, d in persons:
        first, last = _person_key(n)
        if last:
            docs[(k, first, last)].add(d)
    names = sorted(docs)
    index: dict[str, list[int]] = defaultdict(list)
    for i, (_k, _f, last) in enumerate(names):
        forms = {last} | ({last[:j] + last[j + 1 :] for j in range(len(last))} if len(last) >= 4 else set())
        for form in forms:
            index[form].append(i)
    pairs: set[tuple[int, int]] = set()
    for ids in index.values():
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                pairs.add((ids[a], ids[b]) if ids[a] < ids[b] else (ids[b], ids[a]))
    for i, j in sorted(pairs):
        k1, f1, l1 = names[i]
        k2, f2, l2 = names[j]
        if k1 == k2 or uf.find(k1) == uf.find(k2):
            continue
        initial = len(f1) == 1 or len(f2) == 1
        if initial and docs[names[i]].isdisjoint(docs[names[j]]):
            continue  # "A. Pinzaru" is matched only inside its own document
        same_first = f1[:1] == f2[:1] if initial else _similar(f1, f2) or f1[:2] == f2[:2]
        if same_first and _similar(l1, l2):
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


def _entity(root: str, st: _KeyStats, docs: tuple[str, ...], gaz: Gazetteer, used: set[str]) -> Entity:
    gaz_ids = sorted(st.gaz_ids or ())
    evid = tuple(sorted(st.evidence, key=lambda e: (e.doc_id, e.start))) if st.evidence else ()
    surfaces = tuple(sorted(st.surfaces))
    lemmas = st.lemmas
    aliases = tuple(sorted(st.aliases or ()))
    if gaz_ids:
        e = gaz.entries[root[4:]] if root.startswith("gaz:") and root[4:] in gaz.entries else gaz.entries[gaz_ids[0]]
        return _gazetteer_entity(e, docs, evid, surfaces, extra=tuple(sorted(lemmas)) + aliases)
    cls_counts = st.cls
    cls = sorted(cls_counts, key=lambda c: (-cls_counts[c], c.value))[0]
    label = sorted(lemmas, key=lambda n: (-lemmas[n], -len(n), n))[0]
    if cls is EntityClass.PERSON:
        # the fullest, most Latvian spelling: prefer a name with diacritics and no initial
        label = sorted(lemmas, key=lambda n: (len(n.split()[0]) <= 2, -lemmas[n], -sum(ord(c) > 127 for c in n), n))[0]
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
    if path in used:
        path = f"{path}-{hashlib.sha1(root.encode()).hexdigest()[:6]}"
    en = next((a for a in aliases if _is_english(a) and not is_acronym(a)), None)
    alt = [(n, "lv") for n in sorted(lemmas) if n != label]
    alt += [(a, "en" if _is_english(a) and not is_acronym(a) else "lv") for a in aliases if a != label and a != en]
    if en:
        alt.append((en, "en"))
    hidden = tuple(s for s in surfaces if s not in lemmas and s not in aliases)
    date = st.date[1] if st.date else None
    location = st.location[1] if st.location else None
    return Entity(
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
    )


def _gazetteer_entity(
    e: GazetteerEntry,
    docs: tuple[str, ...],
    evid: tuple[Evidence, ...],
    surfaces: tuple[str, ...],
    extra: tuple[str, ...] = (),
) -> Entity:
    path = f"country/{e.iso2}" if e.iso2 else f"org/{e.id}"
    alt: list[tuple[str, str]] = [(n, "lv") for n in e.alt_lv]
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
        pref_label_lv=e.name_lv,
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

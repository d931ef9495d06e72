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
from collections import Counter, defaultdict
from collections.abc import Iterable

from .extract.gazetteer import Gazetteer, GazetteerEntry, is_acronym
from .extract.spans import norm
from .ir import (
    ORGANISATION_CLASSES,
    Claim,
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


def resolve(extractions: Iterable[Extraction], gazetteer: Gazetteer) -> Resolved:
    extractions = sorted(extractions, key=lambda x: x.document.id)
    mentions: list[Mention] = [m for x in extractions for m in x.mentions]
    uf = _UnionFind()
    for m in mentions:
        uf.find(m.key)
        group = _GROUP[m.cls]
        for a in m.aliases:
            if is_acronym(a) or _is_english(a) or group == "project":
                uf.union(m.key, f"name:{group}:{norm(a)}")
        if group in ("project", "person", "policy"):
            uf.union(m.key, f"name:{group}:{norm(m.lemma)}")
    _merge_persons(mentions, uf)
    _merge_policies(mentions, uf)

    clusters: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        clusters[uf.find(m.key)].append(m)

    entities: dict[str, Entity] = {}
    root_to_path: dict[str, str] = {}
    used_paths: set[str] = set()
    for root in sorted(clusters):
        ms = clusters[root]
        ent = _entity(root, ms, gazetteer, used_paths)
        used_paths.add(ent.iri_path)
        entities[ent.iri_path] = ent
        root_to_path[root] = ent.iri_path

    mention_path = {m.id: root_to_path[uf.find(m.key)] for m in mentions}
    claims = _resolve_claims(
        [c for x in extractions for c in x.claims], mention_path, root_to_path, uf, entities, gazetteer
    )
    # reference data: every country, mentioned or not
    for e in gazetteer.entries.values():
        if e.cls is EntityClass.COUNTRY and f"country/{e.iso2}" not in entities:
            ref = _gazetteer_entity(e, (), (), ())
            entities[ref.iri_path] = ref
    return Resolved(
        documents=tuple(x.document for x in extractions),
        entities=tuple(sorted(entities.values(), key=lambda e: e.iri_path)),
        claims=tuple(sorted(claims, key=lambda c: (c.subject, c.relation.value, c.object))),
    )


def _merge_persons(mentions: list[Mention], uf: _UnionFind) -> None:
    persons = sorted({(m.key, m.lemma, m.evidence.doc_id) for m in mentions if m.cls is EntityClass.PERSON})
    full = [(k, n, d, _person_key(n)) for k, n, d in persons]
    for i, (k1, _n1, d1, (f1, l1)) in enumerate(full):
        if not l1:
            continue
        for k2, _n2, d2, (f2, l2) in full[i + 1 :]:
            if not l2 or k1 == k2:
                continue
            initial = len(f1) == 1 or len(f2) == 1
            if initial and d1 != d2:
                continue  # "A. Pinzaru" is matched only inside its own document
            same_first = f1[:1] == f2[:1] if initial else _similar(f1, f2) or f1[:2] == f2[:2]
            if same_first and _similar(l1, l2):
                uf.union(k1, k2)


_PERIOD = re.compile(r"((?:19|20)\d{2})\.?\s*[-–]\s*((?:19|20)\d{2})\.?\s*\.?\s*gad\w*")
_ACT_NUMBER = re.compile(r"\d{4}/\d+/[A-Z]{2,3}")


def _merge_policies(mentions: list[Mention], uf: _UnionFind) -> None:
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


def _entity(root: str, ms: list[Mention], gaz: Gazetteer, used: set[str]) -> Entity:
    gaz_ids = sorted({m.gazetteer_id for m in ms if m.gazetteer_id})
    docs = tuple(sorted({m.evidence.doc_id for m in ms}))
    evid = tuple(sorted({m.evidence for m in ms}, key=lambda e: (e.doc_id, e.start)))
    surfaces = tuple(sorted({m.surface for m in ms}))
    lemmas = Counter(m.lemma for m in ms)
    aliases = tuple(sorted({a for m in ms for a in m.aliases}))
    if gaz_ids:
        e = gaz.entries[root[4:]] if root.startswith("gaz:") and root[4:] in gaz.entries else gaz.entries[gaz_ids[0]]
        return _gazetteer_entity(e, docs, evid, surfaces, extra=tuple(lemmas) + aliases)
    cls_counts = Counter(m.cls for m in ms)
    cls = sorted(cls_counts, key=lambda c: (-cls_counts[c], c.value))[0]
    label = sorted(lemmas, key=lambda n: (-lemmas[n], -len(n), n))[0]
    if cls is EntityClass.PERSON:
        # the fullest, most Latvian spelling: prefer a name with diacritics and no initial
        label = sorted(lemmas, key=lambda n: (len(n.split()[0]) <= 2, -lemmas[n], -sum(ord(c) > 127 for c in n), n))[0]
    countries = Counter(m.country for m in ms if m.country)
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
    date = next((m.date for m in sorted(ms, key=lambda m: m.id) if m.date), None)
    location = next((m.location for m in sorted(ms, key=lambda m: m.id) if m.location), None)
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


def _resolve_claims(
    claims: list[Claim],
    mention_path: dict[str, str],
    root_to_path: dict[str, str],
    uf: _UnionFind,
    entities: dict[str, Entity],
    gaz: Gazetteer,
) -> list[ResolvedClaim]:
    grouped: dict[tuple[str, Relation, str], set[Evidence]] = defaultdict(set)

    def path_of(ref: str) -> str | None:
        if ref.startswith("key:"):
            key = ref[4:]
            root = uf.find(key)
            if root in root_to_path:
                return root_to_path[root]
            if key.startswith("gaz:"):
                # reference data: a country or a known actor the claim names
                e = gaz.entries.get(key[4:])
                if e is not None:
                    ref_ent = _gazetteer_entity(e, (), (), ())
                    entities.setdefault(ref_ent.iri_path, ref_ent)
                    return ref_ent.iri_path
            return None
        return mention_path.get(ref)

    for c in claims:
        s, o = path_of(c.subject), path_of(c.object)
        if s is None or o is None or s == o:
            continue
        if not _valid(c.relation, entities[s], entities[o]):
            continue
        if c.relation is Relation.COUNTRY and o != f"country/{entities[s].country}":
            continue  # one country per body: the one its mentions agree on
        grouped[(s, c.relation, o)].add(c.evidence)
    # a partner that is also the lead partner is only the lead partner
    leads = {(s, o) for (s, r, o) in grouped if r is Relation.LEAD_PARTNER}
    out = []
    for (s, r, o), ev in grouped.items():
        if r is Relation.PARTNER and (s, o) in leads:
            grouped[(s, Relation.LEAD_PARTNER, o)] |= ev
            continue
    for (s, r, o), ev in grouped.items():
        if r is Relation.PARTNER and (s, o) in leads:
            continue
        out.append(ResolvedClaim(s, r, o, tuple(sorted(ev, key=lambda e: (e.doc_id, e.start)))))
    return out

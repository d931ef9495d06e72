"""Which names are one entity, and the entity they make: the union-find that merges keys,
the spelling variants of a person's name, the acts and programmes one policy document is
named by, and an entity's labels, IRI and links made from the counts of its names
(resolve.py counts them)."""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..ir import Entity, EntityClass, Evidence, Mention
from .extract.gazetteer import Gazetteer, GazetteerEntry, is_acronym
from .extract.spans import norm

_PREFIX = {
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


PersonName = tuple[str, str, str]  # (key, first-name prefix, surname skeleton)

"""The typed records every pipeline stage takes and hands on.

paths -> ingest -> Document -> extract -> Extraction -> resolve -> Resolved -> mapping -> quads

Records are frozen and hold tuples, so a stage can never change what an earlier one
produced. Every mention and claim carries its evidence: document id, sentence index
and character offsets into the document text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class EntityClass(str, enum.Enum):
    """The contract classes a mention or entity can have (ctn:<value>)."""

    MINISTRY = "Ministry"
    PUBLIC_BODY = "PublicBody"
    NGO = "NGO"
    INTERNATIONAL_ORGANISATION = "InternationalOrganisation"
    COMPANY = "Company"
    PROJECT = "Project"
    COUNTRY = "Country"
    PERSON = "Person"
    EVENT = "Event"
    POLICY_DOCUMENT = "PolicyDocument"

    @property
    def is_organisation(self) -> bool:
        return self in ORGANISATION_CLASSES


ORGANISATION_CLASSES = frozenset(
    {
        EntityClass.MINISTRY,
        EntityClass.PUBLIC_BODY,
        EntityClass.NGO,
        EntityClass.INTERNATIONAL_ORGANISATION,
        EntityClass.COMPANY,
    }
)


class Relation(str, enum.Enum):
    """The contract relations (ctn:<value>)."""

    LEAD_PARTNER = "leadPartner"
    PARTNER = "partner"
    FUNDED_BY = "fundedBy"
    SUPPORTED_BY = "supportedBy"
    PARTICIPANT_COUNTRY = "participantCountry"
    COUNTRY = "country"
    MEMBER_OF = "memberOf"
    PART_OF = "partOf"
    AFFILIATION = "affiliation"
    ABOUT_PROJECT = "aboutProject"  # Event -> Project (a project addition to the contract)


def _reduce(self):  # noqa: ANN001, ANN202
    """Pickle a record as its class and field values: several times faster to load than
    the generic state of frozen dataclasses, which counts for caches and workers."""
    return type(self), tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int  # offset of the first character in Document.text
    end: int  # offset after the last character
    text: str
    page: int | None = None  # the page it begins on (1 first), for documents with pages (PDF)


@dataclass(frozen=True, slots=True)
class Document:
    id: str  # stable: derived from the file name
    path: str  # as given (relative where possible)
    text: str  # the plain text the offsets refer to
    content_hash: str  # sha256 of text
    title: str | None = None
    url: str | None = None
    dates: tuple[str, ...] = ()  # ISO 8601 dates (yyyy-mm-dd) of publication
    sentences: tuple[Sentence, ...] = ()

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence holding a character offset (the last one past the end)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.sentences[lo]


@dataclass(frozen=True, slots=True)
class Evidence:
    doc_id: str
    sentence: int  # Sentence.index
    start: int  # character span of the mention or cue in Document.text
    end: int
    cue: str | None = None  # the cue phrase that signalled a relation


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a name in one document.

    `key` is the resolution key the extractor proposes: a gazetteer id
    ("gaz:lv-iem", "country:LV") or a normalised nominative name with a class
    ("name:PublicBody:MD:policijas ģenerālinspektorāts"). The resolver merges mentions
    across documents by key and by the aliases they declare.
    """

    id: str  # unique within the extraction: "{doc_id}#{start}"
    cls: EntityClass
    surface: str  # the text as written (may be inflected)
    lemma: str  # nominative form
    key: str
    evidence: Evidence
    country: str | None = None  # ISO alpha-2 the mention belongs to, where known
    aliases: tuple[str, ...] = ()  # other names declared in the text (acronym, English)
    gazetteer_id: str | None = None
    parent: str | None = None  # mention id of the organisation this is a sub-unit of
    date: str | None = None  # events: ISO date
    location: str | None = None  # events: place named


@dataclass(frozen=True, slots=True)
class Claim:
    """A relation read from text between two mentions (by Mention.id)."""

    subject: str
    relation: Relation
    object: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Extraction:
    document: Document
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class DocRecord:
    """What resolution and mapping need of one document: its metadata (no text), its
    mentions and claims, and the sentences the claims' evidence points at. Small enough
    to cache and to hand between processes by the hundred thousand."""

    document: Document  # text "" and no sentences
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    sentences: tuple[Sentence, ...]  # the evidence sentences, by index

    def at(self, path: str) -> DocRecord:
        """The record of the same bytes read from `path` (a cached record keeps the path
        it was first read from)."""
        return self if self.document.path == path else replace(self, document=replace(self.document, path=path))

    @classmethod
    def of(cls, x: Extraction) -> DocRecord:
        d = x.document
        wanted = sorted({c.evidence.sentence for c in x.claims})
        return cls(
            document=replace(d, text="", sentences=()),
            mentions=x.mentions,
            claims=x.claims,
            sentences=tuple(d.sentences[i] for i in wanted if 0 <= i < len(d.sentences)),
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing after resolution."""

    iri_path: str  # e.g. "org/lv-iem", "country/LV": appended to the ctnid: namespace
    cls: EntityClass
    pref_label_lv: str
    pref_label_en: str | None = None
    alt_labels: tuple[tuple[str, str], ...] = ()  # (text, lang)
    hidden_labels: tuple[str, ...] = ()  # inflected forms seen in text
    country: str | None = None
    wikidata: str | None = None
    iso2: str | None = None
    docs: tuple[str, ...] = ()  # document ids it is mentioned in
    mentions: tuple[Evidence, ...] = ()
    date: str | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class ResolvedClaim:
    subject: str  # Entity.iri_path
    relation: Relation
    object: str
    evidence: tuple[Evidence, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Resolved:
    documents: tuple[Document, ...]
    entities: tuple[Entity, ...]
    claims: tuple[ResolvedClaim, ...]


for _cls in (Sentence, Document, Evidence, Mention, Claim, Extraction, DocRecord):
    _cls.__reduce__ = _reduce  # type: ignore[method-assign]


def _fast_init(cls: type) -> None:
    """Give a frozen dataclass with slots an __init__ of the same signature that sets the
    fields through their slot descriptors: the generated one calls object.__setattr__ by
    name for every field, which takes most of the time of making a record (the extractor
    makes millions of mentions, claims and their evidence). The record stays frozen: only
    __init__ writes its slots."""
    import dataclasses

    names = [f.name for f in dataclasses.fields(cls)]
    params = []
    defaults: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            defaults[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            return  # (none of the records given has one)
        else:
            params.append(f.name)
    setters = {f"_s_{n}": cls.__dict__[n].__set__ for n in names}
    body = "\n".join(f"    _s_{n}(self, {n})" for n in names)
    src = f"def __init__(self, {', '.join(params)}):\n{body}\n"
    namespace: dict[str, object] = {**defaults, **setters}
    exec(src, namespace)  # noqa: S102 - source built from the field names above
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]


for _cls in (Evidence, Mention, Claim):
    _fast_init(_cls)

"""The gold annotation file (data/gold/README.md): its model, loading and validation,
and the label normalisation used to compare names."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .terms import _WIKIDATA_RE, CLASSES, PROPERTIES

# quote-like characters whose Unicode category is not P* (symbols, modifier letters)
_EXTRA_QUOTES = frozenset("`´˝ʹʺʻʼʽ˵˶〃＂＇")

# ---------------------------------------------------------------------------
# labels


def normalise_label(text: str) -> str:
    """Normalise a label for comparison.

    >>> normalise_label("2014.-2020.gadam") == normalise_label("2014.–2020.gadam")
    True
    >>> normalise_label('biedrība "Centrs MARTA"')
    'biedrība centrs marta'
    >>> normalise_label("  Biedrība  „Centrs   MARTA” ")
    'biedrība centrs marta'
    """
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(ch for ch in text if ch not in _EXTRA_QUOTES and not unicodedata.category(ch).startswith("P"))
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# gold


@dataclass(frozen=True)
class GoldEntity:
    id: str
    cls: str
    names: tuple[str, ...]
    country: str | None = None
    wikidata: str | None = None
    docs: tuple[str, ...] = ()
    date: str | None = None  # Events: ISO start, as precise as the text says

    @property
    def name(self) -> str:
        """The canonical (first) name."""
        return self.names[0] if self.names else self.id


@dataclass(frozen=True)
class GoldRelation:
    s: str
    p: str
    o: str
    docs: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.s, self.p, self.o)


@dataclass(frozen=True)
class Gold:
    corpus: str
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]
    acceptable: tuple[GoldRelation, ...] = ()
    notes: tuple[str, ...] = ()
    _by_id: Mapping[str, GoldEntity] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entities})

    def entity(self, entity_id: str) -> GoldEntity:
        return self._by_id[entity_id]

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._by_id


def _wikidata_id(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    m = _WIKIDATA_RE.match(value)
    if m:
        return m.group(1)
    if re.fullmatch(r"Q[0-9]+", value):
        return value
    raise ValueError(f"not a Wikidata id: {value!r}")


_DATE_RE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")


def _gold_date(eid: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise ValueError(f"gold: entity {eid!r} has a date that is not YYYY, YYYY-MM or YYYY-MM-DD: {value!r}")
    return value


_DOC_NUMBER_RE = re.compile(r"[0-9]+")


def document_number(file_name: str) -> int | None:
    """The number a corpus file name starts with (``"007_x.txt"`` -> 7), or None.

    >>> document_number("012_lcc-soli-uz-brivibu-2011.txt"), document_number("notes.txt")
    (12, None)
    """
    m = _DOC_NUMBER_RE.match(file_name)
    return int(m.group(0)) if m else None


def in_split(file_name: str, split: str) -> bool:
    """Whether a document belongs to the ``even`` or ``odd`` half of a corpus.

    >>> in_split("004_a.txt", "even"), in_split("004_a.txt", "odd"), in_split("a.txt", "odd")
    (True, False, False)
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (use one of {', '.join(SPLITS)})")
    n = document_number(file_name)
    return n is not None and n % 2 == (0 if split == "even" else 1)


SPLITS = ("even", "odd")


def split_gold(gold: Gold, split: str) -> Gold:
    """The part of ``gold`` stated in the documents of one half (see :func:`in_split`):
    the entities and relations with at least one such document, relations only where
    both ends are kept."""
    entities = tuple(e for e in gold.entities if any(in_split(d, split) for d in e.docs))
    kept = {e.id for e in entities}

    def rels(rs: tuple[GoldRelation, ...], need_doc: bool) -> tuple[GoldRelation, ...]:
        return tuple(
            r
            for r in rs
            if r.s in kept and r.o in kept and (not need_doc or any(in_split(d, split) for d in r.docs))
        )

    return Gold(
        corpus=f"{gold.corpus} ({split} documents)",
        entities=entities,
        relations=rels(gold.relations, True),
        acceptable=rels(gold.acceptable, False),
        notes=gold.notes,
    )


def _gold_from_dict(data: Mapping[str, Any]) -> Gold:
    entities: list[GoldEntity] = []
    seen: set[str] = set()
    for raw in data.get("entities", []):
        eid = raw["id"]
        if eid in seen:
            raise ValueError(f"gold: duplicate entity id {eid!r}")
        seen.add(eid)
        cls = raw["class"]
        if cls not in CLASSES:
            raise ValueError(f"gold: entity {eid!r} has unknown class {cls!r}")
        names = tuple(raw.get("names", ()))
        if not names:
            raise ValueError(f"gold: entity {eid!r} has no names")
        entities.append(
            GoldEntity(
                id=eid,
                cls=cls,
                names=names,
                country=raw.get("country"),
                wikidata=_wikidata_id(raw.get("wikidata")),
                docs=tuple(raw.get("docs", ())),
                date=_gold_date(eid, raw.get("date")),
            )
        )

    def relations(key: str) -> tuple[GoldRelation, ...]:
        out: list[GoldRelation] = []
        keys: set[tuple[str, str, str]] = set()
        for raw in data.get(key, []):
            rel = GoldRelation(raw["s"], raw["p"], raw["o"], tuple(raw.get("docs", ())))
            if rel.p not in PROPERTIES:
                raise ValueError(f"gold: {key} {rel.key} has unknown property {rel.p!r}")
            for end in (rel.s, rel.o):
                if end not in seen:
                    raise ValueError(f"gold: {key} {rel.key} refers to unknown entity {end!r}")
            if rel.key in keys:
                raise ValueError(f"gold: duplicate entry in {key}: {rel.key}")
            keys.add(rel.key)
            out.append(rel)
        return tuple(out)

    return Gold(
        corpus=str(data.get("corpus", "")),
        entities=tuple(entities),
        relations=relations("relations"),
        acceptable=relations("acceptable"),
        notes=tuple(data.get("notes", ())),
    )


def load_gold(path: Path) -> Gold:
    """Read and validate a gold JSON file (format: data/gold/README.md)."""
    from ..common.paths import shown, why_missing

    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{shown(path)}: not UTF-8 (byte {e.start})") from None
    except OSError as e:
        why = why_missing(path) if not Path(path).exists() else (e.strerror or str(e))
        raise ValueError(f"{shown(path)}: {why}") from None
    try:
        data = json.loads(text)
    except ValueError as e:
        raise ValueError(f"{shown(path)}: not JSON ({e})") from None
    return _gold_from_dict(data)

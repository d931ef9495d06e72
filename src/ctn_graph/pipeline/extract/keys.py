"""The keys, countries and full names of a sentence's spans: KeyResolver (a trait of
DocumentExtractor's bases) gives each name found its key (`_assign`: a unit's by its
parent's, a body's by its state), its state and class where the sentence tells them, and
the gazetteer's entry where a name or alias is known (`_known_org`, `_known_unit`); out
of document.py, which re-exports them."""

from __future__ import annotations

from mypy_extensions import trait

from ...ir import EntityClass, Sentence
from ..lv.morph import stem
from ..text import Token
from .countries import _city_country, _country_after, _in_parenthesis, _is_qualifier, _outermost, _surface
from .gazetteer import Gazetteer, GazetteerEntry, is_acronym
from .names import NameFinder
from .short_forms import _name_stems
from .spans import SentenceExtractor, Span, norm

_ORGANISATION = stem("organizācija")
# heads of the bodies people found and name after a person: institutes, funds, centres
_FOUNDED_HEADS = frozenset(stem(w) for w in ("institūts", "fonds", "centrs"))


@trait  # (mypyc: a class of DocumentExtractor's several bases)
class KeyResolver:
    gaz: Gazetteer
    sx: SentenceExtractor
    nf: NameFinder
    default_country: str
    _names_index: dict[str, str]
    _units: dict[str, list[tuple[GazetteerEntry, list[tuple[str, ...]]]]]
    _doc_id: str

    def _assign(self, spans: list[Span], toks: list[Token], s: Sentence) -> None:
        """Keys, countries and full names of the spans of one sentence."""
        for sp in spans:
            if not sp.key:
                break
        else:
            return  # gazetteer names only: keyed already
        sent_countries = [
            sp.country
            for sp in spans
            if sp.kind == "country" and not _is_qualifier(sp, spans) and not _in_parenthesis(sp, toks)
        ]
        foreign = {c for c in sent_countries if c and c != self.default_country}
        for sp in spans:
            if sp.key:
                continue
            if sp.kind in ("org", "unit", "ngo"):
                full = sp.lemma
                if sp.qualifier is not None and not (sp.kind == "ngo" and '"' in sp.lemma):
                    full = f"{_surface(toks, sp.qualifier, s)} {sp.lemma}"
                elif sp.parent is not None:
                    full = f"{_surface(toks, _outermost(sp.parent), s, sp.parent.end)} {sp.lemma}"
                placed = _country_after(sp, spans, toks) if sp.country is None else None
                if sp.parent is not None and sp.parent.cls is EntityClass.INTERNATIONAL_ORGANISATION:
                    sp.cls = EntityClass.INTERNATIONAL_ORGANISATION  # a unit of an international body
                elif (
                    sp.cls is EntityClass.INTERNATIONAL_ORGANISATION
                    and placed is not None
                    and sp.parent is None
                    and any(stem(w) == _ORGANISATION for w in sp.lemma.split())
                    and not self.sx.international(sp.lemma)
                ):
                    sp.cls = EntityClass.NGO  # "Organizācija palīdzībai bēgļiem (..., Čehija)": a national one
                elif sp.cls is EntityClass.PUBLIC_BODY and sp.parent is None and self._named_after_person(toks, sp):
                    sp.cls = EntityClass.NGO  # "Jaan Tõnisson institūts", "Konrāda Adenauera fonds"
                european = placed is None and sp.parent is None and self.sx.international(sp.lemma)
                if sp.cls is not EntityClass.INTERNATIONAL_ORGANISATION and sp.country is None and not european:
                    # (a European NGO, "Eiropas Sieviešu lobijs", is of no one state)
                    city = _city_country(sp, toks) if sp.parent is None and sp.qualifier is None else None
                    if placed is not None:
                        sp.country = placed.country  # "... Igaunijā", "... (Lietuva)"
                    elif sp.parent is not None and sp.parent.country:
                        sp.country = sp.parent.country
                    elif city is not None:
                        sp.country = city  # "Stokholmas administratīvā pārvalde", "Vīnes ... padome"
                    elif len(foreign) == 1 and self.default_country not in sent_countries:
                        sp.country = next(iter(foreign))
                    elif sp.foreign:
                        pass  # a name in its own language is no home body for want of a state
                    else:
                        sp.country = self.default_country
                if sp.cls is EntityClass.INTERNATIONAL_ORGANISATION:
                    sp.country = None
                if (
                    sp.kind == "ngo"
                    and sp.country not in (None, self.default_country)
                    and sp.aliases
                    and sp.lemma.endswith(f'"{sp.aliases[0]}"')
                ):
                    # 'biedrība “X” no Maltas': a Latvian legal form describes a foreign body;
                    # its name is its own
                    sp.lemma = full = sp.aliases[0]
                if sp.parent is not None:
                    sp.key = f"unit:{sp.parent.key}:{norm(sp.lemma)}"
                elif sp.kind == "ngo":
                    # its quoted name; never an acronym the text declared for it ("(ES)"), which
                    # would key it apart from the same name written without one
                    bare = next((a for a in sp.aliases if not is_acronym(a)), sp.lemma)
                    if '"' in sp.lemma or sp.country is None:
                        sp.key = f"org:{norm(bare)}"
                    else:
                        # a civil-society body named by its head, not by a quoted name, is its
                        # state's: "Latvijas Pašvaldību savienība" and "Pašvaldību savienība
                        # Lietuvā" are two bodies
                        sp.key = f"org:{sp.country}:{norm(bare)}"
                else:
                    sp.key = f"org:{sp.country or 'INT'}:{norm(sp.lemma)}"
                if full != sp.lemma:
                    if sp.parent is not None:
                        # a unit's own name ("Nozares politikas departaments") is a short name
                        # of it; a foreign body's name without its state is not
                        sp.aliases.insert(0, sp.lemma)
                    sp.lemma = full
                for name in [sp.lemma, *sp.aliases]:
                    gid = self._names_index.get(norm(name))
                    if gid is not None and not gid.startswith("country:"):
                        e = self.gaz.entries[gid]
                        if e.cls.is_organisation and (e.country in (None, sp.country) or sp.kind == "ngo"):
                            sp.gaz, sp.key, sp.cls, sp.country = e, f"gaz:{gid}", e.cls, e.country
                            break
                else:
                    unit = self._known_unit(sp)
                    if unit is not None:
                        sp.gaz, sp.key, sp.cls, sp.country = unit, f"gaz:{unit.id}", unit.cls, unit.country
            elif sp.kind == "project":
                sp.key = f"project:{norm(sp.lemma)}"
            elif sp.kind == "person":
                sp.key = f"person:{norm(sp.lemma)}"
            elif sp.kind == "policy":
                sp.key = f"policy:{norm(sp.lemma)}"
            elif sp.kind == "event":
                # an event is named once per text: the same name in another text is another event
                sp.key = f"event:{self._doc_id}:{norm(sp.lemma)}"  # merge_events keys it again

    def _known_org(self, name: str) -> bool:
        gid = self._names_index.get(norm(name))
        return gid is not None and self.gaz.entries[gid].cls.is_organisation

    def _known_unit(self, sp: Span) -> GazetteerEntry | None:
        """The gazetteer's unit of a known parent whose name ends with the unit's own name:
        "CBSS Sekretariāts" is "Baltijas jūras valstu padomes Sekretariāts" (part of CBSS)."""
        parent = sp.parent.gaz if sp.parent is not None else None
        if parent is None or not sp.aliases:
            return None
        mine = _name_stems(sp.aliases[0])
        if not mine:
            return None
        units = self._units.get(parent.id)
        if units is None:
            units = self._units[parent.id] = [
                (e, [_name_stems(n) for n in (e.name_lv, *e.alt_lv)])
                for e in self.gaz.entries.values()
                if parent.id in e.part_of
            ]
        found = [e for e, names in units if any(len(n) > len(mine) and n[-len(mine) :] == mine for n in names)]
        return found[0] if len(found) == 1 else None

    def _named_after_person(self, toks: list[Token], sp: Span) -> bool:
        """Whether a body's name is a person's name and the head of a body people found
        (an institute, a fund, a centre): "Jaan Tõnisson institūts", "Konrāda Adenauera
        fonds". A state names its bodies after their field, not after people, mostly;
        hospitals, universities and academies named after a person are left as they are."""
        if sp.end - sp.start != 3 or stem(toks[sp.end - 1].text) not in _FOUNDED_HEADS:
            return False
        first, second = toks[sp.start].text, toks[sp.start + 1].text
        if not second[:1].isupper():
            return False
        return bool(self.nf.given_names(first)) or bool(self.nf.given_names(first, genitive=True))

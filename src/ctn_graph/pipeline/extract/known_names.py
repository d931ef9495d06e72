"""The names the gazetteer knows, as spans: KnownNames (a trait of SentenceExtractor's
bases) turns the gazetteer's matches in a sentence into spans, with the known body a
unit's name begins with as its parent and the state a foreign body's name begins with as
its qualifier ("Igaunijas Darba inspekcija"); out of spans.py, which re-exports them."""

from __future__ import annotations

from mypy_extensions import trait

from ...ir import EntityClass
from ..text import Token, tokenize
from .gazetteer import Gazetteer, GazetteerEntry, Match, is_acronym, token_key
from .span import Span
from .words import _country_genitive, _name_cases, _org_genitive


@trait  # (mypyc: a class of SentenceExtractor's several bases)
class KnownNames:
    gaz: Gazetteer
    default_country: str
    _countries: Gazetteer  # the countries alone: the state a foreign body's gazetteer name begins with
    _begins_with_state: dict[str, bool]  # by gazetteer name

    # ------------------------------------------------------------------ gazetteer
    def gazetteer_spans(
        self,
        toks: list[Token],
        keys: list[str | None] | None = None,
        starts: list[int] | None = None,
        matches: list[Match] | None = None,
    ) -> list[Span]:
        """Gazetteer names; `keys` and `starts` as for Gazetteer.find, `matches` its
        result where the caller has it."""
        spans: list[Span] = []
        for m in self.gaz.find(toks, keys, starts) if matches is None else matches:
            self._gazetteer_span(toks, m, spans)
        return spans

    def _gazetteer_span(self, toks: list[Token], m: Match, spans: list[Span]) -> Span:
        """The span of one gazetteer match (appended to `spans`, after the spans of the
        parents and the state its name begins with)."""
        entries = self.gaz.entries
        e = entries[m.entry_id]
        is_country = e.cls is EntityClass.COUNTRY
        last = toks[m.end - 1].text
        if is_country:
            genitive = _country_genitive(last) or (is_acronym(last) and m.end < len(toks))
        else:
            genitive = _org_genitive(last)
        org = Span(
            m.start,
            m.end,
            e.cls,
            # the Latvian name as this text writes it (one of the entry's), else its canonical one
            m.name if m.name in e.alt_lv else e.name_lv,
            "gaz:" + e.id,
            kind="country" if is_country else "org",
            country=e.country,
            gaz=e,
            genitive=genitive,
            cases=_name_cases(" ".join(t.text for t in toks[m.start : m.end]), m.name, e.plural),
        )
        state = None if is_country or e.country == self.default_country else self._state_before(toks, m, e)
        if state is not None:
            # "Igaunijas Darba inspekcija": the state is named too, as the qualifier of
            # the rest, as the pattern finder reads a body the gazetteer does not know
            org.start, org.qualifier = state.end, state
            spans.append(state)
        elif e.part_of and m.end - m.start > 2:
            parent = self._parent_before(toks, m, e)
            if parent is not None:
                # "Valsts policijas Galvenās kriminālpolicijas pārvaldes Organizētās ...
                # pārvalde": the body it belongs to is named too, in the genitive
                above = self._gazetteer_span(toks, parent, spans)
                org.start, org.parent = above.end, above
        spans.append(org)
        return org

    def _parent_before(self, toks: list[Token], m: Match, e: GazetteerEntry) -> Match | None:
        """The name of the body a known unit belongs to that the unit's name begins with,
        in the genitive, where the gazetteer knows it."""
        words = [t.text for t in toks[m.start : m.end - 1]]
        found = self.gaz.find_words(words)
        if not found or found[0].start != 0 or found[0].entry_id not in e.part_of:
            return None
        if not _org_genitive(words[found[0].end - 1]):
            return None
        p = found[0]
        return Match(m.start, m.start + p.end, p.entry_id, p.name)

    def _state_before(self, toks: list[Token], m: Match, e: GazetteerEntry) -> Span | None:
        """The state's genitive that a foreign body's gazetteer name begins with
        ("Lietuvas Republikas", "ASV"), as a country span, where it is the body's own."""
        begins = self._begins_with_state.get(m.name)
        if begins is None:
            first = next((t.text for t in tokenize(m.name) if t.text[:1].isalpha()), "")
            begins = self._begins_with_state[m.name] = self._countries.starts_name(token_key(first), True)
        if not begins:
            return None  # most names begin with no state's name: asked once per name
        words = [t.text for t in toks[m.start : m.end - 1]]
        found = self._countries.find_words(words)
        if not found or found[0].start != 0:
            return None
        c = found[0]
        state = self._countries.entries[c.entry_id]
        last = words[c.end - 1]
        if state.iso2 != e.country or not (_country_genitive(last) or is_acronym(last)):  # "ASV" aside
            return None
        written = " ".join(words[: c.end])
        return Span(
            m.start,
            m.start + c.end,
            EntityClass.COUNTRY,
            state.name_lv,
            "gaz:" + state.id,
            kind="country",
            country=state.iso2,
            gaz=state,
            genitive=True,
            cases=_name_cases(written, c.name, state.plural),
        )

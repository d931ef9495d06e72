"""Where a body is and what is named before it: CountryContext (a trait of
DocumentExtractor's bases) drops a known national body qualified by another state and
reads a one-word home body in a sentence naming one foreign state as that state's; the
helpers read the country placed after a name ("... Zviedrijā", "(..., Čehija)", "no
Maltas"), a city's state, a state in parentheses or inside a project's title, and a
name's text with the names written before it (`_surface`, `_outermost`); out of
document.py, which re-exports them."""

from __future__ import annotations

from mypy_extensions import trait

from ...ir import Sentence
from ..lv.morph import stem
from ..text import Token
from .gazetteer import place_countries
from .spans import Span


@trait  # (mypyc: a class of DocumentExtractor's several bases)
class CountryContext:
    default_country: str

    def _drop_foreign_qualified(self, spans: list[Span], toks: list[Token]) -> list[Span]:
        """A national body of one country named with another country's genitive
        ("Lietuvas ... Iekšlietu ministrija") is not that body: drop the match so the
        pattern finder reads the name with its qualifier."""
        by_end = {sp.end: sp for sp in spans if sp.kind == "country"}
        if not by_end:
            return spans
        out = []
        for sp in spans:
            q = by_end.get(sp.start)
            if sp.gaz is not None and sp.kind != "country" and q is not None and q.genitive:
                if sp.country and q.country != sp.country:
                    continue
                if sp.country == q.country:
                    sp.qualifier = q
            out.append(sp)
        return out

    def _foreign_context(self, spans: list[Span]) -> None:
        """A one-word name of a home institution ("Ģenerālprokuratūra") in a sentence that
        names only a foreign country is that country's institution: it is read as a name,
        not as the gazetteer's home body."""
        if not spans:
            return
        countries = {sp.country for sp in spans if sp.kind == "country"}
        if len(countries) != 1 or self.default_country in countries:
            return
        for sp in spans:
            if (
                sp.gaz is not None
                and sp.kind == "org"
                and sp.gaz.country == self.default_country
                and sp.end - sp.start == 1
                and sp.qualifier is None
                and len(sp.gaz.name_lv.split()) == 1
            ):
                sp.gaz, sp.key, sp.country = None, "", None


def _surface(toks: list[Token], sp: Span, s: Sentence, end: int | None = None) -> str:
    last = toks[(sp.end if end is None else end) - 1]
    return s.text[toks[sp.start].start - s.start : last.end - s.start]


def _outermost(sp: Span) -> Span:
    """The first of the names a unit is written after ("ANO" in "ANO Augstā komisāra
    bēgļu lietās ... birojs", "ASV" in "ASV Valsts departamenta ... birojs"): a parent
    named right before its unit, and the state named right before that."""
    while sp.parent is not None and sp.parent.end == sp.start:
        sp = sp.parent
    if sp.qualifier is not None and sp.qualifier.end == sp.start and sp.qualifier.kind == "country":
        return sp.qualifier  # "ASV Valsts departamenta ... birojs": the state's name is the first
    return sp


_LOCATIVE_ENDINGS = ("ā", "ē", "ī", "ās", "ēs", "os", "īs")


def _country_after(sp: Span, spans: list[Span], toks: list[Token]) -> Span | None:
    """The country a foreign body's name is placed in right after it: "Stokholmas
    administratīvā pārvalde Zviedrijā", "Cilvēktiesību līga (Human Rights League,
    Slovākija)", "biedrība “X” no Maltas"."""
    at = sp.end + 1 if sp.end < len(toks) and toks[sp.end].text in ('"', "”", "“", "»") else sp.end
    nxt = next((o for o in spans if o.start == at and o.kind == "country"), None)
    if nxt is not None and toks[nxt.end - 1].text.lower().endswith(_LOCATIVE_ENDINGS):
        return nxt
    head = next((o for o in spans if o.kind == "person" and sp.end < o.start <= sp.end + 2), None)
    if head is not None and head.end + 2 < len(toks) and toks[head.end].text == "(" and toks[head.end + 2].text == ")":
        # '“Stellit” direktore Maija Rusakova (Krievija)': the state of the body its head is from
        placed = next(
            (o for o in spans if o.start == head.end + 1 and o.end == head.end + 2 and o.kind == "country"), None
        )
        if placed is not None:
            return placed
    if at < len(toks) and toks[at].text == "no":
        # "biedrība “X” no Maltas": where the body comes from
        origin = next((o for o in spans if o.start == at + 1 and o.kind == "country"), None)
        if origin is not None and (origin.cases is None or not origin.cases.isdisjoint({"gen", "pl:dat"})):
            after = toks[origin.end].text if origin.end < len(toks) else "."
            if after in (",", ".", "un", ";", ")", ":", "–", "-"):
                return origin
    if sp.end < len(toks) and toks[sp.end].text == "(":
        k = sp.end + 1
        while k < len(toks) and toks[k].text != ")" and k - sp.end < 15:
            k += 1
        if k < len(toks):
            inside = [o for o in spans if o.kind == "country" and sp.end < o.start and o.end <= k]
            # the country alone, or last after the body's own name: "(..., Čehija)"
            if len(inside) == 1 and inside[0].end == k:
                return inside[0]
    return None


def _in_parenthesis(sp: Span, toks: list[Token]) -> bool:
    """A state in parentheses after a name ("(Organisation for Aid to Refugees, Čehija)"):
    that name's place, not the sentence's."""
    if sp.end >= len(toks) or toks[sp.end].text != ")":
        return False
    return any(t.text == "(" for t in toks[max(0, sp.start - 12) : sp.start])


def _city_country(sp: Span, toks: list[Token]) -> str | None:
    """The state of the city or region a body's name begins with, in the genitive."""
    first = toks[sp.start].text
    if not first[:1].isupper() or not first.lower().endswith(("as", "es", "a", "u", "s")):
        return None
    return place_countries().get(stem(first))


def _placed_in_title(sp: Span, toks: list[Token]) -> bool:
    """A state named in the locative inside a project's title ("... veicināšana Latvijā,
    Lietuvā un Igaunijā"): where the project is carried out, kept as a mention."""
    return sp.kind == "country" and toks[sp.end - 1].text.lower().endswith(_LOCATIVE_ENDINGS)


def _is_qualifier(sp: Span, spans: list[Span]) -> bool:
    return any(o.qualifier is sp for o in spans)

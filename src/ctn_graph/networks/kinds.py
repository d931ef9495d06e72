"""What a network view is made of: the classes its nodes are drawn as, the relations its
edges stand for, and the views themselves."""

from __future__ import annotations

import enum


class NodeClass(str, enum.Enum):
    """The class a node is drawn as: its most specific ctn class, in this order."""

    MINISTRY = "Ministry"
    PUBLIC_BODY = "PublicBody"
    NGO = "NGO"
    INTERNATIONAL = "InternationalOrganisation"
    COMPANY = "Company"
    ORGANISATION = "Organisation"
    PROJECT = "Project"
    COUNTRY = "Country"
    PERSON = "Person"
    EVENT = "Event"

    @property
    def caption(self) -> str:
        return _CLASS_TITLES[self]

    @property
    def is_organisation(self) -> bool:
        return self in _ORGANISATIONS


_CLASS_TITLES = {
    NodeClass.MINISTRY: "Ministry",
    NodeClass.PUBLIC_BODY: "Public body",
    NodeClass.NGO: "NGO",
    NodeClass.INTERNATIONAL: "International organisation",
    NodeClass.COMPANY: "Company",
    NodeClass.ORGANISATION: "Organisation (other)",
    NodeClass.PROJECT: "Project",
    NodeClass.COUNTRY: "Country",
    NodeClass.PERSON: "Person",
    NodeClass.EVENT: "Event",
}


_ORGANISATIONS = frozenset(list(NodeClass)[:6])


class Relation(str, enum.Enum):
    """The relations drawn as edges (the contract's, and the derived co-partnership)."""

    LEAD_PARTNER = "leadPartner"
    PARTNER = "partner"
    FUNDED_BY = "fundedBy"
    SUPPORTED_BY = "supportedBy"
    MEMBER_OF = "memberOf"
    PART_OF = "partOf"
    AFFILIATION = "affiliation"
    PARTICIPANT_COUNTRY = "participantCountry"
    COUNTRY = "country"
    ABOUT_PROJECT = "aboutProject"
    CO_PARTNER = "coPartner"

    @property
    def caption(self) -> str:
        return "co-partner" if self is Relation.CO_PARTNER else _words(self.value)


def _words(camel: str) -> str:
    return "".join(" " + c.lower() if c.isupper() else c for c in camel)


class View(str, enum.Enum):
    FULL = "full"
    COPARTNERSHIP = "copartnership"
    FUNDING = "funding"
    EGO = "ego"

    @property
    def caption(self) -> str:
        return {
            View.FULL: "Full network",
            View.COPARTNERSHIP: "Co-partnership network",
            View.FUNDING: "Funding network",
            View.EGO: "Ego network",
        }[self]


GRAPH_RELATIONS = tuple(r for r in Relation if r is not Relation.CO_PARTNER)


PARTNERSHIP = (Relation.LEAD_PARTNER, Relation.PARTNER)


FUNDING = (Relation.FUNDED_BY, Relation.SUPPORTED_BY)


# The roles in which an organisation takes part in a project, for co-partnership (the view
# and queries/co-partnership-network.rq alike).
COPARTNERSHIP_ROLES = PARTNERSHIP + FUNDING

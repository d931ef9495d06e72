"""How the network's classes, relations and communities look: the page (viz.py) draws
them and the GEXF file (netexport.py) carries the class colours, so that both agree."""

from __future__ import annotations

from typing import Any

# Colours from the Okabe-Ito and Tableau palettes: distinct for colour-blind readers too,
# with shapes as a second cue.
CLASS_STYLES: dict[str, dict[str, str]] = {
    "Ministry": {"title": "Ministry", "color": "#0b4f8a", "shape": "diamond"},
    "PublicBody": {"title": "Public body", "color": "#3a8fd6", "shape": "dot"},
    "NGO": {"title": "NGO", "color": "#2ca02c", "shape": "triangle"},
    "InternationalOrganisation": {"title": "International organisation", "color": "#e69f00", "shape": "hexagon"},
    "Company": {"title": "Company", "color": "#8c564b", "shape": "triangleDown"},
    "Organisation": {"title": "Organisation (other)", "color": "#7f7f7f", "shape": "dot"},
    "Project": {"title": "Project", "color": "#9467bd", "shape": "square"},
    "Country": {"title": "Country", "color": "#d62728", "shape": "star"},
    "Person": {"title": "Person", "color": "#e377c2", "shape": "dot"},
    "Event": {"title": "Event", "color": "#17becf", "shape": "diamond"},
}

RELATION_STYLES: dict[str, dict[str, Any]] = {
    "leadPartner": {"title": "lead partner", "color": "#0b4f8a", "width": 3.5, "dashes": False, "arrow": True},
    "partner": {"title": "partner", "color": "#3a8fd6", "width": 2, "dashes": False, "arrow": True},
    "fundedBy": {"title": "funded by", "color": "#1b9e3a", "width": 3.5, "dashes": False, "arrow": True},
    "supportedBy": {"title": "supported by", "color": "#1b9e3a", "width": 2, "dashes": [8, 5], "arrow": True},
    "memberOf": {"title": "member of", "color": "#a0a0a0", "width": 1.2, "dashes": [2, 4], "arrow": True},
    "partOf": {"title": "part of", "color": "#8c564b", "width": 2, "dashes": [8, 4], "arrow": True},
    "affiliation": {"title": "affiliation", "color": "#e377c2", "width": 1.5, "dashes": [3, 3], "arrow": True},
    "participantCountry": {
        "title": "participant country",
        "color": "#e8a0a0",
        "width": 1.2,
        "dashes": [6, 4],
        "arrow": True,
    },
    "country": {"title": "country", "color": "#e6b4b4", "width": 1, "dashes": [1, 3], "arrow": True},
    "aboutProject": {"title": "about project", "color": "#17becf", "width": 1.5, "dashes": [6, 3], "arrow": True},
    "coPartner": {
        "title": "co-partner (shared projects)",
        "color": "#6a51a3",
        "width": 2,
        "dashes": False,
        "arrow": False,
    },
}

COMMUNITY_PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d",
]  # fmt: skip
OTHER_COMMUNITY = "#b0b0b0"

"""The words around a place's name that say whether it is where something happened: a preposition of place
before an ambiguous name ("in Tank"), a place noun after it ("Tank district"), travel ("from Quetta"), a
project named after a town, a capital speaking for its government. Patterns only, compiled at import."""

from __future__ import annotations

import re

FACILITY_IN = re.compile(
    r"\b(school|mosque|market|bus|hotel|university|church|shrine|temple|camp|base|checkpoint|bazaar|station)"
    r"\s+in\s+$"
    # "in the border area between Tajikistan and ...", "on the Tajik side of": where, not who
    r"|\bborder (?:area|region|district|zone)s? (?:between|of)\s+$",
    re.I,
)
LOCATIVE = re.compile(r"\b(in|near|outside|at|of|across)\s+(?:the\s+)?(?:city of\s+)?$", re.I)
# what makes an ambiguous name ("Tank", "Hub", "Swat") a place: a preposition of place before it ...
AMBIGUOUS_BEFORE = re.compile(
    r"\b(?:in|near|outside|at|of|across|from|to|towards|around|into|inside|between)\s+"
    r"(?:the\s+)?(?:(?:town|city|district|area|village|valley|outskirts)\s+of\s+)?$"
    # "posted at Police Station City Tank": a police station named by its town, as FIRs name them
    r"|\bpolice\s+station\s+(?:(?:city|saddar|cantt|cantonment)\s+)?$",
    re.I,
)
# ... or a place noun after it ("Tank district", "the Swat valley", "Hub's industrial area")
AMBIGUOUS_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:district|valley|tehsil|agency|town|city|area|region|bazaar|cantonment|cantt|division"
    r"|sub-?division|tribal district|police station|industrial area|(?:railway\s+)?station)\b",
    re.I,
)
COMMA = re.compile(r",\s+")


def with_its_area(text: str, end: int, areas: tuple[str | None, ...]) -> bool:
    """Whether an ambiguous name is followed by its own district's or province's name ("Mach, Kachhi", "Sui,
    Dera Bugti", "Mir Ali, North Waziristan"): a place told with where it lies, not a word."""
    comma = COMMA.match(text, end)
    return comma is not None and any(
        area
        and text.startswith(area, comma.end())
        and not text[comma.end() + len(area) : comma.end() + len(area) + 1].isalnum()
        for area in areas
    )


# origin or destination of travel: "from Quetta", "to Gwadar", "all from Balochistan's Kech district" (not
# "the checkpost at the entrance to Drosh", "close to Turbat": where)
TRAVEL = re.compile(r"\b(?<!entrance )(?<!close )(?<!next )(?i:from|to|for|towards)\s+(?:[A-Z][\w-]*'s\s+)?$")
# a named site as destination or origin: "heading to the Dasu dam", not "next to the airport"
SITE_TRAVEL = re.compile(
    r"(?<!next )(?<!close )(?<!adjacent )\b(?:from|to|towards|bound for|headed for|heading for)\s+the\s+$",
    re.I,
)
# "a bus carrying workers to the Dasu project was hit": on its road, the site unless a town is named
CARRIED_TO = re.compile(r"\b(?:carrying|taking|transporting|ferrying)\b[^.;]{0,50}?\bto\s+the\s+$", re.I)
PROJECT_AFTER = re.compile(r"\s*(-bound|hydropower|hydro-?electric|dam\b|project|power plant)", re.I)
# "near the Jamshoro power plant", "the perimeter wall of the Kot Addu power plant", "Blast at Kot Addu power
# plant": a plant named after its town, told as where, is at that town
AT_PLANT = re.compile(
    r"\b(?:(?:near|at|outside|beside|inside)(?:\s+the)?|(?:walls?|gates?|perimeter|premises|entrance)\s+of\s+the)\s+$"
)
PLANT_AFTER = re.compile(r"\s+(?:power plant|power station|thermal plant)\b")
GOVERNMENT_ACTS = re.compile(
    r"\s+(?:has\s+|had\s+|have\s+)?(?:said|says|accused|blamed|demanded|condemned|urged|asked|protested"
    r"|denied|rejected|insisted|warned)\b"
)
IZAFAT = re.compile(r"\w-(?:e|i|ul|al|un|o)-$")

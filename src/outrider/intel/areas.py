"""A place told as an area of another: "the X area of Y tehsil", "X village, Y district". Pure.

The site is X when the gazetteer knows X (it has coordinates), else Y: a quarter or village the report alone
names is sited at the town or district it says it lies in, not at whichever of the two names comes first."""

from __future__ import annotations

import re

from outrider.intel.gazetteer import PlaceHit
from outrider.intel.not_sites import has_quarters

# between X and Y: "X area of Y", "X village, Y", "X, Y"
AREA_OF = re.compile(
    r"(?P<area>\s+(?:area|village|locality|mohalla|neighbourhood|union council))?\s*(?:,|\s+of|\s+in)\s+"
    r"(?:the\s+)?",
    re.I,
)
# after Y: "Matta tehsil", "Bannu district"
UNIT = re.compile(r"\s+(?:tehsil|district|sub-?division|taluka)\b", re.I)


def areas_sited(sentence: str, hits: list[PlaceHit]) -> list[PlaceHit]:
    """The hits with one of each "X area of Y" pair left: X when known, else Y (see the module)."""
    drop: set[int] = set()
    for i in range(len(hits) - 1):
        x, y = hits[i], hits[i + 1]
        m = AREA_OF.fullmatch(sentence, x.end, y.start)
        if m is None or x.place.name == y.place.name or x.place.name is None:
            continue
        if m["area"] is None and UNIT.match(sentence, y.end) is None:
            continue  # "A, B and C": a list of towns
        # "the X area of Chitral": a small town's name alone names its district, and X is the site
        drop.add(i + 1 if x.place.lat is not None or not has_quarters(sentence, y) else i)
    return [h for k, h in enumerate(hits) if k not in drop]

"""A place told as an area of another: "the X area of Y tehsil", "X village, Y district". Pure.

The site is X when the gazetteer knows X (it has coordinates), else Y: a quarter or village the report alone
names is sited at the town or district it says it lies in, not at whichever of the two names comes first. A
town's name on a spot named after it ("Miranshah Chowk", "the Kabul bus stand") is no site: such spots lie
in another town, the one the report names for the attack."""

from __future__ import annotations

import re

from outrider.intel.gazetteer import PlaceHit, within_seat
from outrider.intel.not_sites import has_quarters

# between X and Y: "X area of Y", "X village, Y", "X, Y"
AREA_OF = re.compile(
    r"(?P<area>\s+(?:area|village|locality|mohalla|neighbourhood|union council))?"
    r"\s*(?:,|\s+of|\s+in|(?<=\w)\s+near)\s+"
    r"(?:the\s+)?(?P<unit>(?-i:District|Tehsil)\s+)?",  # "X, District Y": an official's address
    re.I,
)
# after Y: "Matta tehsil", "Bannu district"
UNIT = re.compile(r"\s+(?:tehsil|district|sub-?division|taluka)\b", re.I)
# between a district's seat and a town of its district in a row's cells: "Sindh | Thatta | Jhimpir"
CELL = re.compile(r"\s*[|/>]\s*")


# "near Miranshah Chowk", "the Kabul bus stand in Jalalabad": a spot named after the town it leads to, in
# another town; a bus stand only when the sentence names that other town ("beside the Quetta bus stand" may
# be Quetta's); a road named after one ("Sakrand Road") leads to a town often near by: left alone
LANDMARK = re.compile(
    r"\s+(?:Chowk|Gate|Adda|Square|Interchange|Morr?|(?P<stand>(?i:bus (?:stand|stop|terminal))))\b"
)


def areas_sited(sentence: str, hits: list[PlaceHit]) -> list[PlaceHit]:
    """The hits with one of each "X area of Y" pair left: X when known, else Y (see the module); none that
    names a spot after a town ("near Miranshah Chowk" in Bannu)."""
    spots = {id(h): m for h in hits if not h.is_region and (m := LANDMARK.match(sentence, h.end)) is not None}
    towns = any(not h.is_region and id(h) not in spots for h in hits)
    hits = [h for h in hits if (m := spots.get(id(h))) is None or (m["stand"] is not None and not towns)]
    drop: set[int] = set()
    for i in range(len(hits) - 1):
        x, y = hits[i], hits[i + 1]
        if CELL.fullmatch(sentence, x.end, y.start) and within_seat(y.place, x.place):
            drop.add(i)  # "Thatta | Jhimpir": the district told by its seat, then the town within it
            continue
        m = AREA_OF.fullmatch(sentence, x.end, y.start)
        if m is None or x.place.name == y.place.name or x.place.name is None:
            continue
        if m["area"] is None and m["unit"] is None and UNIT.match(sentence, y.end) is None:
            continue  # "A, B and C": a list of towns
        # "the X area of Chitral": a small town's name alone names its district, and X is the site; "the X
        # area near Sui": X lies outside the town, which sites it only when the gazetteer cannot
        known = x.place.lat is not None
        near = m.group(0).rstrip().endswith("near")
        # "the X area of Sadiqabad": a small town no district is named after names only the town
        district = m["unit"] is not None or UNIT.match(sentence, y.end) is not None or _names_district(y)
        drop.add(i + 1 if known or not (near or has_quarters(sentence, y) or not district) else i)
    return [h for k, h in enumerate(hits) if k not in drop]


def _names_district(hit: PlaceHit) -> bool:
    """Whether a place names a district: a district's, or a town's its district is named after ("Chitral" of
    Lower Chitral, "Panjgur")."""
    name, district = hit.place.name, hit.place.district
    return hit.place.kind == "district" or bool(name and district and name in district)

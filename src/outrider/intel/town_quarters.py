"""Names of quarters and sites that the text places in a town: "Gulshan Park in Lahore", "the Kabul bus stand
in the first district of Jalalabad", "the Bolan area of Lashkar Gah". Pure."""

from __future__ import annotations

import re

from outrider.intel.gazetteer import PlaceHit

# "Gulshan-e-Iqbal Park in Lahore": the town written after a name says which town's it is; "the Bolan area of
# Lashkar Gah": a quarter named like a far site, placed in the town after it
IN_TOWN = re.compile(
    r"(?:\s+[A-Z][\w'-]*){0,3}(?:\s+(?:area|locality|neighbou?rhood|quarter))?\s*(?:,\s*|\s+in\s+|\s+of\s+)"
    r"(?:the city of\s+)?$"
)
# "Lashkar Gah: a bomb went off in the Bolan area": a site of another country told as a town's area
AREA_OF_TOWN = re.compile(r"\s+(?:area|locality|neighbou?rhood|quarter)\b")
MOVING = frozenset({"train"})
# "near the Kabul bus stand in the first district of Jalalabad": a stand or gate named after where it leads
NAMED_FOR_ANOTHER = re.compile(
    r"\s+(?:bus\s+(?:stand|station|terminal|stop)|adda|gate|road|highway|chowk|mor)\s+(?:in|of|at)\s+"
    r"(?:the\s+)?(?:[a-z0-9-]+\s+){0,4}?(?:of\s+)?(?:the city of\s+)?"
)
# "near Jacobabad shortly before the Jaffar Express was due": a moving service told just after the town
# where the blast was, in the same sentence, passed there; the train's own line is no second site
AFTER_TOWN = re.compile(r"[^.;!?]{0,60}")
ENDS_ROUTE = re.compile(r"-bound\b|\s+to\s")  # "the Quetta-bound Jaffar Express": where it was going
FROM = re.compile(r"\b(?:from|between)\s+(?:the\s+)?$")
NEAR_TOWN = re.compile(r"\s+(?:near|at|outside|close to|between)\s+(?:the\s+)?(?:town\s+of\s+)?")


def placed_in_town(text: str, hits: list[PlaceHit]) -> list[PlaceHit]:
    """Drop a neighbourhood or site of one town when the text places it in another town right after."""
    out = []
    for i, h in enumerate(hits):
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if (
            nxt is not None
            and not h.is_region
            and not nxt.is_region
            and nxt.place.name != h.place.name
            and nxt.start - h.end <= 40
            and (
                (h.place.kind != "town" and IN_TOWN.fullmatch(text, h.end, nxt.start))
                or NAMED_FOR_ANOTHER.fullmatch(text, h.end, nxt.start)
                # "struck the Jaffar Express near Dera Murad Jamali": a moving service is where it was hit
                or (h.place.kind in MOVING and NEAR_TOWN.fullmatch(text, h.end, nxt.start))
            )
        ):
            continue
        if h.place.kind in MOVING and _passed_town(text, h, hits[:i]):
            continue
        if _area_abroad(text, h, hits):
            continue
        out.append(h)
    return out


def _area_abroad(text: str, h: PlaceHit, hits: list[PlaceHit]) -> bool:
    """A named site (a pass, a dam) told as "the X area" in a sentence whose towns all lie in another country:
    a quarter of that town sharing the far site's name."""
    if h.is_region or h.place.kind in (None, "town") or not AREA_OF_TOWN.match(text, h.end):
        return False
    towns = [o.place.country for o in hits if o is not h and not o.is_region and o.place.kind == "town"]
    return bool(towns) and h.place.country not in towns


def _passed_town(text: str, h: PlaceHit, before: list[PlaceHit]) -> bool:
    """Whether a moving service is told just after the town of the same sentence it passed (not its route's
    ends: "the Quetta-bound Jaffar Express", "from Quetta")."""
    return any(
        not o.is_region
        and o.place.kind == "town"
        and AFTER_TOWN.fullmatch(text, o.end, h.start)
        and not ENDS_ROUTE.match(text, o.end)
        and not FROM.search(text[max(0, o.start - 20) : o.start])
        for o in before
    )

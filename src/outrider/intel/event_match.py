"""Whether two mentions of a report can tell one event: places and dates that agree, and the finer place of
two. Pure."""

from __future__ import annotations

import re

from outrider.intel.dates import EventDate
from outrider.intel.gazetteer import Place, two_quarters
from outrider.intel.lexicon import attack_nouns

ATTACK_NOUNS = attack_nouns()


def same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.name and b.name:
        if two_quarters(a, b):
            return False  # "in Korangi" and "at West Wharf in Keamari": two attacks, not one
        # "the X area of Kohat district" and "the Kohat attack": a small place and the district it lies in
        if a.name == b.name or a.name == b.district or b.name == a.district:
            return True
        # "in X district" and "near the district centre Y": a district named by its seat, and a
        # town of the same country and province
        same_province = a.admin1 == b.admin1 or None in (a.admin1, b.admin1)
        return "district" in (a.kind, b.kind) and a.country == b.country and same_province
    if a.district and b.district and a.district != b.district:
        return False  # a district told without its town, and a town of another district
    return a.admin1 == b.admin1 or (a.country == b.country and (a.admin1 is None or b.admin1 is None))


def same_time(a: EventDate, b: EventDate) -> bool:
    if a.value is None or b.value is None:
        return True
    if "year" in (a.precision, b.precision):
        return a.value.year == b.value.year
    if "month" in (a.precision, b.precision):
        return (a.value.year, a.value.month) == (b.value.year, b.value.month)
    if "event" in (a.basis, b.basis):
        return a.value == b.value  # "two days after gunmen attacked the post": counted from another event
    if (
        a.precision == b.precision == "day"
        and not (a.explicit or b.explicit)
        and a.basis == b.basis == "publication"
    ):
        # "on Monday ... On Wednesday": two weekdays two days apart are two days, not one told twice
        return abs((a.value - b.value).days) <= 1
    return abs((a.value - b.value).days) <= 2


def more_specific(a: Place | None, b: Place | None) -> Place | None:
    if a is None:
        return b
    if b is None:
        return a
    if (not a.name and b.name) or (b.district and b.district == a.name):
        return b
    if a.kind == "district" and b.name and b.kind != "district":
        return b  # the town within a district named by its seat
    return a


def by_its_place(text: str, where: Place | None, place: Place) -> bool:
    """Whether a mention at a place that agrees names the attack told before by its place ("11:31 CTD: Korangi
    blast had killed two policemen", "the Mandan attack"): that attack, whatever day the line was told on."""
    names = [n for n in (place.name, place.district) if n and n in text]
    if not names or not same_place(place, where):
        return False
    told = "|".join(re.escape(n) for n in names)
    return re.search(rf"\b(?:{told})(?:'s)?\s+(?:{ATTACK_NOUNS})\b", text) is not None

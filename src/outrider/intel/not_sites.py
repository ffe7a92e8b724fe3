"""Places a sentence names that are not where its attack happened: a victim's home, an actor's base, the
hospital town where a victim died or was taken far away, a mission speaking, a name that opens an
organisation's or a line's name. Pure."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from outrider.intel.extents import towns
from outrider.intel.gazetteer import Place, PlaceHit, fold_name

# a victim's home: "Sepoy A (resident of District Attock)", "residents of the Zam area", "hailed from Kohat";
# an actor's base: "a commander based in Afghanistan's Paktika province"
HOME = re.compile(
    r"\b(?:residents?|natives?|hail(?:ed|s|ing)|belong(?:ed|s|ing)|domiciled|based|headquartered)\s+"
    r"(?:of|from|to|in)\s+(?:[A-Z][\w-]*['’]s\s+)?"
    r"(?:the\s+)?(?:(?:district|tehsil|village|town)\s+(?:of\s+)?)?$"
    # "their native village of X", "his home town, X": a victim's home told by its noun
    r"|\b(?:native|home|ancestral)\s*(?:town|village|district|area|city)\s*(?:of\s+|,\s*|in\s+)?$"
    # "the bodies were sent to X": where the dead were taken for burial
    r"|\bbod(?:y|ies)\b[^.;]{0,40}\b(?:sent|dispatched|shifted|taken|transported|moved|flown)\s+"
    r"(?:back\s+)?to\s+(?:their\s+|his\s+|her\s+)?(?:[a-z]+\s+)?(?:(?:town|village|city|district)\s+(?:of\s+)?)?$"
    # "in an email sent to journalists in X": where a statement was delivered
    r"|\b(?:sent|e-?mailed|issued|released|circulated|shared)\b[^.;]{0,30}\b(?:journalists|reporters|media)"
    r"\s+in\s+(?:the\s+)?(?:[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?(?:,\s*|\s+and\s+))*$"
    # "the rest escaped towards the X hills", "fled into X": where the attackers went after, not the site
    r"|\b(?:fled|escaped|fleeing|escaping|sped\s+off|sped\s+away|retreated|managed\s+to\s+flee)\s+"
    r"(?:back\s+)?(?:towards?|into|in\s+the\s+direction\s+of)\s+(?:the\s+)?$"
    # "the Senior Superintendent of Police Thatta", "Deputy Commissioner Musakhel": an official's district
    r"|\b(?:(?:deputy|assistant|additional)\s+commissioner|(?:senior\s+)?superintendent\s+of\s+police"
    r"|district\s+police\s+officer|(?-i:SSP|DPO|DC))\s+$",
    re.I,
)
DIED = re.compile(r"\b(?:succumbed|died|breathed (?:his|her) last|passed away)\b", re.I)
# "at the Chandka Medical College Hospital in Larkana", "evacuated to CMH Larkana": the town after a hospital
HOSPITAL_BEFORE = re.compile(
    r"\b(?:hospital|clinic|medical (?:centre|center|complex))\s+(?:in|at)\s+$"
    r"|\b(?:CMH|DHQ|THQ)(?:\s+hospital)?\s+$",
    re.I,
)
HOSPITAL_AFTER = re.compile(r"\s+(?:civil\s+)?hospital\b", re.I)  # "died in a Peshawar hospital"


def home_or_base(before: str) -> bool:
    """Whether the words before a place name make it a victim's home, an actor's base, where the attackers
    fled or the district an official serves."""
    return HOME.search(before[-90:]) is not None


def died_there(sentence: str, hit: PlaceHit) -> bool:
    """Whether the town hit is the hospital's where a victim of the sentence died (a hospital the wounded were
    only taken to may be the attack's own town: not this)."""
    if DIED.search(sentence) is None:
        return False
    before = sentence[max(0, hit.start - 40) : hit.start]
    return HOSPITAL_BEFORE.search(before) is not None or bool(HOSPITAL_AFTER.match(sentence, hit.end))


# "China's embassy in Islamabad said in a statement", "the Foreign Office in Islamabad condemned the attack":
# where a mission or a foreign ministry speaks from, not a site
MISSION_IN = re.compile(
    r"\b(?:embassy|consulate|high commission|mission|foreign office|foreign ministry)\s+in\s+$", re.I
)
SPEAKS = re.compile(
    r"(?:\s+(?:on|late on|early on)\s+\w+)?,?\s+(?:has\s+|had\s+)?"
    r"(?:said|says|condemned|urged|demanded|called|confirmed|issued|expressed|asked|told|denied|warned)\b",
    re.I,
)


def spoken_from(sentence: str, hit: PlaceHit) -> bool:
    """Whether the town hit is where a foreign mission spoke from ("the embassy in X said ...")."""
    before = sentence[max(0, hit.start - 30) : hit.start]
    return MISSION_IN.search(before) is not None and SPEAKS.match(sentence, hit.end) is not None


# "taken by road to a hospital in X, about 90 km away", "airlifted to a hospital in X": treated elsewhere
FAR_AFTER = re.compile(r",?\s+(?:about\s+|some\s+|nearly\s+|around\s+)?\d+\s*(?:km|kilomet|mile)", re.I)
FAR_BEFORE = re.compile(
    r"\b(?:airlifted|flown|by road|by helicopter|later|then|referred|shifted onward)\b[^.;]{0,50}$", re.I
)


def treated_far(sentence: str, hit: PlaceHit) -> bool:
    """Whether a hospital town the wounded were taken to is told as away from the attack's place (a distance
    after it, an airlift or a later transfer before it): there a hospital town is never the site."""
    before = sentence[max(0, hit.start - 60) : hit.start]
    return FAR_AFTER.match(sentence, hit.end) is not None or FAR_BEFORE.search(before) is not None


# "Sui Southern Gas Company", "the Gwadar Port Authority", "Karachi Electric Supply Corporation": a place name
# opening an organisation's name
ORGANISATION = re.compile(
    r"(?:\s+[A-Z][\w&.-]*){0,4}\s+(?:Company|Corporation|Limited|Ltd|Authority|Board|Exchange|Institute"
    r"|Group|Party|Council|Club|Association|Federation|Industries|Mills|Enterprises|Trust|Foundation|Bank"
    r"|Airlines|Scouts|Rifles|Militia)\b"
)


def in_organisation_name(sentence: str, hit: PlaceHit) -> bool:
    """Whether a town or region name opens an organisation's name (its building is still in that town: a
    caller drops such a name only where the sentence names another place)."""
    return hit.place.site is None and ORGANISATION.match(sentence, hit.end) is not None


# "after the Lahore bombing", "weeks before the Quetta attack", "like the Peshawar school massacre", "whether
# the Kot Addu blast is linked to the sabotage at X": a town naming an attack the sentence's own one is told
# against
EARLIER_BEFORE = re.compile(r"\b(?:after|since|following|before|like|unlike|than|whether)\s+the\s+$", re.I)
ATTACK_AFTER = re.compile(
    r"(?:\s+[a-z][\w-]*){0,2}?\s+(?:bombings?|attacks?|blasts?|massacres?|siege|explosions?|ambush)\b"
)


def _earlier_attack(sentence: str, hit: PlaceHit) -> bool:
    before = sentence[max(0, hit.start - 30) : hit.start]
    return EARLIER_BEFORE.search(before) is not None and ATTACK_AFTER.match(sentence, hit.end) is not None


# "stormed the Kabul Bank branch": one of the organisation's
# branches, which may stand in any town
BRANCH = re.compile(r"\s+branch(?:es)?\b", re.I)


def _branch(sentence: str, named: list[PlaceHit]) -> bool:
    """Whether every town opening an organisation's name opens one told as a branch of it."""
    ends = [m.end() for h in named if (m := ORGANISATION.match(sentence, h.end)) is not None]
    return bool(ends) and all(BRANCH.match(sentence, end) is not None for end in ends)


def outside_names(sentence: str, hits: list[PlaceHit], lines: list[tuple[int, int]]) -> list[PlaceHit]:
    """The hits less the towns that open an organisation's name ("workers of Sui Southern Gas Company were
    attacked in Dera Bugti"), where the sentence names another place (else the organisation's building is
    in that town: "gunmen stormed the Karachi Stock Exchange"); a town that ends a line's name ("a pylon of
    the Quetta-Nushki transmission line", ``lines``: their spans) stands for its province only."""
    # "the convoy that left Parachinar for Thall was fired upon near Sadda": a journey's ends, another site
    ends = [h for h in hits if not h.is_region and JOURNEY.search(sentence[max(0, h.start - 40) : h.start])]
    if ends and any(not h.is_region and h not in ends for h in hits):
        hits = [h for h in hits if h not in ends]
    # "three days after the Lahore bombing, a bomber struck the shrine in Sehwan": an earlier attack's town
    earlier = [h for h in hits if not h.is_region and _earlier_attack(sentence, h)]
    if earlier and any(not h.is_region and h not in earlier for h in hits):
        hits = [h for h in hits if h not in earlier]
    named = [h for h in hits if in_organisation_name(sentence, h)]
    hits = [h for h in hits if h not in named] if len(named) < len(hits) or _branch(sentence, named) else hits
    # "near Miranshah Chowk", "at Peshawar Mor", "on Murree Road": a landmark named after the town its road
    # leads to lies in another town (the dateline's, or the one the report tells)
    hits = [site for h in hits if (site := _landmark_town(sentence, h, hits)) is not None]
    # "a Karachi businessman was shot dead in Hub", "Peshawar-based journalists ... in Charsadda": a town
    # used as an adjective tells who, the one after a preposition of place tells where
    if any(not h.is_region and LOCATED.search(sentence[max(0, h.start - 30) : h.start]) for h in hits):
        hits = [h for h in hits if not _attributive(sentence, h)]
    hits = [h for h in hits if not _quarter_of_next(sentence, h, hits)]
    return [_province_of(h) if any(s <= h.start < e for s, e in lines) else h for h in hits]


# "left X for Y", "travelling from X to Y", "bound for Y", "on its way to Y": where a journey began or led
JOURNEY = re.compile(
    r"\b(?:left|leaving|departed(?:\s+from)?|set\s+off\s+from|travell?ing\s+from|coming\s+from|bound\s+for"
    r"|on\s+(?:its|their|his|her)\s+way\s+(?:to|from)|heading\s+(?:to|towards)|en\s+route\s+to)\s+$"
    r"|\bleft\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?\s+for\s+$",
    re.I,
)
LANDMARK = re.compile(r"\s+(?:Chowk|Mor|Adda|Bus Stand|Bus Stop|Bus Terminal|Road)\b")
NEXT_TOWN = re.compile(r",\s*")


def _landmark_town(sentence: str, hit: PlaceHit, hits: list[PlaceHit]) -> PlaceHit | None:
    """A hit, none where it names a landmark (`LANDMARK`), or the town written right after the landmark ("on
    Sakrand Road, Nawabshah"), where the landmark is: that town is the site."""
    if hit.is_region or (mark := LANDMARK.match(sentence, hit.end)) is None:
        return hit
    after = NEXT_TOWN.match(sentence, mark.end())
    town = next((h for h in hits if after is not None and h.start == after.end() and not h.is_region), None)
    return None if town is None else replace(town, start=hit.start, end=hit.end)


# "in the X area of Y tehsil", "the X locality, Y town": a quarter and the town it lies in
QUARTER_OF = re.compile(
    r"\s+(?:area|locality|mohalla|neighbourhood|neighborhood)(?:,\s*|\s+(?:of|in)\s+)(?:the\s+)?", re.I
)


def _quarter_of_next(sentence: str, hit: PlaceHit, hits: list[PlaceHit]) -> bool:
    """Whether a hit is a quarter no gazetteer places (no coordinates) told as lying in the town named right
    after it: that town is the site the report can place (a quarter the gazetteer holds is kept)."""
    if hit.is_region or hit.place.lat is not None or (m := QUARTER_OF.match(sentence, hit.end)) is None:
        return False
    return any(
        h.start == m.end() and not h.is_region and h.place.name and has_quarters(sentence, h) for h in hits
    )


TOWN_NOUN = re.compile(r"\s+(?:tehsil|town|city|sub-?division)\b", re.I)
CITY_RADIUS_M = 3_500.0  # a town this wide (some 400,000 people) has quarters: "the X area of Quetta"


def has_quarters(sentence: str, hit: PlaceHit) -> bool:
    """Whether "the X area of <town>" tells a part of the town: a city's, or one told as a town ("of Bara
    tehsil"); a small town's name alone ("the X area of Chitral") names its district, reaching far."""
    if TOWN_NOUN.match(sentence, hit.end) is not None:
        return True
    town = towns().get((hit.place.country, fold_name(hit.place.name or "")))
    return town is not None and town.radius_m >= CITY_RADIUS_M


def _province_of(hit: PlaceHit) -> PlaceHit:
    place = hit.place
    return replace(
        hit, place=Place(None, place.admin1, place.country, None, None, kind="admin1"), is_region=True
    )


LOCATED = re.compile(r"\b(?:in|near|at|outside|inside|on the outskirts of)\s+(?:the\s+)?$", re.I)
# "a Karachi businessman", "two Peshawar-based journalists"
ATTRIBUTIVE_BEFORE = re.compile(
    r"(?:^|\b(?:a|an|the|two|three|four|five|several|some|his|her|their))\s+$", re.I
)


@lru_cache(maxsize=1)
def _attributive_after() -> re.Pattern[str]:
    """ "-based", "-born", or a noun of people (data/told_places.json) after a town's name."""
    raw = resources.files("outrider.intel").joinpath("data", "told_places.json").read_text(encoding="utf-8")
    people = [str(w) for w in json.loads(raw)["people"]]
    return re.compile(rf"-(?:based|born)\b|\s+(?:{'|'.join(sorted(people, key=len, reverse=True))})\b")


def _attributive(sentence: str, hit: PlaceHit) -> bool:
    """Whether a town's name stands as an adjective before a noun ("a Karachi businessman", "X-based")."""
    if hit.is_region or _attributive_after().match(sentence, hit.end) is None:
        return False
    return ATTRIBUTIVE_BEFORE.search(sentence[max(0, hit.start - 12) : hit.start]) is not None


# the hospital a victim was taken to names a town that is no site: "X's Civil Hospital"
TOWNS_HOSPITAL = re.compile(
    r"['’]s\s+(?:[A-Z][\w.'-]*\s+){0,4}(?:Hospital|Medical (?:Complex|Centre|Center))\b"
)
# "a hospital in X", "referred to Sheikh Zayed Hospital, X": the hospital's town
HOSPITAL_IN = re.compile(
    r"\b(?:hospital|clinic|medical (?:centre|center|complex)|cmh)(?:\s+(?:in|at)|,)\s+$", re.I
)
# "told a news conference in Quetta", "an anti-terrorism court in Gilgit": where words were said, not a site
SPOKEN_AT = re.compile(
    r"(?i)\b(?:(?:press|news) conference|briefing|told (?:reporters|journalists|the media)"
    r"|court(?: \(\w+\))?)\s+in\s+(?:the\s+)?$"
)

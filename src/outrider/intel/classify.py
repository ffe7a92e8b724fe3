"""Attack type, weapon, suicide flag, target type and perpetrator from an event's text."""

from __future__ import annotations

import re
from typing import Any

from outrider.intel.actors import find_actors


def classify(text: str) -> dict[str, Any]:
    """Attack type, weapon, suicide flag and target type from the event's text."""
    t = text.lower()
    weapon = "unknown"
    if re.search(
        r"explosives?-(laden|packed|filled) (\w+ )?(car|vehicle|truck|van)|car bomb|vehicle[- ]borne"
        r"|ramm(ed|ing)|truck bomb",
        t,
    ):
        weapon = "vbied"
    elif re.search(
        r"blew (him|her)self up|suicide (vest|jacket)|explosive vest|detonat\w+ (his|her) (explosives|vest)",
        t,
    ):
        weapon = "suicide_vest"
    elif re.search(
        r"roadside bomb|planted|improvised explosive|\bied\b|motorcycle bomb|remote[- ]controlled", t
    ):
        weapon = "ied"
    elif re.search(r"\bknife|knives|stabb", t):
        weapon = "knife"
    elif re.search(r"rifles?|gun(s|fire|men|fight)|opened fire|shot|grenades?", t):
        weapon = "firearms"
    explosive = re.search(r"bomb|blast|explosion|explosive|suicide", t)
    if re.search(r"hijack|seiz\w+ (a|the) (train|bus|plane|aircraft)", t):
        attack = "hijacking"
    elif re.search(r"hostages?", t) and not explosive:
        attack = "hostage_taking"
    elif weapon in ("vbied", "suicide_vest", "ied") or (explosive and weapon not in ("firearms", "knife")):
        attack = "bombing"
    elif weapon in ("firearms", "knife") or re.search(r"storm|gunmen|raid", t):
        attack = "armed_assault"
    else:
        attack = "unknown"
    if attack == "bombing" and weapon == "firearms":
        weapon = "unknown"
    suicide: bool | None = None
    if re.search(r"suicide|blew (him|her)self up", t) or (
        weapon == "vbied" and re.search(r"\bramm(ed|ing)\b", t)
    ):
        suicide = True  # a driver ramming an explosives-laden vehicle dies with it
    target = "unknown"
    for pattern, kind in (
        (
            r"(chinese|foreign|japanese|korean) (engineers|workers|teachers|technicians)|engineers",
            "foreign_workers",
        ),
        (r"consulate|embassy|mission", "diplomatic"),
        (r"hotel", "business"),
        (r"school|university|college|institute", "education"),
        (r"train|express|airport|railway|passenger", "transport"),
        (r"police", "police"),
        (r"mosque|church|shrine|temple", "religious"),
        (r"soldiers|military|army|troops|convoy", "military"),
    ):
        if re.search(pattern, t):
            target = kind
            break
    return {"attack_type": attack, "weapon": weapon, "suicide": suicide, "target_type": target}


def perpetrator(text: str) -> tuple[str | None, bool | None, tuple[int, int] | None]:
    """The group named as responsible, whether it claimed, and the span of the name."""
    groups = [a for a in find_actors(text) if a.kind == "group"]
    if not groups:
        return None, None, None
    g = groups[0]
    low = text.lower()
    claimed: bool | None = None
    if re.search(
        r"no (group|one|organi[sz]ation) (has )?(immediately )?claimed|did not claim|denied"
        r"|no (immediate )?claim"
        r"|neither\b.{0,60}\bclaimed|(had|has|have) not claimed",
        low,
    ):
        claimed = False
    elif re.search(
        r"claim\w*|said it (had )?(carried out|sent|was behind)|took responsibility|responsibility", low
    ):
        claimed = True
    return g.name, claimed, (g.start, g.end)

"""Target type from an event's text: the people attacked before the building or vehicle that held them."""

from __future__ import annotations

import re

from outrider.intel.lexicon import targets

# the people attacked before the building or vehicle that held them, in this order (data/lexicon.json)
TARGETS = targets()


_NUMBER = r"(?:a|an|the|and|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
_COUNT = rf"{_NUMBER} (?:[\w'-]+ ){{0,2}}?"
_ROLE = (
    r"(?>police(?:m[ae]n| officers?| constables?| officials?| (?:assistant )?sub-inspectors?)?|constables?"
    r"|(?:assistant )?sub-inspectors?|levies (?:men|personnel|sepoys?|officials?)|soldiers?|troops|sepoys?"
    r"|servicem[ae]n)\b"
)
# "a police sub-inspector was shot dead", "killing two soldiers": the people attacked, named by their role
# (not "killing a police sub-inspector and two private security guards": one of the victims; nor "killing two
# police guards": the role qualifies another noun)
VICTIM_ROLE = re.compile(
    rf"\b{_COUNT}{_ROLE} (?:was|were|had been|have been) (?:shot dead|shot and killed|killed|martyred"
    rf"|gunned down|injured|wounded|shot)\b"
    rf"|\b(?:killing|wounding|injuring) {_COUNT}{_ROLE}(?=$|[.;:]|,\s(?!{_NUMBER}\b)|\s(?:and (?:wound|injur)"
    r"|(?:in|at|on|near|who|from|of|while|when|as|after|before|during)\b))"
)
# the classes a site or a bystander gives ("in the market", "outside the institute"): a victim's role wins
_SITE_CLASSES = frozenset({"civilians", "education", "unknown"})


# "no Chinese engineers were killed", "no foreign nationals among the casualties": denied, no target
NO_FOREIGNERS = re.compile(
    r"\bno (?:[\w-]+ )?(?:chinese|foreign|japanese|korean|russian|turkish|expatriate|expat) (?:\w+ )?"
    r"(?:nationals?|citizens?|engineers?|workers?|staff|personnel|employees?|technicians?|experts?)\b"
)


def target_type(t: str, attack: str) -> str:
    """The primary target's class from an event's lower-cased text, whose reporters and groups are blanked."""
    t = NO_FOREIGNERS.sub(" ", t)
    if attack == "assassination" and re.search(r"minister|senator|lawmaker|mpa|mna|legislator|judge", t):
        return "government"
    if attack == "hijacking" and re.search(r"train|express|bus|plane|aircraft|ferry|passenger", t):
        return "transport"  # the vehicle seized is the target, whoever was aboard
    kind = next((kind for pattern, kind in TARGETS if re.search(pattern, t)), "unknown")
    role = VICTIM_ROLE.search(t) if kind in _SITE_CLASSES else None
    if role is None:
        return kind
    return "police" if re.search(r"police|constable|inspector|levies", role.group()) else "military"

"""Attack type, weapon, suicide flag, target type and perpetrator from an event's text."""

from __future__ import annotations

import re
from typing import Any

from outrider.intel.actors import find_actors
from outrider.intel.blame import affiliate_of, named_not_responsible, sentence_around
from outrider.intel.target_types import target_type

ATTRIBUTION = re.compile(
    r"\b(?:(?:the )?(?:police|levies) (?:and [\w ]{0,20})?(?:officials? )?(?:said|say|says|told|added)"
    r"|according to (?:[\w ]{0,25} and )?(?:the )?(?:police|levies)|(?:senior )?superintendent of police"
    # who speaks for the police, and a city's police district, are no target: "the provincial police
    # spokesman told", "the police command confirmed", "in the fourth police district of Jalalabad"
    r"|police (?:spokes(?:man|woman|person)|command(?! (?:headquarters|compound|post|station)))"
    r"|police district"
    r"|(?:police|levies) (?:officials?|officers?|spokesman|chief|risaldar) [\w ]{0,30}?said"
    r"|inspector general of police|police said"
    # who told, confirmed or answered the attack is not its target: "confirmed by police", "police say",
    # "according to district police officer X", "handed him over to the police patrol", "police reached"
    r"|(?:according to|confirmed by|update from) (?:the )?"
    r"(?:(?:district|city|senior|local|provincial|capital) )?(?:police|levies)(?: officers?| officials?)?"
    r"|(?:police|levies) (?:say|says|confirm\w*|are aware|reached|arrived|rushed)"
    r"|over to (?:the )?police(?: patrol)?(?: (?:of|from) (?:the )?(?:[\w']+ )?police station)?"
    # "an attack the police blamed on the group": who blames is not who was attacked
    r"|(?:the )?police (?:have |had )?(?:blamed|suspect\w*)"
    r"|police (?:have |had |on \w+ )?(?:arrested|detained|registered|launched|cordoned|recovered|identified"
    r"|traced))\b"
)
# a group's claim: "claimed", "took responsibility", "said in a statement that its fighters fired the rockets"
CLAIM = re.compile(
    r"claim\w*|took responsibility|responsibility"
    # "said in a statement sent to journalists that its fighters carried out the attack"
    # "said at the time that it had targeted ...": a claim told after the attack it dates
    r"|said(?: at the time)?(?: in a statement(?: [\w ]{1,40}?)?)?(?: that)? it (?:had |has )?"
    r"(?:carried out|sent|was behind|attacked|targeted)"
    r"|said(?: in a statement(?: [\w ]{1,40}?)?)?(?: that)? its "
    r"(?:fighters|men|members|militants|cadres|suicide)",
    re.I,
)
# "no group has claimed", "no organisation has so far claimed responsibility", "no group has said it did"
NO_CLAIM = re.compile(
    r"no (?:individual|group|one|organi[sz]ation)(?: or (?:group|organi[sz]ation))? (?:has |had )?"
    r"(?:so far |yet |immediately )?"
    r"(?:claimed|said (?:it|that it) (?:carried out|was behind))"
    r"|did not claim|no (?:immediate )?claim|neither\b.{0,60}\bclaimed|(?:had|has|have) not claimed",
    re.I,
)
NOT_SUICIDE = re.compile(
    r"\b(?:fled|escaped|escaping|managed to flee|before fleeing|sped away|remote[- ]control\w*"
    r"|remotely detonated|planted|roadside bomb|hidden in|overpowered|caught|captured alive|(?:rc)?ieds?"
    r"|improvised explosive devices?|land ?mines?"
    r"|timed device|time bomb"
    r"|arrested at the scene|detained at the scene"
    # a device stuck to a vehicle or dropped from the air, a shell fired from afar: no bomber died with it
    r"|sticky bomb|magnetic (?:bomb|mine)|(?:attached|fixed|fitted|stuck) (?:to|under)|quadcopters?"
    r"|mortars?(?: shells?)?|rockets? (?:were |was )?fired"
    # a grenade thrown at a house: the thrower walks away
    r"|grenades? (?:was |were )?(?:thrown|hurled|lobbed)"
    r"|(?:threw|hurled|lobbed) (?:a |two )?(?:hand )?grenades?"
    # kidnappers take their hostages away alive
    r"|abduct\w*|kidnap\w*)\b"
)
# "wore suicide jackets but none of them managed to set off his explosives": the guns did the killing
UNUSED_VEST = re.compile(
    r"\b(?:none|neither|failed|did not|didn't|could not|couldn't|without)\b[^.]{0,40}"
    r"\b(?:set off|detonat\w*|blow (?:him|her|them)sel(?:f|ves) up)"
)
# "Attacks with quadcopters continued in the south": a sentence about attacks in general tells no weapon of
# this one
HABITS = re.compile(
    r"(?:^|(?<=[.;] ))(?:(?:Such|Similar|These|Repeated|Previous|Earlier|Other) )?"
    r"(?:[Aa]ttacks|[Bb]ombings|[Kk]illings|[Bb]lasts|[Rr]aids)\b"
    r"(?! (?:on|in|at) \w+ (?:on|last|this)\b)[^.;]*[.;]?"
)
# "recovered ... a suicide vest that had not been detonated": a device found, not the weapon of the attack
UNUSED_DEVICE = re.compile(
    r"\b(?:an? |the )?(?:suicide |explosive )(?:vests?|jackets?|belts?),?(?: that| which)? "
    r"(?:(?:had not been|has not been|was not|were not|was never|were never)"
    r" (?:detonated|set off|exploded|used)"
    # "wore an explosive vest that never went off", "a suicide belt that failed to explode"
    r"|(?:never|did not|didn't|failed to) (?:went off|go off|explode|exploded|detonate|detonated))"
    r"|\b(?:undetonated|unexploded|unused) (?:suicide |explosive )?(?:vests?|jackets?|belts?)\b"
)
NAMED_TARGET = re.compile(
    r"\b(?:former |provincial |federal )*(?:minister|senator|lawmaker|mpa|mna|legislator|tribal elder|cleric"
    r"|judge|party leader|commander)\b[^.]{0,60}?\b(?:was |were )?(?:shot dead|gunned down|assassinated)"
    # "a gunman opened fire on former prime minister X's container": the leader was the target
    r"|\b(?:opened fire on|fired (?:at|on)|shot at)\s+(?:the\s+)?(?:former\s+|provincial\s+|federal\s+)*"
    r"(?:prime minister|chief minister|minister|senator|lawmaker|governor|judge)\b"
)
# "the killing of Satnam Singh, a hakeem who was shot dead": a person named as the one killed
KILLING_OF_NAME = re.compile(
    r"\b(?:killing|assassination|murder) of (?-i:[A-Z][a-z]+(?: [A-Z][a-z]+)+)\b", re.I
)

INFRASTRUCTURE = re.compile(
    r"\b(?:pipelines?|(?:transmission|electricity|power|telecom|mobile(?: phone)?) (?:lines?|towers?|pylons?)"
    # "explosive devices planted on two power transformers at the grid station": a power installation
    r"|pylons?|gas (?:lines?|mains?)|transformers?|grid stations?|substations?)\b"
)
HURT = re.compile(r"\b(?:killed|killing|dead|died|wounded|injured)\b")
# "no loss of life was reported", "no one was injured", "the guard was released unhurt": nobody hurt
NOBODY_HURT = re.compile(
    r"\bno (?:loss of life|casualties|one|body|injuries)\b[^.]{0,30}|\bnobody\b[^.]{0,30}|\bunhurt\b"
)


def classify(text: str) -> dict[str, Any]:
    """Attack type, weapon, suicide flag and target type from the event's text."""
    # who reports a fact is not its target: "police said", "according to police officials"
    # nor is a group's name ("... Liberation Army" is no military target)
    for hit in reversed(find_actors(text)):
        text = text[: hit.start] + " " * (hit.end - hit.start) + text[hit.end :]
    t = UNUSED_DEVICE.sub(" ", ATTRIBUTION.sub(" ", HABITS.sub(" ", text).lower()))
    # "there was no suicide bomber": a denied bomber carried no vest (the suicide flag reads the denial)
    attack, weapon = _attack(t, _weapon(NOT_A_SUICIDE.sub(" ", t)), KILLING_OF_NAME.search(text) is not None)
    suicide = _suicide(t, attack, weapon)
    weapon = _untold_weapon(t, attack) if weapon == "unknown" else weapon
    return {
        "attack_type": attack,
        "weapon": weapon,
        "suicide": suicide,
        "target_type": target_type(t, attack),
    }


# "a suicide attack", "the bomber": a bomb carried by a person, whose weapon the words do not settle
BOMBER = re.compile(r"suicide|\bbombers?\b|fidayee|self-immolat")
# "a drone attack on the police station", "a drone ... bombed a camp": explosives dropped, another weapon
DRONE = re.compile(r"\bdrones? (?:attacks?|blasts?|strikes?)\b|\bdrones?\b[^.]{0,40}?\b(?:dropped|bombed)\b")
# "set fire to a school", "sprinkled petrol ... and set them on fire": fire, another weapon
FIRE = re.compile(
    r"\bset (?:fire to|ablaze|on fire|alight)|\bset (?:\w+ ){1,2}(?:on fire|ablaze|alight)|\bsetting fire"
    r"|\btorch(?:ed|ing)\b|\barson\b|\bburnt\b|\bburned down\b|\bthe burning of\b"
)


def _untold_weapon(t: str, attack: str) -> str:
    """The weapon the attack itself tells when no word names one: a bomb that went off with no bomber and no
    vehicle told was set off where it lay; armed men who stormed, ambushed or seized people carried guns;
    a drone's explosives and fire are another weapon."""
    if DRONE.search(t):
        return "other"
    explosive = attack in ("bombing", "facility_attack") and re.search(r"bomb|blast|explo", t)
    if explosive and not BOMBER.search(t):
        return "ied"
    burnt = FIRE.search(t) is not None
    if burnt and not HURT.search(NOBODY_HURT.sub(" ", t)):
        return "other"  # set on fire, nobody hurt: the fire was the weapon, whoever carried guns
    armed_men = attack in ("hostage_taking", "hijacking") and re.search(r"\barmed\b", t)
    if attack == "armed_assault" or armed_men:
        return "firearms"
    return "other" if burnt else "unknown"


# armed men who fight with guns beside their rockets ("armed with rifles and rocket launchers", "rockets and
# sniper fire", "a fire fight of about one hour", "fired rockets and used heavy weapons against the post"): an
# armed assault, whichever weapon the report puts first
SMALL_ARMS = re.compile(
    r"gunmen|opened fire|storm(?:ed|ing)?\b|gunfight|gun ?battle|fire ?fight|exchange of fire|returned fire"
    r"|\bsniper|\brifles\b|automatic weapons|small arms|heavily armed|\bheavy (?:[\w-]+ )?weapons\b"
)


# "blew up a pipeline", "destroyed with explosives", "the explosive was placed under the carpets": a charge
# set by hand (a bomber who blew himself up is told before)
BLOWN_UP = re.compile(
    r"\bbl[eo]wn? up\b(?! (?:him|her|them)sel)|with explosives\b"
    r"|explosives? (?:was|were|had been) (?:placed|packed)"
)


# a device placed, fixed or buried, set off by remote control, a mine on the road, a cracker: a planted bomb
PLACED_DEVICE = re.compile(
    r"\bexplosive devices?\b|\b(?:improvised|small|homemade|home-made|crude) (?:explosive )?devices?\b"
    r"|\bdevices? (?:which |that )?(?:had been |has been |was |were )?"
    r"(?:placed|attached|fixed|hidden|planted|left|stuck|buried|concealed|put)\b"
    r"|\b(?:magnetic|sticky)\b[^.]{0,12}?\b(?:bombs?|devices?|mines?|explosives?|ieds?)\b"
    r"|\broadside mines?\b|(?<!coal )\bmine blast|\bremote control\b|\bcrackers?\b"
    r"|\bbombs?,? (?:which |that )?(?:had been |was |were )?(?:fitted|fixed|stuck|planted|put|left)\b"
)


def _weapon(t: str) -> str:
    """The weapon the text names ("grenade" for a grenade hurled without gunfire, "dropped" for explosives
    dropped from a drone; both settled by `_attack`)."""
    if re.search(
        r"explosives?-(laden|packed|filled) (\w+ )?(car|vehicle|truck|van)|car bomb|vehicle[- ]borne"
        r"|ramm(ed|ing)|truck bomb|suicide[- ](?:car|vehicle|truck)|\bs?vbieds?\b"
        # "a suicide bomber drove a car into a bus"
        r"|bombers? (?:drove|driving) (?:a|an|his|her|the|their) (?:[\w-]+ )?(?:car|vehicle|truck|van|pickup)"
        # "a suicide bomber drove into a convoy": he drove the bomb
        r"|bombers? (?:drove|driving|crashed|smashed) (?:his |her |their |its )?(?:[\w-]+ )?into\b"
        # "a small truck packed with explosives"
        r"|\b(car|vehicle|truck|lorry|van|pickup|jeep)s? (packed|laden|loaded|filled|rigged) with explosives",
        t,
    ):
        return "vbied"
    if re.search(
        r"blew (him|her)self up|detonated (him|her)self|suicide (vest|jacket|belt)"
        r"|suicide bomber\b(?! (drove|rammed))"
        r"|explosives? (vest|jacket|belt)|detonat\w+ (his|her) (explosives|vest)|\bpbieds?\b",
        t,
    ) and not UNUSED_VEST.search(t):
        return "suicide_vest"
    if re.search(r"\bquadcopters?\b|\bdrones? (?:carrying|dropping|laden)", t):
        return "dropped"  # explosives dropped from a drone: an explosive of another kind
    if re.search(
        r"roadside bomb|planted|improvised explosive|\b(?:rc)?ieds?\b|motorcycle bomb|remote[- ]controlled"
        # "a sticky bomb attached to a bus", "a bomb fitted to a parked motorcycle", "a landmine"
        r"|sticky bomb|magnetic bomb|limpet|land ?mines?\b"
        r"|bomb (?:that had been |had been |was )?(?:fitted|attached|strapped|hidden|concealed|placed)"
        r" (?:to|on|in|under)",
        t,
    ) or PLACED_DEVICE.search(t):
        return "ied"
    if re.search(r"\bknife|knives|stabb", t):
        return "knife"
    # gunmen storming a compound who also fire rockets fight with guns: the rockets come second
    gunmen = re.search(r"gunmen|opened fire|storm(?:ed|ing)?\b|gunfight", t)
    if re.search(r"\brockets?\b|\bmortars?\b|rocket-propelled|\brpgs?\b", t) and not gunmen:
        return "rocket"
    gunfire = (
        r"rifles?|gun(s|fire|men|man|fight|ned|ning)|gun ?battle|opened fire|shot|firing|fired (?:on|at|upon)"
        # "bullet wounds", "attacked the post with heavy weapons", "sniper fire": told by the guns
        r"|\b(?:pistols?|revolvers?|kalashnikovs?|ak-47s?|bullets?)\b"
        r"|\b(?:heavy|automatic)\b[\w ]{0,14} weapons|small arms|\bsniper|came under fire|\bshooting\b"
    )
    if not re.search(r"bomb|blast|explosion|explosive|suicide", t):
        # "after an exchange of fire that lasted an hour": guns on both sides, unless a bomb did the harm
        gunfire += r"|exchange of fire|(?:returned|retaliatory) fire"
    if re.search(gunfire + r"|grenades?", t):
        if not re.search(gunfire + r"|gunpoint", t):
            return "grenade"  # a grenade hurled without gunfire: an explosive attack with a hand-held weapon
        return "firearms"
    # a charge set by hand when nothing else is told ("blew up a section of track and opened fire": the guns)
    if BLOWN_UP.search(t) and not re.search(r"\bno (?:explosion|blast)\b", t):
        return "ied"  # "there was no explosion": a caption's "van blown up" denied
    return "unknown"


# "hijacked a truck and drove it into pedestrians": a vehicle seized as a weapon against people, no hijacking
RAMMED_INTO_PEOPLE = re.compile(
    r"\b(?:dr[io]ve|driving|ploughed|plowed|ran|rammed|smashed)\w* (?:the |a |it |its )?(?:[\w-]+ )?into "
    r"(?:the |a )?(?:[\w-]+ )?(?:pedestrians|crowds?|people|shoppers|passers-by|onlookers|worshippers)\b"
)
HOSTAGES_TAKEN = re.compile(
    r"\b(?:took|taken|held|holding|seized|kept)\b[^.]{0,40}\bhostages?\b|\bhostages? (?:were|was|had been) "
    r"(?:taken|held|freed|released|rescued)|\bhostage[- ]taking\b|\bhostage crisis\b"
)


def _attack(t: str, weapon: str, named_victim: bool = False) -> tuple[str, str]:
    """The attack type, and the weapon as the attack type settles it."""
    explosive = re.search(r"bomb|blast|explosion|explosive|suicide", t)
    arson = re.search(
        r"set (?:fire to|ablaze|on fire)|torch(?:ed|ing)|\barson|set alight|burnt down|burning of", t
    )
    if re.search(
        r"hijack|seiz\w+ (?:a|the) (?:[\w-]+ ){0,2}(?:train|bus|plane|aircraft|express)", t
    ) and not (RAMMED_INTO_PEOPLE.search(t)):
        attack = "hijacking"
    elif re.search(r"\b(?:abduct\w*|kidnap\w*)", t) and not explosive:
        attack = "hostage_taking"
        weapon = "firearms" if weapon == "unknown" and re.search(r"gun|armed men", t) else weapon
    elif arson and not explosive and not HURT.search(NOBODY_HURT.sub(" ", t)):
        attack, weapon = "facility_attack", "other"  # machinery, towers, schools burnt: no people targeted
    elif HOSTAGES_TAKEN.search(t) and not explosive:  # taken, not "planned to take hostages"
        attack = "hostage_taking"
    elif (
        (explosive or re.search(r"\bbl[eo]wn? up\b|\bsabotag", t))
        and INFRASTRUCTURE.search(t)
        and not HURT.search(NOBODY_HURT.sub(" ", t))
    ):
        # "blew up a gas pipeline", "two transmission towers": sabotage, no one hurt
        attack = "facility_attack"
    elif weapon in ("vbied", "suicide_vest", "ied") or (explosive and weapon not in ("firearms", "knife")):
        attack = "bombing"
    elif weapon == "rocket":
        # rockets and mortar shells are explosives fired from afar; armed men who also fire them assault
        attack = (
            "armed_assault"
            if re.search(r"armed men|gunm[ae]n|storm|raid", t) or SMALL_ARMS.search(t)
            else "bombing"
        )
    elif weapon in ("firearms", "knife") or re.search(
        # "the assault on a police post", "the attack was repulsed": armed men fought off, not a bombing
        # "armed terrorists attacked the border post": armed men's attack, whatever their arms
        r"storm|gunm[ae]n|raid|ambush|\bassaults? on\b|\bassaulted\b|\brepuls(?:ed|ing)\b"
        r"|\barmed (?:men|persons|terrorists|militants|attackers|assailants|intruders)\b",
        t,
    ):
        attack = "armed_assault"
        named = NAMED_TARGET.search(t) or re.search(r"\btargeted killing\b", t) or named_victim
        if weapon == "firearms" and named:
            attack = "assassination"  # a named official or leader shot: the person was the target
    else:
        attack = "unknown"
    if attack == "bombing" and weapon == "firearms":
        weapon = "unknown"
    if weapon in ("grenade", "dropped"):
        # a hand grenade hurled is an explosive attack with a weapon carried by hand (GOLD-SCHEMA: firearms,
        # "grenades thrown by gunmen"); explosives dropped from a drone are an explosive of another kind
        attack = "bombing" if attack in ("armed_assault", "unknown") else attack
        weapon = "firearms" if weapon == "grenade" else "other"
    return attack, weapon


# "it was not a suicide attack", "no suicide bomber was involved": the words deny it
NOT_A_SUICIDE = re.compile(r"\b(?:not|no|never|ruled out)\s+(?:a\s+|an\s+|the\s+)?suicide\b")


def _suicide(t: str, attack: str, weapon: str) -> bool | None:
    denied = NOT_A_SUICIDE.search(t) is not None
    t = NOT_A_SUICIDE.sub(" ", t) if denied else t
    if denied and not re.search(r"suicide|blew (him|her)self up", t):
        return False
    if (
        re.search(r"suicide|blew (him|her)self up", t)
        or weapon == "suicide_vest"  # "detonated her explosives", "detonated himself"
        or (weapon == "vbied" and re.search(r"\bramm(ed|ing)\b", t))
    ):
        return True  # a driver ramming an explosives-laden vehicle dies with it
    if attack in ("bombing", "armed_assault", "assassination", "facility_attack", "hostage_taking") and (
        NOT_SUICIDE.search(t)
    ):
        return False  # attackers who fled or were overpowered, a planted or remotely detonated device
    if weapon == "knife":
        return False  # a knife attack is not a suicide attack
    if weapon == "rocket" or (
        weapon == "firearms" and attack in ("armed_assault", "assassination") and not STORMING.search(t)
    ):
        return False  # shells fired from afar, gunmen who fire on their targets: no one dies with the attack
    if weapon == "vbied" or STORMING.search(t) or re.search(r"\bfight(?:ing)? (?:their|its|his) way\b", t):
        return None  # a car bomb's driver, a squad storming a building: either may die with the attack
    return False  # no attacker told to die with the attack: a bomb set off, a shooting, an arson


# gunmen who storm a building and fight it out may be a suicide squad: the text must say which
STORMING = re.compile(
    r"\b(?:storm\w*|raid\w*|siege|traded fire|gun ?battle|exchange of fire|fought|fighting)\b"
)


def perpetrator(text: str) -> tuple[str | None, bool | None, tuple[int, int] | None]:
    """The group named as responsible, whether it claimed, and the span of the name."""
    groups = [a for a in find_actors(text) if a.kind == "group"]
    # a group that denies the attack, or is named for its past deeds, is not the one responsible
    groups = [
        a
        for a in groups
        if not named_not_responsible(sentence_around(text, a.start, a.end), CLAIM)
        and not affiliate_of(text, a.end)
    ]
    if not groups:
        return None, None, None
    g = groups[0]
    low = text.lower()
    claimed: bool | None = None
    if NO_CLAIM.search(low) or "denied" in low:
        claimed = False
    elif CLAIM.search(low):
        claimed = True
    return g.name, claimed, (g.start, g.end)

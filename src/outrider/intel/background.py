"""Background attacks a report tells without a place of their own, and state acts that answer an attack.

"In July last year, a suicide bomber rammed a car into the cantonment's perimeter wall", "In February 2022,
militants stormed a security forces camp there": an earlier attack, dated and told with the verb of the attack
itself, that names no place is where the report's own attack is (the report is about that place), unless the
sentence names a place no gazetteer holds ("in the same X district": the report's place would be a guess).
"Troops killed all the militants, who tried to force their way into the cantonment": the state's act answers
an attack the same words tell, so the sentence tells an attack, not only a state action. Pure."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

from outrider.intel.gazetteer import find_places
from outrider.intel.lexicon import attack_nouns, attack_words, crimes_and_accidents, state_actions
from outrider.intel.mentions import STRONG_ATTACK

if TYPE_CHECKING:
    from outrider.intel.dates import EventDate
    from outrider.intel.mentions import Mention

MONTH_NAMES = r"January|February|March|April|May|June|July|August|September|October|November|December"
MONTHS_AND_DAYS = rf"(?:{MONTH_NAMES}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
# "in the same Shamsiddin District", "near Sambaza": a name after a locative that no gazetteer placed; not a
# landmark of a town ("near X Chowk", "at X police station"): the town is the report's, where the square is
LANDMARK = (
    r"(?i:chowk|square|bazaar|market|road|street|colony|junction|roundabout|gate|mosque|park|plaza|bridge"
    r"|police station|hospital|stadium)"
)
UNKNOWN_PLACE = re.compile(
    rf"\b(?:in|at|near|outside)\s+(?:the\s+(?:same\s+)?)?(?!{MONTHS_AND_DAYS})(?P<name>[A-Z][\w'-]++)"
    rf"(?!(?:\s+[A-Z][\w'-]*+)?\s+{LANDMARK}\b)"
)
REPELLED = re.compile(
    r"\b(?:who|after|when)\b[^.;]{0,40}?"
    r"\b(?:tried to|attempted to|attacked|stormed|ambushed|opened fire|rammed)\b"
    # "the attack was repulsed, and five militants were killed": the attack happened
    r"|\b(?:repulsed|repelled|beat back|beaten back)\b",
    re.I,
)


STATE_ACTION = state_actions()  # data/lexicon.json
BACKGROUND_DAYS = 7  # a day told this close to the report's attack is of its story ("shot early on Sunday")


def told_here(m: Mention, main: EventDate) -> bool:
    """Whether a mention without a place is a dated earlier attack of the report's own place (see the module),
    beside the report's main event of date ``main``: told by its month or year ("In July last year"), or by a
    calendar day more than a week from the main event's."""
    when = m.when.value
    if m.place is not None or when is None:
        return False
    near = main.value is not None and abs((main.value - when).days) <= BACKGROUND_DAYS
    if m.when.precision == "day" and (near or not m.when.explicit):
        return False
    said = _time_clause(m)
    told = STRONG_ATTACK.search(said) or ATTACK_TOLD.search(said)
    return told is not None and not unknown_place(m.text)


# "said the elders were assured of peace last year and that the torching was an attack on ...": two sayings
THAT_CLAUSE = re.compile(r",?\s+(?:and|but)\s+(?:that|said)\b|;\s+")


def _time_clause(m: Mention) -> str:
    """The mention's words in the clause of its time, where a sentence says two things ("X and that Y"): the
    time of one is not the time of an attack the other tells."""
    at, said = m.when.start, m.sentence or m.text
    if at < 0 or m.text not in said:
        return m.text
    cuts = [0, *(c.start() for c in THAT_CLAUSE.finditer(said)), len(said)]
    return next((said[a:b] for a, b in pairwise(cuts) if a <= at < b), m.text)


def unknown_place(text: str) -> bool:
    """Whether words name a place after a locative that no gazetteer holds ("near Sambaza"); a town the
    gazetteer holds but did not place ("outside the X city police department") is no unknown place."""
    return any(not find_places(f"in {m['name']}") for m in UNKNOWN_PLACE.finditer(text))


# "the grenade attack on a container yard", "a bomb targeted an FC vehicle", "fired on a police post", "set
# fire to a dozen schools", "plunged into a ravine after an explosion", "a bomb tore through the market": an
# attack told by its noun and what it hit or did, or by a verb that names the target
ATTACK_TOLD = re.compile(
    r"\b(?:attacks?|bombings?|blasts?|ambush(?:es)?|raids?|assaults?|explosions?)\s+(?:on|against)\b"
    r"|\b(?:in|after|by)\s+an?\s+(?:[\w-]+\s+){0,3}?(?:explosion|blast|bombing|ambush|attack)\b"
    r"|\b(?:targeted|fired (?:on|at)|firing (?:on|at)|hurled|lobbed|abducted|kidnapped|set fire to"
    r"|set ablaze|setting fire to|torched|torching|blew up|was blown up|planted|shot dead|gunned down"
    r"|(?:tore|ripped) through|went off|exploded)\b",
    re.I,
)


# an attack's own verb in a clause of its own, told of others than the state's forces ("Militants ambushed a
# convoy in A; in the exchange of fire that followed, three soldiers were martyred")
ATTACKERS_ACT = re.compile(
    r"\b(?:attacked|stormed|ambushed|opened fire|blew (?:him|her)self up|set off|detonated|rammed"
    r"|hijacked"
    # "a gang killed three policemen at a post": the state's forces are the victims, not the actors
    r"|killed (?:\w+ ){0,2}(?:policemen|police officers|constables|soldiers|troops|personnel|levies))\b",
    re.I,
)
STATE_SUBJECT = re.compile(
    r"^\W*(?:(?:the|pakistani|afghan|chinese)\s+)?(?:security forces|troops|soldiers|police|policemen|army"
    r"|military|ctd|fc|frontier corps|levies|rangers|personnel|jets|aircraft|drones?|forces)\b",
    re.I,
)
CLAUSE_CUT = re.compile(r"[,;:]\s+")


def repelled(text: str) -> bool:
    """Whether a state action's words also tell the attack it answered ("killed the militants, who tried to
    storm the camp", "launched an operation after gunmen attacked a post", "militants ambushed a convoy; in
    the exchange of fire that followed ..."): a clause of its own with the attackers' act, not the state's."""
    if REPELLED.search(text) is not None:
        return True
    return any(
        ATTACKERS_ACT.search(clause) and not STATE_ACTION.search(clause) and not STATE_SUBJECT.match(clause)
        for clause in CLAUSE_CUT.split(text)
    )


GENERIC = re.compile(
    # "attacks on police" in general, not "attacks on two police stations"
    r"\b(a string of|a series of|attacks on(?!\s+(?:two|three|four|five|both|\d+)\b)|wave of|spate of"
    r"|such attacks|any attack|incidents of)\b"
    # "a surge in militant attacks since ...", "a decline in large attacks": a trend, not an attack
    r"|\b(?:surge|rise|decline|increase|spike|upsurge|resurgence|drop|fall)\s+(?:in|of)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attacks|violence|bombings|incidents)\b"
    # "has been largely calm since 2021, but attacks have occasionally taken place": habitual, no attack
    r"|\b(?:attacks|bombings|blasts|killings)\b[^.;]{0,40}\bhave\s+(?:\w+ly\s+)?"
    r"(?:taken place|occurred|happened)\b"
    # "militant attacks in the province have killed 61 people since January 1": a tally, no attack
    r"|\b(?:attacks|bombings|blasts)\b[^.;]{0,40}\bhave\s+(?:killed|claimed)\b[^.;]{0,50}\bsince\b"
    r"|\bha(?:ve|s) been \w+ing\b[^.;]{0,60}\bsince\b"  # "have been picking off clerics since 2022": habitual
    # "telecom towers have repeatedly been attacked in X", "Levies posts have been attacked several times this
    # year", "militants have repeatedly targeted the railway": a habit of attacks, no one attack (not "had
    # been attacked before, including the bombing at X" nor "...: in August a grenade ...", which tell one)
    r"|\bha(?:ve|s|d)\s+(?:been\s+)?(?:repeatedly|frequently|often|occasionally)\s+(?:been\s+)?(?:attacked|targeted"
    r"|hit|struck|bombed)\b(?![^.;:]*\b(?:including|when)\b)"
    r"|\bha(?:ve|s|d)\s+been\s+(?:attacked|targeted|hit|struck|bombed)\b(?![^.;:]*\b(?:including|when)\b)"
    r"[^.;:]{0,60}?\b(?:repeatedly|several\s+times|many\s+times|frequently|before|in\s+the\s+past"
    r"|in\s+recent\s+years|over\s+the\s+past)\b"
    # "miscreants are using motorcycles to carry out attacks in the district": attacks as a purpose, a habit
    r"|\bto\s+(?:carry\s+out|conduct|launch|stage|mount|execute)\s+(?:more\s+|further\s+|such\s+)?"
    r"(?:attacks|bombings|ambushes|raids)\b"
    # "this is the third drone attack on a police post in the region since July": a count of attacks so far
    r"|\bthe\s+(?:second|third|fourth|fifth|sixth|seventh|\d+(?:st|nd|rd|th))\s+(?:[\w-]+\s+){0,3}?"
    # (not "... since June, when a roadside bomb struck a van": that tells the earlier attack)
    r"(?:attacks?|bombings?|blasts?|incidents?|explosions?)\b[^.;]{0,80}?\b(?:since|this year|so far)\b"
    r"(?![^.;,]{0,30},\s+when\b)"
    # "our database recorded 212 attacks between July and October": a count of attacks is a statistic
    r"|\b\d{2,}(?:,\d{3})*\s+(?:[\w-]+\s+){0,2}?(?:attacks|incidents|bombings|blasts)\b"
    # "at least 150 people were abducted last year, according to police figures": a statistic's source (not
    # "the toll rose to one dead, according to revised figures": one attack's toll as it stood)
    r"|\baccording\s+to\s+(?!(?:the\s+)?(?:revised|updated|latest|final)\b)(?:[\w-]+\s+){0,2}?"
    r"(?:figures|statistics|data)\b"
    # "my running count for rail-track attacks is 14", "a list of militant attacks in the district in 2030",
    # "5 killed in militant attacks in the district in 2030, compared with 2 in 2029": tallies and lists
    # "the number of terrorism incidents in X from 1 January to 31 July", "This timeline lists the major
    # attacks of the year", "Total | 5 incidents | 2 | 6": a count asked for, a list, a table's total row
    r"|\b(?:running|overall|cumulative)\s+(?:count|tally|total)\b|\blists?\s+(?:of|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attacks|bombings|incidents)\b|\bcompared\s+(?:with|to)\s+\d[\d,]*\s+in\s+(?:19|20)\d\d\b"
    r"|\bnumber\s+of\s+(?:[\w-]+\s+){0,2}?(?:attacks|bombings|incidents)\b|^\W*(?:grand\s+)?total\b"
    r"|\b(?:killed|wounded|injured|martyred)\s+in\s+(?:[\w-]+\s+)?attacks\s+in\b[^.;]{0,60}?"
    r"\bin\s+(?:19|20)\d\d\b"
    # "- Militant attacks recorded: 58 (December 2025: 51)": a dataset's key figure, a label and its count
    r"|^\W*(?:[\w'’()-]+\s){0,6}[\w'’()-]+:\s+\d[\d,.]*\b(?!\s*(?:killed|dead|injured|wounded|people|persons))"
    # "STATUS OF ENTRY 11-02 AS AT 17 MARCH: 3 dead", "Casualties (as of 23 Mar): 5 killed": the figures of an
    # attack told already, as they stood on a day
    r"|\bas\s+(?:at|of|on)\s+[^.:;]{1,24}?\)?:\s+\d",
    re.I,
)
NOT_ATTACKS = crimes_and_accidents()  # data/lexicon.json
# "initially described as a gas leak", "an IED and not a gas cylinder": an attack first taken for an accident
RETOLD = re.compile(
    r"\b(?:initially|at first|at the time|first blamed|not an?|rather than|instead of)\b", re.I
)


def no_attack(text: str, sentence: str = "") -> bool:
    """Whether a mention tells a killing or blast that is no attack: a feud, a dispute over land, a gas
    cylinder (an accident the report retells as an attack, "initially described as a gas leak", is one). A
    mention that tells only a toll ("01 dead, 06 injured") is of its ``sentence``'s story ("RTC near X:
    trailer and van collision; 01 dead")."""
    if sentence and NOT_ATTACKS.search(sentence) and not ATTACK.search(TOLL_ONLY.sub(" ", text)):
        text = sentence
    if NOT_HURT.search(text) and not ATTACK.search(NOT_HURT.sub(" ", text)):
        return True  # "She was not hurt": no toll, and no attack told
    return (
        (NOT_ATTACKS.search(text) is not None and RETOLD.search(text) is None)
        or _doers_moved(text)
        or _means_traced(text)
    )


# "the bomber crossed from Afghanistan in July and stayed in a rented room in X": the doer's movements before
# the attack, told with no word of the attack itself
DOERS = re.compile(r"\b(?:(?:suicide\s+)?bombers?|attackers?|assailants?|gunm[ae]n)\b", re.I)
MOVED = re.compile(r"\b(?:crossed|stayed|rented|lived|hid|travell?ed|arrived|entered the country)\b", re.I)


# "the car used in the attack had been stolen in X in January", "the vehicle used in the attack had been
# bought in Y": where the means of an attack told already came from, not another attack
USED_IN = re.compile(
    r"\b(?:vehicle|car|truck|van|motorcycle|motorbike|bike|rifle|pistol|gun|weapons?|explosives?)\s+"
    r"(?:[\w-]+\s+)?used\s+(?:in|for|during)\s+(?:the|that|this|last\s+\w+'s|\w+day's)\s+"
    r"(?:attack|bombing|blast|explosion|ambush|assault|killing|shooting|raid)\b",
    re.I,
)


def _means_traced(text: str) -> bool:
    """Whether words tell only where the means of an attack told already came from ("the car used in the
    attack had been stolen in X"), and of its doers nothing beyond their name."""
    return (
        USED_IN.search(text) is not None
        and STRONG_ATTACK.search(text) is None
        and ATTACK.search(DOERS.sub(" ", USED_IN.sub(" ", text))) is None
    )


def _doers_moved(text: str) -> bool:
    """Whether words tell only where an attack's doers went or stayed ("the bomber stayed in X")."""
    return (
        MOVED.search(text) is not None
        and DOERS.search(text) is not None
        and STRONG_ATTACK.search(text) is None
        and ATTACK.search(DOERS.sub(" ", text)) is None
    )


NOT_HURT = re.compile(
    r"\b(?:not|no\s+one|nobody|none)\b[^.;]{0,25}?\b(?:hurt|injured|wounded|killed|harmed|dead)\b", re.I
)


ATTACK = attack_words()  # data/lexicon.json
# "three injured persons expired at X Hospital on Saturday", "succumbed to his wounds at X yesterday": a
# victim dying later; where and when they died is no attack's place or day
DIED_LATER = re.compile(
    r"\b(?:succumbed|expired|died of (?:his|her|their) (?:wounds|injuries)"
    # "a wounded guard died in hospital in Quetta on Friday", "later died at the Combined Military Hospital"
    r"|(?:later\s+)?died\s+(?:later\s+)?(?:in|at)\s+(?:an?\s+|the\s+)?(?:[\w'-]+\s+){0,4}?hospitals?"
    r"|breathed (?:his|her|their) last)\b",
    re.I,
)
TOLL_ONLY = re.compile(
    r"\b(?:injured|injuries|wounded|wounds?|hurt|dead|died|killed|toll|martyred"
    r"|lost (?:his|her|their) lives?)\b",
    re.I,
)


# "raising the number of miners killed in Thursday's attack to twelve": the attack told already, by its day
TOLD_ATTACK = re.compile(
    # (not "the attack on the consulate in X": the words go on to say which)
    r"\b(?:yesterday's|last night's|(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:'s| night's))"
    r"\s+(?:[\w-]+\s+)?(?:attack|bombing|blast|explosion|assault|ambush)\b"
    r"(?!\s+(?:on|in|at|near|against|of|outside|inside)\b)",
    re.I,
)


def died_later(text: str) -> bool:
    """Whether words tell only of a victim who died later, with no word of the attack beyond its toll and the
    attack told already ("died of his wounds, raising the toll of Thursday's attack to twelve")."""
    return DIED_LATER.search(text) is not None and not ATTACK.search(
        TOLD_ATTACK.sub(" ", TOLL_ONLY.sub(" ", DIED_LATER.sub(" ", text)))
    )


# "..., and last month a rocket was fired at X", "...; in March militants raided ...", "..., and a checkpoint
# in the district was attacked last month": a part of the sentence with a time of its own
# "recalled earlier attacks on Chinese staff in the region: on July 14, 2021, a bus ...": a colon opens the
# attacks the words before it count
# "the sabotage of towers near X on 12 September and attacks on security forces in Y": the trend joined by
# "and" after the attack is a part of its own
APART = re.compile(
    r"(?:,?\s+(?:and|but|while)|:)\s+(?=(?:last|earlier|in|on|this)\b)|;\s+|,\s+and\s+"
    r"|\s+and\s+(?=(?:other\s+|further\s+)?(?:attacks|bombings|blasts|raids|ambushes|killings)\b)"
)
OWN_TIME = re.compile(
    rf"(?:last|earlier this|this|in|on)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    rf"(?:(?:week|month|year)\b|{MONTHS_AND_DAYS}|(?:19|20)\d\d\b)",
    re.I,
)


def told_apart(text: str, generic: re.Pattern[str]) -> bool:
    """Whether a sentence that tells a trend or a habit ("several attacks on security forces have taken place
    in recent months") goes on to tell one attack with its own time ("and last month a rocket was fired at
    X", "and a checkpoint was attacked last month"): that part is an attack, whatever the ``generic`` words
    before it."""
    # "ISKP also claimed last month's bombing in X, and members should expect further attacks on ...": the
    # part before the habit may be the one with its own time
    parts = APART.split(text)
    timed = (p for p in parts if OWN_TIME.search(p) and ATTACK.search(p))
    if len(parts) > 1 and any(not generic.search(p) for p in timed):
        return True
    # "..., and amid a rise in attacks on police", "..., the latest in a string of attacks on Chinese
    # interests", "— one of a dozen arson attacks this year": the trend is the backdrop of the attack told
    told = BACKDROP.sub("", text)
    return told != text and ATTACK.search(told) is not None and generic.search(told) is None


BACKDROP = re.compile(
    r",?\s+(?:and\s+)?amid\b[^.;]*|(?:,|\s+[—–-])\s+(?:the\s+latest\s+(?:in|of)|one\s+of|part\s+of)\b[^.;]*",
    re.I,
)


# "arrested the facilitators of the roadside bombing on the M-8 near X on 6 May", "sentenced two men for
# firing on a police post in September last year": the state's act names the earlier attack it answers
PUNISHED = re.compile(
    r"\b(?:involvement in|involved in|responsible for|facilitators? of|planners? of|masterminds? of"
    r"|perpetrators of|accused of|charged with|convicted of|guilty of|in connection with|for"
    # "arrested two men suspected of taking part in last Tuesday's rocket attack"
    r"|(?:taking|took|taken) part in|suspects? in|suspected (?:of|in))\s+"
    rf"(?:(?:the|a|an)\s+)?(?P<own>(?:[\w'’-]+\s+){{0,3}}?)(?:{attack_nouns()})\b"
    r"|\b(?:for|of)\s+(?:firing on|firing at|planting|attacking|bombing|ambushing|storming)\b",
    re.I,
)
# the attack's own time after it: "on 3 August 2025", "in September last year" (a weekday is the act's own:
# "the trial of the men held for the depot attack began on Tuesday")
LATER_TIME = re.compile(
    rf"\b(?:on|in)\s+(?:\d{{1,2}}\s+)?(?:{MONTH_NAMES})\b|\b(?:19|20)\d\d\b|\blast year\b"
)


# "last Tuesday's rocket attack", "Sunday night's bombing": the attack's own day before its noun
OWN_DAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday)(?:\s+(?:night|evening|morning))?"
    r"['’]s\s",
    re.I,
)


def punished(text: str) -> bool:
    """Whether a state's act (an arrest, a sentence) names the earlier attack it answers with that attack's
    own time ("arrested the facilitators of the bombing near X on 6 May 2025, in which four soldiers were
    martyred", "arrested two men suspected of taking part in last Tuesday's rocket attack"): the words tell
    that attack too."""
    m = PUNISHED.search(text)
    if m is None:
        return False
    return OWN_DAY.search(m.group("own") or "") is not None or LATER_TIME.search(text, m.end()) is not None


# "2 | 22.01.2025 | near X, Karachi | Firing on a van ...; IED blast ... | 01 killed | Accused arrested": a
# table's row tells the attack in one cell and what the state did since in another
CELL = re.compile(r"\s+\|\s+")
NEGATED = re.compile(r"\s*(?:not|no)\b", re.I)  # "Not an attack; 3 detained": a remark, no attack
TOLD_IN_CELL = re.compile(rf"\b(?:{attack_nouns()})\b|{STRONG_ATTACK.pattern}|{ATTACK_TOLD.pattern}", re.I)


def told_in_cells(text: str) -> bool:
    """Whether a table's row (three cells or more) tells an attack in a cell of its own, apart from the
    state's acts another cell tells (an arrest, a trial): the row is the attack's, not the state action's."""
    cells = CELL.split(text)  # a spelled row's cells after its first count are its clauses (`tables`)
    parts = [part for cell in cells for part in cell.split("; ") if not NEGATED.match(part)]
    return len(cells) >= 3 and any(TOLD_IN_CELL.search(c) and not STATE_ACTION.search(c) for c in parts)


def also_told(text: str) -> bool:
    """Whether words that tell a state's act tell the attack too: the attack it answered (`repelled`), the
    earlier attack it punished (`punished`), or a table row's attack (`told_in_cells`)."""
    return repelled(text) or punished(text) or told_in_cells(text)

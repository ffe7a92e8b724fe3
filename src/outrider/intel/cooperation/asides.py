"""What a sentence says beside its main verb about the stage of an act: an aside that settles it ("the grant,
signed in September, is expected to arrive"), a signed text's relative clause ("an MoU ..., according to
which 60 officers will be trained"); and money it names that is no cash for the partner (a grant that is the
equipment it gives, the price of what is bought, compensation to a state's own citizens)."""

from __future__ import annotations

import re
from datetime import date

from outrider.intel.cooperation.arguments import groups_in, money_buys, named_after, own_nationals
from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.money import PER_HEAD, find_money
from outrider.intel.cooperation.parties import find_parties
from outrider.intel.cooperation.when import act_date
from outrider.intel.dates import EventDate

Cue = tuple[str, int, int]  # a stage and its span in a sentence
SETTLED = ("agreed", "funded", "done")
GOODS_REACH = 25  # characters between a grant and the equipment it gives ("a grant of security equipment")
GRANT = re.compile(r"grants?", re.I)
UNDER_THE = re.compile(r"\bunder (?:the|this|that)\s+$", re.I)
# "a grant for the installation of a surveillance system": the grant buys the thing named after it
WORK_ON = ("installation", "purchase", "procurement", "supply", "construction", "establishment", "building")
PAYS_FOR = re.compile(rf"(?:\s+assistance)?\s+for\s+(?:the\s+)?(?:{'|'.join(WORK_ON)})\s+of\s+", re.I)
# "a grant of RMB 20 million for surveillance cameras", "a grant for scanners": the things themselves (not
# "for the Safe City project", a project the money is given for)
BUYS = re.compile(r"(?:\s+assistance)?\s+for\s+(?:the\s+)?", re.I)
OF_SUM = re.compile(r"\s+of\s+", re.I)
PROJECT = re.compile(r"\bsafe[- ]city\b|\b(?:projects?|programmes?|programs?|schemes?)\b", re.I)
WORD = re.compile(r"[\w-]+\s+")
# "handed over 20 vehicles as free military-technical aid": the goods are the aid
AID = re.compile(r"aid|assistance", re.I)
AS_AID = re.compile(r"\bas\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}$", re.I)
# "Rs50 million for the construction of shelters for the equipment": the sum is the shelters'
FOR_OTHER_WORK = re.compile(
    r"\bfor\s+(?:the\s+)?(?:construction|maintenance|repair|upkeep|storage|housing|installation|operation)\s+of\b",
    re.I,
)
THE_THING = re.compile(r"\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}")
WHICH_FRAME = re.compile(r"\b(?:under|according to) which\b", re.I)


def distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans (0 when they overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def aside(text: str, cue: Cue, trigger: tuple[int, int]) -> bool:
    """Whether a cue sits in an aside between commas that the trigger is not in ("a force, announced in
    2029, was notified on Monday"): the main verb tells the stage."""
    left = text.rfind(",", 0, cue[1])
    right = text.find(",", cue[2])
    between = re.sub(r"(?<=\d),(?=\d)", "", text[trigger[1] : cue[1]])  # "$580,000" has no comma of its own
    if between.startswith(",") and between.count(",") == 2:
        return False  # "The compensation, $500 for each family, will be paid": the main verb after an aside
    return left >= 0 and right >= 0 and not left < trigger[0] < right


def done_aside(text: str, near: list[tuple[Cue, int]], trigger: tuple[int, int]) -> tuple[Cue, int] | None:
    """An aside right after the trigger that tells the act already agreed, funded or done, when the main verb
    only plans what follows it (its delivery, its next step)."""
    return next(
        (
            (c, d)
            for c, d in near
            if c[0] in SETTLED
            and aside(text, c, trigger)
            and c[1] > trigger[1]
            and "," not in text[trigger[1] : text.rfind(",", 0, c[1])]
        ),
        None,
    )


def aside_date(
    text: str,
    trigger: tuple[int, int],
    cues: list[Cue],
    published: date | None,
    events: dict[str, date],
    reach: int,
) -> EventDate | None:
    """The date an aside gives the act it settles ("the grant, signed in September, ...")."""
    near = [(c, distance(trigger, (c[1], c[2]))) for c in cues]
    done = done_aside(text, [(c, d) for c, d in near if d <= reach], trigger)
    if done is None:
        return None
    left, right = text.rfind(",", 0, done[0][1]), text.find(",", done[0][2])
    when = act_date(" " * left + text[left:right], published, events)
    return when if when.value is not None else None


def stage_date(
    text: str,
    stage: str,
    trigger: tuple[int, int],
    when: EventDate,
    cues: list[Cue],
    published: date | None,
    events: dict[str, date],
    reach: int,
) -> EventDate:
    """A mention's date as its stage reads it: a breach is not of the year an aside gives the promise ("a
    promise, made in 2029, was never kept"); an act settled in an aside takes the aside's date."""
    if stage == "not_fulfilled" and when.start >= 0 and aside(text, ("", when.start, when.end), trigger):
        return EventDate(None, "unknown")
    if when.value is None and stage in SETTLED:
        return aside_date(text, trigger, cues, published, events, reach) or when
    return when


def _thing_after(text: str, at: int) -> bool:
    """Whether equipment is named at most three words after this offset ("of a new surveillance system")."""
    for _ in range(4):
        if LEXICON.kinds["capacity_equipment"].match(text, at):
            return True
        if (word := WORD.match(text, at)) is None:
            return False
        at = word.end()
    return False


def goods_grant(text: str, a: int, b: int) -> bool:
    """A grant named together with the equipment it gives, with no sum of its own, or named as the frame of
    what a side will give ("under the grant"): the equipment's record, not cash."""
    if AID.fullmatch(text[a:b]) and AS_AID.search(text, max(0, a - 2 * GOODS_REACH), a):
        # "handed over 20 vehicles and 12 cameras as free military-technical aid": the goods are the aid
        return LEXICON.kinds["capacity_equipment"].search(text, 0, a) is not None and not find_money(text)
    if not GRANT.fullmatch(text[a:b]):
        return False
    if (pays := PAYS_FOR.match(text, b)) and _thing_after(text, pays.end()):
        return True  # "60 million yuan in grant assistance for the installation of a surveillance system"
    if (buys := BUYS.match(text, _past_sum(text, b))) and _thing_after(text, buys.end()):
        return not PROJECT.search(text, buys.end(), buys.end() + GOODS_REACH + 20)
    if UNDER_THE.search(text, 0, a):
        return True  # "Under the grant, China will provide ...": the grant is the frame of what follows
    lo, hi = max(0, a - GOODS_REACH), b + GOODS_REACH
    near = LEXICON.kinds["capacity_equipment"].search(text, lo, hi)
    return near is not None and not any(lo <= m.start < hi for m in find_money(text))


def _past_sum(text: str, at: int) -> int:
    """The end of the sum a grant names right after it ("a grant of RMB 20 million"), else the grant's end."""
    if (of := OF_SUM.match(text, at)) is None:
        return at
    return next((m.end for m in find_money(text) if m.start == of.end()), at)


# "a joint mechanism to exchange intelligence": the exchange is the record, not an arrangement
FOR_INTELLIGENCE = re.compile(
    r"\s+(?:to|for)\s+(?:the\s+)?(?:exchang|shar)\w*\s+(?:of\s+)?(?:intelligence|information)", re.I
)
# "a delegation visited the National Police Academy": a venue, not training
VISITED_PLACE = re.compile(
    r"\b(?:visit(?:ed|ing|s)?|toured|paid (?:a |an )?(?:[\w-]+ )?visit to)\s+"
    r"(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,4}$"
)


# "the two armies have held the Warrior series of exercises since 2004": background, no act
HABITUAL = re.compile(r"\b(?:have|has)\s+(?:[\w-]+\s+){1,8}?since\s+(?:19|20)\d\d\b", re.I)


def habitual(text: str, a: int, b: int) -> bool:
    """Whether a trigger is inside a present perfect "since" a year ("have held exercises since 2004")."""
    return any(m.start() <= a and b <= m.end() for m in HABITUAL.finditer(text))


# "The Special Security Division of the army continues to protect CPEC projects": a standing force, background
CONTINUES = re.compile(r"\bcontinues? to\b", re.I)


def standing_background(kind: str, text: str, a: int, when: EventDate) -> bool:
    """A named standing force the sentence says "continues to" protect, without a time: background."""
    return (
        kind == "security_arrangement"
        and text[a].isupper()
        and when.value is None
        and CONTINUES.search(text, a) is not None
    )


def another_act(kind: str, text: str, a: int, b: int) -> bool:
    """Whether a trigger of this kind names another act's thing: money that is no cash for the partner
    (`not_cash`), an academy a delegation visited, a mechanism whose business is exchanging intelligence."""
    if kind == "funding":
        return not_cash(text, a, b)
    if kind == "training":
        return VISITED_PLACE.search(text, 0, a) is not None
    return kind == "security_arrangement" and FOR_INTELLIGENCE.match(text, b) is not None


def not_cash(text: str, a: int, b: int) -> bool:
    """Money a sentence names that is no grant to the partner: a grant of equipment (`goods_grant`), a sum
    "for the purchase of" equipment (its value), money for the families of the giver's own nationals."""
    if own_nationals(text, find_parties(text)):
        return True  # "Rs5 million for the family of the Pakistani guard": a state's own citizens
    if goods_grant(text, a, b):
        return True
    # "Rs120 crore for the purchase of", "a grant of Rs2.1 billion for the ministry to raise a unit"
    ends = [b] + [m.end for m in find_money(text) if b <= m.start <= b + GOODS_REACH]
    return any(money_buys(text, end) and named_after(text, end) for end in ends)


# ", while the province notified a platoon": a second act of the sentence, with its own sums
OTHER_ACT = re.compile(r",\s+(?:while|whereas)\b", re.I)


def own_act(text: str, trigger: tuple[int, int]) -> str:
    """The part of a sentence that tells a trigger's act, another act joined by ", while" left out."""
    starts = [m.end() for m in OTHER_ACT.finditer(text, 0, trigger[0])]
    end = next((m.start() for m in OTHER_ACT.finditer(text, trigger[1])), len(text))
    return text[(starts[-1] if starts else 0) : end]


def pays_for_other(text: str, money_end: int, trigger: int, kind: str = "") -> bool:
    """Whether a sum is not the commitment's own: one before a trigger paying for other work on it ("Rs50
    million for the construction of shelters for the equipment"), or a share ("$500 for each family"). A
    force's sum may be told so ("Rs2.5 crore for the construction of barracks for the guards of ...")."""
    if PER_HEAD.match(text, money_end):
        return True  # "$580,000 for each family": a share, not the commitment's sum
    if OTHER_ACT.search(text, *sorted((money_end, trigger))):
        return True  # "a ward built with a grant of 25 million yuan, while the province raised a platoon"
    if kind == "security_arrangement" and money_buys(text, money_end):
        return False
    work = FOR_OTHER_WORK.search(text, money_end, trigger) if money_end <= trigger else None
    # "for the installation of a surveillance system": the work on the thing itself is its sum
    return work is not None and THE_THING.fullmatch(text, work.end(), trigger) is None


AGREED_THAT = re.compile(r"\s+that\b", re.I)


def agreed_that(text: str, cues: list[Cue], stage: str, trigger: tuple[int, int]) -> str:
    """ "The ministers agreed that the next round would be held in Beijing": what both agreed will happen is
    agreed, whatever future verb tells it."""
    if stage not in ("announced", "pledged"):
        return stage
    before = [c for c in cues if c[0] == "agreed" and c[2] <= trigger[0] and AGREED_THAT.match(text, c[2])]
    return "agreed" if before else stage


# "assured the Ambassador that", "agreed that": a promise or an agreement whose content follows
SAID_THAT = re.compile(r"\s+(?:[\w'’-]+\s+){0,3}?that\b", re.I)


def framed(text: str, cues: list[Cue], at: int, kind: str) -> str | None:
    """ "An MoU was signed ..., according to which 60 officers will get training": what a signed text says,
    however far the signing verb is from it, is agreed; "assured the Ambassador that the network behind the
    attack ... would be dismantled": what a promise says, however long, is pledged (unless a demand or
    negation stands between them; a meeting far after it, "according to minutes of the meeting", is where
    it was made)."""
    frame = next((m for m in WHICH_FRAME.finditer(text, 0, at)), None)
    if frame is not None and any(s == "agreed" and end <= frame.end() for s, _, end in cues):
        return "agreed"
    said = [c for c in cues if c[0] in ("pledged", "agreed") and c[2] <= at and SAID_THAT.match(text, c[2])]
    if said and kind != "visit_or_meeting" and LEXICON.not_commitment.search(text, said[-1][2], at) is None:
        return said[-1][0]
    return None


# "the attack ... was claimed by Jamaat-ul-Ahrar": the group the report names as the attack's author
CLAIMED_BY = re.compile(r"\bclaimed\s+by\s+(?:the\s+)?(?:banned\s+|outlawed\s+)?", re.I)
AUTHORS_OF = re.compile(
    r"\b(?:suspects?|suspected|perpetrators|attackers|culprits|bombing|attack|blast)\b", re.I
)


def claimant(text: str) -> str | None:
    """The one group a report says claimed an attack, if it names exactly one."""
    found = {
        name
        for m in CLAIMED_BY.finditer(text)
        for name, a, _ in groups_in(text[m.end() : m.end() + 60])
        if a == 0
    }
    return found.pop() if len(found) == 1 else None


def authors_group(evidence: str, group: str | None, claimed: str | None) -> str | None:
    """An action against the authors of an attack takes the group the report says claimed it."""
    return group or (claimed if AUTHORS_OF.search(evidence) else None)


# "arrested in April by Pakistani police with the support of Chinese public security organs"
ARREST = LEXICON.arrest
SUPPORTED = re.compile(
    r"\b(?:with the (?:support|help|assistance) of|on the basis of (?:information|intelligence)"
    r"|(?:information|intelligence) (?:provided|shared|supplied) by)\b",
    re.I,
)


def supported_arrest(
    text: str, trigger: tuple[int, int], triggers: list[tuple[str, int, int]], kind: str
) -> str | None:
    """The kind of a mention, unless it is an arrest a sentence says the partner's information or support
    made: then the partner's intelligence support (or nothing of its own when the sentence names that
    intelligence too), not an action against a group."""
    if kind != "action_against_group" or not ARREST.fullmatch(text[trigger[0] : trigger[1]]):
        return kind
    if not SUPPORTED.search(text):
        return kind
    return None if any(k == "intelligence_sharing" for k, _, _ in triggers) else "intelligence_sharing"


OTHER_HEADS = ("capacity_equipment", "training", "agreement", "joint_exercise")
# one attribute word between ("border management equipment"); a conjunction or preposition joins another thing
MODIFIER = re.compile(r"\s(?:(?!(?:and|or|nor|plus|with|for|to|of|in|on|at|by|as)\s)[a-z]+\s)?", re.I)
SUPPORT = re.compile(r"\s(?:capabilit(?:y|ies)|capacity|assistance)\b", re.I)


def names_another(text: str, end: int) -> bool:
    """A security trigger that is an attribute of the noun after it ("border management equipment", "border
    security training", "border management capabilities"): that noun is the act."""
    if SUPPORT.match(text, end):
        return True
    gap = MODIFIER.match(text, end)
    return any(
        LEXICON.kinds[k].match(text, end + 1) or (gap and LEXICON.kinds[k].match(text, gap.end()))
        for k in OTHER_HEADS
    )


TRAINEE_REACH = 60  # characters either side of a training trigger within which its trainees are named
TRAIN_VERB = re.compile(r"trains?\s", re.I)


def training_of_forces(text: str, a: int, b: int, exercise: bool) -> bool:
    """Whether a training trigger tells training of a state's forces: not a training base, not a party's own
    preparation for the act ahead, not the drills of an exercise (``exercise``: one told in its clause), and
    with its trainees named near it, or by its verb ("train 20 forensic experts")."""
    if LEXICON.kinds["capacity_equipment"].match(text, b + 1):
        return False  # "a police training base" is the base
    if LEXICON.preparation.search(text):
        return False  # "will undergo preparatory training before departure": its own, for the act ahead
    near = text[max(0, a - TRAINEE_REACH) : b + TRAINEE_REACH]
    named = TRAIN_VERB.match(text, a) is not None
    return not exercise and (named or LEXICON.trainees.search(near) is not None)


# "the first two companies of the battalion arrived in Uthal", "ten armoured vehicles arrived at the police
# lines", "three naval vessels arrived at Karachi": a force or things delivered, no visit
ARRIVAL = re.compile(r"arriv(?:ed|es)\s+(?:in|at)", re.I)
THINGS = re.compile(
    r"\b(?:companies|battalions?|platoons?|troops|vehicles|vessels|ships|warships|frigates|aircraft|jets"
    r"|helicopters|consignments?|shipments?)\b[^.;:]{0,100}$",
    re.I,
)
ARRIVAL_REACH = 160  # characters before the verb within which its subject is named


def things_arrived(text: str, a: int, b: int) -> bool:
    """Whether an arrival a visit trigger tells is of a force's units or of things (its subject)."""
    return (
        ARRIVAL.fullmatch(text, a, b) is not None
        and THINGS.search(text, max(0, a - ARRIVAL_REACH), a) is not None
    )

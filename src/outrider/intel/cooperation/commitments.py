"""One commitment per real act in a report: whether a mention continues a commitment already found.

Mentions of one kind between the same states are one commitment unless their own years differ (an earlier
instance of a series), they name different instances, objects, amounts, groups or months (for visits), or one
is a meeting still to come beside one held.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.mentions import Mention, sentences
from outrider.intel.cooperation.records import RANK
from outrider.intel.cooperation.roles import roles

GOING_ON = re.compile(r"\b(?:will also|during (?:his|her|their|the) stay|later (?:today|this week))\b", re.I)
SERIES = {"visit_or_meeting", "joint_exercise", "funding"}
# kinds whose commitments in one report differ by their object ("a joint strategy", "security protocols")
BY_OBJECT = {"security_arrangement", "capacity_equipment"}
# a word that names any equipment: the same thing as the items a report lists
GENERIC_HEADS = {"equipment"}


@dataclass
class Commitment:
    """The mentions of one commitment in a report."""

    kind: str
    parties: tuple[str, ...]
    mentions: list[Mention] = field(default_factory=list)

    def year(self) -> int | None:
        """The year of the first mention that dates the act (a headline dates nothing)."""
        dated = (m.when for m in self.mentions if m.when.value is not None and m.when.precision != "unknown")
        return next((w.value.year for w in dated if w.value is not None), None)


def _head(m: Mention) -> str:
    """The last word of a mention's trigger, singular: "strategy", "division", "jacket"."""
    word = m.sentence.text[m.trigger[0] : m.trigger[1]].split()[-1].lower()
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _other_month(m: Mention, c: Commitment) -> bool:
    """Whether a mention dates its act to another month than every finely dated mention of the commitment."""
    if _in_named_month(m) and any(n.stage == "under_way" for n in c.mentions):
        return True  # a visit under way is not the one a report dates to a month ("visited Beijing in April")
    if m.stage == "under_way" and any(_in_named_month(n) for n in c.mentions):
        return True
    if (month := _month(m)) is None:
        return False
    months = {got for n in c.mentions if (got := _month(n)) is not None}
    return bool(months) and month not in months


def _in_named_month(m: Mention) -> bool:
    return m.stage == "done" and m.when.precision == "month"


def _month(m: Mention) -> tuple[int, int] | None:
    day, fine = m.when.value, m.when.precision in ("day", "week", "month")
    return (day.year, day.month) if day is not None and fine else None


def _same_object(m: Mention, n: Mention, parties: tuple[str, ...]) -> bool:
    """Two mentions name one thing: the same head word, one of them "equipment" (any equipment), or one is the
    other's abbreviation given in brackets ("armoured personnel carriers (APCs)")."""
    if _head(m) == _head(n):
        return True
    if GENERIC_HEADS & {_head(m), _head(n)}:
        # "security equipment" in the headline, "scanners and cameras" in the body, from the same giver
        way = roles(m, parties, None)
        return None not in way and way == roles(n, parties, None)
    a, b = _trigger(m), _trigger(n)
    texts = (m.sentence.text.lower(), n.sentence.text.lower())
    return any(f"{x} ({y})".lower() in t for x, y in ((a, b), (b, a)) for t in texts)


def _trigger(m: Mention) -> str:
    return m.sentence.text[m.trigger[0] : m.trigger[1]]


def _future(m: Mention) -> bool:
    """A meeting still to come or agreed to be held (a mechanism), not one reported held."""
    return m.stage in ("announced", "agreed") and not GOING_ON.search(m.sentence.text)


NEXT_INSTANCE = re.compile(
    r"\b(?:next|regular|annual|coming)\s+(?:[\w-]+\s+)?(?:edition|round|exercise|drill)\b", re.I
)


REGULARLY = re.compile(r"\s+(?:every (?:year|\w+ years)|annually|each year|once a year)\b", re.I)


def _next_instance(m: Mention) -> bool:
    """An instance of a series still to come, agreed or announced ("the next edition in 2032")."""
    near = m.sentence.text[max(0, m.trigger[0] - 30) : m.trigger[1]]
    later = REGULARLY.match(m.sentence.text, m.trigger[1])  # "agreed to hold the exercise every two years"
    return m.stage in ("announced", "agreed", "pledged") and bool(NEXT_INSTANCE.search(near) or later)


RAISING_THE = re.compile(r"\w+(?: up)? (?:the|this|that|its) ", re.I)


PAST_INSTANCE = re.compile(
    r"\b(?:previous|last|earlier|preceding) (?:edition|round|exercise)\b|\bhad (?:held|conducted)\b", re.I
)
PLANS = {"announced", "agreed", "pledged"}
# "100 more training slots", "another batch": a further offer of training, not the course told
FURTHER = re.compile(
    r"\b(?:more|another|additional|further)\s+(?:[\w-]+\s+)?(?:training|courses?|slots|batch)\b", re.I
)


def _past_instance(m: Mention) -> bool:
    """An earlier instance of a series, told as such and dated ("the previous edition", "had held")."""
    return (
        m.stage in ("done", "under_way")
        and m.when.value is not None
        and bool(PAST_INSTANCE.search(m.sentence.text))
    )


def _points_back(m: Mention) -> bool:
    """ "The facility would be built ...": a definite, unnamed object points back at what the report named."""
    before = m.sentence.text[max(0, m.trigger[0] - 6) : m.trigger[0]]
    if m.sentence.text[m.trigger[0]].isupper():
        return False  # "the Special Security Division": a proper name names its own body
    if m.name is None and RAISING_THE.match(_trigger(m)):
        return True  # "approved Rs1.35 billion for raising the force": the force the report told
    return m.name is None and bool(re.search(r"\b(?:the|this|that|its)\s+$", before, re.I))


NEW_ONE = re.compile(r"\b(?:new|newly[- ]raised|second|another|additional)\s+(?:[\w-]+\s+){0,2}$", re.I)
OLD_ONE = re.compile(r"\b(?:existing|old|original|first|earlier)\s+(?:[\w-]+\s+){0,2}$", re.I)


def _age(m: Mention) -> str | None:
    """Whether a mention tells its object as a new one ("a new Special Security Division", "a second ...") or
    as the one that stood before it ("the existing Special Security Division", "the first ..."), or not."""
    before = m.sentence.text[max(0, m.trigger[0] - 30) : m.trigger[0]]
    return "new" if NEW_ONE.search(before) else "old" if OLD_ONE.search(before) else None


# "a dedicated Special Security Division for Sindh": a force's name told with the place it is for
FOR_PLACE = re.compile(r"\s+for\s+(?:the\s+)?[A-Z][\w-]+")


def _named_for_place(m: Mention) -> bool | None:
    """Whether a force's proper name is told with the place it is for ("Special Security Division for Sindh"),
    or not; None when the trigger is no proper name."""
    if not m.sentence.text[m.trigger[0]].isupper():
        return None
    return bool(FOR_PLACE.match(m.sentence.text, m.trigger[1]))


def _told_of(m: Mention, c: Commitment) -> bool:
    """ "The unit ... will provide escorts": what a sentence whose subject is the commitment's own object (by
    its head word) says it does is part of it."""
    heads = "|".join(re.escape(h) for h in {_head(n) for n in c.mentions})
    return bool(re.match(rf"(?:the|this|that)\s+(?:[\w-]+\s+)?(?:{heads})s?\b", m.sentence.text, re.I))


def compatible(c: Commitment, m: Mention, parties: tuple[str, ...]) -> bool:
    """Whether a mention continues a commitment already found in the document."""
    if c.parties != parties or c.kind != m.kind:
        return False
    year = m.when.value.year if m.when.value is not None and m.when.precision != "unknown" else None
    own = c.year()
    if year is not None and own is not None and year != own and m.kind in SERIES:
        return False  # an earlier instance of a series (a standing arrangement's stages span years)
    names = {n.name for n in c.mentions if n.name}
    if m.name and names and m.name not in names:
        return False
    if m.kind in BY_OBJECT and any(_age(n) not in (None, _age(m)) for n in c.mentions if _age(m)):
        return False  # "a new Special Security Division" beside "the existing ... raised in 2016": two forces
    if m.kind in BY_OBJECT and _named_for_place(m) and all(_named_for_place(n) is False for n in c.mentions):
        return False  # "the Special Security Division's teams", then "a Special Security Division for Sindh"
    if m.kind in BY_OBJECT and not any(_same_object(m, n, parties) for n in c.mentions):
        same_sentence = any(n.sentence.start == m.sentence.start for n in c.mentions)
        if same_sentence or not (_points_back(m) or _told_of(m, c)):
            return False
    if m.kind == "visit_or_meeting" and _other_month(m, c):
        return False  # "visited Beijing in April" is another trip than the one under way in May
    if m.kind == "visit_or_meeting" and _future(m) != any(_future(n) for n in c.mentions):
        # a visit still to come is another trip than the meeting held, unless it is the same visitor's
        way = roles(m, parties, None, m.place_country)
        return None not in way and way == roles(c.mentions[0], parties, None, c.mentions[0].place_country)
    if m.kind == "joint_exercise" and _next_instance(m) != any(_next_instance(n) for n in c.mentions):
        return False  # "agreed to make it a regular exercise, the next edition in 2032": not the one held
    if m.kind == "training" and bool(FURTHER.search(m.sentence.text)) != any(
        FURTHER.search(n.sentence.text) for n in c.mentions
    ):
        return False  # "would offer 100 more training slots" beside the course the officers completed
    if m.kind == "joint_exercise" and _past_instance(m) and all(n.stage in PLANS for n in c.mentions):
        return False  # "the previous edition was held last year": not the one agreed for later
    if m.kind == "action_against_group" and _against_other(c, m):
        return False
    amounts = {n.money.amount for n in c.mentions if n.money}
    if m.kind == "funding" and INSTALMENT.search(m.sentence.text):
        return True  # "the first tranche of $2 million was disbursed": part of the sum already told
    return not (m.kind == "funding" and m.money and amounts and m.money.amount not in amounts)


INSTALMENT = re.compile(r"\b(?:instal?ments?|tranches?)\b", re.I)


# action against the authors of one attack: its investigation, its perpetrators brought to justice
AGAINST_AUTHORS = re.compile(
    r"\b(?:investigat\w+|perpetrators|attackers|culprits|masterminds|those responsible)\b", re.I
)

GROUP_AS_AUTHORS = re.compile(
    r"\b(?:involved in|behind|responsible for"
    r"|(?:who|that|which) (?:had )?(?:carried out|attacked|staged|planned|plotted|orchestrated|masterminded))"
    r"\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,3}?(?:attack|bombing|blast|ambush|killing|assault)",
    re.I,
)


JUSTICE = re.compile(r"\b(?:to justice|punish\w*|escape justice)\b", re.I)
PROBE = re.compile(r"\b(?:investigat\w+|probe|JIT|inquiry)\b", re.I)
JOINT = re.compile(r"\b(?:joint(?:ly)?|together|join(?:ed|s)?)\b", re.I)


def _justice_beside_probe(mentions: list[Mention], m: Mention) -> bool:
    """One side's promise to bring an attack's authors to justice and an investigation both sides agreed on or
    run together are two commitments ("assured him the attackers would be punished"; "the two sides agreed
    that Chinese experts would join the investigation")."""

    def promise(n: Mention) -> bool:
        text = n.sentence.text
        return n.stage == "pledged" and bool(
            JUSTICE.search(text) or (n.group and GROUP_AS_AUTHORS.search(text))
        )

    def probe(n: Mention) -> bool:
        # an investigation one side opened ("had been opened under the article on terrorism") is the promise's
        text = n.sentence.text
        joint = (
            n.stage == "agreed"
            or len(actors(n)) >= 2
            or bool(LEXICON.joint.search(text) or JOINT.search(text))
        )
        return n.stage in ("agreed", "under_way") and joint and bool(PROBE.search(text))

    return (promise(m) and all(probe(n) for n in mentions)) or (
        probe(m) and all(promise(n) for n in mentions)
    )


def _against_other(c: Commitment, m: Mention) -> bool:
    """Action against a named group and action against the authors of an attack that names no group are
    two commitments (the schema's object: "a named group or the perpetrators of a named attack"); so are
    actions against two different groups."""
    groups = {n.group for n in c.mentions if n.group}
    if m.group and groups:
        return m.group not in groups
    if not m.group and not groups:
        return _justice_beside_probe([*c.mentions], m)
    if bool(m.group) == bool(groups):
        return False
    if _justice_beside_probe([*c.mentions], m):
        return True  # "would dismantle the network of the BLA that planned the attack" beside a joint probe
    named = [m] if m.group else [n for n in c.mentions if n.group]
    if any(GROUP_AS_AUTHORS.search(n.sentence.text) for n in named):
        return False  # "the Daesh elements involved in the attack": the group is the attack's authors
    unnamed = [m] if not m.group else [n for n in c.mentions if not n.group]
    return any(AGAINST_AUTHORS.search(n.sentence.text) for n in unnamed)


def actors(m: Mention) -> set[str]:
    """The states of a mention other than those named only as the victims ("Chinese workers")."""
    s = m.sentence.text
    return {h.code for h in m.hits if not (h.demonym and LEXICON.protected.match(s, h.end + 1))}


def served_before(m: Mention, found: list[Commitment], protected: str | None) -> tuple[str, ...] | None:
    """ "X would not allow ETIM to operate from Afghan territory ... Pakistan would not allow ETIM to use
    Pakistani soil": a state acting alone against a group the report already told acted against for another
    state acts for that state too."""
    acting = actors(m)
    if m.kind != "action_against_group" or not m.group or len(acting) != 1:
        return None
    for c in found:
        if c.kind == m.kind and any(n.group == m.group for n in c.mentions):
            served = roles(c.mentions[0], c.parties, protected)[1]
            if served is not None and served not in acting:
                return tuple(sorted({*acting, served}))
    return None


AGREED_REACH = 400  # characters after a commitment's last mention
DIALOGUE_KINDS = {"visit_or_meeting", "agreement"}
# "The agreement was reached during the visit": what the report has just told was agreed by both
AGREED_BACK = re.compile(
    r"\b(?:the|this|that)\s+(?:agreement|deal|accord|understanding|decision)\s+(?:was|had been|has been)\s+"
    rf"(?:made|taken|{LEXICON.accord_verbs})\b",
    re.I,
)


def agreed_after(c: Commitment, text: str) -> Commitment:
    """A commitment announced or pledged just before a sentence saying "the agreement was reached": agreed."""
    if c.kind in ("visit_or_meeting", "agreement") or any(
        RANK[m.stage] >= RANK["agreed"] for m in c.mentions
    ):
        return c
    last = c.mentions[-1]
    after = next((s.text for s in sentences(text[last.span[1] : last.span[1] + AGREED_REACH])), "")
    if not AGREED_BACK.search(after):
        return c
    return replace(c, mentions=[*c.mentions, replace(last, stage="agreed")])

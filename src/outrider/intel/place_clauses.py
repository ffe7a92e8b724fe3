"""A sentence cut into clauses, and the clauses into the parts that tell one place each (the place of an
attack told in one clause and of the town named in another: `mentions.mentions_of`). Pure."""

from __future__ import annotations

import re

from outrider.intel.dated_clauses import apposed
from outrider.intel.event_dates import LATER
from outrider.intel.gazetteer import Place, PlaceHit, within_seat
from outrider.intel.lexicon import attack_nouns, attack_words
from outrider.intel.small_towns import heading_end

ATTACK = attack_words()  # data/lexicon.json
CLAUSE = re.compile(
    r"[,;:]\s+|\s+(?=(?:(?:about|some|nearly|roughly|almost)\s+)?(?:[\w-]+\s+(?:months?|weeks?|days?|years?)\s+)?"
    r"(?:after|before|when|while)\s)"
    # "the bombing in A last month and the attack on the police academy in B in January": an attack each
    rf"|\s+(?=and\s+(?:the|a|an|another)\s+(?:[\w-]+\s+){{0,2}}?(?:{attack_nouns()})\b)"
)


def cut_clauses(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence's clauses start and end: commas, semicolons, "after"/"when" separate events."""
    cuts = [0]
    for m in CLAUSE.finditer(sentence):
        if (
            m.group(0).isspace()
            and len(cuts) > 1
            and re.fullmatch(r"[\w\s-]{0,30}", sentence[cuts[-1] : m.start()])
        ):
            continue  # one "about three months after" boundary, not three
        cuts.append(m.end())
    cuts.append(len(sentence))
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i] < cuts[i + 1]]


# a clause that opens with its verb, or a table row's toll ("...; 01 killed"; `tables`): the result of the
# clause before it
RESULT = re.compile(
    r"(?:killing|injuring|wounding|martyring|leaving)\s|(?:\d+|no one)\s(?:\w+\s)?(?:killed|injured)\b"
)
# "it was Bisham, (a few hours' drive away,) where a bomber rammed ...": the town the where-clause tells of
WHERE = re.compile(r"where\s")
WHEN = re.compile(r"(?i:when|as)\s+(?:the|a|an|their|his|its)\s")
WHEN_TOLD = re.compile(r"(?i:when)\s")
PREDICATE = re.compile(r"(?:was|were|had been|has been|have been|came under|come under)\s")
# a clause that says where: "at X", "6 km south (W) of X", "X, Tank District,", ", POLICE STATION X"
LOCATIVE_CLAUSE = re.compile(
    r"(?i:in|at|near|outside|inside|on the outskirts of)\s"
    r"|(?:\S+\s+){0,3}?(?:(?i:north|south|east|west)\w*|[NSEW]|[NS][EW])\s+(?i:of)\s"
    r"|\s*(?i:police station)\s+[A-Z]"
    r"|(?i:the)\s[^,;]{0,50}?\b(?i:at|in|near|outside)\s+(?:the\s+)?[A-Z]"
    r"|\s*[A-Z][\w'-]+(?: [A-Z][\w'-]+){0,2} (?i:district|city|province)(?:,|\s*$)"
)


def heading_of(sentence: str, in_title: bool) -> int:
    """Where a heading that says where ends: a listing line's, or a headline's place before a colon ("X:")."""
    colon = sentence.find(": ") if in_title else -1
    return heading_end(sentence) or (colon + 2 if 0 < colon <= 60 else 0)


def placed_segments(
    sentence: str,
    clauses: list[tuple[int, int]],
    owner: list[Place | None],
    use: list[PlaceHit],
    in_title: bool = False,
) -> list[tuple[int, int, Place | None]]:
    """The sentence cut where the place changes from one clause to the next, each part with its place
    (one part when a single place, or none, is named; ``use``: the towns named)."""
    owner = _provinces_to_towns(sentence, clauses, _seats_to_towns(sentence, owner))
    if len({id(p) for p in owner if p is not None}) <= 1:
        place = next((p for p in owner if p is not None), use[0].place if use else None)
        cue_clauses = [i for i, (cs, ce) in enumerate(clauses) if ATTACK.search(sentence[cs:ce])]
        placed = [i for i, p in enumerate(owner) if p is not None]
        if (
            place is not None
            and cue_clauses
            and all(owner[i] is None for i in cue_clauses)
            and len(clauses) > 1
            # "..., in Peshawar's old city, and blew himself up": a clause that only says where
            and not all(LOCATIVE_CLAUSE.match(sentence, clauses[i][0]) for i in placed)
            # "May 3 - Turbat (Balochistan): gunmen ambushed ...": a listing's heading says where
            and not all(clauses[i][1] <= heading_of(sentence, in_title) for i in placed)
            # "a bus carrying workers to X, also on the Indus, was hit by a bomb": the attack clause is the
            # predicate of the placed clause before it, its subject
            and not any(PREDICATE.match(sentence, clauses[i][0]) and i > placed[0] for i in cue_clauses)
            and not any(WHERE.match(sentence, clauses[i][0]) and i > placed[0] for i in cue_clauses)
            # "a constable posted at Police Station City X died on 8 August, when terrorists stormed the said
            # police station": the when-clause tells the time and deed of the placed clause before it
            and not any(WHEN_TOLD.match(sentence, clauses[i][0]) and i > placed[0] for i in cue_clauses)
            # "When the vehicle reached near X on the A-B road, a device ... was detonated": when and where
            and not all(WHEN.match(sentence, clauses[i][0]) and i + 1 in cue_clauses for i in placed)
            # "a device struck a convoy near X, killing a soldier": the toll of the placed clause before it
            and not any(RESULT.match(sentence, clauses[i][0]) and i - 1 in placed for i in cue_clauses)
            # "the attack on Police Station Mandan, Bannu, on 12-09-2026": a town set beside the site's name
            and not all(apposed(sentence, clauses, i, cue_clauses) for i in placed)
        ):
            place = None  # the place belongs to a clause without the attack: context, not the site
        return [(0, len(sentence), place)]
    segments: list[tuple[int, int, Place | None]] = []
    current: Place | None = next(p for p in owner if p is not None)
    seg_start = 0
    for k, ((cs, _), p) in enumerate(zip(clauses, owner, strict=True)):
        if p is not None and p is not current and cs > seg_start:
            # "...; six months later, fighters raided ... Gwadar": the time counted on opens the next event
            prev = clauses[k - 1] if k else None
            if (
                prev
                and owner[k - 1] is None
                and prev[0] > seg_start
                and LATER.search(sentence[prev[0] : prev[1]])
            ):
                cs = prev[0]
            segments.append((seg_start, cs, current))
            seg_start, current = cs, p
        elif p is not None:
            current = p
    segments.append((seg_start, len(sentence), current))
    return segments


def _seats_to_towns(sentence: str, owner: list[Place | None]) -> list[Place | None]:
    """ "Mansehra district: on Friday 27 February, gunmen fired on a post near Paras": a district told by its
    seat and a town of that district named in another clause are one place, the town."""
    towns = [p for p in owner if p is not None]
    return [
        next((t for t in towns if within_seat(t, p)), p)
        if p is not None and p.name and re.search(rf"\b{re.escape(p.name)}\s+(?i:district)\b", sentence)
        else p
        for p in owner
    ]


def _provinces_to_towns(
    sentence: str, clauses: list[tuple[int, int]], owner: list[Place | None]
) -> list[Place | None]:
    """ "23 Feb, Imam Sahib district, Kunduz: a bomb hit ...": a province told by its namesake capital in a
    clause of its name alone, right after a town of that province, is the town's province, not a place."""
    out = list(owner)
    for k in range(1, len(owner)):
        p, before = owner[k], out[k - 1]
        if (
            p is not None
            and before is not None
            and p.name is not None
            and p.name == p.admin1
            and before.admin1 == p.admin1
            and before.name != p.name
            and re.fullmatch(rf"\W*{re.escape(p.name)}\W*", sentence[clauses[k][0] : clauses[k][1]])
        ):
            out[k] = before
    return out

"""Stage cues of a sentence and the one that tells a trigger's stage: the nearest in its clause and part,
unless a demand, negation, condition or generic words sit nearer or between them."""

from __future__ import annotations

import re

from outrider.intel.cooperation.arguments import future_stage, told_partner
from outrider.intel.cooperation.asides import aside, distance, done_aside
from outrider.intel.cooperation.lexicon import LEXICON

# "Minutes issued: 26 May 2031", "Date signed: 4/5/2031": a label of a few words whose value is a day
FIELD_LABEL = re.compile(r"^[A-Za-z]+(?: [A-Za-z]+){0,2}:(?=\s*\d)")
# "to set up", "help Pakistan set up": an infinitive
INFINITIVE = re.compile(r"\b(?:to|help(?:s|ed|ing)?)\s+(?:\w+\s+)?$", re.I)
PERFORMED = {"done", "under_way"}
# "would be issued", "will be deployed": an act still to come, promised rather than performed
FUTURE = re.compile(r"\b(?:will|would|shall)\s+(?:also\s+|soon\s+|now\s+|then\s+)?be\s+$", re.I)
CONDITIONAL = re.compile(r"\s*(?:would|could|might|should)\b", re.I)
# how far a stage cue may sit from its trigger within a sentence (characters)
CUE_REACH = 160


# ", and the agency will be upgraded": a second act of the same kind in its own part of the sentence
PART_BREAK = re.compile(r",\s+and\s+(?:the\s+)?|;\s+")


def part(text: str, at: int) -> int:
    """Which part of a sentence (split at ", and" and ";") an offset is in."""
    return sum(1 for m in PART_BREAK.finditer(text) if m.end() <= at)


def stage_cues(text: str) -> list[tuple[str, int, int]]:
    """Every stage cue in a sentence with its span; a cue inside a longer one ("set up" in "would set up") is
    not a cue of its own."""
    found = [
        (
            future_stage(text) if s in PERFORMED and FUTURE.search(text, 0, m.start()) else s,
            m.start(),
            m.end(),
        )
        for s, rx in LEXICON.stage_cues.items()
        for m in rx.finditer(text)
        # "agreed to set up", "asked them to hold": an infinitive reports no act of its own
        if not (s in PERFORMED and INFINITIVE.search(text, 0, m.start()))
    ]
    label = FIELD_LABEL.match(text)  # "Minutes issued: 26 May 2031": a form's field, no act of its own
    return [
        c
        for c in found
        if not any(o is not c and o[1] <= c[1] and c[2] <= o[2] and o[2] - o[1] > c[2] - c[1] for o in found)
        and not (label and c[2] <= label.end())
    ]


# "cooperation in counter-terrorism, intelligence sharing and border management": the fields of a cooperation
FIELD_REACH = 160  # characters before a trigger: "cooperation in" and up to four fields
FIELD_OF = re.compile(
    r"\bcooperation\s+(?:in|on)\s+(?:(?:the\s+)?[\w-]+(?:\s+[\w-]+)?,?\s+(?:and\s+)?){0,4}$", re.I
)


def stage_of(trigger: tuple[int, int], cues: list[tuple[str, int, int]], text: str) -> str | None:
    """The stage of the cue nearest the trigger, unless a demand or negation sits nearer or between them, or
    generic words (praise, "strengthen cooperation", "review") stand between them."""
    near = [(c, distance(trigger, (c[1], c[2]))) for c in cues]
    near = [(c, d) for c, d in near if d <= CUE_REACH]
    if not near or FIELD_OF.search(text, max(0, trigger[0] - FIELD_REACH), trigger[0]):
        return None  # "to enhance cooperation in counter-terrorism, intelligence sharing and ...": fields
    own = clause(text, trigger[0]), part(text, trigger[0])
    best, dist = min(
        near,
        key=lambda cd: (
            aside(text, cd[0], trigger),
            (clause(text, cd[0][1]), part(text, cd[0][1])) != own,  # "..., which will meet": another clause
            cd[1],
            -LEXICON.stages.index(cd[0][0]),
        ),
    )
    best = _main_verb(text, trigger, best, near)
    if aside(text, best, trigger) and CONDITIONAL.match(text, text.find(",", best[2]) + 1):
        return None  # "A framework for X, agreed at the highest level, would do more": a wish, not an act
    if best[0] == "announced" and (done := done_aside(text, near, trigger)) is not None:
        best, dist = done  # "the grant, signed in September, is expected to reach": signed, still to arrive
    lo, hi = min(best[1], trigger[0]), max(best[2], trigger[1])
    for m in LEXICON.not_commitment.finditer(text):
        if best[1] <= m.start() and m.end() <= best[2]:
            continue  # "jointly submitted a proposal": the word is part of the cue that reports the act
        if best[0] == "not_fulfilled" and SHELVED.fullmatch(m.group(0)):
            continue  # "a proposal for joint patrols ... has been shelved": the proposal is what lapsed
        if distance(trigger, (m.start(), m.end())) < dist or lo <= m.start() < hi:
            return None  # "asked Pakistan to set up", "there was no agreement on"
        if 0 <= best[1] - m.end() <= 1:
            return None  # "could agree", "might sign": the cue itself is hypothetical
        if m.end() <= best[1] and governs(text, m, best[1]):
            return None  # "recommended that Pakistan sign", "if the two sides were to sign": not an act
    for m in LEXICON.generic.finditer(text):
        if lo <= m.start() < hi:
            return None  # "committed to deepening our relationship in order to eliminate ..."
    return told_partner(text, best[0])


# "four patrol boats promised by China were delivered": a participle just after the thing says what it was
PARTICIPLE = re.compile(r"\s+(?:promised|pledged|offered|agreed|announced|approved|sanctioned)\b", re.I)
PASSIVE_ACT = re.compile(r"(?:was|were|has been|have been|had been)\b", re.I)
# "the SOPs agreed last month have started to be implemented": the finite verb after the participle
FINITE_BEFORE = re.compile(r"\b(?:has|have|had|is|are|was|were)\s+(?:\w+ly\s+)?$", re.I)


def _main_verb(
    text: str,
    trigger: tuple[int, int],
    best: tuple[str, int, int],
    near: list[tuple[tuple[str, int, int], int]],
) -> tuple[str, int, int]:
    """The cue of the main verb after a participle that names the thing ("the vehicles pledged last year were
    handed over on Monday": handed over, done), else the nearest cue."""
    p = PARTICIPLE.match(text, trigger[1])
    if p is None or best[1] != p.start() + len(p.group(0)) - len(p.group(0).lstrip()):
        return best
    later = [
        c
        for c, _ in near
        if c[1] > best[2]
        and c[0] in ACTED
        and (PASSIVE_ACT.match(text, c[1]) or FINITE_BEFORE.search(text, 0, c[1]))
    ]
    same = [c for c in later if clause(text, c[1]) == clause(text, best[1])]
    return min(same, key=lambda c: c[1], default=best)


ACTED = ("done", "under_way", "funded")
SHELVED = re.compile(r"proposals?|proposed", re.I)


# "recommended that X sign", "denied media reports that X had signed": what follows "that" is wished or
# denied, not done
THAT_CLAUSE = re.compile(r"(?:\s+[\w'’-]+){0,6}?\s+that\b", re.I)


def governs(text: str, word: re.Match[str], cue: int) -> bool:
    """Whether a not-commitment word governs a cue after it in its clause: a subjunctive ("recommended that
    the two sides sign"), a condition ("if they were to sign") or a wish ("it is time for them to sign")."""
    between = text[word.end() : cue]
    if "," in between or clause(text, word.start()) != clause(text, cue):
        return False
    # "if they were to sign", "it is time to sign", "has denied any plans to build": wished, denied
    return word.group(0).lower().startswith(("if", "it", "denied", "rejected", "refused")) or bool(
        THAT_CLAUSE.match(between)
    )


def clause(text: str, at: int) -> tuple[int, int]:
    """The clause of a sentence around an offset: between clause breaks ("; ", ", which", " amid")."""
    start, end = 0, len(text)
    for m in LEXICON.clause_break.finditer(text):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return start, end


# "| iii | Chinese side to deliver 20 vehicle scanners ... |": a task of a table's row told in the infinitive
ROW_TASK = re.compile(r"\bto\s+(?:be\s+)?[a-z]+\b")


def row_cues(text: str, start: int, row: str) -> list[tuple[str, int, int]]:
    """The cues of a sentence; a table row's ("| i | One company ... to be deployed at the site | IGP |")
    also the stage its table's heading tells ("ACTION POINTS (agreed by both sides)", the line above the
    table), at the task the row gives in the infinitive ("to be deployed", "to deliver")."""
    own = stage_cues(row)
    if not row.startswith("|") or (task := ROW_TASK.search(row)) is None:
        return own
    lines = text[:start].split("\n")
    heading = next((ln for ln in reversed(lines) if ln.strip() and not ln.lstrip().startswith("|")), "")
    told = stage_cues(heading)
    return [*own, (told[0][0], task.start(), task.end())] if told else own


PARTIAL = re.compile(r"\b\d[\d,]*\s+of\s+(?:the\s+)?\d[\d,]*\s+(?:[\w-]+\s+){0,2}$")
# "The first two battalions of a new wing ... were deployed", "the first of two new battalions ... passed
# out": the first units of a force raised in parts
FIRST_UNITS = re.compile(
    r"^(?:[^.;]*?\bthe\s+)?first\s+(?:of\s+)?(?:\w+\s+){0,2}?"
    r"(?:battalion|brigade|compan(?:y|ie)|contingent|platoon|squadron)s?\b",
    re.I,
)


def part_only(text: str, trigger: tuple[int, int]) -> bool:
    """Whether an act told done reaches only part of its whole: "56 of the 120 vehicles had been delivered",
    "the first two battalions of the new wing were deployed" (the rest still to come: under way)."""
    return bool(PARTIAL.search(text, 0, trigger[0]) or FIRST_UNITS.search(text, 0, trigger[1]))

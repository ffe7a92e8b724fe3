"""The vocabularies of commitments and their stage ladder, as a pure core.

Kinds and stages are the cooperation schema's codes, used unchanged in the database, the API and the pages.
A stage moves forward freely (skipping stages is allowed: the news often reports an agreement that was
never announced); a move backwards, to ``not_fulfilled`` or out of it needs a reason. Each party's
assessment of a commitment's implementation (0 not started, 1 begun, 2 largely done, 3 done) is kept per
party, the latest of each shown side by side and never averaged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    """What is promised (the cooperation schema's kinds)."""

    agreement = "agreement"
    visit_or_meeting = "visit_or_meeting"
    funding = "funding"
    capacity_equipment = "capacity_equipment"
    training = "training"
    joint_exercise = "joint_exercise"
    intelligence_sharing = "intelligence_sharing"
    security_arrangement = "security_arrangement"
    action_against_group = "action_against_group"
    other = "other"


class Stage(StrEnum):
    """How far a commitment has gone (the cooperation schema's stages, least advanced first)."""

    announced = "announced"
    pledged = "pledged"
    agreed = "agreed"
    funded = "funded"
    under_way = "under_way"
    done = "done"
    not_fulfilled = "not_fulfilled"


class Party(StrEnum):
    """The founding parties of the joint arrangement, as a commitment names them."""

    host = "host"
    partner = "partner"


KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
STAGES: tuple[str, ...] = tuple(s.value for s in Stage)
# The ladder proper: not_fulfilled stands beside it and overrides any rung.
LADDER: tuple[Stage, ...] = (
    Stage.announced,
    Stage.pledged,
    Stage.agreed,
    Stage.funded,
    Stage.under_way,
    Stage.done,
)
CLOSING: frozenset[Stage] = frozenset({Stage.done, Stage.not_fulfilled})
SCORES: dict[int, str] = {0: "not started", 1: "begun", 2: "largely done", 3: "done"}
MAX_REASON = 2000


class LadderError(ValueError):
    """A stage move the ladder refuses, with the sentence saying why."""


@dataclass(frozen=True, slots=True)
class Move:
    """One change of stage and its reason (empty for a forward move)."""

    stage_from: Stage
    stage_to: Stage
    reason: str = ""


def rank(stage: Stage) -> int | None:
    """The rung of a stage on the ladder; None for not_fulfilled."""
    return LADDER.index(stage) if stage in LADDER else None


def needs_reason(stage_from: Stage, stage_to: Stage) -> bool:
    """True for a move backwards, to not_fulfilled or out of it."""
    low, high = rank(stage_from), rank(stage_to)
    if low is None or high is None:
        return True
    return high < low


def refusal(stage_from: Stage, stage_to: Stage, reason: str) -> str | None:
    """Why the move is refused, or None when the ladder allows it."""
    if stage_from == stage_to:
        return f"the commitment is already at the stage {stage_to.value}"
    if needs_reason(stage_from, stage_to) and not reason.strip():
        return f"a move from {stage_from.value} to {stage_to.value} needs a reason"
    if len(reason) > MAX_REASON:
        return f"a reason has at most {MAX_REASON} characters"
    return None


def move(stage_from: Stage, stage_to: Stage, reason: str = "") -> Move:
    """The move, or LadderError when the ladder refuses it."""
    why = refusal(stage_from, stage_to, reason)
    if why is not None:
        raise LadderError(why)
    return Move(stage_from, stage_to, reason.strip())


def replay(start: Stage, moves: Iterable[Move]) -> Stage:
    """The stage reached from ``start`` through a history of moves; LadderError if one does not follow."""
    stage = start
    for m in moves:
        if m.stage_from != stage:
            raise LadderError(f"a move from {m.stage_from.value} follows the stage {stage.value}")
        move(m.stage_from, m.stage_to, m.reason)
        stage = m.stage_to
    return stage


def closes(stage: Stage) -> bool:
    """A commitment done or not fulfilled is closed; any other stage keeps it open."""
    return stage in CLOSING


@dataclass(frozen=True, slots=True)
class Assessed:
    """One party's assessment as the side-by-side view needs it."""

    id: int
    party: Party
    score: int
    note: str
    at: datetime


def latest_by_party(assessments: Iterable[Assessed]) -> dict[Party, Assessed]:
    """Each party's latest assessment (by time, then by order of recording); parties never mix."""
    latest: dict[Party, Assessed] = {}
    for a in assessments:
        held = latest.get(a.party)
        if held is None or (a.at, a.id) > (held.at, held.id):
            latest[a.party] = a
    return latest


def disagree(latest: dict[Party, Assessed]) -> bool:
    """True when both parties assessed and their latest scores differ."""
    host, partner = latest.get(Party.host), latest.get(Party.partner)
    return host is not None and partner is not None and host.score != partner.score


def valid_score(score: int) -> bool:
    """Scores run from 0 (not started) to 3 (done)."""
    return score in SCORES

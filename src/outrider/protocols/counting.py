"""Which stored evaluations count: the movement as planned and as executed, not previews or refused clicks.

Values in, values out. Every check is stored (the evidence), but the compliance figures count, per
movement, protocol and phase, the evaluation of record: the last one at the approval that let the plan
through, the last one at the departure that let the convoy leave, the one at arrival. A retrospective
review (a protocol agreed after the movement moved) stands in for a phase no gate checked. Previews
(manual checks) and refusals (an approval, clearance or departure the gate refused) are counted apart:
a refused click is the gate working, not the movement failing the protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from outrider.protocols.report import EvaluationRecord, Refusal

# The transitions whose refusal is a refused click, and the trigger of record of each phase.
GATED = frozenset({"approve", "clear", "depart"})
RECORD_TRIGGER = {"plan": "approve", "departure": "depart", "execution": "arrive"}
PREVIEW = "manual"
REVIEW = "review"


def refused(rec: EvaluationRecord) -> bool:
    """The gate refused this transition: a failed blocking rule no waiver or override let through."""
    return rec.trigger in GATED and bool(set(rec.blocking) - set(rec.waived) - set(rec.overridden))


@dataclass(frozen=True, slots=True)
class Selection:
    """The evaluations of record, and what was left out, counted by why."""

    records: tuple[EvaluationRecord, ...]
    previews: int
    refusals: tuple[Refusal, ...]
    superseded: int
    stored: int


def of_record(evaluations: Iterable[EvaluationRecord]) -> Selection:
    """Pick the evaluations of record among those stored; count previews, refusals and the rest apart."""
    items = sorted(evaluations, key=lambda r: (r.at, r.evaluation_id))
    gated: dict[tuple[int, str, str], EvaluationRecord] = {}
    reviews: dict[tuple[int, str, str], EvaluationRecord] = {}
    previews = 0
    refusals: list[Refusal] = []
    for rec in items:
        if rec.trigger == PREVIEW:
            previews += 1
        elif refused(rec):
            refusals.append(
                Refusal(
                    evaluation_id=rec.evaluation_id,
                    at=rec.at,
                    movement_id=rec.movement_id,
                    movement_reference=rec.movement_reference,
                    protocol_id=rec.protocol_id,
                    trigger=rec.trigger,
                    rules=tuple(sorted(set(rec.blocking) - set(rec.waived) - set(rec.overridden))),
                )
            )
        elif rec.trigger == RECORD_TRIGGER.get(rec.phase):
            gated[(rec.movement_id, rec.protocol_id, rec.phase)] = rec
        elif rec.trigger == REVIEW:
            reviews[(rec.movement_id, rec.protocol_id, rec.phase)] = rec
    chosen = sorted({**reviews, **gated}.values(), key=lambda r: (r.at, r.evaluation_id))
    return Selection(
        records=tuple(chosen),
        previews=previews,
        refusals=tuple(refusals),
        superseded=len(items) - previews - len(refusals) - len(chosen),
        stored=len(items),
    )

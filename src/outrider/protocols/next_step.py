"""What blocks a movement's next step and who can clear it: the approval gate previewed, nothing stored.

The movement page shows it before anyone clicks "approve" (and again after a refused click): the plan
rules evaluated on the facts of this moment, as the gate would at approval, each blocking rule with the
steps that clear it (assign an escort unit, request a joint waiver, amend the plan), who may take each
step, and whether the caller may. No evaluation is stored, so a preview never counts in the compliance
figures (the departure gate's preview is `departure.departure_check`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.errors import RuleViolation
from outrider.movements import gates, lifecycle, need_to_know
from outrider.movements import service as movements_service
from outrider.movements.lifecycle import Op, Operation, Party, Status
from outrider.movements.models import Movement
from outrider.movements.service import current_arrangement
from outrider.protocols import service
from outrider.protocols.deciding import decide
from outrider.protocols.engine import RuleResult
from outrider.protocols.movement_facts import movement_facts, risk_for
from outrider.protocols.schemas import WaiverRead

# The facts an escort unit changes: a rule that failed reading one of them is cleared by an escort.
ESCORT_FACTS = frozenset({"escort_units", "escort_vehicles"})
# Statuses whose next gated step is the approval (a draft's, once submitted).
BEFORE_APPROVAL = (Status.draft, Status.submitted)
ESCORT_STATUSES = (Status.submitted, Status.approved)

RemedyKind = Literal["escort", "waiver", "amend"]


class Remedy(BaseModel):
    """One step that clears a blocking rule, who may take it, and whether the caller may now."""

    kind: RemedyKind
    who: list[str]  # organisation kinds whose users take the step (the movement's own for "amend")
    roles: list[str]  # the roles among them that may
    may: bool  # the caller may take this step now (the access policy's answer)
    later: bool = False  # possible only once the movement has been submitted


class StepBlock(BaseModel):
    """A blocking rule the next step would fail, and what clears it."""

    rule_id: str
    title: str
    protocol_id: str
    message: str
    waiver_problems: list[str]
    remedies: list[Remedy]


class NextStep(BaseModel):
    """The approval gate's decision if the movement were approved now (nothing stored)."""

    movement_id: int
    transition: Literal["approve", "none"]
    checked: bool  # a protocol in force has plan rules for this movement's day
    allowed: bool
    blocking: list[StepBlock]
    warnings: list[str]
    waived: list[str]


def _failed(results: tuple[RuleResult, ...], rule_id: str) -> RuleResult | None:
    return next((r for r in results if r.rule_id == rule_id), None)


def _remedies(session: Session, caller: Caller, movement: Movement, read: set[str]) -> list[Remedy]:
    _, arrangement = current_arrangement(session)
    status = Status(movement.status)
    out: list[Remedy] = []
    if read & ESCORT_FACTS:
        assigners = list(arrangement.escort_assigners)
        may = (
            policy.may_assign_escort(caller, assigner_kinds=frozenset(assigners))
            and gates.refusal_to_speak_for(
                session, caller=caller, org_kind=caller.org_kind, country=caller.country
            )
            is None
        )
        out.append(
            Remedy(
                kind="escort",
                who=assigners,
                roles=sorted(policy.ESCORT_ROLES),
                may=may and status in ESCORT_STATUSES,
                later=status not in ESCORT_STATUSES,
            )
        )
    planner = policy.may_plan(caller, requesting_org_id=movement.organization_id)
    out.append(
        Remedy(
            kind="waiver",
            who=["host_security", "partner_government", "company"],
            roles=sorted(policy.PLANNERS | policy.ESCORT_ROLES | {"liaison"}),
            may=policy.may_request_waiver(caller, requesting_org_id=movement.organization_id),
        )
    )
    if not read & ESCORT_FACTS:
        out.append(Remedy(kind="amend", who=["planners"], roles=sorted(policy.PLANNERS), may=planner))
    return out


def preview_approval(session: Session, *, caller: Caller, movement_id: int, now: datetime) -> NextStep:
    """What the approval gate would decide now and what clears each block (for who may see the movement)."""
    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    empty = NextStep(
        movement_id=movement.id,
        transition="none",
        checked=False,
        allowed=True,
        blocking=[],
        warnings=[],
        waived=[],
    )
    if Status(movement.status) not in BEFORE_APPROVAL:
        return empty
    versions = service.effective_versions(session, movements_service.local_day(movement))
    if not versions:
        return empty.model_copy(update={"transition": "approve"})
    level, score, _ = risk_for(session, movement, "plan", now)
    facts = movement_facts(session, movement, risk_level=level, risk_score=score, now=now)
    variables, open_ids = facts.to_variables(), [a.id for a in facts.open_alerts]
    # Messages may quote the itinerary's facts: only its need-to-know list reads them.
    evidence = need_to_know.decide(session, caller, movement, now=now).allowed
    blocks: list[StepBlock] = []
    warnings: list[str] = []
    waived: list[str] = []
    for version in versions:
        decided = decide(session, movement, version, variables, "plan", open_alert_ids=open_ids, now=now)
        compiled, result, decision = decided.compiled, decided.result, decided.decision
        titles = {r.id: r.title for r in compiled.document.rules}
        for rule_id in decision.blocking:
            found = _failed(result.results, rule_id)
            read = {name for name, _ in found.facts_read} if found is not None else set()
            blocks.append(
                StepBlock(
                    rule_id=rule_id,
                    title=titles.get(rule_id, rule_id),
                    protocol_id=version.protocol_id,
                    message=found.message if found is not None and evidence else "",
                    waiver_problems=list(decision.waiver_problems.get(rule_id, ())),
                    remedies=_remedies(session, caller, movement, read),
                )
            )
        warnings += [w for w in decision.warnings if w not in warnings]
        waived += [w for w in decision.waived if w not in waived]
    return NextStep(
        movement_id=movement.id,
        transition="approve",
        checked=True,
        allowed=not blocks,
        blocking=blocks,
        warnings=warnings,
        waived=waived,
    )


class WaiverActions(BaseModel):
    """What the caller may do with one waiver of the movement (the services decide the same way)."""

    approve: bool  # approve for a party whose approval it still awaits
    withdraw: bool  # withdraw it (any party's approvers, or the movement's planners)


def waiver_actions(
    session: Session, *, caller: Caller, requesting_org_id: int, rows: list[WaiverRead]
) -> dict[int, WaiverActions]:
    """For each waiver of a movement (of this requesting organisation), whether the caller may approve it
    for their party and whether withdraw it."""
    planner = policy.may_plan(caller, requesting_org_id=requesting_org_id)
    out: dict[int, WaiverActions] = {}
    for w in rows:
        orgs = service.party_orgs(service.get_version(session, w.protocol_id, w.protocol_version))
        approver = any(policy.may_approve_waiver(caller, party_org_id=o) for o in orgs.values())
        awaited = any(
            policy.may_approve_waiver(caller, party_org_id=orgs[p]) for p in w.awaiting if p in orgs
        )
        out[w.id] = WaiverActions(approve=awaited, withdraw=approver or planner)
    return out


def decision_awaited(session: Session, *, caller: Caller, movement_id: int) -> bool:
    """True when the caller may decide (approve, reject, request changes) for their party now: the
    lifecycle would take their party's approval (a required party that has not approved this version, not
    the requesting organisation approving itself unless the arrangement allows it) and governance lets
    them speak for it. The protocol gate is not asked: the next step shows what it would refuse."""
    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    party = policy.approving_party(caller)
    if party is None or gates.refusal_to_speak_for(
        session, caller=caller, org_kind=party[0], country=party[1]
    ):
        return False
    _, arrangement = current_arrangement(session)
    state = movements_service.state_of(session, movement, arrangement)
    approval = Operation(Op.approve, party=Party(*party), actor_org_id=caller.organization_id)
    try:
        lifecycle.apply(state, approval)
    except RuleViolation:
        return False
    return True

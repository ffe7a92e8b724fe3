"""The movement lifecycle as a pure state machine: a state and an operation in, a new state out."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from outrider.errors import RuleViolation


class Status(StrEnum):
    """Where a movement is in its life."""

    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    under_way = "under_way"
    arrived = "arrived"
    cancelled = "cancelled"
    rejected = "rejected"
    overdue = "overdue"
    incident = "incident"


TERMINAL = frozenset({Status.arrived, Status.cancelled, Status.rejected})
"""Ended: arrived, cancelled or rejected; nothing more happens to the movement."""
ON_THE_ROAD = frozenset({Status.under_way, Status.overdue, Status.incident})
"""Departed and not arrived: under way, overdue or in an incident (check-ins and arrival are taken)."""
PLANNING = frozenset({Status.draft, Status.submitted, Status.approved})
"""Not yet departed: still a plan (draft, submitted) or approved to go."""
UNDER_WAY = frozenset({Status.under_way, Status.overdue})
"""On the road with no incident declared: under way or overdue (the overdue job watches these)."""
LIVE = frozenset({Status.approved}) | UNDER_WAY
"""Approved to go or under way without an incident: the movements cordon watches for and waivers cover."""
PLANNED_OR_LIVE = frozenset({Status.draft, Status.submitted}) | LIVE
"""Not ended and without an incident: the movements whose route risk is kept current."""


@dataclass(frozen=True, slots=True, order=True)
class Party:
    """A party whose approval the arrangement requires: an organisation kind, and a country for partners."""

    org_kind: str
    country: str | None = None

    def label(self) -> str:
        """Human name of the party, e.g. ``partner_government (CN)``."""
        return f"{self.org_kind} ({self.country})" if self.country else self.org_kind


@dataclass(frozen=True, slots=True)
class MovementState:
    """Everything the lifecycle needs to decide; nothing else."""

    status: Status = Status.draft
    requesting_org_id: int = 0
    required: frozenset[Party] = frozenset()
    approvals: frozenset[Party] = frozenset()
    escort_required: bool = True
    escort_assigned: bool = False
    allow_self_approval: bool = False
    plan_version: int = 1
    approved_version: int | None = None


class Op(StrEnum):
    """Operations on a movement."""

    submit = "submit"
    approve = "approve"
    reject = "reject"
    request_changes = "request_changes"
    amend = "amend"
    assign_escort = "assign_escort"
    depart = "depart"
    checkin = "checkin"
    mark_overdue = "mark_overdue"
    duress = "duress"
    report_incident = "report_incident"
    arrive = "arrive"
    cancel = "cancel"


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation with who does it (for approvals) and what it carries."""

    op: Op
    party: Party | None = None
    actor_org_id: int | None = None
    escort_assigned: bool = True
    extra: dict[str, str] = field(default_factory=dict)


_ALLOWED_FROM: dict[Op, frozenset[Status]] = {
    Op.submit: frozenset({Status.draft}),
    Op.approve: frozenset({Status.submitted}),
    Op.reject: frozenset({Status.submitted}),
    Op.request_changes: frozenset({Status.submitted, Status.approved}),
    Op.amend: PLANNING,
    Op.assign_escort: PLANNING | UNDER_WAY,
    Op.depart: frozenset({Status.approved}),
    Op.checkin: ON_THE_ROAD,
    Op.mark_overdue: frozenset({Status.under_way}),
    Op.duress: ON_THE_ROAD,
    Op.report_incident: ON_THE_ROAD,
    Op.arrive: ON_THE_ROAD,
    Op.cancel: PLANNING,
}


def allowed_ops(state: MovementState) -> list[Op]:
    """The operations whose status precondition holds (guards may still refuse them)."""
    return [op for op, sources in _ALLOWED_FROM.items() if state.status in sources]


def apply(state: MovementState, operation: Operation) -> MovementState:
    """The state after ``operation``; RuleViolation with a precise reason when it is not allowed."""
    op = operation.op
    if state.status not in _ALLOWED_FROM[op]:
        raise RuleViolation(f"cannot {op.value.replace('_', ' ')} a movement that is {state.status.value}")
    handler = _HANDLERS[op]
    return handler(state, operation)


def _submit(state: MovementState, _o: Operation) -> MovementState:
    if not state.required:
        raise RuleViolation(
            "the arrangement names no approving party for this movement; it cannot be submitted"
        )
    return replace(state, status=Status.submitted, approvals=frozenset(), approved_version=None)


def _check_party(state: MovementState, o: Operation, verb: str) -> Party:
    if o.party is None:
        raise RuleViolation(f"{verb} needs the approving party")
    if o.party not in state.required:
        needed = ", ".join(p.label() for p in sorted(state.required))
        raise RuleViolation(
            f"{o.party.label()} is not an approving party of this movement (needed: {needed})"
        )
    if (
        not state.allow_self_approval
        and o.actor_org_id is not None
        and o.actor_org_id == state.requesting_org_id
    ):
        raise RuleViolation("the arrangement does not let an organisation approve its own request")
    return o.party


def _approve(state: MovementState, o: Operation) -> MovementState:
    party = _check_party(state, o, "an approval")
    if party in state.approvals:
        raise RuleViolation(f"{party.label()} has already approved this version of the plan")
    approvals = state.approvals | {party}
    if approvals >= state.required:
        return replace(
            state, approvals=approvals, status=Status.approved, approved_version=state.plan_version
        )
    return replace(state, approvals=approvals)


def _reject(state: MovementState, o: Operation) -> MovementState:
    _check_party(state, o, "a rejection")
    return replace(state, status=Status.rejected, approved_version=None)


def _request_changes(state: MovementState, o: Operation) -> MovementState:
    _check_party(state, o, "a request for changes")
    return replace(state, status=Status.draft, approvals=frozenset(), approved_version=None)


def _amend(state: MovementState, _o: Operation) -> MovementState:
    # Any change to the plan voids the approvals given so far: the parties approved another plan.
    status = Status.draft if state.status is Status.draft else Status.submitted
    return replace(
        state,
        status=status,
        plan_version=state.plan_version + 1,
        approvals=frozenset(),
        approved_version=None,
    )


def _assign_escort(state: MovementState, o: Operation) -> MovementState:
    return replace(state, escort_assigned=o.escort_assigned)


def _depart(state: MovementState, _o: Operation) -> MovementState:
    missing = state.required - state.approvals
    if missing:
        raise RuleViolation("approvals missing from " + ", ".join(p.label() for p in sorted(missing)))
    if state.approved_version != state.plan_version:
        raise RuleViolation("the plan changed after approval; it must be approved again")
    if state.escort_required and not state.escort_assigned:
        raise RuleViolation("the arrangement requires an escort unit to be assigned before departure")
    return replace(state, status=Status.under_way)


def _checkin(state: MovementState, _o: Operation) -> MovementState:
    # A check-in from an overdue movement brings it back under way; an incident stays an incident.
    return replace(state, status=Status.under_way) if state.status is Status.overdue else state


def _mark_overdue(state: MovementState, _o: Operation) -> MovementState:
    return replace(state, status=Status.overdue)


def _incident(state: MovementState, _o: Operation) -> MovementState:
    return replace(state, status=Status.incident)


def _arrive(state: MovementState, _o: Operation) -> MovementState:
    return replace(state, status=Status.arrived)


def _cancel(state: MovementState, _o: Operation) -> MovementState:
    return replace(state, status=Status.cancelled)


_HANDLERS = {
    Op.submit: _submit,
    Op.approve: _approve,
    Op.reject: _reject,
    Op.request_changes: _request_changes,
    Op.amend: _amend,
    Op.assign_escort: _assign_escort,
    Op.depart: _depart,
    Op.checkin: _checkin,
    Op.mark_overdue: _mark_overdue,
    Op.duress: _incident,
    Op.report_incident: _incident,
    Op.arrive: _arrive,
    Op.cancel: _cancel,
}

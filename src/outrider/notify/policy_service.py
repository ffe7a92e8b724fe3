"""Escalation policies: versioned records an organisation's administrators write (a new version supersedes
the one before; alerts in flight keep the plan frozen when they fired), read by its coordinators and duty
officers. The joint default (no organisation) comes from the arrangement and is read-only here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.notify import policies
from outrider.notify.directory_models import EscalationPolicy, Roster
from outrider.notify.directory_schemas import PolicyCreate

JOINT_DEFAULT = "joint arrangement"


def _audit(session: Session, actor: audit_service.Principal, row: EscalationPolicy, now: datetime) -> None:
    audit_service.record(
        session,
        actor=actor,
        action="notify.policy.create",
        object_type="escalation_policy",
        object_id=row.id,
        details={
            "organization_id": row.organization_id,
            "name": row.name,
            "version": row.version,
            "kinds": row.kinds,
            "min_severity": row.min_severity,
            "steps": row.steps,
            "repeat": row.repeat,
        },
        now=now,
    )


def _check_references(session: Session, organization_id: int, steps: Sequence[dict[str, Any]]) -> None:
    """Every roster a step names is one of the organisation's, every user named one of its active users."""
    names = set(session.scalars(select(Roster.name).where(Roster.organization_id == organization_id)))
    named = [int(t["user_id"]) for s in steps for t in s["targets"] if "user_id" in t]
    users = set(
        session.scalars(
            select(User.id).where(
                User.id.in_(named or [0]), User.organization_id == organization_id, User.is_active.is_(True)
            )
        )
    )
    problems: list[dict[str, Any]] = []
    for i, step in enumerate(steps):
        for j, target in enumerate(step["targets"]):
            loc = ["steps", i, "targets", j]
            if "roster" in target and target["roster"] not in names:
                problems.append(
                    {"loc": [*loc, "roster"], "msg": "no roster of the organisation by this name"}
                )
            if "user_id" in target and int(target["user_id"]) not in users:
                problems.append({"loc": [*loc, "user_id"], "msg": "not an active user of the organisation"})
    if problems:
        raise InvalidInput("the escalation policy is invalid", errors=problems)


def _kinds(kinds: Iterable[str]) -> list[str]:
    out = sorted({k.strip() for k in kinds})
    if any(not k or len(k) > 64 or not k.isprintable() for k in out):
        raise InvalidInput(
            "bad kinds", errors=[{"loc": ["kinds"], "msg": "alert kinds of 1 to 64 characters"}]
        )
    return out


def _store(
    session: Session,
    *,
    organization_id: int | None,
    name: str,
    kinds: list[str],
    min_severity: str,
    steps: list[dict[str, Any]],
    repeat: int,
    created_by: int | None,
    now: datetime,
) -> EscalationPolicy:
    same = (EscalationPolicy.name == name,) + (
        (EscalationPolicy.organization_id.is_(None),)
        if organization_id is None
        else (EscalationPolicy.organization_id == organization_id,)
    )
    version = int(session.scalar(select(func.max(EscalationPolicy.version)).where(*same)) or 0) + 1
    row = EscalationPolicy(
        organization_id=organization_id,
        name=name,
        version=version,
        kinds=kinds,
        min_severity=min_severity,
        steps=steps,
        repeat=repeat,
        active=True,
        created_by=created_by,
        created_at=now,
    )
    session.add(row)
    session.flush()
    for old in session.scalars(select(EscalationPolicy).where(*same, EscalationPolicy.id != row.id)):
        if old.active:
            old.active, old.superseded_by = False, row.id
    session.flush()
    return row


def create(session: Session, *, caller: Caller, data: PolicyCreate, now: datetime) -> EscalationPolicy:
    """A new policy of the organisation, or the next version of its policy of the same name."""
    org = data.organization_id or caller.organization_id
    if not policy.may_manage_call_policies(caller, organization_id=org):
        raise Forbidden("an organisation's administrators write its escalation policies")
    steps = policies.validate(data.steps, data.repeat)
    _check_references(session, org, steps)
    row = _store(
        session,
        organization_id=org,
        name=data.name.strip(),
        kinds=_kinds(data.kinds),
        min_severity=data.min_severity.value,
        steps=steps,
        repeat=data.repeat,
        created_by=caller.user_id,
        now=now,
    )
    _audit(session, caller, row, now)
    return row


def deactivate(session: Session, *, caller: Caller, policy_id: int, now: datetime) -> EscalationPolicy:
    """Stop applying a policy of the organisation (its alerts fall back to the next match or the joint
    default; alerts in flight keep their plans)."""
    row = get(session, caller=caller, policy_id=policy_id)
    if not policy.may_manage_call_policies(caller, organization_id=row.organization_id):
        raise Forbidden(
            "an organisation's administrators write its escalation policies; the joint default "
            "changes with the arrangement"
        )
    if not row.active:
        raise Conflict(f"escalation policy {row.id} is not in force")
    row.active = False
    session.flush()
    audit_service.record(
        session,
        actor=caller,
        action="notify.policy.deactivate",
        object_type="escalation_policy",
        object_id=row.id,
        details={"organization_id": row.organization_id, "name": row.name, "version": row.version},
        now=now,
    )
    return row


def install_joint_default(
    session: Session, *, escalation: Iterable[tuple[int, Sequence[str]]], now: datetime
) -> EscalationPolicy:
    """The joint default policy from the arrangement's escalation (a new version when it changed)."""
    steps = policies.validate(policies.from_arrangement(escalation), 0)
    current = session.scalar(
        select(EscalationPolicy).where(
            EscalationPolicy.organization_id.is_(None), EscalationPolicy.active.is_(True)
        )
    )
    if current is not None and current.steps == steps:
        return current
    row = _store(
        session,
        organization_id=None,
        name=JOINT_DEFAULT,
        kinds=[],
        min_severity="info",
        steps=steps,
        repeat=0,
        created_by=None,
        now=now,
    )
    _audit(session, audit_service.JOB, row, now)
    return row


def get(session: Session, *, caller: Caller, policy_id: int) -> EscalationPolicy:
    """One policy version the caller may read (another organisation's answers 404, as a missing one)."""
    row = session.get(EscalationPolicy, policy_id)
    if row is None or not policy.may_read_call_directory(caller, organization_id=row.organization_id):
        raise NotFound(f"escalation policy {policy_id} not found")
    return row


def list_for(session: Session, *, caller: Caller, all_versions: bool = False) -> list[EscalationPolicy]:
    """The policies the caller may read: the organisation's (with the readers' roles) and the joint default;
    the versions in force unless ``all_versions``."""
    if not policy.may_read_alerts(caller) and not policy.may_read_call_directory(
        caller, organization_id=caller.organization_id
    ):
        raise Forbidden(policy.needs_roles(policy.ALERT_READERS))
    scope: list[ColumnElement[bool]] = [EscalationPolicy.organization_id.is_(None)]
    if policy.may_read_call_directory(caller, organization_id=caller.organization_id):
        scope.append(EscalationPolicy.organization_id == caller.organization_id)
    stmt = select(EscalationPolicy).where(or_(*scope))
    if not all_versions:
        stmt = stmt.where(EscalationPolicy.active.is_(True))
    return list(session.scalars(stmt.order_by(EscalationPolicy.organization_id, EscalationPolicy.id)))


def candidates(session: Session, organization_id: int | None) -> list[policies.Candidate]:
    """The active policies that may apply to an alert of this organisation (its own and the joint default)."""
    scope: list[ColumnElement[bool]] = [EscalationPolicy.organization_id.is_(None)]
    if organization_id is not None:
        scope.append(EscalationPolicy.organization_id == organization_id)
    stmt = select(EscalationPolicy).where(EscalationPolicy.active.is_(True), or_(*scope))
    return [
        policies.Candidate(p.id, p.organization_id, tuple(p.kinds or ()), p.min_severity)
        for p in session.scalars(stmt.order_by(EscalationPolicy.id))
    ]

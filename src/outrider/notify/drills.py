"""Drills: an Exercise alert sent through an organisation's escalation policy by the normal path (the plan
is frozen and people are called as for a real alert), and the report of who the plan called, when each was
sent the call, who acknowledged and when, and who never did.

A drill's alert is of kind ``drill`` about a ``drill`` subject (never a movement or a place: no protocol
counts it) with ``details.exercise`` true (CAP status Exercise) and EXERCISE in its title.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import uuid4

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts.models import Organization, User
from outrider.alerts import service as alerts_service
from outrider.alerts.models import Alert, AlertNote
from outrider.alerts.schemas import Severity
from outrider.audit import service as audit_service
from outrider.errors import Forbidden, InvalidInput, NotFound
from outrider.notify.directory_models import EscalationPolicy
from outrider.notify.models import AlertPlan, Notification

DRILL = "drill"


class CalledPerson(BaseModel):
    """One person of a drill: when the plan called them, when a call was sent, whether they acknowledged."""

    user_id: int
    name: str
    steps: list[int]  # the plan's steps that name them (empty: not in the plan, acknowledged on a page)
    first_sent_at: datetime | None  # the first call that went out to them (None: none went out)
    calls: int  # notifications written for them
    acknowledged_at: datetime | None  # their first acknowledgement


class DrillReport(BaseModel):
    """Who a drill reached and who answered."""

    alert_id: int
    title: str
    organization_id: int | None
    started_at: datetime
    policy_id: int | None
    policy_version: int | None
    resolved_at: datetime | None
    people: list[CalledPerson]
    acknowledged: list[str]  # names, in the order they acknowledged
    never_acknowledged: list[str]  # names of those called (a call went out) who never acknowledged


def start(
    session: Session,
    *,
    caller: Caller,
    organization_id: int,
    severity: Severity = Severity.high,
    policy_id: int | None = None,
    now: datetime,
) -> Alert:
    """Raise an Exercise alert for an organisation (its administrators and duty officers; audited)."""
    org = session.get(Organization, organization_id)
    if org is None:
        raise NotFound(f"organisation {organization_id} not found")
    if not policy.may_run_drill(caller, organization_id=org.id):
        raise Forbidden("a drill is run by the organisation's administrators and duty officers")
    if policy_id is not None:
        _check_policy(session, policy_id, org.id)
    details: dict[str, Any] = {"exercise": True, "started_by": caller.user_id}
    if policy_id is not None:
        details["policy_id"] = policy_id
    alert, _new = alerts_service.raise_alert(
        session,
        kind=DRILL,
        severity=severity,
        subject_type=DRILL,
        subject_id=f"{org.id}:{now.strftime('%Y%m%dT%H%M%S')}:{uuid4().hex[:8]}",  # each drill its own alert
        title=f"EXERCISE: drill of the alert chain of {org.name}"[:300],
        details=details,
        organization_id=org.id,
        now=now,
    )
    audit_service.record(
        session,
        actor=caller,
        action="alert.drill",
        object_type="alert",
        object_id=alert.id,
        details={"organization_id": org.id, "severity": severity.value, "policy_id": policy_id},
        now=now,
    )
    return alert


def _check_policy(session: Session, policy_id: int, organization_id: int) -> None:
    found = session.get(EscalationPolicy, policy_id)
    if found is None or not found.active or found.organization_id not in (None, organization_id):
        msg = f"no active escalation policy {policy_id} of this organisation or the joint default"
        raise InvalidInput(msg, errors=[{"loc": ["policy_id"], "msg": msg}])


def report(session: Session, *, caller: Caller, alert_id: int) -> DrillReport:
    """Who a drill's plan called, when, who acknowledged and when, who never did (its readers who may
    take charge of alerts)."""
    alert = alerts_service.get_alert(session, caller=caller, alert_id=alert_id)
    if not policy.may_acknowledge_alerts(caller):
        raise Forbidden(policy.needs_roles(policy.ALERT_ACKERS))
    if alert.kind != DRILL:
        msg = f"alert {alert.id} is not a drill"
        raise InvalidInput(msg, errors=[{"loc": ["alert_id"], "msg": msg}])
    plan = session.get(AlertPlan, alert.id)
    steps = planned_steps(plan)
    calls = _calls(session, alert.id)
    acks = acknowledgements(session, alert.id)
    ids = sorted(set(steps) | set(calls) | set(acks))
    names = _names(session, ids)
    people = [
        CalledPerson(
            user_id=u,
            name=names.get(u, f"user {u}"),
            steps=steps.get(u, []),
            first_sent_at=min((s for s in calls.get(u, []) if s is not None), default=None),
            calls=len(calls.get(u, [])),
            acknowledged_at=acks.get(u),
        )
        for u in ids
    ]
    return DrillReport(
        alert_id=alert.id,
        title=alert.title,
        organization_id=alert.organization_id,
        started_at=alert.created_at,
        policy_id=plan.policy_id if plan else None,
        policy_version=plan.policy_version if plan else None,
        resolved_at=alert.resolved_at,
        people=people,
        acknowledged=[names.get(u, f"user {u}") for u in sorted(acks, key=lambda u: acks[u])],
        never_acknowledged=[
            p.name for p in people if p.first_sent_at is not None and p.acknowledged_at is None
        ],
    )


def planned_steps(plan: AlertPlan | None) -> dict[int, list[int]]:
    """The people a frozen plan names, with the steps that name them."""
    found: dict[int, list[int]] = defaultdict(list)
    for step in (plan.steps if plan else None) or []:
        for target in step.get("targets") or []:
            user = target.get("user_id") if isinstance(target, dict) else None
            if isinstance(user, int) and step.get("step") not in found[user]:
                found[user].append(int(step.get("step") or 0))
    return dict(found)


def _calls(session: Session, alert_id: int) -> dict[int, list[datetime | None]]:
    """When each person's notifications of the alert went out (None: not sent yet, or never)."""
    rows = session.execute(
        select(Notification.user_id, Notification.sent_at).where(
            Notification.alert_id == alert_id, Notification.user_id.is_not(None)
        )
    )
    found: dict[int, list[datetime | None]] = defaultdict(list)
    for user_id, sent_at in rows:
        if user_id is not None:
            found[user_id].append(sent_at)
    return dict(found)


def acknowledgements(session: Session, alert_id: int) -> dict[int, datetime]:
    """Each person's first acknowledgement of the alert (a lapsed one counts: they did answer)."""
    rows = session.execute(
        select(AlertNote.user_id, AlertNote.at)
        .where(
            AlertNote.alert_id == alert_id, AlertNote.kind == "acknowledged", AlertNote.user_id.is_not(None)
        )
        .order_by(AlertNote.at, AlertNote.id)
    )
    found: dict[int, datetime] = {}
    for user_id, at in rows:
        if user_id is not None:
            found.setdefault(user_id, at)
    return found


def _names(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.full_name, User.username).where(User.id.in_(ids)))
    return {uid: full or username for uid, full, username in rows}

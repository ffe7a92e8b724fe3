"""An alert's call plan: frozen when it fires, walked by the clock.

When an alert is raised, the policy that applies to it (`policies.choose`) is resolved against the rosters,
roles and users at that instant and stored with the alert (`AlertPlan`): editing the policy later changes no
escalation in flight, and the audit (``alert.plan``) names who was due to be called when. The escalation
tick enqueues each step whose time has come for every open, unacknowledged alert with a plan (to each
target's verified contact points on the step's channels, and to the owner organisation's webhooks), raises
the alert's level to the step's number, and repeats the round as the policy says. An expired
acknowledgement or a reopening calls again from the next round. A refreshed alert calls nobody again; the
person an alert is assigned to is told so.

Whom roles reach: for an organisation's policy, its own users; for the joint default, the users of the
alert's owner and of host security. A step naming the role ``liaison`` also reaches, for an alert about a
movement, the liaisons of the partner governments in the alert's audience. Only users who may read the
alert are ever called, and never those its details name ``silent_to`` (who gave a silent duress signal).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts.models import Organization, User
from outrider.alerts import listeners, views
from outrider.alerts import service as alerts_service
from outrider.alerts.models import Alert, AlertNote
from outrider.audit import service as audit_service
from outrider.notify import contacts, endpoints, outbox, policies, policy_service, roster_service
from outrider.notify.directory_models import EscalationPolicy
from outrider.notify.models import AlertPlan

LISTENER = "notify"


def register() -> None:
    """Hear of every alert's life (the composition root calls this)."""
    listeners.register(LISTENER, on_alert)


def on_alert(session: Session, alert: Alert, event: str, now: datetime) -> None:
    """Freeze a plan when an alert is raised; call again when an acknowledgement lapsed or it reopened."""
    if event == "raised":
        freeze(session, alert, now=now)
    elif event == "assigned":
        tell_assignee(session, alert, now=now)
    elif event in ("ack_expired", "reopened"):
        plan = session.get(AlertPlan, alert.id)
        if plan is not None:
            restart(session, alert, plan, now=now)


def tell_assignee(session: Session, alert: Alert, *, now: datetime) -> int:
    """Tell the person an alert was given to, on their verified e-mail and phone (each assignment once)."""
    if alert.assigned_to is None or alert.assigned_to in views.silent_to(alert):
        return 0
    nth = session.scalar(
        select(func.count())
        .select_from(AlertNote)
        .where(AlertNote.alert_id == alert.id, AlertNote.kind == "assigned")
    )
    written = 0
    for channel, address in contacts.verified(session, [alert.assigned_to]).get(alert.assigned_to, []):
        row = outbox.enqueue(
            session,
            purpose="assigned",
            channel=channel,
            address=address,
            target=outbox.user_target(alert.assigned_to),
            now=now,
            alert_id=alert.id,
            step=int(nth or 1),
            user_id=alert.assigned_to,
            organization_id=alert.organization_id,
        )
        written += row is not None
    return written


def _reach(session: Session, alert: Alert, row: EscalationPolicy) -> set[int]:
    if row.organization_id is not None:
        return {row.organization_id}
    hosts = set(session.scalars(select(Organization.id).where(Organization.kind == "host_security")))
    return hosts | ({alert.organization_id} if alert.organization_id is not None else set())


def _readers(
    session: Session, alert: Alert, organization_ids: Collection[int], audience: frozenset[int]
) -> list[User]:
    """The active users of these organisations who may read the alert."""
    if not organization_ids:
        return []
    stmt = select(User).where(User.organization_id.in_(sorted(organization_ids)), User.is_active.is_(True))
    out: list[User] = []
    for user in session.scalars(stmt.order_by(User.id)):
        caller = Caller(
            user_id=user.id,
            organization_id=user.organization_id,
            org_kind=user.organization.kind,
            country=user.organization.country,
            roles=frozenset(user.roles),
        )
        if policy.may_read_alert(caller, organization_id=alert.organization_id, audience=audience):
            out.append(user)
    return out


def _names(steps: list[dict[str, Any]], key: str) -> set[str]:
    """The rosters (``key`` "roster") or roles ("role") the steps of a policy name."""
    return {str(t[key]) for s in steps for t in s["targets"] if key in t}


def _users_by_role(
    session: Session, alert: Alert, reach: set[int], *, liaisons: bool
) -> tuple[dict[str, list[int]], set[int]]:
    audience = alerts_service.audience_of(session, alert.id)
    by_role: dict[str, list[int]] = defaultdict(list)
    users = _readers(session, alert, reach, audience)
    for user in users:
        for role in user.roles:
            by_role[role].append(user.id)
    if liaisons and alert.subject_type == "movement":
        for user in _readers(session, alert, audience - reach, audience):
            if "liaison" in user.roles and user.id not in by_role["liaison"]:
                by_role["liaison"].append(user.id)
    return by_role, {u.id for u in users}


def _named_by_drill(alert: Alert, pool: list[policies.Candidate]) -> policies.Candidate | None:
    """A drill exercises the policy it names (``details.policy_id``), when that one applies to its owner."""
    wanted = (
        alert.details.get("policy_id") if alert.kind == "drill" and isinstance(alert.details, dict) else None
    )
    return next((c for c in pool if c.id == wanted), None)


def freeze(session: Session, alert: Alert, *, now: datetime) -> AlertPlan | None:
    """Choose the alert's policy, resolve it at ``now``, store the plan (audited) and call what is due."""
    existing = session.get(AlertPlan, alert.id)
    if existing is not None:
        return existing
    pool = policy_service.candidates(session, alert.organization_id)
    chosen = _named_by_drill(alert, pool) or policies.choose(
        pool, organization_id=alert.organization_id, kind=alert.kind, severity=alert.severity
    )
    if chosen is None:
        return None
    row = session.get_one(EscalationPolicy, chosen.id)
    reach = _reach(session, alert, row)
    by_role, readers = _users_by_role(session, alert, reach, liaisons="liaison" in _names(row.steps, "role"))
    silent = views.silent_to(alert)  # who signalled a silent duress is never called about it
    known = readers - silent
    by_role = {role: [u for u in ids if u not in silent] for role, ids in by_role.items()}
    on_duty = roster_service.on_duty_by_name(session, reach, now) if _names(row.steps, "roster") else {}
    steps = policies.resolve(
        row.steps,
        on_duty_by_roster={name: [u for u in users if u in known] for name, users in on_duty.items()},
        users_by_role=by_role,
        users=known,
        webhooks=endpoints.active_ids(session, alert.organization_id),
    )
    plan = AlertPlan(
        alert_id=alert.id,
        policy_id=row.id,
        policy_version=row.version,
        steps=steps,
        repeat=row.repeat,
        started_at=now,
        round=0,
        step=0,
        created_at=now,
    )
    session.add(plan)
    session.flush()
    called = advance(session, alert, plan, now=now, audited=False)  # the plan's record says what it called
    _audit(session, "alert.plan", alert, now, policy=_named(row), due=_due(plan), called=called)
    return plan


def _named(row: EscalationPolicy) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "version": row.version, "organization_id": row.organization_id}


def _due(plan: AlertPlan) -> list[dict[str, Any]]:
    """Who each step of the first round calls and when (the audit's account of the plan)."""
    return [
        {
            "step": s["step"],
            "at": (plan.started_at + timedelta(minutes=s["after_minutes"])).isoformat(),
            "user_ids": [t["user_id"] for t in s["targets"]],
            "webhooks": s["webhooks"],
        }
        for s in plan.steps
    ]


def _audit(session: Session, action: str, alert: Alert, now: datetime, **details: object) -> None:
    audit_service.record(
        session,
        actor=audit_service.JOB,
        action=action,
        object_type="alert",
        object_id=alert.id,
        details={"kind": alert.kind, "severity": alert.severity, **details},
        now=now,
    )


def _callable(alert: Alert, step: dict[str, Any]) -> list[int]:
    """The users a step calls: its targets, but never who signalled the silent duress the alert reports (one
    who signalled after the plan was frozen, too)."""
    silent = views.silent_to(alert)
    return [int(t["user_id"]) for t in step["targets"] if int(t["user_id"]) not in silent]


def call_step(session: Session, alert: Alert, step: dict[str, Any], *, rnd: int, now: datetime) -> int:
    """Enqueue one step's notifications (each target's verified points on the step's channels, the webhooks
    still active); returns how many were new."""
    people = _callable(alert, step)
    points = contacts.verified(session, people)
    written = 0
    for uid in people:
        for channel, address in points.get(uid, []):
            if channel in step["channels"]:
                written += _enqueue(
                    session, alert, step, rnd, channel, address, outbox.user_target(uid), uid, now
                )
    for endpoint_id, url in endpoints.active_urls(session, step["webhooks"]).items():
        written += _enqueue(
            session, alert, step, rnd, "webhook", url, outbox.webhook_target(endpoint_id), None, now
        )
    return written


def _enqueue(
    session: Session,
    alert: Alert,
    step: dict[str, Any],
    rnd: int,
    channel: str,
    address: str,
    target: str,
    user_id: int | None,
    now: datetime,
) -> int:
    row = outbox.enqueue(
        session,
        purpose="alert",
        channel=channel,
        address=address,
        target=target,
        now=now,
        alert_id=alert.id,
        round=rnd,
        step=int(step["step"]),
        user_id=user_id,
        organization_id=alert.organization_id,
    )
    return 0 if row is None else 1


def advance(
    session: Session, alert: Alert, plan: AlertPlan, *, now: datetime, audited: bool = True
) -> list[dict[str, Any]]:
    """Call every step of the plan due at ``now`` and not called yet, and raise the alert's level to the
    step; each call audited (``alert.call``) unless ``audited`` is False. Returns the calls."""
    if alert.resolved_at is not None or alert.acknowledged_at is not None or not plan.steps:
        return []
    due = policies.due_calls(
        [int(s["after_minutes"]) for s in plan.steps],
        repeat=plan.repeat,
        started_at=plan.started_at,
        last=(plan.round, plan.step),
        now=now,
    )
    calls: list[dict[str, Any]] = []
    for rnd, n in due:
        step = plan.steps[n - 1]
        written = call_step(session, alert, step, rnd=rnd, now=now)
        alerts_service.escalate(session, alert=alert, level=n, now=now)
        call = {"round": rnd, "step": n, "user_ids": _callable(alert, step)}
        calls.append({**call, "webhooks": step["webhooks"], "notifications": written})
        if audited:
            _audit(session, "alert.call", alert, now, **calls[-1])
    if due:
        plan.round, plan.step = due[-1]
        session.flush()
    return calls


def restart(session: Session, alert: Alert, plan: AlertPlan, *, now: datetime) -> list[dict[str, Any]]:
    """Call the plan again from its next round, starting now (audited)."""
    after = [int(s["after_minutes"]) for s in plan.steps]
    if not after:
        return []
    plan.started_at, plan.round, plan.step = policies.restart(after, last_round=plan.round, now=now)
    session.flush()
    _audit(session, "alert.plan_restart", alert, now, round=plan.round)
    return advance(session, alert, plan, now=now)


def escalation_tick(session: Session, *, now: datetime) -> int:
    """Walk the plan of every open, unacknowledged alert (rows claimed with FOR UPDATE SKIP LOCKED on
    PostgreSQL, so two workers never call the same step twice; the outbox's key makes a repeat nothing).
    Returns how many steps were called."""
    stmt = (
        select(Alert, AlertPlan)
        .join(AlertPlan, AlertPlan.alert_id == Alert.id)
        .where(Alert.resolved_at.is_(None), Alert.acknowledged_at.is_(None))
        .order_by(Alert.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    called = 0
    for alert, plan in session.execute(stmt).all():
        called += len(advance(session, alert, plan, now=now))
    return called

"""The alert desk: who sees an alert about movements, what of them its readers may read, and what people
and the clock do with alerts (acknowledge, assign, post progress, escalate, resolve, reopen, lapse an
acknowledgement), each audited.

Alerts are a sink that knows no movement; this module, above movements, tells them a movement's parties
(the requesting organisation, the organisations of its escort units, the partner governments whose
nationals travel) and which itineraries a reader may read (need-to-know). The composition root registers
both with the alerts domain (`register`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import Organization, User
from outrider.alerts import clock_escalation, views
from outrider.alerts import service as alerts_service
from outrider.alerts import work as alerts_work
from outrider.alerts.escalation import Step
from outrider.alerts.models import Alert, AlertNote
from outrider.audit import gathered
from outrider.audit import service as audit_service
from outrider.movements import itinerary_facts, need_to_know
from outrider.movements.models import Movement, movement_escorts, movement_persons
from outrider.movements.service import current_arrangement
from outrider.movements.tracking import OVERDUE
from outrider.notify.models import AlertPlan
from outrider.registry.models import EscortUnit, ProtectedPerson
from outrider.settings import get_settings

# Where the clock's escalation steps come from: the arrangement's today, an alert's own policy later.
StepSource = Callable[[Session], Sequence[Step]]


def register() -> None:
    """Tell the alerts domain a movement's parties, who may read which itinerary and how a read of them is
    recorded (idempotent)."""
    views.register(
        movement_audience=movement_audience,
        itinerary_reader=readable_itineraries,
        itinerary_recorder=record_itineraries_shown,
    )


def parties(session: Session, movement_ids: Collection[int]) -> dict[int, frozenset[int]]:
    """The organisations party to each movement: requesting, escorting, and partners of its nationals."""
    ids = sorted(set(movement_ids))
    if not ids:
        return {}
    found: dict[int, set[int]] = defaultdict(set)
    for mid, org in session.execute(
        select(Movement.id, Movement.organization_id).where(Movement.id.in_(ids))
    ):
        found[mid].add(org)
    escorts = (
        select(movement_escorts.c.movement_id, EscortUnit.organization_id)
        .join(EscortUnit, EscortUnit.id == movement_escorts.c.escort_unit_id)
        .where(movement_escorts.c.movement_id.in_(ids))
    )
    for mid, org in session.execute(escorts):
        found[mid].add(org)
    partners = (
        select(movement_persons.c.movement_id, Organization.id)
        .join(ProtectedPerson, ProtectedPerson.id == movement_persons.c.person_id)
        .join(
            Organization,
            (Organization.country == ProtectedPerson.nationality)
            & (Organization.kind == "partner_government"),
        )
        .where(movement_persons.c.movement_id.in_(ids))
    )
    for mid, org in session.execute(partners):
        found[mid].add(org)
    return {mid: frozenset(orgs) for mid, orgs in found.items()}


def movement_audience(session: Session, movement_id: int) -> frozenset[int]:
    """The parties of one movement (the audience of an alert about it)."""
    return parties(session, [movement_id]).get(movement_id, frozenset())


def readable_itineraries(
    session: Session, caller: Caller, movement_ids: Collection[int], now: datetime
) -> dict[int, str]:
    """The movements whose itinerary the caller may read now, with their time zones (decided from the
    caller's relations read as columns of one statement: no movement loaded, nothing kept between reads)."""
    decided = itinerary_facts.reader_decisions(session, caller, list(movement_ids), now=now)
    return {mid: zone for mid, (decision, zone) in decided.items() if decision.allowed}


# What an alert's details may show of a movement's itinerary: the due times of a cordon alert's movements, a
# movement alert's times, positions and places.
ALERT_ITINERARY_FIELDS = ("due", *views.MOVEMENT_TIME_KEYS, *views.MOVEMENT_PLACE_KEYS)


def record_itineraries_shown(
    session: Session, caller: Caller, shown: Mapping[int, str | None], now: datetime
) -> None:
    """One audit record of the movements whose itinerary facts alerts showed this reader (`via: alerts`),
    each with the reader's relationships to it, as a board read is recorded; who-knew finds it."""
    rows = need_to_know.readable_now(session, caller, shown, now)
    if not rows:
        return
    entry = need_to_know.list_read_entry(
        caller, rows, ALERT_ITINERARY_FIELDS, via="alerts", object_type="alerts"
    )
    # everything above was read without the turn; it is taken for this append alone (the API's: for the
    # group of records its commit appends, `audit.gathered`)
    gathered.append(session, [audit_service.prepare(entry, now)])


def itinerary(session: Session, due: dict[int, int | None]) -> list[dict[str, object]]:
    """The itinerary facts of movements an alert concerns: reference and due time (leaving or arriving at
    the site given, else leaving) in the movement's local time. Shown only to their need-to-know lists."""
    if not due:
        return []
    rows = session.scalars(select(Movement).where(Movement.id.in_(sorted(due))).order_by(Movement.id))
    out: list[dict[str, object]] = []
    for m in rows:
        site = due[m.id]
        at = m.planned_arrival if site is not None and site == m.destination_site_id else m.planned_departure
        local = at.astimezone(ZoneInfo(m.timezone)).isoformat()
        out.append({"movement_id": m.id, "reference": m.reference, "due": local})
    return out


def _record(
    session: Session,
    actor: audit_service.Principal,
    action: str,
    alert: Alert,
    now: datetime,
    **details: object,
) -> None:
    audit_service.record(
        session,
        actor=actor,
        action=action,
        object_type="alert",
        object_id=alert.id,
        details={"kind": alert.kind, "severity": alert.severity, **details},
        now=now,
    )


def ack_timeout() -> timedelta:
    """How long an acknowledgement waits for progress (OUTRIDER_ALERT_ACK_TIMEOUT_MINUTES)."""
    return timedelta(minutes=get_settings().alert_ack_timeout_minutes)


def acknowledge(session: Session, *, caller: Caller, alert_id: int, note: str, now: datetime) -> Alert:
    """Take charge of an alert (audited); progress is owed before the acknowledgement lapses."""
    alert = alerts_service.acknowledge(
        session, caller=caller, alert_id=alert_id, note=note, now=now, ack_timeout=ack_timeout()
    )
    _record(session, caller, "alert.acknowledge", alert, now, note=note)
    return alert


def assign(session: Session, *, caller: Caller, alert_id: int, user_id: int, now: datetime) -> Alert:
    """Give an alert to an active user who may read it and take charge of it (audited)."""
    user = session.get(User, user_id)
    assignee = None
    if user is not None and user.is_active:
        org = user.organization
        assignee = Caller(user.id, user.organization_id, org.kind, org.country, frozenset(user.roles))
    alert = alerts_work.assign(
        session, caller=caller, alert_id=alert_id, user_id=user_id, assignee=assignee, now=now
    )
    _record(session, caller, "alert.assign", alert, now, assigned_to=user_id)
    return alert


def post_progress(session: Session, *, caller: Caller, alert_id: int, text: str, now: datetime) -> AlertNote:
    """Post progress on an alert (audited without the text, which may name what the reader may not read)."""
    note = alerts_work.post_progress(
        session, caller=caller, alert_id=alert_id, text=text, now=now, ack_timeout=ack_timeout()
    )
    alert = session.get_one(Alert, alert_id)
    _record(session, caller, "alert.progress", alert, now, note_id=note.id)
    return note


def reopen(session: Session, *, caller: Caller, alert_id: int, reason: str, now: datetime) -> Alert:
    """Open a resolved alert again, with why (audited)."""
    alert = alerts_work.reopen(session, caller=caller, alert_id=alert_id, reason=reason, now=now)
    _record(session, caller, "alert.reopen", alert, now, reason=reason.strip())
    return alert


def ack_expiry_tick(session: Session, *, now: datetime) -> int:
    """Lapse every acknowledgement with no progress in time, so the chain calls again (audited)."""
    done = alerts_work.lapse_acknowledgements(session, now=now)
    for alert, was in done:
        _record(session, audit_service.JOB, "alert.ack_expired", alert, now, acknowledged_by=was)
    return len(done)


def escalate(session: Session, *, caller: Caller, alert_id: int, reason: str, now: datetime) -> Alert:
    """Escalate an alert one level by hand, with why (audited)."""
    alert = alerts_service.escalate_by_hand(session, caller=caller, alert_id=alert_id, reason=reason, now=now)
    _record(
        session,
        caller,
        "alert.escalate",
        alert,
        now,
        level=alert.escalation_level,
        reason=alert.escalation_reason,
    )
    return alert


def resolve(session: Session, *, caller: Caller, alert_id: int, reason: str, now: datetime) -> Alert:
    """Close an alert by hand, with why (audited)."""
    alert = alerts_service.resolve_by_hand(session, caller=caller, alert_id=alert_id, reason=reason, now=now)
    _record(session, caller, "alert.resolve", alert, now, reason=alert.resolution_reason)
    return alert


def arrangement_steps(session: Session) -> list[Step]:
    """The escalation steps of the arrangement in force (minutes since the alert opened)."""
    _, arrangement = current_arrangement(session)
    return [Step(x.after_minutes, x.level, tuple(x.roles)) for x in arrangement.escalation]


def escalation_tick(
    session: Session,
    *,
    now: datetime,
    steps_from: StepSource = arrangement_steps,
    skip_kinds: Iterable[str] = (OVERDUE,),
) -> int:
    """Escalate every open, unacknowledged alert by its age (overdue alerts have their own job; an alert
    with a plan of its own climbs it: `notify.plans.escalation_tick`); audited. Returns how many alerts were
    escalated."""
    done = clock_escalation.escalate_by_clock(
        session,
        steps=steps_from(session),
        now=now,
        skip_kinds=skip_kinds,
        skip_ids=select(AlertPlan.alert_id),
    )
    for alert, step in done:
        _record(
            session,
            audit_service.JOB,
            "alert.escalate",
            alert,
            now,
            level=step.level,
            roles=list(step.roles),
            after_minutes=step.after_minutes,
        )
    return len(done)

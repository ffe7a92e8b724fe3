"""Risk of movement plans: the holder's snapshot on each plan, the alert when its level rises, and a
movement's risk as one reader may see it.

A snapshot is the holder's (every counting event): protocols judge a plan on everything known. A reader
whose organisation may not read some events is shown its own risk, computed on read from the events it may
read (one route scoring on the reader's cached index), with the snapshot's times and revision. A rising
level alerts only the movement's parties that read every event counting on the route now (their own view
is the holder's); the alert's owner is the movement's organisation when it is one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts import views as alert_views
from outrider.alerts.schemas import Severity
from outrider.errors import InvalidInput
from outrider.intel import service as intel_service
from outrider.movements import nearby, need_to_know
from outrider.movements import service as movements_service
from outrider.movements.lifecycle import PLANNED_OR_LIVE
from outrider.risk import readers
from outrider.risk.index import IncidentIndex
from outrider.risk.models import RiskSnapshot
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import RiskResult, compare_alternates, result_json, route_risk
from outrider.risk.stored import coords, parameters, parameters_json

KIND = "risk_rising"


@dataclass(frozen=True)
class SnapshotOutcome:
    """A snapshot taken, and the level it replaced (None for the first)."""

    movement_id: int
    level: int
    previous_level: int | None
    alerted: bool


def latest_snapshot(session: Session, movement_id: int) -> Any:
    """The newest snapshot of a movement (a `RiskSnapshot`), or None."""
    return session.scalars(
        select(RiskSnapshot)
        .where(RiskSnapshot.movement_id == movement_id)
        .order_by(RiskSnapshot.id.desc())
        .limit(1)
    ).first()


class Plan(Protocol):
    """What a snapshot reads of a movement: a stored movement, or what `movements.nearby` returns of one."""

    @property
    def id(self) -> int: ...
    @property
    def organization_id(self) -> int: ...
    @property
    def reference(self) -> str: ...
    @property
    def plan_version(self) -> int: ...
    @property
    def planned_departure(self) -> datetime: ...
    @property
    def route(self) -> dict[str, Any]: ...
    @property
    def alternates(self) -> Sequence[dict[str, Any]]: ...


@dataclass(frozen=True)
class PlanRisk:
    """A plan's route scored, its alternates' levels and which route is lowest."""

    result: RiskResult
    alternates: list[dict[str, Any]]
    lowest: int | None


def score_plan(movement: Plan, at: datetime, index: IncidentIndex, params: RiskParameters) -> PlanRisk:
    """Score a plan's route and alternates on an index (InvalidInput for a broken stored route)."""
    try:
        result = route_risk(coords(movement.route), at, index, params)
        if not movement.alternates:
            return PlanRisk(result, [], None)
        routes = [coords(movement.route), *(coords(a) for a in movement.alternates)]
        compared = compare_alternates(routes, at, index, params)
    except ValueError as exc:
        raise InvalidInput(f"movement {movement.reference}: {exc}") from None
    alternates = [
        {"route": k, "score": round(r.score, 4), "level": r.level, "level_name": r.level_name}
        for k, r in enumerate(compared.results)
    ]
    return PlanRisk(result, alternates, compared.lowest)


def snapshot_movement(session: Session, movement: Plan, *, now: datetime, reason: str) -> RiskSnapshot:
    """Score a movement's route (and alternates) now on every counting event; store it on its plan."""
    params = parameters()
    seen = readers.sight(session, params, None)
    at = max(now, movement.planned_departure)
    scored = score_plan(movement, at, seen.index, params)
    row = RiskSnapshot(
        movement_id=movement.id,
        plan_version=movement.plan_version,
        computed_at=now,
        scored_for=at,
        score=round(scored.result.score, 4),
        level=scored.result.level,
        level_name=scored.result.level_name,
        incident_count=scored.result.incident_count,
        incident_revision=seen.revision,
        parameters=parameters_json(params),
        drivers=result_json(scored.result)["drivers"],
        alternates=scored.alternates,
        lowest_alternate=scored.lowest,
        reason=reason,
    )
    session.add(row)
    session.flush()
    return row


def risk_tick(session: Session, *, now: datetime) -> list[SnapshotOutcome]:
    """Snapshot every active movement whose plan or incident set changed; alert where the level rose."""
    revision = intel_service.revision(session)
    outcomes: list[SnapshotOutcome] = []
    movements = nearby.due_near(session, statuses=PLANNED_OR_LIVE, alternates=True)
    for movement in movements:
        last = latest_snapshot(session, movement.id)
        if (
            last is not None
            and last.incident_revision == revision
            and last.plan_version == movement.plan_version
        ):
            continue
        reason = (
            "first" if last is None else "plan" if last.plan_version != movement.plan_version else "incidents"
        )
        snap = snapshot_movement(session, movement, now=now, reason=reason)
        rose = last is not None and snap.level > last.level
        if last is not None and rose:
            _alert_rise(session, movement, last, snap, now=now)
        outcomes.append(
            SnapshotOutcome(movement.id, snap.level, None if last is None else last.level, bool(rose))
        )
    return outcomes


def _alert_rise(
    session: Session, movement: Plan, last: RiskSnapshot, snap: RiskSnapshot, *, now: datetime
) -> None:
    """Tell the parties that read everything counting on the route now that its level rose.

    An open alert about an earlier rise that a party no longer entitled to the new levels can read is
    closed first (its levels stay as they were) and a new one opened for the readers who may."""
    readers_now = _readers_of(session, movement, snap)
    owner = movement.organization_id if movement.organization_id in readers_now else None
    open_one = alerts_service.find_open(session, KIND, "movement", movement.id)
    if open_one is not None:
        seen_by = alerts_service.audience_of(session, open_one.id) | {open_one.organization_id}
        if open_one.organization_id != owner or not (seen_by - {None}) <= readers_now:
            alerts_service.resolve(
                session, kind=KIND, subject_type="movement", subject_id=movement.id, now=now
            )
    alerts_service.raise_alert(
        session,
        kind=KIND,
        severity=Severity.critical if snap.level >= 4 else Severity.warning,
        subject_type="movement",
        subject_id=movement.id,
        title=f"{movement.reference}: route risk rose from {last.level_name} to {snap.level_name}",
        details={
            "previous_level": last.level,
            "level": snap.level,
            "score": snap.score,
            "incident_revision": snap.incident_revision,
        },  # no drivers here: where they lie hints at the route; the snapshot keeps them
        organization_id=owner,
        audience=readers_now - {owner},
        now=now,
    )


def _readers_of(session: Session, movement: Plan, snap: RiskSnapshot) -> frozenset[int]:
    """The movement's parties whose own view of the route is the holder's snapshot (nothing withheld
    from them counts on it)."""
    parties = {movement.organization_id} | alert_views.movement_audience(session, movement.id)
    params = parameters()
    entitled = set()
    for org in sorted(parties):
        seen = readers.sight(session, params, org)
        if seen.whole:
            entitled.add(org)
            continue
        own = route_risk(coords(movement.route), snap.scored_for, seen.index, params)
        if own.incident_count == snap.incident_count and round(own.score, 4) == snap.score:
            entitled.add(org)
    return frozenset(entitled)


def movement_risk(session: Session, *, caller: Caller, movement_id: int, now: datetime) -> dict[str, Any]:
    """The latest snapshot of a movement the caller may see, scored on the events the caller may read;
    drivers only with the itinerary."""
    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    view = need_to_know.view_of(session, caller=caller, movement=movement, now=now, via="risk")
    snap = latest_snapshot(session, movement_id)
    if snap is None:
        snap = snapshot_movement(session, movement, now=now, reason="first")
    shown = _as_read(session, caller, movement, snap)
    out: dict[str, Any] = {
        "movement_id": movement_id,
        "plan_version": snap.plan_version,
        "computed_at": snap.computed_at.isoformat(),
        "score": shown["score"],
        "level": shown["level"],
        "level_name": shown["level_name"],
        "incident_count": shown["incident_count"],
        "incident_revision": snap.incident_revision,
        "current": snap.plan_version == movement.plan_version
        and snap.incident_revision == intel_service.revision(session),
        "parameters": snap.parameters,
    }
    # The drivers locate the route and the time scored for is the departure: only for the need-to-know list.
    if view.itinerary_visible:
        out["scored_for"] = snap.scored_for.isoformat()
        out["drivers"] = shown["drivers"]
        out["alternates"] = shown["alternates"]
        out["lowest_alternate"] = shown["lowest_alternate"]
    return out


def _as_read(session: Session, caller: Caller, movement: Plan, snap: RiskSnapshot) -> dict[str, Any]:
    """The snapshot's figures, or the caller's own when any event is withheld from it (scored then on its
    events at the snapshot's time; the same shape, so nothing says that anything is withheld)."""
    params = parameters()
    seen = readers.sight(session, params, caller.organization_id)
    if seen.reads_all:  # a snapshot stored earlier may count an event marked above the reader since
        return {
            "score": snap.score,
            "level": snap.level,
            "level_name": snap.level_name,
            "incident_count": snap.incident_count,
            "drivers": snap.drivers,
            "alternates": snap.alternates,
            "lowest_alternate": snap.lowest_alternate,
        }
    scored = score_plan(movement, snap.scored_for, seen.index, params)
    mine = result_json(scored.result)
    return {
        "score": mine["score"],
        "level": mine["level"],
        "level_name": mine["level_name"],
        "incident_count": mine["incident_count"],
        "drivers": mine["drivers"],
        "alternates": scored.alternates,
        "lowest_alternate": scored.lowest,
    }


def plan_level(session: Session, *, caller: Caller, movement: Plan) -> tuple[int | None, str | None]:
    """The level of the movement's newest snapshot for its current plan, as the caller may read it (None:
    not scored yet)."""
    snap = latest_snapshot(session, movement.id)
    if snap is None or snap.plan_version != movement.plan_version:
        return None, None
    shown = _as_read(session, caller, movement, snap)
    return int(shown["level"]), str(shown["level_name"])

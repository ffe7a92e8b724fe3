"""Risk of movement plans: the holder's snapshot on each plan, the alerts when a level rises, and a
movement's risk as one reader may see it.

A snapshot is the holder's (every counting event): protocols judge a plan on everything known. A reader
whose organisation may not read some events is shown its own risk, computed on read from the events it may
read (one route scoring on the reader's cached index), with the snapshot's times and revision. A rising
holder's level alerts the movement's parties whose own view is the holder's (nothing withheld from them
counts on the route); the alert's owner is the movement's organisation when it is one of them. Every other
party is told of a rise in its own view by an alert of its own (`risk.party_views`, which keeps each
party's last level).
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
from outrider.errors import InvalidInput
from outrider.intel import service as intel_service
from outrider.movements import nearby, need_to_know
from outrider.movements import service as movements_service
from outrider.movements.lifecycle import PLANNED_OR_LIVE
from outrider.risk import party_views, readers
from outrider.risk.index import IncidentIndex
from outrider.risk.models import RiskSnapshot
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import RiskResult, compare_alternates, result_json, route_risk
from outrider.risk.stored import coords, current_index, parameters, parameters_json

KIND = party_views.KIND


@dataclass(frozen=True)
class SnapshotOutcome:
    """A snapshot taken (or a party's own view judged again), and the level it replaced (None for the
    first)."""

    movement_id: int
    level: int
    previous_level: int | None
    alerted: bool
    parties_alerted: tuple[int, ...] = ()  # the parties told of a rise in their own view
    snapshot: bool = True  # False: the snapshot stood, a party's own view changed


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


_WARM_ROUTE = [[72.88, 34.94], [73.29, 35.29]]  # any route: the corridor scan runs the kernels


def warm_up(session: Session, *, now: datetime) -> None:
    """Load what a process's first `risk_tick` would otherwise load in the write turn, with reads alone: the
    events' index (the gazetteer's towns for their city extents) and the compiled kernels. A first tick
    spent 1.4 s of CPU on them in its transaction, which on SQLite holds the turn every writer waits for."""
    params = parameters()
    index, _ = current_index(session, params)
    route_risk(_WARM_ROUTE, now, index, params)


def risk_tick(session: Session, *, now: datetime) -> list[SnapshotOutcome]:
    """Snapshot every active movement whose plan or incident set changed and judge its parties' own views
    (those of the others too whose withheld events changed); alert where a level rose."""
    revision = intel_service.revision(session)
    outcomes: list[SnapshotOutcome] = []
    movements = nearby.due_near(session, statuses=PLANNED_OR_LIVE, alternates=True)
    views = party_views.Views(session, parameters())
    kept = party_views.kept_levels(session, [m.id for m in movements])
    for movement in movements:
        last = latest_snapshot(session, movement.id)
        if (
            last is not None
            and last.incident_revision == revision
            and last.plan_version == movement.plan_version
        ):
            told = party_views.recheck(session, movement, last, kept.get(movement.id, {}), views, now=now)
            if told:
                outcomes.append(SnapshotOutcome(movement.id, last.level, last.level, True, told, False))
            continue
        reason = (
            "first" if last is None else "plan" if last.plan_version != movement.plan_version else "incidents"
        )
        snap = snapshot_movement(session, movement, now=now, reason=reason)
        parties = party_views.parties_of(session, movement)
        party_views.forget(session, movement.id, set(kept.get(movement.id, {})) - parties)
        own = [views.own_level(movement, snap, org) for org in sorted(parties)]
        rose = last is not None and snap.level > last.level
        holders = frozenset(o.organization_id for o in own if o.holders) if rose else frozenset()
        if last is not None and rose:
            _alert_rise(session, movement, last, snap, holders, now=now)
        told = party_views.judge(
            session, views, movement, snap, own, kept.get(movement.id, {}), told=holders, now=now
        )
        outcomes.append(
            SnapshotOutcome(
                movement.id, snap.level, None if last is None else last.level, rose or bool(told), told
            )
        )
    return outcomes


def _alert_rise(
    session: Session,
    movement: Plan,
    last: RiskSnapshot,
    snap: RiskSnapshot,
    readers_now: frozenset[int],
    *,
    now: datetime,
) -> None:
    """Tell the parties that read everything counting on the route now (``readers_now``) that its level rose.

    An open alert about an earlier rise that a party no longer entitled to the new levels can read is
    closed first (its levels stay as they were) and a new one opened for the readers who may."""
    owner = movement.organization_id if movement.organization_id in readers_now else None
    open_one = alerts_service.find_open(session, KIND, "movement", movement.id)
    if open_one is not None:
        seen_by = alerts_service.audience_of(session, open_one.id) | {open_one.organization_id}
        if open_one.organization_id != owner or not (seen_by - {None}) <= readers_now:
            alerts_service.resolve(
                session, kind=KIND, subject_type="movement", subject_id=movement.id, now=now
            )
    rise = party_views.Rise(
        (last.level, last.level_name), (snap.level, snap.level_name), snap.score, snap.incident_revision
    )
    party_views.raise_rise(
        session,
        rise,
        subject=("movement", movement.id),
        reference=movement.reference,
        owner=owner,
        audience=readers_now - {owner},
        now=now,
    )


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

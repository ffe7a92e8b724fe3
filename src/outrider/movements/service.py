"""Use cases of movements: plan, approve, escort, check in, arrive; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.audit import service as audit_service
from outrider.errors import InvalidInput, NotFound
from outrider.inputs import id_problem
from outrider.movements import lifecycle
from outrider.movements import schemas as s
from outrider.movements.arrangement import Arrangement
from outrider.movements.lifecycle import UNDER_WAY, MovementState, Operation, Party, Status
from outrider.movements.models import Arrangement as ArrangementRow
from outrider.movements.models import CheckIn, Movement, MovementApproval, MovementEvent, movement_persons
from outrider.movements.overdue import Watched, due_of
from outrider.registry.models import EscortUnit, ProtectedPerson

# --- the arrangement ----------------------------------------------------------------------------------


# Its two columns alone (most requests read it; loading the row as an object cost twice as much).
_CURRENT = (
    select(ArrangementRow.version, ArrangementRow.document).order_by(ArrangementRow.version.desc()).limit(1)
)


def current_arrangement(session: Session) -> tuple[int, Arrangement]:
    """The arrangement in force and its version (0: the built-in default, never stored)."""
    row = session.execute(_CURRENT).first()
    if row is None:
        return 0, Arrangement()
    return row.version, Arrangement.model_validate(row.document)


# --- reading -------------------------------------------------------------------------------------------


def _visible(caller: Caller) -> Any:
    return _visible_in(policy.movement_scope(caller))


def _visible_in(scope: policy.MovementScope) -> Any:
    stmt = select(Movement)
    if scope.everything:
        return stmt
    clauses = [Movement.organization_id == scope.organization_id]
    if scope.nationality:
        clauses.append(
            exists()
            .where(movement_persons.c.movement_id == Movement.id)
            .where(movement_persons.c.person_id == ProtectedPerson.id)
            .where(ProtectedPerson.nationality == scope.nationality)
        )
    return stmt.where(or_(*clauses))


def visible_ids(caller: Caller) -> Any:
    """A select of the ids of the movements the caller may see (other domains filter their rows by it)."""
    return visible_ids_in(policy.movement_scope(caller))


def visible_ids_in(scope: policy.MovementScope) -> Any:
    """`visible_ids` for the callers of one scope (a statement built once for them all)."""
    return _visible_in(scope).with_only_columns(Movement.id)


def get_movement(session: Session, *, caller: Caller, movement_id: int) -> Movement:
    """A movement the caller may see; NotFound otherwise (ids reveal nothing)."""
    movement: Movement | None = session.scalar(_visible(caller).where(Movement.id == movement_id))
    if movement is None:
        raise NotFound(f"movement {movement_id} not found")
    return movement


def movement_id_of(session: Session, caller: Caller, ref: str) -> int:
    """The id a face was given as a number or a reference; a reference the caller may not see is NotFound."""
    if ref.isdigit():
        problem = id_problem(int(ref))
        if problem:
            raise InvalidInput(f"movement {ref}: {problem}")
        return int(ref)
    found = session.scalar(select(Movement.id).where(Movement.reference == ref))
    if found is None:
        raise NotFound(f"movement {ref} not found")
    get_movement(session, caller=caller, movement_id=found)
    return found


BOARD_SCAN_LIMIT = 10_000


@dataclass(frozen=True)
class BoardFilter:
    """What a board is narrowed to: statuses, a window of times, an organisation, a site."""

    status: Sequence[Status] | None = None
    start: datetime | None = None
    end: datetime | None = None
    organization_id: int | None = None
    site_id: int | None = None


EVERYTHING = BoardFilter()


def board_candidates(
    session: Session, *, caller: Caller, filters: BoardFilter = EVERYTHING
) -> list[Movement]:
    """Movements in the caller's summary scope that may match; time filters are widened by a day here.

    The exact time filter needs the itinerary, which only the need-to-know list sees, so the caller of
    this function (board.board) refines it per movement: exact times for those who may see them,
    whole days for the rest, so that neither a list nor a count reveals an itinerary's times.
    """
    # A board line counts persons and names escort units: load them for all rows at once, not per row,
    # and only their ids (whole rows, with each unit's vehicles, cost more than the rest of the board).
    stmt = _candidates_in(policy.movement_scope(caller), filters).options(
        selectinload(Movement.persons).load_only(ProtectedPerson.id),
        selectinload(Movement.escorts).load_only(EscortUnit.id).lazyload(EscortUnit.vehicles),
    )
    return list(session.scalars(stmt))


def board_statement(scope: policy.MovementScope, filters: BoardFilter, columns: Sequence[Any]) -> Any:
    """`board_candidates`' statement for a caller of this scope, as rows of these columns alone (the board's
    lines: no objects, no relations)."""
    return _candidates_in(scope, filters).with_only_columns(*columns)


def _candidates_in(scope: policy.MovementScope, filters: BoardFilter) -> Any:
    stmt, f = _visible_in(scope), filters
    if f.status:
        stmt = stmt.where(Movement.status.in_([x.value for x in f.status]))
    if f.start is not None:
        stmt = stmt.where(Movement.planned_departure >= f.start - timedelta(days=2))
    if f.end is not None:
        stmt = stmt.where(Movement.planned_departure <= f.end + timedelta(days=2))
    if f.organization_id is not None:
        stmt = stmt.where(Movement.organization_id == f.organization_id)
    if f.site_id is not None:
        stmt = stmt.where(
            or_(Movement.origin_site_id == f.site_id, Movement.destination_site_id == f.site_id)
        )
    return stmt.order_by(Movement.planned_departure, Movement.id).limit(BOARD_SCAN_LIMIT)


def _approvals(session: Session, movement: Movement) -> list[MovementApproval]:
    return list(
        session.scalars(
            select(MovementApproval)
            .where(MovementApproval.movement_id == movement.id)
            .order_by(MovementApproval.id)
        )
    )


def state_of(session: Session, movement: Movement, arrangement: Arrangement) -> MovementState:
    """The lifecycle's view of a stored movement."""
    approved = {
        Party(a.org_kind, a.country)
        for a in _approvals(session, movement)
        if a.plan_version == movement.plan_version and a.decision == "approve"
    }
    return MovementState(
        status=Status(movement.status),
        requesting_org_id=movement.organization_id,
        required=frozenset(Party(k or "", c) for k, c in movement.required_parties),
        approvals=frozenset(approved),
        escort_required=movement.escort_required,
        escort_assigned=bool(movement.escorts),
        allow_self_approval=arrangement.allow_self_approval,
        plan_version=movement.plan_version,
        approved_version=movement.approved_version,
    )


Line = Movement | Row[Any]  # a movement, or a row of its columns (the board's lines)


def watched(movement: Line) -> Watched:
    """The overdue scan's view of a movement on the road."""
    return Watched(
        movement_id=movement.id,
        overdue=movement.status == Status.overdue,
        departed_at=movement.departed_at or movement.planned_departure,
        planned_arrival=movement.planned_arrival,
        checkin_interval_min=movement.checkin_interval_min,
        last_checkin_at=movement.last_checkin_at,
        overdue_since=movement.overdue_since,
        escalation_level=movement.escalation_level,
    )


def next_checkin_due(movement: Line) -> datetime | None:
    """When the movement must next be heard from (only while on the road)."""
    if movement.status not in UNDER_WAY:
        return None
    departed_at = movement.departed_at or movement.planned_departure
    m = movement  # read as `watched` reads it, without building its view (every board line asks)
    return due_of(departed_at, m.planned_arrival, m.checkin_interval_min, m.last_checkin_at)[0]


ITINERARY_FIELDS = (
    "route",
    "alternates",
    "route_length_m",
    "planned_departure",
    "planned_arrival",
    "vehicle_ids",
    "escort_unit_ids",
    "checkin_interval_min",
    "checkin_waypoints",
    "departed_at",
    "arrived_at",
    "last_checkin_at",
    "next_checkin_due",
    "overdue_since",
)


def local_day(movement: Line) -> date:
    """The movement's day in its own time zone (part of the summary)."""
    return movement.planned_departure.astimezone(ZoneInfo(movement.timezone)).date()


def to_read(session: Session, movement: Movement, *, itinerary: bool, note: str = "") -> s.MovementRead:
    """The API shape of a movement; the itinerary fields only when ``itinerary`` is true."""
    summary = s.MovementRead(
        id=movement.id,
        reference=movement.reference,
        organization_id=movement.organization_id,
        purpose=movement.purpose,
        status=Status(movement.status),
        day=local_day(movement),
        origin=s.PlaceRead(
            site_id=movement.origin_site_id,
            label=movement.origin_label,
            lat=movement.origin_lat,
            lon=movement.origin_lon,
        ),
        destination=s.PlaceRead(
            site_id=movement.destination_site_id,
            label=movement.destination_label,
            lat=movement.destination_lat,
            lon=movement.destination_lon,
        ),
        person_ids=[p.id for p in movement.persons],
        timezone=movement.timezone,
        plan_version=movement.plan_version,
        approved_version=movement.approved_version,
        required_approvals=[Party(k or "", c).label() for k, c in movement.required_parties],
        approvals=[s.ApprovalRead.model_validate(a) for a in _approvals(session, movement)],
        escort_required=movement.escort_required,
        escalation_level=movement.escalation_level,
        created_at=movement.created_at,
        updated_at=movement.updated_at,
        itinerary_visible=itinerary,
        itinerary_note=note,
    )
    if not itinerary:
        return summary
    return summary.model_copy(
        update={
            **line_times(movement, [u.id for u in movement.escorts]),
            "route": movement.route,
            "alternates": movement.alternates,
            "route_length_m": round(movement.route_length_m, 1),
            "vehicle_ids": [v.id for v in movement.vehicles],
            "checkin_interval_min": movement.checkin_interval_min,
            "checkin_waypoints": movement.checkin_waypoints,
            "departed_at": movement.departed_at,
            "arrived_at": movement.arrived_at,
            "overdue_since": movement.overdue_since,
        }
    )


def line_times(movement: Line, escort_ids: list[int]) -> dict[str, Any]:
    """The itinerary fields of a board line, which the full read of a movement shows as well."""
    return {
        "planned_departure": movement.planned_departure,
        "planned_arrival": movement.planned_arrival,
        "escort_unit_ids": escort_ids,
        "last_checkin_at": movement.last_checkin_at,
        "next_checkin_due": next_checkin_due(movement),
    }


def board_item(movement: Movement, *, itinerary: bool) -> s.BoardItem:
    """One line of the board from a loaded movement; exact times only with the itinerary."""
    line = board_summary(movement, persons=len(movement.persons), itinerary=itinerary)
    if itinerary:
        line.update(line_times(movement, [u.id for u in movement.escorts]))
    return s.BoardItem.model_validate(line)


def board_summary(movement: Line, *, persons: int, itinerary: bool) -> dict[str, Any]:
    """What every line of the board shows, with or without the itinerary (which `line_times` adds)."""
    return {
        "id": movement.id,
        "reference": movement.reference,
        "organization_id": movement.organization_id,
        "status": movement.status,
        "day": local_day(movement),
        "origin": movement.origin_label,
        "destination": movement.destination_label,
        "persons": persons,
        "escalation_level": movement.escalation_level,
        "itinerary_visible": itinerary,
    }


# --- shared helpers ------------------------------------------------------------------------------------


def actor_of(caller: Caller | None) -> audit_service.Principal:
    """Who acts, for the audit log: the caller, or the job runner (None)."""
    return audit_service.JOB if caller is None else caller


def event(
    session: Session,
    movement: Movement,
    kind: str,
    *,
    caller: Caller | None,
    now: datetime,
    at: datetime | None = None,
    **details: Any,
) -> None:
    """Add a line to the timeline (at ``at``, default now) and the fact to the audit chain (at now)."""
    user_id = caller.user_id if caller else None
    session.add(
        MovementEvent(movement_id=movement.id, at=at or now, kind=kind, user_id=user_id, details=details)
    )
    audit_service.record(
        session,
        actor=actor_of(caller),
        action=f"movement.{kind}",
        object_type="movement",
        object_id=movement.id,
        fields=sorted(details),
        details={"reference": movement.reference, "status": movement.status},
        now=now,
    )


def transition(
    session: Session, movement: Movement, arrangement: Arrangement, operation: Operation
) -> MovementState:
    """Apply a lifecycle operation to a stored movement and keep its columns in step."""
    new = lifecycle.apply(state_of(session, movement, arrangement), operation)
    movement.status = new.status.value
    movement.plan_version = new.plan_version
    movement.approved_version = new.approved_version
    return new


def checkins_of(session: Session, movement: Movement) -> list[CheckIn]:
    """A movement's check-ins in time order (late ones in their place)."""
    return list(
        session.scalars(
            select(CheckIn).where(CheckIn.movement_id == movement.id).order_by(CheckIn.at, CheckIn.id)
        )
    )

"""Use cases of planning a movement: plan, amend, submit, decide, assign escorts, cancel."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller, RecordKind
from outrider.accounts.models import Organization
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.movements import gates, routes
from outrider.movements import schemas as s
from outrider.movements.arrangement import required_parties
from outrider.movements.lifecycle import Op, Operation, Party
from outrider.movements.models import Movement, MovementApproval
from outrider.movements.service import current_arrangement, event, get_movement, transition
from outrider.registry import service as registry_service
from outrider.registry.models import EscortUnit, ProtectedPerson, Site, Vehicle


def partner_countries(session: Session) -> list[str]:
    """Countries of the partner governments registered in the system."""
    return list(
        session.scalars(
            select(Organization.country).where(Organization.kind == "partner_government").distinct()
        )
    )


def _place(
    session: Session, caller: Caller, place: s.PlaceIn, what: str
) -> tuple[Site | None, str, float, float]:
    if place.site_id is not None:
        try:
            site: Site = registry_service.get_record(
                session, kind=RecordKind.site, caller=caller, record_id=place.site_id
            )
        except NotFound:
            raise InvalidInput(
                f"{what}: site {place.site_id} not found",
                errors=[{"loc": ["body", what, "site_id"], "msg": f"unknown site {place.site_id}"}],
            ) from None
        return site, place.label or site.name, site.lat, site.lon
    assert place.lat is not None and place.lon is not None
    return None, place.label or f"{place.lat:.5f}, {place.lon:.5f}", place.lat, place.lon


def _own(session: Session, model: Any, ids: list[int], org_id: int, field: str, label: str) -> list[Any]:
    found = []
    for rid in dict.fromkeys(ids):
        record = session.get(model, rid)
        if record is None or record.organization_id != org_id:
            raise InvalidInput(
                f"{label} {rid} is not one of your organisation's {label}s",
                errors=[{"loc": ["body", field], "msg": f"{label} {rid} not found in your organisation"}],
            )
        found.append(record)
    return found


def _require_planner(caller: Caller, movement: Movement) -> None:
    if not policy.may_plan(caller, requesting_org_id=movement.organization_id):
        raise Forbidden("only coordinators and administrators of the requesting organisation may do this")


def _required(session: Session, persons: list[ProtectedPerson]) -> list[list[str | None]]:
    _, arrangement = current_arrangement(session)
    parties = required_parties(
        arrangement,
        nationalities=[p.nationality for p in persons],
        partner_countries=partner_countries(session),
    )
    return [[p.org_kind, p.country] for p in sorted(parties)]


def _new_reference(session: Session, now: datetime) -> str:
    while True:
        ref = f"MOV-{now:%Y%m%d}-{secrets.token_hex(2).upper()}"
        if session.scalar(select(Movement.id).where(Movement.reference == ref)) is None:
            return ref


def _timezone(*sites: Site | None) -> str:
    # Local times (night windows, "same hour") are read in the origin's zone, else the destination's.
    for site in sites:
        if site is not None:
            return site.timezone
    return "UTC"


def plan_movement(session: Session, *, caller: Caller, data: s.MovementCreate, now: datetime) -> Movement:
    """Record a new plan (a draft) for the caller's organisation."""
    if not caller.roles & policy.PLANNERS:
        raise Forbidden("only coordinators and administrators plan movements")
    version, arrangement = current_arrangement(session)
    if data.checkin_interval_min and data.checkin_interval_min > arrangement.checkin_interval_max_minutes:
        raise InvalidInput(
            "the arrangement allows check-in intervals of at most "
            f"{arrangement.checkin_interval_max_minutes} minutes",
            errors=[{"loc": ["body", "checkin_interval_min"], "msg": "interval too long"}],
        )
    reference = data.reference or _new_reference(session, now)
    if session.scalar(select(Movement.id).where(Movement.reference == reference)) is not None:
        raise Conflict(f"a movement with reference {reference!r} already exists")
    origin_site, origin_label, olat, olon = _place(session, caller, data.origin, "origin")
    dest_site, dest_label, dlat, dlon = _place(session, caller, data.destination, "destination")
    persons = _own(session, ProtectedPerson, data.person_ids, caller.organization_id, "person_ids", "person")
    vehicles = _own(session, Vehicle, data.vehicle_ids, caller.organization_id, "vehicle_ids", "vehicle")
    coords = data.route["coordinates"]
    movement = Movement(
        reference=reference,
        organization_id=caller.organization_id,
        purpose=data.purpose,
        origin_site_id=origin_site.id if origin_site else None,
        origin_label=origin_label,
        origin_lat=olat,
        origin_lon=olon,
        destination_site_id=dest_site.id if dest_site else None,
        destination_label=dest_label,
        destination_lat=dlat,
        destination_lon=dlon,
        route=data.route,
        alternates=data.alternates,
        route_length_m=routes.length_m(coords),
        timezone=_timezone(origin_site, dest_site),
        planned_departure=data.planned_departure,
        planned_arrival=data.planned_arrival,
        checkin_interval_min=data.checkin_interval_min,
        checkin_waypoints=[w.model_dump() for w in data.checkin_waypoints],
        notes=data.notes,
        status="draft",
        plan_version=1,
        arrangement_version=version,
        escort_required=arrangement.escort_required,
        required_parties=_required(session, persons),
        created_by=caller.user_id,
        created_at=now,
        updated_at=now,
        escalation_level=0,
    )
    movement.persons = persons
    movement.vehicles = vehicles
    session.add(movement)
    session.flush()
    event(session, movement, "planned", caller=caller, now=now, reference=reference)
    session.flush()
    return movement


def amend_movement(
    session: Session, *, caller: Caller, movement_id: int, data: s.MovementUpdate, now: datetime
) -> Movement:
    """Change a plan; approvals given so far lapse and the plan must be approved again."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    _require_planner(caller, movement)
    _, arrangement = current_arrangement(session)
    changes = data.model_dump(exclude_unset=True)
    if not changes:
        raise InvalidInput("nothing to change")
    departure = data.planned_departure or movement.planned_departure
    arrival = data.planned_arrival or movement.planned_arrival
    if arrival <= departure:
        raise InvalidInput(
            "planned_arrival must come after planned_departure",
            errors=[{"loc": ["body", "planned_arrival"], "msg": "before departure"}],
        )
    transition(session, movement, arrangement, Operation(Op.amend))
    if data.person_ids is not None:
        movement.persons = _own(
            session, ProtectedPerson, data.person_ids, movement.organization_id, "person_ids", "person"
        )
        movement.required_parties = _required(session, movement.persons)
    if data.vehicle_ids is not None:
        movement.vehicles = _own(
            session, Vehicle, data.vehicle_ids, movement.organization_id, "vehicle_ids", "vehicle"
        )
    if data.route is not None:
        movement.route = data.route
        movement.route_length_m = routes.length_m(data.route["coordinates"])
    for key in ("purpose", "planned_departure", "planned_arrival", "checkin_interval_min", "notes"):
        if key in changes and changes[key] is not None:
            setattr(movement, key, getattr(data, key))
    movement.updated_at = now
    event(
        session,
        movement,
        "amended",
        caller=caller,
        now=now,
        fields=sorted(changes),
        version=movement.plan_version,
    )
    session.flush()
    return movement


def submit(session: Session, *, caller: Caller, movement_id: int, now: datetime) -> Movement:
    """Send the plan to the approving parties."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    _require_planner(caller, movement)
    _, arrangement = current_arrangement(session)
    transition(session, movement, arrangement, Operation(Op.submit))
    movement.updated_at = now
    event(session, movement, "submitted", caller=caller, now=now, version=movement.plan_version)
    session.flush()
    gates.run(session, movement, trigger="submit", caller=caller, now=now)
    return movement


def decide(
    session: Session, *, caller: Caller, movement_id: int, decision: str, comment: str, now: datetime
) -> Movement:
    """Approve, reject or request changes on behalf of the caller's party."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    party_key = policy.approving_party(caller)
    if party_key is None:
        raise Forbidden("your roles do not let you decide on movements for your organisation")
    party = Party(*party_key)
    # Only the founding host-security organisation and recognised partners decide for their party.
    refusal = gates.refusal_to_speak_for(
        session, caller=caller, org_kind=party.org_kind, country=party.country
    )
    if refusal is not None:
        raise Forbidden(refusal)
    _, arrangement = current_arrangement(session)
    op = {"approve": Op.approve, "reject": Op.reject, "request_changes": Op.request_changes}[decision]
    version = movement.plan_version
    transition(
        session, movement, arrangement, Operation(op, party=party, actor_org_id=caller.organization_id)
    )
    if op is Op.approve:
        # The agreed protocols' gate: a failed blocking rule without a joint waiver refuses the approval.
        gates.run(session, movement, trigger="approve", caller=caller, now=now)
    session.add(
        MovementApproval(
            movement_id=movement.id,
            plan_version=version,
            org_kind=party.org_kind,
            country=party.country,
            organization_id=caller.organization_id,
            user_id=caller.user_id,
            decision=decision,
            comment=comment,
            at=now,
        )
    )
    movement.updated_at = now
    event(session, movement, decision, caller=caller, now=now, party=party.label(), comment=comment)
    session.flush()
    return movement


def assign_escort(
    session: Session, *, caller: Caller, movement_id: int, unit_ids: list[int], now: datetime
) -> Movement:
    """Assign host-security escort units (only the kinds the arrangement names may)."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    _, arrangement = current_arrangement(session)
    if not policy.may_assign_escort(caller, assigner_kinds=frozenset(arrangement.escort_assigners)):
        raise Forbidden("only the host protection unit assigns escort units")
    # Assigning the escort speaks for the host party as an approval does: the founding force only.
    refusal = gates.refusal_to_speak_for(
        session, caller=caller, org_kind=caller.org_kind, country=caller.country
    )
    if refusal is not None:
        raise Forbidden(refusal)
    units = []
    for uid in dict.fromkeys(unit_ids):
        unit = session.get(EscortUnit, uid)
        if unit is None or unit.organization_id != caller.organization_id:
            raise InvalidInput(
                f"escort unit {uid} not found among your units",
                errors=[{"loc": ["body", "unit_ids"], "msg": f"unknown unit {uid}"}],
            )
        units.append(unit)
    transition(session, movement, arrangement, Operation(Op.assign_escort, escort_assigned=True))
    movement.escorts = units
    movement.updated_at = now
    event(
        session,
        movement,
        "escort_assigned",
        caller=caller,
        now=now,
        units=[u.call_sign for u in units],
    )
    session.flush()
    return movement


def cancel(session: Session, *, caller: Caller, movement_id: int, reason: str, now: datetime) -> Movement:
    """Call a planned movement off."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    _require_planner(caller, movement)
    _, arrangement = current_arrangement(session)
    transition(session, movement, arrangement, Operation(Op.cancel))
    movement.updated_at = now
    event(session, movement, "cancelled", caller=caller, now=now, reason=reason)
    session.flush()
    return movement

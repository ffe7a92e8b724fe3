"""Waivers: a joint exemption of one movement from one blocking rule of one protocol version.

Asked for by the movement's planners or a party's approver, approved by an approver of every party; it
counts at a check while it has every approval, has not expired and has not been withdrawn. Agreeing takes
every party; withdrawing takes one: either party's approvers, or the movement's planners, may withdraw a
waiver at any time, with a reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.movements import service as movements_service
from outrider.movements.lifecycle import LIVE
from outrider.movements.models import Movement
from outrider.protocols import agreement as pure
from outrider.protocols import schemas as s
from outrider.protocols import service
from outrider.protocols.models import ProtocolVersion, ProtocolWaiver, WaiverApproval
from outrider.shapes import read_of

MIN_REASON = 10


def approved_for(session: Session, movement: Movement, row: ProtocolVersion) -> list[pure.Waiver]:
    """The movement's waivers of rules of this version, as the pure gate reads them."""
    rows = session.scalars(
        select(ProtocolWaiver).where(
            ProtocolWaiver.movement_id == movement.id, ProtocolWaiver.version_id == row.id
        )
    )
    return [pure_waiver(w) for w in rows]


def pure_waiver(row: ProtocolWaiver) -> pure.Waiver:
    """The pure waiver of a stored one (approvals by party)."""
    return pure.Waiver(
        rule_id=row.rule_id,
        protocol_hash=row.protocol_hash,
        movement_id=str(row.movement_id),
        justification=row.justification,
        expires_at=row.expires_at,
        approved_by={a.party: str(a.user_id) for a in row.approvals},
        withdrawn_at=row.withdrawn_at,
    )


def waiver_read(row: ProtocolWaiver, version: ProtocolVersion, now: datetime) -> s.WaiverRead:
    """The API shape of a waiver, with whether it counts now."""
    parties = [p.party for p in version.parties]
    problem = pure.waiver_problem(
        pure_waiver(row),
        rule_id=row.rule_id,
        protocol_hash=version.document_hash,
        movement_id=str(row.movement_id),
        parties=parties,
        now=now,
    )
    approved = {a.party for a in row.approvals}
    return read_of(
        s.WaiverRead,
        row,
        protocol_id=version.protocol_id,
        protocol_version=version.version,
        valid_now=problem is None,
        problem=problem,
        approvals=[read_of(s.WaiverApprovalRead, a) for a in row.approvals],
        awaiting=[p for p in parties if p not in approved],
    )


def version_for(session: Session, movement: Movement, protocol_id: str | None) -> ProtocolVersion:
    versions = service.effective_versions(session, movements_service.local_day(movement))
    if protocol_id is not None:
        versions = [v for v in versions if v.protocol_id == protocol_id]
    if not versions:
        raise Conflict(
            f"no protocol{' ' + protocol_id if protocol_id else ''} is in force for {movement.reference}"
        )
    if len(versions) > 1:
        raise InvalidInput(
            "several protocols are in force for this movement: name one (protocol_id): "
            + ", ".join(v.protocol_id for v in versions)
        )
    return versions[0]


def _approve_as_party(
    row: ProtocolWaiver, version: ProtocolVersion, caller: Caller, now: datetime
) -> str | None:
    """Record the caller's approval for their party, if they approve for one; returns the party."""
    for party, org_id in service.party_orgs(version).items():
        if policy.may_approve_waiver(caller, party_org_id=org_id):
            if any(a.party == party for a in row.approvals):
                raise Conflict(f"{party} has already approved waiver {row.id}")
            row.approvals.append(
                WaiverApproval(party=party, organization_id=org_id, user_id=caller.user_id, at=now)
            )
            if {a.party for a in row.approvals} >= set(service.party_orgs(version)):
                row.state = "approved"
            return party
    return None


def _waiver_event(
    session: Session,
    caller: Caller,
    movement: Movement,
    kind: str,
    row: ProtocolWaiver,
    now: datetime,
    **details: Any,
) -> None:
    movements_service.event(
        session,
        movement,
        kind,
        caller=caller,
        now=now,
        waiver_id=row.id,
        rule=row.rule_id,
        state=row.state,
        **details,
    )


def request_waiver(
    session: Session, *, caller: Caller, movement_id: int, data: s.WaiverCreate, now: datetime
) -> s.WaiverRead:
    """Ask for a movement to be exempted from one blocking rule; the requester's party approves at once."""
    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    if not policy.may_request_waiver(caller, requesting_org_id=movement.organization_id):
        raise Forbidden("waivers are requested by the movement's planners or by a party's approvers")
    version = version_for(session, movement, data.protocol_id)
    planner = policy.may_plan(caller, requesting_org_id=movement.organization_id)
    if not planner and caller.organization_id not in service.party_orgs(version).values():
        raise Forbidden(f"your organisation is not a party to protocol {version.protocol_id}")
    rules = {r.id: r for r in service.compiled_of(version).document.rules}
    rule = rules.get(data.rule_id)
    if rule is None:
        raise InvalidInput(f"protocol {version.protocol_id} v{version.version} has no rule {data.rule_id!r}")
    if rule.severity != "blocking":
        raise InvalidInput(f"{rule.id} is a warning: it never blocks, so it needs no waiver")
    if len(data.justification.strip()) < pure.MIN_JUSTIFICATION:
        raise InvalidInput(f"a justification needs at least {pure.MIN_JUSTIFICATION} characters")
    if data.expires_at <= now:
        raise InvalidInput("the expiry must be in the future")
    for other in session.scalars(
        select(ProtocolWaiver).where(
            ProtocolWaiver.movement_id == movement.id,
            ProtocolWaiver.version_id == version.id,
            ProtocolWaiver.rule_id == rule.id,
        )
    ):
        if other.expires_at > now and other.withdrawn_at is None:
            raise Conflict(f"waiver {other.id} for {rule.id} on this movement is still open ({other.state})")
    row = ProtocolWaiver(
        movement_id=movement.id,
        version_id=version.id,
        protocol_hash=version.document_hash,
        rule_id=rule.id,
        justification=data.justification.strip(),
        expires_at=data.expires_at,
        state="pending",
        requested_by=caller.user_id,
        requested_at=now,
    )
    session.add(row)
    party = _approve_as_party(row, version, caller, now)
    session.flush()
    _waiver_event(
        session,
        caller,
        movement,
        "waiver_requested",
        row,
        now,
        party=party,
        expires_at=row.expires_at.isoformat(),
    )
    return waiver_read(row, version, now)


def _stored(
    session: Session, waiver_id: int, movement_id: int | None
) -> tuple[ProtocolWaiver, ProtocolVersion, Movement]:
    """A waiver with its protocol version and movement; NotFound when it is not that movement's."""
    row = session.get(ProtocolWaiver, waiver_id)
    if row is None or (movement_id is not None and row.movement_id != movement_id):
        raise NotFound(f"waiver {waiver_id} not found")
    version = session.get(ProtocolVersion, row.version_id)
    movement = session.get(Movement, row.movement_id)
    assert version is not None and movement is not None
    return row, version, movement


def approve_waiver(
    session: Session, *, caller: Caller, waiver_id: int, now: datetime, movement_id: int | None = None
) -> s.WaiverRead:
    """A party approves a waiver; it counts once every party has approved, until it expires. With
    ``movement_id`` the waiver must be that movement's."""
    row, version, movement = _stored(session, waiver_id, movement_id)
    if not any(
        policy.may_approve_waiver(caller, party_org_id=o) for o in service.party_orgs(version).values()
    ):
        raise Forbidden(
            f"only the approvers of a party to protocol {version.protocol_id} approve its waivers"
        )
    if row.withdrawn_at is not None:
        raise Conflict(f"waiver {row.id} was withdrawn at {row.withdrawn_at.isoformat()}")
    if row.expires_at <= now:
        raise Conflict(f"waiver {row.id} expired at {row.expires_at.isoformat()}")
    party = _approve_as_party(row, version, caller, now)
    session.flush()
    _waiver_event(session, caller, movement, "waiver_approved", row, now, party=party)
    return waiver_read(row, version, now)


def withdraw_waiver(
    session: Session,
    *,
    caller: Caller,
    waiver_id: int,
    reason: str,
    now: datetime,
    movement_id: int | None = None,
) -> s.WaiverRead:
    """Withdraw a waiver: it never counts again. One party suffices (agreeing an exemption takes both,
    ending one takes either). A movement already approved under it stays approved, and its organisation
    gets a `protocol_waiver_withdrawn` alert to re-plan or re-check before departure. With
    ``movement_id`` the waiver must be that movement's."""
    row, version, movement = _stored(session, waiver_id, movement_id)
    approver = any(
        policy.may_approve_waiver(caller, party_org_id=o) for o in service.party_orgs(version).values()
    )
    if not approver and not policy.may_plan(caller, requesting_org_id=movement.organization_id):
        raise Forbidden(
            "a waiver is withdrawn by the approvers of a party to the protocol or by the movement's planners"
        )
    if len(reason.strip()) < MIN_REASON:
        raise InvalidInput(f"a reason for withdrawing needs at least {MIN_REASON} characters")
    if row.withdrawn_at is not None:
        raise Conflict(f"waiver {row.id} was already withdrawn at {row.withdrawn_at.isoformat()}")
    if row.expires_at <= now:
        raise Conflict(f"waiver {row.id} expired at {row.expires_at.isoformat()}: nothing to withdraw")
    was = row.state
    row.state, row.withdrawn_by, row.withdrawn_at = "withdrawn", caller.user_id, now
    row.withdrawal_reason = reason.strip()
    session.flush()
    _waiver_event(session, caller, movement, "waiver_withdrawn", row, now, reason=row.withdrawal_reason)
    if was == "approved" and movement.status in LIVE:
        alerts_service.raise_about_movement(
            session,
            movement,
            kind="protocol_waiver_withdrawn",
            severity=Severity.high,
            title=f"waiver of {row.rule_id} withdrawn for {movement.reference}: re-check before it moves",
            details={"waiver_id": row.id, "rule": row.rule_id, "movement_id": movement.id},
            now=now,
        )
    return waiver_read(row, version, now)


def waivers_of(session: Session, *, caller: Caller, movement_id: int, now: datetime) -> list[s.WaiverRead]:
    """A movement's waivers, newest first."""
    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    out = []
    for row in session.scalars(
        select(ProtocolWaiver)
        .where(ProtocolWaiver.movement_id == movement.id)
        .order_by(ProtocolWaiver.id.desc())
    ):
        version = session.get(ProtocolVersion, row.version_id)
        assert version is not None
        out.append(waiver_read(row, version, now))
    return out

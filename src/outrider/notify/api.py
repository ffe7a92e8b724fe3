"""HTTP routes of alert delivery's directory: contact points, rosters, escalation policies, webhook
endpoints. The services decide who may; the joint default policy is read-only here (it follows the
arrangement, which changes through governance)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from outrider.db import utcnow
from outrider.http import CallerDep, SessionDep
from outrider.inputs import Id, When
from outrider.notify import contacts, endpoints, policy_service, roster_service
from outrider.notify.directory_schemas import (
    ContactCreate,
    ContactRead,
    ContactVerify,
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    OnDutyAnswer,
    PolicyCreate,
    PolicyRead,
    RosterCreate,
    RosterRead,
    ShiftCreate,
    ShiftRead,
)

router = APIRouter(prefix="/api/v1/notify", tags=["notify"])


# --- contact points ---------------------------------------------------------------------------------


@router.get("/contacts", response_model=list[ContactRead])
def list_contacts(caller: CallerDep, session: SessionDep) -> list[ContactRead]:
    """Your contact points."""
    return [ContactRead.model_validate(p) for p in contacts.list_own(session, caller=caller)]


# A code past a bound (3 an hour to a point, 10 a day for a user, 5 a day to an address whoever asks).
_THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {
        "description": "Too many verification codes; see `Retry-After` (the message beside `address`)",
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}


@router.post("/contacts", response_model=ContactRead, status_code=201, responses=_THROTTLED)
def add_contact(data: ContactCreate, caller: CallerDep, session: SessionDep) -> ContactRead:
    """Add an e-mail address or phone number of yours; a code is sent to it (good for 15 minutes)."""
    point = contacts.add(session, caller=caller, channel=data.channel, address=data.address, now=utcnow())
    return ContactRead.model_validate(point)


@router.post("/contacts/{contact_id}/verify", response_model=ContactRead)
def verify_contact(
    contact_id: Id, data: ContactVerify, caller: CallerDep, session: SessionDep
) -> ContactRead:
    """Verify a contact point with the code sent to it (5 tries)."""
    point = contacts.verify(session, caller=caller, contact_id=contact_id, code=data.code, now=utcnow())
    return ContactRead.model_validate(point)


@router.post("/contacts/{contact_id}/resend", response_model=ContactRead, responses=_THROTTLED)
def resend_code(contact_id: Id, caller: CallerDep, session: SessionDep) -> ContactRead:
    """Send a new code to an unverified contact point."""
    return ContactRead.model_validate(
        contacts.resend(session, caller=caller, contact_id=contact_id, now=utcnow())
    )


@router.post("/contacts/{contact_id}/disable", response_model=ContactRead)
def disable_contact(contact_id: Id, caller: CallerDep, session: SessionDep) -> ContactRead:
    """Stop calling you at this contact point."""
    return ContactRead.model_validate(
        contacts.disable(session, caller=caller, contact_id=contact_id, now=utcnow())
    )


# --- rosters ----------------------------------------------------------------------------------------


@router.get("/rosters", response_model=list[RosterRead])
def list_rosters(caller: CallerDep, session: SessionDep) -> list[RosterRead]:
    """Your organisation's duty rosters with their shifts."""
    return [roster_service.read(session, r) for r in roster_service.list_rosters(session, caller=caller)]


@router.post("/rosters", response_model=RosterRead, status_code=201)
def create_roster(data: RosterCreate, caller: CallerDep, session: SessionDep) -> RosterRead:
    """A new duty roster (an IANA time zone; optionally one site's)."""
    roster = roster_service.create_roster(session, caller=caller, data=data, now=utcnow())
    return roster_service.read(session, roster)


@router.get("/rosters/{roster_id}", response_model=RosterRead)
def get_roster(roster_id: Id, caller: CallerDep, session: SessionDep) -> RosterRead:
    """One roster with its shifts."""
    return roster_service.read(
        session, roster_service.get_roster(session, caller=caller, roster_id=roster_id)
    )


@router.post("/rosters/{roster_id}/shifts", response_model=ShiftRead, status_code=201)
def add_shift(roster_id: Id, data: ShiftCreate, caller: CallerDep, session: SessionDep) -> ShiftRead:
    """Put a user of the roster's organisation on it: weekly, or once (a stand-in that wins that time)."""
    shift = roster_service.add_shift(session, caller=caller, roster_id=roster_id, data=data, now=utcnow())
    return ShiftRead.model_validate(shift)


@router.delete("/rosters/{roster_id}/shifts/{shift_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_shift(roster_id: Id, shift_id: Id, caller: CallerDep, session: SessionDep) -> None:
    """Take a shift off a roster."""
    roster_service.remove_shift(session, caller=caller, roster_id=roster_id, shift_id=shift_id, now=utcnow())


@router.get("/rosters/{roster_id}/on-duty", response_model=OnDutyAnswer)
def on_duty(
    roster_id: Id,
    caller: CallerDep,
    session: SessionDep,
    at: Annotated[When | None, Query(description="ISO 8601 with a zone; default now")] = None,
) -> OnDutyAnswer:
    """Who is on the roster's duty at an instant, primaries first."""
    return roster_service.on_duty_answer(session, caller=caller, roster_id=roster_id, at=at or utcnow())


# --- escalation policies ----------------------------------------------------------------------------


@router.get("/policies", response_model=list[PolicyRead])
def list_policies(
    caller: CallerDep, session: SessionDep, all_versions: Annotated[bool, Query()] = False
) -> list[PolicyRead]:
    """The policies in force for your organisation and the joint default (every version with
    ``all_versions``)."""
    rows = policy_service.list_for(session, caller=caller, all_versions=all_versions)
    return [PolicyRead.model_validate(r) for r in rows]


@router.post("/policies", response_model=PolicyRead, status_code=201)
def create_policy(data: PolicyCreate, caller: CallerDep, session: SessionDep) -> PolicyRead:
    """A new escalation policy, or the next version of the one of that name (alerts in flight keep the
    plan frozen when they fired)."""
    return PolicyRead.model_validate(policy_service.create(session, caller=caller, data=data, now=utcnow()))


@router.get("/policies/{policy_id}", response_model=PolicyRead)
def get_policy(policy_id: Id, caller: CallerDep, session: SessionDep) -> PolicyRead:
    """One version of a policy."""
    return PolicyRead.model_validate(policy_service.get(session, caller=caller, policy_id=policy_id))


@router.post("/policies/{policy_id}/deactivate", response_model=PolicyRead)
def deactivate_policy(policy_id: Id, caller: CallerDep, session: SessionDep) -> PolicyRead:
    """Stop applying a policy (alerts in flight keep their plans; the joint default is read-only)."""
    row = policy_service.deactivate(session, caller=caller, policy_id=policy_id, now=utcnow())
    return PolicyRead.model_validate(row)


# --- webhook endpoints ------------------------------------------------------------------------------


@router.get("/endpoints", response_model=list[EndpointRead])
def list_endpoints(caller: CallerDep, session: SessionDep) -> list[EndpointRead]:
    """Your organisation's webhook endpoints (never their secrets)."""
    return [EndpointRead.model_validate(e) for e in endpoints.list_for(session, caller=caller)]


@router.post("/endpoints", response_model=EndpointCreated, status_code=201)
def create_endpoint(data: EndpointCreate, caller: CallerDep, session: SessionDep) -> EndpointCreated:
    """Register a webhook endpoint; its signing secret is in this answer only."""
    row = endpoints.create(session, caller=caller, data=data, now=utcnow())
    return EndpointCreated(**EndpointRead.model_validate(row).model_dump(), secret=row.secret)


@router.post("/endpoints/{endpoint_id}/revoke", response_model=EndpointRead)
def revoke_endpoint(endpoint_id: Id, caller: CallerDep, session: SessionDep) -> EndpointRead:
    """Stop posting to a webhook endpoint."""
    return EndpointRead.model_validate(
        endpoints.revoke(session, caller=caller, endpoint_id=endpoint_id, now=utcnow())
    )

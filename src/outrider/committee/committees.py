"""Joint committees and their members: created and staffed by the founding parties' administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.audit import service as audit_service
from outrider.committee import access
from outrider.committee import schemas as s
from outrider.committee.models import Committee, Member
from outrider.db import Base
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.governance import rules
from outrider.governance import service as governance_service
from outrider.protocols import signing_keys
from outrider.protocols.models import SigningKey

FORMER = access.FORMER


def audit(
    session: Session,
    caller: Caller,
    action: str,
    object_type: str,
    object_id: int,
    now: datetime,
    **details: Any,
) -> None:
    """One entry of the audit chain for a change (or a read of a restricted item) of the committee."""
    audit_service.record(
        session,
        actor=caller,
        action=f"committee.{action}",
        object_type=object_type,
        object_id=object_id,
        fields=sorted(details),
        details=details,
        now=now,
    )


def insert_once(session: Session, row: Base, refusal: str) -> None:
    """Add a row whose unique key a concurrent request may have taken meanwhile: Conflict, never a 500."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(refusal) from None


def _founding(session: Session) -> rules.Founding:
    founding = governance_service.founding_of(session)
    if founding is None:
        raise Conflict(
            "the joint arrangement has not been founded: a committee joins its two founding parties"
        )
    return founding


def create_committee(
    session: Session, *, caller: Caller, data: s.CommitteeCreate, now: datetime
) -> Committee:
    """A new joint committee of the founding parties (an administrator of either founding party)."""
    founding = governance_service.founding_of(session)
    if rules.founding_party(caller, founding) is None:
        raise Forbidden("only an administrator of a founding party creates a joint committee")
    founding = _founding(session)
    if session.scalar(select(Committee.id).where(Committee.name == data.name)) is not None:
        raise Conflict(f"a committee named {data.name!r} exists")
    row = Committee(
        name=data.name,
        host_org_id=founding.host_org_id,
        partner_org_id=founding.partner_org_id,
        created_by=caller.user_id,
        created_at=now,
    )
    insert_once(session, row, f"a committee named {data.name!r} exists")
    audit(session, caller, "create", "committee", row.id, now, name=row.name)
    return row


def list_committees(session: Session, *, caller: Caller) -> list[Committee]:
    """The committees the caller may read."""
    rows = session.scalars(select(Committee).order_by(Committee.id))
    return [c for c in rows if access.may_read(access.seat_of(session, caller, c))]


NOT_A_PARTY_USER = "only active users of the two founding parties sit on the joint committee"


def party_of_user(committee: Committee, user: User) -> str:
    """The founding party a user belongs to; InvalidInput for anyone else (companies, other parties)."""
    if user.organization_id == committee.host_org_id:
        return s.Party.host.value
    if user.organization_id == committee.partner_org_id:
        return s.Party.partner.value
    raise InvalidInput(NOT_A_PARTY_USER)


def add_member(
    session: Session, *, caller: Caller, committee_id: int, data: s.MemberAdd, now: datetime
) -> Member:
    """Seat a user of the caller's founding party on the committee (one chair per party)."""
    committee, seat = access.readable(session, caller, committee_id)
    if seat.admin_party is None:  # before the user is looked at: the answer tells nothing of them
        raise Forbidden("only an administrator of a founding party names the committee's members")
    user = session.get(User, data.user_id)
    if user is None or not user.is_active:  # answered as a user of no founding party: ids tell nothing
        raise InvalidInput(NOT_A_PARTY_USER)
    party = party_of_user(committee, user)
    if not access.may_manage_members(seat, party):
        raise Forbidden(f"only an administrator of the {party} party names its members")
    former = next((m for m in committee.members if m.user_id == user.id), None)
    if former is not None and former.role != FORMER:
        raise Conflict(f"user {user.id} already sits on the committee")
    if data.role is s.Role.chair and any(m.party == party and m.role == "chair" for m in committee.members):
        raise Conflict(f"the {party} party already has a chair; remove them first")
    if former is not None:  # seated again: the same row, so past attendance stays theirs
        row, row.role, row.added_by, row.added_at = former, data.role.value, caller.user_id, now
    else:
        row = Member(
            committee_id=committee.id,
            user_id=user.id,
            party=party,
            role=data.role.value,
            added_by=caller.user_id,
            added_at=now,
        )
        insert_once(session, row, f"user {user.id} was seated meanwhile")
        session.expire(committee, ["members"])
    session.flush()
    audit(session, caller, "add_member", "committee", committee.id, now, user_id=user.id, role=row.role)
    return row


def remove_member(
    session: Session, *, caller: Caller, committee_id: int, user_id: int, now: datetime
) -> None:
    """Take a member of the caller's founding party off the committee (past attendance stays recorded)."""
    committee, seat = access.readable(session, caller, committee_id)
    row = next((m for m in committee.members if m.user_id == user_id), None)
    if row is None:
        raise NotFound(f"user {user_id} does not sit on committee {committee_id}")
    if not access.may_manage_members(seat, row.party):
        raise Forbidden(f"only an administrator of the {row.party} party removes its members")
    # Attendance rows name the member; they are kept, so the member row is kept too, as a former member.
    row.role = FORMER
    session.flush()
    audit(session, caller, "remove_member", "committee", committee.id, now, user_id=user_id)


def committee_read(committee: Committee, seat: access.Seat) -> s.CommitteeRead:
    """A committee as the faces show it, with the caller's seat on it."""
    members = [s.MemberRead.model_validate(m) for m in committee.members if m.role != FORMER]
    return s.CommitteeRead(
        id=committee.id,
        name=committee.name,
        host_org_id=committee.host_org_id,
        partner_org_id=committee.partner_org_id,
        created_at=committee.created_at,
        members=members,
        your_seat=seat.member_role or ("admin" if seat.admin_party else "auditor"),
    )


def register_signing_key(
    session: Session, *, caller: Caller, public_key: bytes, label: str, now: datetime
) -> SigningKey:
    """Register the caller's own Ed25519 key to sign minutes: a committee's chair may, though not an
    administrator (the key signs nothing else: protocols and governance approvals need an administrator)."""
    chair = session.scalar(
        select(Member.id).where(Member.user_id == caller.user_id, Member.role == s.Role.chair.value).limit(1)
    )
    if chair is None and "admin" not in caller.roles:
        raise Forbidden("only a committee's chair (or an administrator) registers a key to sign minutes")
    return signing_keys.register_key(
        session, caller=caller, public_key=public_key, label=label, now=now, permitted=chair is not None
    )

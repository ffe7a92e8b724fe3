"""A meeting's minutes: sections, the canonical document both parties sign, the signatures, revisions.

Both parties' signatures of the same hash approve a revision and freeze it (the first signature already
freezes it: a change would void the signature given). A new revision reopens the minutes; both sign
again. What is stored is hashed again on every read, so minutes altered behind the service's back show
as ``tampered``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.committee import access, minutes_signing, outcomes
from outrider.committee import schemas as s
from outrider.committee.committees import audit, insert_once
from outrider.committee.meetings import editable, meeting_and_seat
from outrider.committee.models import (
    AgendaItem,
    Attendance,
    Committee,
    Meeting,
    MinutesApproval,
    MinutesSection,
    Outcome,
)
from outrider.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from outrider.protocols import keys, signing_keys


def items_of(session: Session, meeting_id: int) -> list[AgendaItem]:
    """The meeting's agenda, in order."""
    return list(
        session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)
        )
    )


def sections_of(session: Session, meeting_id: int) -> list[MinutesSection]:
    """The minutes' sections, in order."""
    return list(
        session.scalars(
            select(MinutesSection)
            .where(MinutesSection.meeting_id == meeting_id)
            .order_by(MinutesSection.position)
        )
    )


def outcomes_of(session: Session, item_ids: list[int]) -> list[Outcome]:
    """The outcomes of these agenda items, in the order they were recorded."""
    if not item_ids:
        return []
    return list(
        session.scalars(select(Outcome).where(Outcome.agenda_item_id.in_(item_ids)).order_by(Outcome.id))
    )


def document(session: Session, meeting: Meeting) -> dict[str, Any]:
    """The minutes of the meeting's current revision, every text in full (what is hashed and signed)."""
    committee = session.get_one(Committee, meeting.committee_id)
    members = {m.id: m for m in committee.members}
    items = items_of(session, meeting.id)
    attendance = session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)
    )
    return {
        "committee_id": committee.id,
        "meeting": {
            "id": meeting.id,
            "number": meeting.number,
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "timezone": meeting.timezone,
            "place": meeting.place,
        },
        "revision": meeting.minutes_revision,
        "attendance": [_attendance(a, members) for a in attendance],
        "agenda": [
            {
                "id": i.id,
                "position": i.position,
                "title": i.title,
                "restricted_to": i.restricted_to,
                "text": i.text,
            }
            for i in items
        ],
        "sections": [
            {"position": x.position, "agenda_item_id": x.agenda_item_id, "text": x.text}
            for x in sections_of(session, meeting.id)
        ],
        "outcomes": [
            {
                "id": o.id,
                "agenda_item_id": o.agenda_item_id,
                "kind": o.kind,
                "text": o.text,
                "protocol_version_id": o.protocol_version_id,
                "commitment_id": o.commitment_id,
            }
            for o in outcomes_of(session, [i.id for i in items])
        ],
    }


def _attendance(a: Attendance, members: dict[int, Any]) -> dict[str, Any]:
    m = members.get(a.member_id) if a.member_id is not None else None
    return {
        "member_id": a.member_id,
        "user_id": m.user_id if m else None,
        "party": m.party if m else None,
        "guest_name": a.guest_name,
        "guest_affiliation": a.guest_affiliation,
        "status": a.status,
    }


def approvals_of(session: Session, meeting: Meeting, *, revision: int | None = None) -> list[MinutesApproval]:
    """The signatures of a revision (the current one unless given)."""
    rev = meeting.minutes_revision if revision is None else revision
    return list(
        session.scalars(
            select(MinutesApproval)
            .where(MinutesApproval.meeting_id == meeting.id, MinutesApproval.revision == rev)
            .order_by(MinutesApproval.id)
        )
    )


def signature_ok(a: MinutesApproval) -> bool:
    """The stored signature verifies under the stored key for the stored hash."""
    try:
        return minutes_signing.verify(bytes.fromhex(a.public_key), a.minutes_hash, bytes.fromhex(a.signature))
    except ValueError:  # hex altered in storage
        return False


def standing(session: Session, meeting: Meeting) -> minutes_signing.Standing:
    """Where the current revision stands, hashed again from what is stored now."""
    digest = minutes_signing.minutes_hash(document(session, meeting))
    signed = [
        minutes_signing.Signed(a.party, a.minutes_hash, signature_ok(a))
        for a in approvals_of(session, meeting)
    ]
    return minutes_signing.standing(digest, signed)


def write_section(
    session: Session, *, caller: Caller, meeting_id: int, data: s.SectionWrite, now: datetime
) -> MinutesSection:
    """Add a section at the end of the minutes, or replace the text of the section at ``position``."""
    meeting, seat = editable(session, caller, meeting_id)
    if data.agenda_item_id is not None:
        item = session.get(AgendaItem, data.agenda_item_id)
        if (
            item is None
            or item.meeting_id != meeting.id
            or not access.may_read_item(seat, item.restricted_to)
        ):
            raise InvalidInput(
                f"agenda_item_id: {data.agenda_item_id} is not an item of this meeting you read"
            )
    sections = sections_of(session, meeting.id)
    row = next((x for x in sections if x.position == data.position), None) if data.position else None
    if row is None and data.position is not None and data.position != len(sections) + 1:
        raise InvalidInput(f"position: the minutes have {len(sections)} sections; add one at the end")
    if row is not None:
        _require_section_readable(session, seat, row)
        row.text, row.agenda_item_id, row.updated_by, row.updated_at = (
            data.text,
            data.agenda_item_id,
            caller.user_id,
            now,
        )
    else:
        row = MinutesSection(
            meeting_id=meeting.id,
            position=len(sections) + 1,
            agenda_item_id=data.agenda_item_id,
            text=data.text,
            updated_by=caller.user_id,
            updated_at=now,
        )
        session.add(row)
    session.flush()
    audit(session, caller, "write_minutes", "committee_meeting", meeting.id, now, position=row.position)
    return row


def _require_section_readable(session: Session, seat: access.Seat, row: MinutesSection) -> None:
    if row.agenda_item_id is None:
        return
    item = session.get_one(AgendaItem, row.agenda_item_id)
    if not access.may_read_item(seat, item.restricted_to):
        raise Forbidden("that section is about a restricted item you are not named on")


def sign(
    session: Session,
    *,
    caller: Caller,
    meeting_id: int,
    minutes_hash: str,
    public_key: str,
    signature: str,
    now: datetime,
) -> MinutesApproval:
    """Sign the current minutes for the caller's party; the second party's signature approves them."""
    meeting, seat = meeting_and_seat(session, caller, meeting_id)
    parties = access.signing_parties(seat)
    if not parties:
        raise Forbidden("the minutes are signed for a party by its chair or an administrator of that party")
    if meeting.status == s.MeetingStatus.planned.value:
        raise Conflict("the meeting has not been held: there are no minutes to sign")
    if meeting.status == s.MeetingStatus.minutes_approved.value:
        raise Conflict(
            f"revision {meeting.minutes_revision} of the minutes is already approved by both parties"
        )
    if not sections_of(session, meeting.id):
        raise Conflict("the minutes have no section yet")
    raw_key = keys.parse_public_key(public_key)
    raw_sig = keys.decode_bytes(signature, "signature")
    key = signing_keys.own_key(session, caller=caller, public_key=raw_key)
    current = standing(session, meeting)
    if minutes_hash != current.current_hash:
        raise RuleViolation("the hash you sign is not the minutes' hash now; read the minutes again")
    if not minutes_signing.verify(raw_key, minutes_hash, raw_sig):
        raise InvalidInput("the signature is not this key's signature of these minutes")
    if current.tampered:
        raise Conflict("the stored minutes no longer match a signature given: open a new revision")
    signed = {a.party for a in approvals_of(session, meeting)}
    party = next((p for p in parties if p not in signed), None)
    if party is None:
        raise Conflict(f"the {parties[0]} party has already signed revision {meeting.minutes_revision}")
    row = MinutesApproval(
        meeting_id=meeting.id,
        revision=meeting.minutes_revision,
        party=party,
        organization_id=caller.organization_id,
        user_id=caller.user_id,
        key_id=key.id,
        minutes_hash=minutes_hash,
        public_key=raw_key.hex(),
        signature=raw_sig.hex(),
        at=now,
    )
    insert_once(session, row, f"the {party} party has already signed revision {meeting.minutes_revision}")
    details = {
        "party": party,
        "revision": row.revision,
        "minutes_hash": minutes_hash,
        "fingerprint": key.fingerprint,
    }
    audit(session, caller, "sign_minutes", "committee_meeting", meeting.id, now, **details)
    if standing(session, meeting).approved:
        _approved(session, caller, meeting, minutes_hash, now)
    return row


def _approved(session: Session, caller: Caller, meeting: Meeting, digest: str, now: datetime) -> None:
    meeting.status = s.MeetingStatus.minutes_approved.value
    session.flush()
    audit(
        session,
        caller,
        "approve_minutes",
        "committee_meeting",
        meeting.id,
        now,
        revision=meeting.minutes_revision,
    )
    outcomes.minutes_evidence(session, caller=caller, meeting=meeting, digest=digest, now=now)


def revise(session: Session, *, caller: Caller, meeting_id: int, reason: str, now: datetime) -> Meeting:
    """Open a new revision of signed minutes (chairs, secretariat): both parties must sign it again."""
    meeting, seat = meeting_and_seat(session, caller, meeting_id)
    access.require_editor(seat)
    signed = session.scalar(
        select(func.count(MinutesApproval.id)).where(
            MinutesApproval.meeting_id == meeting.id, MinutesApproval.revision == meeting.minutes_revision
        )
    )
    if not signed:
        raise Conflict(f"revision {meeting.minutes_revision} is not signed yet: change it as it is")
    before = minutes_signing.minutes_hash(document(session, meeting))
    meeting.minutes_revision += 1
    meeting.status = s.MeetingStatus.held.value
    session.flush()
    audit(
        session,
        caller,
        "revise_minutes",
        "committee_meeting",
        meeting.id,
        now,
        revision=meeting.minutes_revision,
        previous_hash=before,
        reason=reason,
    )
    return meeting

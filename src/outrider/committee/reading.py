"""A meeting as a reader sees it: restricted items' contents only for the members they name (every such
showing audited), the minutes with their hash, signatures and whether the stored text still matches."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.committee import access, meetings, minutes, minutes_signing
from outrider.committee import schemas as s
from outrider.committee.committees import audit
from outrider.committee.models import AgendaItem, Attendance, Committee, ItemComment, Meeting
from outrider.protocols import keys


def meeting_read(
    session: Session, *, caller: Caller, meeting: Meeting, seat: access.Seat, now: datetime
) -> s.MeetingRead:
    """The meeting with its agenda, attendance and minutes, as this caller may read them."""
    committee = session.get_one(Committee, meeting.committee_id)
    items = minutes.items_of(session, meeting.id)
    visible = _visible(items, seat)
    audit_restricted(session, caller, meeting, items, visible, now)
    outcomes = minutes.outcomes_of(session, sorted(visible))
    comments = _comments(session, sorted(visible))
    agenda = [
        _item(i, i.id in visible, [o for o in outcomes if o.agenda_item_id == i.id], comments.get(i.id, []))
        for i in items
    ]
    return s.MeetingRead(
        **meeting_summary(meeting).model_dump(),
        committee_name=committee.name,
        agenda=agenda,
        attendance=meeting_attendance(session, meeting.id),
        minutes=minutes_read(session, meeting, seat, visible),
    )


def meeting_summary(meeting: Meeting) -> s.MeetingSummary:
    """One line of a committee's list of meetings."""
    return s.MeetingSummary(
        id=meeting.id,
        committee_id=meeting.committee_id,
        number=meeting.number,
        title=meeting.title,
        starts_at=meeting.starts_at.astimezone(ZoneInfo(meeting.timezone)),
        timezone=meeting.timezone,
        place=meeting.place,
        status=s.MeetingStatus(meeting.status),
    )


def _item(
    i: AgendaItem, readable: bool, outcomes: list[object], comments: list[s.CommentRead]
) -> s.AgendaItemRead:
    return s.AgendaItemRead(
        id=i.id,
        position=i.position,
        title=i.title,
        restricted=i.restricted_to is not None,
        readable=readable,
        generated=i.generated,
        text=i.text if readable else None,
        outcomes=[s.OutcomeRead.model_validate(o, from_attributes=True) for o in outcomes]
        if readable
        else [],
        comments=comments if readable else [],
    )


def _comments(session: Session, item_ids: list[int]) -> dict[int, list[s.CommentRead]]:
    out: dict[int, list[s.CommentRead]] = {}
    if not item_ids:
        return out
    rows = session.scalars(
        select(ItemComment).where(ItemComment.agenda_item_id.in_(item_ids)).order_by(ItemComment.id)
    )
    for c in rows:
        out.setdefault(c.agenda_item_id, []).append(s.CommentRead.model_validate(c, from_attributes=True))
    return out


def _visible(items: list[AgendaItem], seat: access.Seat) -> set[int]:
    return {i.id for i in items if access.may_read_item(seat, i.restricted_to)}


def audit_restricted(
    session: Session,
    caller: Caller,
    meeting: Meeting,
    items: list[AgendaItem],
    visible: set[int],
    now: datetime,
) -> None:
    """Audit a showing of restricted items' contents (their ids, never their text), as itinerary reads are."""
    shown = [i.id for i in items if i.restricted_to is not None and i.id in visible]
    if shown:
        audit(session, caller, "read_restricted", "committee_meeting", meeting.id, now, item_ids=shown)


def minutes_for(session: Session, caller: Caller, meeting_id: int, now: datetime) -> s.MinutesRead:
    """The minutes as the caller reads them (a showing of a restricted item's sections audited)."""
    meeting, seat = meetings.meeting_and_seat(session, caller, meeting_id)
    items = minutes.items_of(session, meeting.id)
    visible = _visible(items, seat)
    audit_restricted(session, caller, meeting, items, visible, now)
    return minutes_read(session, meeting, seat, visible)


def meeting_attendance(session: Session, meeting_id: int) -> list[s.AttendanceRead]:
    """Who attended the meeting, members with their party, guests by name."""
    meeting = session.get_one(Meeting, meeting_id)
    committee = session.get_one(Committee, meeting.committee_id)
    members = {m.id: m for m in committee.members}
    rows = session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)
    )
    out = []
    for a in rows:
        m = members.get(a.member_id) if a.member_id is not None else None
        out.append(
            s.AttendanceRead(
                id=a.id,
                member_id=a.member_id,
                user_id=m.user_id if m else None,
                party=m.party if m else None,
                guest_name=a.guest_name,
                guest_affiliation=a.guest_affiliation,
                status=s.Presence(a.status),
            )
        )
    return out


def minutes_read(session: Session, meeting: Meeting, seat: access.Seat, visible: set[int]) -> s.MinutesRead:
    """The minutes' sections (a restricted item's only as a hash off its list), hash and signatures."""
    standing = minutes.standing(session, meeting)
    sections = [
        s.SectionRead(
            position=x.position,
            agenda_item_id=x.agenda_item_id,
            text=x.text if x.agenda_item_id is None or x.agenda_item_id in visible else None,
            text_sha256=minutes_signing.text_hash(x.text),
        )
        for x in minutes.sections_of(session, meeting.id)
    ]
    approvals = [
        s.ApprovalRead(
            revision=a.revision,
            party=s.Party(a.party),
            user_id=a.user_id,
            organization_id=a.organization_id,
            minutes_hash=a.minutes_hash,
            fingerprint=keys.fingerprint(bytes.fromhex(a.public_key)) if _hex(a.public_key) else "",
            signature_verified=minutes.signature_ok(a),
            at=a.at,
        )
        for a in minutes.approvals_of(session, meeting)
    ]
    return s.MinutesRead(
        revision=meeting.minutes_revision,
        minutes_hash=standing.current_hash,
        approved=meeting.status == s.MeetingStatus.minutes_approved.value and standing.approved,
        awaiting=[s.Party(p) for p in standing.awaiting],
        tampered=standing.tampered,
        sections=sections,
        approvals=approvals,
        can_sign_for=[s.Party(p) for p in access.signing_parties(seat)],
    )


def _hex(value: str) -> bool:
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True

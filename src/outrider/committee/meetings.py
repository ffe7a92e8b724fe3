"""Meetings of a joint committee: scheduling, the agenda, attendance and comments on items.

Records are kept by the committee's chairs and secretariat; once a party has signed the minutes of the
current revision nothing of the meeting changes until a new revision is opened (`minutes.revise`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.committee import access
from outrider.committee import schemas as s
from outrider.committee.committees import audit, insert_once
from outrider.committee.models import (
    AgendaItem,
    Attendance,
    Committee,
    ItemComment,
    Meeting,
    MinutesApproval,
)
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound

FOLLOW_UP = "commitments"
FOLLOW_UP_TITLE = "Follow-up of commitments: open and overdue ones, each side's assessment, new evidence"


def get_meeting(session: Session, *, caller: Caller, meeting_id: int) -> Meeting:
    """A meeting the caller may read (NotFound otherwise, as for a meeting that does not exist)."""
    return meeting_and_seat(session, caller, meeting_id)[0]


def meeting_and_seat(session: Session, caller: Caller, meeting_id: int) -> tuple[Meeting, access.Seat]:
    """The meeting and the caller's seat on its committee; NotFound when the caller may not read it."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"meeting {meeting_id} not found")
    try:
        _committee, seat = access.readable(session, caller, meeting.committee_id)
    except NotFound:
        raise NotFound(f"meeting {meeting_id} not found") from None
    return meeting, seat


def editable(session: Session, caller: Caller, meeting_id: int) -> tuple[Meeting, access.Seat]:
    """A meeting the caller keeps the records of, whose current minutes nobody has signed yet."""
    meeting, seat = meeting_and_seat(session, caller, meeting_id)
    access.require_editor(seat)
    signed = session.scalar(
        select(func.count(MinutesApproval.id)).where(
            MinutesApproval.meeting_id == meeting.id, MinutesApproval.revision == meeting.minutes_revision
        )
    )
    if signed:
        raise Conflict(
            f"the minutes of revision {meeting.minutes_revision} are signed and frozen; "
            "open a new revision (both parties sign it again) to change them"
        )
    return meeting, seat


def _next(session: Session, highest: Select[Any]) -> int:
    """One more than the highest number so far (1 for the first)."""
    return (session.scalar(highest) or 0) + 1


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"timezone: {name!r} is not a time zone (e.g. Asia/Karachi)") from None


def create_meeting(
    session: Session, *, caller: Caller, committee_id: int, data: s.MeetingCreate, now: datetime
) -> Meeting:
    """Schedule the committee's next meeting; the follow-up of commitments is its first agenda item."""
    committee, seat = access.readable(session, caller, committee_id)
    access.require_editor(seat)
    _zone(data.timezone)
    number = _next(session, select(func.max(Meeting.number)).where(Meeting.committee_id == committee.id))
    row = Meeting(
        committee_id=committee.id,
        number=number,
        title=data.title,
        starts_at=data.starts_at,
        timezone=data.timezone,
        place=data.place,
        status=s.MeetingStatus.planned.value,
        minutes_revision=1,
        created_by=caller.user_id,
        created_at=now,
    )
    insert_once(session, row, f"meeting {number} was scheduled meanwhile; try again")
    session.add(_follow_up_item(row, caller, now))
    session.flush()
    audit(session, caller, "create_meeting", "committee_meeting", row.id, now, number=number, title=row.title)
    return row


def _follow_up_item(meeting: Meeting, caller: Caller, now: datetime) -> AgendaItem:
    return AgendaItem(
        meeting_id=meeting.id,
        position=1,
        title=FOLLOW_UP_TITLE,
        text="",
        restricted_to=None,
        generated=FOLLOW_UP,
        created_by=caller.user_id,
        created_at=now,
    )


def list_meetings(session: Session, *, caller: Caller, committee_id: int) -> list[Meeting]:
    """The committee's meetings, in order."""
    committee, _seat = access.readable(session, caller, committee_id)
    return list(
        session.scalars(select(Meeting).where(Meeting.committee_id == committee.id).order_by(Meeting.number))
    )


def set_status(
    session: Session, *, caller: Caller, meeting_id: int, status: s.MeetingStatus, now: datetime
) -> Meeting:
    """Mark a planned meeting held (the minutes' approval is the parties' signatures, never set by hand)."""
    meeting, _seat = editable(session, caller, meeting_id)
    if status is not s.MeetingStatus.held or meeting.status != s.MeetingStatus.planned.value:
        raise Conflict("a planned meeting can be marked held; the minutes are approved by both signatures")
    meeting.status = status.value
    session.flush()
    audit(session, caller, "hold_meeting", "committee_meeting", meeting.id, now, status=status.value)
    return meeting


def add_agenda_item(
    session: Session, *, caller: Caller, meeting_id: int, data: s.AgendaItemCreate, now: datetime
) -> AgendaItem:
    """Add an item at the end of the agenda; a restricted one is read only by the members it names
    (the caller is named on it too, so its author keeps reading it)."""
    meeting, _seat = editable(session, caller, meeting_id)
    restricted: list[int] | None = None
    if data.restricted_to is not None:
        committee = session.get_one(Committee, meeting.committee_id)
        members = {m.user_id for m in committee.members if m.role != access.FORMER}
        strangers = sorted(set(data.restricted_to) - members)
        if strangers:
            raise InvalidInput(f"restricted_to: users {strangers} do not sit on the committee")
        restricted = sorted(set(data.restricted_to) | {caller.user_id})
    position = _next(
        session, select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    )
    row = AgendaItem(
        meeting_id=meeting.id,
        position=position,
        title=data.title,
        text=data.text,
        restricted_to=restricted,
        created_by=caller.user_id,
        created_at=now,
    )
    insert_once(session, row, f"item {position} was added meanwhile; try again")
    audit(
        session,
        caller,
        "add_item",
        "committee_meeting",
        meeting.id,
        now,
        item_id=row.id,
        restricted=restricted,
    )
    return row


def readable_item(
    session: Session, caller: Caller, meeting: Meeting, seat: access.Seat, item_id: int
) -> AgendaItem:
    """An item of this meeting whose contents the caller may read (NotFound otherwise)."""
    item = session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id or not access.may_read_item(seat, item.restricted_to):
        raise NotFound(f"agenda item {item_id} not found in meeting {meeting.id}")
    return item


def set_attendance(
    session: Session, *, caller: Caller, meeting_id: int, data: s.AttendanceSet, now: datetime
) -> Attendance:
    """Record a member's attendance (replacing what was recorded for them) or a guest by name."""
    meeting, _seat = editable(session, caller, meeting_id)
    if (data.member_id is None) == (data.guest_name is None):
        raise InvalidInput("name either a member (member_id) or a guest (guest_name)")
    if data.member_id is not None:
        committee = session.get_one(Committee, meeting.committee_id)
        if not any(m.id == data.member_id for m in committee.members):
            raise InvalidInput(f"member_id: {data.member_id} is not a member of this committee")
        row = session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.member_id == data.member_id
            )
        )
        if row is None:
            row = Attendance(meeting_id=meeting.id, member_id=data.member_id, status=data.status.value)
            session.add(row)
        row.status = data.status.value
    else:
        if data.status is not s.Presence.present:
            raise InvalidInput("status: a guest is recorded as present")
        row = Attendance(
            meeting_id=meeting.id,
            guest_name=data.guest_name,
            guest_affiliation=data.guest_affiliation,
            status=data.status.value,
        )
        session.add(row)
    session.flush()
    audit(
        session,
        caller,
        "attendance",
        "committee_meeting",
        meeting.id,
        now,
        member_id=row.member_id,
        guest=row.guest_name,
        status=row.status,
    )
    return row


def add_comment(
    session: Session, *, caller: Caller, meeting_id: int, item_id: int, data: s.CommentCreate, now: datetime
) -> ItemComment:
    """A member's comment on an agenda item they may read."""
    meeting, seat = meeting_and_seat(session, caller, meeting_id)
    item = readable_item(session, caller, meeting, seat, item_id)
    if not access.may_comment(seat):
        raise Forbidden("only the committee's members comment on its agenda")
    row = ItemComment(
        agenda_item_id=item.id,
        user_id=caller.user_id,
        organization_id=caller.organization_id,
        text=data.text,
        at=now,
    )
    session.add(row)
    session.flush()
    audit(
        session, caller, "comment", "committee_meeting", meeting.id, now, item_id=item.id, comment_id=row.id
    )
    return row

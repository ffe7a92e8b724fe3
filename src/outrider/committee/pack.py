"""The next meeting's pack, gathered for one reader: the agenda, the follow-up of commitments (open,
overdue on the meeting's day, each side's last assessment, evidence since the previous meeting) and the
minutes with their approval. The values are in `pack_model`; the renderings in `pack_html`, `pack_pdf`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.committee import access, assessments, commitments, minutes, news_markings, reading
from outrider.committee import pack_model as pm
from outrider.committee.commitment_models import Commitment, Evidence
from outrider.committee.meetings import meeting_and_seat
from outrider.committee.models import AgendaItem, Attendance, Committee, Meeting
from outrider.db import utcnow
from outrider.sharing import readers

Pack = pm.Pack


def build_pack(session: Session, *, caller: Caller, meeting_id: int, now: datetime | None = None) -> pm.Pack:
    """The meeting's pack and minutes as the caller may read them (NotFound off the need-to-know); a
    showing of restricted items' contents is audited."""
    meeting, seat = meeting_and_seat(session, caller, meeting_id)
    committee = session.get_one(Committee, meeting.committee_id)
    items = minutes.items_of(session, meeting.id)
    visible = {i.id for i in items if access.may_read_item(seat, i.restricted_to)}
    now = now or utcnow()
    reading.audit_restricted(session, caller, meeting, items, visible, now)
    previous = session.scalar(
        select(Meeting.starts_at)
        .where(Meeting.committee_id == committee.id, Meeting.number < meeting.number)
        .order_by(Meeting.number.desc())
        .limit(1)
    )
    open_rows = commitments.open_commitments(session, caller=caller, now=now)
    standing = minutes.standing(session, meeting)
    zone = ZoneInfo(meeting.timezone)
    return pm.Pack(
        committee=committee.name,
        meeting_id=meeting.id,
        number=meeting.number,
        title=meeting.title,
        starts_at=meeting.starts_at.astimezone(zone),
        timezone=meeting.timezone,
        place=meeting.place,
        status=meeting.status,
        previous_meeting_at=previous.astimezone(zone) if previous else None,
        items=_items(session, items, visible),
        attendance=_attendance(session, committee, meeting),
        commitments=tuple(_commitment(session, c, meeting.starts_at) for c in open_rows),
        evidence=_evidence(session, readers.scope_of(session, caller), previous, meeting.starts_at),
        sections=_sections(session, meeting, items, visible),
        minutes_hash=standing.current_hash,
        approved=meeting.status == "minutes_approved" and standing.approved,
        tampered=standing.tampered,
        awaiting=standing.awaiting,
        approvals=tuple(
            pm.PackApproval(
                a.party, _name(session, a.user_id), a.at.astimezone(zone), minutes.signature_ok(a)
            )
            for a in minutes.approvals_of(session, meeting)
        ),
    )


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return (user.full_name or user.username) if user else ""


def _items(session: Session, items: list[AgendaItem], visible: set[int]) -> tuple[pm.PackItem, ...]:
    outcomes = minutes.outcomes_of(session, sorted(visible))
    return tuple(
        pm.PackItem(
            position=i.position,
            title=i.title,
            restricted=i.restricted_to is not None,
            text=i.text if i.id in visible else None,
            outcomes=tuple(pm.PackOutcome(o.kind, o.text) for o in outcomes if o.agenda_item_id == i.id),
            generated=i.generated is not None,
        )
        for i in items
    )


def _attendance(session: Session, committee: Committee, meeting: Meeting) -> tuple[pm.PackAttendee, ...]:
    members = {m.id: m for m in committee.members}
    rows = session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)
    )
    out = []
    for a in rows:
        m = members.get(a.member_id) if a.member_id is not None else None
        if m is not None:
            out.append(pm.PackAttendee(_name(session, m.user_id), m.party, a.status))
        else:
            guest = f"{a.guest_name} ({a.guest_affiliation})" if a.guest_affiliation else str(a.guest_name)
            out.append(pm.PackAttendee(guest, None, a.status))
    return tuple(out)


def _commitment(session: Session, c: Commitment, at: datetime) -> pm.PackCommitment:
    last = assessments.last_assessments(session, c.id)
    return pm.PackCommitment(
        id=c.id,
        title=c.title,
        kind=c.kind,
        stage=c.stage,
        promisor=c.promisor,
        beneficiary=c.beneficiary,
        deadline=c.deadline,
        overdue=commitments.overdue(c, now=at),
        assessments=tuple(
            pm.PackAssessment(str(party), a.score, a.note, a.at) for party, a in sorted(last.items())
        ),
    )


def _evidence(
    session: Session, scope: readers.Scope, since: datetime | None, until: datetime
) -> tuple[pm.PackEvidence, ...]:
    """The entries since the previous meeting; a news entry's title and source only for a reader who may
    read its report (``news_markings``)."""
    query = (
        select(Evidence, Commitment.title)
        .join(Commitment, Commitment.id == Evidence.commitment_id)
        .where(Evidence.at <= until)
        .order_by(Evidence.date, Evidence.id)
    )
    if since is not None:
        query = query.where(Evidence.at > since)
    shown = ((news_markings.evidence_read(session, scope, e), title) for e, title in session.execute(query))
    return tuple(
        pm.PackEvidence(e.commitment_id, title, e.date, e.kind, e.title, e.source) for e, title in shown
    )


def _sections(
    session: Session, meeting: Meeting, items: list[AgendaItem], visible: set[int]
) -> tuple[pm.PackSection, ...]:
    titles = {i.id: i.title for i in items}
    return tuple(
        pm.PackSection(
            position=x.position,
            item_title=titles.get(x.agenda_item_id) if x.agenda_item_id is not None else None,
            text=x.text if x.agenda_item_id is None or x.agenda_item_id in visible else None,
        )
        for x in minutes.sections_of(session, meeting.id)
    )

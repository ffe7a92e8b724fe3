"""HTTP routes of the joint committee: committees and members, meetings, agenda, attendance, minutes and
their signatures, outcomes, comments, and the meeting pack (JSON, HTML, PDF in three languages)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.committee import access, committees, meetings, minutes, minutes_signing, outcomes, pack, reading
from outrider.committee import schemas as s
from outrider.committee.pack_html import Document, to_html
from outrider.committee.pack_model import LANGUAGES
from outrider.db import utcnow
from outrider.http import CallerDep, SessionDep
from outrider.inputs import Id
from outrider.protocols import keys
from outrider.protocols.schemas import KeyCreate, KeyRead

router = APIRouter(prefix="/api/v1/committees", tags=["committee"])
M = "/meetings/{meeting_id}"
Lang = Literal["en", "zh-Hans", "ur"]
PackFormat = Literal["json", "html", "pdf"]
_MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
assert set(LANGUAGES) == {"en", "zh-Hans", "ur"}


# --- meetings first: /committees/{committee_id} must not swallow /committees/meetings/... ---------


@router.get(M, response_model=s.MeetingRead)
def get_meeting(meeting_id: Id, caller: CallerDep, session: SessionDep) -> s.MeetingRead:
    """A meeting: agenda (restricted items' contents for the members they name), attendance, minutes."""
    meeting, seat = meetings.meeting_and_seat(session, caller, meeting_id)
    return reading.meeting_read(session, caller=caller, meeting=meeting, seat=seat, now=utcnow())


@router.post(M + "/status", response_model=s.MeetingSummary)
def set_status(
    meeting_id: Id, data: s.MeetingStatusSet, caller: CallerDep, session: SessionDep
) -> s.MeetingSummary:
    """Mark a planned meeting held (chairs, secretariat)."""
    row = meetings.set_status(session, caller=caller, meeting_id=meeting_id, status=data.status, now=utcnow())
    return reading.meeting_summary(row)


@router.post(M + "/agenda", response_model=s.AgendaItemRead, status_code=status.HTTP_201_CREATED)
def add_item(
    meeting_id: Id, data: s.AgendaItemCreate, caller: CallerDep, session: SessionDep
) -> s.AgendaItemRead:
    """Add an agenda item, restricted to named members if ``restricted_to`` is given."""
    row = meetings.add_agenda_item(session, caller=caller, meeting_id=meeting_id, data=data, now=utcnow())
    return s.AgendaItemRead(
        id=row.id,
        position=row.position,
        title=row.title,
        restricted=row.restricted_to is not None,
        readable=True,
        generated=row.generated,
        text=row.text,
        outcomes=[],
        comments=[],
    )


@router.post(M + "/attendance", response_model=s.AttendanceRead)
def attend(meeting_id: Id, data: s.AttendanceSet, caller: CallerDep, session: SessionDep) -> s.AttendanceRead:
    """Record a member's attendance (present, absent, apologies) or a guest by name."""
    row = meetings.set_attendance(session, caller=caller, meeting_id=meeting_id, data=data, now=utcnow())
    return next(a for a in reading.meeting_attendance(session, row.meeting_id) if a.id == row.id)


@router.post(M + "/minutes", response_model=s.SectionRead)
def write_minutes(
    meeting_id: Id, data: s.SectionWrite, caller: CallerDep, session: SessionDep
) -> s.SectionRead:
    """Add a section of the minutes, or replace the text of the one at ``position``."""
    row = minutes.write_section(session, caller=caller, meeting_id=meeting_id, data=data, now=utcnow())
    return s.SectionRead(
        position=row.position,
        agenda_item_id=row.agenda_item_id,
        text=row.text,
        text_sha256=minutes_signing.text_hash(row.text),
    )


@router.post(M + "/minutes/sign", response_model=s.MinutesRead)
def sign(meeting_id: Id, data: s.SignMinutes, caller: CallerDep, session: SessionDep) -> s.MinutesRead:
    """Sign the minutes' hash for your party (its chair, or an administrator of that founding party),
    with your own registered key; both parties' signatures approve and freeze them."""
    minutes.sign(
        session,
        caller=caller,
        meeting_id=meeting_id,
        minutes_hash=data.minutes_hash,
        public_key=data.public_key,
        signature=data.signature,
        now=utcnow(),
    )
    return _minutes(session, caller, meeting_id)


@router.post(M + "/minutes/revise", response_model=s.MinutesRead)
def revise(meeting_id: Id, data: s.Revise, caller: CallerDep, session: SessionDep) -> s.MinutesRead:
    """Open a new revision of signed minutes (chairs, secretariat); both parties sign it again."""
    minutes.revise(session, caller=caller, meeting_id=meeting_id, reason=data.reason, now=utcnow())
    return _minutes(session, caller, meeting_id)


def _minutes(session: Session, caller: Caller, meeting_id: int) -> s.MinutesRead:
    return reading.minutes_for(session, caller, meeting_id, utcnow())


@router.post(
    M + "/agenda/{item_id}/outcomes", response_model=s.OutcomeRead, status_code=status.HTTP_201_CREATED
)
def add_outcome(
    meeting_id: Id, item_id: Id, data: s.OutcomeCreate, caller: CallerDep, session: SessionDep
) -> s.OutcomeRead:
    """Record an item's outcome: information, a decision (on a protocol version), or a commitment
    (recorded from ``commitment`` or linked by ``commitment_id``)."""
    row = outcomes.record_outcome(
        session, caller=caller, meeting_id=meeting_id, item_id=item_id, data=data, now=utcnow()
    )
    return s.OutcomeRead.model_validate(row, from_attributes=True)


@router.post(
    M + "/agenda/{item_id}/comments", response_model=s.CommentRead, status_code=status.HTTP_201_CREATED
)
def comment(
    meeting_id: Id, item_id: Id, data: s.CommentCreate, caller: CallerDep, session: SessionDep
) -> s.CommentRead:
    """Comment on an agenda item you may read (members of either party)."""
    row = meetings.add_comment(
        session, caller=caller, meeting_id=meeting_id, item_id=item_id, data=data, now=utcnow()
    )
    return s.CommentRead.model_validate(row, from_attributes=True)


@router.get(
    M + "/pack",
    response_model=None,
    responses={200: {"content": {"application/json": {}, "text/html": {}, "application/pdf": {}}}},
)
def meeting_pack(
    meeting_id: Id,
    caller: CallerDep,
    session: SessionDep,
    format_: Annotated[PackFormat, Query(alias="format")] = "json",
    lang: Annotated[Lang, Query(description="language of the headings")] = "en",
    document: Annotated[Document, Query(description="the pack, or the minutes")] = Document.pack,
) -> Any:
    """The meeting's pack (agenda, follow-up of commitments) or its minutes, as you may read them."""
    data = pack.build_pack(session, caller=caller, meeting_id=meeting_id)
    if format_ == "json":
        body = {**dataclasses.asdict(data), "overdue": [c.id for c in data.overdue]}
        return JSONResponse(jsonable_encoder(body))
    if format_ == "html":
        rendered: bytes | str = to_html(data, document=document, lang=lang)
    else:
        from outrider.committee.pack_pdf import to_pdf  # fpdf and its fonts: only when a PDF is asked for

        rendered = to_pdf(data, document=document, lang=lang)
    name = f"{document.value}-{data.number}-{lang}.{format_}"
    disposition = "inline" if format_ == "html" else "attachment"
    return Response(
        rendered,
        media_type=_MEDIA[format_],
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


@router.post("/signing-keys", response_model=KeyRead, status_code=status.HTTP_201_CREATED)
def register_key(data: KeyCreate, caller: CallerDep, session: SessionDep) -> KeyRead:
    """Register your own Ed25519 public key to sign minutes (a committee's chair, or an administrator)."""
    row = committees.register_signing_key(
        session,
        caller=caller,
        public_key=keys.parse_public_key(data.public_key),
        label=data.label,
        now=utcnow(),
    )
    return KeyRead.model_validate(row)


# --- committees -----------------------------------------------------------------------------------


@router.get("", response_model=list[s.CommitteeRead])
def list_committees(caller: CallerDep, session: SessionDep) -> list[s.CommitteeRead]:
    """The committees you may read."""
    return [
        committees.committee_read(c, access.seat_of(session, caller, c))
        for c in committees.list_committees(session, caller=caller)
    ]


@router.post("", response_model=s.CommitteeRead, status_code=status.HTTP_201_CREATED)
def create_committee(data: s.CommitteeCreate, caller: CallerDep, session: SessionDep) -> s.CommitteeRead:
    """Create a joint committee of the founding parties (their administrators)."""
    row = committees.create_committee(session, caller=caller, data=data, now=utcnow())
    return committees.committee_read(row, access.seat_of(session, caller, row))


@router.get("/{committee_id}", response_model=s.CommitteeRead)
def get_committee(committee_id: Id, caller: CallerDep, session: SessionDep) -> s.CommitteeRead:
    """A committee and its members."""
    row, seat = access.readable(session, caller, committee_id)
    return committees.committee_read(row, seat)


@router.post("/{committee_id}/members", response_model=s.MemberRead, status_code=status.HTTP_201_CREATED)
def add_member(committee_id: Id, data: s.MemberAdd, caller: CallerDep, session: SessionDep) -> s.MemberRead:
    """Seat a user of your founding party (its administrators): chair (one per party), member, secretariat."""
    row = committees.add_member(session, caller=caller, committee_id=committee_id, data=data, now=utcnow())
    return s.MemberRead.model_validate(row)


@router.delete("/{committee_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_member(committee_id: Id, user_id: Id, caller: CallerDep, session: SessionDep) -> Response:
    """Take a member of your founding party off the committee."""
    committees.remove_member(session, caller=caller, committee_id=committee_id, user_id=user_id, now=utcnow())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{committee_id}/meetings", response_model=list[s.MeetingSummary])
def list_meetings(committee_id: Id, caller: CallerDep, session: SessionDep) -> list[s.MeetingSummary]:
    """The committee's meetings, in order."""
    return [
        reading.meeting_summary(m)
        for m in meetings.list_meetings(session, caller=caller, committee_id=committee_id)
    ]


@router.post("/{committee_id}/meetings", response_model=s.MeetingRead, status_code=status.HTTP_201_CREATED)
def create_meeting(
    committee_id: Id, data: s.MeetingCreate, caller: CallerDep, session: SessionDep
) -> s.MeetingRead:
    """Schedule the next meeting (chairs, secretariat); the follow-up of commitments opens its agenda."""
    row = meetings.create_meeting(session, caller=caller, committee_id=committee_id, data=data, now=utcnow())
    meeting, seat = meetings.meeting_and_seat(session, caller, row.id)
    return reading.meeting_read(session, caller=caller, meeting=meeting, seat=seat, now=utcnow())

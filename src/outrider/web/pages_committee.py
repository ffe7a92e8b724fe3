"""The joint committee on the web: its members by party and its meetings, and one meeting with its agenda
(a restricted item's contents only for the members it names), attendance, minutes in sections, outcomes, the
two parties' signed approvals and the pack; the chairs and the secretariat add items, minutes and outcomes
here, members comment. The committee's services decide who reads and writes what, as in the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from outrider.committee import access, committees, meetings, minutes, outcomes, pack, reading
from outrider.committee import schemas as s
from outrider.committee.ladder import Kind, Party
from outrider.inputs import MAX_ID
from outrider.web.context import Web, WebDep, WebRoute
from outrider.web.pages_committee_forms import Errors, attempt, blank, user_names

router = APIRouter(route_class=WebRoute, include_in_schema=False)
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


async def _form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(_form)]


@dataclass
class Forms:
    """The values and errors of a page's forms (kept when one comes back refused)."""

    which: str = ""
    item: int | None = None  # the agenda item (or committee) the form is about
    values: dict[str, Any] = field(default_factory=dict)
    errors: Errors = field(default_factory=dict)


@dataclass
class CommitteeView:
    """One committee as its page shows it."""

    read: s.CommitteeRead
    members: dict[str, list[s.MemberRead]]  # by party, chairs first
    past: list[s.MeetingSummary]
    upcoming: list[s.MeetingSummary]
    editor: bool  # a chair or of the secretariat: schedules meetings
    zone: str  # the zone of its latest meeting, offered for the next


def _committee_view(web: Web, committee: Any) -> CommitteeView:
    seat = access.seat_of(web.session, web.caller, committee)
    read = committees.committee_read(committee, seat)
    order = {"chair": 0, "secretariat": 1, "member": 2}
    members = {
        p.value: sorted((m for m in read.members if m.party is p), key=lambda m: (order[m.role.value], m.id))
        for p in Party
    }
    rows = [
        reading.meeting_summary(m)
        for m in meetings.list_meetings(web.session, caller=web.caller, committee_id=committee.id)
    ]
    upcoming = [m for m in rows if m.status is s.MeetingStatus.planned and m.starts_at >= web.now]
    past = [m for m in rows if m not in upcoming]
    zone = rows[-1].timezone if rows else "UTC"
    past = sorted(past, key=lambda m: m.number, reverse=True)
    return CommitteeView(read, members, past, upcoming, access.may_edit(seat), zone)


@router.get("/committee")
def committee_page(web: WebDep) -> Response:
    """The committees the caller reads: members by party (chairs, secretariat), meetings past and next."""
    return _committee_page(web)


def _committee_page(web: Web, forms: Forms | None = None) -> Response:
    rows = committees.list_committees(web.session, caller=web.caller)
    views = [_committee_view(web, c) for c in rows]
    orgs = {o for c in rows for o in (c.host_org_id, c.partner_org_id)}
    forms = forms or Forms()
    return web.render(
        "committee.html",
        status_code=422 if forms.errors else 200,
        committees=views,
        names=user_names(web, orgs),
        forms=forms,
    )


def _starts_at(values: dict[str, Any]) -> datetime | str:
    """The meeting's start from a datetime-local field, in the meeting's zone (the text as typed when it is
    no time; UTC for a zone that is none, which the service then names beside the zone's field)."""
    typed = str(values.get("starts_at", ""))
    try:
        naive = datetime.fromisoformat(typed)
    except ValueError:
        return typed
    try:
        zone = ZoneInfo(str(values.get("timezone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return naive.replace(tzinfo=zone)


@router.post("/committee/{committee_id}/meetings")
def schedule_meeting(web: WebDep, committee_id: IdPath, form: FormDep) -> Response:
    """Schedule the committee's next meeting (chairs, secretariat); the follow-up of commitments opens it."""
    values = {k: str(form.get(k, "")) for k in ("title", "starts_at", "timezone", "place")}

    def write(data: s.MeetingCreate) -> object:
        return meetings.create_meeting(
            web.session, caller=web.caller, committee_id=committee_id, data=data, now=web.now
        )

    errors = attempt(web, s.MeetingCreate, blank({**values, "starts_at": _starts_at(values)}), write)
    if errors:
        return _committee_page(web, Forms("schedule", committee_id, values, errors))
    return web.redirect("/committee", done="scheduled")


# --- one meeting ----------------------------------------------------------------------------------------


def _meeting_page(web: Web, meeting_id: int, forms: Forms | None = None) -> Response:
    meeting, seat = meetings.meeting_and_seat(web.session, web.caller, meeting_id)
    read = reading.meeting_read(web.session, caller=web.caller, meeting=meeting, seat=seat, now=web.now)
    committee, _seat = access.readable(web.session, web.caller, meeting.committee_id)
    members = {m.id: m for m in committee.members}
    forms = forms or Forms()
    follow_up = None
    if any(i.generated for i in read.agenda):  # the pack's follow-up: open commitments as of the meeting
        follow_up = pack.build_pack(web.session, caller=web.caller, meeting_id=meeting_id)
    return web.render(
        "committee_meeting.html",
        follow_up=follow_up,
        status_code=422 if forms.errors else 200,
        m=read,
        seat=seat,
        editor=access.may_edit(seat) and not read.minutes.approvals,
        may_comment=access.may_comment(seat),
        seated=[m for m in committee.members if m.role != access.FORMER],
        member_users={k: v.user_id for k, v in members.items()},
        names=user_names(web, (committee.host_org_id, committee.partner_org_id)),
        sections={x.agenda_item_id: x for x in read.minutes.sections if x.agenda_item_id},
        forms=forms,
        kinds=[k.value for k in Kind],
    )


@router.get("/committee/meetings/{meeting_id}")
def meeting_page(web: WebDep, meeting_id: IdPath) -> Response:
    """A meeting as the caller may read it (404 off the committee's need-to-know)."""
    return _meeting_page(web, meeting_id)


def _done(
    web: Web, meeting_id: int, which: str, values: dict[str, Any], errors: Errors, **kw: Any
) -> Response:
    if errors:
        return _meeting_page(web, meeting_id, Forms(which, kw.get("item"), values, errors))
    return web.redirect(f"/committee/meetings/{meeting_id}", done=which)


@router.post("/committee/meetings/{meeting_id}/held")
def mark_held(web: WebDep, meeting_id: IdPath) -> Response:
    """Mark a planned meeting held (chairs, secretariat)."""
    then = f"/committee/meetings/{meeting_id}"
    return web.act(
        meetings.set_status, then, "meeting_held", meeting_id=meeting_id, status=s.MeetingStatus.held
    )


@router.post("/committee/meetings/{meeting_id}/agenda")
def add_item(web: WebDep, meeting_id: IdPath, form: FormDep) -> Response:
    """Add an agenda item, restricted to the members ticked if any are (chairs, secretariat)."""
    restricted = [v for v in form.getlist("restricted_to") if isinstance(v, str)]
    values = {"title": form.get("title", ""), "text": form.get("text", "")}
    body = {**values, "restricted_to": restricted or None}

    def write(data: s.AgendaItemCreate) -> object:
        return meetings.add_agenda_item(
            web.session, caller=web.caller, meeting_id=meeting_id, data=data, now=web.now
        )

    errors = attempt(web, s.AgendaItemCreate, body, write)
    return _done(web, meeting_id, "agenda", {**values, "restricted_to": restricted}, errors)


@router.post("/committee/meetings/{meeting_id}/minutes")
def write_minutes(web: WebDep, meeting_id: IdPath, form: FormDep) -> Response:
    """Add a section of the minutes, about an agenda item or general (chairs, secretariat)."""
    values = {"text": form.get("text", ""), "agenda_item_id": form.get("agenda_item_id", "")}

    def write(data: s.SectionWrite) -> object:
        return minutes.write_section(
            web.session, caller=web.caller, meeting_id=meeting_id, data=data, now=web.now
        )

    errors = attempt(web, s.SectionWrite, blank(values), write)
    return _done(web, meeting_id, "minutes", values, errors)


@router.post("/committee/meetings/{meeting_id}/attendance")
def attend(web: WebDep, meeting_id: IdPath, form: FormDep) -> Response:
    """Record a member's attendance, or a guest by name (chairs, secretariat)."""
    values = {k: str(form.get(k, "")) for k in ("member_id", "guest_name", "guest_affiliation", "status")}

    def write(data: s.AttendanceSet) -> object:
        return meetings.set_attendance(
            web.session, caller=web.caller, meeting_id=meeting_id, data=data, now=web.now
        )

    errors = attempt(web, s.AttendanceSet, blank(values), write)
    return _done(web, meeting_id, "attendance", values, errors)


COMMITMENT_FIELDS = ("title", "commitment_kind", "promisor", "beneficiary", "deadline")


@router.post("/committee/meetings/{meeting_id}/agenda/{item_id}/outcomes")
def add_outcome(web: WebDep, meeting_id: IdPath, item_id: IdPath, form: FormDep) -> Response:
    """Record what an item ended in; a commitment outcome records a new commitment or links one."""
    values = {k: str(form.get(k, "")) for k in ("kind", "text", "commitment_id", *COMMITMENT_FIELDS)}
    body: dict[str, Any] = blank({k: values[k] for k in ("kind", "text", "commitment_id")})
    if values["kind"] == s.OutcomeKind.commitment.value and "commitment_id" not in body:
        new = blank({k.removeprefix("commitment_"): values[k] for k in COMMITMENT_FIELDS})
        body["commitment"] = {"title": values["text"][:200], **new, "source": "committee meeting"}

    def write(data: s.OutcomeCreate) -> object:
        return outcomes.record_outcome(
            web.session, caller=web.caller, meeting_id=meeting_id, item_id=item_id, data=data, now=web.now
        )

    errors = attempt(web, s.OutcomeCreate, body, write, nested=COMMITMENT_FIELDS)
    return _done(web, meeting_id, "outcome", values, errors, item=item_id)


@router.post("/committee/meetings/{meeting_id}/agenda/{item_id}/comments")
def comment(web: WebDep, meeting_id: IdPath, item_id: IdPath, form: FormDep) -> Response:
    """Comment on an agenda item you read (members of either party)."""
    values = {"text": form.get("text", "")}

    def write(data: s.CommentCreate) -> object:
        return meetings.add_comment(
            web.session, caller=web.caller, meeting_id=meeting_id, item_id=item_id, data=data, now=web.now
        )

    errors = attempt(web, s.CommentCreate, values, write)
    return _done(web, meeting_id, "comment", values, errors, item=item_id)

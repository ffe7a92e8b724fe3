"""`outrider committee`: joint committees, their members and meetings, agenda, attendance, minutes signed by
both parties, outcomes, comments, and the meeting pack (JSON, HTML or PDF, headings in three languages)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.committee import access, committees, meetings, minutes, outcomes, reading
from outrider.committee import schemas as s
from outrider.committee.cli_minutes import MeetingArg
from outrider.committee.cli_minutes import app as minutes_app
from outrider.console import (
    AsOpt,
    JsonOpt,
    emit,
    fail,
    friendly,
    out,
    parse_time,
    print_table,
    read_json_file,
    session_as,
)
from outrider.db import utcnow

app = typer.Typer(
    help="The joint committee: meetings, minutes signed by both parties, outcomes, packs.",
    no_args_is_help=True,
)
app.add_typer(minutes_app)  # keygen, sign, pack
CommitteeArg = Annotated[int, typer.Argument(help="the committee", min=1, max=2**31 - 1)]
ItemArg = Annotated[int, typer.Argument(help="the agenda item", min=1, max=2**31 - 1)]


def _user_id(session: Session, ref: str) -> int:
    """A user named by username or id."""
    if ref.isdigit():
        return accounts_service.get_user(session, user_id=int(ref)).id
    return accounts_service.find_user(session, username=ref).id


def _member_id(session: Session, caller: Caller, meeting_id: int, ref: str) -> int:
    """The member row of a user named by username or id, on the meeting's committee."""
    meeting, _seat = meetings.meeting_and_seat(session, caller, meeting_id)
    committee, _seat = access.readable(session, caller, meeting.committee_id)
    uid = _user_id(session, ref)
    found = next((m.id for m in committee.members if m.user_id == uid and m.role != access.FORMER), None)
    if found is None:
        raise fail(f"{ref} does not sit on this committee")
    return found


def _meeting(session: Session, caller: Caller, meeting_id: int) -> s.MeetingRead:
    meeting, seat = meetings.meeting_and_seat(session, caller, meeting_id)
    return reading.meeting_read(session, caller=caller, meeting=meeting, seat=seat, now=utcnow())


@app.command("create")
@friendly
def create(
    name: Annotated[str, typer.Argument(help="the committee's name")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Create a joint committee of the founding parties (their administrators)."""
    with session_as(as_user) as (session, caller):
        row = committees.create_committee(
            session, caller=caller, data=s.CommitteeCreate(name=name), now=utcnow()
        )
        read = committees.committee_read(row, access.seat_of(session, caller, row))
    emit(read, as_json, f"committee {read.id} created: {read.name}")


@app.command("list")
@friendly
def list_(as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """The committees you may read."""
    with session_as(as_user) as (session, caller):
        rows = [
            committees.committee_read(c, access.seat_of(session, caller, c))
            for c in committees.list_committees(session, caller=caller)
        ]
    emit(
        rows,
        as_json,
        lambda: print_table(rows, ["id", "name", "your_seat", "created_at"], title="Committees"),
    )


@app.command("members")
@friendly
def members(
    committee_id: CommitteeArg,
    add: Annotated[
        str | None, typer.Option("--add", help="seat this user (username or id) of your party")
    ] = None,
    role: Annotated[s.Role, typer.Option(help="the seat's role")] = s.Role.member,
    remove: Annotated[str | None, typer.Option("--remove", help="take this user off the committee")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the committee's members; an administrator of a founding party seats or removes its own."""
    now = utcnow()
    with session_as(as_user) as (session, caller):
        if add:
            data = s.MemberAdd(user_id=_user_id(session, add), role=role)
            committees.add_member(session, caller=caller, committee_id=committee_id, data=data, now=now)
        if remove:
            committees.remove_member(
                session, caller=caller, committee_id=committee_id, user_id=_user_id(session, remove), now=now
            )
        row, seat = access.readable(session, caller, committee_id)
        rows = committees.committee_read(row, seat).members
    emit(
        rows,
        as_json,
        lambda: print_table(rows, ["id", "user_id", "party", "role", "added_at"], title="Members"),
    )


@app.command("meetings")
@friendly
def meetings_(
    committee_id: CommitteeArg,
    schedule: Annotated[
        str | None, typer.Option("--schedule", help="schedule a meeting with this title")
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="when it starts (ISO 8601 with a zone)")] = None,
    zone: Annotated[str, typer.Option("--zone", help="the time zone it is held in")] = "UTC",
    place: Annotated[str, typer.Option(help="where")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List the committee's meetings, or schedule the next (chairs, secretariat)."""
    with session_as(as_user) as (session, caller):
        if schedule:
            starts = parse_time(at, "--at")
            if starts is None:
                raise fail("--at: when does the meeting start (ISO 8601 with a zone)?", code=2)
            data = s.MeetingCreate(title=schedule, starts_at=starts, timezone=zone, place=place)
            meetings.create_meeting(
                session, caller=caller, committee_id=committee_id, data=data, now=utcnow()
            )
        rows = [
            reading.meeting_summary(m)
            for m in meetings.list_meetings(session, caller=caller, committee_id=committee_id)
        ]
    emit(
        rows,
        as_json,
        lambda: print_table(
            rows, ["id", "number", "title", "starts_at", "place", "status"], title="Meetings"
        ),
    )


@app.command("meeting")
@friendly
def meeting(
    meeting_id: MeetingArg,
    held: Annotated[bool, typer.Option("--held", help="mark the planned meeting held")] = False,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Show a meeting: agenda, attendance, minutes and their signatures."""
    with session_as(as_user) as (session, caller):
        if held:
            meetings.set_status(
                session, caller=caller, meeting_id=meeting_id, status=s.MeetingStatus.held, now=utcnow()
            )
        read = _meeting(session, caller, meeting_id)
    emit(read, as_json, lambda: _print_meeting(read))


def _print_meeting(m: s.MeetingRead) -> None:
    out.print(f"{m.committee_name}, meeting {m.number}: {m.title} ({m.status.value})", highlight=False)
    out.print(f"  {m.starts_at.isoformat()} {m.timezone}, {m.place}", highlight=False)
    for i in m.agenda:
        mark = " [restricted]" if i.restricted else ""
        out.print(f"  {i.position}. (item {i.id}) {i.title}{mark}", highlight=False)
        for o in i.outcomes:
            out.print(f"       {o.kind.value}: {o.text}", highlight=False)
    _print_minutes(m.minutes)


def _print_minutes(mn: s.MinutesRead) -> None:
    state = "approved" if mn.approved else f"awaiting {', '.join(p.value for p in mn.awaiting)}"
    out.print(f"  minutes revision {mn.revision}: {state}; hash {mn.minutes_hash}", highlight=False)
    if mn.tampered:
        out.print("  [red]the stored minutes no longer match what was signed[/red]")
    for x in mn.sections:
        out.print(f"  {x.position}. {x.text if x.text is not None else '[restricted]'}", highlight=False)


@app.command("agenda")
@friendly
def agenda(
    meeting_id: MeetingArg,
    title: Annotated[str, typer.Argument(help="the item's title")],
    text: Annotated[str, typer.Option(help="what the item is about")] = "",
    restrict: Annotated[
        list[str] | None, typer.Option("--restrict", help="only these members read it (repeat)")
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Add an item to the agenda (chairs, secretariat)."""
    with session_as(as_user) as (session, caller):
        named = [_user_id(session, r) for r in restrict] if restrict else None
        data = s.AgendaItemCreate(title=title, text=text, restricted_to=named)
        row = meetings.add_agenda_item(session, caller=caller, meeting_id=meeting_id, data=data, now=utcnow())
        result = {"id": row.id, "position": row.position, "restricted_to": row.restricted_to}
    emit(result, as_json, f"item {row.id} added at position {row.position}")


@app.command("attend")
@friendly
def attend(
    meeting_id: MeetingArg,
    member: Annotated[str | None, typer.Option("--member", help="a member (username or user id)")] = None,
    guest: Annotated[str | None, typer.Option("--guest", help="a guest's name")] = None,
    affiliation: Annotated[str | None, typer.Option(help="the guest's affiliation")] = None,
    status: Annotated[s.Presence, typer.Option(help="present, absent or apologies")] = s.Presence.present,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Record a member's attendance or a guest (chairs, secretariat)."""
    with session_as(as_user) as (session, caller):
        member_id = _member_id(session, caller, meeting_id, member) if member else None
        data = s.AttendanceSet(
            member_id=member_id, guest_name=guest, guest_affiliation=affiliation, status=status
        )
        row = meetings.set_attendance(session, caller=caller, meeting_id=meeting_id, data=data, now=utcnow())
        result = {
            "id": row.id,
            "member_id": row.member_id,
            "guest_name": row.guest_name,
            "status": row.status,
        }
    emit(result, as_json, f"attendance recorded: {member or guest} {status.value}")


@app.command("minutes")
@friendly
def minutes_(
    meeting_id: MeetingArg,
    text: Annotated[str | None, typer.Option("--text", help="add a section with this text")] = None,
    item: Annotated[
        int | None, typer.Option("--item", help="the agenda item the section is about", min=1, max=2**31 - 1)
    ] = None,
    position: Annotated[
        int | None, typer.Option("--position", help="replace the section at this place", min=1, max=10000)
    ] = None,
    revise: Annotated[
        str | None, typer.Option("--revise", help="reopen signed minutes, giving the reason")
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Show the minutes, write a section, or open a new revision of signed minutes."""
    now = utcnow()
    with session_as(as_user) as (session, caller):
        if revise:
            minutes.revise(session, caller=caller, meeting_id=meeting_id, reason=revise, now=now)
        if text:
            data = s.SectionWrite(text=text, agenda_item_id=item, position=position)
            minutes.write_section(session, caller=caller, meeting_id=meeting_id, data=data, now=now)
        read = _meeting(session, caller, meeting_id).minutes
    emit(read, as_json, lambda: _print_minutes(read))


@app.command("outcome")
@friendly
def outcome(
    meeting_id: MeetingArg,
    item_id: ItemArg,
    kind: Annotated[s.OutcomeKind, typer.Argument(help="information, decision or commitment")],
    text: Annotated[str, typer.Argument(help="what was decided, noted or promised")],
    protocol_version_id: Annotated[
        int | None, typer.Option("--protocol-version", help="the protocol version a decision is about")
    ] = None,
    commitment_id: Annotated[
        int | None, typer.Option("--commitment", help="link this existing commitment")
    ] = None,
    new_commitment: Annotated[
        Path | None, typer.Option("--new-commitment", help="record a commitment: its JSON body")
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Record an agenda item's outcome (chairs, secretariat)."""
    body: dict[str, Any] | None = read_json_file(new_commitment) if new_commitment else None
    with session_as(as_user) as (session, caller):
        data = s.OutcomeCreate(
            kind=kind,
            text=text,
            protocol_version_id=protocol_version_id,
            commitment_id=commitment_id,
            commitment=body,
        )
        row = outcomes.record_outcome(
            session, caller=caller, meeting_id=meeting_id, item_id=item_id, data=data, now=utcnow()
        )
        read = s.OutcomeRead.model_validate(row, from_attributes=True)
    emit(
        read,
        as_json,
        f"outcome {read.id} ({read.kind.value})"
        + (f", commitment {read.commitment_id}" if read.commitment_id else ""),
    )


@app.command("comment")
@friendly
def comment(
    meeting_id: MeetingArg,
    item_id: ItemArg,
    text: Annotated[str, typer.Argument(help="your comment")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Comment on an agenda item you may read (members of either party)."""
    with session_as(as_user) as (session, caller):
        row = meetings.add_comment(
            session,
            caller=caller,
            meeting_id=meeting_id,
            item_id=item_id,
            data=s.CommentCreate(text=text),
            now=utcnow(),
        )
        read = s.CommentRead.model_validate(row, from_attributes=True)
    emit(read, as_json, f"comment {read.id} added")

"""Outcomes of agenda items: information, decisions (perhaps on a protocol version) and commitments.

A commitment outcome records a new commitment (the commitments' own service, with its rules) or links an
existing one; when both parties have signed the minutes, each commitment outcome of the meeting gains an
entry of kind ``minutes`` in its commitment's timeline, naming the meeting and the minutes' hash.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.committee import commitment_store, commitments, evidence
from outrider.committee import schemas as s
from outrider.committee.committees import audit
from outrider.committee.meetings import editable, readable_item
from outrider.committee.models import AgendaItem, Committee, Meeting, Outcome
from outrider.committee.schemas_commitments import CommitmentCreate, EvidenceKind
from outrider.errors import Forbidden, InvalidInput
from outrider.protocols.models import ProtocolVersion


def record_outcome(
    session: Session, *, caller: Caller, meeting_id: int, item_id: int, data: s.OutcomeCreate, now: datetime
) -> Outcome:
    """Record what an agenda item ended in (chairs and secretariat, on items they read)."""
    meeting, seat = editable(session, caller, meeting_id)
    item = readable_item(session, caller, meeting, seat, item_id)
    version_id = _protocol_version(session, data)
    commitment_id = _commitment(session, caller, data, now)
    row = Outcome(
        agenda_item_id=item.id,
        kind=data.kind.value,
        text=data.text,
        protocol_version_id=version_id,
        commitment_id=commitment_id,
        created_by=caller.user_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        caller,
        "outcome",
        "committee_meeting",
        meeting.id,
        now,
        item_id=item.id,
        outcome_id=row.id,
        kind=row.kind,
        protocol_version_id=version_id,
        commitment_id=commitment_id,
    )
    return row


def _protocol_version(session: Session, data: s.OutcomeCreate) -> int | None:
    if data.protocol_version_id is None:
        return None
    if data.kind is not s.OutcomeKind.decision:
        raise InvalidInput("protocol_version_id: only a decision names a protocol version")
    if session.get(ProtocolVersion, data.protocol_version_id) is None:
        raise InvalidInput(f"protocol_version_id: no protocol version {data.protocol_version_id}")
    return data.protocol_version_id


def _commitment(session: Session, caller: Caller, data: s.OutcomeCreate, now: datetime) -> int | None:
    if data.kind is not s.OutcomeKind.commitment:
        if data.commitment_id is not None or data.commitment is not None:
            raise InvalidInput("commitment: only an outcome of kind commitment names a commitment")
        return None
    if (data.commitment_id is None) == (data.commitment is None):
        raise InvalidInput(
            "a commitment outcome links a commitment (commitment_id) or records one (commitment)"
        )
    if data.commitment_id is not None:
        return commitments.get_commitment(session, caller=caller, commitment_id=data.commitment_id).id
    try:
        body = CommitmentCreate.model_validate(data.commitment)
    except ValidationError as exc:
        errors = [{"loc": ["commitment", *e["loc"]], "msg": e["msg"]} for e in exc.errors()]
        raise InvalidInput(f"commitment: {errors[0]['msg']}", errors=errors) from None
    return commitments.create_commitment(session, caller=caller, data=body, now=now).id


def minutes_evidence(
    session: Session, *, caller: Caller, meeting: Meeting, digest: str, now: datetime
) -> int:
    """Add a ``minutes`` entry to the timeline of each commitment the approved minutes record; the count.

    The entry names the meeting (``ref``) and the SHA-256 of the minutes both parties signed. It is made in
    the name of the signer who completed the approval; when that signer does not write commitments
    (a chair without a deciding role), the two parties' signatures are the authority and it is made all the
    same.
    """
    committee = session.get_one(Committee, meeting.committee_id)
    day = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone)).date()
    rows = session.scalars(
        select(Outcome)
        .join(AgendaItem, AgendaItem.id == Outcome.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting.id, Outcome.commitment_id.is_not(None))
        .order_by(Outcome.id)
    )
    done: set[int] = set()
    for outcome in rows:
        assert outcome.commitment_id is not None
        if outcome.commitment_id in done:
            continue
        done.add(outcome.commitment_id)
        title = f"{committee.name}, meeting {meeting.number}: minutes approved by both parties"
        _enter(session, caller, outcome.commitment_id, day, title, str(meeting.id), digest, now)
    return len(done)


def _enter(
    session: Session,
    caller: Caller,
    commitment_id: int,
    day: date,
    title: str,
    ref: str,
    digest: str,
    now: datetime,
) -> None:
    source, kind = "approved minutes", EvidenceKind.minutes
    try:
        evidence.add_evidence(
            session,
            caller=caller,
            commitment_id=commitment_id,
            kind=kind,
            date=day,
            title=title,
            source=source,
            ref=ref,
            sha256=digest,
            now=now,
        )
    except Forbidden:
        row, _found = commitment_store.load(session, caller=caller, commitment_id=commitment_id)
        entry = commitment_store.append_entry(
            session,
            row,
            caller=caller,
            kind=kind.value,
            day=day,
            title=title,
            source=source,
            ref=ref,
            sha256=digest,
            now=now,
        )
        commitment_store.audit(session, caller, "evidence", row.id, now, kind="minutes", evidence_id=entry.id)

"""Use cases of commitments: record, list, move along the ladder, change deadline and owners, read, timeline.

The caller owns the transaction. Every change writes an entry of the commitment's timeline (with the value
before and after) and an audit record; nothing of the timeline is ever changed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import Organization, User
from outrider.alerts import service as alerts_service
from outrider.committee import commitment_access as access
from outrider.committee import commitment_store as store
from outrider.committee import evidence, news_markings
from outrider.committee import schemas_commitments as s
from outrider.committee.assessments import assessment_read, last_assessments, side_by_side
from outrider.committee.commitment_models import Assessment, Commitment, Evidence
from outrider.committee.ladder import Kind, LadderError, Party, Stage, move
from outrider.committee.overdue import Watched, is_overdue
from outrider.db import utcnow
from outrider.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from outrider.governance.rules import Founding
from outrider.sharing import readers

__all__ = [
    "change",
    "commitment_read",
    "create_commitment",
    "get_commitment",
    "last_assessments",
    "list_commitments",
    "move_stage",
    "open_commitments",
    "timeline",
]


def _today(now: datetime) -> date:
    return now.astimezone(UTC).date()


def _check_owner(session: Session, found: Founding, party: Party, user_id: int | None) -> None:
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or not access.owner_may_own(user.organization_id, found, party):
        field = f"{party.value}_owner_id"
        raise InvalidInput(
            f"the {party.value} owner must be a user of the {party.value} party's organisation",
            errors=[{"loc": [field], "msg": f"not a user of the {party.value} organisation"}],
        )


def _countries(session: Session, found: Founding, given: list[str]) -> list[str]:
    if given:
        return given
    orgs = (session.get(Organization, found.host_org_id), session.get(Organization, found.partner_org_id))
    return sorted({o.country for o in orgs if o is not None and o.country})


def create_commitment(
    session: Session, *, caller: Caller, data: s.CommitmentCreate, now: datetime
) -> Commitment:
    """Record a commitment at its stage, with the timeline's first entry (the founding parties)."""
    found = store.founding(session)
    store.require_writer(caller, found)
    assert found is not None  # a writer acts for a founding party
    _check_owner(session, found, Party.host, data.host_owner_id)
    _check_owner(session, found, Party.partner, data.partner_owner_id)
    row = Commitment(
        title=data.title,
        kind=data.kind.value,
        promisor=data.promisor.value if data.promisor else None,
        beneficiary=data.beneficiary.value if data.beneficiary else None,
        countries=_countries(session, found, data.countries),
        object=data.object,
        amount=data.amount,
        currency=data.currency,
        unit=data.unit,
        group=data.group,
        stage=data.stage.value,
        deadline=data.deadline,
        host_owner_id=data.host_owner_id,
        partner_owner_id=data.partner_owner_id,
        status="open",
        link_key=data.link_key,
        created_by=caller.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    store.set_stage(session, row, data.stage, now=now)
    entry = store.append_entry(
        session,
        row,
        caller=caller,
        kind=s.EvidenceKind.note.value,
        day=data.date or _today(now),
        title=f"recorded: {data.title}",
        source=data.source,
        stage_to=data.stage.value,
        now=now,
    )
    store.audit(session, caller, "create", row.id, now, stage=row.stage, kind=row.kind, evidence_id=entry.id)
    return row


def get_commitment(session: Session, *, caller: Caller, commitment_id: int) -> Commitment:
    """One commitment the caller may read."""
    row, _ = store.load(session, caller=caller, commitment_id=commitment_id)
    return row


@dataclass(frozen=True, slots=True)
class Filters:
    """What a list asks for (None: any)."""

    status: s.Status | None = None
    overdue: bool | None = None
    kind: Kind | None = None
    party: Party | None = None  # promisor or beneficiary


def _filtered(filters: Filters) -> Select[Commitment]:
    stmt = select(Commitment).order_by(Commitment.deadline.is_(None), Commitment.deadline, Commitment.id)
    if filters.status is not None:
        stmt = stmt.where(Commitment.status == filters.status.value)
    if filters.kind is not None:
        stmt = stmt.where(Commitment.kind == filters.kind.value)
    if filters.party is not None:
        p = filters.party.value
        stmt = stmt.where((Commitment.promisor == p) | (Commitment.beneficiary == p))
    return stmt


def list_commitments(
    session: Session, *, caller: Caller, filters: Filters = Filters(), now: datetime
) -> list[Commitment]:
    """The commitments matching ``filters``, those with the nearest deadline first."""
    store.require_reader(caller, store.founding(session))
    rows = list(session.scalars(_filtered(filters)))
    if filters.overdue is not None:
        rows = [r for r in rows if overdue(r, now=now) is filters.overdue]
    return rows


def open_commitments(session: Session, *, caller: Caller, now: datetime | None = None) -> list[Commitment]:
    """Every open commitment, nearest deadline first (the next meeting's pack)."""
    return list_commitments(
        session, caller=caller, filters=Filters(status=s.Status.open), now=now or utcnow()
    )


def overdue(c: Commitment, *, now: datetime) -> bool:
    """True when the commitment is open and past its deadline."""
    return is_overdue(Watched(c.id, c.status == "open", c.deadline), today=_today(now))


def move_stage(
    session: Session, *, caller: Caller, commitment_id: int, data: s.StageMove, now: datetime
) -> Evidence:
    """Move the commitment to a new stage on the strength of a dated, sourced entry (its reference checked
    as an evidence entry's: a report or meeting the caller may not read is one that does not exist)."""
    row, found = store.load(session, caller=caller, commitment_id=commitment_id)
    store.require_writer(caller, found, row)
    evidence.check_ref(session, caller, data.evidence_kind, data.ref)
    before = Stage(row.stage)
    try:
        done = move(before, data.stage, data.reason)
    except LadderError as e:
        raise RuleViolation(str(e)) from None
    entry = store.append_entry(
        session,
        row,
        caller=caller,
        kind=data.evidence_kind.value,
        day=data.date,
        title=data.title,
        source=data.source,
        ref=data.ref,
        stage_from=before.value,
        stage_to=done.stage_to.value,
        reason=done.reason,
        now=now,
    )
    store.set_stage(session, row, done.stage_to, now=now)
    store.audit(
        session,
        caller,
        "stage",
        row.id,
        now,
        stage_from=before.value,
        stage_to=row.stage,
        evidence_id=entry.id,
    )
    return entry


def _changed(row: Commitment, data: s.CommitmentChange) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name in ("deadline", "host_owner_id", "partner_owner_id"):
        if name not in data.model_fields_set:
            continue
        old, new = getattr(row, name), getattr(data, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def change(
    session: Session, *, caller: Caller, commitment_id: int, data: s.CommitmentChange, now: datetime
) -> Evidence:
    """Move the deadline or change an owner, with the reason kept in the timeline."""
    row, found = store.load(session, caller=caller, commitment_id=commitment_id)
    store.require_writer(caller, found, row)
    assert found is not None
    changes = _changed(row, data)
    if not changes:
        raise Conflict("nothing changes: the commitment already has these values")
    for party in Party:
        if f"{party.value}_owner_id" in changes:
            if not access.may_act_for(caller, found, party, store.owners(row)):
                raise Forbidden(f"only the {party.value} party names its own owner of a commitment")
            _check_owner(session, found, party, getattr(data, f"{party.value}_owner_id"))
    entry = store.append_entry(
        session,
        row,
        caller=caller,
        kind=s.EvidenceKind.note.value,
        day=_today(now),
        title="changed: " + ", ".join(sorted(changes)),
        reason=data.reason,
        changes=changes,
        now=now,
    )
    for name in changes:
        setattr(row, name, getattr(data, name))
    if "deadline" in changes:  # the alert was about the old deadline; the job judges the new one
        alerts_service.resolve(
            session, kind=store.OVERDUE_ALERT, subject_type=store.SUBJECT, subject_id=row.id, now=now
        )
    session.flush()
    store.audit(session, caller, "change", row.id, now, changes=changes, evidence_id=entry.id)
    return entry


def commitment_read(session: Session, row: Commitment, *, now: datetime) -> s.CommitmentRead:
    """The API shape of a commitment with both parties' latest assessments side by side."""
    values = {name: getattr(row, name) for name in s.CommitmentRead.model_fields if hasattr(row, name)}
    values.update(overdue=overdue(row, now=now), assessments=side_by_side(session, row.id))
    return s.CommitmentRead.model_validate(values)


def timeline(
    session: Session, *, caller: Caller, commitment_id: int, now: datetime | None = None
) -> s.Timeline:
    """The commitment and every entry and assessment that moved it, in the order they were recorded."""
    row, _ = store.load(session, caller=caller, commitment_id=commitment_id)
    evidence = session.scalars(select(Evidence).where(Evidence.commitment_id == row.id))
    assessed = session.scalars(select(Assessment).where(Assessment.commitment_id == row.id))
    scope = readers.scope_of(session, caller)  # a news entry's report may be marked above the reader
    entries = [
        s.TimelineEntry(type="evidence", at=e.at, evidence=news_markings.evidence_read(session, scope, e))
        for e in evidence
    ]
    entries += [s.TimelineEntry(type="assessment", at=a.at, assessment=assessment_read(a)) for a in assessed]
    entries.sort(key=_order)
    return s.Timeline(commitment=commitment_read(session, row, now=now or utcnow()), entries=entries)


def _order(t: s.TimelineEntry) -> tuple[datetime, int, int]:
    if t.evidence is not None:
        return t.at, 0, t.evidence.id
    return t.at, 1, t.assessment.id if t.assessment else 0

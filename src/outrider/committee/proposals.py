"""Cooperation from the news: a stored report read for commitments, one proposal per record, and the
secretariat's decision (accept into a new or an existing commitment's timeline, or reject with a reason).

A report proposes once: reading it again returns its proposals. A record is linked to the records of other
reports about the same commitment (the extraction's cross-report linking), and through them to the
commitment a linked proposal was accepted into: its ``link_key`` is shared.
"""

from __future__ import annotations

import calendar
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import Organization
from outrider.committee import commitment_access as access
from outrider.committee import commitment_store as store
from outrider.committee import commitments, evidence, news_markings
from outrider.committee import schemas_commitments as s
from outrider.committee.commitment_models import Commitment, CoopProposal
from outrider.committee.ladder import Kind, Party, Stage, needs_reason
from outrider.committee.models import Member
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.governance.rules import Founding
from outrider.intel.cooperation import CoopRecord, extract_cooperation, link_commitments
from outrider.intel.models import IntelReport
from outrider.sharing import readers

PROPOSAL = "coop_proposal"
SECRETARIAT_SEAT = "secretariat"
LINK_WINDOW = 500  # the latest proposals a new record is linked against
_RECORD_FIELDS = {f.name for f in fields(CoopRecord)}
SECRETARIAT_ONLY = (
    "proposals from the news are decided by the secretariat (the founding parties' administrators)"
)


def seated_secretariat(session: Session, caller: Caller) -> bool:
    """Whether a committee seats the caller as its secretariat (a former member is not)."""
    stmt = select(Member.id).where(Member.user_id == caller.user_id, Member.role == SECRETARIAT_SEAT).limit(1)
    return session.scalar(stmt) is not None


def _report(session: Session, report_id: int) -> IntelReport:
    report = session.get(IntelReport, report_id)
    if report is None:
        raise NotFound(f"no intelligence report {report_id}")
    return report


def _readable(session: Session, caller: Caller, report_id: int) -> IntelReport:
    """A report the caller's organisation may read by its marking; 404 otherwise, as intelligence answers."""
    report = _report(session, report_id)
    if readers.scope_of(session, caller).refusal(report) is not None:
        raise NotFound(f"no intelligence report {report_id}")
    return report


def of_report(session: Session, report_id: int) -> list[CoopProposal]:
    """The proposals made from one report, in the order of its records."""
    stmt = select(CoopProposal).where(CoopProposal.report_id == report_id).order_by(CoopProposal.seq)
    return list(session.scalars(stmt))


def _as_record(p: CoopProposal) -> CoopRecord:
    data = {k: v for k, v in p.record.items() if k in _RECORD_FIELDS}
    for name in ("parties", "officials"):
        data[name] = tuple(data.get(name) or ())
    data["spans"] = tuple(tuple(x) for x in p.record.get("evidence_spans") or ())
    data["commitment_id"] = p.link_key
    return CoopRecord(**data)


def _link_keys(session: Session, report: IntelReport, new: list[CoopRecord]) -> list[str]:
    """A link key per new record: that of a linked proposal of another report, else a fresh one."""
    stored = list(
        session.scalars(
            select(CoopProposal)
            .where(CoopProposal.report_id != report.id)
            .order_by(CoopProposal.id.desc())
            .limit(LINK_WINDOW)
        )
    )
    old = [_as_record(p) for p in stored]
    linked = link_commitments(old + new)
    key_of_group: dict[str | None, str] = {}
    for before, after in zip(old, linked[: len(old)], strict=True):
        key_of_group.setdefault(after.commitment_id, before.commitment_id or "")
    keys = []
    for seq, rec in enumerate(linked[len(old) :]):
        keys.append(key_of_group.get(rec.commitment_id) or f"news-{report.id}-{seq}")
        key_of_group.setdefault(rec.commitment_id, keys[-1])
    return keys


def _evidence(text: str, rec: CoopRecord) -> list[dict[str, Any]]:
    spans = [{"start": a, "end": b, "text": text[a:b]} for a, b in rec.spans if 0 <= a < b <= len(text)]
    return spans or [{"text": rec.evidence}]


def propose_from_report(
    session: Session, *, caller: Caller, report_id: int, now: datetime
) -> list[CoopProposal]:
    """Read a stored report for cooperation and store one proposal per record (once per report)."""
    if not access.may_read_news(caller, store.founding(session), seated=seated_secretariat(session, caller)):
        raise Forbidden("reports are read for cooperation by the secretariat and the host's analysts")
    report = _readable(session, caller, report_id)
    done = of_report(session, report.id)
    if done:
        return done
    records = extract_cooperation(report.clean_text, doc_id=report.doc_id, published=report.published)
    keys = _link_keys(session, report, records)
    rows = [
        CoopProposal(
            report_id=report.id,
            seq=seq,
            kind=rec.kind,
            stage=rec.stage,
            link_key=key,
            record=rec.to_json(),
            evidence=_evidence(report.clean_text, rec),
            state=s.ProposalState.proposed.value,
            reason="",
            created_at=now,
        )
        for seq, (rec, key) in enumerate(zip(records, keys, strict=True))
    ]
    try:
        with session.begin_nested():  # another request may read the same report at this moment
            session.add_all(rows)
    except IntegrityError:
        return of_report(session, report.id)
    marking = readers.scope_of(session, caller).marking(report).label
    store.audit(
        session,
        caller,
        "propose",
        report.id,
        now,
        object_type="intel_report",
        proposals=[r.id for r in rows],
        marking=marking,
    )
    return rows


def list_proposals(
    session: Session, *, caller: Caller, state: s.ProposalState | None = None, report_id: int | None = None
) -> list[CoopProposal]:
    """Proposals, newest first (the commitments' readers)."""
    store.require_reader(caller, store.founding(session))
    stmt = select(CoopProposal).order_by(CoopProposal.id.desc())
    if state is not None:
        stmt = stmt.where(CoopProposal.state == state.value)
    if report_id is not None:
        stmt = stmt.where(CoopProposal.report_id == report_id)
    return list(session.scalars(stmt))


def get_proposal(session: Session, *, caller: Caller, proposal_id: int) -> CoopProposal:
    """One proposal the caller may read."""
    row = session.get(CoopProposal, proposal_id)
    if row is None or not access.may_read(caller, store.founding(session)):
        raise NotFound(f"no proposal {proposal_id}")
    return row


def _deciding(session: Session, caller: Caller, proposal_id: int) -> tuple[CoopProposal, Founding]:
    row = get_proposal(session, caller=caller, proposal_id=proposal_id)
    found = store.founding(session)
    if found is None or not access.may_decide_proposals(
        caller, found, seated=seated_secretariat(session, caller)
    ):
        raise Forbidden(SECRETARIAT_ONLY)
    withheld = news_markings.of_report(session, readers.scope_of(session, caller), row.report_id).withheld
    if withheld is not None:
        raise Forbidden(f"the proposal rests on a report your organisation may not read ({withheld})")
    if row.state != s.ProposalState.proposed.value:
        raise Conflict(f"proposal {row.id} is already {row.state}")
    return row, found


def _party(session: Session, found: Founding, code: str | None) -> Party | None:
    if code is None:
        return None
    host, partner = (
        session.get(Organization, found.host_org_id),
        session.get(Organization, found.partner_org_id),
    )
    if host is not None and code == host.country:
        return Party.host
    if partner is not None and code == partner.country:
        return Party.partner
    return None


def _day(value: Any, *, last: bool) -> date | None:
    """A schema date (YYYY, YYYY-MM, YYYY-MM-DD) as a day: its first, or its last for a deadline."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        year, month = parts[0], parts[1] if len(parts) > 1 else (12 if last else 1)
        day = parts[2] if len(parts) > 2 else (calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def _create_from(
    session: Session,
    caller: Caller,
    found: Founding,
    row: CoopProposal,
    title: str | None,
    report: IntelReport,
    now: datetime,
) -> Commitment:
    rec = row.record
    kind = Kind(rec["kind"])
    # text copied into a commitment reaches every member: none of a report a founding party may not read
    quoted = not news_markings.withheld_from_a_party(session, found, report)
    told = (rec.get("object") or report.title or "") if quoted else ""
    promisor, beneficiary = (
        _party(session, found, rec.get("promisor")),
        _party(session, found, rec.get("beneficiary")),
    )
    values = {
        "title": (title or f"{kind.value.replace('_', ' ')}: {told}".removesuffix(": "))[:200],
        "kind": kind,
        "promisor": promisor,
        "beneficiary": beneficiary if beneficiary != promisor else None,
        "countries": [
            c for c in rec.get("parties") or () if isinstance(c, str) and len(c) == 2 and c.isalpha()
        ],
        "object": str(rec.get("object") or "")[:2000] if quoted else "",
        "amount": rec.get("amount"),
        "currency": rec.get("currency") if rec.get("amount") is not None else None,
        "group": str(rec.get("group"))[:128]
        if kind is Kind.action_against_group and rec.get("group")
        else None,
        "stage": Stage(rec["stage"]),
        "deadline": _day(rec.get("deadline"), last=True),
        "link_key": row.link_key,
        "date": _day(rec.get("date"), last=False) or report.published or now.astimezone(UTC).date(),
        "source": report.source[:2000] if quoted else f"intelligence report {report.id}",
    }
    try:
        data = s.CommitmentCreate.model_validate(values)
    except ValidationError as exc:  # a record the extraction read that no commitment can hold as it is
        raise InvalidInput(
            f"the proposal cannot become a commitment as it is: {exc.errors()[0]['msg']}"
        ) from None
    return commitments.create_commitment(session, caller=caller, data=data, now=now)


def accept(
    session: Session, *, caller: Caller, proposal_id: int, data: s.ProposalAccept, now: datetime
) -> CoopProposal:
    """Accept a proposal into a new commitment, or into an existing one's timeline as news evidence
    (moving it forward to the reported stage when ``move_stage``; never backwards)."""
    row, found = _deciding(session, caller, proposal_id)
    report = _report(session, row.report_id)
    day = _day(row.record.get("date"), last=False) or report.published or now.astimezone(UTC).date()
    title = (report.title or f"report {report.id}")[:300]
    if data.commitment_id is None:
        target = _create_from(session, caller, found, row, data.title, report, now)
    else:
        target = commitments.get_commitment(session, caller=caller, commitment_id=data.commitment_id)
        target.link_key = target.link_key or row.link_key
    stage_from, stage_to = Stage(target.stage), Stage(row.stage)
    if (
        data.commitment_id is not None
        and data.move_stage
        and stage_from != stage_to
        and not needs_reason(stage_from, stage_to)
    ):
        move = s.StageMove(
            stage=stage_to,
            date=day,
            title=title,
            evidence_kind=s.EvidenceKind.news,
            source=report.source[:2000],
            ref=str(report.id),
        )
        entry = commitments.move_stage(session, caller=caller, commitment_id=target.id, data=move, now=now)
    else:
        entry = evidence.add_evidence(
            session,
            caller=caller,
            commitment_id=target.id,
            kind=s.EvidenceKind.news,
            date=day,
            title=title,
            source=report.source[:2000],
            ref=str(report.id),
            now=now,
        )
    row.state, row.commitment_id, row.evidence_id = s.ProposalState.accepted.value, target.id, entry.id
    row.decided_by, row.decided_at = caller.user_id, now
    session.flush()
    store.audit(session, caller, "accept_proposal", target.id, now, proposal_id=row.id, evidence_id=entry.id)
    return row


def reject(session: Session, *, caller: Caller, proposal_id: int, reason: str, now: datetime) -> CoopProposal:
    """Reject a proposal with a reason."""
    row, _ = _deciding(session, caller, proposal_id)
    row.state, row.reason = s.ProposalState.rejected.value, reason.strip()
    row.decided_by, row.decided_at = caller.user_id, now
    session.flush()
    store.audit(
        session, caller, "reject_proposal", row.id, now, object_type=PROPOSAL, report_id=row.report_id
    )
    return row


def suggested_commitment(session: Session, row: CoopProposal) -> int | None:
    """The commitment a linked proposal of another report was accepted into (or that carries its key)."""
    if row.link_key is None:
        return None
    found: int | None = session.scalar(
        select(Commitment.id).where(Commitment.link_key == row.link_key).order_by(Commitment.id).limit(1)
    )
    return found


def proposal_reads(session: Session, caller: Caller, rows: list[CoopProposal]) -> list[s.ProposalRead]:
    """The API shape of proposals for one reader: each with the commitment it is linked to, if any, and
    its report's marking; the record and quoted evidence withheld when the reader may not read the report."""
    scope = readers.scope_of(session, caller)
    reads = []
    for row in rows:
        read = news_markings.proposal_shown(session, scope, row)
        read.suggested_commitment_id = row.commitment_id or suggested_commitment(session, row)
        reads.append(read)
    return reads


def proposal_read(session: Session, row: CoopProposal, *, caller: Caller) -> s.ProposalRead:
    """One proposal as ``proposal_reads`` shows it."""
    return proposal_reads(session, caller, [row])[0]

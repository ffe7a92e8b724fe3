"""The compliance report's query: the stored evaluations of a period the caller may see, with evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.errors import Forbidden, InvalidInput
from outrider.movements import service as movements_service
from outrider.movements.models import Movement
from outrider.protocols import counting, service
from outrider.protocols.compliance import evidence_allowed
from outrider.protocols.models import ProtocolEvaluation, ProtocolVersion
from outrider.protocols.report import ComplianceReport, EvaluationRecord, build_report
from outrider.protocols.risk_evidence import lens_for
from outrider.shapes import read_of

MAX_DAYS = 3700


def compliance_report(
    session: Session,
    *,
    caller: Caller,
    start: date,
    end: date,
    organization: str | int | None = None,
    protocol_id: str | None = None,
    now: datetime,
) -> ComplianceReport:
    """Evaluations from `start` to `end` (whole UTC days, inclusive) of the movements the caller may see:
    the figures count the evaluations of record (`counting.of_record`), previews and refusals apart.

    `organization` keeps the movements requested by one organisation. The facts snapshots are included
    where the caller may read the movement's itinerary (and for auditors); those reads are audited.
    Outside the holder's organisation the evidence leaves the risk facts out (`risk_evidence`).
    """
    if not policy.may_read_compliance(caller):
        raise Forbidden(
            "compliance reports are for admins, duty officers, coordinators, liaisons and auditors"
        )
    if end < start:
        raise InvalidInput("the period ends before it starts")
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(f"a report covers at most {MAX_DAYS} days")
    org = (
        accounts_service.find_organization(session, ref=str(organization))
        if organization is not None
        else None
    )
    lo = datetime.combine(start, time(0), tzinfo=UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC)
    stmt = (
        select(ProtocolEvaluation, Movement)
        .join(Movement, Movement.id == ProtocolEvaluation.movement_id)
        .where(ProtocolEvaluation.at >= lo, ProtocolEvaluation.at < hi)
        .where(ProtocolEvaluation.movement_id.in_(movements_service.visible_ids(caller)))
        .order_by(ProtocolEvaluation.at, ProtocolEvaluation.id)
    )
    if org is not None:
        stmt = stmt.where(Movement.organization_id == org.id)
    if protocol_id:
        stmt = stmt.where(ProtocolEvaluation.protocol_id == protocol_id)
    evidence: dict[int, bool] = {}
    lens = lens_for(session, caller)
    titles: dict[str, str] = {}
    seen_versions: set[int] = set()
    records = []
    for row, movement in session.execute(stmt).all():
        if movement.id not in evidence:
            evidence[movement.id] = evidence_allowed(session, caller, movement, now, listed=True)
        if row.version_id not in seen_versions:
            seen_versions.add(row.version_id)
            version = session.get(ProtocolVersion, row.version_id)
            if version is not None:
                titles.update({r.id: r.title for r in service.compiled_of(version).document.rules})
        records.append(
            read_of(
                EvaluationRecord,
                row,
                evaluation_id=row.id,
                movement_reference=movement.reference,
                organization_id=movement.organization_id,
                results=tuple(lens.results(row.results, row.facts)),
                waived=tuple(row.waived),
                blocking=tuple(row.blocking),
                overridden=tuple(row.overridden or ()),
                facts_hash=lens.facts_hash(row.facts_hash, row.facts),
                facts=lens.facts(row.facts) if evidence[movement.id] else None,
            )
        )
    chosen = counting.of_record(records)
    report = build_report(
        chosen.records,
        start=start,
        end=end,
        generated_at=now,
        titles=titles,
        organization=org.name if org is not None else None,
        protocol_id=protocol_id,
    )
    return replace(
        report,
        checks_stored=chosen.stored,
        previews=chosen.previews,
        refusals=chosen.refusals,
        superseded=chosen.superseded,
        facts_withheld=tuple(lens.withheld),
    )

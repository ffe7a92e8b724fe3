"""Each party's own assessment of a commitment's implementation: append-only, kept per party, shown side by
side and never averaged (0 not started, 1 begun, 2 largely done, 3 done)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.committee import commitment_access as access
from outrider.committee import commitment_store as store
from outrider.committee import schemas_commitments as s
from outrider.committee.commitment_models import Assessment
from outrider.committee.ladder import SCORES, Assessed, Party, disagree, latest_by_party
from outrider.errors import Forbidden


def assess(
    session: Session, *, caller: Caller, commitment_id: int, data: s.AssessmentCreate, now: datetime
) -> Assessment:
    """Record a party's assessment; only that party's deciding roles or its owner assess for it."""
    row, found = store.load(session, caller=caller, commitment_id=commitment_id)
    if not access.may_assess(caller, found, data.party, store.owners(row)):
        raise Forbidden(
            f"only the {data.party.value} party assesses for itself (its deciding roles or its owner of "
            "this commitment)"
        )
    entry = Assessment(
        commitment_id=row.id,
        party=data.party.value,
        score=data.score,
        note=data.note,
        organization_id=caller.organization_id,
        user_id=caller.user_id,
        at=now,
    )
    session.add(entry)
    session.flush()
    row.updated_at = max(now, row.updated_at)
    store.audit(
        session, caller, "assess", row.id, now, party=entry.party, score=entry.score, assessment_id=entry.id
    )
    return entry


def last_assessments(session: Session, commitment_id: int) -> dict[Party, Assessment]:
    """Each party's latest assessment of the commitment (a party that never assessed is absent)."""
    rows = {
        a.id: a for a in session.scalars(select(Assessment).where(Assessment.commitment_id == commitment_id))
    }
    cores = (Assessed(a.id, Party(a.party), a.score, a.note, a.at) for a in rows.values())
    return {party: rows[core.id] for party, core in latest_by_party(cores).items()}


def assessment_read(a: Assessment) -> s.AssessmentRead:
    """The API shape of an assessment, with the meaning of its score."""
    return s.AssessmentRead(
        id=a.id,
        party=Party(a.party),
        score=a.score,
        meaning=SCORES[a.score],
        note=a.note,
        organization_id=a.organization_id,
        user_id=a.user_id,
        at=a.at,
    )


def side_by_side(session: Session, commitment_id: int) -> s.SideBySide:
    """Both parties' latest assessments, and whether they disagree."""
    latest = last_assessments(session, commitment_id)
    cores = {p: Assessed(a.id, p, a.score, a.note, a.at) for p, a in latest.items()}
    return s.SideBySide(
        host=assessment_read(latest[Party.host]) if Party.host in latest else None,
        partner=assessment_read(latest[Party.partner]) if Party.partner in latest else None,
        disagree=disagree(cores),
    )

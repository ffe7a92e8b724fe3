"""HTTP routes of commitments: list, record, read, move along the ladder, change, assess, evidence, timeline,
and the proposals read from the news."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from outrider.committee import assessments, commitments, evidence, proposals
from outrider.committee import schemas_commitments as s
from outrider.committee.commitments import Filters
from outrider.committee.ladder import Kind, Party
from outrider.db import utcnow
from outrider.http import CallerDep, SessionDep
from outrider.inputs import MAX_ID

router = APIRouter(prefix="/api/v1/commitments", tags=["commitments"])
CommitmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
ProposalId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=list[s.CommitmentRead])
def list_commitments(
    caller: CallerDep,
    session: SessionDep,
    status_: Annotated[s.Status | None, Query(alias="status")] = None,
    overdue: Annotated[bool | None, Query()] = None,
    kind: Annotated[Kind | None, Query()] = None,
    party: Annotated[Party | None, Query(description="promisor or beneficiary")] = None,
) -> list[s.CommitmentRead]:
    """Commitments, nearest deadline first (the founding parties' users and auditors)."""
    now = utcnow()
    rows = commitments.list_commitments(
        session, caller=caller, filters=Filters(status_, overdue, kind, party), now=now
    )
    return [commitments.commitment_read(session, r, now=now) for r in rows]


@router.post("", response_model=s.CommitmentRead, status_code=status.HTTP_201_CREATED)
def create_commitment(data: s.CommitmentCreate, caller: CallerDep, session: SessionDep) -> s.CommitmentRead:
    """Record a commitment (the parties' administrators, host duty officers, partner liaisons)."""
    now = utcnow()
    row = commitments.create_commitment(session, caller=caller, data=data, now=now)
    return commitments.commitment_read(session, row, now=now)


@router.get("/proposals", response_model=list[s.ProposalRead])
def list_proposals(
    caller: CallerDep,
    session: SessionDep,
    state: Annotated[s.ProposalState | None, Query()] = None,
    report_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[s.ProposalRead]:
    """Cooperation records proposed from the news, newest first."""
    rows = proposals.list_proposals(session, caller=caller, state=state, report_id=report_id)
    return proposals.proposal_reads(session, caller, rows)


@router.post("/proposals", response_model=list[s.ProposalRead])
def propose(data: s.ProposeFromReport, caller: CallerDep, session: SessionDep) -> list[s.ProposalRead]:
    """Read a stored report for cooperation: one proposal per record, once per report."""
    rows = proposals.propose_from_report(session, caller=caller, report_id=data.report_id, now=utcnow())
    return proposals.proposal_reads(session, caller, rows)


@router.get("/proposals/{proposal_id}", response_model=s.ProposalRead)
def get_proposal(proposal_id: ProposalId, caller: CallerDep, session: SessionDep) -> s.ProposalRead:
    """One proposal with its record and evidence spans."""
    row = proposals.get_proposal(session, caller=caller, proposal_id=proposal_id)
    return proposals.proposal_read(session, row, caller=caller)


@router.post("/proposals/{proposal_id}/accept", response_model=s.ProposalRead)
def accept_proposal(
    proposal_id: ProposalId, data: s.ProposalAccept, caller: CallerDep, session: SessionDep
) -> s.ProposalRead:
    """Accept into a new commitment, or into an existing commitment's timeline (the secretariat)."""
    row = proposals.accept(session, caller=caller, proposal_id=proposal_id, data=data, now=utcnow())
    return proposals.proposal_read(session, row, caller=caller)


@router.post("/proposals/{proposal_id}/reject", response_model=s.ProposalRead)
def reject_proposal(
    proposal_id: ProposalId, data: s.ProposalReject, caller: CallerDep, session: SessionDep
) -> s.ProposalRead:
    """Reject with a reason (the secretariat)."""
    row = proposals.reject(session, caller=caller, proposal_id=proposal_id, reason=data.reason, now=utcnow())
    return proposals.proposal_read(session, row, caller=caller)


@router.get("/{commitment_id}", response_model=s.CommitmentRead)
def get_commitment(commitment_id: CommitmentId, caller: CallerDep, session: SessionDep) -> s.CommitmentRead:
    """One commitment with both parties' latest assessments side by side."""
    row = commitments.get_commitment(session, caller=caller, commitment_id=commitment_id)
    return commitments.commitment_read(session, row, now=utcnow())


@router.patch("/{commitment_id}", response_model=s.EvidenceRead)
def change_commitment(
    commitment_id: CommitmentId, data: s.CommitmentChange, caller: CallerDep, session: SessionDep
) -> s.EvidenceRead:
    """Move the deadline or change an owner; the reason and the values before and after are kept."""
    entry = commitments.change(session, caller=caller, commitment_id=commitment_id, data=data, now=utcnow())
    return s.EvidenceRead.model_validate(entry)


@router.post("/{commitment_id}/stage", response_model=s.EvidenceRead, status_code=status.HTTP_201_CREATED)
def move_stage(
    commitment_id: CommitmentId, data: s.StageMove, caller: CallerDep, session: SessionDep
) -> s.EvidenceRead:
    """Move to a new stage on dated evidence (a reason to go back or to not_fulfilled)."""
    entry = commitments.move_stage(
        session, caller=caller, commitment_id=commitment_id, data=data, now=utcnow()
    )
    return s.EvidenceRead.model_validate(entry)


@router.post(
    "/{commitment_id}/assessments", response_model=s.AssessmentRead, status_code=status.HTTP_201_CREATED
)
def assess(
    commitment_id: CommitmentId, data: s.AssessmentCreate, caller: CallerDep, session: SessionDep
) -> s.AssessmentRead:
    """Your party's assessment, 0 not started, 1 begun, 2 largely done, 3 done (only for your own party)."""
    row = assessments.assess(session, caller=caller, commitment_id=commitment_id, data=data, now=utcnow())
    return assessments.assessment_read(row)


@router.post("/{commitment_id}/evidence", response_model=s.EvidenceRead, status_code=status.HTTP_201_CREATED)
def add_evidence(
    commitment_id: CommitmentId, data: s.EvidenceCreate, caller: CallerDep, session: SessionDep
) -> s.EvidenceRead:
    """A dated, sourced entry of the timeline; a document is uploaded in base64 and kept by its SHA-256."""
    entry = evidence.add_evidence(
        session,
        caller=caller,
        commitment_id=commitment_id,
        kind=data.kind,
        date=data.date,
        title=data.title,
        source=data.source,
        ref=data.ref,
        sha256=data.sha256,
        now=utcnow(),
        document=evidence.decode_upload(data.file_name, data.content_base64),
    )
    return s.EvidenceRead.model_validate(entry)


@router.get("/{commitment_id}/timeline", response_model=s.Timeline)
def timeline(commitment_id: CommitmentId, caller: CallerDep, session: SessionDep) -> s.Timeline:
    """The commitment and every entry and assessment that moved it, oldest first."""
    return commitments.timeline(session, caller=caller, commitment_id=commitment_id, now=utcnow())

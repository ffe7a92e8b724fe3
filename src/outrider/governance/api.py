"""HTTP routes of joint governance: the founding parties and the proposals both must approve."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.db import utcnow
from outrider.governance import schemas as s
from outrider.governance import service
from outrider.governance.models import Proposal
from outrider.governance.rules import State
from outrider.http import CallerDep, SessionDep
from outrider.protocols.signing_keys import signed_approval

router = APIRouter(prefix="/api/v1/governance", tags=["governance"])
ProposalId = Annotated[int, Path(ge=1, le=s.BIG)]


@router.get("", response_model=s.FoundingRead)
def founding(caller: CallerDep, session: SessionDep) -> s.FoundingRead:
    """The founding parties of the joint arrangement and the partner governments recognised since."""
    return service.founding_read(session)


@router.get("/proposals", response_model=list[s.ProposalRead])
def list_proposals(
    caller: CallerDep, session: SessionDep, state: Annotated[State | None, Query()] = None
) -> list[s.ProposalRead]:
    """Proposals, newest first (founding parties' administrators and auditors)."""
    now = utcnow()
    rows = service.list_proposals(session, caller=caller, state=state, now=now)
    return [service.proposal_read(r, now=now) for r in rows]


@router.post("/proposals", response_model=s.ProposalRead, status_code=status.HTTP_201_CREATED)
def create_proposal(data: s.ProposalCreate, caller: CallerDep, session: SessionDep) -> s.ProposalRead:
    """Propose a change to what the founding parties agreed (their administrators)."""
    now = utcnow()
    row = service.propose(
        session,
        caller=caller,
        kind=data.kind,
        payload=data.payload,
        comment=data.comment,
        ttl=timedelta(days=data.expires_in_days),
        now=now,
    )
    return service.proposal_read(row, now=now)


@router.get("/proposals/{proposal_id}", response_model=s.ProposalRead)
def get_proposal(proposal_id: ProposalId, caller: CallerDep, session: SessionDep) -> s.ProposalRead:
    """One proposal, its payload hash and each party's decision."""
    return service.proposal_read(
        service.get_proposal(session, caller=caller, proposal_id=proposal_id), now=utcnow()
    )


@router.post("/proposals/{proposal_id}/approve", response_model=s.ProposalRead)
def approve(
    proposal_id: ProposalId, data: s.Decide, caller: CallerDep, session: SessionDep
) -> s.ProposalRead:
    """Approve the payload with this hash for your founding party; the last approval enacts it."""
    now = utcnow()
    row = service.approve(
        session,
        caller=caller,
        proposal_id=proposal_id,
        payload_hash=data.payload_hash,
        comment=data.comment,
        signed=signed_approval(session, caller=caller, public_key=data.public_key, signature=data.signature),
        now=now,
    )
    return service.proposal_read(row, now=now)


@router.post("/proposals/{proposal_id}/reject", response_model=s.ProposalRead)
def reject(
    proposal_id: ProposalId, data: s.Comment, caller: CallerDep, session: SessionDep
) -> s.ProposalRead:
    """Reject for your founding party: the proposal ends."""
    return _closed(service.reject, session, caller, proposal_id, data)


@router.post("/proposals/{proposal_id}/withdraw", response_model=s.ProposalRead)
def withdraw(
    proposal_id: ProposalId, data: s.Comment, caller: CallerDep, session: SessionDep
) -> s.ProposalRead:
    """Withdraw your party's open proposal."""
    return _closed(service.withdraw, session, caller, proposal_id, data)


def _closed(
    close: Callable[..., Proposal], session: Session, caller: Caller, proposal_id: int, data: s.Comment
) -> s.ProposalRead:
    now = utcnow()
    row = close(session, caller=caller, proposal_id=proposal_id, comment=data.comment, now=now)
    return service.proposal_read(row, now=now)

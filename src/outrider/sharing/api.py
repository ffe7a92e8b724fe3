"""HTTP routes of sharing: release policies both founding parties agree, markings, the STIX export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from outrider.db import utcnow
from outrider.http import CallerDep, SessionDep
from outrider.sharing import imports, markings, policy_store, service
from outrider.sharing import schemas as s

router = APIRouter(prefix="/api/v1/sharing", tags=["sharing"])
PolicyId = Annotated[int, Path(ge=1, le=s.BIG)]
ObjectId = Annotated[int, Path(ge=1, le=s.BIG)]


@router.get("/policies", response_model=list[s.PolicyRead])
def list_policies(
    caller: CallerDep,
    session: SessionDep,
    partner_org_id: Annotated[int | None, Query(ge=1, le=s.BIG)] = None,
) -> list[s.PolicyRead]:
    """Release policies the caller may read, by partner and version."""
    return [
        policy_store.read(r)
        for r in policy_store.listing(session, caller=caller, partner_org_id=partner_org_id)
    ]


@router.post("/policies", response_model=s.PolicyRead, status_code=status.HTTP_201_CREATED)
def propose(data: s.PolicyCreate, caller: CallerDep, session: SessionDep) -> s.PolicyRead:
    """Propose the next version of a partner's release policy (founding parties' administrators)."""
    terms: dict[str, Any] = data.model_dump(exclude={"partner_org_id", "comment"})
    row = policy_store.propose(
        session,
        caller=caller,
        partner_org_id=data.partner_org_id,
        terms=terms,
        comment=data.comment,
        now=utcnow(),
    )
    return policy_store.read(row)


@router.get("/policies/{policy_id}", response_model=s.PolicyRead)
def get_policy(policy_id: PolicyId, caller: CallerDep, session: SessionDep) -> s.PolicyRead:
    """One release policy, its payload hash and each party's approval."""
    return policy_store.read(policy_store.get(session, caller=caller, policy_id=policy_id))


@router.post("/policies/{policy_id}/approve", response_model=s.PolicyRead)
def approve(policy_id: PolicyId, data: s.Approve, caller: CallerDep, session: SessionDep) -> s.PolicyRead:
    """Approve the terms with this hash for your founding party; the second approval puts it in force."""
    row = policy_store.approve(
        session, caller=caller, policy_id=policy_id, payload_hash=data.payload_hash, now=utcnow()
    )
    return policy_store.read(row)


@router.post("/export", response_model=s.BundleRead)
def export(data: s.ExportRequest, caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    """The STIX 2.1 bundle the partner receives under its agreed policy (the release is audited)."""
    return service.export(session, caller=caller, partner_org_id=data.partner_org_id, now=utcnow()).bundle


@router.put("/markings/{kind}/{object_id}", response_model=s.MarkingRead)
def mark(
    kind: s.Kind, object_id: ObjectId, data: s.MarkingUpdate, caller: CallerDep, session: SessionDep
) -> Any:
    """Mark a report, incident, event or actor (analysts), saying why."""
    return service.set_marking(
        session,
        caller=caller,
        kind=kind,
        object_id=object_id,
        marking=markings.parse(data.marking),
        ntk_groups=data.ntk_groups,
        reason=data.reason,
        now=utcnow(),
    )


@router.put("/default-marking", response_model=s.DefaultRead)
def set_default(data: s.DefaultUpdate, caller: CallerDep, session: SessionDep) -> s.DefaultRead:
    """Set your organisation's default marking (its administrators)."""
    row = service.set_default(
        session,
        caller=caller,
        organization_id=caller.organization_id,
        marking=markings.parse(data.marking),
        now=utcnow(),
    )
    return s.DefaultRead(organization_id=row.organization_id, marking=row.marking)


@router.post("/import", response_model=s.ImportRead)
def import_bundle(
    data: s.BundleIn,
    caller: CallerDep,
    session: SessionDep,
    partner_org_id: Annotated[int, Query(ge=1, le=s.BIG, description="the partner that sent the bundle")],
) -> s.ImportRead:
    """Import a partner's STIX 2.1 bundle (the host's analysts): each object accepted, rejected or ignored."""
    done = imports.import_bundle(
        session, caller=caller, partner_org_id=partner_org_id, bundle=data.model_dump(), now=utcnow()
    )
    return imports.read(done)


@router.put("/import-ceilings/{partner_org_id}", response_model=s.CeilingRead)
def set_ceiling(
    partner_org_id: ObjectId, data: s.CeilingUpdate, caller: CallerDep, session: SessionDep
) -> s.CeilingRead:
    """Set the most restricted marking accepted from a partner (the host's administrators)."""
    row = imports.set_ceiling(
        session,
        caller=caller,
        partner_org_id=partner_org_id,
        ceiling=markings.parse(data.ceiling),
        now=utcnow(),
    )
    return imports.read_source(row)

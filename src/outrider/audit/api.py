"""HTTP routes of the audit log (auditors)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from outrider.access import policy
from outrider.audit import service
from outrider.db import utcnow
from outrider.errors import Forbidden
from outrider.http import CallerDep, SessionDep

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("/verify")
def verify(caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    """Check the whole chain and its checkpoints; names the first broken record."""
    if not policy.may_audit(caller):
        raise Forbidden("verification of the audit log is for auditors")
    v = service.verify(session)
    return {
        "ok": v.ok,
        "records": v.records,
        "last_seq": v.last_seq,
        "checkpoints_checked": v.checkpoints,
        "first_broken_seq": v.first_broken_seq,
        "problem": v.problem,
    }


@router.get("/checkpoints")
def checkpoints(caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    """The newest signed head of each key and the public key, to keep a copy elsewhere."""
    if not policy.may_audit(caller):
        raise Forbidden("audit checkpoints are for auditors")
    service.record(
        session,
        actor=service.Actor(caller.user_id, caller.organization_id, caller.channel, caller.request_id),
        action="audit.export_checkpoints",
        object_type="audit",
        object_id="checkpoints",
        now=utcnow(),
    )
    return {
        "public_key": service.public_key(),
        "checkpoints": [
            {
                "seq": c.seq,
                "hash": c.hash,
                "at": c.at.isoformat(),
                "signature": c.signature,
                "public_key": c.public_key,
                "prev_seq": c.prev_seq,
            }
            for c in service.checkpoints(session, decisive=True)
        ],
    }

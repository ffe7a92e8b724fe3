"""HTTP routes of the audit log (the service lets auditors through)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from outrider.audit import service
from outrider.db import utcnow
from outrider.http import CallerDep, SessionDep

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("/verify")
def verify(caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    """Check the whole chain and its checkpoints; names the first broken record."""
    v = service.verify_as(session, caller=caller)
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
    """The newest signed head of each key and the public key, to keep a copy elsewhere (recorded)."""
    return service.export_checkpoints(session, caller=caller, now=utcnow())

"""A partner pulls its stream: the objects changed after its cursor that its agreed policy releases.

The pull goes through the export's own release (`service.export`, channel ``pull``): the same policy
check, the same STIX bundle, the same `sharing.release` record, for every pull that carries anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.audit.models import AuditRecord
from outrider.errors import Forbidden
from outrider.sharing import policy_store, service, stream
from outrider.sharing.policy import Releasable

PULLERS = frozenset({"analyst", "admin"})
DEFAULT_LIMIT, MAX_LIMIT = 100, 500
_MARKED_TYPES = {f"intel_{kind}": kind for kind in service.MARKED}


@dataclass(frozen=True, slots=True)
class Pull:
    """One answer of the stream: the bundle, the cursor to pass next, whether more wait."""

    bundle: dict[str, Any]
    next: str
    more: bool
    count: int  # objects changed after the cursor (the bundle also carries those they refer to)
    released: int


def may_pull(caller: Caller, *, holder: int) -> bool:
    """A partner organisation's own analysts and administrators pull; the holder exports instead."""
    return caller.organization_id != holder and bool(caller.roles & PULLERS)


def marked_at(session: Session) -> dict[tuple[str, int], datetime]:
    """When each object's marking last changed (from the audit chain's `sharing.mark` records)."""
    stmt = (
        select(AuditRecord.object_type, AuditRecord.object_id, func.max(AuditRecord.at))
        .where(AuditRecord.object_type.in_(list(_MARKED_TYPES)), AuditRecord.action == "sharing.mark")
        .group_by(AuditRecord.object_type, AuditRecord.object_id)
    )
    return {(_MARKED_TYPES[t], int(i)): at for t, i, at in session.execute(stmt)}


def pull(session: Session, *, caller: Caller, after: str | None, limit: int, now: datetime) -> Pull:
    """The next page of the caller's organisation's stream; a page that carries anything is recorded."""
    holder = service.holder_id(session)
    if not may_pull(caller, holder=holder):
        raise Forbidden("only a partner organisation's analysts and administrators pull its stream")
    cursor = stream.decode(after) if after else None
    row = policy_store.agreed(session, partner_org_id=caller.organization_id)
    if row is None:
        raise Forbidden("no release policy agreed by both founding parties for this partner: nothing leaves")
    default = service.default_marking(session, organization_id=holder)
    terms = stream.basis(row.id, policy_store.stored_hash(row), default.label)
    marks = marked_at(session)
    pages: list[stream.Page] = []

    def select_page(released: Sequence[Releasable]) -> list[Releasable]:
        pages.append(stream.page(released, after=cursor, basis=terms, limit=limit, marked_at=marks))
        return pages[-1].objects

    done = service.export(
        session,
        caller=caller,
        partner_org_id=caller.organization_id,
        now=now,
        channel="pull",
        select=select_page,
    )
    got = pages[0]
    return Pull(done.bundle, stream.encode(got.next), got.more, len(got.fresh), len(done.released))

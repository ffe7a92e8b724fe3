"""Intelligence, the shared base: the incident-set revision, the reviewer check, the audit actor, actors.

The use cases stand in modules of their own around this one, as movements' do: `ingest` (reports in),
`events` (the store side of linking), `review` (the analyst's decisions), `dataset_import` (GTD, ACLED)
and `queries` (the reads, those of risk among them). The caller owns the transaction. Every change bumps
the incident-set revision (risk snapshots cite it) and goes to the audit chain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.audit import service as audit_service
from outrider.audit.service import Entry
from outrider.errors import Conflict, Forbidden, NotFound
from outrider.intel import actors as actor_registry
from outrider.intel.models import IntelActor, IntelEvent, IntelIncident, IntelRevision
from outrider.intel.schemas import ActorCreate, ActorUpdate

# ---------------------------------------------------------------- access and audit


def may_review(caller: Caller) -> bool:
    """Analysts, and administrators of host security, review incidents and edit actors."""
    return "analyst" in caller.roles or ("admin" in caller.roles and caller.org_kind == "host_security")


def require_reviewer(caller: Caller) -> None:
    """Refuse a caller who may not change intelligence."""
    if not may_review(caller):
        raise Forbidden("only analysts and host-security administrators may change intelligence")


def audit(
    session: Session,
    caller: Caller,
    action: str,
    object_type: str,
    object_id: int | str,
    now: datetime,
    *,
    fields: Sequence[str] = (),
    details: dict[str, Any] | None = None,
) -> None:
    """Record an intelligence change on the audit chain, in the caller's name."""
    audit_service.append(session, Entry(caller, action, object_type, object_id, fields, details), now=now)


# ---------------------------------------------------------------- revision


def revision(session: Session) -> int:
    """The incident set's version (0 before anything was stored)."""
    row = session.get(IntelRevision, 1)
    return row.value if row else 0


def revision_stamp(session: Session) -> tuple[int, datetime | None]:
    """The revision and when it was reached: together they tell one database's incident set from another's."""
    row = session.get(IntelRevision, 1)
    return (row.value, row.updated_at) if row else (0, None)


def bump(session: Session, now: datetime) -> None:
    """Move the incident set to its next revision."""
    row = session.get(IntelRevision, 1, with_for_update=True)
    if row is None:
        session.add(IntelRevision(id=1, value=1, updated_at=now))
    else:
        row.value += 1
        row.updated_at = now


# ---------------------------------------------------------------- actors


def ensure_actors(session: Session, now: datetime) -> None:
    """Seed the packaged actors the first time intelligence is written (an empty, never-used store)."""
    if session.get(IntelRevision, 1) is not None:
        return
    if session.scalar(select(func.count()).select_from(IntelActor)):
        return
    for entry in actor_registry.packaged_entries():
        session.add(IntelActor(name=entry.name, kind=entry.kind, aliases=list(entry.aliases), updated_at=now))
    bump(session, now)
    session.flush()


def registry(session: Session) -> actor_registry.ActorRegistry:
    """The actor registry as stored (the packaged one while nothing is stored)."""
    rows = session.scalars(select(IntelActor).order_by(IntelActor.id)).all()
    if not rows and session.get(IntelRevision, 1) is None:
        return actor_registry.ActorRegistry(actor_registry.packaged_entries())
    return actor_registry.ActorRegistry(
        actor_registry.ActorEntry(r.name, r.kind, tuple(r.aliases)) for r in rows
    )


def list_actors(session: Session, *, caller: Caller, now: datetime) -> list[IntelActor]:
    """Every group and agency, by name (the packaged ones are stored on first use)."""
    ensure_actors(session, now)
    return list(session.scalars(select(IntelActor).order_by(IntelActor.name)))


def _alias_clash(session: Session, names: Iterable[str], own_id: int | None) -> None:
    wanted = {n.strip().lower() for n in names}
    for row in session.scalars(select(IntelActor)):
        if row.id == own_id:
            continue
        taken = {row.name.lower(), *(a.lower() for a in row.aliases)}
        clash = wanted & taken
        if clash:
            raise Conflict(f"{sorted(clash)[0]!r} already names actor {row.name!r} (id {row.id})")


def create_actor(session: Session, *, caller: Caller, data: ActorCreate, now: datetime) -> IntelActor:
    """Add a group or agency; its name and aliases must not name another actor."""
    require_reviewer(caller)
    ensure_actors(session, now)
    _alias_clash(session, [data.name, *data.aliases], None)
    row = IntelActor(
        name=data.name.strip(), kind=data.kind, aliases=data.aliases, notes=data.notes, updated_at=now
    )
    session.add(row)
    session.flush()
    bump(session, now)
    audit(
        session, caller, "intel.actor.create", "intel_actor", row.id, now, fields=["name", "kind", "aliases"]
    )
    return row


def update_actor(
    session: Session, *, caller: Caller, actor_id: int, data: ActorUpdate, now: datetime
) -> IntelActor:
    """Rename, re-kind or re-alias an actor; incidents naming the old name follow the rename."""
    require_reviewer(caller)
    ensure_actors(session, now)
    row = session.get(IntelActor, actor_id)
    if row is None:
        raise NotFound(f"no actor {actor_id}")
    changes = data.model_dump(exclude_unset=True)
    names = [changes.get("name") or row.name, *(changes.get("aliases") or row.aliases)]
    _alias_clash(session, names, row.id)
    old_name = row.name
    for key, value in changes.items():
        if value is not None:
            setattr(row, key, value.strip() if key == "name" else value)
    row.updated_at = now
    if row.name != old_name:
        for inc in session.scalars(select(IntelIncident).where(IntelIncident.perpetrator == old_name)):
            inc.perpetrator = row.name
        for ev in session.scalars(select(IntelEvent).where(IntelEvent.perpetrator == old_name)):
            ev.perpetrator = row.name
    bump(session, now)
    audit(session, caller, "intel.actor.update", "intel_actor", row.id, now, fields=sorted(changes))
    session.flush()
    return row

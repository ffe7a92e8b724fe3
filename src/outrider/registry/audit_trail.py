"""The registry's audit trail: every change of the registry, by whom and what it was before."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from outrider.access.policy import Caller, RecordKind
from outrider.audit import service as audit_service

# Fields whose old and new values go into the record (places and rings decide who guards what). Persons'
# values stay out of the log: it names the fields changed, never a protectee's details.
_VALUES_LOGGED = {
    RecordKind.site: (
        "name",
        "kind",
        "lat",
        "lon",
        "inner_radius_m",
        "outer_radius_m",
        "inner_polygon",
        "outer_polygon",
        "organization_id",
    ),
    RecordKind.unit: ("call_sign", "strength", "base_site_id", "vehicle_ids", "organization_id"),
    RecordKind.vehicle: ("plate", "kind", "seats", "organization_id"),
    RecordKind.person: ("organization_id",),
}


def snapshot(kind: RecordKind, record: Any) -> dict[str, Any]:
    """The values of a record that its audit records keep (`_VALUES_LOGGED`)."""
    out: dict[str, Any] = {}
    for name in _VALUES_LOGGED[kind]:
        if name == "vehicle_ids":
            out[name] = sorted(v.id for v in record.vehicles)
        else:
            out[name] = getattr(record, name)
    return out


def audit(
    session: Session,
    *,
    caller: Caller,
    action: str,
    kind: RecordKind,
    record_id: int,
    now: datetime,
    fields: Sequence[str] = (),
    details: dict[str, Any] | None = None,
) -> None:
    """Append a registry change to the audit chain in the caller's transaction."""
    audit_service.record(
        session,
        actor=caller,
        action=f"registry.{kind.value}.{action}",
        object_type=kind.value,
        object_id=record_id,
        fields=sorted(fields),
        details=details or {},
        now=now,
    )

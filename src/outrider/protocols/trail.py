"""How protocol versions and signing keys appear in the audit log: one record per change, as the caller."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.audit import service as audit_service
from outrider.protocols.models import ProtocolVersion, SigningKey


def record(
    session: Session,
    caller: Caller,
    action: str,
    subject: ProtocolVersion | SigningKey,
    now: datetime,
    fields: Sequence[str] | None = None,
    **details: object,
) -> None:
    """Append `protocol.<action>` on a version or a key; the fields changed are the details' unless named."""
    named: dict[str, object]
    if isinstance(subject, SigningKey):
        object_type, named = "protocol_signing_key", {"fingerprint": subject.fingerprint}
    else:
        named = {
            "protocol_id": subject.protocol_id,
            "version": subject.version,
            "hash": subject.document_hash,
        }
        object_type = "protocol_version"
    audit_service.record(
        session,
        actor=caller,
        action=f"protocol.{action}",
        object_type=object_type,
        object_id=subject.id,
        fields=sorted(details) if fields is None else fields,
        details={**named, **details},
        now=now,
    )

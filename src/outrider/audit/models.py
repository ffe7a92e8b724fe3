"""Tables of the audit log: append-only records, the chain head, signed heads, the signing keys' history."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Dialect, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from outrider.audit.canonical_form import canonical_json
from outrider.audit.entries import CanonicalText
from outrider.db import Base, UTCDateTime


class CanonicalJSON(TypeDecorator[Any]):
    """JSON stored as its canonical text, so verification can hash the stored text without re-encoding."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if isinstance(value, CanonicalText):  # encoded before the write turn (`entries.prepare`)
            return str(value)  # a plain str for the driver
        return None if value is None else canonical_json(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


class AuditRecord(Base):
    """One audited action; `hash` chains it to the record before (see audit/chain.py)."""

    __tablename__ = "audit_records"
    __table_args__ = (
        Index("ix_audit_records_object", "object_type", "object_id"),
        Index("ix_audit_records_user_id", "user_id"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Plain ids, no foreign keys: the log outlives the users and organisations it names.
    user_id: Mapped[int | None] = mapped_column(Integer)
    organization_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(128))
    fields: Mapped[list[str]] = mapped_column(CanonicalJSON())
    channel: Mapped[str] = mapped_column(String(16))
    request_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON())
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditRecordObject(Base):
    """An object a record names besides its own (each movement of one board read), so that the records
    about an object (who read movement X) are found by an index. The record itself names them too
    (``details["names"]``, hashed and signed); these rows only find it, and are append-only like it."""

    __tablename__ = "audit_record_objects"
    __table_args__ = (Index("ix_audit_record_objects_object", "object_type", "object_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    object_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    object_id: Mapped[str] = mapped_column(String(128), primary_key=True)


class AuditHead(Base):
    """The single row that serialises appends: the last sequence number and hash."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A signed head: the chain's hash at a sequence number, signed as the transaction that wrote it commits.

    ``prev_seq`` names the signed head before it (0 for the first), so the signed heads form a chain of
    their own; None marks a checkpoint of the first format (signed every 1000 records, not chained).
    """

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    signature: Mapped[str] = mapped_column(String(128))
    public_key: Mapped[str] = mapped_column(String(64))
    prev_seq: Mapped[int | None] = mapped_column(Integer)


class AuditKey(Base):
    """A signing key of the history: in force from ``valid_from`` until the next key's, endorsing the last."""

    __tablename__ = "audit_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    # This key's signature over the key before it (see signing.KeyEntry); None for the first key.
    endorsement: Mapped[str | None] = mapped_column(String(128))

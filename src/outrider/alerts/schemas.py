"""Pydantic I/O models of the alerts domain."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How urgent an alert is, lowest first."""

    info = "info"
    warning = "warning"
    high = "high"
    critical = "critical"


SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class AlertRead(BaseModel):
    """An alert as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    severity: Severity
    subject_type: str
    subject_id: str
    organization_id: int | None
    title: str
    details: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    occurrences: int
    escalation_level: int
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    acknowledge_note: str
    resolved_at: datetime | None


class AlertAck(BaseModel):
    """Acknowledge an alert, with an optional note."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=2000)

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
    resolved_by: int | None = None
    resolution_reason: str = ""
    escalated_by: int | None = None
    escalation_reason: str = ""
    assigned_to: int | None = None
    assigned_by: int | None = None
    assigned_at: datetime | None = None
    ack_expires_at: datetime | None = None
    reopened_at: datetime | None = None
    reopened_by: int | None = None


class AlertAck(BaseModel):
    """Acknowledge an alert, with an optional note."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=2000)


class AlertEscalate(BaseModel):
    """Escalate an alert by hand one level up: why."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class AlertResolve(BaseModel):
    """Close an alert by hand: why (the threat is gone, a false alarm, a patrol checked it)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class AlertAssign(BaseModel):
    """Give an alert to a person to work on: an active user who may read it and take charge of it."""

    model_config = ConfigDict(extra="forbid")

    user_id: int = Field(ge=1, le=2**31 - 1)


class AlertNoteCreate(BaseModel):
    """Progress on an alert: what is being done (an acknowledgement's time for progress starts again)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class AlertReopen(AlertResolve):
    """Open a resolved alert again: why (the vehicle came back, the patrol found more)."""


class AlertNoteRead(BaseModel):
    """An entry of an alert's log: progress, or what the lifecycle did (acknowledged, assigned, ack_expired,
    escalated, resolved, reopened), by whom (none for the clock)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    alert_id: int
    at: datetime
    user_id: int | None
    kind: str
    text: str
    # True when the text is withheld from this reader: the alert concerns a movement whose itinerary they
    # may not read, and people's words may tell it
    withheld: bool = False

"""Pydantic I/O models of the field face: my movements, SOS, PINs, SMS check-ins."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from outrider.idempotency import IdempotencyKey
from outrider.inputs import When
from outrider.movements.schemas import DEVICE_ID_PATTERN


class FieldPlace(BaseModel):
    """An origin or destination on the phone: its name and point."""

    name: str
    lat: float
    lon: float


class LastCheckIn(BaseModel):
    """The latest check-in of a movement, as the field shows it."""

    at: datetime
    lat: float | None
    lon: float | None
    status: str


class FieldMovement(BaseModel):
    """One of my movements (I lead it or serve in an escort unit assigned to it); the times, the route and
    the check-ins only where the need-to-know list lets me read the itinerary now (else null)."""

    id: int
    reference: str
    status: str
    role: Literal["lead", "escort"]
    origin: FieldPlace
    destination: FieldPlace
    itinerary_visible: bool
    itinerary_note: str = ""
    planned_departure: datetime | None = None
    planned_arrival: datetime | None = None
    next_checkin_due_at: datetime | None = None
    checkin_interval_minutes: int | None = None
    route: list[list[float]] | None = None
    last_checkin: LastCheckIn | None = None


class SosPost(BaseModel):
    """An SOS as posted: the idempotency key here or in the `Idempotency-Key` header, the position if the
    device has one, and the device's id and sequence number."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: IdempotencyKey | None = None
    at: When | None = None
    lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    note: str = Field(default="", max_length=2000)
    device_id: str | None = Field(default=None, min_length=1, max_length=64, pattern=DEVICE_ID_PATTERN)
    device_seq: int | None = Field(default=None, ge=0, le=2**62)

    @model_validator(mode="after")
    def _pairs(self) -> SosPost:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if (self.device_id is None) != (self.device_seq is None):
            raise ValueError("give both device_id and device_seq, or neither")
        return self


class SosCreate(SosPost):
    """An SOS; retries with the same idempotency key count once."""

    idempotency_key: IdempotencyKey


class SosRead(BaseModel):
    """A stored SOS and the critical alert it raised."""

    id: int
    movement_id: int
    idempotency_key: str
    at: datetime
    received_at: datetime
    lat: float | None
    lon: float | None
    alert_id: int | None


class PinsIn(BaseModel):
    """A user's field PINs: the check-in PIN and the duress PIN (4 to 8 digits each, different), and the
    language of the replies to their SMS."""

    model_config = ConfigDict(extra="forbid")

    pin: str = Field(pattern=r"^[0-9]{4,8}$")
    duress_pin: str = Field(pattern=r"^[0-9]{4,8}$")
    language: Literal["en", "zh-Hans", "ur"] | None = Field(
        default=None, description="the language of the replies to your SMS check-ins (unchanged if absent)"
    )


class PinsRead(BaseModel):
    """When the caller's PINs were set (the PINs themselves are never shown)."""

    set_at: datetime


class SmsJson(BaseModel):
    """An inbound SMS as a JSON gateway posts it."""

    model_config = ConfigDict(extra="ignore")

    from_: str = Field(alias="from", min_length=1, max_length=32)
    text: str = Field(max_length=2000)
    id: str | None = Field(default=None, max_length=128)


class SmsReply(BaseModel):
    """What the server answers an SMS with (the gateway sends ``reply`` back to the sender)."""

    accepted: bool
    reply: str

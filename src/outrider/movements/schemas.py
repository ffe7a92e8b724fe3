"""Pydantic I/O models of the movements domain."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from outrider.idempotency import IdempotencyKey
from outrider.inputs import Id, Patch, When
from outrider.movements import routes
from outrider.movements.lifecycle import Status


class PlaceIn(BaseModel):
    """An origin or destination: a registered site, or a point with a label."""

    model_config = ConfigDict(extra="forbid")

    site_id: Id | None = None
    lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    label: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _site_or_point(self) -> PlaceIn:
        if self.site_id is None and (self.lat is None or self.lon is None):
            raise ValueError("give a site_id, or lat and lon")
        return self


class Waypoint(BaseModel):
    """A named point where the escort must check in."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)


def _route(value: Any) -> dict[str, Any]:
    return routes.check_route(value)


class _Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: str = Field(default="", max_length=300)
    route: dict[str, Any]
    alternates: list[dict[str, Any]] = Field(default_factory=list, max_length=5)
    planned_departure: When
    planned_arrival: When
    person_ids: list[Id] = Field(min_length=1, max_length=200)
    vehicle_ids: list[Id] = Field(default_factory=list, max_length=50)
    checkin_interval_min: int | None = Field(default=30, ge=5, le=24 * 60)
    checkin_waypoints: list[Waypoint] = Field(default_factory=list, max_length=50)
    notes: str = Field(default="", max_length=4000)

    _r = field_validator("route")(_route)

    @field_validator("alternates")
    @classmethod
    def _alts(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [routes.check_route(a) for a in v]

    @model_validator(mode="after")
    def _times(self) -> _Plan:
        if self.planned_arrival <= self.planned_departure:
            raise ValueError("planned_arrival must come after planned_departure")
        if (self.planned_arrival - self.planned_departure).total_seconds() > 72 * 3600:
            raise ValueError("a movement lasts at most 72 hours; plan longer journeys as several movements")
        return self


class MovementCreate(_Plan):
    """A new movement plan."""

    reference: str | None = Field(default=None, min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    origin: PlaceIn
    destination: PlaceIn


class MovementUpdate(Patch):
    """Changes to a plan (every change needs the approvals again)."""

    model_config = ConfigDict(extra="forbid")
    nullable = frozenset({"checkin_interval_min"})

    purpose: str | None = Field(default=None, max_length=300)
    route: dict[str, Any] | None = None
    planned_departure: When | None = None
    planned_arrival: When | None = None
    person_ids: list[Id] | None = Field(default=None, min_length=1, max_length=200)
    vehicle_ids: list[Id] | None = Field(default=None, max_length=50)
    checkin_interval_min: int | None = Field(default=None, ge=5, le=24 * 60)
    notes: str | None = Field(default=None, max_length=4000)

    @field_validator("route")
    @classmethod
    def _r(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if v is None else routes.check_route(v)


class Decision(BaseModel):
    """An approval, rejection or request for changes, with a comment."""

    model_config = ConfigDict(extra="forbid")

    comment: str = Field(default="", max_length=2000)


# The attack types of an incident (the gold schema's vocabulary, as intelligence and risk use it; a test
# keeps the two lists equal: movements may not import those domains).
AttackTypeIn = Literal[
    "bombing",
    "armed_assault",
    "assassination",
    "hijacking",
    "hostage_taking",
    "facility_attack",
    "unarmed_assault",
    "unknown",
]
ATTACK_TYPES: tuple[str, ...] = get_args(AttackTypeIn)


class IncidentReportIn(Decision):
    """An incident reported on the road: a comment, where it happened if known (else the latest check-in's
    position, else the origin) and the kind of attack if known."""

    lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    attack_type: AttackTypeIn | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> IncidentReportIn:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon of the incident, or neither")
        return self


class EscortAssign(BaseModel):
    """Escort units assigned to a movement (replaces the previous assignment)."""

    model_config = ConfigDict(extra="forbid")

    unit_ids: list[Id] = Field(min_length=1, max_length=20)


class CheckInStatus(StrEnum):
    """What a check-in reports."""

    ok = "ok"
    delayed = "delayed"
    duress = "duress"
    arrived = "arrived"


SOS = "sos"  # the stored status of an SOS (posted to its own route, never as a check-in's status)
DEVICE_ID_PATTERN = r"^[\x21-\x7e]+$"


class CheckInPost(BaseModel):
    """A report from the road as posted: the idempotency key here or in the `Idempotency-Key` header.

    The field app adds its device's id and sequence number (strictly increasing per device) and may add a
    PIN: the check-in PIN, or the duress PIN, which is answered exactly as an ok check-in and raises the
    alarm."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: IdempotencyKey | None = None
    at: When | None = None
    status: CheckInStatus = CheckInStatus.ok
    lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    note: str = Field(default="", max_length=2000)
    device_id: str | None = Field(default=None, min_length=1, max_length=64, pattern=DEVICE_ID_PATTERN)
    device_seq: int | None = Field(default=None, ge=0, le=2**62)
    pin: str | None = Field(default=None, min_length=1, max_length=16)

    @model_validator(mode="after")
    def _both(self) -> CheckInPost:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if (self.device_id is None) != (self.device_seq is None):
            raise ValueError("give both device_id and device_seq, or neither")
        return self


class CheckInCreate(CheckInPost):
    """A report from the road; retries with the same idempotency key count once."""

    idempotency_key: IdempotencyKey


class CheckInRead(BaseModel):
    """A stored check-in."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    idempotency_key: str
    at: datetime
    received_at: datetime
    status: str
    lat: float | None
    lon: float | None
    off_route_m: float | None
    note: str
    user_id: int


class ApprovalRead(BaseModel):
    """A party's decision."""

    model_config = ConfigDict(from_attributes=True)

    org_kind: str
    country: str | None
    organization_id: int
    user_id: int
    decision: str
    comment: str
    plan_version: int
    at: datetime


class PlaceRead(BaseModel):
    """An origin or destination as stored."""

    site_id: int | None
    label: str
    lat: float
    lon: float


class MovementRead(BaseModel):
    """A movement: the summary always; the itinerary fields only for its need-to-know list (else null)."""

    id: int
    reference: str
    organization_id: int
    purpose: str
    status: Status
    day: date
    origin: PlaceRead
    destination: PlaceRead
    person_ids: list[int]
    timezone: str
    plan_version: int
    approved_version: int | None
    required_approvals: list[str]
    approvals: list[ApprovalRead]
    escort_required: bool
    escalation_level: int
    created_at: datetime
    updated_at: datetime
    itinerary_visible: bool
    itinerary_note: str
    # the itinerary
    route: dict[str, Any] | None = None
    alternates: list[dict[str, Any]] | None = None
    route_length_m: float | None = None
    planned_departure: datetime | None = None
    planned_arrival: datetime | None = None
    vehicle_ids: list[int] | None = None
    escort_unit_ids: list[int] | None = None
    checkin_interval_min: int | None = None
    checkin_waypoints: list[dict[str, Any]] | None = None
    departed_at: datetime | None = None
    arrived_at: datetime | None = None
    last_checkin_at: datetime | None = None
    next_checkin_due: datetime | None = None
    overdue_since: datetime | None = None


class NamedRecord(BaseModel):
    """A registry record on a board line: its id, and its name (call sign, plate) where the caller may
    read the record (else null)."""

    id: int
    name: str | None = None


class BoardItem(BaseModel):
    """One line of the movements board (exact times, escort, vehicles and persons' names only for the
    need-to-know list)."""

    id: int
    reference: str
    organization_id: int
    status: Status
    day: date
    origin: str
    destination: str
    persons: int
    escalation_level: int
    itinerary_visible: bool
    planned_departure: datetime | None = None
    planned_arrival: datetime | None = None
    escort_unit_ids: list[int] | None = None
    last_checkin_at: datetime | None = None
    next_checkin_due: datetime | None = None
    escort_units: list[NamedRecord] | None = None
    vehicles: list[NamedRecord] | None = None
    protected_persons: list[NamedRecord] | None = None


class TimelineEntry(BaseModel):
    """One event of a movement's timeline."""

    at: datetime
    kind: str
    user_id: int | None
    details: dict[str, Any]


class PredictabilityRead(BaseModel):
    """How often this origin–destination pair used this route and hour lately."""

    window_days: int
    trips_same_pair: int
    same_route_uses: int
    same_hour_uses: int
    same_route_and_hour_uses: int
    similar_movement_ids: list[int]
    similarity_threshold: float


class ArrangementRead(BaseModel):
    """The joint arrangement in force."""

    version: int
    document: dict[str, Any]
    comment: str
    created_at: datetime | None


class ClearanceCreate(BaseModel):
    """A unit has cleared (swept) the route or a segment of it."""

    model_config = ConfigDict(extra="forbid")

    escort_unit_id: Id
    cleared_at: When
    segment: str = Field(default="", max_length=200)


class ClearanceRead(BaseModel):
    """A recorded route clearance."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    escort_unit_id: int
    segment: str
    cleared_at: datetime
    recorded_by: int
    recorded_at: datetime


class ArrivalIn(BaseModel):
    """Arrival, with the protected persons counted at the destination."""

    model_config = ConfigDict(extra="forbid")

    persons_counted: int | None = Field(default=None, ge=0, le=1000)

"""Pydantic I/O models of the registry domain."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from outrider.inputs import Country, Id, Patch
from outrider.pages import Page as Page  # re-exported: registry pages are Page[...]
from outrider.registry import geometry


class SiteKind(StrEnum):
    """What a site is."""

    project = "project"
    camp = "camp"
    residence = "residence"
    office = "office"
    airport = "airport"
    port = "port"
    checkpoint = "checkpoint"


class VehicleKind(StrEnum):
    """Protection class of a vehicle."""

    armoured = "armoured"
    soft_skin = "soft_skin"


# ---- protected persons -------------------------------------------------------------------------


class PersonCreate(BaseModel):
    """A new protected person."""

    model_config = ConfigDict(extra="forbid")

    organization_id: Id | None = None
    name: str = Field(min_length=1, max_length=200)
    nationality: Country
    role: str = Field(default="", max_length=120)
    notes: str = Field(default="", max_length=4000)


class PersonUpdate(Patch):
    """Changes to a protected person."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    nationality: Country | None = None
    role: str | None = Field(default=None, max_length=120)
    notes: str | None = Field(default=None, max_length=4000)


class PersonRead(BaseModel):
    """A protected person."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    name: str
    nationality: str
    role: str
    notes: str
    created_at: datetime
    updated_at: datetime


# ---- sites -------------------------------------------------------------------------------------


class _SiteGeometry(BaseModel):
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False, description="WGS84 latitude in degrees")
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False, description="WGS84 longitude in degrees")
    timezone: str = "Asia/Karachi"
    inner_radius_m: float | None = None
    outer_radius_m: float | None = None
    inner_polygon: dict[str, Any] | None = None
    outer_polygon: dict[str, Any] | None = None

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        return geometry.check_timezone(v)

    @field_validator("inner_polygon", "outer_polygon")
    @classmethod
    def _poly(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if v is None else geometry.check_polygon(v, label="cordon polygon")

    @model_validator(mode="after")
    def _rings(self) -> _SiteGeometry:
        geometry.check_rings(
            lat=self.lat,
            lon=self.lon,
            inner_radius_m=self.inner_radius_m,
            outer_radius_m=self.outer_radius_m,
            inner_polygon=self.inner_polygon,
            outer_polygon=self.outer_polygon,
        )
        return self


class SiteCreate(_SiteGeometry):
    """A new site with its cordon rings."""

    model_config = ConfigDict(extra="forbid")

    organization_id: Id | None = None
    name: str = Field(min_length=1, max_length=200)
    kind: SiteKind
    notes: str = Field(default="", max_length=4000)


class SiteUpdate(Patch):
    """Changes to a site; geometry fields are re-validated together with the stored ones."""

    model_config = ConfigDict(extra="forbid")
    nullable = frozenset({"inner_radius_m", "outer_radius_m", "inner_polygon", "outer_polygon"})

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: SiteKind | None = None
    lat: float | None = None
    lon: float | None = None
    timezone: str | None = None
    inner_radius_m: float | None = None
    outer_radius_m: float | None = None
    inner_polygon: dict[str, Any] | None = None
    outer_polygon: dict[str, Any] | None = None
    notes: str | None = Field(default=None, max_length=4000)


class SiteRead(BaseModel):
    """A site, with its point and rings."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    name: str
    kind: SiteKind
    lat: float
    lon: float
    timezone: str
    inner_radius_m: float | None
    outer_radius_m: float | None
    inner_polygon: dict[str, Any] | None
    outer_polygon: dict[str, Any] | None
    notes: str
    created_at: datetime
    updated_at: datetime


# ---- vehicles ----------------------------------------------------------------------------------


def _plate(value: str) -> str:
    v = " ".join(value.upper().split())
    if not v or len(v) > 32:
        raise ValueError("a plate has 1 to 32 characters")
    return v


class VehicleCreate(BaseModel):
    """A new vehicle."""

    model_config = ConfigDict(extra="forbid")

    organization_id: Id | None = None
    plate: str
    kind: VehicleKind
    seats: int = Field(ge=1, le=80)
    description: str = Field(default="", max_length=200)

    _p = field_validator("plate")(_plate)


class VehicleUpdate(Patch):
    """Changes to a vehicle."""

    model_config = ConfigDict(extra="forbid")

    plate: str | None = None
    kind: VehicleKind | None = None
    seats: int | None = Field(default=None, ge=1, le=80)
    description: str | None = Field(default=None, max_length=200)

    @field_validator("plate")
    @classmethod
    def _pl(cls, v: str | None) -> str | None:
        return None if v is None else _plate(v)


class VehicleRead(BaseModel):
    """A vehicle."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    plate: str
    kind: VehicleKind
    seats: int
    description: str
    created_at: datetime
    updated_at: datetime


# ---- escort units ------------------------------------------------------------------------------


class UnitCreate(BaseModel):
    """A new escort unit."""

    model_config = ConfigDict(extra="forbid")

    organization_id: Id | None = None
    call_sign: str = Field(min_length=1, max_length=64)
    strength: int = Field(ge=1, le=1000)
    base_site_id: Id | None = None
    vehicle_ids: list[Id] = Field(default_factory=list, max_length=100)


class UnitUpdate(Patch):
    """Changes to an escort unit."""

    model_config = ConfigDict(extra="forbid")
    nullable = frozenset({"base_site_id"})

    call_sign: str | None = Field(default=None, min_length=1, max_length=64)
    strength: int | None = Field(default=None, ge=1, le=1000)
    base_site_id: Id | None = None
    vehicle_ids: list[Id] | None = Field(default=None, max_length=100)


class UnitRead(BaseModel):
    """An escort unit with its vehicles."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    call_sign: str
    strength: int
    base_site_id: int | None
    vehicle_ids: list[int]
    created_at: datetime
    updated_at: datetime


class ImportResult(BaseModel):
    """What a bulk import wrote (all rows, or nothing)."""

    kind: str
    created: int
    ids: list[int]


class MemberCreate(BaseModel):
    """A user to put in an escort unit (a user of the unit's organisation, not oneself)."""

    model_config = ConfigDict(extra="forbid")

    user_id: Id


class MemberRead(BaseModel):
    """A member of an escort unit."""

    model_config = ConfigDict(from_attributes=True)

    unit_id: int
    user_id: int
    added_by: int | None
    added_at: datetime

"""Pydantic I/O models of intelligence: reports, incidents, events, actors, review actions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from outrider.inputs import Day, Id, Patch


class AttackType(StrEnum):
    """GOLD-SCHEMA attack types."""

    bombing = "bombing"
    armed_assault = "armed_assault"
    assassination = "assassination"
    hijacking = "hijacking"
    hostage_taking = "hostage_taking"
    facility_attack = "facility_attack"
    unarmed_assault = "unarmed_assault"
    unknown = "unknown"


class Weapon(StrEnum):
    """GOLD-SCHEMA weapons."""

    vbied = "vbied"
    ied = "ied"
    suicide_vest = "suicide_vest"
    firearms = "firearms"
    rocket = "rocket"
    knife = "knife"
    other = "other"
    unknown = "unknown"


class TargetType(StrEnum):
    """GOLD-SCHEMA target types."""

    foreign_workers = "foreign_workers"
    diplomatic = "diplomatic"
    police = "police"
    military = "military"
    civilians = "civilians"
    education = "education"
    transport = "transport"
    business = "business"
    religious = "religious"
    government = "government"
    unknown = "unknown"


class DatePrecision(StrEnum):
    """What a report supports of an event's date."""

    day = "day"
    month = "month"
    year = "year"
    unknown = "unknown"


class ActorKind(StrEnum):
    """Armed groups may be perpetrators; state agencies never are."""

    group = "group"
    agency = "agency"


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip().upper()
    if len(v) != 2 or not v.isalpha():
        raise ValueError("country must be an ISO 3166-1 alpha-2 code such as PK")
    return v


def _by_nationality(value: dict[str, int]) -> dict[str, int]:
    out = {}
    for k, v in value.items():
        code = _country(k)
        assert code is not None
        if v < 0:
            raise ValueError("counts by nationality cannot be negative")
        out[code] = v
    return out


class _WhenWhereEdit(BaseModel):
    """The date and place values an analyst may set on an incident or an event (only those given)."""

    model_config = ConfigDict(extra="forbid")

    date: Day | None = None
    date_precision: DatePrecision | None = None
    country: str | None = None
    admin1: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)

    _c = field_validator("country")(_country)

    def changes(self) -> dict[str, Any]:
        """The fields the analyst set, as JSON values."""
        return self.model_dump(mode="json", include=self.model_fields_set)


class IncidentEdit(Patch, _WhenWhereEdit):
    """An analyst's corrections to one incident; only the fields given change. Null clears a value."""

    location_text: str | None = Field(default=None, max_length=300)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    attack_type: AttackType | None = None
    weapon: Weapon | None = None
    suicide: bool | None = None
    target_type: TargetType | None = None
    killed: int | None = Field(default=None, ge=0, le=100_000)
    wounded: int | None = Field(default=None, ge=0, le=100_000)
    killed_by_nationality: dict[str, int] | None = None
    wounded_by_nationality: dict[str, int] | None = None
    perpetrator: str | None = Field(default=None, max_length=200)
    claimed: bool | None = None
    main_story: bool | None = None
    required: bool | None = None

    @field_validator("killed_by_nationality", "wounded_by_nationality")
    @classmethod
    def _nat(cls, value: dict[str, int] | None) -> dict[str, int] | None:
        return None if value is None else _by_nationality(value)


# null clears a value, save in the fields an incident always holds: its flags, the values that are
# "unknown" when a report does not say, and its tallies by nationality (empty when there are none)
ALWAYS_HELD = {"required", "main_story", "date_precision", "attack_type", "weapon", "target_type"}
ALWAYS_HELD |= {"killed_by_nationality", "wounded_by_nationality"}
IncidentEdit.nullable = frozenset(IncidentEdit.model_fields) - ALWAYS_HELD


class EventEdit(_WhenWhereEdit):
    """An analyst's override of an event's chosen values (they win over reconciliation)."""

    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    attack_type: AttackType | None = None
    killed: int | None = Field(default=None, ge=0, le=100_000)
    wounded: int | None = Field(default=None, ge=0, le=100_000)
    perpetrator: str | None = Field(default=None, max_length=200)


class ReviewNote(BaseModel):
    """Why an analyst confirmed or rejected."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=2000)


class MergeRequest(BaseModel):
    """Fold another event into this one."""

    model_config = ConfigDict(extra="forbid")

    other_event_id: Id
    reason: str = Field(default="", max_length=2000)


class SplitRequest(BaseModel):
    """Take incidents out of their event into a new one."""

    model_config = ConfigDict(extra="forbid")

    incident_ids: list[Id] = Field(min_length=1, max_length=500)
    reason: str = Field(default="", max_length=2000)


class ActorCreate(BaseModel):
    """A new group or agency."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=200)
    kind: ActorKind
    aliases: list[str] = Field(default_factory=list, max_length=100)
    notes: str = Field(default="", max_length=5000)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: list[str]) -> list[str]:
        out = [a.strip() for a in value if a.strip()]
        if any(len(a) < 2 or len(a) > 200 for a in out):
            raise ValueError("each alias must have 2 to 200 characters")
        return list(dict.fromkeys(out))


class ActorUpdate(Patch):
    """Changes to a group or agency."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=2, max_length=200)
    kind: ActorKind | None = None
    aliases: list[str] | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else ActorCreate._aliases(value)


class Provenance(BaseModel):
    """Where an item came from and how it is marked (shown only to those who may read the item)."""

    origin: str = Field(description="ours, or imported (from a partner's STIX bundle or feed)")
    source_org_id: int | None = Field(default=None, description="the partner organisation it came from")
    source_org: str | None = Field(default=None, description="that organisation's name")
    stix_id: str | None = Field(default=None, description="its STIX id at the partner")
    bundle_id: str | None = Field(default=None, description="the bundle it last came in")
    stix_modified: dt.datetime | None = Field(default=None, description="the partner's modified time")
    marking: str = Field(description="its TLP 2.0 marking (the holder's default when nobody marked it)")
    marked_here: bool = Field(description="whether someone here marked it (else the default applies)")
    ntk_groups: list[str] = Field(
        default_factory=list, description="the need-to-know groups it is kept to that the reader is in"
    )


PROVENANCE = Field(default=None, description="where it came from and its marking")


class ActorRead(BaseModel):
    """A group or agency as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    aliases: list[str]
    notes: str
    updated_at: dt.datetime
    provenance: Provenance | None = PROVENANCE


class ReportRead(BaseModel):
    """A stored report (without its texts)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    doc_id: str
    source: str
    outlet: str | None
    title: str | None
    published: dt.date | None
    published_how: str | None
    language: str
    content_hash: str
    ingested_at: dt.datetime
    movement_reference: str | None = Field(
        default=None,
        description="the movement whose own report this is (source movement), for those who may see it",
    )
    provenance: Provenance | None = PROVENANCE


class ReportDetail(ReportRead):
    """A stored report with its clean text (evidence offsets point into it) and related headlines."""

    clean_text: str
    related: list[str]
    incident_ids: list[int]


class IncidentRead(BaseModel):
    """One report's record of one event: effective values, status, evidence."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    report_id: int
    event_id: int
    status: str
    pinned: bool
    required: bool
    main_story: bool
    date: dt.date | None
    date_precision: str
    date_basis: str | None
    country: str | None
    admin1: str | None
    city: str | None
    location_text: str | None
    lat: float | None
    lon: float | None
    attack_type: str
    weapon: str
    suicide: bool | None
    target_type: str
    killed: int | None
    wounded: int | None
    killed_by_nationality: dict[str, int]
    wounded_by_nationality: dict[str, int]
    perpetrator: str | None
    claimed: bool | None
    evidence: dict[str, Any]
    edits: dict[str, Any]
    reviewed_at: dt.datetime | None
    provenance: Provenance | None = PROVENANCE


class EvidenceSpan(BaseModel):
    """A stretch of the report's clean text behind the incident."""

    start: int
    end: int
    text: str


class IncidentDetail(IncidentRead):
    """An incident with the extractor's original values and its evidence sentences."""

    extracted: dict[str, Any]
    report_title: str | None
    report_published: dt.date | None
    spans: list[EvidenceSpan]


class EventRead(BaseModel):
    """One real event with the values chosen from its reports."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    merged_into: int | None
    date: dt.date | None
    date_precision: str
    country: str | None
    admin1: str | None
    city: str | None
    location_text: str | None
    lat: float | None
    lon: float | None
    attack_type: str | None
    weapon: str | None
    suicide: bool | None
    target_type: str | None
    killed: int | None
    wounded: int | None
    perpetrator: str | None
    claimed: bool | None
    reports: int
    confidence: float
    overrides: dict[str, Any]
    updated_at: dt.datetime
    provenance: Provenance | None = PROVENANCE


class EventDetail(EventRead):
    """An event with every report's incident (each report's own values kept)."""

    incidents: list[IncidentRead]


class IngestOutcome(BaseModel):
    """What happened to one input: stored, duplicate, re-extracted or error (nothing written)."""

    source: str
    doc_id: str
    status: str
    report_id: int | None = None
    incidents: int = 0
    error: str | None = None


class IngestText(BaseModel):
    """A report posted to the API as text (plain, HTML or a feed)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    source: str = Field(default="api", max_length=500)
    doc_id: str | None = Field(default=None, max_length=300)
    published: Day | None = None
    reextract: bool = False

"""The incident as the risk core sees it: a value, with the vocabulary of the gold schema."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, get_args

AttackType = Literal[
    "bombing",
    "armed_assault",
    "assassination",
    "hijacking",
    "hostage_taking",
    "facility_attack",
    "unarmed_assault",
    "unknown",
]
Weapon = Literal["vbied", "ied", "suicide_vest", "firearms", "rocket", "knife", "other", "unknown"]
TargetType = Literal[
    "foreign_workers",
    "diplomatic",
    "police",
    "military",
    "civilians",
    "education",
    "transport",
    "business",
    "religious",
    "government",
    "unknown",
]
Status = Literal["confirmed", "unconfirmed", "merged", "rejected"]

# The vocabularies in order (the weight tables and the compiled kernel index them so), from the types.
ATTACK_TYPES: tuple[AttackType, ...] = get_args(AttackType)
WEAPONS: tuple[Weapon, ...] = get_args(Weapon)
TARGET_TYPES: tuple[TargetType, ...] = get_args(TargetType)

# the largest extent an incident may have (a city's radius is well under it)
MAX_EXTENT_M = 100_000.0

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def day_number(moment: date | datetime) -> float:
    """Days since 1970-01-01 UTC as a float; a bare date counts as its midnight UTC."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError(f"datetime {moment.isoformat()} has no time zone; pass a tz-aware datetime")
        return (moment - _EPOCH).total_seconds() / 86400.0
    return float((moment - _EPOCH.date()).days)


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident, reduced to what scoring needs."""

    id: str
    lat: float
    lon: float
    date: date | datetime
    killed: int = 0
    wounded: int = 0
    attack_type: AttackType = "unknown"
    weapon: Weapon = "unknown"
    target_type: TargetType = "unknown"
    suicide: bool | None = None
    status: Status = "confirmed"
    confidence: float = 1.0
    admin1: str | None = None
    # how far the incident's true place may lie from (lat, lon): 0 for a point; a city's radius for an
    # incident known only to city precision (placed at the city's centre)
    extent_m: float = 0.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and -90.0 <= self.lat <= 90.0):
            raise ValueError(f"incident {self.id}: latitude {self.lat} is outside -90..90")
        if not (math.isfinite(self.lon) and -180.0 <= self.lon <= 180.0):
            raise ValueError(f"incident {self.id}: longitude {self.lon} is outside -180..180")
        if not (math.isfinite(self.extent_m) and 0.0 <= self.extent_m <= MAX_EXTENT_M):
            raise ValueError(f"incident {self.id}: extent_m {self.extent_m} is outside 0..{MAX_EXTENT_M:.0f}")
        if self.killed < 0 or self.wounded < 0:
            raise ValueError(f"incident {self.id}: killed and wounded must be >= 0")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"incident {self.id}: confidence {self.confidence} is outside 0..1")
        if self.attack_type not in ATTACK_TYPES:
            raise ValueError(f"incident {self.id}: unknown attack_type {self.attack_type!r}")
        if self.weapon not in WEAPONS:
            raise ValueError(f"incident {self.id}: unknown weapon {self.weapon!r}")
        if self.target_type not in TARGET_TYPES:
            raise ValueError(f"incident {self.id}: unknown target_type {self.target_type!r}")
        day_number(self.date)  # rejects naive datetimes early

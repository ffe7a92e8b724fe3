"""Every tunable number of the risk model, with its default (documented in docs/risk.md)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from outrider.risk.incident import ATTACK_TYPES, TARGET_TYPES, WEAPONS

LEVEL_NAMES: tuple[str, ...] = ("Low", "Medium", "High", "Very high", "Unacceptable")


def _frozen(values: dict[str, float]) -> Mapping[str, float]:
    return MappingProxyType(values)


@dataclass(frozen=True)
class RiskParameters:
    """Weights, decays and thresholds of the risk score."""

    corridor_m: float = 10_000.0
    recency_half_life_days: float = 365.0
    distance_half_m: float = 3_000.0
    max_age_days: float = 3_650.0
    killed_weight: float = 1.0
    wounded_weight: float = 0.3
    suicide_factor: float = 1.25
    attack_type_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "bombing": 1.5,
                "armed_assault": 1.3,
                "assassination": 1.0,
                "hijacking": 1.4,
                "hostage_taking": 1.3,
                "facility_attack": 0.8,
                "unarmed_assault": 0.5,
                "unknown": 1.0,
            }
        )
    )
    weapon_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "vbied": 1.6,
                "ied": 1.4,
                "suicide_vest": 1.3,
                "firearms": 1.0,
                "rocket": 1.1,
                "knife": 0.6,
                "other": 0.8,
                "unknown": 1.0,
            }
        )
    )
    target_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "foreign_workers": 2.0,
                "transport": 1.5,
                "diplomatic": 1.4,
                "police": 1.1,
                "military": 1.1,
                "government": 1.0,
                "business": 1.0,
                "civilians": 0.9,
                "education": 0.8,
                "religious": 0.8,
                "unknown": 1.0,
            }
        )
    )
    base_rates: Mapping[str, float] = field(default_factory=lambda: _frozen({}))
    min_confidence: float = 0.5
    level_thresholds: tuple[float, float, float, float] = (1.0, 4.0, 10.0, 25.0)
    explain_top: int = 10

    def __post_init__(self) -> None:
        for name in ("corridor_m", "recency_half_life_days", "distance_half_m", "max_age_days"):
            if not getattr(self, name) > 0:
                raise ValueError(f"RiskParameters.{name} must be > 0, got {getattr(self, name)}")
        for name in ("killed_weight", "wounded_weight"):
            if getattr(self, name) < 0:
                raise ValueError(f"RiskParameters.{name} must be >= 0")
        if self.suicide_factor < 1.0:
            raise ValueError(
                "RiskParameters.suicide_factor must be >= 1 (a suicide attack never weighs less)"
            )
        for table, vocabulary in (
            ("attack_type_weights", ATTACK_TYPES),
            ("weapon_weights", WEAPONS),
            ("target_weights", TARGET_TYPES),
        ):
            weights = getattr(self, table)
            missing = [v for v in vocabulary if v not in weights]
            if missing:
                raise ValueError(f"RiskParameters.{table} lacks {missing}")
            if any(w < 0 for w in weights.values()):
                raise ValueError(f"RiskParameters.{table} has a negative weight")
        t = self.level_thresholds
        if len(t) != 4 or any(b <= a for a, b in itertools.pairwise(t)) or t[0] <= 0:
            raise ValueError(
                f"RiskParameters.level_thresholds must be 4 increasing positive numbers, got {t}"
            )
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError("RiskParameters.min_confidence must lie in 0..1")
        if self.explain_top < 0:
            raise ValueError("RiskParameters.explain_top must be >= 0")

    def level(self, score: float) -> int:
        """The level 1..5 of a score: the number of thresholds it reaches, plus one."""
        return 1 + sum(1 for threshold in self.level_thresholds if score >= threshold)

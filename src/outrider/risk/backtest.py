"""Backtest: can the score tell where next year's attacks happen from earlier incidents alone?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from outrider.risk.incident import Incident
from outrider.risk.index import IncidentIndex, counts
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import site_risk


@dataclass(frozen=True, slots=True)
class YearResult:
    """ROC AUC of one year: that year's attack places against random control places."""

    year: int
    attacks: int
    controls: int
    prior_incidents: int
    auc: float


def roc_auc(positives: npt.ArrayLike, negatives: npt.ArrayLike) -> float:
    """ROC AUC as the Mann-Whitney statistic, ties counted one half."""
    pos = np.asarray(positives, dtype=np.float64)
    neg = np.asarray(negatives, dtype=np.float64)
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("roc_auc needs at least one positive and one negative score")
    values = np.concatenate([pos, neg])
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(1, len(values) + 1)
    # average the ranks of tied values
    _, inverse, tie_counts = np.unique(values, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    ranks = sums[inverse] / tie_counts[inverse]
    u = ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2.0
    return float(u / (len(pos) * len(neg)))


def _year(incident: Incident) -> int:
    return incident.date.year


def backtest(
    incidents: Sequence[Incident],
    params: RiskParameters,
    *,
    radius_m: float | None = None,
    controls_per_attack: int = 1,
    seed: int = 0,
    min_attacks: int = 5,
) -> list[YearResult]:
    """Per year: score its attack places with earlier incidents only, against seeded random places.

    Controls are drawn uniformly in the bounding box of the same province's incidents (admin1) when
    the attack names one, else in the bounding box of all incidents.
    """
    if controls_per_attack < 1:
        raise ValueError("controls_per_attack must be >= 1")
    radius = params.corridor_m if radius_m is None else radius_m
    counted = [i for i in incidents if counts(i, params.min_confidence)]
    if not counted:
        return []
    lats = np.array([i.lat for i in counted])
    lons = np.array([i.lon for i in counted])
    everywhere = (lons.min(), lats.min(), lons.max(), lats.max())
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for name in {i.admin1 for i in counted if i.admin1}:
        mask = np.array([i.admin1 == name for i in counted])
        boxes[name] = (lons[mask].min(), lats[mask].min(), lons[mask].max(), lats[mask].max())
    rng = np.random.default_rng(seed)
    by_year = sorted({_year(i) for i in counted})
    results: list[YearResult] = []
    for year in by_year:
        start = datetime(year, 1, 1, tzinfo=UTC)
        earlier = [i for i in counted if _year(i) < year]
        attacks = [i for i in counted if _year(i) == year]
        if not earlier or len(attacks) < min_attacks:
            continue
        index = IncidentIndex(earlier, min_confidence=params.min_confidence)
        pos = [site_risk(a.lat, a.lon, radius, start, index, params).score for a in attacks]
        neg = []
        for attack in attacks:
            west, south, east, north = boxes.get(attack.admin1 or "", everywhere)
            for _ in range(controls_per_attack):
                lon = float(rng.uniform(west, east)) if east > west else west
                lat = float(rng.uniform(south, north)) if north > south else south
                neg.append(site_risk(lat, lon, radius, start, index, params).score)
        results.append(
            YearResult(
                year=year,
                attacks=len(pos),
                controls=len(neg),
                prior_incidents=len(earlier),
                auc=roc_auc(pos, neg),
            )
        )
    return results

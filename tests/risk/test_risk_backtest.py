"""Backtest: the AUC arithmetic and a synthetic history with a clear answer."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from outrider.risk.backtest import backtest, roc_auc
from outrider.risk.incident import Incident
from outrider.risk.parameters import RiskParameters


@pytest.mark.parametrize(
    ("pos", "neg", "auc"),
    [
        ([3, 4], [1, 2], 1.0),
        ([1, 2], [3, 4], 0.0),
        ([1, 3], [2], 0.5),
        ([5, 5], [5], 0.5),
        ([2, 2, 3], [1, 2], 5 / 6),
    ],
)
def test_roc_auc_hand_computed(pos: list[float], neg: list[float], auc: float) -> None:
    assert roc_auc(pos, neg) == pytest.approx(auc)


def test_roc_auc_needs_both_classes() -> None:
    with pytest.raises(ValueError, match="at least one positive"):
        roc_auc([], [1.0])


def _history(hotspot: bool) -> list[Incident]:
    rng = np.random.default_rng(3)
    out = []
    for year in range(2015, 2020):
        for k in range(40):
            if hotspot and k < 30:  # attacks keep returning to two places, with some scatter besides
                lat, lon = [(31.5, 71.0), (25.0, 67.0)][k % 2] + rng.normal(0, 0.03, 2)
            else:
                lat, lon = rng.uniform(24.0, 36.0), rng.uniform(61.0, 77.0)
            out.append(
                Incident(
                    id=f"{year}-{k}",
                    lat=float(lat),
                    lon=float(lon),
                    date=datetime(year, 1 + k % 12, 1 + k % 28, tzinfo=UTC),
                    killed=1,
                    admin1="Punjab" if lat > 28 else "Sindh",
                )
            )
    return out


def test_a_model_finds_returning_hotspots_and_not_random_scatter() -> None:
    params = RiskParameters()
    hot = backtest(_history(hotspot=True), params, seed=1)
    assert [r.year for r in hot] == [2016, 2017, 2018, 2019]  # 2015 has no earlier incidents
    assert all(r.auc > 0.75 for r in hot)
    assert np.mean([r.auc for r in hot]) > 0.8
    scattered = backtest(_history(hotspot=False), params, seed=1)
    assert np.mean([r.auc for r in scattered]) < 0.75
    assert backtest(_history(hotspot=True), params, seed=1) == hot  # seeded


def test_backtest_of_nothing_is_empty() -> None:
    assert backtest([], RiskParameters()) == []
